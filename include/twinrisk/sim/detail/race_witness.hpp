#pragma once
/// A shortcut for detection races: an asset is lost when some live path reaches it before
/// detection, and any such path proves it — the earliest time is at most the path's. A search
/// guided towards the assets (by each node's shortest guide length to each asset: typical
/// crossing times over edge probabilities) usually finds such paths for every fallen asset after
/// a few dozen to a few hundred nodes, where the exact earliest-time search settles everything
/// that falls before the last of them. When the guided search gives up, a search back from each
/// asset it missed (`reach_back`) meets a node the attacker holds, or proves the asset safe, and
/// only when that gives up too does the race run the exact search forward from the entry: the
/// lost assets are the same every way (ties within rounding are left to the exact search).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "twinrisk/detail/indexed_heap.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/detail/search_graph.hpp"
#include "twinrisk/model/scenario.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

namespace twinrisk::detail {

/// A typical crossing time of a distribution (the median of a lognormal, the middle of the
/// others): only a guide for the order of the search, never part of a result.
[[nodiscard]] inline double typical_hours(const distribution_spec& d) {
  switch (d.family) {
    case distribution_family::constant: return d.a;
    case distribution_family::lognormal: return std::sqrt(d.a * d.c);
    default: return 0.5 * (d.a + d.c);
  }
}

/// Most guide entries (targets × nodes) a problem keeps: 2^24 floats, 64 MiB. Past that the
/// races run the exact search only.
inline constexpr std::size_t max_guide_entries = std::size_t{1} << 24;

/// How far each edge seems in the guide: its typical crossing time (plus six minutes, so that
/// instant edges still count) over its probability — an edge that is rarely live is a poor
/// way to try first.
[[nodiscard]] inline double guide_length(const distribution_spec& hours, std::uint64_t threshold) {
  const double p = threshold == ~std::uint64_t{0} ? 1.0 : static_cast<double>(threshold) * 0x1.0p-64;
  return (typical_hours(hours) + 0.1) / std::max(p, 1e-9);
}

/// [new id * targets + target]: the shortest guide length (see guide_length) from each node to
/// each target of `c` (infinity where no edge leads there); a node's entries side by side, as
/// the search reads them. One reverse Dijkstra per target, in parallel when `parallel` (call it
/// inside the run's arena). Empty when there would be more than max_guide_entries.
[[nodiscard]] inline std::vector<float> guide_times(const compromise_problem& c, const std::vector<distribution_spec>& hours,
                                                    bool parallel) {
  const std::size_t n = c.n, m = c.out_target.size(), targets = c.target_ids.size();
  if (targets == 0 || targets > max_guide_entries / std::max<std::size_t>(n, 1)) return {};
  std::vector<std::size_t> own_begin, own_slot;  // in-edges: the problem's own (with AND gates), else built here
  std::vector<std::uint32_t> own_source;
  if (c.in_begin.empty()) reverse_arrays(n, c.out_begin, c.out_target, own_begin, own_source, own_slot);
  const std::vector<std::size_t>& begin = c.in_begin.empty() ? own_begin : c.in_begin;
  const std::vector<std::uint32_t>& source = c.in_begin.empty() ? own_source : c.in_source;
  const std::vector<std::size_t>& slot = c.in_begin.empty() ? own_slot : c.in_slot;
  std::vector<float> length(m);  // by in-edge
  for (std::size_t j = 0; j < m; ++j) length[j] = static_cast<float>(guide_length(hours[c.lane[slot[j]]], c.threshold[slot[j]]));
  std::vector<float> out(n * targets);
  for_each_index(parallel, std::size_t{0}, targets, [&](std::size_t a) {
    std::vector<double> time(n, std::numeric_limits<double>::infinity());
    indexed_min_heap heap(n, time);
    time[c.target_ids[a]] = 0.0;
    heap.push_or_decrease(c.target_ids[a]);
    while (!heap.empty()) {
      const std::uint32_t v = heap.pop();
      for (std::size_t j = begin[v]; j < begin[v + 1]; ++j)
        if (time[v] + length[j] < time[source[j]]) time[source[j]] = time[v] + length[j], heap.push_or_decrease(source[j]);
    }
    for (std::size_t v = 0; v < n; ++v)  // a finite length stays finite: infinity means "no way there"
      out[v * targets + a] = time[v] < std::numeric_limits<double>::infinity()
                                 ? static_cast<float>(std::min<double>(time[v], std::numeric_limits<float>::max()))
                                 : std::numeric_limits<float>::infinity();
  });
  return out;
}

/// How much more the guide weighs than the time so far: a greedier search expands fewer nodes
/// and still finds paths well within most detection times (any such path will do).
inline constexpr double witness_greed = 3.0;

/// Out-degree from which the guided search walks a node's out-edges in guide order, a batch at a
/// time, instead of trying them all at once: an entry point exposed to half of a 100,000-node
/// twin has some 50,000, of which the search needs a few dozen (all at once, they were 96% of
/// the edges it tried).
inline constexpr std::size_t wide_fan_out = 64;

/// Out-edges of a wide node the guided search tries at a time.
inline constexpr std::size_t fan_batch = 32;

/// The fans of one problem: for the nodes of more than a given out-degree (wide_fan_out), their
/// out-edge slots that lead towards some target, by `key`, least first: the edge's typical
/// crossing time plus witness_greed times the guide from its head to the nearest target — the
/// least priority the search could give the head, were the crossing typical.
struct race_fans {
  static constexpr std::uint32_t narrow = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> of{};   // by new id: its index in begin, or narrow
  std::vector<std::size_t> begin{};  // fan i is slot[begin[i] .. begin[i + 1])
  std::vector<std::uint32_t> slot{};
  std::vector<float> key{};
  std::size_t batch = fan_batch;     // a fan's out-edges tried at a time
};

/// What guides the detection races' searches in one problem: `times` (guide_times) and the fans.
struct race_guide {
  std::vector<float> times{};
  std::size_t targets = 0;  // entries per node in `times`
  race_fans fans{};

