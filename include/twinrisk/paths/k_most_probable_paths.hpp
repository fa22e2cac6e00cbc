#pragma once
/// `k_most_probable_paths`: the k loopless paths of highest probability from any source to any
/// target.
///
/// Algorithm: Yen's k shortest loopless paths (Yen 1971) under the cost -ln p, on the graph
/// augmented with a super-source joined to every source and a super-sink joined from every
/// target. Each spur search is an A* search guided by exact lower bounds: one reverse Dijkstra
/// from the targets gives every vertex its cost to the nearest target on the whole graph, which
/// stays admissible and consistent when Yen removes edges and vertices (it only raises
/// distances). This is the "guide spur searches with the reverse shortest-path tree" improvement
/// the literature recommends; it keeps each spur search near the optimal paths instead of
/// exploring the whole graph, which is what makes Yen fast on million-edge twins. Spur searches
/// that cannot beat the candidates already held (root cost + lower bound) are skipped, and the
/// remaining spur searches of one path run in parallel (oneTBB), merged in spur order.
///
///     auto r = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(),
///                                    get(&edge::probability, t), {.k = 10});
///     for (const attack_path& p : r.paths) std::cout << to_string(p, t) << '\n';

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>
#include <vector>


#include "twinrisk/model/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/paths/attack_path.hpp"
#include "twinrisk/paths/path_index.hpp"

