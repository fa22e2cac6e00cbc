#pragma once
/// twinrisk's only source of randomness: the counter-based generator Philox-4x32-10 (Salmon,
/// Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11). A number is a
/// pure function of (seed, block, lane, index), so results never depend on how work is
/// scheduled or on the thread count: a trial block always draws the same numbers.
///
///     random_stream r({.seed = 42, .block = 7, .lane = 0});
///     double u = r.uniform();                 // 53 random bits in [0, 1)
///     std::uint64_t alive = r.bernoulli_mask(0.3);   // 64 independent draws with p = 0.3

#include <array>
#include <cstdint>
#include <initializer_list>

namespace twinrisk {

/// The Philox-4x32-10 bijection: 128-bit counter and 64-bit key to 128 random bits.
/// Matches the known-answer vectors published with Random123.
struct philox4x32 {
  using counter_type = std::array<std::uint32_t, 4>;
  using key_type = std::array<std::uint32_t, 2>;

  [[nodiscard]] static constexpr counter_type generate(counter_type c, key_type k) noexcept {
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        k[0] += 0x9E3779B9u;  // Weyl sequence: the golden ratio and sqrt(3) - 1, as 32-bit fractions
        k[1] += 0xBB67AE85u;
      }
      const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c[0];
      const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c[2];
      c = {static_cast<std::uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<std::uint32_t>(p0)};
    }
    return c;
  }
};

namespace detail {

/// The state of a bit-sliced comparison of 64 uniforms with p (see `bernoulli_mask`): one
/// random word compares one more binary digit of all 64 uniforms with p's digit.
struct bernoulli_slicer {
  std::uint64_t bits;                      ///< p's digits not compared yet (p < 1: p * 2^64)
  std::uint64_t yes = 0;                   ///< lanes settled below p
  std::uint64_t tied = ~std::uint64_t{0};  ///< lanes whose digits equal p's so far
  int digit = 63;                          ///< the next digit of p to compare

  /// p in [0, 1); p <= 0 and NaN give an empty mask.
  explicit constexpr bernoulli_slicer(double p) noexcept
      : bits(p > 0.0 ? static_cast<std::uint64_t>(p * 0x1.0p64) : 0) {}  // p * 2^64 < 2^64, scaling is exact

  /// Lanes still tied after p's last 1 digit have uniform >= p: nothing left to draw.
  [[nodiscard]] constexpr bool settled() const noexcept { return tied == 0 || bits == 0; }

