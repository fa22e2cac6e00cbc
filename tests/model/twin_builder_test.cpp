#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/detail/csr_assembly.hpp"
#include "twinrisk/model/twin_builder.hpp"

using namespace twinrisk;

namespace {
twin_builder two_nodes() {
  twin_builder b;
  b.add_node("a", {.name = "A", .kind = node_kind::host});
  b.add_node("b", {.name = "B", .kind = node_kind::database});
  return b;
}
}  // namespace

TEST_CASE("the builder names the offending item") {
  twin_builder b = two_nodes();
  SUBCASE("empty id") {
    CHECK_THROWS_WITH_AS(b.add_node("", {}), "/nodes/2/id: expected a non-empty id", input_error);
    CHECK_THROWS_WITH_AS(b.add_edge("", "b", {}), "/edges/0/from: expected a non-empty node id", input_error);
    CHECK_THROWS_WITH_AS(b.add_edge("a", "", {}), "/edges/0/to: expected a non-empty node id", input_error);
  }
  SUBCASE("duplicate id") {
    CHECK_THROWS_WITH_AS(b.add_node("b", {}), "/nodes/2/id: duplicate node id 'b' (first at /nodes/1)", input_error);
  }
  SUBCASE("probability outside [0,1] or NaN") {
    CHECK_THROWS_WITH_AS(b.add_edge("a", "b", {.probability = 1.7}), "/edges/0/probability: expected a number in [0,1], got 1.7",
                         input_error);
    CHECK_THROWS_WITH_AS(b.add_edge("a", "b", {.probability = -0.25}),
                         "/edges/0/probability: expected a number in [0,1], got -0.25", input_error);
    CHECK_THROWS_WITH_AS(b.add_edge("a", "b", {.probability = std::numeric_limits<double>::quiet_NaN()}),
                         "/edges/0/probability: expected a number in [0,1], got NaN", input_error);
    CHECK_THROWS_WITH_AS(b.add_edge(0, 1, {.probability = std::numeric_limits<double>::infinity()}),
                         "/edges/0/probability: expected a number in [0,1], got inf", input_error);
    b.add_edge("a", "b", {.probability = 0.0});  // the bounds themselves are fine
    b.add_edge("a", "b", {.probability = 1.0});
    CHECK(b.build().num_edges() == 2);
  }
  SUBCASE("unknown endpoints are reported by build(), by position") {
    b.add_edge("a", "b", {});
    b.add_edge("a", "ghost", {});
    CHECK_THROWS_WITH_AS((void)b.build(), "/edges/1/to: unknown node id 'ghost'", input_error);
    twin_builder c = two_nodes();
    c.add_edge(0, 7, {});
    CHECK_THROWS_WITH_AS((void)c.build(), "/edges/0: node position 7 out of range (2 nodes)", input_error);
  }
  SUBCASE("annotations out of their domain") {
    CHECK_THROWS_WITH_AS(b.add_edge("a", "b", {.controls = {{control_kind::mfa, "okta", 1.5}}}),
                         "/edges/0/controls/0/effectiveness: expected a number in [0,1], got 1.5", input_error);
    CHECK_THROWS_WITH_AS(b.add_node("c", {.evidence = {{evidence_status::validated, "2026-02-30"}}}),
                         "/nodes/2/evidence/0/date: expected a date YYYY-MM-DD, got '2026-02-30'", input_error);
    CHECK_THROWS_WITH_AS(b.add_node("c", {.loss = loss_magnitude{distribution_spec::lognormal(10, 1)}}),
                         "/nodes/2/loss/primary: expected finite 0 < low < high for a lognormal distribution",
                         input_error);
    CHECK_THROWS_WITH_AS(
        b.add_node("c", {.loss = loss_magnitude{.primary = distribution_spec::constant(5), .secondary_probability = 2}}),
        "/nodes/2/loss/secondary_probability: expected a number in [0,1], got 2", input_error);
    b.add_node("c", {.evidence = {{evidence_status::validated, "2024-02-29"}}});  // a leap day is a date
  }
  SUBCASE("money needs a currency") {
    b.add_node("c", {.loss = loss_magnitude{distribution_spec::constant(1e6)}});
    CHECK_THROWS_WITH_AS((void)b.build(), "/currency: expected a currency: node 'c' states a loss in money",
                         input_error);
    CHECK_THROWS_WITH_AS(b.set_currency("usd"), "/currency: expected an ISO 4217 code such as \"USD\", got \"usd\"",
                         input_error);
    b.set_currency("EUR");
    CHECK(b.build().info().currency == "EUR");
  }
  SUBCASE("threats") {
    CHECK_THROWS_WITH_AS(b.add_threat({.id = "t", .frequency = distribution_spec::constant(1)}, {}),
                         "/threats/0/entry_points: expected at least one entry point", input_error);
    CHECK_THROWS_WITH_AS(b.add_threat({.id = "t", .frequency = distribution_spec::constant(-1)}, {{"a"}}),
                         "/threats/0/frequency: expected a finite value >= 0 for a constant distribution", input_error);
    CHECK_THROWS_WITH_AS(
        b.add_threat({.id = "t", .frequency = distribution_spec::constant(1), .capability = 0}, {{"a"}}),
        "/threats/0/capability: expected a number in (0,1], got 0", input_error);
    CHECK_THROWS_WITH_AS(b.add_threat({.id = "t", .frequency = distribution_spec::constant(1)}, {{"a", -1}}),
                         "/threats/0/entry_points/0/weight: expected a finite weight > 0, got -1", input_error);
    b.add_threat({.id = "t", .frequency = distribution_spec::constant(1)}, {{"a"}, {"ghost", 2}});
    CHECK_THROWS_WITH_AS(b.add_threat({.id = "t", .frequency = distribution_spec::constant(1)}, {{"a"}}),
                         "/threats/1/id: duplicate threat id 't' (first at /threats/0)", input_error);
    CHECK_THROWS_WITH_AS((void)b.build(), "/threats/0/entry_points/1/node: unknown node id 'ghost'", input_error);
  }
}

