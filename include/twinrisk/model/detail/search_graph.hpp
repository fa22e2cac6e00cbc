#pragma once
/// A flat copy of a graph's traversable edges for the path searches: forward and reverse CSR
/// arrays with costs (-ln p), probabilities and edge indices. Built once per call, in O(V + E)
/// and in parallel, from any graph that satisfies `edge_indexed_graph`; the hot loops then
/// touch plain arrays.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

#include <boost/range/iterator_range.hpp>

#include "twinrisk/detail/indexed_heap.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"

namespace twinrisk::detail {

struct search_graph {
  std::size_t n = 0;
  // Forward: the out-edges of v are [out_begin[v], out_begin[v + 1]).
  std::vector<std::size_t> out_begin;
  std::vector<std::uint32_t> out_target;
  std::vector<double> out_cost;  // -ln p
  std::vector<double> out_prob;
  std::vector<std::size_t> out_edge;  // edge index in the caller's graph
  // Reverse: the in-edges of v are [in_begin[v], in_begin[v + 1]), in source order.
  std::vector<std::size_t> in_begin;
  std::vector<std::uint32_t> in_source;
  std::vector<double> in_cost;
  std::vector<std::size_t> in_slot;  // the same edge's forward slot
};

/// A hint to fetch `p` into cache: the depth-first searches are bound by memory latency.
inline void prefetch(const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

/// The reverse of forward CSR arrays over n vertices: the in-edges of v are [in_begin[v],
/// in_begin[v + 1]), in source order, with their sources and forward slots. Counting sort on
/// the target (sequential: it scatters across the arrays).
inline void reverse_arrays(std::size_t n, const std::vector<std::size_t>& out_begin, const std::vector<std::uint32_t>& out_target,
                           std::vector<std::size_t>& in_begin, std::vector<std::uint32_t>& in_source,
                           std::vector<std::size_t>& in_slot) {
  in_begin.assign(n + 1, 0);
  for (std::uint32_t v : out_target) ++in_begin[v + 1];
  for (std::size_t v = 0; v < n; ++v) in_begin[v + 1] += in_begin[v];
  in_source.resize(out_target.size());
  in_slot.resize(out_target.size());
  std::vector<std::size_t> fill(in_begin.begin(), in_begin.end() - 1);
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t i = out_begin[u]; i < out_begin[u + 1]; ++i) {
      const std::size_t slot = fill[out_target[i]]++;
      in_source[slot] = static_cast<std::uint32_t>(u);
      in_slot[slot] = i;
    }
}

/// Copies the edges of `g` that can be traversed: probability > 0.
/// Throws: input_error on a probability outside [0,1] or NaN (the lowest such edge index);
/// model_error on too many vertices.
template <edge_indexed_graph G, class ProbMap>
search_graph make_search_graph(const G& g, const ProbMap& prob, bool parallel) {
  search_graph s;
  s.n = num_vertices(g);
  if (s.n >= std::numeric_limits<std::uint32_t>::max()) throw model_error("graph too large for path search (2^32 vertices)");
  const auto index = get(boost::edge_index, g);
  std::mutex bad_mutex;
  std::size_t bad_edge = static_cast<std::size_t>(-1);
  double bad_probability = 0.0;
  // Visits the usable out-edges of u; records the lowest invalid edge instead of throwing
  // from a worker, so the error is the same for every thread count.
  auto for_usable = [&](std::size_t u, auto&& use) {
    for (auto uv : boost::make_iterator_range(out_edges(static_cast<vertex_t<G>>(u), g))) {
      const double p = static_cast<double>(get(prob, uv));
      const std::size_t e = get(index, uv);
      if (!(p >= 0.0 && p <= 1.0)) {
        const std::lock_guard lock(bad_mutex);
        if (e < bad_edge) bad_edge = e, bad_probability = p;
        continue;
      }
      if (p > 0.0) use(static_cast<std::size_t>(target(uv, g)), p, e);
    }
  };
  s.out_begin.assign(s.n + 1, 0);
  for_vertex_blocks(parallel, s.n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t u = begin; u < end; ++u) for_usable(u, [&](std::size_t, double, std::size_t) { ++s.out_begin[u + 1]; });
  });
  if (bad_edge != static_cast<std::size_t>(-1))
    throw input_error({.pointer = "/edges/" + std::to_string(bad_edge) + "/probability"},
                      "expected a number in [0,1], got " + show_number(bad_probability));
  for (std::size_t u = 0; u < s.n; ++u) s.out_begin[u + 1] += s.out_begin[u];
  const std::size_t m = s.out_begin[s.n];
  s.out_target.resize(m);
  s.out_cost.resize(m);
  s.out_prob.resize(m);
  s.out_edge.resize(m);
  for_vertex_blocks(parallel, s.n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t u = begin; u < end; ++u) {
      std::size_t i = s.out_begin[u];
      for_usable(u, [&](std::size_t v, double p, std::size_t e) {
        s.out_target[i] = static_cast<std::uint32_t>(v);
        s.out_cost[i] = -std::log(p);
        s.out_prob[i] = p;
        s.out_edge[i] = e;
        ++i;
      });
    }
  });
  reverse_arrays(s.n, s.out_begin, s.out_target, s.in_begin, s.in_source, s.in_slot);
  s.in_cost.resize(m);
  for (std::size_t j = 0; j < m; ++j) s.in_cost[j] = s.out_cost[s.in_slot[j]];
  return s;
}