  /// Compares the next digit; bit j of `r` is lane j's digit.
  constexpr void step(std::uint64_t r) noexcept {
    const std::uint64_t one = std::uint64_t{0} - ((bits >> digit) & 1u);  // all ones where p's digit is 1
    yes |= tied & ~r & one;  // the lane's digit is 0 where p's is 1: uniform < p
    tied &= ~(r ^ one);      // still equal to p's digit
    bits &= ~(std::uint64_t{1} << digit);
    --digit;
  }
};

/// The uniform in [0, 1) of a random word: its top 53 bits (`random_stream::uniform`).
[[nodiscard]] constexpr double uniform_of(std::uint64_t w) noexcept { return static_cast<double>(w >> 11) * 0x1.0p-53; }

/// The uniform in (0, 1) of a random word (`random_stream::uniform_positive`).
[[nodiscard]] constexpr double positive_uniform_of(std::uint64_t w) noexcept {
  return (static_cast<double>(w >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace detail

/// A key for one purpose within a run — e.g. (seed, threat, block of years) — so that streams of
/// different purposes never share numbers: the parts mixed by splitmix64's finaliser.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                                                  std::uint64_t c = 0) noexcept {
  auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  std::uint64_t k = mix(seed + 0x9E3779B97F4A7C15ull);
  for (std::uint64_t part : {a, b, c}) k = mix(k ^ (part + 0x9E3779B97F4A7C15ull));
  return k;
}

/// What a derived key is for (`derive_seed`'s first part): each purpose its own streams, so no
/// two draw the same numbers. The values are part of every result's reproducibility: never
/// renumber them (5 is unused).
enum class stream_purpose : std::uint64_t {
  loss_events = 1,          ///< simulate_loss: event counts and entry points, per threat and year task
  loss_worlds = 2,          ///< simulate_loss: which edges are live in an event's world
  loss_money = 3,           ///< simulate_loss: loss magnitudes
  fair_years = 4,           ///< simulate_fair: events and magnitudes, per year task
  loss_detection = 6,       ///< simulate_loss with detection: the defender's detection times
  loss_edge_crossings = 7,  ///< simulate_loss with detection: the attacker's time on each edge
  loss_copula = 8,          ///< simulate_loss with loss_correlations: the correlated assets' normal scores
  one_entry = 9,            ///< simulate_compromise with one_source_per_trial: the source each trial starts from
};

/// derive_seed for a named purpose.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t seed, stream_purpose purpose, std::uint64_t b = 0,
                                                  std::uint64_t c = 0) noexcept {
  return derive_seed(seed, static_cast<std::uint64_t>(purpose), b, c);
}

/// Where a stream sits in the space of random numbers.
struct stream_id {
  std::uint64_t seed = 0;   ///< the user's seed: the Philox key
  std::uint32_t block = 0;  ///< e.g. a block of trials
  std::uint32_t lane = 0;   ///< e.g. an edge, or a purpose within the block
};

/// A sequence of random numbers: Philox outputs for counters (index, lane, block), index
/// counting up from 0. Copyable; copies continue independently from the same point.
class random_stream {
 public:
  explicit constexpr random_stream(stream_id id) noexcept
      : key_{static_cast<std::uint32_t>(id.seed), static_cast<std::uint32_t>(id.seed >> 32)}, block_(id.block), lane_(id.lane) {}

  /// The same stream from its `index`-th Philox output on (2·index 64-bit numbers skipped).
  constexpr random_stream(stream_id id, std::uint64_t index) noexcept : random_stream(id) { index_ = index; }

  /// The next 64 random bits.
  constexpr std::uint64_t next_u64() noexcept {
    if (used_ == 4) refill();
    const std::uint64_t x = (std::uint64_t{buffer_[used_ + 1]} << 32) | buffer_[used_];
    used_ += 2;
    return x;
  }

  /// Uniform in [0, 1) with 53 random bits (every double of the form k / 2^53).
  constexpr double uniform() noexcept { return detail::uniform_of(next_u64()); }

  /// Uniform in (0, 1): never 0, for logarithms.
  constexpr double uniform_positive() noexcept { return detail::positive_uniform_of(next_u64()); }

  /// 64 independent Bernoulli(p) draws, one per bit. Compares 64 uniforms with p digit by
  /// digit of p's binary expansion, all 64 lanes at once: each random word settles about half
  /// of the lanes still tied with p, so a mask costs about 8 words instead of 64, and the
  /// probability is p itself to within 2^-64 (p's binary digits beyond the 64th are dropped).
  /// `bernoulli_masks` (sim/bernoulli_masks.hpp) draws many streams' masks at once, with SIMD.
  constexpr std::uint64_t bernoulli_mask(double p) noexcept {
    if (p >= 1.0) return ~std::uint64_t{0};
    detail::bernoulli_slicer slicer(p);
    while (!slicer.settled()) slicer.step(next_u64());
    return slicer.yes;
  }

  [[nodiscard]] constexpr std::uint64_t index() const noexcept { return index_; }

 private:
  constexpr void refill() noexcept {
    buffer_ = philox4x32::generate({static_cast<std::uint32_t>(index_), static_cast<std::uint32_t>(index_ >> 32), lane_, block_}, key_);
    ++index_;
    used_ = 0;
  }

  philox4x32::key_type key_;
  std::uint32_t block_, lane_;
  std::uint64_t index_ = 0;
  philox4x32::counter_type buffer_{};
  int used_ = 4;
};

}  // namespace twinrisk
