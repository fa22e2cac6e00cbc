// Time to compromise against exact answers: sums, minima and maxima of uniform crossing times
// (closed-form CDFs), earliest times on random graphs with constant hours against a brute-force
// fixpoint (OR = shortest, AND = latest prerequisite), the same worlds as simulate_compromise,
// identical results for every thread count, and bad input; the detection race's guided search,
// its search back from an asset and its cut-off proof against the same fixpoint.

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
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/sim/detail/race_witness.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

using namespace twinrisk;
using twinrisk_test::make_random_graph;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
const distribution_spec unit_uniform{distribution_family::uniform, 0.0, 0.0, 1.0};

// |estimate - p| within 4 standard errors of n Bernoulli trials (fails with probability < 1e-4).
void check_close(double estimate, double p, std::uint64_t n) {
  CHECK(std::abs(estimate - p) <= 4 * std::sqrt(p * (1 - p) / static_cast<double>(n)) + 1e-12);
}

}  // namespace

TEST_CASE("sum, minimum and maximum of uniform crossing times match their closed-form CDFs") {
  // s -> a -> b: U(0,1) + U(0,1) (triangular CDF); s => c twice: min (1 - (1 - t)^2);
  // s => d twice with an AND gate: max (t^2).
  twin_builder b;
  for (const char* id : {"s", "a", "b", "c", "d"}) b.add_node(id, {});
  edge e{.probability = 1.0};
  e.hours = unit_uniform;
  b.add_edge("s", "a", e), b.add_edge("a", "b", e);
  b.add_edge("s", "c", e), b.add_edge("s", "c", e);
  b.add_edge("s", "d", e), b.add_edge("s", "d", e);
  const twin t = b.build();
  const std::vector<char> gates = {0, 0, 0, 0, 1};
  const std::uint64_t n = 40'000;
  const auto r = time_to_compromise(t, {0}, {2}, get(&edge::probability, t), edge_hours(t),
                                    {.trials = n, .seed = 5, .horizons = {0.3, 0.5, 1.0, 1.5}, .all_gates = gates});
  REQUIRE(r.trials == n);
  auto sum_cdf = [](double x) { return x <= 1 ? x * x / 2 : 1 - (2 - x) * (2 - x) / 2; };
  for (std::size_t h = 0; h < r.horizons.size(); ++h) {
    const double x = r.horizons[h];
    CAPTURE(x);
    check_close(r.p_within(2, h).p, sum_cdf(x), n);
    check_close(r.p_within(3, h).p, 1 - std::pow(std::max(0.0, 1 - x), 2), n);
    check_close(r.p_within(4, h).p, std::min(1.0, x * x), n);
    CHECK(r.p_within(0, h).p == 1.0);  // the source is held from time 0
  }
  // Exact sample median of the target (sum of two uniforms: median 1, density 1 there): standard
  // error 1 / (2 sqrt(n)); the binned median agrees within its ±9% resolution.
  CHECK(std::abs(r.target_quantile(0, 0.5) - 1.0) < 4 * 0.5 / std::sqrt(static_cast<double>(n)));
  CHECK(r.quantile(2, 0.5) == doctest::Approx(1.0).epsilon(0.1));
  CHECK(r.quantile(4, 0.25) == doctest::Approx(0.5).epsilon(0.1));  // max of two: P(<= 0.5) = 1/4
}

