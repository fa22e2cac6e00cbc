#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/property_map/property_map.hpp>
#include <doctest/doctest.h>

#include "paths_brute_force.hpp"
#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/paths/path_index.hpp"

using namespace twinrisk;
using twinrisk_test::all_paths;
using twinrisk_test::make_random_graph;

namespace {
std::vector<attack_path> first_k(std::vector<attack_path> all, std::size_t k) {
  if (all.size() > k) all.resize(k);
  return all;
}
}  // namespace

TEST_CASE("k most probable paths on a hand-made twin") {
  const twin t = twinrisk_test::small_twin();  // vpn -0.5-> ws -0.25-> db, ws -0.75-> alice
  const auto prob = get(&edge::probability, t);
  SUBCASE("the one path to the crown jewel") {
    const auto r = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.k = 5});
    REQUIRE(r.paths.size() == 1);
    CHECK(r.paths[0].vertices == std::vector<std::size_t>{t.at("vpn"), t.at("ws"), t.at("db")});
    CHECK(r.paths[0].probability == 0.5 * 0.25);
    CHECK(r.paths[0].hops() == 2);
    CHECK(to_string(r.paths[0], t) == "vpn -network_reach-> ws -exploits-> db  (p=0.125, 2 hops)");
  }
  SUBCASE("two targets, most probable first") {
    const auto r = k_most_probable_paths(t, {t.at("vpn")}, {t.at("db"), t.at("alice")}, prob, {.k = 5});
    REQUIRE(r.paths.size() == 2);
    CHECK(t.id(r.paths[0].vertices.back()) == "alice");  // 0.375
    CHECK(t.id(r.paths[1].vertices.back()) == "db");     // 0.125
  }
  SUBCASE("a vertex that is both source and target is a 0-hop path of probability 1") {
    const auto r = k_most_probable_paths(t, {t.at("ws")}, {t.at("ws"), t.at("db")}, prob, {.k = 5});
    REQUIRE(r.paths.size() == 2);
    CHECK(r.paths[0].vertices == std::vector<std::size_t>{t.at("ws")});
    CHECK(r.paths[0].probability == 1.0);
    CHECK(r.paths[1].probability == 0.25);
  }
  SUBCASE("unreachable targets, empty sets, k = 0") {
    CHECK(k_most_probable_paths(t, {t.at("db")}, {t.at("vpn")}, prob).paths.empty());
    CHECK(k_most_probable_paths(t, {}, t.crown_jewels(), prob).paths.empty());
    CHECK(k_most_probable_paths(t, t.entry_points(), {}, prob).paths.empty());
    CHECK(k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.k = 0}).paths.empty());
  }
  SUBCASE("bad vertices are model errors") {
    CHECK_THROWS_WITH_AS((void)k_most_probable_paths(t, {std::size_t{9}}, t.crown_jewels(), prob),
                         "source vertex 9 is not in the graph (4 vertices)", model_error);
    CHECK_THROWS_WITH_AS((void)k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.excluded_edges = {7}}),
                         "excluded edge 7 out of range (3)", model_error);
  }
}

TEST_CASE("k most probable paths agree with brute force on seeded random graphs") {
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    std::uint64_t s = seed * 7919;
    const std::size_t n = 2 + twinrisk_test::next_random(s) % 8;
    const std::size_t m = twinrisk_test::next_random(s) % 26;
    const auto g = make_random_graph(seed, n, m);
    const std::size_t k = std::vector<std::size_t>{1, 3, 10, 50}[seed % 4];
    const std::size_t max_hops = seed % 3 == 0 ? 1 + seed % 4 : 0;
    CAPTURE(seed);
    const auto expected = first_k(all_paths(n, g.edges, g.sources, g.targets, max_hops == 0 ? n : max_hops), k);
    const auto got = k_most_probable_paths(g.twin, g.sources, g.targets, get(&edge::probability, g.twin),
                                           {.k = k, .max_hops = max_hops});
    CHECK(got.paths == expected);
    compared += static_cast<int>(expected.size());
  }
  CHECK(compared > 1000);  // the comparison covered many paths, not only empty answers
}

