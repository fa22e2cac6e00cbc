#pragma once
/// Loss exposure in money over the twin (FAIR: loss event frequency × loss magnitude), with the
/// attack graph in between. For each simulated year and each threat, the number of events is
/// Poisson with the threat's annual rate (itself drawn from its distribution each year, when it
/// states one); each event starts at one of the threat's entry points (by weight) and draws its
/// own world of the compromise simulation — every edge alive with probability p × the threat's
/// capability — and every asset it reaches loses a draw of its magnitude (primary, plus secondary
/// with its probability). An asset's losses in a year are capped at its annual cap. Because one
/// world decides all assets of an event, assets behind a shared choke point fall together: the
/// losses are correlated exactly as the graph makes them. The amounts of assets that fall together
/// are independent, unless the twin correlates them (`loss_correlations`, a Gaussian copula:
/// risk/loss_copula.hpp).
///
///     annual_losses r = simulate_loss(t, get(&edge::probability, t), loss_model_of(t), {.years = 100'000});
///     r.ale();  r.quantile(0.99);  r.tvar(0.99);
///
/// Detection race: a threat with `detect_hours` is stopped that many hours (drawn per event)
/// after it starts; the event's world is then searched for when each asset falls (the earliest
/// times of `time_to_compromise`, crossing each edge in its `hours`), and only the assets reached
/// before detection lose money.
///
/// Determinism: years run in tasks of 1,024 with their own random streams (keyed by seed,
/// threat and task), so results are identical for every thread count; `first_year` lets runs on
/// other machines simulate other years of the same seed and `annual_losses::merge` them.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/property_map/transform_value_property_map.hpp>
#include <tbb/enumerable_thread_specific.h>

#include "twinrisk/model/detail/bundle_checks.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/loss_copula.hpp"
#include "twinrisk/risk/magnitude.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/detail/race_witness.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

namespace twinrisk {

/// An asset that costs money when compromised.
struct loss_asset {
  std::size_t vertex = 0;
  std::string id{};
  loss_magnitude loss{};
};

/// What the loss simulation needs besides the graph: threats and assets (ascending vertices).
struct loss_model {
  std::string currency{};
  std::vector<threat> threats{};
  std::vector<loss_asset> assets{};
  /// Hours to cross each edge (by edge index), for the threats with `detect_hours`; may be empty
  /// when no threat has them.
  std::vector<distribution_spec> edge_hours{};
  /// Pairs of assets (indices into `assets`) whose primary losses are correlated (loss_copula.hpp).
  std::vector<asset_correlation> correlations{};
};

/// The threats, currency, assets with a `loss` and loss correlations of a twin.
template <class T>
[[nodiscard]] loss_model loss_model_of(const T& t) {
  loss_model m{t.info().currency, t.info().threats, {}};
  std::vector<std::size_t> asset_of(t.num_nodes(), 0);
  for (std::size_t v = 0; v < t.num_nodes(); ++v)
    if (t[v].loss) {
      asset_of[v] = m.assets.size();
      m.assets.push_back({v, t.id(v), *t[v].loss});
    }
  if (std::ranges::any_of(m.threats, [](const threat& th) { return th.detect_hours.has_value(); })) m.edge_hours = edge_hours(t);
  for (const loss_correlation& c : t.info().loss_correlations) m.correlations.push_back({asset_of[c.a], asset_of[c.b], c.correlation});
  return m;
}

/// Options of `simulate_loss`.
struct loss_options {
  std::uint64_t years = 100'000;
  std::uint64_t seed = 1;
  std::uint64_t first_year = 0;  ///< simulate years first_year .. first_year + years - 1 (a multiple of 1,024)
  /// Stop early, after a whole round of 16,384 years, once the ALE's relative standard error is
  /// below this (0: run every year).
  double target_rse = 0.0;
  std::vector<char> all_gates{};  ///< by vertex: 1 = AND gate
  const cancellation_token* cancel = nullptr;
  progress_meter* progress = nullptr;  ///< counts years
};

namespace detail {

inline constexpr std::uint64_t loss_task_years = 1024;
inline constexpr std::uint64_t loss_round_tasks = 16;

/// Nodes a replay's first search, from what is left of an event's recorded ways, may expand per
/// lost asset it still looks for, in a problem of n nodes, before searches back from the assets
/// it missed settle them (reach_back): a way around the dead edges is usually near, and where it
/// is not the way back is cheaper than a wider search forward (n / 32 between 32 and 64
/// measured best on the generated twins of 1,000 to 10,000 nodes; 256 took 15% longer at 10,000).
[[nodiscard]] constexpr std::size_t repair_budget_per_target(std::size_t n) noexcept {
  return std::clamp<std::size_t>(n / 32, 32, 64);
}

/// Nodes a replay searches back from a lost asset for a held node before calling it cut off in
/// the event's world (an asset whose only live in-edges died has a handful behind it).
inline constexpr std::size_t cut_off_budget = 64;

/// Nodes `reach_back` may search back from an asset the guided search did not reach, in a
/// problem of n nodes, before the exact search forward settles it: n / 16 between 1,024 and
/// 8,192 (on the generated twins the way back meets a held node within a few hundred).
[[nodiscard]] constexpr std::size_t reach_back_budget(std::size_t n) noexcept {
  return std::clamp<std::size_t>(n / 16, 1024, 8192);
}

/// Races search without simulating a block's worlds when at most one event in this many of the
/// threat's last block did not lose every asset its entry leads to (see update_search_first).
inline constexpr std::size_t default_search_first_share = 64;

/// Tasks of 1,024 years that `years` years take (the last may be shorter).
[[nodiscard]] constexpr std::uint64_t loss_task_count(std::uint64_t years) noexcept {
  return (years + loss_task_years - 1) / loss_task_years;
}

inline void check_loss_model(const loss_model& model, std::size_t n, std::size_t m) {
  for (std::size_t i = 0; i < model.assets.size(); ++i) {
    const loss_asset& a = model.assets[i];
    const std::string at = "/assets/" + std::to_string(i);
    if (a.vertex >= n) throw model_error("asset vertex " + std::to_string(a.vertex) + " is not in the graph");
    if (i > 0 && a.vertex <= model.assets[i - 1].vertex) throw model_error("loss assets must have ascending, distinct vertices");
    check_distribution(a.loss.primary, at + "/primary");
    if (a.loss.secondary) check_distribution(*a.loss.secondary, at + "/secondary");
  }
  for (std::size_t i = 0; i < model.threats.size(); ++i) {
    const threat& th = model.threats[i];
    const std::string at = "/threats/" + std::to_string(i);
    check_distribution(th.frequency, at + "/frequency");
    if (th.detect_hours) check_distribution(*th.detect_hours, at + "/detect_hours");
    if (!(th.capability > 0.0 && th.capability <= 1.0))
      throw input_error({.pointer = at + "/capability"}, "expected a number in (0,1], got " + show_number(th.capability));
    if (th.entry_points.empty()) throw input_error({.pointer = at + "/entry_points"}, "expected at least one entry point");
    for (std::size_t j = 0; j < th.entry_points.size(); ++j)
      if (!(th.entry_points[j].weight > 0.0 && std::isfinite(th.entry_points[j].weight)))
        throw input_error({.pointer = at + "/entry_points/" + std::to_string(j) + "/weight"},
                          "expected a finite weight > 0, got " + show_number(th.entry_points[j].weight));
  }
  if (std::ranges::any_of(model.threats, [](const threat& th) { return th.detect_hours.has_value(); }))
    check_edge_hours(model.edge_hours, m);
}

/// Checks a run before it starts: the model on a graph of n vertices and m edges, whole tasks
/// from `first_year`, no more than max_simulated_years years.
inline void check_loss_run(const loss_model& model, std::size_t n, std::size_t m, const loss_options& options) {
  check_loss_model(model, n, m);
  if (options.first_year % loss_task_years != 0) throw model_error("first_year must be a multiple of 1024");
  check_year_range(options.years, options.first_year);
}

/// One thread's memory for detection races: searches in single worlds of a block. Races of one
/// block run in parallel, so each thread draws the block's masks into its own cache, under a
/// stamp it takes anew whenever it moves to another block (or, replaying or searching first,
/// another 64-trial word of it: loss_task_runner's block_key and word_key).
struct race_workspace {
  world_clock clock;
  world_clock back;                             // searches back from an asset (reach_back)
  edge_mask_cache<block_words> edges;
  std::uint64_t block_key = ~std::uint64_t{0};  // the block (or word) the cached masks belong to
  witness_workspace witness;
  std::vector<std::uint32_t> fallen;            // the nodes of the assets that fall in the event's world
  std::vector<std::uint32_t> mark, stack;       // the nodes on the ways to the lost assets (replaying: held)
  std::vector<std::uint32_t> position;          // recording: a node's index in the event's ways (where marked)
  std::uint32_t mark_stamp = 0;
  std::vector<race_way_node> held;              // replaying: the recorded ways still alive
  std::vector<char> alive;                      // replaying: by recorded way node
  std::vector<std::uint32_t> wanted;            // replaying: the lost assets' nodes no way holds any more