TEST_CASE("edge success and time together: P(within T) = p * P(time <= T); never is infinity") {
  twin_builder b;
  for (const char* id : {"s", "a", "z"}) b.add_node(id, {});
  edge e{.probability = 0.3};
  e.hours = distribution_spec::constant(5.0);
  b.add_edge("s", "a", e);
  const twin t = b.build();
  const auto r = time_to_compromise(t, {0}, {1, 2}, get(&edge::probability, t), edge_hours(t),
                                    {.trials = 10'000, .seed = 3, .horizons = {4.999, 5.0}});
  CHECK(r.p_within(1, 0).p == 0.0);
  check_close(r.p_within(1, 1).p, 0.3, 10'000);
  CHECK(r.within[1 * 2 + 1] == r.compromised[1]);
  CHECK(r.quantile(1, 0.5) == inf);  // falls in only about 30% of the trials
  CHECK(r.target_quantile(0, 0.2) == 5.0);
  CHECK(r.target_quantile(0, 0.9) == inf);
  CHECK(r.target_quantile(1, 0.0) == inf);  // z is never reached
  CHECK(r.compromised[2] == 0);
}

TEST_CASE("constant hours: earliest times equal a brute-force fixpoint (OR = shortest, AND = latest), cycles included") {
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 80; ++seed) {
    const std::size_t n = 3 + seed % 6, m = 4 + seed % 11;
    auto g = make_random_graph(seed, n, m, {1.0});
    std::vector<distribution_spec> hours(m);
    std::vector<double> w(m);
    for (std::size_t i = 0; i < m; ++i) w[i] = static_cast<double>((seed * 7 + i * 13) % 6), hours[i] = distribution_spec::constant(w[i]);
    std::vector<char> gates(n, 0);
    if (seed % 2 == 0)
      for (std::size_t v = 0; v < n; ++v) gates[v] = (seed + v) % 3 == 0;
    // Fixpoint from infinity: OR = min over in-edges of t_u + w, AND = max when every in-edge's source is held.
    std::vector<double> want(n, inf);
    for (std::size_t s : g.sources) want[s] = 0.0;
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t v = 0; v < n; ++v) {
        if (std::find(g.sources.begin(), g.sources.end(), v) != g.sources.end()) continue;
        double best = inf, latest = -inf;
        bool any_in = false;
        for (std::size_t i = 0; i < m; ++i) {
          if (g.edges[i].v != v) continue;
          any_in = true;
          best = std::min(best, want[g.edges[i].u] + w[i]);
          latest = std::max(latest, want[g.edges[i].u] + w[i]);
        }
        const double now = gates[v] ? (any_in ? latest : inf) : best;
        if (now != want[v]) want[v] = now, changed = true;
      }
    }
    std::vector<std::size_t> everyone(n);
    for (std::size_t v = 0; v < n; ++v) everyone[v] = v;
    const auto r = time_to_compromise(g.twin, g.sources, everyone, get(&edge::probability, g.twin), hours,
                                      {.trials = 64, .seed = seed, .all_gates = gates});
    CAPTURE(seed);
    for (std::size_t v = 0; v < n; ++v) {
      CAPTURE(v);
      CHECK(r.target_quantile(v, 0.0) == want[v]);
      CHECK(r.target_quantile(v, 1.0) == want[v]);
      CHECK(r.compromised[v] == (want[v] < inf ? 64u : 0u));
      ++compared;
    }
  }
  CHECK(compared > 300);
}

namespace race_search_test {

/// A random graph raced from one entry: constant integer crossing hours (every sum exact), its
/// targets, the problem with its in-edges, the guide, and each edge's liveness in the 64 worlds of
/// `world_seed`, drawn independently of the searches.
struct raced_graph {
  twinrisk_test::random_graph g;
  std::vector<double> hours{};  // by edge
  std::size_t entry = 0;
  detail::compromise_problem c{};
  detail::race_guide guide{};
  std::vector<std::uint32_t> row{};  // by new id: the target's column in the guide
  std::uint64_t world_seed = 0;
  std::vector<std::uint64_t> masks{};

