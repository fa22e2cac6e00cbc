// Minimum-cost cuts against brute force: on random small graphs, every subset of edges (and of
// nodes) is tried, and the cheapest one that leaves no path from a source to a target must cost
// exactly what minimum_cost_cut says; its own answer must be such a separating set.

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <boost/property_map/property_map.hpp>
#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/remediate/min_cut.hpp"

using namespace twinrisk;
using twinrisk_test::edge_index_of;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// True when some target is reachable from some source over edges with p > 0 that are not
// removed, through nodes that are not removed.
bool connected(const twin& t, const std::vector<std::size_t>& sources, const std::vector<std::size_t>& targets,
               const std::vector<char>& edge_gone, const std::vector<char>& node_gone) {
  std::vector<char> seen(t.num_nodes(), 0);
  std::vector<std::size_t> stack;
  for (auto s : sources)
    if (!node_gone[s]) seen[s] = 1, stack.push_back(s);
  while (!stack.empty()) {
    const std::size_t u = stack.back();
    stack.pop_back();
    for (auto uv : t.out_edges(u)) {
      const std::size_t v = t.target(uv);
      if (!seen[v] && !node_gone[v] && !edge_gone[t.edge_index(uv)] && t[uv].probability > 0.0) seen[v] = 1, stack.push_back(v);
    }
  }
  for (auto v : targets)
    if (seen[v]) return true;
  return false;
}


struct random_case {
  twin t;
  std::vector<std::size_t> sources, targets;
  cut_costs costs;
};

random_case make_case(std::uint64_t seed, bool with_nodes) {
  detail::structure_rng rng{seed};
  const std::size_t n = 4 + rng.below(4), m = with_nodes ? 4 + rng.below(6) : 5 + rng.below(9);
  twin_builder b;
  for (std::size_t v = 0; v < n; ++v) b.add_node("v" + std::to_string(v), {});
  random_case c;
  for (std::size_t e = 0; e < m; ++e) {
    const std::size_t u = rng.below(n), v = rng.below(n);
    b.add_edge(u, v, {.probability = rng.uniform() < 0.1 ? 0.0 : 0.5});
    const std::size_t r = rng.below(10);
    c.costs.edge.push_back(r == 0 ? inf : static_cast<double>(1 + r % 5));  // integers: sums are exact
  }
  c.t = std::move(b).build();
  c.sources = {0};
  if (rng.uniform() < 0.5) c.sources.push_back(1);
  c.targets = {n - 1};
  if (rng.uniform() < 0.5) c.targets.push_back(n - 2);
  if (with_nodes)
    for (std::size_t v = 0; v < n; ++v) c.costs.node.push_back(rng.below(4) == 0 ? inf : static_cast<double>(1 + rng.below(6)));
  return c;
}

// The cheapest separating subset, by trying them all.
double brute_force_cost(const random_case& c) {
  const std::size_t m = c.t.num_edges(), n = c.t.num_nodes(), nodes = c.costs.node.empty() ? 0 : n;
  double best = inf;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << (m + nodes)); ++mask) {
    std::vector<char> edge_gone(m, 0), node_gone(n, 0);
    double cost = 0.0;
    for (std::size_t e = 0; e < m; ++e)
      if ((mask >> e) & 1u) edge_gone[e] = 1, cost += c.costs.edge[e];
    for (std::size_t v = 0; v < nodes; ++v)
      if ((mask >> (m + v)) & 1u) node_gone[v] = 1, cost += c.costs.node[v];
    if (cost < best && !connected(c.t, c.sources, c.targets, edge_gone, node_gone)) best = cost;
  }
  return best;
}

void check_against_brute_force(const random_case& c) {
  const cut_result r = minimum_cost_cut(c.t, c.sources, c.targets, get(&edge::probability, c.t), c.costs);
  const double expected = brute_force_cost(c);
  CHECK(r.cost == expected);
  if (!std::isfinite(expected)) {
    CHECK(r.edges.empty());
    CHECK(r.nodes.empty());
    return;
  }
  std::vector<char> edge_gone(c.t.num_edges(), 0), node_gone(c.t.num_nodes(), 0);
  double sum = 0.0;
  for (auto e : r.edges) edge_gone[e] = 1, sum += c.costs.edge[e];
  for (auto v : r.nodes) node_gone[v] = 1, sum += c.costs.node[v];
  CHECK(sum == r.cost);
  CHECK_FALSE(connected(c.t, c.sources, c.targets, edge_gone, node_gone));
}

}  // namespace

TEST_CASE("minimum-cost edge cuts equal brute force on 300 random small graphs") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    check_against_brute_force(make_case(seed, false));
  }
}

TEST_CASE("minimum-cost cuts of edges and nodes (split nodes) equal brute force on 300 random small graphs") {
  for (std::uint64_t seed = 1001; seed <= 1300; ++seed) {
    CAPTURE(seed);
    check_against_brute_force(make_case(seed, true));
  }
}

