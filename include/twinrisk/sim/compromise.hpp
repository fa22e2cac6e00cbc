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
/// Implementation: 64 trials per 64-bit word. For each block of 64 trials a node's word holds
/// the trials in which it has fallen; an edge's liveness is one Bernoulli mask, drawn only when
/// its source first falls in the block, from the stream (seed, block, edge slot) — so results
/// are a pure function of the seed, identical for every thread count. Propagation is
/// frontier-driven: only the newly fallen trials of a node travel along its out-edges. Blocks run
/// in parallel; counts are integers, summed in any order with the same result. Memory: a few
/// words per vertex and per edge per thread, never proportional to the trials.
///
///     simulation_result r = simulate_compromise(t, t.entry_points(), t.crown_jewels(),
///                                               get(&edge::probability, t), {.trials = 10'000, .seed = 7});
///     r.probability(v);  r.interval(v);  r.p_any_target();

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "twinrisk/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/sim/rng.hpp"

namespace twinrisk {

/// Options of `simulate_compromise`.
struct simulation_options {
  std::uint64_t trials = 10'000;
  std::uint64_t seed = 1;
  std::vector<char> all_gates{};  ///< by vertex: 1 = AND gate; empty = every node OR
  bool keep_target_worlds = false;  ///< fill `simulation_result::target_worlds`
  const cancellation_token* cancel = nullptr;
};

/// A probability estimate with its standard error and 95% Wilson score interval.
struct estimate {
  double p = 0.0, standard_error = 0.0, lo = 0.0, hi = 0.0;
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
  // Wilson's score interval at 95% (z = 1.959964): good coverage even near 0 and 1, where the
  // normal interval collapses to a point.
  [[nodiscard]] estimate wilson(std::uint64_t k) const {
    if (trials == 0) return {0.0, 0.0, 0.0, 1.0};
    const double n = static_cast<double>(trials), p = ratio(k), z = 1.959963984540054, z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return {p, std::sqrt(p * (1 - p) / n), std::max(0.0, centre - half), std::min(1.0, centre + half)};
  }
};

namespace detail {

/// One thread's memory for the blocks it runs.
struct compromise_workspace {
  std::vector<std::uint64_t> state, delta, edge_mask;
  std::vector<std::uint32_t> mask_stamp;  // == block + 1: edge_mask drawn for this block
  std::vector<std::uint32_t> queue, touched;
  std::vector<char> queued, was_touched;
  std::vector<std::uint64_t> counts;
  std::uint64_t any_target = 0;