  [[nodiscard]] std::size_t n() const { return g.twin.num_nodes(); }
  [[nodiscard]] std::uint32_t from() const { return c.new_of[entry]; }
  [[nodiscard]] double cross(std::size_t slot) const { return hours[c.lane[slot]]; }
  [[nodiscard]] std::vector<std::uint32_t> target_ids() const { return c.target_ids; }
};

inline raced_graph make_raced_graph(std::uint64_t seed, std::uint64_t hour_factor, std::uint64_t world_seed, bool parallel_guide) {
  const std::size_t n = 6 + seed % 10, m = 10 + seed % 25;
  raced_graph r{make_random_graph(seed, n, m)};  // probabilities from 0.05 to 0.95
  std::vector<distribution_spec> specs(m);
  r.hours.resize(m);
  for (std::size_t i = 0; i < m; ++i)
    r.hours[i] = static_cast<double>((seed * hour_factor + i * (hour_factor + 6)) % 6), specs[i] = distribution_spec::constant(r.hours[i]);
  std::vector<std::size_t> targets = r.g.targets;
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  r.entry = r.g.sources[0];
  r.c = detail::make_compromise_problem(r.g.twin, {r.entry}, targets, get(&edge::probability, r.g.twin), {}, false);
  detail::reverse_arrays(r.c.n, r.c.out_begin, r.c.out_target, r.c.in_begin, r.c.in_source, r.c.in_slot);
  // A third of the graphs walk every node's out-edges in guide order (one at a time in half of
  // those), as the search does for an entry point of thousands.
  r.guide = detail::make_race_guide(r.c, specs, parallel_guide, seed % 3 == 0 ? 0 : detail::wide_fan_out);
  if (seed % 6 == 0) r.guide.fans.batch = 1;
  if (seed % 6 == 3)  // keys that never beat the heap: the walks run only once it is empty, and still to their end
    std::fill(r.guide.fans.key.begin(), r.guide.fans.key.end(), std::numeric_limits<float>::infinity());
  r.row.assign(r.c.n, 0);
  for (std::size_t a = 0; a < r.c.target_ids.size(); ++a) r.row[r.c.target_ids[a]] = static_cast<std::uint32_t>(a);
  r.world_seed = world_seed;
  r.masks.resize(m);
  for (std::size_t i = 0; i < m; ++i)
    r.masks[i] = random_stream({.seed = world_seed, .lane = static_cast<std::uint32_t>(i)}).bernoulli_mask(r.g.edges[i].p);
  return r;
}

/// Earliest times from the entry in world `bit` (caller's ids): a brute-force fixpoint over the live edges.
inline std::vector<double> earliest_in_world(const raced_graph& r, std::uint64_t bit) {
  std::vector<double> earliest(r.n(), inf);
  earliest[r.entry] = 0.0;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < r.g.edges.size(); ++i)
      if (((r.masks[i] >> bit) & 1u) != 0 && earliest[r.g.edges[i].u] + r.hours[i] < earliest[r.g.edges[i].v])
        earliest[r.g.edges[i].v] = earliest[r.g.edges[i].u] + r.hours[i], changed = true;
  }
  return earliest;
}

/// The hours of the way `clock.via` leads from `target` back to the entry, checking that each
/// edge on it is alive in world `bit` and that the way ends.
inline double way_hours(const raced_graph& r, const detail::world_clock& clock, std::uint64_t bit, std::uint32_t target) {
  const detail::compromise_problem& c = r.c;
  double hours_on_path = 0.0;
  std::size_t steps = 0;
  for (std::uint32_t v = target; v != r.from() && steps <= r.n(); ++steps) {
    const std::size_t slot = clock.via[v];
    REQUIRE(c.out_target[slot] == v);
    CHECK(((r.masks[c.lane[slot]] >> bit) & 1u) != 0);
    hours_on_path += r.cross(slot);
    v = static_cast<std::uint32_t>(std::upper_bound(c.out_begin.begin(), c.out_begin.end(), slot) - c.out_begin.begin() - 1);
  }
  CHECK(steps <= r.n());
  return hours_on_path;
}

/// The searches' memory for one raced graph.
struct search_memory {
  detail::world_clock clock, back;
  detail::witness_workspace search;
  detail::edge_mask_cache<1> edges;
  std::vector<std::uint32_t> queue;
  std::uint32_t stamp = 0;

