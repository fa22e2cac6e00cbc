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
#include <math.h>  // lgamma_r
#include <cstdint>
#include <limits>
#include <numbers>
#include <tuple>
#include <utility>
#include <vector>

#include "twinrisk/model/scenario.hpp"
#include "twinrisk/sim/rng.hpp"

namespace twinrisk {

/// ln Γ(x) for x > 0. Not std::lgamma: it writes the global `signgam`, a data race when
/// simulations call it from several threads (ThreadSanitizer reports it).
[[nodiscard]] inline double log_gamma(double x) {
#if defined(__GLIBC__) || defined(__APPLE__)
  int sign = 0;
  return ::lgamma_r(x, &sign);
#else
  return std::lgamma(x);
#endif
}

/// Uniform on [a, b).
[[nodiscard]] inline double sample_uniform(random_stream& r, double a, double b) { return a + (b - a) * r.uniform(); }

/// Exponential with the given rate (mean 1 / rate), by inversion.
[[nodiscard]] inline double sample_exponential(random_stream& r, double rate) { return -std::log(r.uniform_positive()) / rate; }

namespace detail {

/// The 128 layers of the normal ziggurat (Doornik 2005, "An improved ziggurat method to generate
/// normal random samples"; Marsaglia and Tsang 2000): x[i] the layers' right edges, ratio[i] =
/// x[i+1] / x[i], the share of a layer inside the curve's rectangle.
struct normal_ziggurat {
  static constexpr int layers = 128;
  static constexpr double tail = 3.442619855899, area = 9.91256303526217e-3;
  double x[layers + 1], ratio[layers];

  normal_ziggurat() {
    double f = std::exp(-0.5 * tail * tail);
    x[0] = area / f;  // the bottom layer, with the tail, is as wide as its area over f(tail)
    x[1] = tail;
    x[layers] = 0.0;
    for (int i = 2; i < layers; ++i) {
      x[i] = std::sqrt(-2.0 * std::log(area / x[i - 1] + f));
      f = std::exp(-0.5 * x[i] * x[i]);
    }
    for (int i = 0; i < layers; ++i) ratio[i] = x[i + 1] / x[i];
  }

  static const normal_ziggurat& get() {
    static const normal_ziggurat z;
    return z;
  }

  /// A draw's layer: bits 0-6 of its word.
  [[nodiscard]] static int layer_of(std::uint64_t w) noexcept { return static_cast<int>(w & 0x7F); }
  /// A draw's position in its layer: bits 11-63 of its word, in [-1, 1).
  [[nodiscard]] static double position_of(std::uint64_t w) noexcept { return 2.0 * (static_cast<double>(w >> 11) * 0x1.0p-53) - 1.0; }