/// One flag per vertex of a graph of `n`; throws model_error naming `what` ("source",
/// "target", ...) on a vertex out of range.
template <class V>
std::vector<char> vertex_flags(std::size_t n, const std::vector<V>& vertices, const char* what) {
  std::vector<char> flags(n, 0);
  for (V v : vertices) {
    if (static_cast<std::size_t>(v) >= n)
      throw model_error(std::string(what) + " vertex " + std::to_string(v) + " is not in the graph (" +
                        std::to_string(n) + " vertices)");
    flags[static_cast<std::size_t>(v)] = 1;
  }
  return flags;
}

inline constexpr double infinite_cost = std::numeric_limits<double>::infinity();
inline constexpr std::uint32_t no_vertex = std::numeric_limits<std::uint32_t>::max();

/// The shortest-path tree towards the targets: for every vertex the cost of the cheapest path
/// to any target, the first edge (slot) of one such path and its number of hops.
struct target_tree {
  std::vector<double> cost;           // infinite_cost when no target is reachable
  std::vector<std::size_t> next_slot;  // no_slot at targets and unreachable vertices
  std::vector<std::uint32_t> hops;
  // The out-slots of each vertex of more than `sorted_degree` edges in order of reduced cost
  // c(u,w) + cost[w] - cost[u] (ties: slot), so a search meets the most promising edge first
  // and can stop early: they start at best_first[best_first_at[u]]. Smaller vertices are
  // scanned whole, which costs less than sorting all million edges for every index.
  static constexpr std::size_t sorted_degree = 32;
  std::vector<std::size_t> best_first_at;  // no_slot: not sorted
  std::vector<std::size_t> best_first;
};
inline constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