  /// The stamp of the masks of block (or word) `key` in a problem with `m` edge slots.
  std::uint32_t stamp_for(std::uint64_t key, std::size_t m) {
    edges.size_for(m);
    if (key != block_key) edges.next_stamp(), block_key = key;
    return edges.current_stamp();
  }

  /// A stamp for `mark` (by node, for a problem of n nodes) no node carries yet.
  std::uint32_t next_mark(std::size_t n) {
    if (mark.size() != n) mark.assign(n, 0), position.assign(n, 0), mark_stamp = 0;
    if (++mark_stamp == 0) std::fill(mark.begin(), mark.end(), 0), mark_stamp = 1;
    return mark_stamp;
  }
};

/// One task's years: their losses and sums (merged in task order for identical results).
struct loss_task {
  std::vector<double> year_loss;
  std::vector<yearly_sum> by_asset, by_threat;
  std::uint64_t events = 0;
  bool done = false;
};


/// Sets of edges a recorded run watches (loss_replay.hpp), as slots of each threat's problem:
/// [threat][set] -> slots.
using watched_slots = std::vector<std::vector<std::vector<std::size_t>>>;

/// What a recorded run keeps of one task, per threat k and event i (in the task's event order):
/// the assets the event lost (`lost_words` words of bits per event), the money it lost, and per
/// watched set j whether the event lost something a change to the set's edges could change
/// (touched[k][j], a bit per event): with a detection race, one of the set's edges is on the way to
/// a lost asset (record_race_touches); without, one is alive out of a node the event reached.
/// With a detection race, also the ways themselves (record_race_ways): event i's are
/// ways[k][way_begin[k][i] .. way_begin[k][i + 1]), or the single node `rerun_whole` when they
/// pass an AND gate.
struct loss_task_trace {
  static constexpr std::uint32_t rerun_whole = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::vector<std::uint64_t>> lost;
  std::vector<std::vector<double>> money;
  std::vector<std::vector<std::vector<std::uint64_t>>> touched;
  std::vector<std::vector<race_way_node>> ways;
  std::vector<std::vector<std::uint32_t>> way_begin;
  loss_task result;

