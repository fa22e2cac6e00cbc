#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/twin.hpp"
#include "twinrisk/model/twin_builder.hpp"

using namespace twinrisk;

TEST_CASE("a twin models Boost.Graph's graph concepts") {
  BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<twin>));
  BOOST_CONCEPT_ASSERT((boost::EdgeListGraphConcept<twin>));
  BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<twin>));
  BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<twin>));
  BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<twin>));
  BOOST_CONCEPT_ASSERT((boost::ReadablePropertyGraphConcept<twin, boost::graph_traits<twin>::edge_descriptor, boost::edge_index_t>));
  CHECK(true);
}

TEST_CASE("lookups by id, by kind and by flag") {
  const twin t = twinrisk_test::small_twin();
  REQUIRE(t.num_nodes() == 4);
  REQUIRE(t.num_edges() == 3);
  CHECK(t.info().name == "small");
  const auto ws = t.at("ws");
  CHECK(t.id(ws) == "ws");
  CHECK(t[ws].name == "Laptop");
  CHECK(t.find("nobody") == std::nullopt);
  CHECK_THROWS_WITH_AS((void)t.at("nobody"), "unknown node id 'nobody'", model_error);
  CHECK_THROWS_WITH_AS((void)t.id(99), "vertex 99 is not in the twin (it has 4 nodes)", model_error);
  CHECK(t.entry_points() == std::vector<std::size_t>{t.at("vpn")});
  CHECK(t.crown_jewels() == std::vector<std::size_t>{t.at("db")});
  CHECK(t.nodes_of_kind(node_kind::user) == std::vector<std::size_t>{t.at("alice")});
  CHECK(t.nodes_of_kind(node_kind::ai_agent).empty());
}

TEST_CASE("out-edges, in-edges and edge indices agree with what was added") {
  const twin t = twinrisk_test::small_twin();
  std::multiset<std::pair<std::string, std::string>> out, in;
  for (auto v : t.vertices()) {
    for (auto uv : t.out_edges(v)) {
      CHECK(t.source(uv) == v);
      out.insert({t.id(t.source(uv)), t.id(t.target(uv))});
    }
    for (auto uv : t.in_edges(v)) {
      CHECK(t.target(uv) == v);
      in.insert({t.id(t.source(uv)), t.id(t.target(uv))});
    }
  }
  const std::multiset<std::pair<std::string, std::string>> expected = {{"vpn", "ws"}, {"ws", "db"}, {"ws", "alice"}};
  CHECK(out == expected);
  CHECK(in == expected);
  CHECK(out_degree(t.at("ws"), t) == 2);
  CHECK(in_degree(t.at("ws"), t) == 1);
  CHECK(degree(t.at("ws"), t) == 3);

  // Edge indices are dense, and the probability seen through an in-edge is the same edge's.
  std::vector<int> seen(t.num_edges(), 0);
  for (auto uv : t.edges()) ++seen.at(t.edge_index(uv));
  CHECK(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  const auto prob = get(&edge::probability, t);
  for (auto uv : t.in_edges(t.at("db"))) {
    CHECK(get(prob, uv) == 0.25);
    CHECK(t[uv].kind == edge_kind::exploits);
  }
  // Edges of one source keep the order in which they were added.
  std::vector<std::string> targets;
  for (auto uv : t.out_edges(t.at("ws"))) targets.push_back(t.id(t.target(uv)));
  CHECK(targets == std::vector<std::string>{"db", "alice"});
}

namespace {
// Vertices reachable from `s`, by repeated relaxation over the plain edge list (no graph library).
std::set<std::size_t> reachable_brute_force(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& es,
                                            std::size_t s) {
  std::vector<bool> r(n, false);
  r[s] = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (auto [u, v] : es)
      if (r[u] && !r[v]) r[v] = changed = true;
  }
  std::set<std::size_t> out;
  for (std::size_t v = 0; v < n; ++v)
    if (r[v]) out.insert(v);
  return out;
}
}  // namespace

TEST_CASE("Boost.Graph's breadth-first search runs on a twin directly and matches brute force") {
  detail::structure_rng rng{12345};  // fixed, portable test randomness
  auto next = [&rng] { return rng.next(); };
  for (int round = 0; round < 20; ++round) {
    const std::size_t n = 2 + next() % 30, m = next() % 80;
    twin_builder b;
    for (std::size_t v = 0; v < n; ++v) b.add_node("n" + std::to_string(v), {.name = "node"});
    std::vector<std::pair<std::size_t, std::size_t>> es;
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t u = next() % n, v = next() % n;
      es.emplace_back(u, v);
      b.add_edge("n" + std::to_string(u), "n" + std::to_string(v), {.probability = 0.5});
    }
    const twin t = b.build();
    for (std::size_t s = 0; s < n; ++s) {
      std::vector<boost::default_color_type> color(n);
      boost::breadth_first_search(t, t.at("n" + std::to_string(s)),
                                  boost::color_map(boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, t))));
      std::set<std::size_t> bfs;
      for (auto v : t.vertices())
        if (color[v] != boost::white_color) bfs.insert(std::stoul(t.id(v).substr(1)));
      CHECK(bfs == reachable_brute_force(n, es, s));
    }
  }
}

TEST_CASE("twins copy and move as values") {
  const twin a = twinrisk_test::small_twin();
  twin b = a;
  CHECK(b.at("db") == a.at("db"));
  CHECK(b.num_edges() == 3);
  twin c = std::move(b);
  CHECK(c.id(c.at("alice")) == "alice");
  CHECK(c.find("vpn").has_value());
}
