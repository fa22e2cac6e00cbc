#pragma once
/// Minimum-cost cuts: the cheapest set of edges (and, optionally, nodes) whose removal leaves no
/// path from any entry point to any crown jewel. Max-flow / min-cut (Ford–Fulkerson's theorem)
/// on a network with a super source feeding every source and a super sink fed by every target;
/// a removable node is split in two, joined by an edge whose capacity is the node's cost. The
/// maximum flow is Boost.Graph's `push_relabel_max_flow`; the cut is the edges leaving the set of
/// vertices still reachable from the super source in the residual network — the same set for
/// every maximum flow, so the answer is deterministic.
///
///     cut_result cut = minimum_cost_cut(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t), {});
///     cut.cost;    // number of edges to remove when every edge costs 1
///     cut.edges;   // their edge indices
///
/// Edges with probability 0 carry no attacker and are never part of a cut; an edge or node of
/// infinite cost cannot be removed. When no finite cut exists (an entry point is itself a crown
/// jewel, or every path crosses only irremovable elements), `cost` is infinity and the lists are
/// empty.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/concepts.hpp"

namespace twinrisk {

/// What removing each element costs. Empty `edge`: every edge costs 1. Empty `node`: nodes are
/// not removable (only edges are cut). Infinity marks an element that cannot be removed.
struct cut_costs {
  std::vector<double> edge{};  ///< by edge index, >= 0 or infinity
  std::vector<double> node{};  ///< by vertex, >= 0 or infinity
};

/// The cheapest cut: its cost and what to remove.
struct cut_result {
  double cost = 0.0;                ///< infinity when no finite cut exists
  std::vector<std::size_t> edges{};  ///< edge indices, ascending
  std::vector<std::size_t> nodes{};  ///< vertices, ascending
  [[nodiscard]] bool feasible() const noexcept { return std::isfinite(cost); }
};

namespace detail {

inline void check_costs(const std::vector<double>& costs, std::size_t expected, const char* what) {
  if (costs.empty()) return;
  check_entry_count(costs.size(), expected, std::string(what) + " costs have", std::string(what) + "s");
  for (std::size_t i = 0; i < costs.size(); ++i)
    if (!(costs[i] >= 0.0))  // NaN fails too; +infinity is allowed
      throw input_error({.pointer = "/" + std::string(what) + "s/" + std::to_string(i) + "/cost"},
                        "expected a cost >= 0 or infinity, got " + show_number(costs[i]));
}

}  // namespace detail

/// The minimum-cost set of edges (and nodes, when `costs.node` is given) separating `sources`
/// from `targets` in `g`, over the edges with `prob` > 0.
/// Complexity: O(V'^2 sqrt(E')) worst case for push-relabel on the network of V' = V (+ V split
/// nodes) + 2 vertices and E' = E + |sources| + |targets| (+ V) edges; near-linear in practice.
/// Throws: model_error on a vertex out of range or costs of the wrong size; input_error on a
/// negative or NaN cost or a probability outside [0, 1].
template <edge_indexed_graph G, class ProbMap>
  requires edge_probability_map<ProbMap, G>
cut_result minimum_cost_cut(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                            const ProbMap& prob, const cut_costs& costs = {}) {
  const std::size_t n = num_vertices(g), m = num_edges(g);
  detail::check_costs(costs.edge, m, "edge");
  detail::check_costs(costs.node, n, "node");
  for (const auto* list : {&sources, &targets})
    for (auto v : *list)
      if (static_cast<std::size_t>(v) >= n) throw model_error("vertex " + std::to_string(v) + " is not in the graph");
  const bool split = !costs.node.empty();
  auto edge_cost = [&](std::size_t e) { return costs.edge.empty() ? 1.0 : costs.edge[e]; };
  // Infinite costs become one more than every finite cost together: a cut that needs one is
  // dearer than any finite cut, and a flow that large means there is none.
  double finite_total = 1.0;
  for (auto uv : boost::make_iterator_range(edges(g)))
    if (const double c = edge_cost(get(boost::edge_index, g, uv)); std::isfinite(c)) finite_total += c;
  for (double c : costs.node)
    if (std::isfinite(c)) finite_total += c;
  const double unbounded = 2.0 * finite_total;
  auto capacity_of = [&](double c) { return std::isfinite(c) ? c : unbounded; };

  // Network vertices: v_in = v, v_out = v + n when split (else v), super source S, sink T.
  using traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using network = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, double,
                      boost::property<boost::edge_residual_capacity_t, double,
                                      boost::property<boost::edge_reverse_t, traits::edge_descriptor>>>>;
  const std::size_t halves = split ? 2 * n : n, s = halves, t = halves + 1;
  network net(halves + 2);
  auto capacity = get(boost::edge_capacity, net);
  auto reverse = get(boost::edge_reverse, net);
  auto in_of = [](std::size_t v) { return v; };
  auto out_of = [&](std::size_t v) { return split ? v + n : v; };
  // Each arc with its reverse of capacity 0; `kind` remembers what cutting it removes.
  struct arc_info {
    traits::edge_descriptor arc;
    std::size_t what;  // edge index, or vertex for node arcs
    bool is_node;
  };
  std::vector<arc_info> removable;
  auto add_arc = [&](std::size_t a, std::size_t b, double cap) {
    const auto ab = add_edge(a, b, net).first, ba = add_edge(b, a, net).first;
    capacity[ab] = cap, capacity[ba] = 0.0;
    reverse[ab] = ba, reverse[ba] = ab;
    return ab;
  };
  if (split)
    for (std::size_t v = 0; v < n; ++v) removable.push_back({add_arc(in_of(v), out_of(v), capacity_of(costs.node[v])), v, true});
  for (auto uv : boost::make_iterator_range(edges(g))) {
    const double p = get(prob, uv);
    if (!(p >= 0.0 && p <= 1.0))
      throw input_error({.pointer = "/edges/" + std::to_string(get(boost::edge_index, g, uv)) + "/probability"},
                        "expected a probability in [0,1], got " + detail::show_number(p));
    if (p == 0.0) continue;
    const std::size_t e = get(boost::edge_index, g, uv);
    removable.push_back({add_arc(out_of(source(uv, g)), in_of(target(uv, g)), capacity_of(edge_cost(e))), e, false});
  }
  for (auto v : sources) add_arc(s, in_of(v), unbounded * 2.0);
  for (auto v : targets) add_arc(out_of(v), t, unbounded * 2.0);

  const double flow = boost::push_relabel_max_flow(net, s, t);
  cut_result r;
  if (flow >= unbounded) {
    r.cost = std::numeric_limits<double>::infinity();
    return r;
  }
  // The source side: reachable from S through arcs with residual capacity left.
  auto residual = get(boost::edge_residual_capacity, net);
  const double tolerance = 1e-12 * finite_total;
  std::vector<char> reached(halves + 2, 0);
  std::vector<std::size_t> stack{s};
  reached[s] = 1;
  while (!stack.empty()) {
    const std::size_t a = stack.back();
    stack.pop_back();
    for (auto ab : boost::make_iterator_range(out_edges(a, net)))
      if (const std::size_t b = target(ab, net); !reached[b] && residual[ab] > tolerance) reached[b] = 1, stack.push_back(b);
  }
  for (const arc_info& x : removable)
    if (reached[source(x.arc, net)] && !reached[target(x.arc, net)]) {
      (x.is_node ? r.nodes : r.edges).push_back(x.what);
      r.cost += x.is_node ? costs.node[x.what] : edge_cost(x.what);
    }
  std::sort(r.edges.begin(), r.edges.end());
  std::sort(r.nodes.begin(), r.nodes.end());
  return r;
}

}  // namespace twinrisk