  void size_for(std::size_t n, std::size_t m) {
    if (state.size() == n && edge_mask.size() == m) return;
    state.assign(n, 0);
    delta.assign(n, 0);
    queued.assign(n, 0);
    was_touched.assign(n, 0);
    counts.assign(n, 0);
    edge_mask.assign(m, 0);
    mask_stamp.assign(m, 0);
  }
};

/// Runs one block of up to 64 trials (`valid` marks them) and adds its counts to `w`.
/// With `target_words`, writes the block's word of each target there (in `targets` order).
inline void simulate_block(const search_graph& s, const std::vector<std::uint32_t>& sources, const std::vector<char>& is_target,
                           const std::vector<char>& all_gates, std::uint64_t seed, std::uint32_t block, std::uint64_t valid,
                           compromise_workspace& w, const std::vector<std::size_t>& targets, std::uint64_t* target_words) {
  auto mask = [&](std::size_t slot) {
    if (w.mask_stamp[slot] != block + 1) {
      w.mask_stamp[slot] = block + 1;
      w.edge_mask[slot] = random_stream({.seed = seed, .block = block, .lane = static_cast<std::uint32_t>(slot)})
                              .bernoulli_mask(s.out_prob[slot]);
    }
    return w.edge_mask[slot];
  };
  auto gain = [&](std::uint32_t v, std::uint64_t bits) {
    w.state[v] |= bits;
    w.delta[v] |= bits;
    if (!w.was_touched[v]) w.was_touched[v] = 1, w.touched.push_back(v);
    if (!w.queued[v]) w.queued[v] = 1, w.queue.push_back(v);
  };
  for (std::uint32_t v : sources) gain(v, valid & ~w.state[v]);
  for (std::size_t head = 0; head < w.queue.size(); ++head) {
    const std::uint32_t u = w.queue[head];
    w.queued[u] = 0;
    const std::uint64_t d = std::exchange(w.delta[u], 0);
    if (d == 0) continue;
    for (std::size_t i = s.out_begin[u]; i < s.out_begin[u + 1]; ++i) {
      const std::uint32_t v = s.out_target[i];
      std::uint64_t fresh = 0;
      if (!all_gates.empty() && all_gates[v]) {
        // AND: v falls in the trials where every in-edge is alive and its source has fallen.
        std::uint64_t all = valid;
        for (std::size_t j = s.in_begin[v]; j < s.in_begin[v + 1] && all != 0; ++j)
          all &= w.state[s.in_source[j]] & mask(s.in_slot[j]);
        fresh = all & ~w.state[v];
      } else {
        if ((d & ~w.state[v]) == 0) continue;  // nothing new for v: no need to draw the edge
        fresh = d & mask(i) & ~w.state[v];
      }
      if (fresh != 0) gain(v, fresh);
    }
  }
  if (target_words != nullptr)
    for (std::size_t i = 0; i < targets.size(); ++i) target_words[i] = w.state[targets[i]];
  std::uint64_t any = 0;
  for (std::uint32_t v : w.touched) {
    w.counts[v] += static_cast<std::uint64_t>(std::popcount(w.state[v]));
    if (is_target[v]) any |= w.state[v];
    w.state[v] = 0;
    w.was_touched[v] = 0;
  }
  w.any_target += static_cast<std::uint64_t>(std::popcount(any));
  w.touched.clear();
  w.queue.clear();
}

}  // namespace detail

/// Estimates, over `options.trials` random worlds, how often each vertex of `g` is compromised
/// by an attacker who starts holding `sources`, with edge probabilities from `prob`.
/// Complexity: O(trials / 64 · (E_reached + V_reached)) word operations.
/// Determinism: a pure function of the graph, probabilities, gates and seed — identical for
/// every thread count and execution policy.
/// Throws: model_error on a vertex out of range, gates of the wrong size, more than 2^32
/// blocks or edges; input_error on a probability outside [0,1].
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
simulation_result simulate_compromise(const G& g, const std::vector<vertex_t<G>>& sources,
                                      const std::vector<vertex_t<G>>& targets, const ProbMap& prob,
                                      const simulation_options& options = {}, Exec exec = {}) {
  const std::size_t n = num_vertices(g);
  if (!options.all_gates.empty() && options.all_gates.size() != n)
    throw model_error("all_gates has " + std::to_string(options.all_gates.size()) + " entries for " + std::to_string(n) +
                      " vertices");
  const std::vector<char> is_source = detail::vertex_flags(n, sources, "source");
  const std::vector<char> is_target = detail::vertex_flags(n, targets, "target");
  simulation_result r;
  for (std::size_t v = 0; v < n; ++v)
    if (is_target[v]) r.targets.push_back(v);
  std::vector<std::uint32_t> source_list;
  for (std::size_t v = 0; v < n; ++v)
    if (is_source[v]) source_list.push_back(static_cast<std::uint32_t>(v));
  const std::uint64_t blocks = (options.trials + 63) / 64;
  if (blocks >= (std::uint64_t{1} << 32) - 1) throw model_error("too many trials (2^38 at most)");
  r.seed = options.seed;
  r.compromised.assign(n, 0);
  if (options.keep_target_worlds) r.target_worlds.assign(blocks * r.targets.size(), 0);
  detail::run_with(exec, [&] {
    const detail::search_graph s = detail::make_search_graph(g, prob, detail::is_parallel<Exec>);
    if (s.out_target.size() >= (std::uint64_t{1} << 32)) throw model_error("too many edges for simulation (2^32)");
    tbb::enumerable_thread_specific<detail::compromise_workspace> workspaces;
    std::vector<char> done(blocks, 0);
    auto run = [&](std::uint64_t b) {
      if (options.cancel != nullptr && options.cancel->cancelled()) return;
      detail::compromise_workspace& w = workspaces.local();
      w.size_for(n, s.out_target.size());
      const std::uint64_t in_block = std::min<std::uint64_t>(64, options.trials - b * 64);
      const std::uint64_t valid = in_block == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << in_block) - 1;
      detail::simulate_block(s, source_list, is_target, options.all_gates, options.seed, static_cast<std::uint32_t>(b),
                             valid, w, r.targets,
                             options.keep_target_worlds ? r.target_worlds.data() + b * r.targets.size() : nullptr);
      done[b] = 1;
    };
    if constexpr (detail::is_parallel<Exec>) {
      tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks, 4), [&](const tbb::blocked_range<std::uint64_t>& range) {
        for (std::uint64_t b = range.begin(); b < range.end(); ++b) run(b);
      });
    } else {
      for (std::uint64_t b = 0; b < blocks; ++b) run(b);
    }
    for (const detail::compromise_workspace& w : workspaces) {
      if (w.counts.empty()) continue;
      for (std::size_t v = 0; v < n; ++v) r.compromised[v] += w.counts[v];
      r.any_target += w.any_target;
    }
    // Trials actually run: a cancelled run counts only whole blocks that finished.
    r.trials = 0;
    for (std::uint64_t b = 0; b < blocks; ++b)
      if (done[b]) r.trials += std::min<std::uint64_t>(64, options.trials - b * 64);
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
