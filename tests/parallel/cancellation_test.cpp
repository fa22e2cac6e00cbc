// Cancellation tokens and time limits: a deadline cancels, the earlier deadline wins, and every
// long algorithm given a token stops soon after it fires, returning its partial result marked
// cancelled (never a half-written one: counts cover whole units of work).

#include <chrono>
#include <cstdint>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

using namespace twinrisk;
using namespace std::chrono_literals;

TEST_CASE("a token cancels on cancel() or once its deadline passes; the earlier deadline wins") {
  cancellation_token plain;
  CHECK_FALSE(plain.cancelled());
  CHECK_FALSE(plain.deadline_passed());
  plain.cancel();
  CHECK(plain.cancelled());
  CHECK_FALSE(plain.deadline_passed());  // stopped by hand, not by time

  cancellation_token timed;
  timed.cancel_after(1h);
  CHECK_FALSE(timed.cancelled());
  timed.cancel_after(-1s);  // earlier: wins
  CHECK(timed.cancelled());
  CHECK(timed.deadline_passed());
  timed.cancel_after(1h);  // later: ignored
  CHECK(timed.deadline_passed());

  const cancellation_token copy = plain;  // copies share the state
  cancellation_token other;
  const cancellation_token shared = other;
  other.cancel();
  CHECK(shared.cancelled());
  CHECK(copy.cancelled());
}

TEST_CASE("a time limit stops each long algorithm soon, with a partial result marked cancelled") {
  const twin t = generate_enterprise({.nodes = 3000, .seed = 11});
  const auto prob = get(&edge::probability, t);
  const auto gates = all_gates_of(t);
  // Each run below would take hours; the limit gives it 200 ms. "Soon" is generous (sanitizers,
  // a loaded machine): the point is that it stops at all, and says so.
  auto limited = [] {
    cancellation_token token;
    token.cancel_after(200ms);
    return token;
  };
  auto check_soon = [](std::chrono::steady_clock::time_point start) {
    CHECK(std::chrono::steady_clock::now() - start < 60s);
  };
  SUBCASE("simulate_compromise") {
    const cancellation_token token = limited();
    const auto start = std::chrono::steady_clock::now();
    const simulation_result r = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob,
                                                    {.trials = std::uint64_t{1} << 36, .all_gates = gates, .cancel = &token});
    check_soon(start);
    CHECK(r.cancelled);
    CHECK(r.trials < (std::uint64_t{1} << 36));
    CHECK(r.trials % 64 == 0);  // whole words of trials only
    CHECK(r.any_target <= r.trials);
  }
  SUBCASE("time_to_compromise") {
    const cancellation_token token = limited();
    const auto start = std::chrono::steady_clock::now();
    // One target: the exact times kept are targets × trials doubles (8 MB here).
    const time_result r = time_to_compromise(t, t.entry_points(), {t.crown_jewels().front()}, prob, edge_hours(t),
                                             {.trials = std::uint64_t{1} << 20, .all_gates = gates, .cancel = &token});
    check_soon(start);
    CHECK(r.cancelled);
    CHECK(r.trials < (std::uint64_t{1} << 20));
    // More than 2^28 exact times (2 GiB) is refused before anything is allocated.
    REQUIRE(t.crown_jewels().size() >= 2);
    CHECK_THROWS_WITH_AS(time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, edge_hours(t), {.trials = std::uint64_t{1} << 28}),
                         doctest::Contains("trials is more than 2^28 values (2 GiB)"), model_error);
  }
  SUBCASE("simulate_loss") {
    const cancellation_token token = limited();
    const auto start = std::chrono::steady_clock::now();
    const annual_losses r = simulate_loss(t, prob, loss_model_of(t), {.years = std::uint64_t{1} << 32, .all_gates = gates, .cancel = &token});
    check_soon(start);
    CHECK(r.cancelled);
    CHECK(r.years() < (std::uint64_t{1} << 32));
  }
  SUBCASE("count_paths and k_most_probable_paths") {
    const cancellation_token token = limited();
    const auto start = std::chrono::steady_clock::now();
    const enumeration_result counted = count_paths(t, t.entry_points(), t.crown_jewels(), prob, {.max_hops = 16, .cancel = &token});
    check_soon(start);
    CHECK(counted.cancelled);
    const cancellation_token fired = limited();
    while (!fired.cancelled()) {
    }
    const paths_result found = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.k = 1'000'000, .cancel = &fired});
    CHECK(found.cancelled);
    CHECK(found.paths.size() < 1'000'000);
  }
}
