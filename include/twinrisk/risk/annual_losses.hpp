#pragma once
/// The annual loss distribution of a simulation and the figures leaders ask for: ALE (the mean),
/// standard deviation, percentiles, value at risk and tail value at risk (expected shortfall),
/// the probability of any loss, the loss exceedance curve, and contributions by asset and by
/// threat that add up to the ALE, each with its standard error.
///
///     annual_losses r = simulate_loss(t, ...);
///     r.ale();  r.quantile(0.99);  r.tvar(0.99);  r.exceedance_curve(40);
///     r.asset_ale(i);  r.asset_se(i);

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include "twinrisk/detail/order_statistics.hpp"
#include "twinrisk/error.hpp"

namespace twinrisk {

/// Sums of a per-year quantity, enough for its mean and the mean's standard error.
struct yearly_sum {
  double sum = 0.0, sum_squares = 0.0;
  void add(double x) noexcept { sum += x, sum_squares += x * x; }
  void add(const yearly_sum& o) noexcept { sum += o.sum, sum_squares += o.sum_squares; }

  /// The mean over n years.
  [[nodiscard]] double mean(std::uint64_t n) const noexcept { return n == 0 ? 0.0 : sum / static_cast<double>(n); }
  /// The sample standard deviation over n years (n - 1 in the denominator).
  [[nodiscard]] double sd(std::uint64_t n) const noexcept {
    if (n < 2) return 0.0;
    const double count = static_cast<double>(n);
    return std::sqrt(std::max(0.0, (sum_squares - sum * sum / count) / (count - 1)));
  }
  /// The standard error of the mean over n years.
  [[nodiscard]] double standard_error(std::uint64_t n) const noexcept {
    return n < 2 ? 0.0 : sd(n) / std::sqrt(static_cast<double>(n));
  }
};

/// Most simulated years one run may ask for: 2^40 years of losses would take 8 TiB, and a
/// larger count would overflow the year arithmetic.
inline constexpr std::uint64_t max_simulated_years = std::uint64_t{1} << 40;

namespace detail {
/// Throws: model_error when `years` (from `first_year`) is more than max_simulated_years or ends
/// past the last representable year.
inline void check_year_range(std::uint64_t years, std::uint64_t first_year) {
  if (years > max_simulated_years)
    throw model_error("too many years: " + std::to_string(years) + " (at most 2^40 in one run; merge runs for more)");
  if (first_year > std::numeric_limits<std::uint64_t>::max() - years)
    throw model_error("first_year + years overflows: " + std::to_string(first_year) + " + " + std::to_string(years));
}
}  // namespace detail

/// Simulated years of annual loss with their breakdowns.
class annual_losses {
 public:
  std::string currency;                    ///< ISO 4217, as the twin states it
  std::uint64_t seed = 0;
  bool cancelled = false;
  std::vector<double> by_year;             ///< the loss of each simulated year, in year order
  std::vector<std::string> asset_ids;      ///< assets that carry a loss
  std::vector<yearly_sum> by_asset;        ///< per asset: their losses over the years (capped)
  std::vector<std::string> threat_ids;
  std::vector<yearly_sum> by_threat;       ///< per threat: its share of the years' losses
  std::uint64_t events = 0;                ///< threat events simulated

  [[nodiscard]] std::uint64_t years() const noexcept { return by_year.size(); }

  /// Annualised loss expectancy: the mean annual loss.
  [[nodiscard]] double ale() const noexcept { return mean_of(total()); }
  /// Standard error of the ALE: sd / sqrt(years).
  [[nodiscard]] double ale_se() const noexcept { return se_of(total()); }
  /// Standard deviation of the annual loss (n - 1 in the denominator).
  [[nodiscard]] double sd() const noexcept { return total().sd(years()); }

  /// The q-quantile of the annual loss, interpolated linearly between order statistics (numpy's
  /// default, as riskquant and pyfair report percentiles). Throws: input_error for q outside [0,1].
  [[nodiscard]] double quantile(double q) const {
    check_level(q);
    if (by_year.empty()) return 0.0;
    const auto [lo, hi, fraction] = quantile_ranks(q);
    const detail::order_index& s = index();
    const double a = s.at_rank(lo);
    return hi == lo ? a : a + fraction * (s.at_rank(hi) - a);
  }