  /// Threat k's event i's ways (see above).
  [[nodiscard]] std::span<const race_way_node> ways_of(std::size_t k, std::size_t i) const {
    return std::span<const race_way_node>(ways[k]).subspan(way_begin[k][i], way_begin[k][i + 1] - way_begin[k][i]);
  }
};

/// A replay's question: the sets whose edges changed (events touched by none keep the recorded
/// result) and the recorded tasks.
struct loss_replay_request {
  const std::vector<loss_task_trace>* recorded = nullptr;
  std::span<const std::size_t> sets{};
};

/// What a run prepares once: per threat, its compromise problem (entry points as sources, edges
/// scaled by its capability), its entry points' cumulative weights, its event counts; per asset,
/// its loss magnitude; and for the threats that race detection, their crossing times by slot of
/// the problem and each asset's id in it.
struct loss_setup {
  std::vector<compromise_problem> problems;
  std::vector<std::vector<double>> cumulative_weight;
  std::vector<poisson_rate_sampler> event_counts;
  std::vector<prepared_magnitude> magnitudes;
  std::vector<std::optional<prepared_distribution>> detection;
  std::vector<slot_hours> crossing;
  std::vector<std::vector<std::uint32_t>> asset_of;  ///< [threat][new id]: asset index, or max
  std::vector<race_guide> guides;  ///< [threat]: what guides its races' searches
  loss_copula copula;  ///< correlated assets' primary losses (empty: every asset independent)
  /// Races skip a block's simulation when at most one event in this many of the threat's last
  /// block kept an asset its entry leads to (update_search_first); 0: never. Only the time changes.
  std::size_t search_first_share = default_search_first_share;
};

template <class G, class ProbMap>
loss_setup prepare_loss(const G& g, const ProbMap& prob, const loss_model& model, const std::vector<char>& all_gates, bool parallel) {
  const std::size_t threats = model.threats.size(), assets = model.assets.size();
  std::vector<std::size_t> asset_vertices;
  for (const loss_asset& a : model.assets) asset_vertices.push_back(a.vertex);
  loss_setup s;
  s.cumulative_weight.resize(threats);
  for (std::size_t k = 0; k < threats; ++k) {
    const threat& th = model.threats[k];
    std::vector<vertex_t<G>> entries;
    double total = 0.0;
    for (const threat_entry& e : th.entry_points) {
      entries.push_back(static_cast<vertex_t<G>>(e.vertex));
      s.cumulative_weight[k].push_back(total += e.weight);
    }
    const double capability = th.capability;
    const auto scaled = boost::make_transform_value_property_map([capability](double p) { return p * capability; }, prob);
    s.problems.push_back(make_compromise_problem(g, entries, asset_vertices, scaled, all_gates, parallel));
    s.event_counts.emplace_back(th.frequency);
  }
  for (const loss_asset& a : model.assets) s.magnitudes.emplace_back(a.loss);
  s.copula = loss_copula(assets, model.correlations);
  s.detection.resize(threats);
  s.crossing.resize(threats);
  s.asset_of.resize(threats);
  s.guides.resize(threats);
  for (std::size_t k = 0; k < threats; ++k) {
    if (!model.threats[k].detect_hours) continue;
    s.detection[k].emplace(*model.threats[k].detect_hours);
    s.crossing[k] = slot_hours(s.problems[k], model.edge_hours);
    s.guides[k] = make_race_guide(s.problems[k], model.edge_hours, parallel);
    if (compromise_problem& c = s.problems[k]; c.in_begin.empty())  // the races search back from assets too
      reverse_arrays(c.n, c.out_begin, c.out_target, c.in_begin, c.in_source, c.in_slot);
    s.asset_of[k].assign(num_vertices(g), std::numeric_limits<std::uint32_t>::max());
    for (std::size_t a = 0; a < assets; ++a) s.asset_of[k][s.problems[k].target_ids[a]] = static_cast<std::uint32_t>(a);
  }
  return s;
}

/// One attack event of a threat: the year (within its task) and the entry point (new id).
struct loss_event {
  std::uint32_t year, entry;
};

/// Threat k's events over a task's `years`, in year order: a count per year from its frequency,
/// each from an entry point drawn by weight, on the stream (event_seed, year).
inline void draw_events(const loss_setup& s, const threat& th, std::size_t k, std::uint64_t event_seed, std::uint64_t years,
                        std::vector<loss_event>& events) {
  const std::vector<double>& weights = s.cumulative_weight[k];
  events.clear();
  for (std::uint64_t y = 0; y < years; ++y) {
    random_stream rs({.seed = event_seed, .block = static_cast<std::uint32_t>(y)});
    for (std::uint64_t j = s.event_counts[k](rs); j > 0; --j) {
      const double u = rs.uniform() * weights.back();
      const auto pick = std::upper_bound(weights.begin(), weights.end(), u) - weights.begin();
      const std::size_t entry = std::min<std::size_t>(static_cast<std::size_t>(pick), th.entry_points.size() - 1);
      events.push_back({static_cast<std::uint32_t>(y), s.problems[k].new_of[th.entry_points[entry].vertex]});
    }
  }
}

/// A task's years closed: each asset's loss capped per year, then each threat's share of every
/// capped loss in proportion to what it caused. `uncapped` is [year * assets + asset], `share`
/// [(threat * years + year) * assets + asset].
inline void close_task_years(const loss_model& model, std::uint64_t years, const std::vector<double>& uncapped,
                             const std::vector<double>& share, loss_task& out) {
  const std::size_t assets = model.assets.size(), threats = model.threats.size();
  out.year_loss.assign(years, 0.0);
  out.by_asset.assign(assets, {});
  out.by_threat.assign(threats, {});
  std::vector<double> threat_year(threats);
  for (std::uint64_t y = 0; y < years; ++y) {
    std::fill(threat_year.begin(), threat_year.end(), 0.0);
    for (std::size_t a = 0; a < assets; ++a) {
      const double raw = uncapped[y * assets + a];
      const auto& cap = model.assets[a].loss.annual_cap;
      const double kept = cap ? std::min(raw, *cap) : raw;
      out.year_loss[y] += kept;
      out.by_asset[a].add(kept);
      if (raw > 0.0)
        for (std::size_t k = 0; k < threats; ++k) threat_year[k] += kept * share[(k * years + y) * assets + a] / raw;
    }
    for (std::size_t k = 0; k < threats; ++k) out.by_threat[k].add(threat_year[k]);
  }
}

/// The random streams of one threat in one task of years, each keyed by seed, purpose, threat
/// and task.
struct loss_streams {
  std::uint64_t events, worlds, money, detection, crossing, copula;

  loss_streams(std::uint64_t seed, std::size_t k, std::uint64_t task)
      : events(derive_seed(seed, stream_purpose::loss_events, k, task)),
        worlds(derive_seed(seed, stream_purpose::loss_worlds, k, task)),
        money(derive_seed(seed, stream_purpose::loss_money, k, task)),
        detection(derive_seed(seed, stream_purpose::loss_detection, k, task)),
        crossing(derive_seed(seed, stream_purpose::loss_edge_crossings, k, task)),
        copula(derive_seed(seed, stream_purpose::loss_copula, k, task)) {}
};

/// Runs tasks of 1,024 years: per threat, its events in blocks of 256 worlds of the compromise
/// simulation, the detection race where the threat has one, and the money each fallen asset
/// loses. Every draw comes from a stream keyed by task, threat, event and asset, so a task's
/// result does not depend on the thread that runs it.
class loss_task_runner {
 public:
  static constexpr std::size_t per_block = 64 * block_words;

  /// With `watch`, the run records each task (`run(t, out, &trace)`); with `replay`, it runs on
  /// `problems` (the recorded run's, some edges lowered) and re-simulates only the events the
  /// changed sets touched.
  loss_task_runner(const loss_setup& s, const loss_model& model, const loss_options& o, std::uint64_t tasks, bool parallel,
                   const watched_slots* watch = nullptr, loss_replay_request replay = {},
                   const std::vector<compromise_problem>* problems = nullptr)
      : s_(s), problems_(problems != nullptr ? *problems : s.problems), model_(model), o_(o), tasks_(tasks), parallel_(parallel),
        watch_(watch), replay_(replay) {
    if (watch_ == nullptr) return;
    watch_sources_.resize(watch_->size());
    watched_.resize(watch_->size());
    slot_sets_.resize(watch_->size());
    for (std::size_t k = 0; k < watch_->size(); ++k) {
      watched_[k].assign(problems_[k].out_target.size(), 0);
      for (std::size_t j = 0; j < (*watch_)[k].size(); ++j) {
        watch_sources_[k].emplace_back();
        for (std::size_t slot : (*watch_)[k][j]) {
          watch_sources_[k].back().push_back(slot_source(problems_[k], slot));
          watched_[k][slot] = 1;
          slot_sets_[k].emplace_back(slot, static_cast<std::uint32_t>(j));
        }
      }
      std::sort(slot_sets_[k].begin(), slot_sets_[k].end());
    }
  }

  /// Task `t` (years 1,024 t onwards of this run) into `out`, recorded into `trace` when given.
  void run(std::uint64_t t, loss_task& out, loss_task_trace* trace = nullptr) const {
    if (replay_.recorded != nullptr && !touched_any(t)) {  // nothing changed in this task
      out = (*replay_.recorded)[t].result;
      if (trace != nullptr) *trace = (*replay_.recorded)[t];
      return;
    }
    const std::size_t assets = model_.assets.size(), threats = model_.threats.size();
    task_state x;
    x.years = std::min(loss_task_years, o_.years - t * loss_task_years);
    x.global_task = o_.first_year / loss_task_years + t;
    x.uncapped.assign(x.years * assets, 0.0);
    x.share.assign(threats * x.years * assets, 0.0);
    x.target_words.resize(block_words * assets);
    x.lost_words = (assets + 63) / 64;
    x.trace = trace;
    x.recorded = replay_.recorded != nullptr ? &(*replay_.recorded)[t] : nullptr;
    if (trace != nullptr)
      trace->lost.resize(threats), trace->money.resize(threats), trace->touched.resize(threats), trace->ways.resize(threats),
          trace->way_begin.resize(threats);
    for (std::size_t k = 0; k < threats; ++k) {
      const loss_streams seeds(o_.seed, k, x.global_task);
      draw_events(s_, model_.threats[k], k, seeds.events, x.years, x.events);
      out.events += x.events.size();
      if (trace != nullptr) {
        trace->lost[k].assign(x.events.size() * x.lost_words, 0);
        trace->money[k].assign(x.events.size(), 0.0);
        trace->touched[k].assign((*watch_)[k].size(), std::vector<std::uint64_t>((x.events.size() + 63) / 64, 0));
        trace->ways[k].clear();
        trace->way_begin[k].assign(1, 0);
      }
      x.search_first = false;
      for (std::size_t first = 0; first < x.events.size(); first += per_block) run_block(k, seeds, first, x);
    }
    close_task_years(model_, x.years, x.uncapped, x.share, out);
    out.done = true;
    if (trace != nullptr) trace->result = out;
  }

