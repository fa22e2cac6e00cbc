#pragma once
/// Monte Carlo compromise simulation: how likely each node — and each crown jewel — is to fall.
///
/// The model is the independent-cascade (live-edge) model: in each trial every edge is alive
/// with its probability, independently, and the attacker holds everything reachable from the
/// sources over live edges. A node whose gate is `all` falls only when every in-edge is alive
/// and comes from a fallen node (AND prerequisites, as in MulVAL and MAL); the others fall when
/// any live in-edge comes from a fallen node (OR). With cycles, the attacker holds the least
/// fixpoint: what can be derived from the sources.
///
/// Implementation: 64 trials per 64-bit word, 256 per block. A node's words hold the trials in
/// which it has fallen; an edge's liveness in 64 trials is one Bernoulli mask from the stream
/// (seed, 64-trial word, edge index), drawn in SIMD batches only when its source has fallen and
/// its head has not fallen in every trial yet — so results are a pure function of the seed,
/// identical for every thread count and block width. Propagation is frontier-driven: only the
/// newly fallen trials of a node travel along its out-edges, nodes numbered in breadth-first
/// order from the sources. Blocks run in parallel; counts are integers, summed in any order with
/// the same result. Memory per thread: 80 bytes per vertex and 36 per edge, never proportional
/// to the trials.
///
///     simulation_result r = simulate_compromise(t, t.entry_points(), t.crown_jewels(),
///                                               get(&edge::probability, t), {.trials = 10'000, .seed = 7});
///     r.probability(v);  r.interval(v);  r.p_any_target();

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <boost/range/iterator_range.hpp>
#include <tbb/enumerable_thread_specific.h>

#include "twinrisk/model/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/sim/estimate.hpp"
#include "twinrisk/sim/bernoulli_masks.hpp"

namespace twinrisk {

/// The most trials `simulate_compromise` runs: 2^38, that is 2^32 words of 64 trials — each word's
/// random streams are keyed by its 32-bit index (sim/rng.hpp). Callers that take a trial count
/// from users (the CLI's `simulate --trials`) check it against this.
inline constexpr std::uint64_t max_simulation_trials = std::uint64_t{1} << 38;

/// Options of `simulate_compromise`.
struct simulation_options {
  std::uint64_t trials = 10'000;  ///< at most max_simulation_trials
  std::uint64_t seed = 1;
  std::vector<char> all_gates{};  ///< by vertex: 1 = AND gate; empty = every node OR
  bool keep_target_worlds = false;  ///< fill `simulation_result::target_worlds`
  /// Each trial starts from one source drawn uniformly at random (one phished employee, one
  /// exposed service), not from all of them at once: with many entry points, "all at once" makes
  /// every reachable crown jewel near certain.
  bool one_source_per_trial = false;
  const cancellation_token* cancel = nullptr;
  progress_meter* progress = nullptr;  ///< counts trials
};

/// Counts of one simulation and the estimates they give.
struct simulation_result {
  std::uint64_t trials = 0;                    ///< trials run (fewer than asked when cancelled)
  std::uint64_t seed = 0;
  std::vector<std::uint64_t> compromised;      ///< by vertex: trials in which it fell
  std::uint64_t any_target = 0;                ///< trials in which some target fell
  std::vector<std::size_t> targets;            ///< as given, deduplicated, ascending
  /// With `keep_target_worlds`: for block b (trials 64b .. 64b+63) and the i-th of `targets`,
  /// word [b * targets.size() + i] has bit j set when that target fell in trial 64b + j — the
  /// same worlds the loss model and remediation can reuse (common random numbers).
  std::vector<std::uint64_t> target_worlds;
  bool cancelled = false;

  /// Whether target `i` (index into `targets`) fell in trial `trial`. Precondition: kept worlds.
  [[nodiscard]] bool target_fell(std::size_t i, std::uint64_t trial) const {
    return (target_worlds.at((trial / 64) * targets.size() + i) >> (trial % 64)) & 1u;
  }

