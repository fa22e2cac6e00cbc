#pragma once
/// Whether the SIMD kernels (Bernoulli masks, Philox words, exp) are compiled for x86 with a
/// variant per instruction set chosen at run time: TWINRISK_X86_SIMD, on x86-64 with GCC or clang
/// unless TWINRISK_NO_SIMD is defined (then the portable scalar versions run).

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__)) && !defined(TWINRISK_NO_SIMD)
#define TWINRISK_X86_SIMD 1
#include <immintrin.h>

/// TWINRISK_TARGET_BEGIN("avx2") ... TWINRISK_TARGET_END: the functions defined between are
/// compiled for that instruction set (GCC's target pragma, clang's attribute push), whatever the
/// flags of the translation unit; each variant's body is included between such a pair.
#define TWINRISK_PRAGMA(text) _Pragma(#text)
#if defined(__clang__)
#define TWINRISK_TARGET_BEGIN(isa) TWINRISK_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define TWINRISK_TARGET_END TWINRISK_PRAGMA(clang attribute pop)
#else
#define TWINRISK_TARGET_BEGIN(isa) TWINRISK_PRAGMA(GCC push_options) TWINRISK_PRAGMA(GCC target(isa))
#define TWINRISK_TARGET_END TWINRISK_PRAGMA(GCC pop_options)
#endif

namespace twinrisk::detail {

/// The widest vectors of this processor that the kernels use.
enum class x86_vectors { sse2, avx2, avx512 };

/// Asked once per kernel: AVX-512F, else AVX2 (with FMA where `avx2_with_fma`), else SSE2, which
/// every x86-64 processor has. Kernels that must agree (exp_in_place and simulate_fair's) ask
/// the same question.
[[nodiscard]] inline x86_vectors widest_x86_vectors(bool avx2_with_fma) noexcept {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return x86_vectors::avx512;
  if (__builtin_cpu_supports("avx2") && (!avx2_with_fma || __builtin_cpu_supports("fma"))) return x86_vectors::avx2;
  return x86_vectors::sse2;
}

}  // namespace twinrisk::detail
#endif