namespace twinrisk {

/// Options of the path algorithms.
struct paths_options {
  std::size_t k = 10;                          ///< how many paths (k_most_probable_paths)
  std::size_t max_hops = 0;                    ///< longest path in edges; 0 = unbounded
  double min_probability = 0.0;                ///< paths less probable than this are not reported
  std::vector<std::size_t> excluded_vertices{};  ///< never entered
  std::vector<std::size_t> excluded_edges{};     ///< by edge index; never used
  const cancellation_token* cancel = nullptr;  ///< stop early, returning what was found
};

/// Paths found and the work done to find them.
struct paths_result {
  std::vector<attack_path> paths;  ///< most probable first (`more_probable` order)
  bool cancelled = false;          ///< stopped by the token before the answer was complete
  std::size_t spur_searches = 0;
  std::size_t edge_relaxations = 0;
};

namespace detail {

/// What every spur search of one query shares.
struct yen_context {
  const search_graph& s;
  const std::vector<std::uint32_t>& sources;  // ascending, once each, excluded ones removed
  const std::vector<char>& is_target;
  const target_tree& tree;                   // cheapest paths to the targets on the whole graph
  const std::vector<double>& to_target;      // tree.cost
  const std::vector<std::uint32_t>& hops_to_target;  // fewest hops (bounded queries only)
  const query_mask& mask;
  std::size_t max_hops;                      // SIZE_MAX when unbounded
};

/// One spur search: the cheapest path that extends `root` (its vertices blocked, except the
/// last, from which it continues) to any target, avoiding `removed_slots` as first step. With an
/// empty root the search starts at every source not in `removed_starts`. A* under the exact
/// lower bounds `to_target`; gives up once every open path costs more than `limit`. Returns the
/// spur part (starting at the spur vertex) or nothing.
///
/// Shortcut (the node classification of Feng 2014, "An efficient algorithm for finding k
/// shortest simple paths"): when the popped vertex's path in the shortest-path tree towards the
/// targets avoids every blocked vertex and removed edge, that path completes an optimal spur —
/// its cost is exactly the bound, so nothing left in the queue can beat it. Most spur searches
/// then pop a handful of vertices instead of exploring a ball of the graph.
struct spur_search {
  const yen_context& c;
  spur_workspace& w;
  std::size_t relaxations = 0;

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  bool run(const flat_path& root, const std::vector<std::size_t>& removed_slots,
           const std::vector<std::uint32_t>& removed_starts, bool exit_removed, double limit, flat_path& out) {
    const search_graph& s = c.s;
    const bool bounded = c.max_hops != static_cast<std::size_t>(-1);
    const std::size_t budget = bounded ? c.max_hops - root.slots.size() : c.max_hops;
    w.start(s.n);
    const std::uint32_t gen = w.generation;
    for (std::size_t i = 0; i + 1 < root.vertices.size(); ++i) w.blocked_stamp[root.vertices[i]] = gen;
    // The label slot holding the best label of state (v, h); a fresh state's slot reads npos.
    auto state = [&](std::uint32_t v, std::uint32_t h) -> std::size_t& {
      if (bounded) return w.hop_states.try_emplace(static_cast<std::uint64_t>(v) * (budget + 1) + h, npos).first->second;
      if (w.state_stamp[v] != gen) {
        w.state_stamp[v] = gen;
        w.state_label[v] = npos;
      }
      return w.state_label[v];
    };
    // Queues state (v, h) at cost g; false when it is pruned or no better than a queued label.
    auto push = [&](std::uint32_t v, std::uint32_t h, double g, std::size_t parent, std::size_t slot) {
      const double f = g + c.to_target[v];
      if (!(f <= limit)) return false;  // also drops vertices that cannot reach a target (f = inf)
      if (c.mask.blocks(v) || (bounded && h + static_cast<std::size_t>(c.hops_to_target[v]) > budget)) return false;
      std::size_t& best = state(v, h);
      if (best != npos && w.labels[best].g <= g) return false;
      best = w.labels.size();
      w.labels.push_back({g, parent, v, h, slot});
      w.heap.emplace_back(f, best);
      std::push_heap(w.heap.begin(), w.heap.end(), std::greater<>{});
      return true;
    };
    const bool from_super_source = root.vertices.empty();
    const std::uint32_t spur = from_super_source ? no_vertex : root.vertices.back();
    if (from_super_source) {
      for (std::uint32_t v : c.sources)
        if (std::find(removed_starts.begin(), removed_starts.end(), v) == removed_starts.end()) push(v, 0, 0.0, npos, npos);
    } else {
      w.blocked_stamp[spur] = gen;  // a loopless spur never returns to its start
      push(spur, 0, 0.0, npos, npos);
    }
    while (!w.heap.empty()) {
      std::pop_heap(w.heap.begin(), w.heap.end(), std::greater<>{});
      const std::size_t li = w.heap.back().second;
      w.heap.pop_back();
      const spur_workspace::label cur = w.labels[li];
      if (state(cur.v, cur.hops) != li) continue;  // superseded
      const bool at_target = c.is_target[cur.v] && !(cur.v == spur && exit_removed);
      if (at_target || (tree_completes(cur.v, spur, removed_slots) &&
                        (!bounded || cur.hops + static_cast<std::size_t>(c.tree.hops[cur.v]) <= budget))) {
        out = {};
        for (std::size_t i = li; i != npos; i = w.labels[i].parent) {
          out.vertices.push_back(w.labels[i].v);
          if (w.labels[i].slot != npos) out.slots.push_back(w.labels[i].slot);
        }
        std::reverse(out.vertices.begin(), out.vertices.end());
        std::reverse(out.slots.begin(), out.slots.end());
        if (!at_target)
          for (std::uint32_t x = cur.v; !c.is_target[x];) {
          const std::size_t slot = c.tree.next_slot[x];
          x = s.out_target[slot];
          out.vertices.push_back(x);
          out.slots.push_back(slot);
        }
        remove_loops(out);
        return true;
      }
      if (bounded && cur.hops >= budget) continue;
      // Best first: once a child completes through its tree path, the later children (no
      // smaller f) can never be needed — this is what keeps a spur at the internet, with its
      // tens of thousands of phishing edges, from pushing them all.
      const std::size_t sorted_at = c.tree.best_first_at[cur.v];
      for (std::size_t j = s.out_begin[cur.v]; j < s.out_begin[cur.v + 1]; ++j) {
        const std::size_t i = sorted_at == no_slot ? j : c.tree.best_first[sorted_at + (j - s.out_begin[cur.v])];
        const std::uint32_t next = s.out_target[i];
        if (w.blocked_stamp[next] == gen || c.mask.blocks_slot(i)) continue;
        if (cur.v == spur && std::find(removed_slots.begin(), removed_slots.end(), i) != removed_slots.end()) continue;
        ++relaxations;
        if (!push(next, cur.hops + 1, cur.g + s.out_cost[i], li, i) || sorted_at == no_slot) continue;
        if ((c.is_target[next] || tree_completes(next, spur, removed_slots)) &&
            (!bounded || cur.hops + 1 + static_cast<std::size_t>(c.tree.hops[next]) <= budget))
          break;
      }
    }
    return false;
  }

  /// Whether the tree path from v to its target is usable in this search (memoised per vertex:
  /// it depends only on what is blocked, except at the spur, whose first edge may be removed).
  bool tree_completes(std::uint32_t v, std::uint32_t spur, const std::vector<std::size_t>& removed_slots) {
    if (c.tree.next_slot[v] == no_slot) return false;  // a target (handled by the caller) or no way on
    const std::uint32_t gen = w.generation;
    if (v == spur) {
      const std::size_t first = c.tree.next_slot[v];
      if (std::find(removed_slots.begin(), removed_slots.end(), first) != removed_slots.end() || c.mask.blocks_slot(first))
        return false;
      const std::uint32_t next = c.s.out_target[first];
      return w.blocked_stamp[next] != gen && !c.mask.blocks(next) &&
             (c.is_target[next] || tree_completes(next, spur, removed_slots));
    }
    w.walk.clear();
    bool usable = true;
    for (std::uint32_t x = v;;) {
      if (w.tree_stamp[x] == gen) {
        usable = w.tree_usable[x] != 0;
        break;
      }
      if (w.blocked_stamp[x] == gen || c.mask.blocks(x)) {
        usable = false;
        w.walk.push_back(x);
        break;
      }
      w.walk.push_back(x);
      if (c.is_target[x]) break;
      const std::size_t slot = c.tree.next_slot[x];
      if (c.mask.blocks_slot(slot)) {
        usable = false;
        break;
      }
      x = c.s.out_target[slot];
    }
    for (std::uint32_t x : w.walk) {
      w.tree_stamp[x] = gen;
      w.tree_usable[x] = usable;
    }
    return usable;
  }

