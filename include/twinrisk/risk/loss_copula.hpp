#pragma once
/// Correlated loss magnitudes: a Gaussian copula over the assets a twin pairs in its
/// `loss_correlations`. When one event compromises several of them, their primary losses are
/// drawn together: normal scores z = L·e (e independent standard normals, L the Cholesky factor
/// of the pairs' correlation matrix, by Eigen), then each asset's loss is its own distribution's
/// quantile at Φ(z) — each marginal is exactly as stated, only the dependence changes. FAIR
/// practitioners ask for it: one breach disclosed for two systems, one outage for two services.
///
///     loss_copula c(assets, {{.a = 0, .b = 1, .correlation = 0.6}});   // by asset index
///     c.draw(stream, z);   // z[c.position(a)] is asset a's normal score in this event

#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/scenario.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/rng.hpp"

namespace twinrisk {

/// Two loss assets, by index into `loss_model::assets`, whose primary losses are correlated.
struct asset_correlation {
  std::size_t a = 0, b = 0;
  double correlation = 0.0;  ///< of their normal scores, in [-1, 1]
  bool operator==(const asset_correlation&) const = default;
};

/// Φ(z), the standard normal CDF.
[[nodiscard]] inline double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

/// The value of `d` at normal score `z`: its quantile at Φ(z) (a lognormal exactly exp(mu + sigma·z)).
/// Precondition: `d.invalid_reason()` is empty.
[[nodiscard]] inline double value_at_normal_score(const distribution_spec& d, double z) {
  switch (d.family) {
    case distribution_family::constant: return d.a;
    case distribution_family::uniform: return d.a + (d.c - d.a) * normal_cdf(z);
    case distribution_family::triangular: return triangular_quantile(normal_cdf(z), d.a, d.b, d.c);
    case distribution_family::pert: {
      const auto [alpha, beta] = pert_parameters(d.a, d.b, d.c);
      return d.a + (d.c - d.a) * beta_quantile(normal_cdf(z), alpha, beta);
    }
    case distribution_family::lognormal: {
      const auto [mu, sigma] = lognormal_90_parameters(d.a, d.c);
      return std::exp(mu + sigma * z);
    }
  }
  return d.a;
}

/// The joint draw of correlated assets' normal scores.
class loss_copula {
 public:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

  loss_copula() = default;

  /// A copula over the assets that `pairs` name, among `assets` assets.
  /// Throws: input_error at /loss_correlations when an index is out of range or the pairs'
  /// matrix (ones on the diagonal) is not positive definite — correlations that cannot hold
  /// together, such as a-b 0.9, a-c 0.9 and b-c -0.9.
  loss_copula(std::size_t assets, const std::vector<asset_correlation>& pairs) : position_(assets, npos) {
    for (const asset_correlation& p : pairs) {
      if (p.a >= assets || p.b >= assets || p.a == p.b || !(std::abs(p.correlation) <= 1.0))
        throw input_error({.pointer = "/loss_correlations"}, "a pair of assets " + std::to_string(p.a) + ", " + std::to_string(p.b) +
                                                                 " with correlation " + detail::show_number(p.correlation) + " is not valid");
      position_[p.a] = position_[p.b] = 0;
    }
    for (std::size_t a = 0; a < assets; ++a)
      if (position_[a] != npos) position_[a] = members_++;
    if (members_ == 0) return;
    Eigen::MatrixXd m = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(members_), static_cast<Eigen::Index>(members_));
    for (const asset_correlation& p : pairs) {
      const auto i = static_cast<Eigen::Index>(position_[p.a]), j = static_cast<Eigen::Index>(position_[p.b]);
      m(i, j) = m(j, i) = p.correlation;
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(m);
    const Eigen::MatrixXd lower = llt.matrixL();
    if (llt.info() != Eigen::Success || lower.diagonal().minCoeff() < 1e-9)
      throw input_error({.pointer = "/loss_correlations"},
                        "the correlations do not form a positive-definite matrix (some cannot hold together); weaken them");
    // Kept as plain numbers: draws run on every worker thread, and Eigen's products touch
    // static cache-size settings that ThreadSanitizer reports as a race.
    lower_.resize(members_ * members_);
    for (std::size_t i = 0; i < members_; ++i)
      for (std::size_t j = 0; j <= i; ++j) lower_[i * members_ + j] = lower(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  }

  [[nodiscard]] bool empty() const noexcept { return members_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return members_; }
  /// Where asset `a`'s score is in a draw, or npos when it is independent of every other.
  [[nodiscard]] std::size_t position(std::size_t a) const { return a < position_.size() ? position_[a] : npos; }

  /// One event's normal scores, `size()` of them, from `r`.
  void draw(random_stream& r, std::vector<double>& z) const {
    std::vector<double>& e = z;  // independent normals, turned into scores from the last row up
    e.resize(members_);
    for (double& x : e) x = sample_normal(r);
    for (std::size_t i = members_; i-- > 0;) {
      double score = 0.0;
      for (std::size_t j = 0; j <= i; ++j) score += lower_[i * members_ + j] * e[j];
      e[i] = score;
    }
  }

 private:
  std::vector<std::size_t> position_{};
  std::size_t members_ = 0;
  std::vector<double> lower_{};  ///< the Cholesky factor L, row by row (upper part zero)
};

}  // namespace twinrisk