  /// No guide (too many targets × nodes): the races run the exact search.
  [[nodiscard]] bool empty() const noexcept { return times.empty(); }

  /// Node v's guide to each target, by the target's column.
  [[nodiscard]] const float* row(std::uint32_t v) const noexcept { return times.data() + std::size_t{v} * targets; }
};

/// The fans of problem `c` guided by `g`'s times (see race_fans): nodes of more than `wide`
/// out-edges get one.
[[nodiscard]] inline race_fans make_race_fans(const compromise_problem& c, const race_guide& g,
                                              const std::vector<distribution_spec>& hours, std::size_t wide = wide_fan_out) {
  race_fans f;
  if (g.empty()) return f;
  const auto ahead = [&](std::uint32_t v) { return *std::min_element(g.row(v), g.row(v) + g.targets); };
  f.of.assign(c.n, race_fans::narrow);
  f.begin.push_back(0);
  std::vector<std::pair<float, std::uint32_t>> order;
  for (std::size_t u = 0; u < c.n; ++u) {
    if (c.out_begin[u + 1] - c.out_begin[u] <= wide) continue;
    order.clear();
    for (std::size_t i = c.out_begin[u]; i < c.out_begin[u + 1]; ++i)
      if (const float a = ahead(c.out_target[i]); a < std::numeric_limits<float>::infinity())
        order.emplace_back(static_cast<float>(std::min<double>(typical_hours(hours[c.lane[i]]) + witness_greed * a, std::numeric_limits<float>::max())),
                           static_cast<std::uint32_t>(i));
    std::sort(order.begin(), order.end());
    f.of[u] = static_cast<std::uint32_t>(f.begin.size() - 1);
    for (const auto& [key, slot] : order) f.key.push_back(key), f.slot.push_back(slot);
    f.begin.push_back(f.slot.size());
  }
  return f;
}

/// The guide of problem `c` (see race_guide); nodes of more than `wide` out-edges get a fan.
[[nodiscard]] inline race_guide make_race_guide(const compromise_problem& c, const std::vector<distribution_spec>& hours, bool parallel,
                                                std::size_t wide = wide_fan_out) {
  race_guide g;
  g.times = guide_times(c, hours, parallel);
  g.targets = c.target_ids.size();
  g.fans = make_race_fans(c, g, hours, wide);
  return g;
}

/// A node on the ways a race found to the assets an event lost: reached at `time` hours (at most
/// its earliest time along the way) over edge slot `via` from the node at index `parent` of the
/// same event's list, which comes earlier (`from_entry`: from the event's entry point).
struct race_way_node {
  static constexpr std::uint32_t from_entry = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t node = 0, via = 0, parent = from_entry;
  double time = 0.0;
};

/// Memory of the guided search; `clock.via` leads each reached node back along its path.
struct witness_workspace {
  /// A wide node's out-edges being tried in guide order: from `time` on, the fan's slots from `next`.
  struct fan_walk {
    std::uint32_t node;
    double time;
    std::size_t next, end;
  };
  std::vector<double> priority;  // by new id: time so far plus the guide to the nearest wanted target
  std::optional<indexed_min_heap> heap;
  std::vector<std::uint32_t> wanted;  // targets (new ids) not reached yet
  std::vector<fan_walk> walks;