  // With hop-indexed states a zero-cost cycle can tie with the loop-free path; cutting the cycle
  // keeps cost and hops no larger, so the result stays optimal and becomes simple.
  static void remove_loops(flat_path& p) {
    for (std::size_t i = 0; i < p.vertices.size(); ++i)
      for (std::size_t j = p.vertices.size() - 1; j > i; --j)
        if (p.vertices[j] == p.vertices[i]) {
          p.vertices.erase(p.vertices.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                           p.vertices.begin() + static_cast<std::ptrdiff_t>(j) + 1);
          p.slots.erase(p.slots.begin() + static_cast<std::ptrdiff_t>(i),
                        p.slots.begin() + static_cast<std::ptrdiff_t>(j));
          break;
        }
  }
};

}  // namespace detail

namespace detail {

/// Yen's k shortest loopless paths over -log probabilities, as one query's state: the accepted
/// paths, the candidates ordered most probable first, and the work counters of `result`.
class yen_query {
 public:
  yen_query(const path_index& index, const yen_context& c, const paths_options& o, paths_result& result)
      : index_(index), c_(c), o_(o), result_(result),
        // Paths under the probability floor are never reported, so no search looks beyond it.
        floor_cost_(o.min_probability > 0.0 ? -std::log(o.min_probability) : infinite_cost) {}

  /// Runs the query to k paths, to the last candidate or to cancellation.
  void run(bool parallel) {
    first_search();
    while (!candidates_.empty() && result_.paths.size() < o_.k) {
      if (o_.cancel != nullptr && o_.cancel->cancelled()) {
        result_.cancelled = true;
        break;
      }
      accept_best();
      if (result_.paths.size() == o_.k) break;
      deviate_from_last(parallel);
    }
  }

 private:
  struct candidate {
    attack_path path;
    flat_path flat;
  };
  struct more_probable_candidate {
    bool operator()(const candidate& a, const candidate& b) const { return more_probable(a.path, b.path); }
  };

  void consider(flat_path&& p) {
    attack_path a = to_attack_path(c_.s, p);
    if (a.probability < o_.min_probability || a.probability == 0.0) return;
    candidates_.insert({std::move(a), std::move(p)});
  }

  /// The most probable path of all: one spur search from every source.
  void first_search() {
    spur_search first{c_, index_.spur_workspace()};
    flat_path p;
    if (first.run({}, {}, {}, false, floor_cost_ * (1 + 1e-12) + 1e-300, p)) consider(std::move(p));
    result_.spur_searches = 1;
    result_.edge_relaxations = first.relaxations;
  }

  void accept_best() {
    auto best = candidates_.begin();
    result_.paths.push_back(best->path);
    accepted_.push_back(best->flat);
    candidates_.erase(best);
  }

  /// A path costlier than the worst one still needed cannot make the answer; the tolerance keeps
  /// equal-probability paths, whose order the tie-break decides.
  double cost_limit() const {
    const std::size_t still_needed = o_.k - result_.paths.size();
    double worst_needed = floor_cost_;
    if (candidates_.size() >= still_needed) {
      auto it = candidates_.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(still_needed - 1));
      worst_needed = std::min(worst_needed, -std::log(it->path.probability));
    }
    return worst_needed * (1 + 1e-12) + 1e-300;
  }

  /// The spur searches off the path accepted last, one per position, in parallel; their paths
  /// join the candidates in position order (so the answer does not depend on the threads).
  /// Position 0 is the super-source (a new first vertex), pos >= 1 deviates after vertex pos - 1.
  void deviate_from_last(bool parallel) {
    const flat_path& last = accepted_.back();
    const std::size_t positions = last.vertices.size() + 1;
    const double limit = cost_limit();
    std::vector<flat_path> found(positions);
    std::vector<char> has(positions, 0);
    std::vector<std::size_t> relax(positions, 0);
    for_each_index(parallel, std::size_t{0}, positions,
                   [&](std::size_t pos) { has[pos] = spur_at(last, pos, limit, found[pos], relax[pos]) ? 1 : 0; });
    for (std::size_t pos = 0; pos < positions; ++pos) {
      result_.edge_relaxations += relax[pos];
      if (has[pos]) consider(std::move(found[pos]));
    }
    result_.spur_searches += positions;
  }

