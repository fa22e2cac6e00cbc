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
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include <tbb/parallel_for.h>

#include "twinrisk/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/paths/attack_path.hpp"

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

inline constexpr double infinite_cost = std::numeric_limits<double>::infinity();
inline constexpr std::uint32_t no_vertex = std::numeric_limits<std::uint32_t>::max();

/// What every spur search shares: the flat graph, sources and targets, lower bounds.
struct yen_context {
  const search_graph& s;
  std::vector<char> is_source, is_target;
  std::vector<double> to_target;       // exact cost to the nearest target (reverse Dijkstra)
  std::vector<std::uint32_t> hops_to_target;  // fewest hops to a target (reverse BFS)
  std::size_t max_hops;                // SIZE_MAX when unbounded
};

/// Reverse Dijkstra from all targets: cost of the cheapest path to any target.
inline std::vector<double> costs_to_targets(const search_graph& s, const std::vector<char>& is_target) {
  std::vector<double> d(s.n, infinite_cost);
  using item = std::pair<double, std::uint32_t>;
  std::priority_queue<item, std::vector<item>, std::greater<>> q;
  for (std::uint32_t v = 0; v < s.n; ++v)
    if (is_target[v]) {
      d[v] = 0.0;
      q.emplace(0.0, v);
    }
  while (!q.empty()) {
    const auto [dv, v] = q.top();
    q.pop();
    if (dv > d[v]) continue;
    for (std::size_t i = s.in_begin[v]; i < s.in_begin[v + 1]; ++i) {
      const std::uint32_t u = s.in_source[i];
      const double du = dv + s.out_cost[s.in_pos[i]];
      if (du < d[u]) {
        d[u] = du;
        q.emplace(du, u);
      }
    }
  }
  return d;
}

/// Reverse BFS from all targets: fewest hops to any target.
inline std::vector<std::uint32_t> hops_to_targets(const search_graph& s, const std::vector<char>& is_target) {
  std::vector<std::uint32_t> h(s.n, no_vertex);
  std::vector<std::uint32_t> frontier;
  for (std::uint32_t v = 0; v < s.n; ++v)
    if (is_target[v]) {
      h[v] = 0;
      frontier.push_back(v);
    }
  for (std::size_t head = 0; head < frontier.size(); ++head) {
    const std::uint32_t v = frontier[head];
    for (std::size_t i = s.in_begin[v]; i < s.in_begin[v + 1]; ++i)
      if (h[s.in_source[i]] == no_vertex) {
        h[s.in_source[i]] = h[v] + 1;
        frontier.push_back(s.in_source[i]);
      }
  }
  return h;
}

/// A path in the flat graph: vertices and forward slots.
struct flat_path {
  std::vector<std::uint32_t> vertices;
  std::vector<std::size_t> slots;
};

/// One spur search: the cheapest path that extends `root` (its vertices blocked, except the
/// last, from which it continues) to any target, avoiding `removed_slots` as first step. With an
/// empty root the search starts at every source not in `removed_starts`. Returns the spur part
/// (starting at the spur vertex) or nothing.
struct spur_search {
  const yen_context& c;
  std::size_t relaxations = 0;