  explicit search_memory(const raced_graph& r) {
    clock.size_for(r.c.n), back.size_for(r.c.n);
    edges.size_for(r.c.out_target.size());
    stamp = edges.next_stamp();
  }
};

}  // namespace race_search_test

TEST_CASE("the detection race's guided search: its paths are live and arrive in time, it finds them whenever they exist, else proves which targets are safe") {
  using namespace race_search_test;
  int proved = 0, refused = 0;
  const std::uint64_t valid[1] = {~std::uint64_t{0}};
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const raced_graph r = make_raced_graph(seed, 7, 1000 + seed, seed % 2 == 0);
    const detail::compromise_problem& c = r.c;
    search_memory s(r);
    for (std::uint64_t bit = 0; bit < 64; ++bit) {
      const std::vector<double> earliest = earliest_in_world(r, bit);
      std::vector<std::uint32_t> fallen;  // as the race asks: the targets that fall in this world
      for (std::uint32_t v : c.target_ids)
        if (earliest[c.old_of[v]] < inf) fallen.push_back(v);
      if (fallen.empty()) continue;
      for (double limit : {1.0, 4.0, 1e9}) {
        CAPTURE(seed);
        CAPTURE(bit);
        CAPTURE(limit);
        const bool in_time = std::all_of(fallen.begin(), fallen.end(), [&](std::uint32_t v) { return earliest[c.old_of[v]] <= limit; });
        const detail::witness_outcome outcome = detail::find_witness_paths(c, r.guide, r.row, s.clock, s.search, s.edges, s.stamp, r.world_seed,
                                                                           0, valid, 0, bit, r.from(), fallen, limit,
                                                                           [&](std::size_t slot) { return r.cross(slot); });
        const bool found = outcome == detail::witness_outcome::found;
        if (limit == 1e9) CHECK(found);  // small graphs: within budget, the search is complete
        if (!in_time) {
          // Small graphs, no AND nodes: the search runs out of nodes and proves exactly the
          // targets that fall later than the limit safe.
          REQUIRE(outcome == detail::witness_outcome::unreachable);
          for (std::uint32_t v : fallen) {
            const bool left = std::find(s.search.wanted.begin(), s.search.wanted.end(), v) != s.search.wanted.end();
            CHECK(left == (earliest[c.old_of[v]] > limit));
          }
          ++refused;
          continue;
        }
        if (!found) continue;
        ++proved;
        for (std::uint32_t target : fallen) CHECK(way_hours(r, s.clock, bit, target) <= limit);  // live edges, in time
      }
    }
  }
  CHECK(proved > 200);
  CHECK(refused > 50);
}