  [[nodiscard]] double probability(std::size_t v) const { return ratio(compromised.at(v)); }
  [[nodiscard]] estimate interval(std::size_t v) const { return wilson(compromised.at(v)); }
  [[nodiscard]] double p_any_target() const { return ratio(any_target); }
  [[nodiscard]] estimate any_target_interval() const { return wilson(any_target); }
  /// Expected number of compromised nodes per trial (sources included).
  [[nodiscard]] double expected_compromised() const {
    std::uint64_t sum = 0;
    for (std::uint64_t c : compromised) sum += c;
    return trials == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(trials);
  }

 private:
  [[nodiscard]] double ratio(std::uint64_t k) const { return trials == 0 ? 0.0 : static_cast<double>(k) / static_cast<double>(trials); }
  [[nodiscard]] estimate wilson(std::uint64_t k) const { return wilson_estimate(k, trials); }
};

namespace detail {

/// Gates in `compromise_problem::all_gates`.
inline constexpr char gate_any = 0, gate_all = 1, gate_never = 2;

/// What every block of a compromise simulation reads, built once per run. Vertices are renumbered
/// in breadth-first order from the sources, so that a block's queue walks the arrays nearly in
/// order (on a 1M-edge twin this halves the time lost waiting for memory). Each edge keeps its
/// index in the caller's graph as its random stream: the same edge is alive in the same worlds
/// whatever else changes in the twin — what the what-if analyses need.
struct compromise_problem {
  std::size_t n = 0;
  std::vector<std::uint32_t> old_of;     // by new id: the caller's vertex
  std::vector<std::uint32_t> new_of;     // by the caller's vertex
  std::vector<std::size_t> out_begin;    // by new id; out-edges of traversable edges (p > 0)
  std::vector<std::uint32_t> out_target;  // new ids
  std::vector<std::uint64_t> threshold;  // by edge slot: bernoulli_threshold(p)
  std::vector<std::uint32_t> lane;       // by edge slot: the caller's edge index, its random stream
  std::vector<std::size_t> in_begin;     // in-edges: with AND gates, and for the races of a loss run
  std::vector<std::uint32_t> in_source;
  std::vector<std::size_t> in_slot;
  std::vector<std::uint32_t> sources;    // new ids
  std::vector<char> is_source;           // by new id
  std::vector<std::size_t> targets;      // the caller's ids, ascending: the order of results
  std::vector<std::uint32_t> target_ids;  // their new ids
  std::vector<char> is_target;           // by new id
  std::vector<char> all_gates;           // by new id: gate_any, gate_all or gate_never; empty when every node is OR
};

/// Throws: model_error on a vertex out of range, gates of the wrong size, 2^32 edges or more;
/// input_error on a probability outside [0,1].
template <edge_indexed_graph G, class ProbMap>
compromise_problem make_compromise_problem(const G& g, const std::vector<vertex_t<G>>& sources,
                                           const std::vector<vertex_t<G>>& targets, const ProbMap& prob,
                                           const std::vector<char>& all_gates, bool parallel) {
  compromise_problem c;
  c.n = num_vertices(g);
  const std::size_t n = c.n;
  if (!all_gates.empty()) check_entry_count(all_gates.size(), n, "all_gates has", "vertices");
  const std::vector<char> is_source = vertex_flags(n, sources, "source");
  const std::vector<char> is_target = vertex_flags(n, targets, "target");
  const search_graph s = make_search_graph(g, prob, parallel);
  const std::size_t m = s.out_target.size();
  if (num_edges(g) >= std::numeric_limits<std::uint32_t>::max()) throw model_error("too many edges for simulation (2^32)");
  // Breadth-first order from the sources, then the vertices they cannot reach.
  constexpr std::uint32_t unnumbered = std::numeric_limits<std::uint32_t>::max();
  c.new_of.assign(n, unnumbered);
  c.old_of.reserve(n);
  auto number = [&](std::size_t v) {
    c.new_of[v] = static_cast<std::uint32_t>(c.old_of.size());
    c.old_of.push_back(static_cast<std::uint32_t>(v));
  };
  for (std::size_t v = 0; v < n; ++v)
    if (is_source[v]) number(v), c.sources.push_back(c.new_of[v]);
  c.is_source.assign(n, 0);
  for (std::uint32_t v : c.sources) c.is_source[v] = 1;
  for (std::size_t head = 0; head < c.old_of.size(); ++head) {
    const std::uint32_t u = c.old_of[head];
    for (std::size_t i = s.out_begin[u]; i < s.out_begin[u + 1]; ++i)
      if (c.new_of[s.out_target[i]] == unnumbered) number(s.out_target[i]);
  }
  for (std::size_t v = 0; v < n; ++v)
    if (c.new_of[v] == unnumbered) number(v);
  c.out_begin.assign(n + 1, 0);
  for (std::size_t k = 0; k < n; ++k) c.out_begin[k + 1] = c.out_begin[k] + (s.out_begin[c.old_of[k] + 1] - s.out_begin[c.old_of[k]]);
  c.out_target.resize(m);
  c.threshold.resize(m);
  c.lane.resize(m);
  for_vertex_blocks(parallel, n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k)
      for (std::size_t i = s.out_begin[c.old_of[k]], slot = c.out_begin[k]; slot < c.out_begin[k + 1]; ++i, ++slot) {
        c.out_target[slot] = c.new_of[s.out_target[i]];
        c.threshold[slot] = bernoulli_threshold(s.out_prob[i]);
        c.lane[slot] = static_cast<std::uint32_t>(s.out_edge[i]);
      }
  });
  c.is_target.assign(n, 0);
  for (std::size_t v = 0; v < n; ++v)
    if (is_target[v]) c.targets.push_back(v), c.target_ids.push_back(c.new_of[v]), c.is_target[c.new_of[v]] = 1;
  if (std::find(all_gates.begin(), all_gates.end(), 1) != all_gates.end()) {
    // An AND node with an in-edge that never succeeds (p = 0, not in the flat arrays) never falls.
    std::vector<std::size_t> in_degree(n, 0);
    for (std::size_t u = 0; u < n; ++u)
      for (auto uv : boost::make_iterator_range(out_edges(static_cast<vertex_t<G>>(u), g))) ++in_degree[static_cast<std::size_t>(target(uv, g))];
    c.all_gates.assign(n, 0);
    for (std::size_t v = 0; v < n; ++v) {
      const std::size_t usable = s.in_begin[v + 1] - s.in_begin[v];
      c.all_gates[c.new_of[v]] = !all_gates[v] ? gate_any : in_degree[v] == usable ? gate_all : gate_never;
    }
    reverse_arrays(n, c.out_begin, c.out_target, c.in_begin, c.in_source, c.in_slot);
  }
  return c;
}