  /// Value at risk at level q: the annual loss exceeded with probability 1 - q.
  [[nodiscard]] double var(double q) const { return quantile(q); }

  /// Tail value at risk (expected shortfall) at level q: the mean of the years at or beyond the
  /// q-quantile — what a bad year costs on average, not just where bad years begin.
  [[nodiscard]] double tvar(double q) const {
    check_level(q);
    if (by_year.empty()) return 0.0;
    const std::size_t first = tvar_rank(q);
    return index().sum_from_rank(first) / static_cast<double>(by_year.size() - first);
  }

  /// Share of the years with any loss.
  [[nodiscard]] double p_any_loss() const {
    return exceedance(0.0);
  }

  /// P(annual loss > x).
  [[nodiscard]] double exceedance(double x) const {
    if (by_year.empty()) return 0.0;
    return static_cast<double>(index().count_greater(std::span<const double>(&x, 1))[0]) / static_cast<double>(by_year.size());
  }

  /// The loss exceedance curve: `points` losses spaced evenly on a log scale from the smallest
  /// positive annual loss (or the 1st percentile, if larger) to the largest, each with P(annual
  /// loss > it). Empty when no year had a loss.
  [[nodiscard]] std::vector<std::pair<double, double>> exceedance_curve(std::size_t points = usual_curve_points) const {
    std::vector<std::pair<double, double>> curve;
    if (by_year.empty() || points == 0) return curve;
    const detail::order_index& s = index();
    const double positive = s.next_above(0.0);
    if (!(positive > 0.0)) return curve;
    const double lo = std::max(positive, quantile(0.01)), hi = s.at_rank(s.size() - 1);
    if (points == 1 || !(hi > lo)) return {{lo, exceedance(lo)}};
    const std::vector<double> x = curve_points(lo, hi, points);
    const std::vector<std::size_t> above = s.count_greater(x);  // one pass for every point (none for the usual 40)
    for (std::size_t i = 0; i < points; ++i) curve.emplace_back(x[i], static_cast<double>(above[i]) / static_cast<double>(s.size()));
    return curve;
  }

  [[nodiscard]] double asset_ale(std::size_t i) const { return mean_of(by_asset.at(i)); }
  [[nodiscard]] double asset_se(std::size_t i) const { return se_of(by_asset.at(i)); }
  [[nodiscard]] double threat_ale(std::size_t i) const { return mean_of(by_threat.at(i)); }
  [[nodiscard]] double threat_se(std::size_t i) const { return se_of(by_threat.at(i)); }

  /// Appends the years of another run of the same model (other years of the same seed, e.g. on
  /// another machine): the result is the run over both. Throws: input_error when the assets,
  /// threats or currency differ.
  void merge(const annual_losses& o) {
    if (o.asset_ids != asset_ids || o.threat_ids != threat_ids || o.currency != currency)
      throw input_error({}, "cannot merge loss simulations of different models");
    by_year.insert(by_year.end(), o.by_year.begin(), o.by_year.end());
    for (std::size_t i = 0; i < by_asset.size(); ++i) by_asset[i].add(o.by_asset[i]);
    for (std::size_t i = 0; i < by_threat.size(); ++i) by_threat[i].add(o.by_threat[i]);
    events += o.events;
    cancelled = cancelled || o.cancelled;
    refresh();
  }

  /// Forgets the statistics kept of by_year. They are computed on first need and kept while
  /// by_year keeps its size and storage: call this after changing its values in place.
  void refresh() noexcept { cache_.reset(); }

 private:
  // What the statistics keep of by_year: its sums and order statistics, computed on first need.
  // A copy starts without them (they would describe another vector).
  struct statistics_cache {
    std::optional<detail::order_index> index;
    yearly_sum total;
    double largest = 0.0, least_positive = 0.0;  // the largest loss, the smallest above 0 (+inf when none)
    const double* total_of = nullptr;
    std::size_t total_years = 0;

    statistics_cache() = default;
    statistics_cache(const statistics_cache&) noexcept {}
    statistics_cache& operator=(const statistics_cache&) noexcept {
      reset();
      return *this;
    }
    statistics_cache(statistics_cache&&) noexcept = default;
    statistics_cache& operator=(statistics_cache&&) noexcept = default;
    ~statistics_cache() = default;
    void reset() noexcept { index.reset(), total_of = nullptr; }
  };
  mutable statistics_cache cache_;