TEST_CASE("searching back from an asset: lost exactly when it falls in time, over a live way in time; cut off exactly when no live edge leads there") {
  using namespace race_search_test;
  int lost = 0, safe = 0, cut = 0;
  const std::uint64_t valid[1] = {~std::uint64_t{0}};
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const raced_graph r = make_raced_graph(seed, 5, 2000 + seed, false);
    const detail::compromise_problem& c = r.c;
    search_memory s(r);
    const auto cross = [&](std::size_t slot) { return r.cross(slot); };
    for (std::uint64_t bit = 0; bit < 64; ++bit) {
      const std::vector<double> earliest = earliest_in_world(r, bit);
      for (std::uint32_t v : c.target_ids) {  // with the whole problem as budget, cut off is exactly unreachable
        const bool is_cut = detail::cut_off(c, s.clock, s.queue, s.edges, s.stamp, r.world_seed, 0, valid, 0, bit, v,
                                            [&](std::uint32_t u) { return u == r.from(); }, c.n + 1);
        CHECK(is_cut == (earliest[c.old_of[v]] == inf));
        cut += is_cut ? 1 : 0;
      }
      for (double limit : {1.0, 4.0, 1e9}) {
        CAPTURE(seed);
        CAPTURE(bit);
        CAPTURE(limit);
        // As a race: a guided search with a budget of one node per target, then the way back
        // from each target it did not reach.
        const detail::witness_outcome outcome = detail::find_witness_paths(c, r.guide, r.row, s.clock, s.search, s.edges, s.stamp, r.world_seed,
                                                                           0, valid, 0, bit, r.from(), r.target_ids(), limit, cross,
                                                                           {.budget_per_target = 1});
        if (outcome == detail::witness_outcome::unreachable) continue;  // already exact, as the test above checks
        std::vector<std::uint32_t> reached;
        for (std::uint32_t v : c.target_ids)
          if (std::find(s.search.wanted.begin(), s.search.wanted.end(), v) == s.search.wanted.end()) reached.push_back(v);
        for (std::uint32_t v : std::vector<std::uint32_t>(s.search.wanted)) {
          const detail::reach_outcome back =
              detail::reach_back(c, s.clock, s.back, s.edges, s.stamp, r.world_seed, 0, valid, 0, bit, v, limit, cross, c.n + 1);
          REQUIRE(back != detail::reach_outcome::gave_up);  // integer hours: no tie within rounding
          CHECK((back == detail::reach_outcome::lost) == (earliest[c.old_of[v]] <= limit));
          if (back == detail::reach_outcome::lost) reached.push_back(v), ++lost;
          else ++safe;
        }
        for (std::uint32_t target : reached) {  // every way, the guided search's and those written back: live, in time
          const double hours = way_hours(r, s.clock, bit, target);
          CHECK(hours <= limit);
          CHECK(hours >= earliest[c.old_of[target]]);
        }
      }
    }
  }
  CHECK(lost > 200);
  CHECK(safe > 50);
  CHECK(cut > 50);
}

TEST_CASE("the worlds are simulate_compromise's: same seed, same counts of ever compromised") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto g = make_random_graph(seed, 4 + seed % 5, 5 + seed % 9, seed % 4 == 0 ? std::vector<double>{0.0, 1.0, 0.4} : std::vector<double>{});
    std::vector<char> gates(g.twin.num_nodes(), 0);
    if (seed % 2 == 0) gates[seed % gates.size()] = 1, gates[(seed + 2) % gates.size()] = 1;
    const auto prob = get(&edge::probability, g.twin);
    const auto ttc = time_to_compromise(g.twin, g.sources, g.targets, prob, edge_hours(g.twin),
                                        {.trials = 1000, .seed = seed, .all_gates = gates});
    const auto sim = simulate_compromise(g.twin, g.sources, g.targets, prob, {.trials = 1000, .seed = seed, .all_gates = gates});
    CAPTURE(seed);
    CHECK(ttc.compromised == sim.compromised);
  }
}

TEST_CASE("an AND gate with an in-edge of probability 0 never falls") {
  twin_builder b;
  for (const char* id : {"s", "a", "t"}) b.add_node(id, {});
  b.add_edge("s", "t", {.probability = 1.0});
  b.add_edge("a", "t", {.probability = 0.0});
  b.add_edge("s", "a", {.probability = 1.0});
  const twin t = b.build();
  const std::vector<char> gates = {0, 0, 1};
  const auto sim = simulate_compromise(t, {0}, {2}, get(&edge::probability, t), {.trials = 500, .all_gates = gates});
  CHECK(sim.compromised[2] == 0);
  const auto ttc = time_to_compromise(t, {0}, {2}, get(&edge::probability, t), edge_hours(t), {.trials = 500, .all_gates = gates});
  CHECK(ttc.compromised[2] == 0);
}

