#pragma once
/// The no-graph mode: one loss scenario as plain frequency × magnitude, as Netflix riskquant's
/// simple model and pyfair compute it. Each simulated year draws the event rate (when the
/// frequency is a distribution), a Poisson number of events, and a magnitude per event; the
/// year's loss is their sum, capped at the annual cap. Same result type as the graph mode.
///
///     annual_losses r = simulate_fair({.frequency = distribution_spec::constant(0.3),
///                                      .magnitude = {.primary = distribution_spec::lognormal(1e5, 2e6)}},
///                                     {.years = 1'000'000});

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>


#include "twinrisk/model/detail/bundle_checks.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/magnitude.hpp"
#include "twinrisk/sim/distributions.hpp"

namespace twinrisk {

/// One scenario: how often it happens (events per year) and what each event costs.
struct fair_scenario {
  std::string id = "scenario";
  std::string currency{};
  distribution_spec frequency = distribution_spec::constant(1.0);
  loss_magnitude magnitude{};
};

/// Options of `simulate_fair`.
struct fair_options {
  std::uint64_t years = 1'000'000;
  std::uint64_t seed = 1;
  std::uint64_t first_year = 0;  ///< a multiple of 4,096; for runs to merge
  const cancellation_token* cancel = nullptr;
};

/// Simulates `options.years` years of one scenario. Deterministic for any thread count (tasks of
/// 4,096 years with their own streams). Throws: input_error on an invalid distribution
/// (/frequency, /magnitude/primary, ...), model_error on a first_year not a multiple of 4,096
/// or more than max_simulated_years years.
template <class Exec = par>
annual_losses simulate_fair(const fair_scenario& s, const fair_options& options = {}, Exec exec = {}) {
  constexpr std::uint64_t task_years = 4096;
  detail::check_distribution(s.frequency, "/frequency");
  detail::check_distribution(s.magnitude.primary, "/magnitude/primary");
  if (s.magnitude.secondary) detail::check_distribution(*s.magnitude.secondary, "/magnitude/secondary");
  if (options.first_year % task_years != 0) throw model_error("first_year must be a multiple of 4096");
  detail::check_year_range(options.years, options.first_year);
  annual_losses r;
  r.currency = s.currency;
  r.seed = options.seed;
  r.asset_ids = {s.id};
  r.threat_ids = {s.id};
  r.by_year.assign(options.years, 0.0);
  const std::uint64_t tasks = (options.years + task_years - 1) / task_years;
  std::vector<yearly_sum> sums(tasks);
  std::vector<std::uint64_t> events(tasks, 0);
  std::vector<char> done(tasks, 0);
  const poisson_rate_sampler event_count(s.frequency);
  const prepared_magnitude magnitude(s.magnitude);
  detail::run_with(exec, [&] {
    auto run_task = [&](std::uint64_t t) {
      if (options.cancel != nullptr && options.cancel->cancelled()) return;
      const std::uint64_t first = t * task_years, last = std::min(options.years, first + task_years);
      random_stream rs({.seed = derive_seed(options.seed, stream_purpose::fair_years, options.first_year / task_years + t)});
      for (std::uint64_t y = first; y < last; ++y) {
        double loss = 0.0;
        for (std::uint64_t k = event_count(rs); k > 0; --k, ++events[t]) loss += magnitude(rs);
        if (s.magnitude.annual_cap) loss = std::min(loss, *s.magnitude.annual_cap);
        r.by_year[y] = loss;
        sums[t].add(loss);
      }
      done[t] = 1;
    };
    detail::for_each_index(detail::is_parallel<Exec>, std::uint64_t{0}, tasks, run_task);
  });
  r.by_asset.assign(1, {});
  r.by_threat.assign(1, {});
  for (std::uint64_t t = 0; t < tasks; ++t) {
    if (!done[t]) {
      r.cancelled = true;
      continue;
    }
    r.by_asset[0].add(sums[t]);
    r.events += events[t];
  }
  if (r.cancelled) {  // keep only finished years, in order
    std::vector<double> all;
    for (std::uint64_t t = 0; t < tasks; ++t)
      if (done[t])
        all.insert(all.end(), r.by_year.begin() + static_cast<std::ptrdiff_t>(t * task_years),
                   r.by_year.begin() + static_cast<std::ptrdiff_t>(std::min(options.years, (t + 1) * task_years)));
    r.by_year = std::move(all);
  }
  r.by_threat[0] = r.by_asset[0];
  return r;
}

}  // namespace twinrisk
