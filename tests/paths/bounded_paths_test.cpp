#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

#include <boost/property_map/property_map.hpp>
#include <doctest/doctest.h>

#include "paths_brute_force.hpp"
#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/path_index.hpp"

using namespace twinrisk;
using twinrisk_test::all_paths;
using twinrisk_test::make_random_graph;

TEST_CASE("count_paths and for_each_path agree with brute force on seeded random graphs") {
  std::uint64_t total = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    std::uint64_t s = seed * 104729;
    const std::size_t n = 2 + twinrisk_test::next_random(s) % 8;
    const std::size_t m = twinrisk_test::next_random(s) % 30;
    const std::size_t h = seed % 6;
    const auto g = make_random_graph(seed, n, m);
    const auto prob = get(&edge::probability, g.twin);
    CAPTURE(seed);
    auto expected = all_paths(n, g.edges, g.sources, g.targets, h);
    CHECK(count_paths(g.twin, g.sources, g.targets, prob, {.max_hops = h}).paths == expected.size());
    std::vector<attack_path> seen;
    for_each_path(g.twin, g.sources, g.targets, prob, [&](const attack_path& p) { seen.push_back(p); return true; },
                  {.max_hops = h});
    std::sort(seen.begin(), seen.end(), more_probable);
    CHECK(seen == expected);
    total += expected.size();
  }
  CHECK(total > 1000);  // the comparison covered many paths, not only empty answers
}

TEST_CASE("the probability floor prunes exactly the paths below it") {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const auto g = make_random_graph(seed, 8, 25);
    auto expected = all_paths(8, g.edges, g.sources, g.targets, 5);
    std::erase_if(expected, [](const attack_path& p) { return p.probability < 0.2; });
    CHECK(count_paths(g.twin, g.sources, g.targets, get(&edge::probability, g.twin), {.max_hops = 5, .min_probability = 0.2})
              .paths == expected.size());
  }
}

TEST_CASE("ordered output is identical for every thread count; unordered output has the same paths") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto g = make_random_graph(seed, 40, 200);
    const auto prob = get(&edge::probability, g.twin);
    auto collect = [&](auto exec, bool ordered) {
      std::vector<attack_path> out;
      std::mutex m;
      for_each_path(g.twin, g.sources, g.targets, prob,
                    [&](const attack_path& p) { std::lock_guard lock(m); out.push_back(p); return true; },
                    {.max_hops = 4, .ordered = ordered}, exec);
      return out;
    };
    const auto reference = collect(seq, true);
    CHECK(collect(par{1}, true) == reference);
    CHECK(collect(par{2}, true) == reference);
    CHECK(collect(par{8}, true) == reference);
    auto fast = collect(par{2}, false);
    auto sorted_reference = reference;
    std::sort(fast.begin(), fast.end(), more_probable);
    std::sort(sorted_reference.begin(), sorted_reference.end(), more_probable);
    CHECK(fast == sorted_reference);
    for (int threads : {1, 2, 8})
      CHECK(count_paths(g.twin, g.sources, g.targets, prob, {.max_hops = 4}, par{threads}).paths == reference.size());
  }
}

TEST_CASE("the visitor stops the enumeration") {
  const auto g = make_random_graph(3, 30, 200);
  const auto prob = get(&edge::probability, g.twin);
  const std::uint64_t all = count_paths(g.twin, g.sources, g.targets, prob, {.max_hops = 5}).paths;
  REQUIRE(all > 10);
  int calls = 0;
  const auto r = for_each_path(g.twin, g.sources, g.targets, prob, [&](const attack_path&) { return ++calls < 10; },
                               {.max_hops = 5});
  CHECK(calls == 10);
  CHECK(r.paths == 10);
  CHECK(r.stopped);
}

TEST_CASE("count_paths and for_each_path: bad probabilities and vertices out of range are named") {
  const twin t = twinrisk_test::small_twin();  // 4 vertices; edges 0: vpn -> ws, 1: ws -> db, 2: ws -> alice
  const auto prob = get(&edge::probability, t);
  auto count_with = [&t](std::vector<double> p) {
    return count_paths(t, t.entry_points(), t.crown_jewels(), boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()),
                       {.max_hops = 3});
  };
  CHECK_THROWS_WITH_AS(count_with({0.5, 1.5, 0.5}), "/edges/1/probability: expected a number in [0,1], got 1.5", input_error);
  CHECK_THROWS_WITH_AS(count_with({std::nan(""), 0.5, 0.5}), "/edges/0/probability: expected a number in [0,1], got NaN", input_error);
  CHECK_THROWS_WITH_AS(count_with({0.5, 0.5, -1e-9}), "/edges/2/probability: expected a number in [0,1], got -1e-09", input_error);
  CHECK_THROWS_WITH_AS(count_with({0.5, std::numeric_limits<double>::infinity(), 0.5}),
                       "/edges/1/probability: expected a number in [0,1], got inf", input_error);
  CHECK(count_with({0.5, 0.25, 0.75}).paths == 1);
  CHECK_THROWS_WITH_AS(count_paths(t, {std::size_t{9}}, t.crown_jewels(), prob), "source vertex 9 is not in the graph (4 vertices)",
                       model_error);
  CHECK_THROWS_WITH_AS(count_paths(t, t.entry_points(), {std::size_t{4}}, prob), "target vertex 4 is not in the graph (4 vertices)",
                       model_error);
  CHECK_THROWS_WITH_AS(count_paths(t, {static_cast<std::size_t>(-1)}, t.crown_jewels(), prob),
                       "source vertex 18446744073709551615 is not in the graph (4 vertices)", model_error);
  CHECK_THROWS_WITH_AS(for_each_path(t, {std::size_t{9}}, t.crown_jewels(), prob, [](const attack_path&) { return true; }),
                       "source vertex 9 is not in the graph (4 vertices)", model_error);
  const path_index index(t, prob, t.crown_jewels());
  CHECK_THROWS_WITH_AS(count_paths(index, std::vector<std::size_t>{0, 4}), "source vertex 4 is not in the graph (4 vertices)",
                       model_error);
}
