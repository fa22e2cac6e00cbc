#pragma once
/// e^x for many doubles at once: `exp_in_place(values)` replaces each value by its exponential,
/// 8 (AVX-512), 4 (AVX2 with FMA) or 2 (SSE2) at a time, the variant chosen once at run time.
/// Within 1 ulp of glibc's std::exp (measured: tests/sim/distributions_test.cpp) and bit for
/// bit the same on every processor with FMA; SSE2 (no FMA) may differ in the last bit.
/// `simulate_fair` computes its lognormal magnitudes with it.
///
///     std::vector<double> x{0.0, 1.0, -745.0};
///     exp_in_place(x);   // {1, 2.718281828459045, 5e-324}

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "twinrisk/sim/detail/x86_simd.hpp"

namespace twinrisk::detail {

/// The constants of the exponential (the method of ARM's optimized-routines exp, with a table of
/// 16): e^x = 2^(k/16) · e^r with k = round(16 x / ln 2) and r = x - k ln 2 / 16 in
/// [-ln 2 / 32, ln 2 / 32], ln 2 / 16 split in two (Cody and Waite) so that k · ln2_hi is exact;
/// 2^(k/16) = 2^(k >> 4) · 2^(j/16), j = k mod 16, from a table of 2^(j/16) rounded (its bits, with
/// 2^(k >> 4) added in the exponent) and its rounding error (`tail`); e^r - 1 by its Taylor
/// polynomial of degree 7, whose truncation error (< 2e-18 relative) is far below the last bit.
/// Measured against glibc's std::exp over 6e7 arguments in [-745, 710]: at most 1 ulp apart.
struct exp_constants {
  static constexpr double inv_ln2 = 0x1.71547652b82fep+4;   // 16 / ln 2
  static constexpr double ln2_hi = 0x1.62e42fee00000p-5;   // 32 significant bits: k · ln2_hi exact for |k| < 2^21
  static constexpr double ln2_lo = 0x1.a39ef35793c76p-37;  // ln 2 / 16 - ln2_hi
  static constexpr double shift = 0x1.8p52;  // 16 x / ln 2 + shift rounds to an integer, held in the low bits
  /// The arguments whose 2^(k >> 4) is a normal double and e^x does not overflow; outside them (and
  /// NaN) std::exp answers.
  static constexpr double reduced_min = -708.0, reduced_max = 709.0;
  static constexpr int degree = 7;
  static constexpr std::array<double, degree + 1> taylor = [] {  // 1 / n!, each rounded once
    std::array<double, degree + 1> c{};
    double factorial = 1.0;
    for (int n = 0; n <= degree; ++n) factorial *= n > 0 ? n : 1, c[static_cast<std::size_t>(n)] = 1.0 / factorial;
    return c;
  }();
  /// 2^(j/16) rounded to the nearest double, and (2^(j/16) - that) / that: computed with mpmath at 300 bits.
  static constexpr double power[16] = {
      0x1.0000000000000p+0, 0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0, 0x1.2387a6e756238p+0,
      0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0, 0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0,
      0x1.6a09e667f3bcdp+0, 0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f090p+0,
      0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0, 0x1.ea4afa2a490dap+0};
  static constexpr double tail[16] = {
      0x0.0p+0,                0x1.79aa65d837b6dp-54,  -0x1.01b15eaa59348p-55, 0x1.68efde3a8a894p-54,
      0x1.34d754db0abb6p-55,   0x1.59f48a72a4c6dp-55,  0x1.690cebb7aafb0p-56,  0x1.063e1e21c5409p-54,
      -0x1.3b3efbf5e2228p-54,  -0x1.b32dcb94da51dp-56, 0x1.db72fc1f0eab4p-55,  0x1.1affc2b91ce27p-56,
      0x1.c1a7792cb3387p-55,   0x1.36eae30af0cb3p-56,  0x1.4a385a63d07a7p-56,  -0x1.ff7128fd391f0p-55};
  /// power[j]'s bits less j << 48: adding k << 48 (mod 2^64) for k = 16 e + j gives 2^(j/16) · 2^e.
  static constexpr std::array<double, 16> scale_bits = [] {
    std::array<double, 16> b{};
    for (std::uint64_t j = 0; j < 16; ++j) b[j] = std::bit_cast<double>(std::bit_cast<std::uint64_t>(power[j]) - (j << 48));
    return b;
  }();
};

/// e^x by the steps of the vector variants (exp_simd.inc), fused multiply-adds as std::fma.
[[nodiscard]] inline double exp_scalar(double x) noexcept {
  using c = exp_constants;
  if (!(x >= c::reduced_min && x <= c::reduced_max)) return std::exp(x);
  const double shifted = std::fma(x, c::inv_ln2, c::shift);
  const double minus_k = c::shift - shifted;
  double r = std::fma(minus_k, c::ln2_hi, x);
  r = std::fma(minus_k, c::ln2_lo, r);
  const auto k = std::bit_cast<std::uint64_t>(shifted);  // its low 16 bits: k mod 2^16
  const double scale = std::bit_cast<double>(std::bit_cast<std::uint64_t>(c::scale_bits[k & 15]) + (k << 48));
  double q = c::taylor[c::degree];
  for (int n = c::degree - 1; n >= 2; --n) q = std::fma(q, r, c::taylor[static_cast<std::size_t>(n)]);
  const double t = std::fma(r * r, q, r) + c::tail[k & 15];  // e^r · (1 + tail) - 1, less the product of the small terms
  return std::fma(scale, t, scale);
}

/// The portable version: one value after the other.
inline void exp_in_place_scalar(double* x, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) x[i] = exp_scalar(x[i]);
}

