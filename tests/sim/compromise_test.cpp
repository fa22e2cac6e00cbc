// Compromise simulation against exact answers: every one of the 2^m worlds of small random
// graphs (OR and AND gates, cycles), Monte Carlo within 4 standard errors, 95% Wilson intervals
// covering the exact value at the stated rate, and identical results for every thread count.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <boost/property_map/property_map.hpp>
#include <doctest/doctest.h>

#include "../paths/paths_brute_force.hpp"
#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/sim/compromise.hpp"

using namespace twinrisk;
using twinrisk_test::make_random_graph;
using twinrisk_test::plain_edge;

namespace {

struct exact_answer {
  std::vector<double> node;  // P(v compromised)
  double any_target = 0.0;
};

// Enumerates every world (each edge alive or dead), computes the attacker's fixpoint, and sums
// the worlds' probabilities. Edges of probability 0 are never alive.
exact_answer exact(std::size_t n, const std::vector<plain_edge>& edges, const std::vector<std::size_t>& sources,
                   const std::vector<std::size_t>& targets, const std::vector<char>& all_gates) {
  const std::size_t m = edges.size();
  exact_answer out{std::vector<double>(n, 0.0), 0.0};
  for (std::uint64_t world = 0; world < (std::uint64_t{1} << m); ++world) {
    double weight = 1.0;
    for (std::size_t i = 0; i < m; ++i) weight *= (world >> i) & 1u ? edges[i].p : 1.0 - edges[i].p;
    if (weight == 0.0) continue;
    std::vector<char> held(n, 0);
    for (std::size_t s : sources) held[s] = 1;
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t v = 0; v < n; ++v) {
        if (held[v]) continue;
        bool any = false, all = true, has_in = false;
        for (std::size_t i = 0; i < m; ++i) {
          if (edges[i].v != v) continue;
          has_in = true;
          const bool ok = ((world >> i) & 1u) && held[edges[i].u];
          any = any || ok;
          all = all && ok;
        }
        const bool falls = !all_gates.empty() && all_gates[v] ? has_in && all : any;
        if (falls) held[v] = 1, changed = true;
      }
    }
    bool target_held = false;
    for (std::size_t v = 0; v < n; ++v) out.node[v] += held[v] ? weight : 0.0;
    for (std::size_t t : targets) target_held = target_held || held[t];
    out.any_target += target_held ? weight : 0.0;
  }
  return out;
}

std::vector<char> random_gates(std::uint64_t seed, std::size_t n) {
  std::vector<char> g(n, 0);
  std::uint64_t s = seed * 31 + 7;
  for (std::size_t v = 0; v < n; ++v) g[v] = twinrisk_test::next_random(s) % 3 == 0;
  return g;
}

}  // namespace

