#pragma once
/// The CISO's 0–100 risk score: one number for the board, from two questions — how does the
/// expected annual loss compare with the loss the organisation accepts (its risk appetite), and
/// how likely is an attacker who gets in to reach a crown jewel?
///
///     money       = 100 · x / (1 + x),  x = ALE / appetite   (0 at no loss, 50 at the appetite, 90 at 9×)
///     probability = 100 · P(any crown jewel compromised in a campaign: report_parameters::entry_model)
///     score       = round(0.6 · money + 0.4 · probability)   (probability alone without a loss model)
///     band        = low < 25 <= moderate < 50 <= high < 75 <= critical

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "twinrisk/report/report.hpp"

namespace twinrisk {

/// The appetite used when none is stated (in the twin's currency), flagged as assumed in reports.
inline constexpr double default_risk_appetite = 1'000'000.0;

/// The band of a score: "low", "moderate", "high" or "critical".
[[nodiscard]] inline std::string risk_band(int score) {
  return score < 25 ? "low" : score < 50 ? "moderate" : score < 75 ? "high" : "critical";
}

/// The score of an annual loss expectancy `ale` (nullopt: no loss model) against `appetite`
/// (> 0), with `p_any_crown_jewel` in [0,1]. `p_exceed_appetite` and `appetite_assumed` are
/// carried into the result as given.
[[nodiscard]] inline report_score risk_score(std::optional<double> ale, double appetite, double p_any_crown_jewel,
                                             double p_exceed_appetite = 0.0, bool appetite_assumed = false) {
  report_score s;
  s.appetite = appetite;
  s.appetite_assumed = appetite_assumed;
  s.has_money = ale.has_value();
  s.p_exceed_appetite = p_exceed_appetite;
  s.probability_component = 100.0 * std::clamp(p_any_crown_jewel, 0.0, 1.0);
  if (ale) {
    const double x = std::max(0.0, *ale) / appetite;
    s.money_component = 100.0 * x / (1.0 + x);
    s.score = static_cast<int>(std::lround(0.6 * s.money_component + 0.4 * s.probability_component));
  } else {
    s.score = static_cast<int>(std::lround(s.probability_component));
  }
  s.band = risk_band(s.score);
  return s;
}

}  // namespace twinrisk
