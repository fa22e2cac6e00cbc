// Distributions against exact moments (bounds of 5 standard errors: a false failure has
// probability below 1e-6 per check) and against their exact CDFs with the Kolmogorov–Smirnov
// statistic (critical value at alpha = 0.001: 1.95 / sqrt(n)); the vectorised exp against
// std::exp; the Poisson inversion's CDF table against the inversion itself.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <doctest/doctest.h>

#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/vector_exp.hpp"

using namespace twinrisk;

namespace {

constexpr int draws = 40'000;

std::vector<double> sample(std::uint64_t seed, const std::function<double(random_stream&)>& f) {
  random_stream r({.seed = seed, .block = 3});
  std::vector<double> xs(draws);
  for (double& x : xs) x = f(r);
  return xs;
}

// Mean and variance within 5 standard errors of the exact values (the variance's standard
// error from the fourth central moment `mu4`).
void check_moments(const std::vector<double>& xs, double mean, double var, double mu4) {
  double m = 0.0;
  for (double x : xs) m += x;
  m /= static_cast<double>(xs.size());
  double v = 0.0;
  for (double x : xs) v += (x - m) * (x - m);
  v /= static_cast<double>(xs.size() - 1);
  const double n = static_cast<double>(xs.size());
  CHECK(std::abs(m - mean) < 5 * std::sqrt(var / n));
  CHECK(std::abs(v - var) < 5 * std::sqrt((mu4 - var * var) / n) + 1e-12);
}

void check_ks(std::vector<double> xs, const std::function<double(double)>& cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = static_cast<double>(xs.size());
  double d = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  CHECK(d < 1.95 / std::sqrt(n));
}

double normal_cdf(double x, double mu, double sd) { return 0.5 * std::erfc(-(x - mu) / (sd * std::sqrt(2.0))); }

}  // namespace

TEST_CASE("uniform, exponential, normal and lognormal") {
  const auto u = sample(1, [](random_stream& r) { return sample_uniform(r, 2.0, 5.0); });
  check_moments(u, 3.5, 0.75, 81.0 / 80.0);  // width^4 / 80
  check_ks(u, [](double x) { return std::clamp((x - 2.0) / 3.0, 0.0, 1.0); });

  const auto e = sample(2, [](random_stream& r) { return sample_exponential(r, 2.0); });
  check_moments(e, 0.5, 0.25, 9.0 / 16.0);  // 9 / rate^4
  check_ks(e, [](double x) { return 1.0 - std::exp(-2.0 * x); });

  const auto z = sample(3, [](random_stream& r) { return sample_normal(r, 1.0, 2.0); });
  check_moments(z, 1.0, 4.0, 48.0);  // 3 sd^4
  check_ks(z, [](double x) { return normal_cdf(x, 1.0, 2.0); });

  const auto l = sample(4, [](random_stream& r) { return sample_lognormal(r, 0.5, 0.4); });
  check_ks(l, [](double x) { return normal_cdf(std::log(x), 0.5, 0.4); });
}

TEST_CASE("normal ziggurat: the tail beyond its base layer (3.4426) and the wedges have the right mass") {
  // The ziggurat draws |Z| > 3.4426 by a separate method and points in the wedges by rejection;
  // a fault there barely moves a KS statistic, so count those regions directly (5 sd bounds).
  random_stream r({.seed = 77});
  const std::uint64_t n = 2'000'000;
  std::uint64_t tail = 0, beyond4 = 0, shoulder = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const double z = std::abs(sample_normal(r));
    tail += z > 3.442619855899;
    beyond4 += z > 4.0;
    shoulder += z > 1.0 && z < 2.0;
  }
  auto check_count = [&](std::uint64_t count, double p) {
    const double expected = p * static_cast<double>(n);
    CHECK(std::abs(static_cast<double>(count) - expected) < 5 * std::sqrt(expected * (1 - p)));
  };
  check_count(tail, std::erfc(3.442619855899 / std::sqrt(2.0)));
  check_count(beyond4, std::erfc(4.0 / std::sqrt(2.0)));
  check_count(shoulder, std::erfc(1.0 / std::sqrt(2.0)) - std::erfc(2.0 / std::sqrt(2.0)));
}

