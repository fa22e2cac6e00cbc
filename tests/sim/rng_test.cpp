// Philox-4x32-10 against Random123's known answers; streams as pure functions of their id;
// uniforms and Bernoulli masks against exact moments at stated confidence; the SIMD mask and
// word kernels against the scalar stream.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

#include "twinrisk/sim/bernoulli_masks.hpp"
#include "twinrisk/sim/philox_words.hpp"
#include "twinrisk/sim/rng.hpp"

using namespace twinrisk;

TEST_CASE("Philox-4x32-10 matches the known-answer vectors published with Random123") {
  using c = philox4x32::counter_type;
  using k = philox4x32::key_type;
  CHECK(philox4x32::generate(c{0, 0, 0, 0}, k{0, 0}) == c{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32::generate(c{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, k{0xffffffff, 0xffffffff}) ==
        c{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32::generate(c{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, k{0xa4093822, 0x299f31d0}) ==
        c{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  static_assert(philox4x32::generate(c{0, 0, 0, 0}, k{0, 0})[0] == 0x6627e8d5u);  // usable at compile time
}

TEST_CASE("a stream is a pure function of (seed, block, lane, index)") {
  random_stream a({.seed = 42, .block = 7, .lane = 3}), b({.seed = 42, .block = 7, .lane = 3});
  std::vector<std::uint64_t> xs;
  for (int i = 0; i < 100; ++i) xs.push_back(a.next_u64());
  for (int i = 0; i < 100; ++i) CHECK(b.next_u64() == xs[static_cast<std::size_t>(i)]);
  // Two 64-bit numbers per Philox call, low word first, counters (index, lane, block) keyed by the seed.
  const auto first = philox4x32::generate({0, 0, 3, 7}, {42, 0});
  CHECK(xs[0] == ((std::uint64_t{first[1]} << 32) | first[0]));
  CHECK(xs[1] == ((std::uint64_t{first[3]} << 32) | first[2]));
  // Other seeds, blocks and lanes give other numbers.
  CHECK(random_stream({.seed = 43, .block = 7, .lane = 3}).next_u64() != xs[0]);
  CHECK(random_stream({.seed = 42, .block = 8, .lane = 3}).next_u64() != xs[0]);
  CHECK(random_stream({.seed = 42, .block = 7, .lane = 4}).next_u64() != xs[0]);
  CHECK(random_stream({.seed = std::uint64_t{42} | (std::uint64_t{1} << 32), .block = 7, .lane = 3}).next_u64() != xs[0]);
}

TEST_CASE("uniforms: in [0,1) on the 2^-53 grid, with the moments of U(0,1)") {
  random_stream r({.seed = 1});
  const int n = 200'000;
  double sum = 0.0, sum2 = 0.0, lo = 1.0, hi = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    CHECK_UNARY(u >= 0.0);
    CHECK_UNARY(u < 1.0);
    CHECK(u * 0x1.0p53 == std::floor(u * 0x1.0p53));
    sum += u;
    sum2 += u * u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // Mean 1/2, sd of the mean sqrt(1/12/n) = 6.5e-4; 5 sd bounds fail with probability < 1e-6.
  CHECK(std::abs(sum / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  // E[U^2] = 1/3, Var(U^2) = 4/45.
  CHECK(std::abs(sum2 / n - 1.0 / 3) < 5 * std::sqrt(4.0 / 45 / n));
  CHECK(lo < 1e-4);
  CHECK(hi > 1 - 1e-4);
  random_stream z({.seed = 2});
  for (int i = 0; i < 1000; ++i) CHECK(z.uniform_positive() > 0.0);
}

TEST_CASE("Bernoulli masks: each bit is Bernoulli(p), bits independent, p = 0 and 1 exact") {
  random_stream r({.seed = 5, .block = 1});
  CHECK(r.bernoulli_mask(0.0) == 0);
  CHECK(r.bernoulli_mask(-0.5) == 0);
  CHECK(r.bernoulli_mask(std::nan("")) == 0);
  CHECK(r.bernoulli_mask(1.0) == ~std::uint64_t{0});
  for (double p : {1e-3, 0.1, 0.25, 1.0 / 3, 0.5, 0.7, 0.999}) {
    CAPTURE(p);
    const int words = 20'000;  // 1.28 million draws
    std::vector<std::uint64_t> per_bit(64, 0);
    std::uint64_t ones = 0, pairs = 0;
    for (int w = 0; w < words; ++w) {
      const std::uint64_t m = r.bernoulli_mask(p);
      ones += static_cast<std::uint64_t>(std::popcount(m));
      pairs += static_cast<std::uint64_t>(std::popcount(m & (m >> 1)));  // neighbouring bits both 1
      for (int b = 0; b < 64; ++b) per_bit[static_cast<std::size_t>(b)] += (m >> b) & 1u;
    }
    const double n = 64.0 * words, sd = std::sqrt(p * (1 - p) / n);
    CHECK(std::abs(static_cast<double>(ones) / n - p) < 5 * sd);  // 5 sd: fails with probability < 1e-6
    // Independence of neighbouring bits: P(both) = p^2.
    const double np = 63.0 * words, sd2 = std::sqrt(p * p * (1 - p * p) / np);
    CHECK(std::abs(static_cast<double>(pairs) / np - p * p) < 5 * sd2);
    // Every bit position has the same law (a chi-square-like bound per bit, 6 sd for 64 checks).
    for (std::uint64_t c : per_bit)
      CHECK(std::abs(static_cast<double>(c) / words - p) < 6 * std::sqrt(p * (1 - p) / words));
  }
}

TEST_CASE("bernoulli_masks: every instruction set gives the scalar stream's masks, bit for bit") {
  // Probabilities with short and long binary expansions, the edges 0 and 1, out-of-range values,
  // and a count that leaves partial vectors; lanes in any order, as edge indices come.
  std::vector<double> p;
  for (int i = 0; i < 1003; ++i) p.push_back(std::fmod(i * 0.6180339887498949, 1.0));
  p[3] = 0.0, p[5] = 1.0, p[7] = 0.5, p[9] = std::nan(""), p[11] = -1.0, p[13] = 2.0, p[15] = 1e-300, p[17] = 0.75;
  p[19] = std::nextafter(1.0, 0.0), p[21] = 0x1.0p-64, p[23] = 1.0 - 0x1.0p-53;
  std::vector<std::uint64_t> threshold;
  std::vector<std::uint32_t> lane;
  for (std::size_t i = 0; i < p.size(); ++i) {
    threshold.push_back(bernoulli_threshold(p[i]));
    lane.push_back(static_cast<std::uint32_t>((i * 7919) % 100'003 + (i % 3 == 0 ? 0xFFFF0000u : 0)));
  }
  CHECK(bernoulli_threshold(1.0) == ~std::uint64_t{0});
  CHECK(bernoulli_threshold(std::nextafter(1.0, 0.0)) != ~std::uint64_t{0});  // 1 keeps its own code
  std::vector<std::uint64_t> expected(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    expected[i] = random_stream({.seed = 0xDEADBEEF12345ull, .block = 77, .lane = lane[i]}).bernoulli_mask(p[i]);
  auto check = [&](detail::bernoulli_masks_fn f) {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{33}, p.size()}) {
      CAPTURE(count);
      std::vector<std::uint64_t> out(count + 1, 42);
      f(0xDEADBEEF12345ull, 77, lane.data(), threshold.data(), count, out.data());
      CHECK(std::equal(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(count), expected.begin()));
      CHECK(out[count] == 42);  // nothing written past the end
    }
  };
  check(&detail::bernoulli_masks_scalar);
  check(detail::best_bernoulli_masks());
#ifdef TWINRISK_X86_SIMD
  check(&detail::sse2::bernoulli_masks);
  if (__builtin_cpu_supports("avx2")) check(&detail::avx2::bernoulli_masks);
  if (__builtin_cpu_supports("avx512f")) check(&detail::avx512::bernoulli_masks);
#endif
}

namespace philox_words_checks {

/// `count` words of the stream `id` from its `first`-th, one next_u64 at a time.
std::vector<std::uint64_t> stream_words(stream_id id, std::uint64_t first, std::size_t count) {
  random_stream r(id, first / 2);
  if (first % 2 == 1) r.next_u64();
  std::vector<std::uint64_t> out(count);
  for (std::uint64_t& w : out) w = r.next_u64();
  return out;
}

}  // namespace philox_words_checks

TEST_CASE("philox_words: every instruction set gives the stream's words, from any word on") {
  using philox_words_checks::stream_words;
  const std::vector<stream_id> ids{{.seed = 1},
                                   {.seed = 0xDEADBEEF12345ull, .block = 77, .lane = 5},
                                   {.seed = ~std::uint64_t{0}, .block = 0xFFFFFFFFu, .lane = 0xFFFFFFFFu}};
  // Outputs from 0, from an odd place, and across 2^32 (the counter's index carries into its
  // second word); counts that leave partial vectors of every width.
  const std::vector<std::uint64_t> firsts{0, 13, (std::uint64_t{1} << 32) - 7};
  const std::vector<std::size_t> counts{0, 1, 2, 3, 7, 31, 32, 33, 65, 250};
  auto check = [&](detail::philox_outputs_fn f) {
    for (const stream_id& id : ids)
      for (std::uint64_t first : firsts)
        for (std::size_t outputs : counts) {
          CAPTURE(id.seed);
          CAPTURE(first);
          CAPTURE(outputs);
          std::vector<std::uint64_t> out(2 * outputs + 1, 42);
          f(id.seed, id.block, id.lane, first, outputs, out.data());
          const std::vector<std::uint64_t> expected = stream_words(id, 2 * first, 2 * outputs);
          CHECK(std::equal(expected.begin(), expected.end(), out.begin()));
          CHECK(out[2 * outputs] == 42);  // nothing written past the end
        }
  };
  check(&detail::philox_outputs_scalar);
  check(detail::best_philox_outputs());
#ifdef TWINRISK_X86_SIMD
  check(&detail::sse2::philox_outputs);
  if (__builtin_cpu_supports("avx2")) check(&detail::avx2::philox_outputs);
  if (__builtin_cpu_supports("avx512f")) check(&detail::avx512::philox_outputs);
#endif

  SUBCASE("the public call: any first word, odd or even, any count") {
    for (const stream_id& id : ids)
      for (std::uint64_t first : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{6}, std::uint64_t{9}, (std::uint64_t{1} << 33) - 3})
        for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{64}, std::size_t{1001}}) {
          CAPTURE(first);
          CAPTURE(count);
          std::vector<std::uint64_t> out(count + 1, 42);
          philox_words(id, first, count, out.data());
          const std::vector<std::uint64_t> expected = stream_words(id, first, count);
          CHECK(std::equal(expected.begin(), expected.end(), out.begin()));
          CHECK(out[count] == 42);
        }
  }
}