  void size_for(std::size_t n) {
    if (priority.size() == n && heap) return;
    priority.assign(n, 0.0);
    heap.emplace(n, priority);
  }
};

/// What a guided search found: live paths to every target by the limit; proof that the targets
/// still wanted (`witness_workspace::wanted`) are not reached by then — every node reachable by
/// then towards them was searched, none through an AND node; or neither, within its budget.
enum class witness_outcome { found, unreachable, gave_up };

/// Nodes the guided search may expand per target before it gives up.
inline constexpr std::size_t witness_budget_per_target = 512;

/// How a guided search goes besides its entry: `held`, nodes the attacker is known to hold by
/// their `time` over live ways from the entry (what is left of an event's recorded ways once some
/// of their edges died), from which it starts too; the nodes it may expand per target; whether it
/// walks wide nodes' fans (else it tries all of a node's out-edges at once, as runs that record
/// ways for a plan do: with fans, their ways made the 10,000-node plan re-race 12% more events).
struct witness_search {
  std::span<const race_way_node> held{};
  std::size_t budget_per_target = witness_budget_per_target;
  bool walk_fans = true;
};

/// Searches the world of trial `bit` of word `word` (as `earliest_times` does, same masks and
/// crossing times) from `entry`, held at time 0, for live paths that reach every node of
/// `targets` (new ids) by `limit` hours, expanding first the nodes whose time so far plus
/// `witness_greed` times the guide to the nearest target still wanted is least. `found` when
/// every target was reached (at once when there are none); `clock.via` then leads each reached
/// target back to the entry. A node is searched again whenever its time improves, so a search
/// that runs out of nodes has every reachable node's earliest time: `unreachable` then proves
/// the targets left in `w.wanted` are not reached by `limit`, unless the problem has AND nodes,
/// which the search does not pass (their time is the latest of all in-edges: one path proves
/// nothing). A wide node's out-edges (`guide`'s fans) are tried a batch at a time, in guide order,
/// when the next of them might come before the heap's least. `guide` is `make_race_guide(c, ...)`,
/// `target_index[v]` the column of target v in its times. Starts from `how.held` too. Gives up
/// after expanding `how.budget_per_target` nodes per target, or at once without a guide; either way `clock` then
/// holds, under its stamp, the entry, the held ways and every node reached (what `reach_back`
/// starts from).
template <std::size_t Words, class Cross>
witness_outcome find_witness_paths(const compromise_problem& c, const race_guide& guide,
                        const std::vector<std::uint32_t>& target_index, world_clock& clock, witness_workspace& w,
                        edge_mask_cache<Words>& edges, std::uint32_t edge_stamp, std::uint64_t seed, std::uint64_t first_word,
                        const std::uint64_t (&valid)[Words], std::size_t word, std::uint64_t bit, std::uint32_t entry,
                        std::span<const std::uint32_t> targets, double limit, Cross cross, const witness_search& how = {}) {
  const std::span<const race_way_node> held = how.held;
  w.wanted.assign(targets.begin(), targets.end());
  const std::uint32_t stamp = clock.next_stamp();  // the clock holds the entry and the held ways even when the search gives up at once
  clock.time[entry] = 0.0, clock.seen[entry] = clock.start[entry] = stamp;
  for (const race_way_node& h : held) clock.time[h.node] = h.time, clock.seen[h.node] = stamp, clock.via[h.node] = h.via;
  if (guide.empty()) return witness_outcome::gave_up;
  w.size_for(c.n);
  const auto nearest = [&](std::uint32_t v) {
    float best = std::numeric_limits<float>::infinity();
    const float* row = guide.row(v);
    for (std::uint32_t a : w.wanted) best = std::min(best, row[target_index[a]]);
    return static_cast<double>(best);
  };
  indexed_min_heap& heap = *w.heap;
  w.priority[entry] = witness_greed * nearest(entry);
  heap.push_or_decrease(entry);
  for (const race_way_node& h : held)
    if (const double ahead = nearest(h.node); ahead < std::numeric_limits<double>::infinity())
      w.priority[h.node] = h.time + witness_greed * ahead, heap.push_or_decrease(h.node);
  if (w.wanted.empty()) {  // the held ways reach every target already
    heap.clear();
    return witness_outcome::found;
  }
  // Edge slot i tried from a node held at time t.
  const auto relax = [&](std::size_t i, double t) {
    const std::uint32_t v = c.out_target[i];
    if (clock.start[v] == stamp || (clock.seen[v] == stamp && clock.time[v] <= t)) return;  // no draw can improve it
    if (!c.all_gates.empty() && c.all_gates[v] != gate_any) return;
    if (((edges.mask(word, i) >> bit) & 1u) == 0) return;
    const double ahead = nearest(v);
    if (!(ahead < std::numeric_limits<double>::infinity())) return;  // leads to no wanted target
    const double arrival = t + cross(i);
    if (arrival > limit || (clock.seen[v] == stamp && arrival >= clock.time[v])) return;
    clock.seen[v] = stamp, clock.time[v] = arrival, clock.via[v] = static_cast<std::uint32_t>(i);
    w.priority[v] = arrival + witness_greed * ahead;
    heap.push_or_decrease(v);  // again if expanded before: its later edges may improve too
  };
  // A wide node's out-edges come in guide order, a batch whenever the next one's key (the walk's
  // time plus the fan's key: the priority its head would get were the crossing typical) is below
  // the heap's least: only the order of the search, never what it proves.
  std::vector<witness_workspace::fan_walk>& walks = w.walks;
  walks.clear();
  const std::size_t budget = how.budget_per_target * targets.size();
  const race_fans& fans = guide.fans;
  bool found = false, exhausted = false;
  for (std::size_t expanded = 0;;) {  // nodes popped: a fan's batches are part of its node's expansion
    if (heap.empty() && walks.empty()) {  // every node reachable in time towards a wanted target was searched
      exhausted = true;
      break;
    }
    if (expanded >= budget) break;
    auto walk = walks.begin();  // the walk of least key (even an infinite one: every walk runs to its end)
    double walk_key = walks.empty() ? 0.0 : walk->time + fans.key[walk->next];
    for (auto f = walks.begin(); f != walks.end(); ++f)
      if (const double key = f->time + fans.key[f->next]; key < walk_key) walk_key = key, walk = f;
    if (walk != walks.end() && (heap.empty() || walk_key < w.priority[heap.top()])) {
      const std::size_t end = std::min(walk->next + std::max<std::size_t>(fans.batch, 1), walk->end);
      for (std::size_t j = walk->next; j < end; ++j) edges.collect(fans.slot[j], fans.slot[j] + 1, edge_stamp, [](std::size_t) { return true; });
      edges.draw(c, seed, first_word, valid);
      for (std::size_t j = walk->next; j < end; ++j) relax(fans.slot[j], walk->time);
      walk->next = end;
      if (end == walk->end) *walk = walks.back(), walks.pop_back();
      continue;
    }
    const std::uint32_t u = heap.pop();
    ++expanded;
    const double t = clock.time[u];
    if (const auto at = std::find(w.wanted.begin(), w.wanted.end(), u); at != w.wanted.end()) {
      w.wanted.erase(at);
      if (w.wanted.empty()) {
        found = true;
        break;
      }
    }
    if (const std::uint32_t fan = fans.of[u]; how.walk_fans && fan != race_fans::narrow) {  // (again) from its first edge at its new time
      std::erase_if(walks, [u](const witness_workspace::fan_walk& f) { return f.node == u; });
      if (fans.begin[fan] < fans.begin[fan + 1]) walks.push_back({u, t, fans.begin[fan], fans.begin[fan + 1]});
      continue;
    }
    edges.collect(c.out_begin[u], c.out_begin[u + 1], edge_stamp, [](std::size_t) { return true; });
    edges.draw(c, seed, first_word, valid);
    for (std::size_t i = c.out_begin[u]; i < c.out_begin[u + 1]; ++i) relax(i, t);
  }
  heap.clear();
  walks.clear();
  if (found) return witness_outcome::found;
  return exhausted && c.all_gates.empty() ? witness_outcome::unreachable : witness_outcome::gave_up;
}

/// Whether `target` is cut off in the world of trial `bit` of word `word`: searching back from
/// it over the edges alive there runs out of nodes without meeting a node `held(v)` says the
/// attacker holds (the entry, what is left of its ways). Every node counts as an OR node (an AND
/// node needs more live in-edges, never fewer), so a cut-off target falls in that world at no
/// time at all. False once the search meets a held node or has searched `budget` nodes. Needs
/// the problem's in-edges; masks in `edges` under `edge_stamp`; `queue` is scratch.
template <std::size_t Words, class Held>
bool cut_off(const compromise_problem& c, world_clock& clock, std::vector<std::uint32_t>& queue, edge_mask_cache<Words>& edges,
             std::uint32_t edge_stamp, std::uint64_t seed, std::uint64_t first_word, const std::uint64_t (&valid)[Words],
             std::size_t word, std::uint64_t bit, std::uint32_t target, const Held& held, std::size_t budget) {
  if (held(target)) return false;
  const std::uint32_t stamp = clock.next_stamp();
  queue.assign(1, target);
  clock.seen[target] = stamp;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    if (head == budget) return false;
    const std::uint32_t v = queue[head];
    draw_in_edges(c, v, edges, edge_stamp, seed, first_word, valid);
    for (std::size_t j = c.in_begin[v]; j < c.in_begin[v + 1]; ++j) {
      if (((edges.mask(word, c.in_slot[j]) >> bit) & 1u) == 0) continue;
      const std::uint32_t u = c.in_source[j];
      if (held(u)) return false;
      if (clock.seen[u] != stamp) clock.seen[u] = stamp, queue.push_back(u);
    }
  }
  return true;
}