 private:
  /// One task's working memory.
  struct task_state {
    std::uint64_t years = 0, global_task = 0;
    std::vector<double> uncapped, share;  ///< see close_task_years
    std::vector<block_start> starts;
    std::vector<char> reached;  ///< [event in block * assets + asset]: reached before detection
    std::vector<std::uint64_t> target_words;
    std::vector<loss_event> events;
    std::vector<double> scores;  ///< the copula's normal scores of one event
    std::size_t lost_words = 0;  ///< words of asset bits per event in a trace
    std::vector<std::uint64_t> lane_sets;  ///< recording races: [event in block][set / 64], a bit per watched set
    std::vector<std::vector<race_way_node>> lane_ways;  ///< recording races: by event in block, its ways
    std::vector<char> unresolved;  ///< replaying races: by event in block, undecided by the first pass
    bool search_first = false;     ///< the current threat's races search before simulating the next block (update_search_first)
    loss_task_trace* trace = nullptr;            ///< recording: this task's trace
    const loss_task_trace* recorded = nullptr;   ///< replaying: the recorded task
  };

  /// Replaying: whether a changed set touched any event of task t.
  [[nodiscard]] bool touched_any(std::uint64_t t) const {
    for (const auto& by_set : (*replay_.recorded)[t].touched)
      for (std::size_t j : replay_.sets)
        for (std::uint64_t bits : by_set[j])
          if (bits != 0) return true;
    return false;
  }

  /// Replaying: the events of threat k's block at `first` that a changed set touched, by bit.
  void touched_lanes(const task_state& x, std::size_t k, std::size_t first, std::uint64_t (&lanes)[block_words]) const {
    for (std::size_t q = 0; q < block_words; ++q) {
      lanes[q] = 0;
      const std::size_t word = first / 64 + q;
      for (std::size_t j : replay_.sets)
        if (word < x.recorded->touched[k][j].size()) lanes[q] |= x.recorded->touched[k][j][word];
    }
  }

  /// Recording, for a threat without detection race: per watched set, the events of the block in
  /// which one of its edges was alive out of a node the event reached (`w` holds the block's
  /// worlds, not finished yet).
  void record_touches(std::size_t k, std::uint64_t seed, std::size_t first, const std::uint64_t (&valid)[block_words],
                      compromise_workspace& w, task_state& x) const {
    const compromise_problem& c = problems_[k];
    const std::uint64_t first_word = first / 64;  // = block · block_words: the masks' words
    for (std::size_t j = 0; j < (*watch_)[k].size(); ++j) {
      for (std::size_t n = 0; n < (*watch_)[k][j].size(); ++n) {
        const std::size_t slot = (*watch_)[k][j][n];
        const std::uint32_t source = watch_sources_[k][j][n];
        bool reached = false;
        for (std::size_t q = 0; q < block_words; ++q) reached |= w.nodes[source].state[q] != 0;
        if (!reached) continue;
        w.edges.collect(slot, slot + 1, w.edges.current_stamp(), [](std::size_t) { return true; });
        w.edges.draw(c, seed, first_word, valid);
        for (std::size_t q = 0; q < block_words; ++q)
          if (valid[q] != 0) x.trace->touched[k][j][first_word + q] |= w.nodes[source].state[q] & w.edges.mask(q, slot);
      }
    }
  }

  /// Recording, after the race of event i of the block: the watched sets with an edge on the way
  /// to an asset the event lost — the earliest delivery into each OR node, every in-edge of an AND
  /// node, back to the entry. Lowering any other edge leaves every lost asset's earliest time, and
  /// so the event's losses, as they were. Into x.lane_sets (a bit per set), merged into the trace
  /// in event order afterwards. After record_race_ways: the edges of its ways, unless they pass an
  /// AND gate.
  void record_race_touches(std::size_t k, race_workspace& race, std::size_t i, task_state& x) const {
    const compromise_problem& c = problems_[k];
    const std::size_t assets = model_.assets.size(), set_words = ((*watch_)[k].size() + 63) / 64;
    const auto on_way = [&](std::size_t slot) {
      if (watched_[k][slot] == 0) return;
      const auto [from, to] = std::equal_range(slot_sets_[k].begin(), slot_sets_[k].end(), std::pair<std::size_t, std::uint32_t>{slot, 0},
                                               [](const auto& l, const auto& r) { return l.first < r.first; });
      for (auto it = from; it != to; ++it) x.lane_sets[i * set_words + it->second / 64] |= std::uint64_t{1} << (it->second % 64);
    };
    if (const std::vector<race_way_node>& ways = x.lane_ways[i]; ways.empty() || ways.front().node != loss_task_trace::rerun_whole) {
      for (const race_way_node& way : ways) on_way(way.via);
      return;
    }
    const world_clock& clock = race.clock;
    const std::uint32_t mark = race.next_mark(c.n);
    std::vector<std::uint32_t>& stack = race.stack;
    stack.clear();
    for (std::size_t a = 0; a < assets; ++a)
      if (x.reached[i * assets + a] != 0) stack.push_back(c.target_ids[a]);
    while (!stack.empty()) {
      const std::uint32_t v = stack.back();
      stack.pop_back();
      if (race.mark[v] == mark || clock.start[v] == clock.stamp) continue;
      race.mark[v] = mark;
      if (!c.all_gates.empty() && c.all_gates[v] == gate_all) {
        for (std::size_t j = c.in_begin[v]; j < c.in_begin[v + 1]; ++j) on_way(c.in_slot[j]), stack.push_back(c.in_source[j]);
      } else {
        on_way(clock.via[v]);
        stack.push_back(slot_source(c, clock.via[v]));
      }
    }
  }