  struct label {
    double g;
    std::size_t parent;  // index into labels, or npos
    std::uint32_t v;
    std::uint32_t hops;
    std::size_t slot;  // slot used to reach v
  };
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  bool run(const flat_path& root, const std::vector<std::size_t>& removed_slots,
           const std::vector<std::uint32_t>& removed_starts, bool exit_removed, flat_path& out) {
    const search_graph& s = c.s;
    const bool bounded = c.max_hops != static_cast<std::size_t>(-1);
    const std::size_t budget = bounded ? c.max_hops - root.slots.size() : c.max_hops;
    std::unordered_map<std::uint64_t, std::size_t> best;  // state -> label index
    std::vector<label> labels;
    using item = std::pair<double, std::size_t>;  // f, label
    std::priority_queue<item, std::vector<item>, std::greater<>> q;
    auto blocked = [&root](std::uint32_t v) {
      for (std::size_t i = 0; i + 1 < root.vertices.size(); ++i)
        if (root.vertices[i] == v) return true;
      return false;
    };
    auto key = [&](std::uint32_t v, std::uint32_t h) {
      return bounded ? static_cast<std::uint64_t>(v) * (budget + 1) + h : static_cast<std::uint64_t>(v);
    };
    auto push = [&](std::uint32_t v, std::uint32_t h, double g, std::size_t parent, std::size_t slot) {
      if (c.to_target[v] == infinite_cost) return;
      if (bounded && h + static_cast<std::size_t>(c.hops_to_target[v]) > budget) return;
      auto [it, fresh] = best.try_emplace(key(v, h), labels.size());
      if (!fresh) {
        if (labels[it->second].g <= g) return;
        it->second = labels.size();
      }
      labels.push_back({g, parent, v, h, slot});
      q.emplace(g + c.to_target[v], labels.size() - 1);
    };
    const bool from_super_source = root.vertices.empty();
    const std::uint32_t spur = from_super_source ? no_vertex : root.vertices.back();
    if (from_super_source) {
      for (std::uint32_t v = 0; v < s.n; ++v)
        if (c.is_source[v] && std::find(removed_starts.begin(), removed_starts.end(), v) == removed_starts.end())
          push(v, 0, 0.0, npos, npos);
    } else {
      push(spur, 0, 0.0, npos, npos);
    }
    while (!q.empty()) {
      const auto [f, li] = q.top();
      q.pop();
      const label cur = labels[li];
      if (best[key(cur.v, cur.hops)] != li) continue;  // superseded
      if (c.is_target[cur.v] && !(cur.v == spur && exit_removed)) {
        out = {};
        for (std::size_t i = li; i != npos; i = labels[i].parent) {
          out.vertices.push_back(labels[i].v);
          if (labels[i].slot != npos) out.slots.push_back(labels[i].slot);
        }
        std::reverse(out.vertices.begin(), out.vertices.end());
        std::reverse(out.slots.begin(), out.slots.end());
        remove_loops(out);
        return true;
      }
      if (bounded && cur.hops >= budget) continue;
      for (std::size_t i = s.out_begin[cur.v]; i < s.out_begin[cur.v + 1]; ++i) {
        const std::uint32_t w = s.out_target[i];
        if (w == spur || blocked(w)) continue;
        if (cur.v == spur && std::find(removed_slots.begin(), removed_slots.end(), i) != removed_slots.end()) continue;
        ++relaxations;
        push(w, cur.hops + 1, cur.g + s.out_cost[i], li, i);
      }
    }
    return false;
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

/// The caller-facing path; `probability` as given (the product in path order).
inline attack_path to_attack_path(const search_graph& s, const flat_path& p, double probability) {
  attack_path a;
  a.vertices.assign(p.vertices.begin(), p.vertices.end());
  for (std::size_t slot : p.slots) a.edges.push_back(s.out_edge[slot]);
  a.probability = probability;
  return a;
}

/// The caller-facing path, its probability multiplied in path order (as the enumeration does).
inline attack_path to_attack_path(const search_graph& s, const flat_path& p) {
  double prob = 1.0;
  for (std::size_t slot : p.slots) prob *= s.out_prob[slot];
  return to_attack_path(s, p, prob);
}

inline double path_cost(const search_graph& s, const flat_path& p) {
  double cost = 0.0;
  for (std::size_t slot : p.slots) cost += s.out_cost[slot];
  return cost;
}

}  // namespace detail

/// The `options.k` most probable loopless paths from any vertex of `sources` to any vertex of
/// `targets`, most probable first (ties: vertex ids, then edge indices). Probability is the
/// product of `prob` over the path's edges; edges with probability 0 are never used. A path may
/// pass through other sources and targets; a vertex that is both a source and a target is a
/// 0-hop path of probability 1 (the attacker already holds the crown jewel). Empty sources or
/// targets give no paths.
/// Complexity: O(k · L · S) where L is the path length and S the cost of one A* spur search —
/// small when probabilities separate paths, at worst a Dijkstra over the graph; plus one reverse
/// Dijkstra, O(E log V).
/// Determinism: identical results for every `Exec` and thread count.
/// Throws: model_error on a vertex or index out of range; input_error on a probability outside [0,1].
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
paths_result k_most_probable_paths(const G& g, const std::vector<vertex_t<G>>& sources,
                                   const std::vector<vertex_t<G>>& targets, const ProbMap& prob,
                                   const paths_options& options = {}, Exec exec = {}) {
  using namespace detail;
  search_problem problem = prepare_search(g, sources, targets, prob, options.excluded_vertices, options.excluded_edges);
  const search_graph& s = problem.graph;
  yen_context c{s, std::move(problem.is_source), std::move(problem.is_target), {}, {},
                options.max_hops == 0 ? static_cast<std::size_t>(-1) : options.max_hops};
  c.to_target = costs_to_targets(s, c.is_target);
  if (options.max_hops != 0) c.hops_to_target = hops_to_targets(s, c.is_target);

  paths_result result;
  if (options.k == 0) return result;
  auto cancelled = [&options] { return options.cancel != nullptr && options.cancel->cancelled(); };

  std::vector<flat_path> accepted;
  struct candidate {
    attack_path path;
    flat_path flat;
  };
  auto order = [](const candidate& a, const candidate& b) { return more_probable(a.path, b.path); };
  std::set<candidate, decltype(order)> candidates(order);
  auto consider = [&](flat_path&& p) {
    attack_path a = to_attack_path(s, p);
    if (a.probability < options.min_probability || a.probability == 0.0) return;
    candidates.insert({std::move(a), std::move(p)});
  };

  {
    spur_search first{c};
    flat_path p;
    if (first.run({}, {}, {}, false, p)) consider(std::move(p));
    result.spur_searches = 1;
    result.edge_relaxations = first.relaxations;
  }

  run_with(exec, [&] {
    while (!candidates.empty() && result.paths.size() < options.k) {
      if (cancelled()) {
        result.cancelled = true;
        break;
      }
      auto best = candidates.begin();
      result.paths.push_back(best->path);
      accepted.push_back(best->flat);
      candidates.erase(best);
      if (result.paths.size() == options.k) break;

      // Spur positions: -1 is the super-source (a new first vertex), i >= 0 deviates after vertex i.
      const flat_path& last = accepted.back();
      const std::size_t positions = last.vertices.size() + 1;
      const std::size_t still_needed = options.k - result.paths.size();
      // A spur whose lower bound exceeds the worst cost still needed cannot contribute.
      double worst_needed = infinite_cost;
      if (candidates.size() >= still_needed) {
        auto it = candidates.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(still_needed - 1));
        worst_needed = -std::log(it->path.probability);
      }
      std::vector<flat_path> found(positions);
      std::vector<char> has(positions, 0);
      std::vector<std::size_t> relax(positions, 0);
      auto spur_at = [&](std::size_t pos) {
        flat_path root;
        std::vector<std::size_t> removed_slots;
        std::vector<std::uint32_t> removed_starts;
        bool exit_removed = false;
        if (pos == 0) {
          for (const flat_path& a : accepted) removed_starts.push_back(a.vertices.front());
        } else {
          const std::size_t i = pos - 1;  // spur after vertex i
          root.vertices.assign(last.vertices.begin(), last.vertices.begin() + static_cast<std::ptrdiff_t>(i) + 1);
          root.slots.assign(last.slots.begin(), last.slots.begin() + static_cast<std::ptrdiff_t>(i));
          const double root_cost = path_cost(s, root);
          if (root_cost + c.to_target[root.vertices.back()] > worst_needed * (1 + 1e-12) + 1e-300) return;
          for (const flat_path& a : accepted) {
            if (a.vertices.size() < i + 1 || !std::equal(root.vertices.begin(), root.vertices.end(), a.vertices.begin()) ||
                !std::equal(root.slots.begin(), root.slots.end(), a.slots.begin()))
              continue;
            if (a.slots.size() > i) removed_slots.push_back(a.slots[i]);
            else exit_removed = true;
          }
        }
        spur_search search{c};
        flat_path spur;
        if (search.run(root, removed_slots, removed_starts, exit_removed, spur)) {
          flat_path total = root;
          if (!total.vertices.empty()) total.vertices.pop_back();  // the spur path starts with the spur vertex
          total.vertices.insert(total.vertices.end(), spur.vertices.begin(), spur.vertices.end());
          total.slots.insert(total.slots.end(), spur.slots.begin(), spur.slots.end());
          found[pos] = std::move(total);
          has[pos] = 1;
        }
        relax[pos] = search.relaxations;
      };
      if constexpr (is_parallel<Exec>) {
        tbb::parallel_for(std::size_t{0}, positions, [&](std::size_t pos) { spur_at(pos); });
      } else {
        for (std::size_t pos = 0; pos < positions; ++pos) spur_at(pos);
      }
      for (std::size_t pos = 0; pos < positions; ++pos) {
        result.edge_relaxations += relax[pos];
        if (has[pos]) consider(std::move(found[pos]));
      }
      result.spur_searches += positions;
    }
  });
  return result;
}

}  // namespace twinrisk
