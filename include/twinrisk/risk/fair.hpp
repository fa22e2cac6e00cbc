#pragma once
/// The no-graph mode: one loss scenario as plain frequency × magnitude, as Netflix riskquant's
/// simple model and pyfair compute it. Each simulated year draws the event rate (when the
/// frequency is a distribution), a Poisson number of events, and a magnitude per event; the
/// year's loss is their sum, capped at the annual cap. Same result type as the graph mode.
///
///     annual_losses r = simulate_fair({.frequency = distribution_spec::constant(0.3),
///                                      .magnitude = {.primary = distribution_spec::lognormal(1e5, 2e6)}},
///                                     {.years = 1'000'000});

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "twinrisk/detail/zeroed_storage.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/detail/bundle_checks.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/detail/fair_words.hpp"
#include "twinrisk/risk/magnitude.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/philox_words.hpp"
#include "twinrisk/sim/rng.hpp"
#include "twinrisk/sim/vector_exp.hpp"

namespace twinrisk {

/// One scenario: how often it happens (events per year) and what each event costs.
struct fair_scenario {
  std::string id = "scenario";
  std::string currency{};
  distribution_spec frequency = distribution_spec::constant(1.0);
  loss_magnitude magnitude{};
};

/// Options of `simulate_fair`.
struct fair_options {
  std::uint64_t years = 1'000'000;
  std::uint64_t seed = 1;
  std::uint64_t first_year = 0;  ///< a multiple of 4,096; for runs to merge
  const cancellation_token* cancel = nullptr;
};

namespace detail {

/// simulate_fair's batched path for the common FAIR scenario — a constant rate in (0, 10),
/// Poisson counts by inversion, lognormal magnitudes, no secondary loss: the same words of the
/// same stream as the general loop, drawn 512 at a time and each read ahead both ways it may be
/// used (fair_word_values), so that a year whose normals each take one word — nearly all — is a
/// few table reads. The rest (8 or more events, a normal's tail or wedge) take the general
/// draws from the same buffered words. Event counts and normals are the general loop's; the
/// magnitudes come from exp_in_place's exp instead of std::exp.
class fair_batched_years {
 public:
  /// Whether the batched path applies to `s`.
  [[nodiscard]] static bool applies(const fair_scenario& s) {
    const double rate = s.frequency.a;
    return s.frequency.family == distribution_family::constant && rate > 0.0 && rate < 10.0 &&
           s.magnitude.primary.family == distribution_family::lognormal && !s.magnitude.secondary;
  }

  /// Precondition: applies(s).
  explicit fair_batched_years(const fair_scenario& s)
      : cdf_(poisson_inversion_cdf(s.frequency.a)),
        mu_(lognormal_90_parameters(s.magnitude.primary.a, s.magnitude.primary.c).first),
        sigma_(lognormal_90_parameters(s.magnitude.primary.a, s.magnitude.primary.c).second),
        constants_(mu_, sigma_, cdf_),
        kernels_(best_fair_kernels()) {}

  /// Simulates the years of one task from the stream `id`: loss[y] for each of its years, added
  /// to `sum` in order, the events counted into `events`.
  void run(stream_id id, std::span<double> loss, std::optional<double> cap, yearly_sum& sum, std::uint64_t& events) const {
    words w(id, *this);
    const double limit = cap.value_or(std::numeric_limits<double>::infinity());
    std::size_t y = 0;
    while (y < loss.size()) {
      // One-word years while 8 words are buffered, in locals and without calls, so that the
      // sums stay in registers.
      yearly_sum part = sum;
      std::uint64_t count = 0;
      std::size_t at = w.at;
      const std::size_t end = w.end;
      for (; y < loss.size() && end - at >= 8; ++y) {
        const unsigned k = w.info[at] & 15u;  // 8: 8 or more
        std::uint64_t normals = 0;             // the flags of the next 8 words
        std::memcpy(&normals, w.info + at + 1, sizeof normals);
        if ((normals & one_word_normals[k]) != one_word_normals[k]) break;
        const double x = std::min(w.year_loss[at], limit);
        at += 1 + k;
        count += k;
        loss[y] = x;
        part.add(x);
      }
      sum = part;
      events += count;
      w.at = at;
      if (y == loss.size()) break;
      if (end - at < 8) {
        w.refill();
        continue;
      }
      const double x = std::min(general_year(w, events), limit);  // 8 or more events, or a normal of more than one word
      loss[y++] = x;
      sum.add(x);
    }
  }

 private:
  /// k bytes of 128: the flags of k one-word normals in the 8 words after a count word; none
  /// matches for k = 8 (8 or more events).
  static constexpr std::uint64_t one_word_normals[9] = {
      0, 0x80, 0x8080, 0x808080, 0x80808080, 0x8080808080, 0x808080808080, 0x80808080808080, ~std::uint64_t{0}};