  /// Recording, after the race of event i of the block: the ways to the assets it lost, each lost
  /// asset's delivery as the race found it back to the entry (race_way_node), into x.lane_ways[i] — nodes
  /// before the nodes they lead to. A replay holds what is left of them once edges die
  /// (held_ways); ways through an AND gate (no single way proves it) are `rerun_whole`.
  void record_race_ways(std::size_t k, race_workspace& race, std::size_t i, task_state& x) const {
    const compromise_problem& c = problems_[k];
    const std::size_t assets = model_.assets.size();
    const world_clock& clock = race.clock;
    std::vector<race_way_node>& ways = x.lane_ways[i];
    ways.clear();
    const std::uint32_t mark = race.next_mark(c.n);
    std::vector<std::uint32_t>& chain = race.stack;
    for (std::size_t a = 0; a < assets; ++a) {
      if (x.reached[i * assets + a] == 0) continue;
      chain.clear();
      std::uint32_t v = c.target_ids[a];
      for (; clock.start[v] != clock.stamp && race.mark[v] != mark; v = slot_source(c, clock.via[v])) {
        if ((!c.all_gates.empty() && c.all_gates[v] != gate_any) || chain.size() == c.n) {
          ways.assign(1, {.node = loss_task_trace::rerun_whole});
          return;
        }
        chain.push_back(v);
      }
      std::uint32_t parent = clock.start[v] == clock.stamp ? race_way_node::from_entry : race.position[v];
      for (auto u = chain.rbegin(); u != chain.rend(); ++u) {
        const auto at = static_cast<std::uint32_t>(ways.size());
        ways.push_back({.node = *u, .via = clock.via[*u], .parent = parent, .time = clock.time[*u]});
        race.mark[*u] = mark, race.position[*u] = parent = at;
      }
    }
  }

  /// The key of the mask caches for block `block` of threat k in the current task.
  static std::uint64_t block_key(const task_state& x, std::size_t threats, std::size_t k, std::uint32_t block) {
    return (x.global_task * threats + k) * (std::uint64_t{1} << 24) + block;
  }

  /// The key of the mask caches for word q of the block of `block_key`: apart from every block key.
  static std::uint64_t word_key(std::uint64_t block_key, std::size_t q) {
    return (block_key * block_words + q) | (std::uint64_t{1} << 63);
  }

  /// Replaying a race: an event whose recorded ways all stay alive under the lowered
  /// probabilities has the same ways, so the same times and losses, as recorded: it leaves
  /// `changed`. Only an event with a dead edge on its ways is raced again.
  void keep_unbroken_ways(std::size_t k, std::uint64_t seed, std::size_t first, std::uint64_t (&changed)[block_words],
                          task_state& x) const {
    const compromise_problem& c = problems_[k];
    race_workspace& race = races_.local();
    const auto block = static_cast<std::uint32_t>(first / per_block);
    const std::uint64_t key = block_key(x, model_.threats.size(), k, block);
    for (std::size_t q = 0; q < block_words; ++q) {
      if (changed[q] == 0) continue;
      const std::uint32_t stamp = race.stamp_for(word_key(key, q), c.out_target.size());
      std::uint64_t word_only[block_words] = {};
      word_only[q] = changed[q];
      for (std::uint64_t bits = changed[q]; bits != 0; bits &= bits - 1)
        for (const race_way_node& way : x.recorded->ways_of(k, first + q * 64 + static_cast<std::size_t>(std::countr_zero(bits))))
          if (way.node != loss_task_trace::rerun_whole) race.edges.collect(way.via, way.via + 1, stamp, [](std::size_t) { return true; });
      race.edges.draw(c, seed, std::uint64_t{block} * block_words, word_only);
      for (std::uint64_t bits = changed[q]; bits != 0; bits &= bits - 1) {
        const auto bit = static_cast<std::size_t>(std::countr_zero(bits));
        const bool broken = std::ranges::any_of(x.recorded->ways_of(k, first + q * 64 + bit), [&](const race_way_node& way) {
          return way.node == loss_task_trace::rerun_whole || ((race.edges.mask(q, way.via) >> bit) & 1u) == 0;
        });
        if (!broken) changed[q] &= ~(std::uint64_t{1} << bit);
      }
    }
  }

  /// Replaying the race of event i (bit `bit` of word `word`), broken somewhere: the recorded
  /// ways' nodes still held — their edge alive and the node they come from held — into
  /// race.held, and the lost assets no longer held into race.wanted (all of race.fallen when the
  /// ways are `rerun_whole`). Masks in `edges` under `stamp`, of word `word` only. Returns the
  /// race.mark stamp of the held nodes, 0 when none is held.
  std::uint32_t held_ways(std::size_t k, race_workspace& race, edge_mask_cache<block_words>& edges, std::uint32_t stamp, std::uint64_t seed,
                 std::uint64_t first_word, const std::uint64_t (&word_only)[block_words], std::size_t word, std::size_t bit,
                 std::span<const race_way_node> ways) const {
    const compromise_problem& c = problems_[k];
    race.held.clear();
    race.wanted.assign(race.fallen.begin(), race.fallen.end());
    if (!ways.empty() && ways.front().node == loss_task_trace::rerun_whole) return 0;
    for (const race_way_node& way : ways) edges.collect(way.via, way.via + 1, stamp, [](std::size_t) { return true; });
    edges.draw(c, seed, first_word, word_only);
    race.alive.assign(ways.size(), 0);
    const std::uint32_t mark = race.next_mark(c.n);
    for (std::size_t j = 0; j < ways.size(); ++j) {
      const race_way_node& way = ways[j];
      race.alive[j] = ((edges.mask(word, way.via) >> bit) & 1u) != 0 && (way.parent == race_way_node::from_entry || race.alive[way.parent] != 0);
      if (race.alive[j] != 0) race.held.push_back(way), race.mark[way.node] = mark;
    }
    std::erase_if(race.wanted, [&](std::uint32_t v) { return race.mark[v] == mark; });
    return race.held.empty() ? 0 : mark;
  }

  /// Replaying the race of event i (bit `bit` of word `word`) after held_ways, which marked the
  /// held nodes with `held_mark` (0: none): the lost assets in race.wanted that no live edge leads
  /// to any more from the entry or a held node (cut_off) fall at no time in this world; they leave
  /// race.wanted and race.fallen unsearched.
  static void drop_cut_off(race_workspace& race, edge_mask_cache<block_words>& edges, std::uint32_t stamp, const compromise_problem& c,
                           std::uint64_t seed, std::uint64_t first_word, const std::uint64_t (&word_only)[block_words], std::size_t word,
                           std::size_t bit, std::uint32_t entry, std::uint32_t held_mark) {
    const auto held = [&](std::uint32_t v) { return v == entry || (held_mark != 0 && race.mark[v] == held_mark); };
    std::erase_if(race.wanted, [&](std::uint32_t v) {
      const bool cut = cut_off(c, race.clock, race.stack, edges, stamp, seed, first_word, word_only, word, bit, v, held, cut_off_budget);
      if (cut) std::erase(race.fallen, v);
      return cut;
    });
  }

  /// The node an edge slot leaves (its owner in out_begin).
  [[nodiscard]] static std::uint32_t slot_source(const compromise_problem& c, std::size_t slot) {
    return static_cast<std::uint32_t>(std::upper_bound(c.out_begin.begin(), c.out_begin.end(), slot) - c.out_begin.begin() - 1);
  }

  /// Whether asset `a` fell in the world of event `i` of the block (simulate_block's target words).
  static bool fell_in(const task_state& x, std::size_t assets, std::size_t i, std::size_t a) {
    return ((x.target_words[(i / 64) * assets + a] >> (i % 64)) & 1u) != 0;
  }

  /// Whether the guide leads from entry `v` (new id) of threat k to asset `a` at all.
  [[nodiscard]] bool leads_to(std::size_t k, std::uint32_t v, std::size_t a) const {
    return s_.guides[k].row(v)[a] < std::numeric_limits<float>::infinity();
  }