  /// The cheapest path that shares `last`'s first `pos` vertices and then leaves every accepted
  /// path with that prefix, within `limit`; into `out`. Thread-safe: reads shared state only.
  bool spur_at(const flat_path& last, std::size_t pos, double limit, flat_path& out, std::size_t& relaxations) const {
    flat_path root;
    std::vector<std::size_t> removed_slots;
    std::vector<std::uint32_t> removed_starts;
    bool exit_removed = false;
    double root_cost = 0.0;
    if (pos == 0) {
      for (const flat_path& a : accepted_) removed_starts.push_back(a.vertices.front());
    } else {
      const std::size_t i = pos - 1;  // spur after vertex i
      root.vertices.assign(last.vertices.begin(), last.vertices.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      root.slots.assign(last.slots.begin(), last.slots.begin() + static_cast<std::ptrdiff_t>(i));
      root_cost = path_cost(c_.s, root);
      if (root_cost + c_.to_target[root.vertices.back()] > limit) return false;
      for (const flat_path& a : accepted_) {
        if (a.vertices.size() < i + 1 || !std::equal(root.vertices.begin(), root.vertices.end(), a.vertices.begin()) ||
            !std::equal(root.slots.begin(), root.slots.end(), a.slots.begin()))
          continue;
        if (a.slots.size() > i) removed_slots.push_back(a.slots[i]);
        else exit_removed = true;
      }
    }
    spur_search search{c_, index_.spur_workspace()};
    flat_path spur;
    const bool found = search.run(root, removed_slots, removed_starts, exit_removed, limit - root_cost, spur);
    relaxations = search.relaxations;
    if (!found) return false;
    out = std::move(root);
    if (!out.vertices.empty()) out.vertices.pop_back();  // the spur path starts with the spur vertex
    out.vertices.insert(out.vertices.end(), spur.vertices.begin(), spur.vertices.end());
    out.slots.insert(out.slots.end(), spur.slots.begin(), spur.slots.end());
    return true;
  }

  const path_index& index_;
  const yen_context& c_;
  const paths_options& o_;
  paths_result& result_;
  double floor_cost_;
  std::vector<flat_path> accepted_;
  std::set<candidate, more_probable_candidate> candidates_;
};

}  // namespace detail

/// The `options.k` most probable loopless paths from any vertex of `sources` to any target of
/// `index`, most probable first (ties: vertex ids, then edge indices). Probability is the
/// product of the edges' probabilities; edges with probability 0 are never used. A path may
/// pass through other sources and targets; a vertex that is both a source and a target is a
/// 0-hop path of probability 1 (the attacker already holds the crown jewel). Empty sources or
/// targets give no paths.
/// Complexity: O(k · L · S) where L is the path length and S the cost of one A* spur search —
/// small when probabilities separate paths, at worst a Dijkstra over the graph; the first query
/// on an index adds one reverse Dijkstra, O(E log V).
/// Determinism: identical results for every `Exec` and thread count.
/// Throws: model_error on a vertex or index out of range.
template <class V, class Exec = par>
paths_result k_most_probable_paths(const path_index& index, const std::vector<V>& sources,
                                   const paths_options& options = {}, Exec exec = {}) {
  using namespace detail;
  paths_result result;
  const query_mask mask = make_query_mask(index, options.excluded_vertices, options.excluded_edges);
  const std::vector<char> is_source = vertex_flags(index.num_vertices(), sources, "source");
  std::vector<std::uint32_t> source_list;
  for (std::uint32_t v = 0; v < is_source.size(); ++v)
    if (is_source[v] && !mask.blocks(v)) source_list.push_back(v);
  if (options.k == 0) return result;
  run_with(exec, [&] {
    static const std::vector<std::uint32_t> no_hops;
    const target_tree& tree = index.tree_to_targets(is_parallel<Exec>);
    const yen_context c{index.graph(), source_list, index.target_flags(), tree, tree.cost,
                        options.max_hops == 0 ? no_hops : index.hops_to_targets(is_parallel<Exec>).hops, mask,
                        options.max_hops == 0 ? static_cast<std::size_t>(-1) : options.max_hops};
    yen_query(index, c, options, result).run(is_parallel<Exec>);
  });
  return result;
}

/// One query on a graph: builds a `path_index` for `targets` and queries it. Prefer an index
/// when asking several questions of the same graph and targets.
/// Throws: as path_index and the query.
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
paths_result k_most_probable_paths(const G& g, const std::vector<vertex_t<G>>& sources,
                                   const std::vector<vertex_t<G>>& targets, const ProbMap& prob,
                                   const paths_options& options = {}, Exec exec = {}) {
  return k_most_probable_paths(path_index(g, prob, targets, exec), sources, options, exec);
}

}  // namespace twinrisk
