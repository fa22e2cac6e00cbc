#pragma once
/// Whether the SIMD kernels (Bernoulli masks, Philox words, exp) are compiled for x86 with a
/// variant per instruction set chosen at run time: TWINRISK_X86_SIMD, on x86-64 with GCC or clang
/// unless TWINRISK_NO_SIMD is defined (then the portable scalar versions run).

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__)) && !defined(TWINRISK_NO_SIMD)
#define TWINRISK_X86_SIMD 1
#include <immintrin.h>
#endif