/// What `reach_back` decided for one target.
enum class reach_outcome { lost, safe, gave_up };

/// Decides whether `target` falls by `limit` hours in the world of trial `bit` of word `word`
/// (as `earliest_times` would, same masks and crossing times) by searching back from it:
/// Dijkstra over the edges alive there, by crossing time, until it meets a node `clock` holds
/// under its current stamp — the entry, held ways, whatever a guided search reached, each over a
/// live way at a time along it — from which the way on arrives by `limit`. Where a search
/// forward from the entry fans out over every exposed node first, the way back from an asset
/// meets such a node after a few hundred. `lost`: that way is written into `clock` (via and
/// forward-summed times; a node keeps an earlier time it had), so `clock.via` leads the target
/// back to the entry. `safe`: every node the target can be reached from within `limit` was
/// searched and none is held early enough; only sound when the problem has no AND node.
/// `gave_up`: after `budget` nodes, or on a tie within rounding of `limit` (sums of the same
/// crossing times added backwards and forwards may differ in their last bits), for the exact
/// search to settle. `back` is scratch sized as `clock`.
template <std::size_t Words, class Cross>
reach_outcome reach_back(const compromise_problem& c, world_clock& clock, world_clock& back, edge_mask_cache<Words>& edges,
                         std::uint32_t edge_stamp, std::uint64_t seed, std::uint64_t first_word, const std::uint64_t (&valid)[Words],
                         std::size_t word, std::uint64_t bit, std::uint32_t target, double limit, Cross cross, std::size_t budget) {
  const double beyond = limit + 1e-9 * std::max(1.0, std::abs(limit));  // no way back is shorter and still in time
  const std::uint32_t stamp = back.next_stamp(), held = clock.stamp;
  indexed_min_heap& heap = *back.heap;
  back.time[target] = 0.0, back.seen[target] = stamp;
  heap.push_or_decrease(target);
  reach_outcome outcome = reach_outcome::safe;
  for (std::size_t expanded = 0; !heap.empty(); ++expanded) {
    if (expanded == budget) {
      outcome = reach_outcome::gave_up;
      break;
    }
    const std::uint32_t u = heap.pop();
    const double d = back.time[u];
    if (d > beyond) break;  // every node left is further back than the limit
    if (clock.seen[u] == held && clock.time[u] + d <= beyond) {
      double t = clock.time[u];
      for (std::uint32_t w = u; w != target;) {
        const std::uint32_t slot = back.via[w], x = c.out_target[slot];
        const double arrival = t + cross(slot);
        if (clock.seen[x] == held && clock.time[x] <= arrival) {
          t = clock.time[x];  // held earlier already, over a way of its own
        } else {
          clock.seen[x] = held, clock.time[x] = t = arrival, clock.via[x] = slot;
        }
        w = x;
      }
      outcome = t <= limit ? reach_outcome::lost : reach_outcome::gave_up;
      break;
    }
    back.settled[u] = stamp;
    draw_in_edges(c, u, edges, edge_stamp, seed, first_word, valid);
    for (std::size_t j = c.in_begin[u]; j < c.in_begin[u + 1]; ++j) {
      const std::uint32_t w = c.in_source[j];
      const std::size_t slot = c.in_slot[j];
      if (back.settled[w] == stamp || ((edges.mask(word, slot) >> bit) & 1u) == 0) continue;
      const double arrival = d + cross(slot);
      if (arrival > beyond || (back.seen[w] == stamp && arrival >= back.time[w])) continue;
      back.seen[w] = stamp, back.time[w] = arrival, back.via[w] = static_cast<std::uint32_t>(slot);
      heap.push_or_decrease(w);
    }
  }
  heap.clear();
  return outcome;
}

}  // namespace twinrisk::detail