TEST_CASE("time to compromise: same results for 1, 2 and 8 threads; bad input is named") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const auto prob = get(&edge::probability, t);
  const auto hours = edge_hours(t);
  const time_options o{.trials = 700, .seed = 11, .all_gates = all_gates_of(t)};
  const auto serial = time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, o, seq);
  for (int threads : {1, 2, 8}) {
    const auto r = time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, o, par{threads});
    CHECK(r.compromised == serial.compromised);
    CHECK(r.within == serial.within);
    CHECK(r.histogram == serial.histogram);
    CHECK(r.target_hours == serial.target_hours);
  }
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, std::vector<distribution_spec>(3)),
                       doctest::Contains("hours has 3 entries"), model_error);
  auto bad = hours;
  bad[4] = {distribution_family::uniform, 5.0, 0.0, 1.0};
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, bad),
                       doctest::Contains("/edges/4/hours"), input_error);
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, {.horizons = {-1.0}}),
                       doctest::Contains("/horizons/0"), input_error);
  cancellation_token stop;
  stop.cancel();
  const auto none = time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, {.trials = 200, .cancel = &stop});
  CHECK(none.cancelled);
  CHECK(none.trials == 0);
  CHECK(none.target_hours.empty());
}

TEST_CASE("time bins: edges and lookups agree") {
  CHECK(time_result::bin_of(0.0) == 0);
  CHECK(time_result::bin_of(0.5 / 60) == 0);
  CHECK(time_result::bin_of(1.0 / 60) == 1);
  CHECK(time_result::bin_of(inf) == time_bins - 1);
  for (std::size_t bin = 1; bin + 1 < time_bins; ++bin) {
    CHECK(time_result::bin_of(time_result::bin_hours(bin) * 1.0000001) == bin);
    CHECK(time_result::bin_of(time_result::bin_hours(bin + 1) * 0.9999999) == bin);
  }
}

TEST_CASE("time to compromise: bad probabilities, vertices out of range and the trial limit are named") {
  const twin t = twinrisk_test::small_twin();  // 4 vertices; edges 0: vpn -> ws, 1: ws -> db, 2: ws -> alice
  const auto prob = get(&edge::probability, t);
  const auto hours = edge_hours(t);
  auto time_with = [&](std::vector<double> p) {
    return time_to_compromise(t, t.entry_points(), t.crown_jewels(), boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()),
                              hours, {.trials = 16});
  };
  CHECK_THROWS_WITH_AS(time_with({0.5, 1.5, 0.5}), "/edges/1/probability: expected a number in [0,1], got 1.5", input_error);
  CHECK_THROWS_WITH_AS(time_with({std::nan(""), 0.5, 0.5}), "/edges/0/probability: expected a number in [0,1], got NaN", input_error);
  CHECK_THROWS_WITH_AS(time_with({0.5, 0.5, -inf}), "/edges/2/probability: expected a number in [0,1], got -inf", input_error);
  CHECK(time_with({0.5, 0.0, 1.0}).compromised[t.at("db")] == 0);
  CHECK_THROWS_WITH_AS(time_to_compromise(t, {9}, t.crown_jewels(), prob, hours), "source vertex 9 is not in the graph (4 vertices)",
                       model_error);
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), {4}, prob, hours), "target vertex 4 is not in the graph (4 vertices)",
                       model_error);
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, {.horizons = {24.0, std::nan("")}}),
                       "/horizons/1: expected hours >= 0, got NaN", input_error);
  // At most 2^32 - 1 trials: 2^32 is refused, 2^32 - 1 gets past the count to the next check (a bad
  // source) without running.
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, {.trials = std::uint64_t{1} << 32}),
                       "too many trials for time to compromise (2^32)", model_error);
  CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours,
                                          {.trials = std::numeric_limits<std::uint64_t>::max()}),
                       "too many trials for time to compromise (2^32)", model_error);
  CHECK_THROWS_WITH_AS(time_to_compromise(t, {9}, t.crown_jewels(), prob, hours, {.trials = (std::uint64_t{1} << 32) - 1}),
                       "source vertex 9 is not in the graph (4 vertices)", model_error);
  const auto none = time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, hours, {.trials = 0});
  CHECK(none.trials == 0);
  CHECK_FALSE(none.cancelled);
  CHECK(none.p_ever(0).p == 0.0);
}