TEST_CASE("Monte Carlo agrees with all 2^m worlds within 4 standard errors (OR and AND gates, cycles)") {
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const std::size_t n = 3 + seed % 5, m = 4 + seed % 9;  // up to 12 edges: 4096 worlds
    const auto g = make_random_graph(seed, n, m);
    const std::vector<char> gates = seed % 2 == 0 ? random_gates(seed, n) : std::vector<char>{};
    const exact_answer want = exact(n, g.edges, g.sources, g.targets, gates);
    const auto got = simulate_compromise(g.twin, g.sources, g.targets, get(&edge::probability, g.twin),
                                         {.trials = 20'000, .seed = seed, .all_gates = gates});
    CAPTURE(seed);
    REQUIRE(got.trials == 20'000);
    for (std::size_t v = 0; v < n; ++v) {
      CAPTURE(v);
      const double p = want.node[v], se = std::sqrt(std::max(0.0, p * (1 - p)) / 20'000.0);
      if (p < 1e-12 || p > 1 - 1e-12) CHECK(got.probability(v) == doctest::Approx(p).epsilon(1e-12));
      else CHECK(std::abs(got.probability(v) - p) <= 4 * se);
      ++compared;
    }
    const double pa = want.any_target, sea = std::sqrt(std::max(0.0, pa * (1 - pa)) / 20'000.0);
    CHECK(std::abs(got.p_any_target() - pa) <= 4 * sea + 1e-12);
  }
  CHECK(compared > 250);
}

TEST_CASE("one source per trial: the average over sources of each source's exact answer, the same for every thread count") {
  // 4 standard errors: each comparison fails with probability below 1e-4 when the engine is right.
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const std::size_t n = 4 + seed % 4, m = 5 + seed % 7;
    auto g = make_random_graph(seed, n, m);
    std::sort(g.sources.begin(), g.sources.end());  // a source listed twice is one source
    g.sources.erase(std::unique(g.sources.begin(), g.sources.end()), g.sources.end());
    if (g.sources.size() < 2) continue;
    std::vector<double> want(n, 0.0);
    double want_any = 0.0;
    for (std::size_t s : g.sources) {
      const exact_answer one = exact(n, g.edges, {s}, g.targets, {});
      for (std::size_t v = 0; v < n; ++v) want[v] += one.node[v] / static_cast<double>(g.sources.size());
      want_any += one.any_target / static_cast<double>(g.sources.size());
    }
    const simulation_options o{.trials = 20'000, .seed = seed, .one_source_per_trial = true};
    const auto got = simulate_compromise(g.twin, g.sources, g.targets, get(&edge::probability, g.twin), o, seq);
    CAPTURE(seed);
    for (std::size_t v = 0; v < n; ++v) {
      const double p = want[v], se = std::sqrt(std::max(0.0, p * (1 - p)) / 20'000.0);
      if (p < 1e-12) CHECK(got.probability(v) == 0.0);
      else CHECK(std::abs(got.probability(v) - p) <= 4 * se + 1e-12);
      ++compared;
    }
    const double se_any = std::sqrt(std::max(0.0, want_any * (1 - want_any)) / 20'000.0);
    CHECK(std::abs(got.p_any_target() - want_any) <= 4 * se_any + 1e-12);
    for (int threads : {1, 2, 8}) {
      const auto r = simulate_compromise(g.twin, g.sources, g.targets, get(&edge::probability, g.twin), o, par{threads});
      CHECK(r.compromised == got.compromised);
      CHECK(r.any_target == got.any_target);
    }
  }
  CHECK(compared > 100);
}

TEST_CASE("95% Wilson intervals cover the exact probability in at least 93% of 200 seeds") {
  const auto g = make_random_graph(11, 6, 11);
  const exact_answer want = exact(6, g.edges, g.sources, g.targets, {});
  int checked_vertices = 0;
  for (std::size_t v = 0; v < 6; ++v) {
    if (want.node[v] < 0.02 || want.node[v] > 0.98) continue;
    int covered = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      const auto r = simulate_compromise(g.twin, g.sources, g.targets, get(&edge::probability, g.twin),
                                         {.trials = 1000, .seed = seed}, seq);
      const estimate e = r.interval(v);
      covered += e.lo <= want.node[v] && want.node[v] <= e.hi;
    }
    CAPTURE(v);
    CHECK(covered >= 186);  // 93% of 200
    ++checked_vertices;
  }
  CHECK(checked_vertices >= 2);
}

TEST_CASE("the same seed gives the same counts for 1, 2 and 8 threads and the serial reference") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const auto prob = get(&edge::probability, t);
  const simulation_options o{.trials = 3000, .seed = 99, .all_gates = all_gates_of(t)};
  const auto serial = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, o, seq);
  for (int threads : {1, 2, 8}) {
    const auto r = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, o, par{threads});
    CHECK(r.compromised == serial.compromised);
    CHECK(r.any_target == serial.any_target);
  }
  CHECK(serial.trials == 3000);
  CHECK(serial.p_any_target() > 0.0);
  for (auto v : t.entry_points()) CHECK(serial.probability(v) == 1.0);  // sources are held in every trial
  const auto other = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, {.trials = 3000, .seed = 100});
  CHECK(other.compromised != serial.compromised);
}

TEST_CASE("edge cases: probability 0 and 1, no sources, partial last block, bad input") {
  twin_builder b;
  for (const char* id : {"s", "a", "b", "t"}) b.add_node(id, {});
  b.add_edge("s", "a", {.probability = 1.0});
  b.add_edge("a", "b", {.probability = 0.0});
  b.add_edge("a", "t", {.probability = 1.0});
  const twin t = b.build();
  const auto prob = get(&edge::probability, t);
  const auto r = simulate_compromise(t, {t.at("s")}, {t.at("t")}, prob, {.trials = 100});  // 64 + 36
  CHECK(r.trials == 100);
  CHECK(r.compromised == std::vector<std::uint64_t>{100, 100, 0, 100});
  CHECK(r.p_any_target() == 1.0);
  CHECK(r.interval(t.at("b")).hi > 0.0);  // Wilson: an empty count still leaves room above 0
  CHECK(r.expected_compromised() == 3.0);
  const auto none = simulate_compromise(t, {}, {t.at("t")}, prob, {.trials = 10});
  CHECK(none.p_any_target() == 0.0);
  CHECK_THROWS_AS(simulate_compromise(t, {7}, {}, prob), model_error);
  CHECK_THROWS_WITH_AS(simulate_compromise(t, {0}, {}, prob, {.all_gates = {1, 0}}),
                       "all_gates has 2 entries for 4 vertices", model_error);
}

TEST_CASE("kept target worlds agree with the counts, the same for every thread count") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const auto prob = get(&edge::probability, t);
  const simulation_options o{.trials = 1000, .seed = 4, .keep_target_worlds = true};
  const auto r = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, o, par{2});
  REQUIRE(r.target_worlds.size() == 16 * r.targets.size());  // ceil(1000 / 64) blocks
  std::uint64_t any = 0;
  for (std::uint64_t trial = 0; trial < 1000; ++trial) {
    bool fell = false;
    for (std::size_t i = 0; i < r.targets.size(); ++i) fell = fell || r.target_fell(i, trial);
    any += fell;
  }
  CHECK(any == r.any_target);
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    std::uint64_t count = 0;
    for (std::uint64_t trial = 0; trial < 1000; ++trial) count += r.target_fell(i, trial);
    CHECK(count == r.compromised[r.targets[i]]);
  }
  // Bits past the last trial stay clear, and the serial run keeps the same worlds.
  for (std::size_t i = 0; i < r.targets.size(); ++i) CHECK((r.target_worlds[15 * r.targets.size() + i] >> 40) == 0);
  CHECK(simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, o, seq).target_worlds == r.target_worlds);
  CHECK(simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, {.trials = 1000, .seed = 4}).target_worlds.empty());
}

