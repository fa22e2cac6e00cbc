#pragma once
/// The words of simulate_fair's batched path: Philox words drawn many at once, each read ahead of
/// time both ways the year loop may read it — as the uniform of a year's Poisson count, and as
/// the first word of a ziggurat normal with its lognormal magnitude — with SIMD, so that the year
/// loop only walks them. The words and the numbers are those of the scalar stream.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "twinrisk/sim/detail/x86_simd.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/vector_exp.hpp"

namespace twinrisk::detail {

/// What fair_word_values needs: the magnitude's mu and sigma and the first 8 CDF values of the
/// Poisson inversion as thresholds on a word's top 53 bits; and for fair_layers, the ziggurat's
/// layers as pairs (x, ratio).
struct fair_word_constants {
  double mu = 0.0, sigma = 0.0;
  std::int64_t threshold[8] = {};  ///< floor(cdf[k] · 2^53), or the largest int64 for cdf[k] = +inf
  double layer_pairs[2 * normal_ziggurat::layers] = {};

  /// `cdf` from poisson_inversion_cdf.
  fair_word_constants(double magnitude_mu, double magnitude_sigma, const std::vector<double>& cdf) : mu(magnitude_mu), sigma(magnitude_sigma) {
    const normal_ziggurat& z = normal_ziggurat::get();
    for (int l = 0; l < normal_ziggurat::layers; ++l) layer_pairs[2 * l] = z.x[l], layer_pairs[2 * l + 1] = z.ratio[l];
    for (std::size_t k = 0; k < 8; ++k)
      threshold[k] = k < cdf.size() && cdf[k] < 2.0 ? static_cast<std::int64_t>(std::floor(cdf[k] * 0x1.0p53))
                                                    : std::numeric_limits<std::int64_t>::max();
  }
};

#ifdef TWINRISK_X86_SIMD

/// N bytes (N <= 4) as the low bytes of an int.
template <int N>
[[nodiscard]] inline int load_bytes(const std::uint8_t* p) noexcept {
  std::uint32_t v = 0;
  std::memcpy(&v, p, N);
  return static_cast<int>(v);
}

// SSE2 and AVX2 count and select with plain vector comparisons (all-ones lanes where true).
#define TWINRISK_COUNT_GREATER(count, a, b) (count -= (a) > (b))
#define TWINRISK_WHERE_AT_LEAST(count, j, p) \
  reinterpret_cast<exp_vec>(reinterpret_cast<exp_bits_vec>(load_doubles(p)) & reinterpret_cast<exp_bits_vec>((count) >= (j)))
#define TWINRISK_ADD_WHERE_AT_LEAST(sum, count, j, p) ((sum) += TWINRISK_WHERE_AT_LEAST(count, j, p))
#define TWINRISK_STORE_BYTES(v, p) \
  for (int j = 0; j < TWINRISK_LANES; ++j) (p)[j] = static_cast<std::uint8_t>((v)[j])

namespace sse2 {
#define TWINRISK_LANES 2
#define TWINRISK_EVEN(a, b) __builtin_shufflevector(a, b, 0, 2)
#define TWINRISK_ODD(a, b) __builtin_shufflevector(a, b, 1, 3)
#define TWINRISK_LOAD_BYTES(p) (exp_bits_vec{(p)[0], (p)[1]})
#include "twinrisk/risk/detail/fair_words_simd.inc"
#undef TWINRISK_LOAD_BYTES
#undef TWINRISK_ODD
#undef TWINRISK_EVEN
#undef TWINRISK_LANES
}  // namespace sse2

TWINRISK_TARGET_BEGIN("avx2,fma")
namespace avx2 {
#define TWINRISK_LANES 4
#define TWINRISK_EVEN(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6)
#define TWINRISK_ODD(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7)
#define TWINRISK_LOAD_BYTES(p) (exp_bits_vec)_mm256_cvtepu8_epi64(_mm_cvtsi32_si128(load_bytes<4>(p)))
#include "twinrisk/risk/detail/fair_words_simd.inc"
#undef TWINRISK_STORE_BYTES
#undef TWINRISK_LOAD_BYTES
#undef TWINRISK_ADD_WHERE_AT_LEAST
#undef TWINRISK_WHERE_AT_LEAST
#undef TWINRISK_COUNT_GREATER
#undef TWINRISK_ODD
#undef TWINRISK_EVEN
#undef TWINRISK_LANES
}  // namespace avx2
TWINRISK_TARGET_END
TWINRISK_TARGET_BEGIN("avx512f")
namespace avx512 {
#define TWINRISK_LANES 8
#define TWINRISK_EVEN(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14)
#define TWINRISK_ODD(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15)
#define TWINRISK_COUNT_GREATER(count, a, b) \
  (count = (decltype(count))_mm512_mask_sub_epi64((__m512i)(count), _mm512_cmpgt_epi64_mask((__m512i)(a), (__m512i)(b)), \
                                                   (__m512i)(count), _mm512_set1_epi64(-1)))
#define TWINRISK_WHERE_AT_LEAST(count, j, p) \
  (exp_vec)_mm512_maskz_loadu_pd(_mm512_cmpge_epu64_mask((__m512i)(count), _mm512_set1_epi64(j)), (p))
#define TWINRISK_ADD_WHERE_AT_LEAST(sum, count, j, p)                                                          \
  (sum = (exp_vec)_mm512_mask_add_pd((__m512d)(sum), _mm512_cmpge_epu64_mask((__m512i)(count), _mm512_set1_epi64(j)), \
                                     (__m512d)(sum), _mm512_loadu_pd(p)))
// The masked forms: GCC 12 warns that the plain ones read an undefined register.
#define TWINRISK_LOAD_BYTES(p) (exp_bits_vec)_mm512_maskz_cvtepu8_epi64(0xFF, _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)))
#define TWINRISK_STORE_BYTES(v, p) \
  _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm512_mask_cvtepi64_epi8(_mm_setzero_si128(), 0xFF, (__m512i)(v)))
#include "twinrisk/risk/detail/fair_words_simd.inc"
#undef TWINRISK_STORE_BYTES
#undef TWINRISK_LOAD_BYTES
#undef TWINRISK_ADD_WHERE_AT_LEAST
#undef TWINRISK_WHERE_AT_LEAST
#undef TWINRISK_COUNT_GREATER
#undef TWINRISK_ODD
#undef TWINRISK_EVEN
#undef TWINRISK_LANES
}  // namespace avx512
TWINRISK_TARGET_END