TEST_CASE("a failed call leaves the builder as it was (strong guarantee)") {
  twin_builder b = two_nodes();
  b.add_edge("a", "b", {.probability = 0.5});
  CHECK_THROWS_AS(b.add_node("a", {}), input_error);
  CHECK_THROWS_AS(b.add_edge("a", "b", {.probability = 2}), input_error);
  CHECK(b.num_nodes() == 2);
  CHECK(b.num_edges() == 1);
  b.add_edge("b", "nowhere", {});
  CHECK_THROWS_AS((void)std::move(b).build(), input_error);  // a failed build consumes nothing
  CHECK(b.num_edges() == 2);
  CHECK(b.num_nodes() == 2);
}

TEST_CASE("build() on an lvalue leaves the builder reusable; on an rvalue it consumes it") {
  twin_builder b = two_nodes();
  b.add_edge("a", "b", {.kind = edge_kind::exploits, .probability = 0.3});
  const twin first = b.build();
  b.add_node("c", {.name = "C"});
  b.add_edge(1, 2, {.kind = edge_kind::data_flow});  // by position: b -> c
  const twin second = b.build();
  CHECK(first.num_nodes() == 2);
  CHECK(second.num_nodes() == 3);
  CHECK(second.num_edges() == 2);
  const auto bc = *second.out_edges(second.at("b")).begin();
  CHECK(second.id(second.target(bc)) == "c");
  const twin third = std::move(b).build();
  CHECK(third.num_edges() == 2);
  CHECK(b.num_nodes() == 0);
}

TEST_CASE("an empty twin is valid") {
  const twin t = twin_builder{}.build();
  CHECK(t.num_nodes() == 0);
  CHECK(t.num_edges() == 0);
  CHECK(t.entry_points().empty());
}

TEST_CASE("builder_from rebuilds a twin exactly, and extends it") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  twin_builder b = builder_from(t);
  CHECK(write_twin_json(b.build()) == write_twin_json(t));
  b.add_node("extra", {.kind = node_kind::server});
  b.add_edge(t.id(0), "extra", {.kind = edge_kind::network_reach, .probability = 0.5});
  const twin u = std::move(b).build();
  CHECK(u.num_nodes() == t.num_nodes() + 1);
  CHECK(u.num_edges() == t.num_edges() + 1);
  CHECK(u.info().threats.size() == t.info().threats.size());
}

namespace csr_assembly_test {

// A bidirectional CSR graph of int node and edge data, as the twin's graph is of node and edge.
using csr = boost::compressed_sparse_row_graph<boost::bidirectionalS, int, int>;

// Everything a CSR graph answers: each vertex's data, out-edges (target, data, index) in order,
// in-edges (source, index) in order.
std::vector<std::vector<std::size_t>> observe(const csr& g) {
  std::vector<std::vector<std::size_t>> seen;
  const auto index = get(boost::edge_index, g);
  for (std::size_t v = 0; v < num_vertices(g); ++v) {
    std::vector<std::size_t> row{static_cast<std::size_t>(g[v])};
    for (auto e : boost::make_iterator_range(out_edges(v, g)))
      row.insert(row.end(), {target(e, g), static_cast<std::size_t>(g[e]), get(index, e)});
    row.push_back(static_cast<std::size_t>(-1));
    for (auto e : boost::make_iterator_range(in_edges(v, g))) row.insert(row.end(), {source(e, g), get(index, e), static_cast<std::size_t>(g[e])});
    seen.push_back(std::move(row));
  }
  return seen;
}

TEST_CASE("the twin's graph is assembled as Boost's constructor builds it, without copying the data") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = rng() % 12, m = n == 0 ? 0 : rng() % 40;  // multi-edges, loops, isolated nodes, empty graphs
    std::vector<int> nodes(n);
    std::vector<std::pair<std::size_t, std::size_t>> ends(m);
    std::vector<int> edges(m);
    for (std::size_t v = 0; v < n; ++v) nodes[v] = static_cast<int>(100 + v);
    for (std::size_t i = 0; i < m; ++i) ends[i] = {rng() % n, rng() % n}, edges[i] = static_cast<int>(1000 + i);
    CAPTURE(round);
    csr expected(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), edges.begin(), n);
    for (std::size_t v = 0; v < n; ++v) expected[v] = nodes[v];
    csr assembled;
    twinrisk::detail::assemble_csr(assembled, nodes, ends, edges);
    CHECK(observe(assembled) == observe(expected));
    CHECK(num_edges(assembled) == m);
    CHECK((nodes.empty() && ends.empty() && edges.empty()));
  }
  static_assert(twinrisk::detail::csr_members_reachable<csr>, "Boost's CSR layout changed: the copying fallback is in use");
}

}  // namespace csr_assembly_test
