#pragma once
/// What-if: the change a set of actions makes to the annual loss and to each crown jewel's
/// compromise probability, with common random numbers — the simulation after the actions uses
/// the very worlds of the simulation before (each edge keeps its own random stream, events and
/// money draws do not depend on the graph), so a year differs only where an action changed the
/// outcome and small savings stand out of the noise. The saving's interval is the paired one:
/// the standard error of the year-by-year differences.
///
///     what_if_evaluator w(t, get(&edge::probability, t), loss_model_of(t), {.years = 50'000});
///     what_if_result r = w.evaluate({{.kind = action_kind::patch_cve, .target = "CVE-2024-4577"}});
///     r.saving.mean;  r.saving.lo;  r.saving.hi;   // ALE before − after, 95% interval
///
/// The evaluator simulates the baseline once, on first need (a planner that records its own
/// baseline never asks for it); each evaluation copies the probability vector, applies the
/// actions and simulates once more — the twin is never rebuilt.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/property_map/property_map.hpp>

#include "twinrisk/execution.hpp"
#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/remediate/actions.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/sim/estimate.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/compromise.hpp"

namespace twinrisk {

/// A paired difference of two runs over the same years, with its 95% normal interval.
struct paired_difference {
  double mean = 0.0, standard_error = 0.0, lo = 0.0, hi = 0.0;
};

/// before − after, year by year, over the same years of two runs.
/// Throws: model_error when the spans have different lengths.
[[nodiscard]] inline paired_difference paired_saving(std::span<const double> before, std::span<const double> after) {
  const std::size_t n = before.size();
  if (after.size() != n) throw model_error("paired runs must cover the same years");
  yearly_sum differences;  // the same statistics as the ALE's, over the year-by-year differences
  for (std::size_t y = 0; y < n; ++y) differences.add(before[y] - after[y]);
  paired_difference d;
  d.mean = differences.mean(n);
  d.standard_error = differences.standard_error(n);
  d.lo = d.mean - z_95 * d.standard_error;
  d.hi = d.mean + z_95 * d.standard_error;
  return d;
}

/// before − after, year by year. Precondition: the same years (same seed and count).
/// Throws: model_error when the runs have different numbers of years.
[[nodiscard]] inline paired_difference paired_saving(const annual_losses& before, const annual_losses& after) {
  return paired_saving(std::span<const double>(before.by_year), std::span<const double>(after.by_year));
}

/// Options of a what-if evaluation.
struct what_if_options {
  std::uint64_t years = 50'000;   ///< simulated years for the loss (before and after)
  std::uint64_t trials = 0;       ///< compromise trials for the crown jewels' probabilities; 0: skip them
  std::uint64_t seed = 1;
  std::vector<char> all_gates{};  ///< by vertex: 1 = AND gate
  const cancellation_token* cancel = nullptr;
};

/// The effect of a set of actions.
struct what_if_result {
  double ale_before = 0.0, ale_after = 0.0;
  paired_difference saving;  ///< ALE before − after (positive: the actions save money)
  double p99_before = 0.0, p99_after = 0.0;
  std::vector<std::size_t> crown_jewels;        ///< vertices, ascending (with trials > 0)
  std::vector<estimate> p_before, p_after;      ///< their compromise probabilities
  annual_losses after;                          ///< the simulated years after the actions
};

/// Evaluates action sets against one baseline on twin `t` (a `basic_twin`).
template <class T, class Exec = par>
class what_if_evaluator {
 public:
  /// An evaluator of changes to edge probabilities `prob`; with `trials`, the crown jewels'
  /// compromise before any change is simulated now, the loss baseline on first need.
  /// Throws: input_error or model_error on a bad loss model (as simulate_loss), what
  /// simulate_compromise throws; `baseline()` and the evaluations throw what simulate_loss throws.
  template <class ProbMap>
    requires edge_probability_map<ProbMap, T>
  what_if_evaluator(const T& t, const ProbMap& prob, loss_model model, what_if_options options = {}, Exec exec = {})
      : t_(t), p_(probabilities_by_index(t, prob)), model_(std::move(model)), options_(std::move(options)), exec_(exec) {
    detail::check_loss_model(model_, t.num_nodes(), t.num_edges());
    if (options_.trials > 0) compromise_before_ = compromise(p_);
  }

  /// The baseline's simulated years (simulated on the first call, once, thread-safely).
  [[nodiscard]] const annual_losses& baseline() const {
    std::call_once(baseline_once_, [this] { baseline_ = losses_of(p_); });
    return baseline_;
  }
  [[nodiscard]] const T& twin() const noexcept { return t_; }
  /// The baseline probabilities by edge index: the vector actions rewrite.
  [[nodiscard]] const std::vector<double>& probabilities() const noexcept { return p_; }
  [[nodiscard]] const loss_model& model() const noexcept { return model_; }
  [[nodiscard]] Exec execution() const noexcept { return exec_; }
  /// The options of every loss simulation the evaluator runs.
  [[nodiscard]] loss_options loss_run_options() const {
    return {.years = options_.years, .seed = options_.seed, .all_gates = options_.all_gates, .cancel = options_.cancel};
  }

  /// The effect of `actions` applied together to the baseline probabilities.
  /// Throws: input_error naming /actions/i on an action that does not fit the twin.
  [[nodiscard]] what_if_result evaluate(const std::vector<remediation_action>& actions) const {
    std::vector<double> p = p_;
    apply_actions(t_, actions, p);
    return evaluate_probabilities(p);
  }

  /// The effect of replacing the baseline probabilities by `p` (by edge index).
  [[nodiscard]] what_if_result evaluate_probabilities(const std::vector<double>& p) const {
    what_if_result r;
    r.after = losses_of(p);
    r.ale_before = baseline().ale();
    r.ale_after = r.after.ale();
    r.saving = paired_saving(baseline(), r.after);
    r.p99_before = baseline().quantile(0.99);
    r.p99_after = r.after.quantile(0.99);
    if (options_.trials > 0) {
      const simulation_result after = compromise(p);
      r.crown_jewels = compromise_before_.targets;
      for (std::size_t v : r.crown_jewels) {
        r.p_before.push_back(compromise_before_.interval(v));
        r.p_after.push_back(after.interval(v));
      }
    }
    return r;
  }

  /// The simulated years with probabilities `p` (by edge index): the baseline's worlds.
  [[nodiscard]] annual_losses losses_of(const std::vector<double>& p) const {
    return simulate_loss(t_, map_of(p), model_, loss_run_options(), exec_);
  }
 private:
  [[nodiscard]] auto map_of(const std::vector<double>& p) const { return probability_map(t_, p); }
  [[nodiscard]] simulation_result compromise(const std::vector<double>& p) const {
    return simulate_compromise(t_, t_.entry_points(), t_.crown_jewels(), map_of(p),
                               {.trials = options_.trials, .seed = options_.seed, .all_gates = options_.all_gates,
                                .cancel = options_.cancel},
                               exec_);
  }

  const T& t_;
  std::vector<double> p_;
  loss_model model_;
  what_if_options options_;
  Exec exec_;
  mutable std::once_flag baseline_once_;
  mutable annual_losses baseline_;
  simulation_result compromise_before_;
};

}  // namespace twinrisk