TEST_CASE("lognormal from a 90% interval: 5% below lo, 5% above hi") {
  const auto xs = sample(5, [](random_stream& r) { return sample_lognormal_90(r, 50'000, 2'000'000); });
  const double below = static_cast<double>(std::count_if(xs.begin(), xs.end(), [](double x) { return x < 50'000; })) / draws;
  const double above = static_cast<double>(std::count_if(xs.begin(), xs.end(), [](double x) { return x > 2'000'000; })) / draws;
  const double sd = std::sqrt(0.05 * 0.95 / draws);
  CHECK(std::abs(below - 0.05) < 5 * sd);
  CHECK(std::abs(above - 0.05) < 5 * sd);
}

TEST_CASE("triangular, gamma, beta and PERT against their exact CDFs") {
  const auto t = sample(6, [](random_stream& r) { return sample_triangular(r, 1.0, 2.0, 5.0); });
  check_ks(t, [](double x) {
    if (x <= 1.0) return 0.0;
    if (x <= 2.0) return (x - 1.0) * (x - 1.0) / (4.0 * 1.0);
    if (x < 5.0) return 1.0 - (5.0 - x) * (5.0 - x) / (4.0 * 3.0);
    return 1.0;
  });
  for (double shape : {0.4, 1.0, 2.5, 30.0}) {
    CAPTURE(shape);
    const auto g = sample(7, [shape](random_stream& r) { return sample_gamma(r, shape, 2.0); });
    check_moments(g, 2.0 * shape, 4.0 * shape, 16.0 * 3.0 * shape * (shape + 2.0));  // scale^4 * 3k(k+2)
    check_ks(g, [shape](double x) { return x <= 0 ? 0.0 : boost::math::gamma_p(shape, x / 2.0); });
  }
  const auto b = sample(8, [](random_stream& r) { return sample_beta(r, 2.0, 5.0); });
  check_ks(b, [](double x) { return std::clamp(x, 0.0, 1.0) == x ? boost::math::ibeta(2.0, 5.0, x) : (x < 0 ? 0.0 : 1.0); });
  // PERT(0, 2, 10): alpha = 1 + 4 * 2/10 = 1.8, beta = 1 + 4 * 8/10 = 4.2, mean (0 + 4*2 + 10) / 6 = 3.
  const auto p = sample(9, [](random_stream& r) { return sample_pert(r, 0.0, 2.0, 10.0); });
  check_ks(p, [](double x) { return x <= 0 ? 0.0 : x >= 10 ? 1.0 : boost::math::ibeta(1.8, 4.2, x / 10.0); });
  double mean = 0.0;
  for (double x : p) mean += x;
  mean /= draws;
  const double var = 1.8 * 4.2 / (6.0 * 6.0 * 7.0) * 100.0;
  CHECK(std::abs(mean - 3.0) < 5 * std::sqrt(var / draws));
}

TEST_CASE("Poisson at small and large rates: mean, variance and the probability of each count") {
  for (double rate : {0.3, 4.0, 9.99, 10.0, 37.5, 1000.0}) {
    CAPTURE(rate);
    random_stream r({.seed = 10, .block = static_cast<std::uint32_t>(rate * 100)});
    std::vector<double> xs(draws);
    for (double& x : xs) x = static_cast<double>(sample_poisson(r, rate));
    check_moments(xs, rate, rate, rate * (1.0 + 3.0 * rate));
    // P(X = k) at the mode, against the exact pmf.
    const double mode = std::floor(rate);
    const double pmf = std::exp(-rate + mode * std::log(rate) - std::lgamma(mode + 1.0));
    const double seen = static_cast<double>(std::count(xs.begin(), xs.end(), mode)) / draws;
    CHECK(std::abs(seen - pmf) < 5 * std::sqrt(pmf * (1 - pmf) / draws));
  }
  random_stream r({.seed = 1});
  CHECK(sample_poisson(r, 0.0) == 0);
}

TEST_CASE("distribution_mean: closed forms, and the sample mean agrees within 5 standard errors") {
  CHECK(distribution_mean(distribution_spec::constant(7.5)) == 7.5);
  CHECK(distribution_mean({distribution_family::uniform, 2.0, 0.0, 10.0}) == 6.0);
  CHECK(distribution_mean({distribution_family::triangular, 1.0, 2.0, 6.0}) == doctest::Approx(3.0));
  CHECK(distribution_mean(distribution_spec::pert(0.0, 3.0, 12.0)) == doctest::Approx(4.0));
  // lognormal with 90% interval [e^-1.6449, e^1.6449] is lognormal(0, 1): mean e^0.5.
  const double z = 1.6448536269514722;
  CHECK(distribution_mean(distribution_spec::lognormal(std::exp(-z), std::exp(z))) == doctest::Approx(std::exp(0.5)).epsilon(1e-12));
  for (const distribution_spec& d : {distribution_spec::pert(1e5, 4e5, 2e6), distribution_spec::lognormal(1e6, 2e7),
                                     distribution_spec{distribution_family::triangular, 0.0, 5.0, 9.0}}) {
    const std::vector<double> xs = sample(41, [&](random_stream& r) { return twinrisk::sample(r, d); });
    double sum = 0.0, squares = 0.0;
    for (double x : xs) sum += x, squares += x * x;
    const double mean = sum / draws, se = std::sqrt((squares / draws - mean * mean) / draws);
    CHECK(std::abs(mean - distribution_mean(d)) < 5 * se);
  }
  const loss_magnitude m{.primary = distribution_spec::constant(100.0), .secondary = distribution_spec::pert(0.0, 30.0, 60.0),
                         .secondary_probability = 0.25};
  CHECK(mean_event_loss(m) == doctest::Approx(100.0 + 0.25 * 30.0));
}

namespace exp_checks {

/// How many doubles lie between a and b (0 when equal; NaN and NaN are equal).
std::uint64_t ulps_apart(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<std::uint64_t>::max();
  const auto ordered = [](double x) {  // doubles in order as unsigned integers (±0 alike)
    const auto bits = std::bit_cast<std::uint64_t>(x);
    return (bits >> 63) != 0 ? (std::uint64_t{1} << 63) - (bits & ~(std::uint64_t{1} << 63)) : (std::uint64_t{1} << 63) + bits;
  };
  const std::uint64_t x = ordered(a), y = ordered(b);
  return x > y ? x - y : y - x;
}

/// Arguments over the whole range: a grid, stream uniforms on [-746, 710], and the edges
/// (underflow to subnormals and to 0, overflow, the ends of the vector range, specials).
std::vector<double> arguments() {
  std::vector<double> x;
  for (int i = -7460; i <= 7100; ++i) x.push_back(i * 0.1);
  random_stream r({.seed = 17});
  for (int i = 0; i < 200'000; ++i) x.push_back(sample_uniform(r, -746.0, 710.0));
  for (int i = 0; i < 200'000; ++i) x.push_back(sample_uniform(r, -1.0, 1.0));
  for (double e : {0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 0x1.0p-1074, 1e-17, 0.5 * std::log(2.0), std::log(2.0) / 32,
                   -708.0, 709.0, std::nextafter(-708.0, -1e9), std::nextafter(709.0, 1e9), 709.782712893384, 709.7827128933841,
                   709.79, 710.0, -708.3964185322641, -744.4400719213812, -745.1332191019411, -745.2, -746.0, -1e6, 1e6,
                   std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()})
    x.push_back(e);
  return x;
}

}  // namespace exp_checks

TEST_CASE("exp_in_place: within 1 ulp of std::exp everywhere, its edges exact, every instruction set alike") {
  const std::vector<double> x = exp_checks::arguments();
  auto run = [&](detail::exp_in_place_fn f) {
    std::vector<double> y = x;
    f(y.data(), y.size());
    return y;
  };
  const std::vector<double> scalar = run(&detail::exp_in_place_scalar);
  auto check = [&](const std::vector<double>& y) {
    std::uint64_t worst = 0;
    double worst_x = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (const std::uint64_t apart = exp_checks::ulps_apart(y[i], std::exp(x[i])); apart > worst) worst = apart, worst_x = x[i];
    CAPTURE(worst_x);
    CHECK(worst <= 1);
  };
  check(scalar);
  // The fused variants compute exp_scalar's steps: the same bits.
  auto same_as_scalar = [&](const std::vector<double>& y) {
    for (std::size_t i = 0; i < x.size(); ++i)
      if (exp_checks::ulps_apart(y[i], scalar[i]) != 0) REQUIRE_MESSAGE(false, "x = ", x[i], ": ", y[i], " != ", scalar[i]);
  };
  same_as_scalar(run(detail::best_exp_in_place()));
#ifdef TWINRISK_X86_SIMD
  check(run(&detail::sse2::exp_in_place));  // unfused: within 1 ulp, not always the same bits
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) same_as_scalar(run(&detail::avx2::exp_in_place));
  if (__builtin_cpu_supports("avx512f")) same_as_scalar(run(&detail::avx512::exp_in_place));
#endif

  SUBCASE("the public call: specials, and counts that leave partial vectors") {
    std::vector<double> v{0.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                          std::numeric_limits<double>::quiet_NaN(), 710.0, -746.0, -745.0};
    exp_in_place(v);
    CHECK(v[0] == 1.0);
    CHECK(v[1] == std::numeric_limits<double>::infinity());
    CHECK(v[2] == 0.0);
    CHECK(std::isnan(v[3]));
    CHECK(v[4] == std::numeric_limits<double>::infinity());
    CHECK(v[5] == 0.0);
    CHECK(v[6] == std::exp(-745.0));  // the smallest subnormal
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{9}, std::size_t{17}}) {
      std::vector<double> y(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n + 1));
      exp_in_place(std::span<double>(y.data(), n));
      for (std::size_t i = 0; i < n; ++i) CHECK(y[i] == scalar[i]);
      CHECK(y[n] == x[n]);  // nothing past the end
    }
  }
}

TEST_CASE("poisson_inversion_cdf: the inversion's counts, as the number of entries below the uniform") {
  for (double rate : {1e-300, 1e-3, 0.3, 2.0, 7.25, 9.99}) {
    CAPTURE(rate);
    const std::vector<double> cdf = detail::poisson_inversion_cdf(rate);
    CHECK(cdf.back() == std::numeric_limits<double>::infinity());
    CHECK(std::is_sorted(cdf.begin(), cdf.end()));
    random_stream r({.seed = 23, .block = static_cast<std::uint32_t>(rate * 100)});
    for (int i = 0; i < 100'000; ++i) {
      random_stream ahead = r;
      const double u = ahead.uniform();
      const auto below = static_cast<std::uint64_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
      REQUIRE(below == detail::poisson_by_inversion(r, rate, std::exp(-rate)));
    }
  }
}