/// Edge liveness masks of one block of `Words` 64-trial words, drawn on demand: only edges a
/// fallen node actually tries (not those into nodes already fallen everywhere), each once per
/// block, gathered so that the SIMD kernel always works on full vectors.
template <std::size_t Words>
class edge_mask_cache {
 public:
  void size_for(std::size_t m) {
    if (stamp_.size() == m) return;
    masks_.assign(Words * m, 0);
    stamp_.assign(m, 0);
  }

  /// Forgets every stamp: nothing counts as drawn.
  void forget() { std::fill(stamp_.begin(), stamp_.end(), 0); }

  /// A stamp no earlier call handed out: masks drawn under older stamps count as not drawn
  /// (they belong to another block, seed or problem).
  std::uint32_t next_stamp() {
    if (++current_ == 0) forget(), current_ = 1;  // wrapped
    return current_;
  }

  /// The stamp `next_stamp` handed out last.
  [[nodiscard]] std::uint32_t current_stamp() const noexcept { return current_; }

  /// Marks for drawing the slots in [first, last) for which `wanted(slot)` holds and that were
  /// not drawn under `stamp` yet. Collect for several nodes, then `draw` once: full vectors.
  template <class Wanted>
  void collect(std::size_t first, std::size_t last, std::uint32_t stamp, Wanted wanted) {
    for (std::size_t i = first; i < last; ++i)
      if (stamp_[i] != stamp && wanted(i)) stamp_[i] = stamp, pending_.push_back(i);
  }

