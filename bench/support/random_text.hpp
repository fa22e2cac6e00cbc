#pragma once
// Random text for the benchmarks' generated inputs: ids that look like the real ones.

#include <cstddef>
#include <random>
#include <string>

namespace twinrisk_bench {

/// `n` lower-case hexadecimal digits drawn from `rng` (one draw each).
inline std::string random_hex(std::mt19937_64& rng, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += digits[rng() % 16];
  return s;
}

/// A UUID-shaped id (8-4-4-4-12 hexadecimal digits).
inline std::string random_uuid(std::mt19937_64& rng) {
  const std::string a = random_hex(rng, 8), b = random_hex(rng, 4), c = random_hex(rng, 4), d = random_hex(rng, 4);
  return a + "-" + b + "-" + c + "-" + d + "-" + random_hex(rng, 12);
}

}  // namespace twinrisk_bench