  /// After a raced block, whether threat k's races search first in the next, without simulating
  /// its worlds: when all but one in s_.search_first_share of the block's events lost every asset
  /// their entry leads to. Then nearly every race finds its ways from the entry, and the worlds
  /// of the block — on an enterprise twin whose entry reaches everything, as long to simulate
  /// as the races take — would only tell that every asset falls. Where assets often do not fall
  /// or fall late, the searches for them fail and the exact search runs, slower than the
  /// simulation that rules them out. Either way each event's losses are the same; only the time
  /// changes.
  void update_search_first(std::size_t k, std::size_t first, std::size_t count, task_state& x) const {
    if (s_.guides[k].empty() || s_.search_first_share == 0) return;
    const std::size_t assets = model_.assets.size();
    std::size_t kept = 0;  // events that did not lose everything their entry leads to
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t a = 0; a < assets; ++a)
        if (leads_to(k, x.events[first + i].entry, a) && x.reached[i * assets + a] == 0) {
          ++kept;
          break;
        }
    x.search_first = kept * s_.search_first_share <= count;
  }

  /// Events [first, first + 256) of threat k: their worlds, who fell (before detection), the losses.
  /// Replaying, only the events a changed set touched are simulated (the others' worlds are
  /// those of the recording): none at all in most blocks.
  void run_block(std::size_t k, const loss_streams& seeds, std::size_t first, task_state& x) const {
    const std::size_t assets = model_.assets.size();
    const std::size_t count = std::min(per_block, x.events.size() - first);
    std::uint64_t changed[block_words] = {};
    const bool replaying = x.recorded != nullptr;
    const bool race = s_.detection[k].has_value();
    if (replaying) touched_lanes(x, k, first, changed);
    if (replaying && race) keep_unbroken_ways(k, seeds.worlds, first, changed, x);
    const auto again = [&](std::size_t i) { return !replaying || ((changed[i / 64] >> (i % 64)) & 1u) != 0; };
    const auto recorded_lost = [&x, k, first](std::size_t i, std::size_t a) {
      return ((x.recorded->lost[k][(first + i) * x.lost_words + a / 64] >> (a % 64)) & 1u) != 0;
    };
    if (replaying && x.trace != nullptr) copy_recorded_touches(k, first, changed, x);  // the events kept as recorded
    if (replaying && std::all_of(std::begin(changed), std::end(changed), [](std::uint64_t b) { return b == 0; })) {
      add_losses(k, seeds, first, count, recorded_lost, x);
      if (x.trace != nullptr && race)
        for (std::size_t i = 0; i < count; ++i) append_ways(k, x.recorded->ways_of(k, first + i), x);
      return;
    }
    std::uint64_t valid[block_words] = {};
    for (std::size_t i = 0; i < count; ++i)
      if (again(i)) valid[i / 64] |= std::uint64_t{1} << (i % 64);
    const auto block = static_cast<std::uint32_t>(first / per_block);
    const std::size_t set_words = x.trace != nullptr && race ? ((*watch_)[k].size() + 63) / 64 : 0;
    if (race) x.reached.assign(count * assets, 0), x.lane_sets.assign(count * set_words, 0);
    if (race && x.trace != nullptr) x.lane_ways.resize(count);
    compromise_workspace& w = workspaces_.local();
    if (race && replaying) {
      // An event raced again can lose only what it lost when recorded (fewer live edges, no
      // earlier times). First, without simulating the block: an asset no live edge leads to any
      // more is dropped (cut_off), a guided search from what is left of the recorded ways looks
      // for the others, and searches back from each asset it missed (reach_back) settle the
      // rest. Only the events left undecided get their worlds simulated and the whole race.
      x.unresolved.assign(count, 0);
      race_detection(k, seeds, first, count, block, valid, w, x, recorded_lost, true);
      std::uint64_t rest[block_words] = {};
      for (std::size_t i = 0; i < count; ++i)
        if (x.unresolved[i] != 0) rest[i / 64] |= std::uint64_t{1} << (i % 64);
      if (std::any_of(std::begin(rest), std::end(rest), [](std::uint64_t b) { return b != 0; })) {
        simulate_block_worlds(k, seeds, first, count, block, rest, w, x);
        race_detection(k, seeds, first, count, block, rest, w, x,
                       [&](std::size_t i, std::size_t a) { return recorded_lost(i, a) && fell_in(x, assets, i, a); });
      }
    } else if (race && x.search_first) {  // see update_search_first; the races draw their masks
      race_detection(k, seeds, first, count, block, valid, w, x,
                     [&](std::size_t i, std::size_t a) { return leads_to(k, x.events[first + i].entry, a); });
    } else {
      simulate_block_worlds(k, seeds, first, count, block, valid, w, x);
      if (race)
        race_detection(k, seeds, first, count, block, valid, w, x, [&](std::size_t i, std::size_t a) { return fell_in(x, assets, i, a); });
    }
    if (race && !replaying) update_search_first(k, first, count, x);
    if (race) {
      for (std::size_t i = 0; i < count && set_words > 0; ++i)  // in event order
        for (std::size_t j = 0; j < (*watch_)[k].size(); ++j)
          if (((x.lane_sets[i * set_words + j / 64] >> (j % 64)) & 1u) != 0)
            x.trace->touched[k][j][(first + i) / 64] |= std::uint64_t{1} << ((first + i) % 64);
      for (std::size_t i = 0; i < count && x.trace != nullptr; ++i)
        append_ways(k, again(i) ? std::span<const race_way_node>(x.lane_ways[i]) : x.recorded->ways_of(k, first + i), x);
      for (std::size_t i = 0; i < count; ++i)
        if (!again(i))
          for (std::size_t a = 0; a < assets; ++a) x.reached[i * assets + a] = recorded_lost(i, a) ? 1 : 0;
      add_losses(k, seeds, first, count, [&x, assets](std::size_t i, std::size_t a) { return x.reached[i * assets + a] != 0; }, x);
    } else {
      add_losses(
          k, seeds, first, count,
          [&](std::size_t i, std::size_t a) { return again(i) ? fell_in(x, assets, i, a) : recorded_lost(i, a); }, x);
    }
    if (x.trace != nullptr) forget_lossless_touches(k, first, count, x);
  }

