#pragma once
/// A probability estimated from Monte Carlo counts, with its 95% interval: the value type the
/// simulations return and the reports print (so a report needs no simulation engine).

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace twinrisk {

/// The standard normal's 97.5% quantile: a 95% two-sided interval is ± z_95 standard errors.
inline constexpr double z_95 = 1.959963984540054;

/// A probability estimate with its standard error and 95% Wilson score interval.
struct estimate {
  double p = 0.0, standard_error = 0.0, lo = 0.0, hi = 0.0;
};

/// The proportion k / n with Wilson's score interval at 95%: good coverage even near 0 and 1,
/// where the normal interval collapses to a point.
[[nodiscard]] inline estimate wilson_estimate(std::uint64_t k, std::uint64_t trials) {
  if (trials == 0) return {0.0, 0.0, 0.0, 1.0};
  const double n = static_cast<double>(trials), p = static_cast<double>(k) / n, z2 = z_95 * z_95;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z_95 / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, std::sqrt(p * (1 - p) / n), std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace twinrisk
