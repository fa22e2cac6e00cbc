#pragma once
/// Many Bernoulli masks at once: `bernoulli_masks(seed, block, lane, threshold, count, out)` sets
/// out[i] to `random_stream({seed, block, lane[i]}).bernoulli_mask(p[i])` — bit for bit, with
/// threshold[i] = bernoulli_threshold(p[i]) computed once — but runs Philox for 8
/// (AVX-512), 4 (AVX2) or 2 (SSE2) streams in one vector, chosen once at run time from what the
/// processor supports. The compromise simulation draws edges' liveness in 64 worlds this way.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "twinrisk/sim/detail/x86_simd.hpp"
#include "twinrisk/sim/rng.hpp"

namespace twinrisk::detail {

#ifdef TWINRISK_X86_SIMD

namespace sse2 {  // every x86-64 processor
#define TWINRISK_LANES 2
#define TWINRISK_MUL_EPU32(a, b) (vec)_mm_mul_epu32((__m128i)(a), (__m128i)(b))
#include "twinrisk/sim/detail/bernoulli_masks_simd.inc"
#undef TWINRISK_MUL_EPU32
#undef TWINRISK_LANES
}  // namespace sse2

TWINRISK_TARGET_BEGIN("avx2")
namespace avx2 {
#define TWINRISK_LANES 4
#define TWINRISK_MUL_EPU32(a, b) (vec)_mm256_mul_epu32((__m256i)(a), (__m256i)(b))
#include "twinrisk/sim/detail/bernoulli_masks_simd.inc"
#undef TWINRISK_MUL_EPU32
#undef TWINRISK_LANES
}  // namespace avx2
TWINRISK_TARGET_END
TWINRISK_TARGET_BEGIN("avx512f")
namespace avx512 {
#define TWINRISK_LANES 8
#define TWINRISK_MUL_EPU32(a, b) (vec)_mm512_maskz_mul_epu32(0xFF, (__m512i)(a), (__m512i)(b))  // maskz: GCC 12 warns on _mm512_mul_epu32
#include "twinrisk/sim/detail/bernoulli_masks_simd.inc"
#undef TWINRISK_MUL_EPU32
#undef TWINRISK_LANES
}  // namespace avx512
TWINRISK_TARGET_END

#endif  // TWINRISK_X86_SIMD

/// The portable version: one stream after the other.
inline void bernoulli_masks_scalar(std::uint64_t seed, std::uint32_t block, const std::uint32_t* lane,
                                   const std::uint64_t* threshold, std::size_t count, std::uint64_t* out) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (threshold[i] == ~std::uint64_t{0}) {
      out[i] = ~std::uint64_t{0};
      continue;
    }
    random_stream r({.seed = seed, .block = block, .lane = lane[i]});
    bernoulli_slicer slicer(0.0);
    slicer.bits = threshold[i];
    while (!slicer.settled()) slicer.step(r.next_u64());
    out[i] = slicer.yes;
  }
}

using bernoulli_masks_fn = void (*)(std::uint64_t, std::uint32_t, const std::uint32_t*, const std::uint64_t*, std::size_t,
                                    std::uint64_t*) noexcept;

/// The widest variant this processor runs.
[[nodiscard]] inline bernoulli_masks_fn best_bernoulli_masks() noexcept {
#ifdef TWINRISK_X86_SIMD
  switch (widest_x86_vectors(false)) {
    case x86_vectors::avx512: return &avx512::bernoulli_masks;
    case x86_vectors::avx2: return &avx2::bernoulli_masks;
    case x86_vectors::sse2: break;
  }
  return &sse2::bernoulli_masks;
#else
  return &bernoulli_masks_scalar;
#endif
}

}  // namespace twinrisk::detail

namespace twinrisk {

/// p as `bernoulli_masks` takes it: p's first 64 binary digits; all ones (no p < 1 has them)
/// for p >= 1; 0 for p <= 0 and NaN.
[[nodiscard]] constexpr std::uint64_t bernoulli_threshold(double p) noexcept {
  return p >= 1.0 ? ~std::uint64_t{0} : detail::bernoulli_slicer(p).bits;
}

/// out[i] = random_stream({seed, block, lane[i]}).bernoulli_mask(p[i]) for i < count, where
/// threshold[i] = bernoulli_threshold(p[i]), with the processor's widest vectors.
inline void bernoulli_masks(std::uint64_t seed, std::uint32_t block, const std::uint32_t* lane, const std::uint64_t* threshold,
                            std::size_t count, std::uint64_t* out) noexcept {
  static const detail::bernoulli_masks_fn best = detail::best_bernoulli_masks();
  best(seed, block, lane, threshold, count, out);
}

}  // namespace twinrisk