  /// Draws the collected slots' masks for the 64-trial words first_word + k with valid[k] != 0.
  void draw(const compromise_problem& c, std::uint64_t seed, std::uint64_t first_word, const std::uint64_t (&valid)[Words]) {
    const std::size_t count = pending_.size(), m = stamp_.size();
    if (count == 0) return;
    lane_.resize(count), threshold_.resize(count), out_.resize(count);
    for (std::size_t j = 0; j < count; ++j) lane_[j] = c.lane[pending_[j]], threshold_[j] = c.threshold[pending_[j]];
    for (std::size_t k = 0; k < Words; ++k) {
      if (valid[k] == 0) continue;
      bernoulli_masks(seed, static_cast<std::uint32_t>(first_word + k), lane_.data(), threshold_.data(), count, out_.data());
      for (std::size_t j = 0; j < count; ++j) masks_[k * m + pending_[j]] = out_[j];
    }
    pending_.clear();
  }

  /// Holds `slot` dead in every word under `stamp`, as if drawn so: an edge removed for one run
  /// of a block whose other masks are shared (see block_simulation's `stamp`).
  void kill(std::size_t slot, std::uint32_t stamp) {
    stamp_[slot] = stamp;
    for (std::size_t k = 0; k < Words; ++k) masks_[k * stamp_.size() + slot] = 0;
  }

  /// Forgets `slot`'s masks: they are drawn again when next collected.
  void forget(std::size_t slot) { stamp_[slot] = 0; }

  /// The mask of `slot` in word k; drawn before.
  [[nodiscard]] std::uint64_t mask(std::size_t k, std::size_t slot) const { return masks_[k * stamp_.size() + slot]; }

 private:
  std::vector<std::uint64_t> masks_;   // [k * m + slot]
  std::vector<std::uint32_t> stamp_;   // by slot: the stamp it was last drawn under
  std::vector<std::size_t> pending_;
  std::vector<std::uint32_t> lane_;
  std::vector<std::uint64_t> threshold_, out_;
  std::uint32_t current_ = 0;
};

/// How many edge slots ahead the simulation asks for a head's words.
inline constexpr std::size_t prefetch_distance = 16;

/// Queued nodes whose edges are drawn together.
inline constexpr std::size_t wave_nodes = 64;

/// 64-trial words per block: a visit of an edge serves 64 · block_words trials. Wider blocks
/// spend the same time waiting for a node's cache line on more trials; each 64-trial word keeps
/// its own random streams, so the results do not depend on the width.
inline constexpr std::size_t block_words = 4;

/// One thread's memory for the blocks it runs.
struct compromise_workspace {
  /// A node's trials in this block: where it has fallen, and where it has fallen since it last
  /// passed its trials on (non-zero exactly while it waits in the queue). One cache line.
  struct alignas(64) node_words {
    std::uint64_t state[block_words] = {}, delta[block_words] = {};
  };
  std::vector<node_words> nodes;           // by new id
  edge_mask_cache<block_words> edges;      // drawn under a fresh stamp per simulate_block call
  std::vector<std::uint64_t> full;         // bit per new id: fallen in every trial of the block
  std::vector<std::uint64_t> queued;       // bit per new id: has trials to pass on (delta != 0)
  std::size_t waiting = 0;                 // bits set in `queued`
  std::vector<std::uint32_t> touched;
  std::vector<std::uint64_t> counts;       // by new id
  std::uint64_t any_target = 0;

  void size_for(std::size_t n, std::size_t m) {
    edges.size_for(m);
    if (nodes.size() == n) return;
    nodes.assign(n, {});
    full.assign(n / 64 + 1, 0);
    queued.assign(n / 64 + 1, 0);
    counts.assign(n, 0);
  }
};