#ifdef TWINRISK_X86_SIMD

namespace sse2 {  // every x86-64 processor; no FMA
#define TWINRISK_LANES 2
#define TWINRISK_FMA(a, b, c) ((a) * (b) + (c))
#define TWINRISK_NONZERO_LANES(v) _mm_movemask_pd((__m128d)((v) != 0))
#define TWINRISK_TABLE16(table, j) (exp_vec{(table)[(j)[0]], (table)[(j)[1]]})
#include "twinrisk/sim/detail/exp_simd.inc"
#undef TWINRISK_TABLE16
#undef TWINRISK_NONZERO_LANES
#undef TWINRISK_FMA
#undef TWINRISK_LANES
}  // namespace sse2

TWINRISK_TARGET_BEGIN("avx2,fma")
namespace avx2 {
#define TWINRISK_LANES 4
#define TWINRISK_FMA(a, b, c) (exp_vec)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c))
#define TWINRISK_NONZERO_LANES(v) _mm256_movemask_pd((__m256d)((v) != 0))
#define TWINRISK_TABLE16(table, j) (exp_vec{(table)[(j)[0]], (table)[(j)[1]], (table)[(j)[2]], (table)[(j)[3]]})  // AMD gathers are slow
#include "twinrisk/sim/detail/exp_simd.inc"
#undef TWINRISK_TABLE16
#undef TWINRISK_NONZERO_LANES
#undef TWINRISK_FMA
#undef TWINRISK_LANES
}  // namespace avx2
TWINRISK_TARGET_END
TWINRISK_TARGET_BEGIN("avx512f")
namespace avx512 {
#define TWINRISK_LANES 8
#define TWINRISK_FMA(a, b, c) (exp_vec)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c))
#define TWINRISK_NONZERO_LANES(v) _mm512_test_epi64_mask((__m512i)(v), (__m512i)(v))
#define TWINRISK_TABLE16(table, j) (exp_vec)_mm512_permutex2var_pd(_mm512_loadu_pd(table), (__m512i)(j), _mm512_loadu_pd((table) + 8))
#include "twinrisk/sim/detail/exp_simd.inc"
#undef TWINRISK_TABLE16
#undef TWINRISK_NONZERO_LANES
#undef TWINRISK_FMA
#undef TWINRISK_LANES
}  // namespace avx512
TWINRISK_TARGET_END

#endif  // TWINRISK_X86_SIMD

using exp_in_place_fn = void (*)(double*, std::size_t) noexcept;

/// The widest variant this processor runs.
[[nodiscard]] inline exp_in_place_fn best_exp_in_place() noexcept {
#ifdef TWINRISK_X86_SIMD
  switch (widest_x86_vectors(true)) {
    case x86_vectors::avx512: return &avx512::exp_in_place;
    case x86_vectors::avx2: return &avx2::exp_in_place;
    case x86_vectors::sse2: break;
  }
  return &sse2::exp_in_place;
#else
  return &exp_in_place_scalar;
#endif
}

}  // namespace twinrisk::detail

namespace twinrisk {

/// values[i] = e^values[i] for every i, with the processor's widest vectors: within 1 ulp of
/// std::exp; e^0 = 1, overflow to +inf, underflow to subnormals and 0, NaN stays NaN.
/// Complexity: O(n), under a nanosecond a value with AVX2 or AVX-512.
inline void exp_in_place(std::span<double> values) noexcept {
  static const detail::exp_in_place_fn best = detail::best_exp_in_place();
  best(values.data(), values.size());
}

}  // namespace twinrisk