TEST_CASE("excluded vertices and edges, and the probability floor, equal removing them") {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const auto g = make_random_graph(seed, 7, 20);
    const std::size_t cut_vertex = seed % 7, cut_edge = seed % 20;
    std::vector<twinrisk_test::plain_edge> kept = g.edges;
    kept[cut_edge].p = 0.0;  // brute force skips probability-0 edges
    for (auto& e : kept)
      if (e.u == cut_vertex || e.v == cut_vertex) e.p = 0.0;
    std::vector<std::size_t> sources, targets;
    for (auto v : g.sources) if (v != cut_vertex) sources.push_back(v);
    for (auto v : g.targets) if (v != cut_vertex) targets.push_back(v);
    CAPTURE(seed);
    const auto expected = first_k(all_paths(7, kept, sources, targets, 7), 20);
    const auto got = k_most_probable_paths(g.twin, g.sources, g.targets, get(&edge::probability, g.twin),
                                           {.k = 20, .excluded_vertices = {cut_vertex}, .excluded_edges = {cut_edge}});
    CHECK(got.paths == expected);

    auto above = all_paths(7, g.edges, g.sources, g.targets, 7);
    std::erase_if(above, [](const attack_path& p) { return p.probability < 0.1; });
    const auto floored = k_most_probable_paths(g.twin, g.sources, g.targets, get(&edge::probability, g.twin),
                                               {.k = 1000, .min_probability = 0.1});
    CHECK(floored.paths == above);
  }
}

TEST_CASE("one path_index answers many what-if queries like brute force on the cut graph") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto g = make_random_graph(seed, 8, 24);
    const path_index index(g.twin, get(&edge::probability, g.twin), g.targets);
    CAPTURE(seed);
    for (std::size_t cut = 0; cut < 24; cut += 3) {  // queries on one index: each cuts one edge
      std::vector<twinrisk_test::plain_edge> kept = g.edges;
      kept[cut].p = 0.0;
      const std::size_t max_hops = cut % 2 == 0 ? 0 : 3;
      const auto expected = first_k(all_paths(8, kept, g.sources, g.targets, max_hops == 0 ? 8 : max_hops), 15);
      const auto got = k_most_probable_paths(index, g.sources, {.k = 15, .max_hops = max_hops, .excluded_edges = {cut}});
      CHECK(got.paths == expected);
      const auto counted = count_paths(index, g.sources, {.max_hops = 3, .excluded_edges = {cut}});
      CHECK(counted.paths == all_paths(8, kept, g.sources, g.targets, 3).size());
    }
    // Other entry points on the same index.
    const std::vector<std::size_t> one_source{seed % 8};
    CHECK(k_most_probable_paths(index, one_source, {.k = 15}).paths ==
          first_k(all_paths(8, g.edges, one_source, g.targets, 8), 15));
  }
}

TEST_CASE("zero-probability, parallel and self-loop edges") {
  twin_builder b;
  for (const char* id : {"s", "a", "t"}) b.add_node(id, {});
  b.add_edge("s", "a", {.probability = 0.5});
  b.add_edge("s", "a", {.probability = 0.4});  // parallel: a distinct path
  b.add_edge("a", "a", {.probability = 0.9});  // self-loop: never in a simple path
  b.add_edge("a", "t", {.probability = 1.0});
  b.add_edge("s", "t", {.probability = 0.0});  // cannot succeed: never used
  const twin t = b.build();
  const auto r = k_most_probable_paths(t, {t.at("s")}, {t.at("t")}, get(&edge::probability, t), {.k = 10});
  REQUIRE(r.paths.size() == 2);
  CHECK(r.paths[0].probability == 0.5);
  CHECK(r.paths[1].probability == 0.4);
  CHECK(r.paths[0].vertices == r.paths[1].vertices);
  CHECK(r.paths[0].edges != r.paths[1].edges);
}

TEST_CASE("with many equal probabilities the top k still has the right probabilities") {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const auto g = make_random_graph(seed, 8, 22, {0.5, 1.0});
    const auto all = all_paths(8, g.edges, g.sources, g.targets, 8);
    const std::size_t k = 1 + seed % 12;
    const auto got = k_most_probable_paths(g.twin, g.sources, g.targets, get(&edge::probability, g.twin), {.k = k});
    CAPTURE(seed);
    REQUIRE(got.paths.size() == std::min(k, all.size()));
    std::set<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> distinct;
    for (std::size_t i = 0; i < got.paths.size(); ++i) {
      CHECK(got.paths[i].probability == all[i].probability);  // same probabilities, rank by rank
      CHECK(std::find(all.begin(), all.end(), got.paths[i]) != all.end());  // a real simple path
      distinct.insert({got.paths[i].vertices, got.paths[i].edges});
    }
    CHECK(distinct.size() == got.paths.size());
  }
}

