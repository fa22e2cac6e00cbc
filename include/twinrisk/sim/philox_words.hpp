#pragma once
/// Many words of one random stream at once: `philox_words(id, first, count, out)` writes the
/// words `random_stream(id)`'s next_u64 returns from its `first`-th on — bit for bit — computing
/// 8 (AVX-512), 4 (AVX2) or 2 (SSE2) Philox counters per vector, the variant chosen once at run
/// time from what the processor supports. `simulate_fair` draws its years from such buffers.
///
///     std::uint64_t w[1000];
///     philox_words({.seed = 42}, 0, 1000, w);   // random_stream({.seed = 42}).next_u64(), 1000 times

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
#include "twinrisk/sim/detail/philox_words_simd.inc"
#undef TWINRISK_MUL_EPU32
#undef TWINRISK_LANES
}  // namespace sse2

TWINRISK_TARGET_BEGIN("avx2")
namespace avx2 {
#define TWINRISK_LANES 4
#define TWINRISK_MUL_EPU32(a, b) (vec)_mm256_mul_epu32((__m256i)(a), (__m256i)(b))
#include "twinrisk/sim/detail/philox_words_simd.inc"
#undef TWINRISK_MUL_EPU32
#undef TWINRISK_LANES
}  // namespace avx2
TWINRISK_TARGET_END
TWINRISK_TARGET_BEGIN("avx512f")
namespace avx512 {
#define TWINRISK_LANES 8
#define TWINRISK_MUL_EPU32(a, b) (vec)_mm512_maskz_mul_epu32(0xFF, (__m512i)(a), (__m512i)(b))  // maskz: GCC 12 warns on _mm512_mul_epu32
#include "twinrisk/sim/detail/philox_words_simd.inc"
#undef TWINRISK_MUL_EPU32
#undef TWINRISK_LANES
}  // namespace avx512
TWINRISK_TARGET_END

#endif  // TWINRISK_X86_SIMD

/// The portable version: the stream itself.
inline void philox_outputs_scalar(std::uint64_t seed, std::uint32_t block, std::uint32_t lane, std::uint64_t first,
                                  std::size_t outputs, std::uint64_t* out) noexcept {
  random_stream r({.seed = seed, .block = block, .lane = lane}, first);
  for (std::size_t i = 0; i < 2 * outputs; ++i) out[i] = r.next_u64();
}

using philox_outputs_fn = void (*)(std::uint64_t, std::uint32_t, std::uint32_t, std::uint64_t, std::size_t, std::uint64_t*) noexcept;

/// The widest variant this processor runs.
[[nodiscard]] inline philox_outputs_fn best_philox_outputs() noexcept {
#ifdef TWINRISK_X86_SIMD
  switch (widest_x86_vectors(false)) {
    case x86_vectors::avx512: return &avx512::philox_outputs;
    case x86_vectors::avx2: return &avx2::philox_outputs;
    case x86_vectors::sse2: break;
  }
  return &sse2::philox_outputs;
#else
  return &philox_outputs_scalar;
#endif
}

}  // namespace twinrisk::detail

namespace twinrisk {

/// out[i] = word first + i of the stream `id` (the value of the (first + i + 1)-th call of
/// `random_stream(id).next_u64()`), for i < count, with the processor's widest vectors.
/// Complexity: O(count), about 1 ns per word with AVX-512. Precondition: first + count <= 2^64.
inline void philox_words(stream_id id, std::uint64_t first, std::size_t count, std::uint64_t* out) noexcept {
  static const detail::philox_outputs_fn best = detail::best_philox_outputs();
  if (count == 0) return;
  if (first % 2 == 1) {  // the second word of an output
    random_stream r(id, first / 2);
    r.next_u64();
    *out++ = r.next_u64();
    ++first, --count;
  }
  const std::size_t outputs = count / 2;
  best(id.seed, id.block, id.lane, first / 2, outputs, out);
  if (count % 2 == 1) out[count - 1] = random_stream(id, first / 2 + outputs).next_u64();
}

}  // namespace twinrisk