  /// The buffered words: new ones at [keep, keep + batch), up to `keep` unread ones moved before
  /// them; for each, its two readings (fair_word_values) and its year's loss (fair_year_losses).
  struct words {
    static constexpr std::size_t batch = 512, keep = 8;
    alignas(64) std::uint64_t word[keep + batch];
    alignas(64) double e[keep + batch];
    alignas(64) std::uint8_t info[keep + batch + 1];  // + 1: the year loop reads the flags of the 8 words after its first
    alignas(64) double year_loss[keep + batch];
    alignas(64) double layer[2 * batch];  // the new words' ziggurat layers (fair_layers)
    double wedge_f1[keep + batch], wedge_span[keep + batch];  // for words in a wedge: normal_ziggurat::wedge
    std::size_t at = keep, end = keep;
    stream_id id;
    std::uint64_t next = 0;  // the stream's index of the next word to draw
    const fair_batched_years& years;

    words(stream_id stream, const fair_batched_years& y) : id(stream), years(y) {
      std::memset(e, 0, sizeof e);
      std::memset(info, 0, sizeof info);
    }

    void refill() {
      const std::size_t left = end - at;  // < keep
      std::memmove(word + keep - left, word + at, left * sizeof(std::uint64_t));
      std::memmove(e + keep - left, e + at, left * sizeof(double));
      std::memmove(info + keep - left, info + at, left);
      std::memmove(wedge_f1 + keep - left, wedge_f1 + at, left * sizeof(double));
      std::memmove(wedge_span + keep - left, wedge_span + at, left * sizeof(double));
      at = keep - left;
      philox_words(id, next, batch, word + keep);
      next += batch;
      fair_layers(word + keep, batch, years.constants_, layer);
      years.kernels_.values(word + keep, layer, batch, years.constants_, e + keep, info + keep);
      years.wedges(word + keep, info + keep, e + keep, wedge_f1 + keep, wedge_span + keep);
      // Every start the year loop may take, from the first unread word (>= keep - 7) to end - 8.
      years.kernels_.losses(e + keep - 7, info + keep - 7, batch, year_loss + keep - 7);
      end = keep + batch;
    }

    // What ziggurat_normal draws from: the stream's words in order.
    std::uint64_t next_u64() {
      if (at == end) refill();
      return word[at++];
    }
    double uniform() { return uniform_of(next_u64()); }
    double uniform_positive() { return positive_uniform_of(next_u64()); }
  };

  /// For each word of the batch (word, info, e, wedge_f1, wedge_span: its first) that as a
  /// normal's first word falls in a wedge of the ziggurat: e = the magnitude it gives if the next
  /// word accepts it (one exp_in_place for the batch's few instead of one call each), wedge_f1
  /// and wedge_span = what the acceptance test needs (normal_ziggurat::wedge: two std::exp each,
  /// here rather than in the year loop's chain of dependent reads).
  void wedges(const std::uint64_t* word, const std::uint8_t* info, double* e, double* wedge_f1, double* wedge_span) const {
    double value[words::batch];
    std::uint16_t at[words::batch];
    std::size_t n = 0;
    for (std::size_t i = 0; i < words::batch; i += 64) {
      std::uint64_t others = 0;  // bit j: word i + j is not a one-word normal
      for (std::size_t j = 0; j < 64; j += 8) {
        std::uint64_t flags = 0;
        std::memcpy(&flags, info + i + j, sizeof flags);
        // The 8 flag bits (bit 7 of each byte) gathered into one byte by a multiplication.
        others |= (((~flags & 0x8080808080808080u) >> 7) * 0x0102040810204080u >> 56) << j;
      }
      for (; others != 0; others &= others - 1) {
        const std::size_t j = i + static_cast<std::size_t>(std::countr_zero(others));
        const int layer = normal_ziggurat::layer_of(word[j]);
        if (layer == 0) continue;  // the tail: drawn when needed
        const double u = normal_ziggurat::position_of(word[j]);
        std::tie(wedge_f1[j], wedge_span[j]) = ziggurat_.wedge(layer, u);
        value[n] = mu_ + sigma_ * (u * ziggurat_.x[layer]);  // as ziggurat_normal
        at[n++] = static_cast<std::uint16_t>(j);
      }
    }
    exp_in_place(std::span<double>(value, n));
    for (std::size_t i = 0; i < n; ++i) e[at[i]] = value[i];
  }

  /// A year by the general draws from its first word on: the count by the whole CDF, then each
  /// normal as ziggurat_normal draws it, its magnitude read ahead unless in the tail.
  double general_year(words& w, std::uint64_t& events) const {
    const unsigned first = w.info[w.at] & 15u;  // the count, unless 8 or more
    const double u = uniform_of(w.next_u64());
    std::uint64_t k = first;
    if (k == 8)
      while (u > cdf_[k]) ++k;
    events += k;
    double x = 0.0;
    while (k > 0) {
      if (w.at == w.end) w.refill();
      const std::size_t j = w.at;
      if ((w.info[j] & 128u) != 0) {  // one word
        x += w.e[j];
        w.at = j + 1, --k;
        continue;
      }
      const std::uint64_t word = w.word[j];
      const int layer = normal_ziggurat::layer_of(word);
      if (layer == 0) {  // the tail
        double magnitude = ziggurat_normal(w, mu_, sigma_);
        exp_in_place(std::span<double>(&magnitude, 1));
        x += magnitude;
        --k;
        continue;
      }
      const double magnitude = w.e[j];  // a wedge: the next word accepts it or starts over
      const std::pair<double, double> wedge{w.wedge_f1[j], w.wedge_span[j]};
      w.at = j + 1;
      if (normal_ziggurat::in_wedge(wedge, w.uniform())) x += magnitude, --k;
    }
    return x;
  }