TEST_CASE("identical results for 1, 2 and 8 threads and the serial reference") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const auto g = make_random_graph(seed, 30, 150);
    const auto prob = get(&edge::probability, g.twin);
    const paths_options o{.k = 25};
    const auto serial = k_most_probable_paths(g.twin, g.sources, g.targets, prob, o, seq);
    for (int threads : {1, 2, 8})
      CHECK(k_most_probable_paths(g.twin, g.sources, g.targets, prob, o, par{threads}).paths == serial.paths);
  }
}

TEST_CASE("works on a plain boost::adjacency_list with an edge index and a probability property") {
  struct arc { double p; };
  using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                      boost::property<boost::edge_index_t, std::size_t, arc>>;
  graph g(4);
  std::size_t next = 0;
  for (auto [u, v, p] : {std::tuple{0, 1, 0.5}, {1, 3, 0.5}, {0, 2, 0.9}, {2, 3, 0.2}}) {
    boost::add_edge(static_cast<std::size_t>(u), static_cast<std::size_t>(v),
                    boost::property<boost::edge_index_t, std::size_t, arc>(next++, arc{p}), g);
  }
  const auto r = k_most_probable_paths(g, {std::size_t{0}}, {std::size_t{3}}, get(&arc::p, g), {.k = 3});
  REQUIRE(r.paths.size() == 2);
  CHECK(r.paths[0].vertices == std::vector<std::size_t>{0, 1, 3});
  CHECK(r.paths[1].probability == doctest::Approx(0.18).epsilon(1e-15));
}

TEST_CASE("a cancelled search returns what it has and says so") {
  const auto g = make_random_graph(5, 30, 200);
  cancellation_token token;
  token.cancel();
  const auto r = k_most_probable_paths(g.twin, g.sources, g.targets, get(&edge::probability, g.twin),
                                       {.k = 100, .cancel = &token});
  CHECK(r.cancelled);
  CHECK(r.paths.empty());
}

TEST_CASE("probabilities outside [0,1], NaN or infinite are input errors naming the lowest bad edge") {
  const twin t = twinrisk_test::small_twin();  // edges 0: vpn -> ws, 1: ws -> db, 2: ws -> alice
  auto error_of = [&t](std::vector<double> p) {
    try {
      (void)k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()));
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of({0.5, 1.5, 0.5}) == "/edges/1/probability: expected a number in [0,1], got 1.5");
  CHECK(error_of({-0.25, 0.5, 0.5}) == "/edges/0/probability: expected a number in [0,1], got -0.25");
  CHECK(error_of({0.5, 0.5, std::nan("")}) == "/edges/2/probability: expected a number in [0,1], got NaN");
  CHECK(error_of({0.5, std::numeric_limits<double>::infinity(), 0.5}) == "/edges/1/probability: expected a number in [0,1], got inf");
  CHECK(error_of({0.5, 0.5, -std::numeric_limits<double>::infinity()}) == "/edges/2/probability: expected a number in [0,1], got -inf");
  CHECK(error_of({0.5, 1.0 + 1e-15, 0.5}) == "/edges/1/probability: expected a number in [0,1], got 1.000000000000001");
  // An edge the search never reaches (ws -> alice leads to no crown jewel) is checked too; the
  // lowest bad edge is named, whatever the thread count.
  CHECK(error_of({0.5, 0.5, 2.0}) == "/edges/2/probability: expected a number in [0,1], got 2");
  CHECK(error_of({0.5, std::nan(""), -1.0}) == "/edges/1/probability: expected a number in [0,1], got NaN");
  for (int threads : {1, 2, 8}) {
    std::vector<double> p{0.5, 7.0, -1.0};
    CHECK_THROWS_WITH_AS((void)k_most_probable_paths(t, t.entry_points(), t.crown_jewels(),
                                                     boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()), {},
                                                     par{threads}),
                         "/edges/1/probability: expected a number in [0,1], got 7", input_error);
  }
  CHECK(error_of({0.0, 1.0, -0.0}) == "no error");  // the bounds themselves, and -0
  std::vector<double> p{0.5, 1.5, 0.5};
  CHECK_THROWS_WITH_AS(path_index(t, boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()), t.crown_jewels()),
                       "/edges/1/probability: expected a number in [0,1], got 1.5", input_error);
  const auto prob = get(&edge::probability, t);
  CHECK_THROWS_WITH_AS((void)k_most_probable_paths(t, t.entry_points(), {std::size_t{4}}, prob),
                       "target vertex 4 is not in the graph (4 vertices)", model_error);
  CHECK_THROWS_WITH_AS((void)k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.excluded_vertices = {12}}),
                       "excluded vertex 12 is not in the graph (4 vertices)", model_error);
}