  struct ranks {
    std::size_t lo, hi;
    double fraction;
  };
  [[nodiscard]] ranks quantile_ranks(double q) const {
    const double at = q * static_cast<double>(by_year.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(at));
    return {lo, std::min(lo + 1, by_year.size() - 1), at - static_cast<double>(lo)};
  }
  [[nodiscard]] std::size_t tvar_rank(double q) const {
    return std::min(by_year.size() - 1, static_cast<std::size_t>(std::floor(q * static_cast<double>(by_year.size()))));
  }
  [[nodiscard]] const detail::order_index& index() const {
    std::optional<detail::order_index>& index_ = cache_.index;
    if (!index_ || index_->size() != by_year.size() || index_->data() != by_year.data()) {
      // The sums of total() are one pass in year order that no thread can share: with a second
      // thread it runs beside the index's passes (figures that need one need the other).
      detail::order_index* built = nullptr;
      if (tbb::this_task_arena::max_concurrency() > 1) tbb::parallel_invoke([&] { built = &index_.emplace(by_year); }, [&] { (void)total(); });
      else built = &index_.emplace(by_year);
      gather_usual(*built);
    }
    return *index_;
  }
  /// Reads in one pass the buckets of the ranks reports ask for — the usual levels, and the ends
  /// of the exceedance curve: the largest loss and the smallest above 0 (the ranks just past the
  /// zeros' bucket) — and counts the usual curve's points in the same pass when its ends are
  /// known before it (total() keeps them). A report's figures then cost two passes and total()'s.
  void gather_usual(const detail::order_index& index_) const {
    std::vector<std::size_t> usual;
    for (double q : {0.01, 0.5, 0.9, 0.95, 0.99, 0.999}) {
      const ranks r = quantile_ranks(q);
      usual.insert(usual.end(), {r.lo, r.hi, tvar_rank(q)});
    }
    usual.insert(usual.end(), {by_year.size() - 1, index_.first_rank_of(0.0), index_.first_rank_above(0.0)});
    // The curve runs from the smallest loss above 0 (when the 1st percentile is a year without
    // loss, as exceedance_curve finds) to the largest.
    std::vector<double> curve;
    const statistics_cache& c = cache_;
    const ranks p01 = quantile_ranks(0.01);
    if (c.total_of == by_year.data() && c.total_years == by_year.size() && index_.zero_at_rank(p01.lo) && index_.zero_at_rank(p01.hi) &&
        c.least_positive < std::numeric_limits<double>::infinity() && c.largest > c.least_positive)
      curve = curve_points(c.least_positive, c.largest, usual_curve_points);
    index_.gather(usual, curve);
  }
  /// The exceedance curve's losses: `points` (> 1) from lo to hi, evenly spaced on a log scale.
  [[nodiscard]] static std::vector<double> curve_points(double lo, double hi, std::size_t points) {
    std::vector<double> x(points);
    for (std::size_t i = 0; i < points; ++i) x[i] = lo * std::pow(hi / lo, static_cast<double>(i) / static_cast<double>(points - 1));
    return x;
  }
  static constexpr std::size_t usual_curve_points = 40;  // exceedance_curve's default
  [[nodiscard]] yearly_sum total() const noexcept {
    statistics_cache& c = cache_;
    if (c.total_of != by_year.data() || c.total_years != by_year.size()) {
      // The extremes ride along: the sums' chain of dependent additions leaves the room.
      yearly_sum t;
      double top = -std::numeric_limits<double>::infinity(), least = std::numeric_limits<double>::infinity();
      for (double x : by_year) {
        t.add(x);
        top = std::max(top, x);
        least = std::min(least, x > 0.0 ? x : std::numeric_limits<double>::infinity());
      }
      c.total = t, c.largest = top, c.least_positive = least;
      c.total_of = by_year.data(), c.total_years = by_year.size();
    }
    return c.total;
  }
  [[nodiscard]] double mean_of(const yearly_sum& s) const noexcept { return s.mean(years()); }
  [[nodiscard]] double se_of(const yearly_sum& s) const noexcept { return s.standard_error(years()); }
  static void check_level(double q) {
    if (!(q >= 0.0 && q <= 1.0)) throw input_error({}, "expected a level in [0,1], got " + std::to_string(q));
  }
};

}  // namespace twinrisk