  /// For position u of `layer` (> 0) outside the layer's rectangle: the density's values
  /// relative to the curve's at the layer's edges, f1 and f0 - f1 (see in_wedge).
  [[nodiscard]] std::pair<double, double> wedge(int layer, double u) const {
    const double t = u * x[layer];
    const double f0 = std::exp(-0.5 * (x[layer] * x[layer] - t * t));
    const double f1 = std::exp(-0.5 * (x[layer + 1] * x[layer + 1] - t * t));
    return {f1, f0 - f1};
  }
  /// Whether position u of `layer` (> 0), outside the layer's rectangle, is under the curve,
  /// given the uniform v of the next word.
  [[nodiscard]] static bool in_wedge(std::pair<double, double> wedge, double v) { return wedge.first + v * wedge.second < 1.0; }
};

/// `sample_normal` from any source of random words `r` with random_stream's next_u64, uniform and
/// uniform_positive: simulate_fair's batched path draws from buffered words this way, and so
/// consumes the same words and returns the same numbers as the stream would.
template <class Words>
[[nodiscard]] double ziggurat_normal(Words& r, double mean, double sd) {
  const normal_ziggurat& z = normal_ziggurat::get();
  for (;;) {
    const std::uint64_t w = r.next_u64();
    const int layer = normal_ziggurat::layer_of(w);
    const double u = normal_ziggurat::position_of(w);
    if (std::abs(u) < z.ratio[layer]) return mean + sd * u * z.x[layer];  // inside the layer's rectangle
    if (layer == 0) {  // the tail beyond 3.44 (Marsaglia's method)
      double x = 0.0, y = 0.0;
      do {
        x = std::log(r.uniform_positive()) / normal_ziggurat::tail;
        y = std::log(r.uniform_positive());
      } while (-2.0 * y < x * x);
      return mean + sd * (u < 0.0 ? x - normal_ziggurat::tail : normal_ziggurat::tail - x);
    }
    if (normal_ziggurat::in_wedge(z.wedge(layer, u), r.uniform())) return mean + sd * (u * z.x[layer]);
  }
}

}  // namespace detail

/// Normal(mean, sd) by the ziggurat method: exact (rejection), with one 64-bit word in 97% of
/// draws and no logarithm in 99.9% — several times faster than Box–Muller, which matters for the
/// loss magnitudes of millions of simulated years.
[[nodiscard]] inline double sample_normal(random_stream& r, double mean = 0.0, double sd = 1.0) {
  return detail::ziggurat_normal(r, mean, sd);
}

/// Lognormal: exp(Normal(mu, sigma)).
[[nodiscard]] inline double sample_lognormal(random_stream& r, double mu, double sigma) {
  return std::exp(sample_normal(r, mu, sigma));
}

/// Lognormal whose 5th and 95th percentiles are `lo` and `hi`, as riskquant and FAIR tools
/// state losses: mu = (ln lo + ln hi) / 2, sigma = (ln hi - ln lo) / (2 * 1.6449).
[[nodiscard]] inline std::pair<double, double> lognormal_90_parameters(double lo, double hi) {
  const double z95 = 1.6448536269514722;
  return {(std::log(lo) + std::log(hi)) / 2.0, (std::log(hi) - std::log(lo)) / (2.0 * z95)};  // mu, sigma
}
[[nodiscard]] inline double sample_lognormal_90(random_stream& r, double lo, double hi) {
  const auto [mu, sigma] = lognormal_90_parameters(lo, hi);
  return sample_lognormal(r, mu, sigma);
}

/// The u-quantile of Triangular(min, mode, max), u in [0, 1]: the inverse of its CDF.
[[nodiscard]] inline double triangular_quantile(double u, double min, double mode, double max) {
  const double f = (mode - min) / (max - min);
  return u < f ? min + std::sqrt(u * (max - min) * (mode - min)) : max - std::sqrt((1.0 - u) * (max - min) * (max - mode));
}

/// Triangular(min, mode, max) by inversion of its CDF.
[[nodiscard]] inline double sample_triangular(random_stream& r, double min, double mode, double max) {
  return triangular_quantile(r.uniform(), min, mode, max);
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

/// The regularized incomplete beta function I_x(a, b), the CDF of Beta(a, b) at x: a continued
/// fraction by Lentz's method (Numerical Recipes, 6.4), on the side of x where it converges fast.
/// Relative accuracy about 1e-13. Precondition: a, b > 0.
[[nodiscard]] inline double regularized_beta(double x, double a, double b) {
  if (!(x > 0.0)) return 0.0;
  if (!(x < 1.0)) return 1.0;
  const auto continued_fraction = [](double y, double p, double q) {  // for I_y(p, q)
    constexpr double tiny = 1e-300;
    const auto guard = [](double v) { return std::abs(v) < tiny ? tiny : v; };
    double c = 1.0, d = 1.0 / guard(1.0 - (p + q) * y / (p + 1.0)), h = d;
    for (int m = 1; m <= 500; ++m) {
      const double m2 = 2.0 * m;
      double aa = m * (q - m) * y / ((p - 1.0 + m2) * (p + m2));
      d = 1.0 / guard(1.0 + aa * d);
      c = guard(1.0 + aa / c);
      h *= d * c;
      aa = -(p + m) * (p + q + m) * y / ((p + m2) * (p + 1.0 + m2));
      d = 1.0 / guard(1.0 + aa * d);
      c = guard(1.0 + aa / c);
      const double step = d * c;
      h *= step;
      if (std::abs(step - 1.0) < 1e-15) break;
    }
    return h;
  };
  const double front = std::exp(log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * std::log(x) + b * std::log1p(-x));
  return x < (a + 1.0) / (a + b + 2.0) ? front * continued_fraction(x, a, b) / a
                                       : 1.0 - front * continued_fraction(1.0 - x, b, a) / b;
}

/// The u-quantile of Beta(a, b), u in [0, 1]: the inverse of `regularized_beta` by bisection
/// (the CDF is monotone; 64 halvings reach the resolution of a double).
[[nodiscard]] inline double beta_quantile(double u, double a, double b) {
  if (!(u > 0.0)) return 0.0;
  if (!(u < 1.0)) return 1.0;
  double lo = 0.0, hi = 1.0;
  for (int i = 0; i < 64; ++i) {
    const double mid = 0.5 * (lo + hi);
    (regularized_beta(mid, a, b) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/// Modified PERT(min, mode, max) with weight gamma (4 for the classic PERT): a Beta(alpha, beta)
/// scaled to [min, max], alpha = 1 + gamma (mode - min) / (max - min), beta = 1 + gamma (max - mode) / (max - min).
[[nodiscard]] inline std::pair<double, double> pert_parameters(double min, double mode, double max, double gamma = 4.0) {
  return {1.0 + gamma * (mode - min) / (max - min), 1.0 + gamma * (max - mode) / (max - min)};  // alpha, beta
}
[[nodiscard]] inline double sample_pert(random_stream& r, double min, double mode, double max, double gamma = 4.0) {
  const auto [alpha, beta] = pert_parameters(min, mode, max, gamma);
  return min + (max - min) * sample_beta(r, alpha, beta);
}

/// Bernoulli(p).
[[nodiscard]] inline bool sample_bernoulli(random_stream& r, double p) { return r.uniform() < p; }

namespace detail {

/// Poisson(rate) by inversion (sequential search from 0), given p0 = e^-rate.
[[nodiscard]] inline std::uint64_t poisson_by_inversion(random_stream& r, double rate, double p0) {
  double p = p0, cdf = p;
  const double u = r.uniform();
  std::uint64_t k = 0;
  while (u > cdf && p > 0.0) {
    ++k;
    p *= rate / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

/// The CDF values `poisson_by_inversion(r, rate, std::exp(-rate))` compares its uniform u with,
/// by the same recurrence, then +inf where its search stops (p underflowed to 0): its count for
/// u is the number of entries below u (the entries ascend). Precondition: 0 < rate < 10.
[[nodiscard]] inline std::vector<double> poisson_inversion_cdf(double rate) {
  std::vector<double> cdf;
  double p = std::exp(-rate), sum = p;
  for (std::uint64_t k = 0; p > 0.0;) {
    cdf.push_back(sum);
    ++k;
    p *= rate / static_cast<double>(k);
    sum += p;
  }
  cdf.push_back(std::numeric_limits<double>::infinity());
  return cdf;
}

}  // namespace detail

/// Poisson(rate): by inversion (sequential search) for rate < 10, and by Hörmann's transformed
/// rejection with squeeze, PTRS (1993), above — exact, in O(1) expected draws at any rate.
[[nodiscard]] inline std::uint64_t sample_poisson(random_stream& r, double rate) {
  if (!(rate > 0.0)) return 0;
  if (rate < 10.0) return detail::poisson_by_inversion(r, rate, std::exp(-rate));
  const double slam = std::sqrt(rate), loglam = std::log(rate);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b, inv_alpha = 1.1239 + 1.1328 / (b - 3.4),
               vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = r.uniform() - 0.5, v = r.uniform(), us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <= -rate + k * loglam - log_gamma(k + 1.0))
      return static_cast<std::uint64_t>(k);
  }
}

/// Poisson(rate) with its constants computed once, for many draws at one rate: the same numbers
/// as `sample_poisson(r, rate)`, several times faster at small rates (no exp per draw).
class poisson_sampler {
 public:
  explicit poisson_sampler(double rate) : rate_(rate > 0.0 ? rate : 0.0), p0_(std::exp(-rate_)) {}
  [[nodiscard]] std::uint64_t operator()(random_stream& r) const {
    if (rate_ == 0.0) return 0;
    if (rate_ >= 10.0) return sample_poisson(r, rate_);
    return detail::poisson_by_inversion(r, rate_, p0_);
  }

 private:
  double rate_, p0_;
};

/// A distribution a twin states (constant, uniform, triangular, PERT, lognormal from its 90%
/// interval) with its parameters derived once, for many draws. Precondition: `d.invalid_reason()`
/// is empty.
class prepared_distribution {
 public:
  explicit prepared_distribution(const distribution_spec& d) : d_(d) {
    if (d.family == distribution_family::lognormal) std::tie(a_, b_) = lognormal_90_parameters(d.a, d.c);
    else if (d.family == distribution_family::pert) std::tie(a_, b_) = pert_parameters(d.a, d.b, d.c);
  }

  [[nodiscard]] double operator()(random_stream& r) const {
    switch (d_.family) {
      case distribution_family::constant: return d_.a;
      case distribution_family::uniform: return sample_uniform(r, d_.a, d_.c);
      case distribution_family::triangular: return sample_triangular(r, d_.a, d_.b, d_.c);
      case distribution_family::pert: return d_.a + (d_.c - d_.a) * sample_beta(r, a_, b_);
      case distribution_family::lognormal: return sample_lognormal(r, a_, b_);
    }
    return d_.a;
  }

  [[nodiscard]] const distribution_spec& spec() const noexcept { return d_; }

 private:
  distribution_spec d_;
  double a_ = 0.0, b_ = 0.0;
};

/// Poisson counts whose rate follows a distribution a twin states — events in a year when the
/// yearly rate is uncertain: the rate is drawn anew for each count, then the count; a constant
/// rate uses a `poisson_sampler`. Precondition: `rate.invalid_reason()` is empty.
class poisson_rate_sampler {
 public:
  explicit poisson_rate_sampler(const distribution_spec& rate) : rate_(rate), fixed_(rate.a) {}
  [[nodiscard]] std::uint64_t operator()(random_stream& r) const {
    return rate_.spec().family == distribution_family::constant ? fixed_(r) : sample_poisson(r, rate_(r));
  }

 private:
  prepared_distribution rate_;
  poisson_sampler fixed_;
};

/// A draw from a distribution a twin states. Precondition: `d.invalid_reason()` is empty.
/// For many draws from one distribution, keep a `prepared_distribution`.
[[nodiscard]] inline double sample(random_stream& r, const distribution_spec& d) { return prepared_distribution(d)(r); }

/// The mean of a distribution a twin states, in closed form (PERT with the usual gamma = 4:
/// (min + 4 mode + max) / 6; lognormal from its 90% interval: exp(mu + sigma^2 / 2)).
/// Precondition: `d.invalid_reason()` is empty.
[[nodiscard]] inline double distribution_mean(const distribution_spec& d) {
  switch (d.family) {
    case distribution_family::constant: return d.a;
    case distribution_family::uniform: return (d.a + d.c) / 2.0;
    case distribution_family::triangular: return (d.a + d.b + d.c) / 3.0;
    case distribution_family::pert: return (d.a + 4.0 * d.b + d.c) / 6.0;
    case distribution_family::lognormal: {
      const auto [mu, sigma] = lognormal_90_parameters(d.a, d.c);
      return std::exp(mu + sigma * sigma / 2.0);
    }
  }
  return d.a;
}

/// The mean loss of one event: the primary loss's mean plus the secondary's, weighted by its
/// probability (the annual cap, a bound on a year's sum, does not apply to one event).
[[nodiscard]] inline double mean_event_loss(const loss_magnitude& m) {
  return distribution_mean(m.primary) + (m.secondary ? m.secondary_probability * distribution_mean(*m.secondary) : 0.0);
}

}  // namespace twinrisk