TEST_CASE("hand-made cuts: a choke point, unit costs, irremovable edges, no finite cut") {
  // e -> a -> c, e -> b -> c, c -> j: cutting c -> j (1 edge) beats cutting both branches.
  const twin t = twinrisk_test::diamond_twin(0.5, 0.5, 0.5, 0.5, 0.5);
  const auto prob = get(&edge::probability, t);
  const cut_result unit = minimum_cost_cut(t, {0}, {4}, prob);
  CHECK(unit.cost == 1.0);
  CHECK(unit.edges == std::vector<std::size_t>{edge_index_of(t, "c", "j")});
  // The choke point cannot be touched: both branches go (cost 2).
  cut_costs costs{.edge = std::vector<double>(t.num_edges(), 1.0)};
  costs.edge[edge_index_of(t, "c", "j")] = inf;
  CHECK(minimum_cost_cut(t, {0}, {4}, prob, costs).cost == 2.0);
  // Isolating node c costs 1.5 when nodes may go.
  costs.node = {inf, inf, inf, 1.5, inf};
  const cut_result with_node = minimum_cost_cut(t, {0}, {4}, prob, costs);
  CHECK(with_node.cost == 1.5);
  CHECK(with_node.nodes == std::vector<std::size_t>{3});
  CHECK(with_node.edges.empty());
  // An entry point that is itself the target cannot be cut off.
  const cut_result none = minimum_cost_cut(t, {0}, {0}, prob);
  CHECK_FALSE(none.feasible());
  CHECK(none.edges.empty());
}

TEST_CASE("the sample twin: the cut separates every entry point from every crown jewel") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const cut_result r = minimum_cost_cut(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t));
  REQUIRE(r.feasible());
  CHECK(r.cost == static_cast<double>(r.edges.size()));
  std::vector<char> edge_gone(t.num_edges(), 0), node_gone(t.num_nodes(), 0);
  for (auto e : r.edges) edge_gone[e] = 1;
  const std::vector<std::size_t> sources = t.entry_points(), targets = t.crown_jewels();
  CHECK_FALSE(connected(t, sources, targets, edge_gone, node_gone));
  // Removing any one edge of the cut and putting the rest back reconnects: it is minimal.
  for (auto e : r.edges) {
    edge_gone[e] = 0;
    CHECK(connected(t, sources, targets, edge_gone, node_gone));
    edge_gone[e] = 1;
  }
}

TEST_CASE("bad costs are named") {
  const twin t = twinrisk_test::small_twin();
  const auto prob = get(&edge::probability, t);
  CHECK_THROWS_WITH_AS(minimum_cost_cut(t, {0}, {1}, prob, {.edge = {1.0}}), doctest::Contains("edge costs have 1 entries"),
                       model_error);
  std::vector<double> costs(t.num_edges(), 1.0);
  costs[0] = -1.0;
  CHECK_THROWS_WITH_AS(minimum_cost_cut(t, {0}, {1}, prob, {.edge = costs}), "/edges/0/cost: expected a cost >= 0 or infinity, got -1",
                       input_error);
  costs[0] = std::nan("");
  CHECK_THROWS_AS(minimum_cost_cut(t, {0}, {1}, prob, {.edge = costs}), input_error);
  CHECK_THROWS_AS(minimum_cost_cut(t, {0}, {99}, prob), model_error);
}

TEST_CASE("bad probabilities and vertices out of range are named") {
  const twin t = twinrisk_test::small_twin();  // 4 vertices; edges 0: vpn -> ws, 1: ws -> db, 2: ws -> alice
  auto cut_with = [&t](std::vector<double> p) {
    return minimum_cost_cut(t, t.entry_points(), t.crown_jewels(), boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()));
  };
  CHECK_THROWS_WITH_AS(cut_with({0.5, 1.5, 0.5}), "/edges/1/probability: expected a probability in [0,1], got 1.5", input_error);
  CHECK_THROWS_WITH_AS(cut_with({-0.5, 0.5, 0.5}), "/edges/0/probability: expected a probability in [0,1], got -0.5", input_error);
  CHECK_THROWS_WITH_AS(cut_with({0.5, 0.5, std::nan("")}), "/edges/2/probability: expected a probability in [0,1], got NaN", input_error);
  CHECK_THROWS_WITH_AS(cut_with({0.5, inf, 0.5}), "/edges/1/probability: expected a probability in [0,1], got inf", input_error);
  CHECK(cut_with({0.5, 0.0, 1.0}).cost == 0.0);  // the bounds are fine; p = 0 on the only way in needs no cut
  const auto prob = get(&edge::probability, t);
  CHECK_THROWS_WITH_AS(minimum_cost_cut(t, {0}, {99}, prob), "vertex 99 is not in the graph", model_error);
  CHECK_THROWS_WITH_AS(minimum_cost_cut(t, {4}, {2}, prob), "vertex 4 is not in the graph", model_error);
  std::vector<double> costs(t.num_edges(), 1.0);
  costs[2] = std::nan("");
  CHECK_THROWS_WITH_AS(minimum_cost_cut(t, {0}, {2}, prob, {.edge = costs}), "/edges/2/cost: expected a cost >= 0 or infinity, got NaN",
                       input_error);
  CHECK_THROWS_WITH_AS(minimum_cost_cut(t, {0}, {2}, prob, {.node = {1.0, -inf, 1.0, 1.0}}),
                       "/nodes/1/cost: expected a cost >= 0 or infinity, got -inf", input_error);
}
