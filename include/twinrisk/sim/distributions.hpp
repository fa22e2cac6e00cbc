#pragma once
/// The sampling distributions of the simulations, written here rather than taken from `std::`
/// (whose algorithms differ between standard libraries, so the same seed would give other
/// numbers elsewhere). Each draws from a `random_stream`; all are exact methods, not
/// approximations.
///
///     random_stream r({.seed = 7});
///     double loss = sample_lognormal_90(r, 50'000, 2'000'000);   // a FAIR-style 90% range
///     std::uint64_t events = sample_poisson(r, 0.3);

#include <cmath>
#include <cstdint>
#include <numbers>

#include "twinrisk/model/scenario.hpp"
#include "twinrisk/sim/rng.hpp"

namespace twinrisk {

/// Uniform on [a, b).
[[nodiscard]] inline double sample_uniform(random_stream& r, double a, double b) { return a + (b - a) * r.uniform(); }

/// Exponential with the given rate (mean 1 / rate), by inversion.
[[nodiscard]] inline double sample_exponential(random_stream& r, double rate) { return -std::log(r.uniform_positive()) / rate; }

/// Normal(mean, sd) by the Box–Muller transform (one of the pair is used, so draws stay a
/// pure function of the stream position).
[[nodiscard]] inline double sample_normal(random_stream& r, double mean = 0.0, double sd = 1.0) {
  const double u1 = r.uniform_positive(), u2 = r.uniform();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Lognormal: exp(Normal(mu, sigma)).
[[nodiscard]] inline double sample_lognormal(random_stream& r, double mu, double sigma) {
  return std::exp(sample_normal(r, mu, sigma));
}

/// Lognormal whose 5th and 95th percentiles are `lo` and `hi`, as riskquant and FAIR tools
/// state losses: mu = (ln lo + ln hi) / 2, sigma = (ln hi - ln lo) / (2 * 1.6449).
[[nodiscard]] inline double sample_lognormal_90(random_stream& r, double lo, double hi) {
  const double z95 = 1.6448536269514722;
  return sample_lognormal(r, (std::log(lo) + std::log(hi)) / 2.0, (std::log(hi) - std::log(lo)) / (2.0 * z95));
}

/// Triangular(min, mode, max) by inversion of its CDF.
[[nodiscard]] inline double sample_triangular(random_stream& r, double min, double mode, double max) {
  const double u = r.uniform(), f = (mode - min) / (max - min);
  return u < f ? min + std::sqrt(u * (max - min) * (mode - min)) : max - std::sqrt((1.0 - u) * (max - min) * (max - mode));
}

/// Gamma(shape, scale) by Marsaglia and Tsang's squeeze method (2000); shape < 1 by boosting
/// with U^(1/shape).
[[nodiscard]] inline double sample_gamma(random_stream& r, double shape, double scale = 1.0) {
  if (shape < 1.0) return sample_gamma(r, shape + 1.0, scale) * std::pow(r.uniform_positive(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0.0, v = 0.0;
    do {
      x = sample_normal(r);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = r.uniform_positive();
    if (u < 1.0 - 0.0331 * x * x * x * x || std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v * scale;
  }
}

/// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
[[nodiscard]] inline double sample_beta(random_stream& r, double a, double b) {
  const double x = sample_gamma(r, a), y = sample_gamma(r, b);
  return x / (x + y);
}

/// Modified PERT(min, mode, max) with weight gamma (4 for the classic PERT): a Beta(alpha, beta)
/// scaled to [min, max], alpha = 1 + gamma (mode - min) / (max - min), beta = 1 + gamma (max - mode) / (max - min).
[[nodiscard]] inline double sample_pert(random_stream& r, double min, double mode, double max, double gamma = 4.0) {
  const double alpha = 1.0 + gamma * (mode - min) / (max - min), beta = 1.0 + gamma * (max - mode) / (max - min);
  return min + (max - min) * sample_beta(r, alpha, beta);
}

/// Bernoulli(p).
[[nodiscard]] inline bool sample_bernoulli(random_stream& r, double p) { return r.uniform() < p; }

/// Poisson(rate): by inversion (sequential search) for rate < 10, and by Hörmann's transformed
/// rejection with squeeze, PTRS (1993), above — exact, in O(1) expected draws at any rate.
[[nodiscard]] inline std::uint64_t sample_poisson(random_stream& r, double rate) {
  if (!(rate > 0.0)) return 0;
  if (rate < 10.0) {
    double p = std::exp(-rate), cdf = p;
    const double u = r.uniform();
    std::uint64_t k = 0;
    while (u > cdf && p > 0.0) {
      ++k;
      p *= rate / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  const double slam = std::sqrt(rate), loglam = std::log(rate);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b, inv_alpha = 1.1239 + 1.1328 / (b - 3.4),
               vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = r.uniform() - 0.5, v = r.uniform(), us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <= -rate + k * loglam - std::lgamma(k + 1.0))
      return static_cast<std::uint64_t>(k);
  }
}

/// A draw from a distribution a twin states (constant, uniform, triangular, PERT, lognormal
/// from its 90% interval). Precondition: `d.invalid_reason()` is empty.
[[nodiscard]] inline double sample(random_stream& r, const distribution_spec& d) {
  switch (d.family) {
    case distribution_family::constant: return d.a;
    case distribution_family::uniform: return sample_uniform(r, d.a, d.c);
    case distribution_family::triangular: return sample_triangular(r, d.a, d.b, d.c);
    case distribution_family::pert: return sample_pert(r, d.a, d.b, d.c);
    case distribution_family::lognormal: return sample_lognormal_90(r, d.a, d.c);
  }
  return d.a;
}

}  // namespace twinrisk