  const normal_ziggurat& ziggurat_ = normal_ziggurat::get();
  std::vector<double> cdf_;
  double mu_, sigma_;
  fair_word_constants constants_;
  fair_kernels kernels_;
};

/// simulate_fair, with its batched path on or off (tests compare the two).
template <class Exec>
annual_losses simulate_fair_with(const fair_scenario& s, const fair_options& options, Exec exec, bool batched) {
  constexpr std::uint64_t task_years = 4096;
  check_distribution(s.frequency, "/frequency");
  check_distribution(s.magnitude.primary, "/magnitude/primary");
  if (s.magnitude.secondary) check_distribution(*s.magnitude.secondary, "/magnitude/secondary");
  if (options.first_year % task_years != 0) throw model_error("first_year must be a multiple of 4096");
  check_year_range(options.years, options.first_year);
  annual_losses r;
  r.currency = s.currency;
  r.seed = options.seed;
  r.asset_ids = {s.id};
  r.threat_ids = {s.id};
  const std::uint64_t tasks = (options.years + task_years - 1) / task_years;
  std::vector<yearly_sum> sums(tasks);
  std::vector<std::uint64_t> events(tasks, 0);
  std::vector<char> done(tasks, 0);
  const poisson_rate_sampler event_count(s.frequency);
  const prepared_magnitude magnitude(s.magnitude);
  std::optional<fair_batched_years> batch;
  if (batched && fair_batched_years::applies(s)) batch.emplace(s);
  const auto id_of = [&](std::uint64_t t) {
    return stream_id{.seed = derive_seed(options.seed, stream_purpose::fair_years, options.first_year / task_years + t)};
  };
  const auto years_of = [&](std::uint64_t t) {
    const std::uint64_t first = t * task_years, last = std::min(options.years, first + task_years);
    return std::span<double>(r.by_year.data() + first, last - first);
  };
  run_with(exec, [&] {
    assign_zeros(r.by_year, options.years, is_parallel<Exec>);
    auto run_general = [&](std::uint64_t t) {
      if (options.cancel != nullptr && options.cancel->cancelled()) return;
      random_stream rs(id_of(t));
      for (double& year : years_of(t)) {
        double loss = 0.0;
        for (std::uint64_t k = event_count(rs); k > 0; --k, ++events[t]) loss += magnitude(rs);
        if (s.magnitude.annual_cap) loss = std::min(loss, *s.magnitude.annual_cap);
        year = loss;
        sums[t].add(loss);
      }
      done[t] = 1;
    };
    auto run_batched = [&](std::uint64_t t) {
      if (options.cancel != nullptr && options.cancel->cancelled()) return;
      batch->run(id_of(t), years_of(t), s.magnitude.annual_cap, sums[t], events[t]);
      done[t] = 1;
    };
    if (batch) for_each_index(is_parallel<Exec>, std::uint64_t{0}, tasks, run_batched);
    else for_each_index(is_parallel<Exec>, std::uint64_t{0}, tasks, run_general);
  });
  r.by_asset.assign(1, {});
  r.by_threat.assign(1, {});
  for (std::uint64_t t = 0; t < tasks; ++t) {
    if (!done[t]) {
      r.cancelled = true;
      continue;
    }
    r.by_asset[0].add(sums[t]);
    r.events += events[t];
  }
  if (r.cancelled) {  // keep only finished years, in order
    std::vector<double> all;
    for (std::uint64_t t = 0; t < tasks; ++t)
      if (done[t])
        all.insert(all.end(), r.by_year.begin() + static_cast<std::ptrdiff_t>(t * task_years),
                   r.by_year.begin() + static_cast<std::ptrdiff_t>(std::min(options.years, (t + 1) * task_years)));
    r.by_year = std::move(all);
  }
  r.by_threat[0] = r.by_asset[0];
  return r;
}

}  // namespace detail

/// Simulates `options.years` years of one scenario. Deterministic for any thread count (tasks of
/// 4,096 years with their own streams). The common FAIR scenario (a constant rate below 10,
/// lognormal magnitudes, no secondary loss) takes a batched path: the same event counts and
/// normals, SIMD Philox words, and magnitudes by `exp_in_place` (within 1 ulp of std::exp).
/// Throws: input_error on an invalid distribution (/frequency, /magnitude/primary, ...),
/// model_error on a first_year not a multiple of 4,096 or more than max_simulated_years years.
template <class Exec = par>
annual_losses simulate_fair(const fair_scenario& s, const fair_options& options = {}, Exec exec = {}) {
  return detail::simulate_fair_with(s, options, exec, true);
}

}  // namespace twinrisk