#endif  // TWINRISK_X86_SIMD

/// layer[2i], layer[2i + 1] = the x and ratio of the ziggurat layer of word w[i], i < n (a
/// multiple of 4): one 16-byte load and store a word, a third of the time of two vector gathers
/// on AMD Zen 4.
inline void fair_layers(const std::uint64_t* w, std::size_t n, const fair_word_constants& c, double* layer) noexcept {
  for (std::size_t i = 0; i < n; i += 4) {
#pragma GCC unroll 4
    for (std::size_t j = i; j < i + 4; ++j)  // unrolled: twice as fast as one word a loop
      std::memcpy(layer + 2 * j, c.layer_pairs + 2 * normal_ziggurat::layer_of(w[j]), 2 * sizeof(double));
  }
}

/// The portable version: one word after the other, as ziggurat_normal and exp_scalar compute.
inline void fair_word_values_scalar(const std::uint64_t* w, const double* layer, std::size_t n, const fair_word_constants& c,
                                    double* e, std::uint8_t* info) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t m = static_cast<std::int64_t>(w[i] >> 11);
    std::uint8_t count = 0;
    for (std::int64_t t : c.threshold) count = static_cast<std::uint8_t>(count + (m > t ? 1 : 0));
    const double u = normal_ziggurat::position_of(w[i]);
    info[i] = static_cast<std::uint8_t>(count | (std::abs(u) < layer[2 * i + 1] ? 128 : 0));
    e[i] = exp_scalar(c.mu + c.sigma * u * layer[2 * i]);
  }
}

/// The portable fair_year_losses.
inline void fair_year_losses_scalar(const double* e, const std::uint8_t* info, std::size_t n, double* loss) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t j = 1; j <= 7; ++j) sum += j <= (info[i] & 15u) ? e[i + j] : 0.0;
    loss[i] = sum;
  }
}

/// The kernels of one instruction set.
struct fair_kernels {
  void (*values)(const std::uint64_t*, const double*, std::size_t, const fair_word_constants&, double*, std::uint8_t*) noexcept;
  void (*losses)(const double*, const std::uint8_t*, std::size_t, double*) noexcept;
};

/// Those of the instruction set exp_in_place chose, so every magnitude of a run comes from the
/// same exp.
[[nodiscard]] inline fair_kernels best_fair_kernels() noexcept {
#ifdef TWINRISK_X86_SIMD
  switch (widest_x86_vectors(true)) {
    case x86_vectors::avx512: return {&avx512::fair_word_values, &avx512::fair_year_losses};
    case x86_vectors::avx2: return {&avx2::fair_word_values, &avx2::fair_year_losses};
    case x86_vectors::sse2: break;
  }
  return {&sse2::fair_word_values, &sse2::fair_year_losses};
#else
  return {&fair_word_values_scalar, &fair_year_losses_scalar};
#endif
}

}  // namespace twinrisk::detail