/// Where the attacker starts in some trials of a block: trials given by bit, per 64-trial word.
struct block_start {
  std::uint32_t vertex = 0;  ///< new id
  std::uint64_t trials[block_words] = {};
};

/// One block's run: trials 64 · block_words · block onwards, `valid[k]` marking those of its
/// k-th word that are asked for, spread from the start through the attack graph in `w`.
class block_simulation {
 public:
  static constexpr std::size_t words = block_words;

  /// `stamp`: the masks the workspace drew under it for this block, seed and problem serve this
  /// run too (a block run again with some edges killed); 0: a fresh stamp, every mask drawn anew.
  block_simulation(const compromise_problem& c, std::uint64_t seed, std::uint32_t block, const std::uint64_t (&valid)[words],
                   compromise_workspace& w, std::uint32_t stamp = 0)
      : c_(c), seed_(seed), first_word_(words * std::uint64_t{block}), valid_(valid), w_(w) {
    w_.size_for(c_.n, c_.out_target.size());
    stamp_ = stamp != 0 ? stamp : w_.edges.next_stamp();
  }

  /// The stamp of this run's masks.
  [[nodiscard]] std::uint32_t stamp() const noexcept { return stamp_; }

  /// The attacker holds every source in every valid trial, or with `starts` those vertices in
  /// those trials only.
  void start(const std::vector<block_start>* starts) {
    if (starts == nullptr) {
      for (std::uint32_t v : c_.sources) gain(v, valid_);
    } else {
      for (const block_start& s : *starts) gain(s.vertex, s.trials);
    }
  }

  /// Sweeps over the waiting nodes in ascending id — breadth-first order from the sources — until
  /// none waits: most nodes hear from all their predecessors before they pass anything on, and the
  /// arrays are read nearly in order.
  void spread() {
    while (w_.waiting != 0) {
      std::size_t drawn_below = 0;  // in this sweep, waiting nodes below this id have had their masks drawn
      for (std::size_t qw = 0; qw < w_.queued.size() && w_.waiting != 0; ++qw) {
        while (w_.queued[qw] != 0) {
          const auto u = static_cast<std::uint32_t>(qw * 64 + static_cast<std::size_t>(std::countr_zero(w_.queued[qw])));
          w_.queued[qw] &= w_.queued[qw] - 1;
          --w_.waiting;
          if (u >= drawn_below) drawn_below = collect_ahead(qw, u);
          pass_on(u);
        }
      }
    }
  }

  /// Writes the targets' words (see simulation_result::target_worlds) when `target_words` is
  /// given, adds the block's counts to the workspace and clears what the block touched.
  void finish(std::uint64_t* target_words) {
    if (target_words != nullptr)
      for (std::size_t k = 0; k < words; ++k)
        if (valid_[k] != 0)
          for (std::size_t i = 0; i < c_.target_ids.size(); ++i)
            target_words[k * c_.target_ids.size() + i] = w_.nodes[c_.target_ids[i]].state[k];
    std::uint64_t any[words] = {};
    for (std::uint32_t v : w_.touched) {
      for (std::size_t k = 0; k < words; ++k) {
        w_.counts[v] += static_cast<std::uint64_t>(std::popcount(w_.nodes[v].state[k]));
        if (c_.is_target[v]) any[k] |= w_.nodes[v].state[k];
        w_.nodes[v].state[k] = 0;
      }
      w_.full[v / 64] = 0;
    }
    for (std::size_t k = 0; k < words; ++k) w_.any_target += static_cast<std::uint64_t>(std::popcount(any[k]));
    w_.touched.clear();
  }

 private:
  using node_words = compromise_workspace::node_words;

  [[nodiscard]] bool is_full(std::uint32_t v) const { return ((w_.full[v / 64] >> (v % 64)) & 1u) != 0; }