  /// The worlds of the block's events in `valid` (each from its entry point), recording the
  /// touches of a race-free threat; who fell into x.target_words.
  void simulate_block_worlds(std::size_t k, const loss_streams& seeds, std::size_t first, std::size_t count, std::uint32_t block,
                             const std::uint64_t (&valid)[block_words], compromise_workspace& w, task_state& x) const {
    x.starts.clear();
    for (std::size_t i = 0; i < count; ++i) {
      if (((valid[i / 64] >> (i % 64)) & 1u) == 0) continue;
      const std::uint32_t v = x.events[first + i].entry;
      auto start = std::find_if(x.starts.begin(), x.starts.end(), [v](const block_start& b) { return b.vertex == v; });
      if (start == x.starts.end()) start = x.starts.insert(x.starts.end(), block_start{v, {}});
      start->trials[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    block_simulation run(problems_[k], seeds.worlds, block, valid, w);
    run.start(&x.starts);
    run.spread();
    if (x.trace != nullptr && !s_.detection[k]) record_touches(k, seeds.worlds, first, valid, w, x);
    run.finish(x.target_words.data());
  }

  /// Recording: the next event's ways (in event order).
  static void append_ways(std::size_t k, std::span<const race_way_node> ways, task_state& x) {
    x.trace->ways[k].insert(x.trace->ways[k].end(), ways.begin(), ways.end());
    x.trace->way_begin[k].push_back(static_cast<std::uint32_t>(x.trace->ways[k].size()));
  }

  /// Recording a replay: the recorded touches of the block's events, but those in `changed`.
  void copy_recorded_touches(std::size_t k, std::size_t first, const std::uint64_t* changed, task_state& x) const {
    for (std::size_t j = 0; j < x.trace->touched[k].size(); ++j) {
      const std::vector<std::uint64_t>& from = x.recorded->touched[k][j];
      std::vector<std::uint64_t>& to = x.trace->touched[k][j];
      for (std::size_t q = 0; q < block_words && first / 64 + q < to.size(); ++q)
        to[first / 64 + q] |= from[first / 64 + q] & (changed != nullptr ? ~changed[q] : ~std::uint64_t{0});
    }
  }

  /// Recording: an event that lost nothing cannot lose more once edges are lowered — no set
  /// touches it.
  void forget_lossless_touches(std::size_t k, std::size_t first, std::size_t count, task_state& x) const {
    for (std::size_t i = first; i < first + count; ++i) {
      bool lost = false;
      for (std::size_t q = 0; q < x.lost_words; ++q) lost |= x.trace->lost[k][i * x.lost_words + q] != 0;
      if (lost) continue;
      for (auto& set : x.trace->touched[k]) set[i / 64] &= ~(std::uint64_t{1} << (i % 64));
    }
  }

  /// Which of the assets event i `could_lose(i, a)` (those that fell in its world, or that its
  /// entry leads to at all when no block simulation ran) fell before
  /// detection, into `x.reached`: first a guided search for live paths reaching them all by then
  /// (race_witness.hpp), then searches back from the assets it missed, else the exact
  /// earliest-time search — or, in a `first_pass` (no block simulation ran), the event is marked
  /// in x.unresolved for a second pass that simulates its world. Each is a pure function of the
  /// event's lane, so the sums after it (in event order) do not depend on who ran it. With few
  /// tasks, the events of a block run in parallel, each thread drawing the block's masks into its
  /// own cache; otherwise in order, on simulate_block's masks. Replaying or searching first (no
  /// block simulation), each race draws its own 64-trial word's masks only.
  template <class CouldLose>
  void race_detection(std::size_t k, const loss_streams& seeds, std::size_t first, std::size_t count, std::uint32_t block,
                      const std::uint64_t (&valid)[block_words], compromise_workspace& w, task_state& x,
                      const CouldLose& could_lose, bool first_pass = false) const {
    const std::size_t assets = model_.assets.size();
    const compromise_problem& c = problems_[k];
    const std::uint64_t key = block_key(x, model_.threats.size(), k, block);
    const bool lanes_in_parallel = parallel_ && tasks_ < loss_round_tasks, replaying = x.recorded != nullptr;
    for_each_index(lanes_in_parallel, std::size_t{0}, count, [&](std::size_t i) {
      if (((valid[i / 64] >> (i % 64)) & 1u) == 0) return;  // replaying: kept as recorded
      race_workspace& race = races_.local();
      if (x.trace != nullptr) x.lane_ways[i].clear();
      race.fallen.clear();
      for (std::size_t a = 0; a < assets; ++a)
        if (could_lose(i, a)) race.fallen.push_back(c.target_ids[a]);
      if (race.fallen.empty()) return;
      const auto event_index = static_cast<std::uint32_t>(first + i);
      random_stream rs({.seed = seeds.detection, .block = event_index});
      const double detected = (*s_.detection[k])(rs);
      race.clock.size_for(c.n);
      // Replaying or searching first, no block simulation drew masks: the race draws its own
      // word's only (the block's other races mostly need other edges).
      const bool own_word = replaying || x.search_first;
      std::uint64_t word_only[block_words] = {};
      word_only[i / 64] = valid[i / 64];
      const std::uint64_t (&draw)[block_words] = own_word ? word_only : valid;
      const std::uint32_t stamp = own_word            ? race.stamp_for(word_key(key, i / 64), c.out_target.size())
                                  : lanes_in_parallel ? race.stamp_for(key, c.out_target.size())
                                                      : w.edges.current_stamp();
      edge_mask_cache<block_words>& edges = own_word || lanes_in_parallel ? race.edges : w.edges;
      const std::uint32_t entry = x.events[first + i].entry;
      const std::uint64_t first_word = std::uint64_t{block} * block_words;
      const auto cross = [&](std::size_t slot) { return s_.crossing[k](c, slot, seeds.crossing, event_index); };
      // Replaying, the search starts from what is left of the recorded ways too, for the lost
      // assets they no longer reach.
      const std::uint32_t held_mark =
          replaying ? held_ways(k, race, edges, stamp, seeds.worlds, first_word, word_only, i / 64, i % 64, x.recorded->ways_of(k, first + i))
                    : 0;
      if (replaying && first_pass) drop_cut_off(race, edges, stamp, c, seeds.worlds, first_word, word_only, i / 64, i % 64, entry, held_mark);
      witness_outcome outcome = find_witness_paths(
          c, s_.guides[k], s_.asset_of[k], race.clock, race.witness, edges, stamp, seeds.worlds, first_word, draw, i / 64, i % 64, entry,
          replaying ? race.wanted : race.fallen, detected, cross,
          {.held = replaying ? std::span<const race_way_node>(race.held) : std::span<const race_way_node>{},
           .budget_per_target = first_pass ? repair_budget_per_target(c.n) : witness_budget_per_target,
           .walk_fans = watch_ == nullptr});
      if (outcome == witness_outcome::gave_up && c.all_gates.empty()) {  // the assets not reached yet: searched for back from each
        race.back.size_for(c.n);
        bool decided = true;
        std::erase_if(race.witness.wanted, [&](std::uint32_t v) {
          const reach_outcome r = !decided ? reach_outcome::gave_up
                                           : reach_back(c, race.clock, race.back, edges, stamp, seeds.worlds, first_word, draw, i / 64,
                                                        i % 64, v, detected, cross, reach_back_budget(c.n));
          decided = r != reach_outcome::gave_up;
          return r == reach_outcome::lost;
        });
        if (decided) outcome = witness_outcome::unreachable;
      }
      if (outcome != witness_outcome::gave_up) {  // every asset it did not reach is proved safe
        const std::vector<std::uint32_t>& safe = race.witness.wanted;
        for (std::uint32_t v : race.fallen)
          if (std::find(safe.begin(), safe.end(), v) == safe.end()) x.reached[i * assets + s_.asset_of[k][v]] = 1;
      } else if (first_pass) {
        x.unresolved[i] = 1;
        return;
      } else {
        // The exact search stops at detection or once every asset that falls in this world has.
        std::size_t fallen = race.fallen.size();
        earliest_times(c, race.clock, edges, stamp, seeds.worlds, first_word, draw, i / 64, i % 64,
                       std::span<const std::uint32_t>(&entry, 1), detected, cross, [&](std::uint32_t u, double) {
                         const std::uint32_t asset = s_.asset_of[k][u];
                         if (asset == std::numeric_limits<std::uint32_t>::max()) return true;
                         x.reached[i * assets + asset] = 1;
                         return --fallen > 0;
                       });
      }
      if (x.trace != nullptr) record_race_ways(k, race, i, x), record_race_touches(k, race, i, x);
    });
  }

  /// Every asset that event i of the block lost (`lost(i, a)`) draws its magnitude — the
  /// correlated assets' primary parts jointly, by the copula — into its year and threat k's share.
  template <class Lost>
  void add_losses(std::size_t k, const loss_streams& seeds, std::size_t first, std::size_t count, const Lost& lost, task_state& x) const {
    const std::size_t assets = model_.assets.size();
    for (std::size_t i = 0; i < count; ++i) {
      const auto event_index = static_cast<std::uint32_t>(first + i);
      const std::size_t y = x.events[first + i].year;
      bool scored = false;
      for (std::size_t a = 0; a < assets; ++a) {
        if (!lost(i, a)) continue;
        random_stream rs({.seed = seeds.money, .block = event_index, .lane = static_cast<std::uint32_t>(a)});
        double loss = 0.0;
        if (const std::size_t at = s_.copula.position(a); at != loss_copula::npos) {
          if (!scored) {
            random_stream cs({.seed = seeds.copula, .block = event_index});
            s_.copula.draw(cs, x.scores);
            scored = true;
          }
          loss = s_.magnitudes[a].with_primary(value_at_normal_score(s_.magnitudes[a].primary(), x.scores[at]), rs);
        } else {
          loss = s_.magnitudes[a](rs);
        }
        x.uncapped[y * assets + a] += loss;
        x.share[(k * x.years + y) * assets + a] += loss;
        if (x.trace != nullptr) {
          x.trace->lost[k][(first + i) * x.lost_words + a / 64] |= std::uint64_t{1} << (a % 64);
          x.trace->money[k][first + i] += loss;
        }
      }
    }
  }

  const loss_setup& s_;
  const std::vector<compromise_problem>& problems_;
  const loss_model& model_;
  const loss_options& o_;
  std::uint64_t tasks_;
  bool parallel_;
  const watched_slots* watch_;
  std::vector<std::vector<std::vector<std::uint32_t>>> watch_sources_;  // [threat][set]: each watched slot's source
  std::vector<std::vector<char>> watched_;                              // [threat][slot]: watched by some set
  std::vector<std::vector<std::pair<std::size_t, std::uint32_t>>> slot_sets_;  // [threat]: (slot, set), sorted
  loss_replay_request replay_;
  mutable tbb::enumerable_thread_specific<compromise_workspace> workspaces_;
  mutable tbb::enumerable_thread_specific<race_workspace> races_;
};

/// An empty result of `model`: currency, seed, ids, sums at zero.
inline annual_losses empty_losses(const loss_model& model, std::uint64_t seed) {
  annual_losses r;
  r.currency = model.currency;
  r.seed = seed;
  for (const loss_asset& a : model.assets) r.asset_ids.push_back(a.id);
  for (const threat& th : model.threats) r.threat_ids.push_back(th.id);
  r.by_asset.assign(model.assets.size(), {});
  r.by_threat.assign(model.threats.size(), {});
  return r;
}

/// Runs the tasks of `options.years` with `runner` in rounds of 16 — early stopping looks only at
/// whole rounds, in order, so it stops at the same year for every thread count — and merges them
/// into `r` in task order; with `traces`, records each task there.
inline void run_loss_tasks(const loss_task_runner& runner, const loss_options& options, bool parallel, annual_losses& r,
                           std::vector<loss_task_trace>* traces = nullptr) {
  const std::uint64_t tasks = loss_task_count(options.years);
  std::vector<loss_task> results(tasks);
  if (traces != nullptr) traces->assign(tasks, {});
  if (options.progress != nullptr) options.progress->total = options.years;
  auto run_task = [&](std::uint64_t t) {
    if (options.cancel != nullptr && options.cancel->cancelled()) return;
    runner.run(t, results[t], traces != nullptr ? &(*traces)[t] : nullptr);
    if (options.progress != nullptr) options.progress->done += results[t].year_loss.size();
  };
  std::uint64_t finished = 0, years_so_far = 0;
  yearly_sum so_far;
  for (std::uint64_t round = 0; round * loss_round_tasks < tasks; ++round) {
    const std::uint64_t begin = round * loss_round_tasks, end = std::min(tasks, begin + loss_round_tasks);
    for_each_index(parallel, begin, end, run_task);
    finished = end;
    if (options.target_rse > 0.0) {
      for (std::uint64_t t = begin; t < end; ++t)
        for (double x : results[t].year_loss) so_far.add(x), ++years_so_far;
      const double mean = so_far.mean(years_so_far);
      if (mean > 0.0 && so_far.standard_error(years_so_far) / mean < options.target_rse) break;
    }
    if (options.cancel != nullptr && options.cancel->cancelled()) {
      r.cancelled = finished < tasks;  // stopped between rounds: the later years never ran
      break;
    }
  }
  for (std::uint64_t t = 0; t < finished; ++t) {
    const loss_task& task = results[t];
    if (!task.done) {
      r.cancelled = true;
      continue;
    }
    r.by_year.insert(r.by_year.end(), task.year_loss.begin(), task.year_loss.end());
    for (std::size_t a = 0; a < r.by_asset.size(); ++a) r.by_asset[a].add(task.by_asset[a]);
    for (std::size_t k = 0; k < r.by_threat.size(); ++k) r.by_threat[k].add(task.by_threat[k]);
    r.events += task.events;
  }
  if (traces != nullptr) traces->resize(finished);
}

}  // namespace detail

/// Simulates `options.years` years of losses on graph `g` with base edge probabilities `prob`.
/// Complexity: O(years · Σ threats rate · (E_reached / 256 + assets)) plus a Dijkstra-free world
/// per 256 events. Throws: input_error on invalid distributions, capabilities or weights (with a
/// pointer into the model), model_error on bad vertices, a first_year not a multiple of 1,024,
/// or more than max_simulated_years years.
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
annual_losses simulate_loss(const G& g, const ProbMap& prob, const loss_model& model, const loss_options& options = {},
                            Exec exec = {}) {
  detail::check_loss_run(model, num_vertices(g), num_edges(g), options);
  annual_losses r = detail::empty_losses(model, options.seed);
  const std::uint64_t tasks = detail::loss_task_count(options.years);
  detail::run_with(exec, [&] {
    const detail::loss_setup setup = detail::prepare_loss(g, prob, model, options.all_gates, detail::is_parallel<Exec>);
    const detail::loss_task_runner runner(setup, model, options, tasks, detail::is_parallel<Exec>);
    detail::run_loss_tasks(runner, options, detail::is_parallel<Exec>, r);
  });
  return r;
}

}  // namespace twinrisk