TEST_CASE("simulate_compromise: bad probabilities, vertices out of range and the trial limit are named") {
  const twin t = twinrisk_test::small_twin();  // 4 vertices; edges 0: vpn -> ws, 1: ws -> db, 2: ws -> alice
  const auto prob = get(&edge::probability, t);
  auto simulate_with = [&t](std::vector<double> p) {
    return simulate_compromise(t, t.entry_points(), t.crown_jewels(), boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()),
                               {.trials = 64});
  };
  SUBCASE("probabilities outside [0,1], NaN and infinities name the lowest bad edge") {
    CHECK_THROWS_WITH_AS(simulate_with({0.5, 1.5, 0.5}), "/edges/1/probability: expected a number in [0,1], got 1.5", input_error);
    CHECK_THROWS_WITH_AS(simulate_with({-0.5, 0.5, 0.5}), "/edges/0/probability: expected a number in [0,1], got -0.5", input_error);
    CHECK_THROWS_WITH_AS(simulate_with({0.5, 0.5, std::nan("")}), "/edges/2/probability: expected a number in [0,1], got NaN",
                         input_error);
    CHECK_THROWS_WITH_AS(simulate_with({0.5, std::numeric_limits<double>::infinity(), std::nan("")}),
                         "/edges/1/probability: expected a number in [0,1], got inf", input_error);
    for (int threads : {1, 2, 8}) {
      std::vector<double> p{0.5, 3.0, -3.0};
      CHECK_THROWS_WITH_AS(simulate_compromise(t, t.entry_points(), t.crown_jewels(),
                                               boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()), {.trials = 64},
                                               par{threads}),
                           "/edges/1/probability: expected a number in [0,1], got 3", input_error);
    }
    CHECK(simulate_with({0.0, 1.0, 0.5}).compromised[t.at("db")] == 0);
  }
  SUBCASE("vertices out of range") {
    CHECK_THROWS_WITH_AS(simulate_compromise(t, {7}, {}, prob), "source vertex 7 is not in the graph (4 vertices)", model_error);
    CHECK_THROWS_WITH_AS(simulate_compromise(t, {0}, {4}, prob), "target vertex 4 is not in the graph (4 vertices)", model_error);
  }
  SUBCASE("the trial limit is max_simulation_trials = 2^38, the CLI's simulate --trials bound") {
    static_assert(max_simulation_trials == std::uint64_t{1} << 38);
    CHECK_THROWS_WITH_AS(simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, {.trials = max_simulation_trials + 1}),
                         "too many trials: 274877906945 (2^38 = 274877906944 at most)", model_error);
    // Before the fix, (trials + 63) / 64 wrapped around for the largest counts and the check let them pass.
    CHECK_THROWS_WITH_AS(simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob,
                                             {.trials = std::numeric_limits<std::uint64_t>::max()}),
                         "too many trials: 18446744073709551615 (2^38 = 274877906944 at most)", model_error);
    CHECK_THROWS_AS(simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, {.trials = std::uint64_t{1} << 63}), model_error);
    // The limit itself passes the count check (checked first): without running 2^38 trials, a bad
    // source shows the run got past it, to the next check. 2^38 - 127 failed the old check.
    for (const std::uint64_t trials : {max_simulation_trials, max_simulation_trials - 127}) {
      CAPTURE(trials);
      CHECK_THROWS_WITH_AS(simulate_compromise(t, {7}, {}, prob, {.trials = trials}), "source vertex 7 is not in the graph (4 vertices)",
                           model_error);
    }
    CHECK_THROWS_WITH_AS(simulate_compromise(t, {7}, {}, prob, {.trials = max_simulation_trials + 1}),
                         "too many trials: 274877906945 (2^38 = 274877906944 at most)", model_error);
  }
  SUBCASE("zero trials: nothing run, every estimate 0, the interval [0, 1]") {
    const auto r = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, {.trials = 0});
    CHECK(r.trials == 0);
    CHECK_FALSE(r.cancelled);
    CHECK(r.compromised == std::vector<std::uint64_t>(4, 0));
    CHECK(r.p_any_target() == 0.0);
    CHECK(r.interval(0).lo == 0.0);
    CHECK(r.interval(0).hi == 1.0);
  }
}