  /// `v` falls in the trials of `bits` (those it held already change nothing).
  void gain(std::uint32_t v, const std::uint64_t (&bits)[words]) {
    node_words& x = w_.nodes[v];
    std::uint64_t held = 0, waiting = 0, any = 0;
    for (std::size_t k = 0; k < words; ++k) held |= x.state[k], waiting |= x.delta[k], any |= bits[k];
    if (any == 0) return;
    if (held == 0) w_.touched.push_back(v);
    if (waiting == 0) w_.queued[v / 64] |= std::uint64_t{1} << (v % 64), ++w_.waiting;
    std::uint64_t missing = 0;
    for (std::size_t k = 0; k < words; ++k) x.state[k] |= bits[k], x.delta[k] |= bits[k], missing |= valid_[k] & ~x.state[k];
    if (missing == 0) w_.full[v / 64] |= std::uint64_t{1} << (v % 64);
  }

  /// Queues the out-edges of the next `wave_nodes` waiting nodes from queue word `qw` on, for
  /// one SIMD batch of mask draws: most visits reach nodes already fallen in every trial, and a
  /// bit per node (in L1 cache) spares drawing those edges and the trip to the nodes' words.
  /// `u` is the node just taken off the queue. Returns the id below which this sweep's waiting
  /// nodes have their masks queued.
  std::size_t collect_ahead(std::size_t qw, std::uint32_t u) {
    std::size_t taken = 0, at = u;
    for (std::size_t aw = qw; aw < w_.queued.size() && taken < wave_nodes; ++aw) {
      for (std::uint64_t bits = w_.queued[aw]; bits != 0 && taken < wave_nodes; bits &= bits - 1) {
        at = aw * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        collect(c_.out_begin[at], c_.out_begin[at + 1]);
        ++taken;
      }
    }
    return at + 1;
  }

  void collect(std::size_t first_slot, std::size_t last_slot) {
    w_.edges.collect(first_slot, last_slot, stamp_, [this](std::size_t i) { return !is_full(c_.out_target[i]); });
  }

  /// `u` passes the trials it fell in since its last turn along each out-edge alive in them.
  void pass_on(std::uint32_t u) {
    collect(c_.out_begin[u], c_.out_begin[u + 1]);  // u itself, and late arrivals
    w_.edges.draw(c_, seed_, first_word_, valid_);
    std::uint64_t d[words];
    for (std::size_t k = 0; k < words; ++k) d[k] = std::exchange(w_.nodes[u].delta[k], 0);
    const std::size_t m = c_.out_target.size();
    for (std::size_t i = c_.out_begin[u]; i < c_.out_begin[u + 1]; ++i) {
      // Heads' words are random reads; nodes are visited in ascending id, so the slots just
      // ahead, even past u's last edge, are likely next: ask for their heads early.
      if (i + prefetch_distance < m) prefetch(&w_.nodes[c_.out_target[i + prefetch_distance]]);
      const std::uint32_t v = c_.out_target[i];
      if (is_full(v)) continue;
      const node_words& x = w_.nodes[v];
      std::uint64_t fresh[words];
      if (!c_.all_gates.empty() && c_.all_gates[v] != gate_any) {
        gate_trials(v, fresh);
        for (std::size_t k = 0; k < words; ++k) fresh[k] &= ~x.state[k];
      } else {
        for (std::size_t k = 0; k < words; ++k) fresh[k] = d[k] & w_.edges.mask(k, i) & ~x.state[k];
      }
      gain(v, fresh);
    }
  }

  /// AND gate `v`: the trials in which every in-edge is alive and its source has fallen.
  void gate_trials(std::uint32_t v, std::uint64_t (&all)[words]) {
    std::uint64_t any = c_.all_gates[v] == gate_all;
    for (std::size_t k = 0; k < words; ++k) all[k] = any ? valid_[k] : 0;
    for (std::size_t j = c_.in_begin[v]; j < c_.in_begin[v + 1] && any != 0; ++j) {
      const std::uint32_t source = c_.in_source[j];
      const std::size_t slot = c_.in_slot[j];
      w_.edges.collect(slot, slot + 1, stamp_, [](std::size_t) { return true; });
      w_.edges.draw(c_, seed_, first_word_, valid_);
      any = 0;
      for (std::size_t k = 0; k < words; ++k) any |= all[k] &= w_.nodes[source].state[k] & w_.edges.mask(k, slot);
    }
  }

