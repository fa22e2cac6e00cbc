// Correlated loss magnitudes (a Gaussian copula over the twin's loss_correlations) against closed
// forms: the variance of a correlated sum of lognormals, marginals that keep their stated means,
// quantiles at known normal scores; the twin format round trip; identical years for 1 and 2
// threads; and every bad correlation named by pointer.

#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "twinrisk/error.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/risk/loss_copula.hpp"
#include "twinrisk/risk/simulate_loss.hpp"

using namespace twinrisk;

namespace {

// e reaches assets a and b on certain edges; one crew at constant rate 2 a year. Every event
// compromises both, so a year's loss is a compound Poisson sum of X = La + Lb.
twin pair_twin(const distribution_spec& la, const distribution_spec& lb, double correlation) {
  twin_builder b;
  b.set_currency("USD");
  b.add_node("e", {.entry_point = true});
  b.add_node("a", {.loss = loss_magnitude{.primary = la}});
  b.add_node("b", {.loss = loss_magnitude{.primary = lb}});
  b.add_edge("e", "a", {.probability = 1.0});
  b.add_edge("e", "b", {.probability = 1.0});
  b.add_threat({.id = "crew", .frequency = distribution_spec::constant(2.0)}, {{"e"}});
  if (correlation != 0.0) b.add_loss_correlation("a", "b", correlation);
  return std::move(b).build();
}

// Mean and standard error of the sample variance of `xs` (from the fourth central moment).
std::pair<double, double> variance_and_se(const std::vector<double>& xs) {
  const double n = static_cast<double>(xs.size());
  const double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
  double m2 = 0.0, m4 = 0.0;
  for (double x : xs) {
    const double d2 = (x - mean) * (x - mean);
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  return {m2, std::sqrt((m4 - m2 * m2) / n)};
}

}  // namespace

TEST_CASE("correlated lognormal losses: Var(year) = λ·E[(La+Lb)²] with E[La·Lb] = exp(μa+μb+(σa²+σb²)/2+ρσaσb)") {
  const double lo = 1e5, hi = 1e6, rate = 2.0;
  const double mu = (std::log(lo) + std::log(hi)) / 2, sigma = (std::log(hi) - std::log(lo)) / (2 * 1.6448536269514722);
  const double mean = std::exp(mu + sigma * sigma / 2), second = std::exp(2 * mu + 2 * sigma * sigma);
  auto closed_variance = [&](double rho) {
    const double cross = std::exp(2 * mu + sigma * sigma + rho * sigma * sigma);
    return rate * (2 * second + 2 * cross);
  };
  // The test can tell the correlations apart: 0.7 adds 15% to the variance of independence.
  REQUIRE(closed_variance(0.7) / closed_variance(0.0) > 1.15);
  for (double rho : {0.7, 0.0, -0.5}) {
    CAPTURE(rho);
    const twin t = pair_twin(distribution_spec::lognormal(lo, hi), distribution_spec::lognormal(lo, hi), rho);
    const std::uint64_t n = 131'072;
    const annual_losses r = simulate_loss(t, get(&edge::probability, t), loss_model_of(t), {.years = n, .seed = 11});
    const auto [variance, se] = variance_and_se(r.by_year);
    CHECK(std::abs(variance - closed_variance(rho)) < 4 * se);  // each fails with probability < 1e-4
    CHECK(se < 0.02 * closed_variance(rho));
    // Correlation moves the spread, never the mean: ALE = λ(E La + E Lb).
    CHECK(std::abs(r.ale() - rate * 2 * mean) < 4 * r.ale_se());
  }
}

TEST_CASE("the copula keeps each marginal as stated: PERT, triangular, uniform and constant means") {
  const std::vector<distribution_spec> specs{distribution_spec::pert(1e4, 2e4, 9e4), {distribution_family::triangular, 0.0, 1e4, 4e4},
                                             {distribution_family::uniform, 5e3, 0.0, 15e3}, distribution_spec::constant(7e3)};
  for (const distribution_spec& other : specs) {
    CAPTURE(static_cast<int>(other.family));
    const twin t = pair_twin(distribution_spec::pert(1e4, 2e4, 9e4), other, 0.9);
    const std::uint64_t n = 65'536;
    const annual_losses r = simulate_loss(t, get(&edge::probability, t), loss_model_of(t), {.years = n, .seed = 5});
    for (std::size_t a = 0; a < 2; ++a) {
      const double expected = 2.0 * distribution_mean(a == 0 ? specs[0] : other);
      CHECK(std::abs(r.asset_ale(a) - expected) < 4 * r.asset_se(a) + 1e-9 * expected);
    }
  }
}

TEST_CASE("values at normal scores are the stated distributions' quantiles") {
  CHECK(value_at_normal_score(distribution_spec::lognormal(1e5, 1e6), 1.6448536269514722) == doctest::Approx(1e6).epsilon(1e-12));
  CHECK(value_at_normal_score(distribution_spec::lognormal(1e5, 1e6), -1.6448536269514722) == doctest::Approx(1e5).epsilon(1e-12));
  CHECK(value_at_normal_score({distribution_family::uniform, 10.0, 0.0, 30.0}, 0.0) == doctest::Approx(20.0));
  CHECK(value_at_normal_score(distribution_spec::pert(0.0, 5.0, 10.0), 0.0) == doctest::Approx(5.0));  // symmetric: median = mode
  // Triangular(0, 0, 1): F(x) = 1 - (1 - x)², so the median is 1 - 1/√2.
  CHECK(value_at_normal_score({distribution_family::triangular, 0.0, 0.0, 1.0}, 0.0) == doctest::Approx(1 - 1 / std::sqrt(2.0)));
  CHECK(value_at_normal_score(distribution_spec::constant(3.0), 2.5) == 3.0);
  CHECK(normal_cdf(1.959963984540054) == doctest::Approx(0.975).epsilon(1e-12));
  // The Beta CDF behind PERT: binomial sums for integer shapes, I_x(a, b) = Σ_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j).
  CHECK(regularized_beta(0.2, 2.0, 3.0) == doctest::Approx(0.1808).epsilon(1e-12));  // the direct branch
  CHECK(regularized_beta(0.8, 2.0, 3.0) == doctest::Approx(0.9728).epsilon(1e-12));   // the symmetric one
  CHECK(regularized_beta(0.3, 1.0, 1.0) == doctest::Approx(0.3).epsilon(1e-12));
  CHECK(regularized_beta(0.5, 3.5, 3.5) == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(beta_quantile(0.25, 2.0, 1.0) == doctest::Approx(0.5).epsilon(1e-12));  // F(x) = x²
  CHECK(beta_quantile(0.75, 1.0, 2.0) == doctest::Approx(0.5).epsilon(1e-12));  // F(x) = 1 - (1 - x)²
}

TEST_CASE("correlations travel in the twin format, give the same years on 1 and 2 threads, and change only the amounts") {
  const twin t = pair_twin(distribution_spec::lognormal(1e5, 1e6), distribution_spec::lognormal(2e4, 5e5), 0.6);
  const std::string text = write_twin_json(t);
  CHECK(text.find(R"("loss_correlations": [)") != std::string::npos);
  const twin back = parse_twin_json(text, "t.twin.json");
  CHECK(back.info() == t.info());
  CHECK(to_json(back) == to_json(t));
  const loss_model m = loss_model_of(t);
  REQUIRE(m.correlations == std::vector<asset_correlation>{{0, 1, 0.6}});
  const annual_losses one = simulate_loss(t, get(&edge::probability, t), m, {.years = 4096, .seed = 2}, par{.max_threads = 1});
  const annual_losses two = simulate_loss(t, get(&edge::probability, t), m, {.years = 4096, .seed = 2}, par{.max_threads = 2});
  CHECK(one.by_year == two.by_year);
  // The same events and worlds as without the correlation: the years with a loss are the same.
  const twin independent = pair_twin(distribution_spec::lognormal(1e5, 1e6), distribution_spec::lognormal(2e4, 5e5), 0.0);
  const annual_losses plain = simulate_loss(independent, get(&edge::probability, independent), loss_model_of(independent),
                                            {.years = 4096, .seed = 2});
  CHECK(plain.events == one.events);
  for (std::size_t y = 0; y < plain.by_year.size(); ++y) CHECK((plain.by_year[y] > 0.0) == (one.by_year[y] > 0.0));
}

TEST_CASE("bad correlations are named: range, self, unknown node, no loss, twice, not positive definite") {
  auto builder = [] {
    twin_builder b;
    b.set_currency("USD");
    for (const char* id : {"a", "b", "c"}) b.add_node(id, {.loss = loss_magnitude{.primary = distribution_spec::constant(1.0)}});
    b.add_node("plain", {});
    return b;
  };
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message([&] { builder().add_loss_correlation("a", "b", 1.5); }).find("/loss_correlations/0/correlation: expected a number in [-1, 1]") !=
        std::string::npos);
  CHECK(message([&] { builder().add_loss_correlation("a", "a", 0.5); }).find("/loss_correlations/0/assets: expected two different") !=
        std::string::npos);
  CHECK(message([&] {
          auto b = builder();
          b.add_loss_correlation("a", "zz", 0.5);
          (void)std::move(b).build();
        }).find("/loss_correlations/0/assets/1: unknown node id 'zz'") != std::string::npos);
  CHECK(message([&] {
          auto b = builder();
          b.add_loss_correlation("plain", "a", 0.5);
          (void)std::move(b).build();
        }).find("/loss_correlations/0/assets/0: node 'plain' states no loss") != std::string::npos);
  CHECK(message([&] {
          auto b = builder();
          b.add_loss_correlation("a", "b", 0.5);
          b.add_loss_correlation("b", "a", 0.2);
          (void)std::move(b).build();
        }).find("/loss_correlations/1/assets: the pair 'b', 'a' is correlated twice (first at /loss_correlations/0)") !=
        std::string::npos);
  // Each pair is valid, but a-b and a-c near 1 force b-c near 1: -0.9 cannot hold with them.
  auto b = builder();
  b.add_loss_correlation("a", "b", 0.9);
  b.add_loss_correlation("a", "c", 0.9);
  b.add_loss_correlation("b", "c", -0.9);
  const twin t = std::move(b).build();
  const std::string why = message([&] { (void)loss_copula(3, loss_model_of(t).correlations); });
  CHECK(why.find("/loss_correlations: the correlations do not form a positive-definite matrix") != std::string::npos);
  CHECK(message([&] { (void)parse_twin_json(R"({"twinrisk": 1, "nodes": [], "edges": [], "loss_correlations": [{"assets": ["a"], "correlation": 0.1}]})",
                                            "x.twin.json"); })
            .find("x.twin.json: /loss_correlations/0/assets: expected two node ids") != std::string::npos);
}
