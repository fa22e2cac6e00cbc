// How likely is each crown jewel to fall, and how fast? Monte Carlo campaigns over the attack
// graph (every edge tried once per campaign), the hours an attacker needs, and a run cancelled
// from outside that still returns what it has.

#include <chrono>
#include <cstdio>
#include <iostream>

#include "example_twin.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = twinrisk_examples::example_twin(argc, argv);
  const auto prob = get(&edge::probability, t);
  //! [compromise]
  simulation_result r = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob,
                                            {.trials = 10'000, .seed = 7, .all_gates = all_gates_of(t)});
  for (auto v : t.crown_jewels()) {
    estimate e = r.interval(v);  // p with its 95% Wilson interval; the same for any thread count
    std::printf("%-28s P(compromise) %.3f [%.3f, %.3f]\n", t[v].name.c_str(), e.p, e.lo, e.hi);
  }
  std::printf("any crown jewel: %.3f\n", r.p_any_target());
  //! [compromise]

  //! [time]
  time_result h = time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, edge_hours(t),
                                     {.trials = 2'000, .horizons = {24, 168}});
  const auto jewel = t.crown_jewels().front();
  std::printf("%s: P(within a day) %.3f, P(within a week) %.3f, median %.0f h\n", t[jewel].name.c_str(),
              h.p_within(jewel, 0).p, h.p_within(jewel, 1).p, h.quantile(jewel, 0.5));  // median: inf if P(ever) < 1/2
  //! [time]

  //! [cancel]
  cancellation_token stop;
  stop.cancel_after(std::chrono::milliseconds(200));  // or stop.cancel() from a UI thread
  auto big = simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob, {.trials = 1'000'000'000, .cancel = &stop});
  if (big.cancelled) std::cout << "stopped after " << big.trials << " trials\n";  // estimates use big.trials
  //! [cancel]
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "compromise_odds: " << e.what() << "\n";
  return 1;
}