  const compromise_problem& c_;
  std::uint64_t seed_, first_word_;
  const std::uint64_t (&valid_)[words];
  compromise_workspace& w_;
  std::uint32_t stamp_ = 0;
};

/// Runs block `block` — trials 64 · block_words · block onwards, `valid[k]` marking those of its
/// k-th word that are asked for — and adds its counts to `w`. With `target_words`, writes the
/// word of each target there for each valid 64-trial word (see simulation_result::target_worlds).
/// With `starts`, the attacker starts at those vertices in those trials (e.g. each loss event
/// at its own entry point) instead of at every source in every valid trial. `stamp`: as
/// block_simulation's. Returns the stamp of the run's masks.
inline std::uint32_t simulate_block(const compromise_problem& c, std::uint64_t seed, std::uint32_t block,
                                    const std::uint64_t (&valid)[block_words], compromise_workspace& w, std::uint64_t* target_words,
                                    const std::vector<block_start>* starts = nullptr, std::uint32_t stamp = 0) {
  block_simulation run(c, seed, block, valid, w, stamp);
  run.start(starts);
  run.spread();
  run.finish(target_words);
  return run.stamp();
}

/// Throws model_error on more than `max_simulation_trials` (2^38) trials.
inline void check_trial_count(std::uint64_t trials) {
  if (trials > max_simulation_trials)
    throw model_error("too many trials: " + std::to_string(trials) + " (2^38 = " + std::to_string(max_simulation_trials) + " at most)");
}

/// The edges' masks into node `v` drawn into `edges` under `stamp` (those not drawn yet), for
/// the valid words: what searches back over in-edges read.
template <std::size_t Words>
void draw_in_edges(const compromise_problem& c, std::uint32_t v, edge_mask_cache<Words>& edges, std::uint32_t stamp, std::uint64_t seed,
                   std::uint64_t first_word, const std::uint64_t (&valid)[Words]) {
  for (std::size_t j = c.in_begin[v]; j < c.in_begin[v + 1]; ++j)
    edges.collect(c.in_slot[j], c.in_slot[j] + 1, stamp, [](std::size_t) { return true; });
  edges.draw(c, seed, first_word, valid);
}

/// The trials of block `b` that a run of `trials` trials asks for, by 64-trial word.
inline void valid_words_of_block(std::uint64_t b, std::uint64_t trials, std::uint64_t (&valid)[block_words]) {
  for (std::size_t k = 0; k < block_words; ++k) {
    const std::uint64_t first = (b * block_words + k) * 64;
    const std::uint64_t here = first >= trials ? 0 : std::min<std::uint64_t>(64, trials - first);
    valid[k] = here == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << here) - 1;
  }
}

/// The source each valid trial of block `b` starts from, one drawn uniformly per trial from the
/// trial's own counter-based stream (the same for every thread count and block width).
inline std::vector<block_start> one_source_per_trial(const compromise_problem& c, std::uint64_t seed, std::uint64_t b,
                                                     const std::uint64_t (&valid)[block_words]) {
  std::vector<block_start> starts;
  if (c.sources.empty()) return starts;
  std::vector<std::size_t> slot_of(c.sources.size(), static_cast<std::size_t>(-1));
  for (std::size_t k = 0; k < block_words; ++k)
    for (std::uint64_t bits = valid[k]; bits != 0; bits &= bits - 1) {
      const auto j = static_cast<std::size_t>(std::countr_zero(bits));
      const std::uint64_t trial = (b * block_words + k) * 64 + j;
      const std::uint64_t x = derive_seed(seed, stream_purpose::one_entry, trial);
      const auto pick = static_cast<std::size_t>(x % c.sources.size());  // bias below 2^-40 for any real count
      if (slot_of[pick] == static_cast<std::size_t>(-1)) slot_of[pick] = starts.size(), starts.push_back({c.sources[pick], {}});
      starts[slot_of[pick]].trials[k] |= std::uint64_t{1} << j;
    }
  return starts;
}

}  // namespace detail