/// Reverse Dijkstra from all targets, then the best-first edge orders (in parallel when asked).
inline target_tree tree_to_targets(const search_graph& s, const std::vector<char>& is_target, bool parallel) {
  target_tree t;
  t.cost.assign(s.n, infinite_cost);
  t.next_slot.assign(s.n, no_slot);
  t.hops.assign(s.n, 0);
  std::vector<double>& d = t.cost;
  indexed_min_heap q(s.n, d);
  for (std::uint32_t v = 0; v < s.n; ++v)
    if (is_target[v]) {
      d[v] = 0.0;
      q.push_or_decrease(v);
    }
  while (!q.empty()) {
    const std::uint32_t v = q.pop();
    const double dv = d[v];
    for (std::size_t i = s.in_begin[v]; i < s.in_begin[v + 1]; ++i) {
      const std::uint32_t u = s.in_source[i];
      const double du = dv + s.in_cost[i];
      if (du < d[u]) {
        d[u] = du;
        t.next_slot[u] = s.in_slot[i];
        t.hops[u] = t.hops[v] + 1;
        q.push_or_decrease(u);
      }
    }
  }
  t.best_first_at.assign(s.n, no_slot);
  for (std::size_t u = 0; u < s.n; ++u)
    if (s.out_begin[u + 1] - s.out_begin[u] > target_tree::sorted_degree) {
      t.best_first_at[u] = t.best_first.size();
      t.best_first.resize(t.best_first.size() + s.out_begin[u + 1] - s.out_begin[u]);
    }
  for_vertex_blocks(parallel, s.n, [&](std::size_t begin, std::size_t end) {
    std::vector<std::pair<double, std::size_t>> keyed;  // cost[u] is common to u's edges: c(u,w) + cost[w] orders them
    for (std::size_t u = begin; u < end; ++u) {
      if (t.best_first_at[u] == no_slot) continue;
      keyed.clear();
      for (std::size_t i = s.out_begin[u]; i < s.out_begin[u + 1]; ++i) keyed.emplace_back(s.out_cost[i] + d[s.out_target[i]], i);
      std::sort(keyed.begin(), keyed.end());
      for (std::size_t j = 0; j < keyed.size(); ++j) t.best_first[t.best_first_at[u] + j] = keyed[j].second;
    }
  });
  return t;
}

/// Hop distances to the targets: for every vertex the fewest hops to any target, and a copy
/// of the out-edges reordered nearest-target first (ties: slot), so a depth-bounded search
/// stops scanning a vertex's edges at the first one whose head is too far. The copy holds what
/// the search reads per edge side by side, position by position (`near_*[j]` for positions j in
/// [out_begin[v], out_begin[v + 1])): the depth-first search is bound by memory latency, and
/// reading through a permutation costs it a cache miss per edge.
struct target_hops {
  std::vector<std::uint32_t> hops;  // no_vertex when no target is reachable
  std::vector<std::uint32_t> near_target, near_hops;  // head and its hops to a target
  std::vector<double> near_prob;
  std::vector<std::size_t> near_slot;
};

/// Reverse BFS from all targets, then the nearest-first edge copies (in parallel when asked).
inline target_hops hops_to_targets(const search_graph& s, const std::vector<char>& is_target, bool parallel) {
  target_hops t;
  std::vector<std::uint32_t>& h = t.hops;
  h.assign(s.n, no_vertex);
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
  const std::size_t m = s.out_target.size();
  t.near_target.resize(m);
  t.near_hops.resize(m);
  t.near_prob.resize(m);
  t.near_slot.resize(m);
  for_vertex_blocks(parallel, s.n, [&](std::size_t begin, std::size_t end) {
    std::vector<std::pair<std::uint32_t, std::size_t>> keyed;
    for (std::size_t u = begin; u < end; ++u) {
      keyed.clear();
      for (std::size_t i = s.out_begin[u]; i < s.out_begin[u + 1]; ++i) keyed.emplace_back(h[s.out_target[i]], i);
      std::sort(keyed.begin(), keyed.end());
      for (std::size_t j = s.out_begin[u], k = 0; k < keyed.size(); ++j, ++k) {
        const std::size_t i = keyed[k].second;
        t.near_slot[j] = i;
        t.near_target[j] = s.out_target[i];
        t.near_hops[j] = keyed[k].first;
        t.near_prob[j] = s.out_prob[i];
      }
    }
  });
  return t;
}

/// A path in the flat graph: vertices and forward slots.
struct flat_path {
  std::vector<std::uint32_t> vertices;
  std::vector<std::size_t> slots;
};

inline double path_cost(const search_graph& s, const flat_path& p) {
  double cost = 0.0;
  for (std::size_t slot : p.slots) cost += s.out_cost[slot];
  return cost;
}

}  // namespace twinrisk::detail
