#pragma once
/// Money and frequency inputs of a twin: distribution specifications, loss magnitude per asset,
/// and threats (who attacks, how often, through which entry points).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/enum_names.hpp"

namespace twinrisk {

/// Families of the distributions a twin can state for money and rates.
enum class distribution_family : std::uint8_t { constant, uniform, triangular, pert, lognormal };

inline constexpr detail::enum_names<distribution_family, 5> distribution_family_names{
    "distribution", {"constant", "uniform", "triangular", "pert", "lognormal"}};

/// A distribution as stated by a person, not yet sampled (sampling lives in sim/).
/// Parameters by family: constant {a = value}; uniform {a = min, c = max};
/// triangular and pert {a = min, b = mode, c = max}; lognormal {a = low, c = high}, the 5th and
/// 95th percentiles (a 90 % interval, as riskquant states magnitudes).
struct distribution_spec {
  distribution_family family = distribution_family::constant;
  double a = 0.0;
  double b = 0.0;
  double c = 0.0;
  bool operator==(const distribution_spec&) const = default;

  static distribution_spec constant(double value) { return {distribution_family::constant, value, value, value}; }
  static distribution_spec lognormal(double low, double high) { return {distribution_family::lognormal, low, 0.0, high}; }
  static distribution_spec pert(double min, double mode, double max) { return {distribution_family::pert, min, mode, max}; }

  /// Why the parameters are invalid for a non-negative quantity, or empty when they are valid.
  [[nodiscard]] std::string invalid_reason() const {
    auto finite_nonneg = [](double x) { return std::isfinite(x) && x >= 0.0; };
    switch (family) {
      case distribution_family::constant:
        return finite_nonneg(a) ? "" : "expected a finite value >= 0";
      case distribution_family::uniform:
        return finite_nonneg(a) && finite_nonneg(c) && a < c ? "" : "expected finite 0 <= min < max";
      case distribution_family::triangular:
      case distribution_family::pert:
        return finite_nonneg(a) && finite_nonneg(c) && a <= b && b <= c && a < c
                   ? "" : "expected finite 0 <= min <= mode <= max with min < max";
      case distribution_family::lognormal:
        return finite_nonneg(c) && a > 0.0 && a < c ? "" : "expected finite 0 < low < high";
    }
    return "unknown distribution family";
  }
};

/// What it costs when an asset is compromised, in the twin's currency (Open FAIR loss forms).
struct loss_magnitude {
  distribution_spec primary{};                   ///< response, replacement, productivity
  std::optional<distribution_spec> secondary{};  ///< fines, reputation, competitive advantage
  double secondary_probability = 0.0;          ///< chance that secondary loss occurs, in [0,1]
  std::optional<double> annual_cap{};            ///< at most this much per year from this asset
  bool operator==(const loss_magnitude&) const = default;
};

/// Where a threat starts, with a relative weight among the threat's entry points.
struct threat_entry {
  std::size_t vertex = 0;  ///< vertex index in the twin
  double weight = 1.0;     ///< > 0
  bool operator==(const threat_entry&) const = default;
};

/// A threat community or scenario: how often it acts and where it gets in.
struct threat {
  std::string id{};
  std::string name{};
  distribution_spec frequency{};  ///< events per year
  std::vector<threat_entry> entry_points{};
  double capability = 1.0;  ///< in (0,1]: scales edge probabilities for weaker actors
  /// Hours from the start of an event until the defenders detect and stop it (time to detect and
  /// respond); none: the attacker is never stopped. Assets not reached by then lose nothing.
  std::optional<distribution_spec> detect_hours{};
  bool operator==(const threat&) const = default;
};

/// Two assets whose losses move together when one event compromises both (a shared ransomware
/// outage, the same breach disclosed for both): the correlation of their primary losses' normal
/// scores, a Gaussian copula (risk/loss_copula.hpp). Assets not paired are independent.
struct loss_correlation {
  std::size_t a = 0, b = 0;  ///< vertices of two different assets that state a loss
  double correlation = 0.0;  ///< in [-1, 1]; all pairs together must form a positive-definite matrix
  bool operator==(const loss_correlation&) const = default;
};

}  // namespace twinrisk