/// Estimates, over `options.trials` random worlds, how often each vertex of `g` is compromised
/// by an attacker who starts holding `sources` (or, with `one_source_per_trial`, one of them at
/// random), with edge probabilities from `prob`.
/// Complexity: O(trials / 64 · (E_reached + V_reached)) word operations.
/// Determinism: a pure function of the graph, probabilities, gates and seed — identical for
/// every thread count and execution policy.
/// Throws: model_error on a vertex out of range, gates of the wrong size, more than
/// `max_simulation_trials` (2^38) trials or 2^32 - 1 edges or more; input_error on a probability
/// outside [0,1].
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
simulation_result simulate_compromise(const G& g, const std::vector<vertex_t<G>>& sources,
                                      const std::vector<vertex_t<G>>& targets, const ProbMap& prob,
                                      const simulation_options& options = {}, Exec exec = {}) {
  constexpr std::uint64_t block_trials = 64 * detail::block_words;
  const std::uint64_t words = (options.trials + 63) / 64, blocks = (options.trials + block_trials - 1) / block_trials;
  detail::check_trial_count(options.trials);
  simulation_result r;
  r.seed = options.seed;
  detail::run_with(exec, [&] {
    const detail::compromise_problem c =
        detail::make_compromise_problem(g, sources, targets, prob, options.all_gates, detail::is_parallel<Exec>);
    r.targets = c.targets;
    r.compromised.assign(c.n, 0);
    // Room for whole blocks; trimmed to the trials' words below.
    if (options.keep_target_worlds) r.target_worlds.assign(blocks * detail::block_words * r.targets.size(), 0);
    tbb::enumerable_thread_specific<detail::compromise_workspace> workspaces;
    std::atomic<std::uint64_t> trials_done{0};  // whole blocks only: an integer sum, the same in any order
    if (options.progress != nullptr) options.progress->total = options.trials;
    auto run = [&](std::uint64_t b) {
      std::uint64_t valid[detail::block_words];
      detail::valid_words_of_block(b, options.trials, valid);
      std::vector<detail::block_start> starts;
      if (options.one_source_per_trial) starts = detail::one_source_per_trial(c, options.seed, b, valid);
      detail::simulate_block(c, options.seed, static_cast<std::uint32_t>(b), valid, workspaces.local(),
                             options.keep_target_worlds ? r.target_worlds.data() + b * detail::block_words * r.targets.size()
                                                        : nullptr,
                             options.one_source_per_trial ? &starts : nullptr);
      const std::uint64_t trials_here = std::min<std::uint64_t>(block_trials, options.trials - b * block_trials);
      trials_done += trials_here;
      if (options.progress != nullptr) options.progress->done += trials_here;
    };
    detail::for_each_index(detail::is_parallel<Exec>, std::uint64_t{0}, blocks, options.cancel, run);
    for (const detail::compromise_workspace& w : workspaces) {
      if (w.counts.empty()) continue;
      for (std::size_t k = 0; k < c.n; ++k) r.compromised[c.old_of[k]] += w.counts[k];
      r.any_target += w.any_target;
    }
    if (options.keep_target_worlds) r.target_worlds.resize(words * r.targets.size());
    // Trials actually run: a cancelled run counts only whole blocks that finished.
    r.trials = trials_done.load();
    r.cancelled = r.trials < options.trials;
  });
  return r;
}

/// The gates of a twin's nodes, for `simulation_options::all_gates` (empty when every node is OR).
template <class T>
[[nodiscard]] std::vector<char> all_gates_of(const T& t) {
  std::vector<char> gates(t.num_nodes(), 0);
  bool any = false;
  for (std::size_t v = 0; v < t.num_nodes(); ++v)
    if constexpr (requires { t[v].gate; }) {
      gates[v] = t[v].gate == node_gate::all;
      any = any || gates[v];
    }
  if (!any) gates.clear();
  return gates;
}

}  // namespace twinrisk
