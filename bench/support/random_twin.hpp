#pragma once
// A uniformly random twin for I/O benchmarks: N nodes, M edges with random probabilities, a few
// entry points and crown jewels. Seeded and portable (splitmix64), so every run reads the same
// bytes. (Benchmarks of the analyses use the enterprise-shaped generator instead.)

#include <cstdint>
#include <string>

#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk_bench {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline twinrisk::twin random_twin(std::size_t n, std::size_t m, std::uint64_t seed = 42) {
  using namespace twinrisk;
  twin_builder b;
  b.reserve(n, m);
  for (std::size_t v = 0; v < n; ++v)
    b.add_node(std::to_string(v), {.kind = node_kind::host, .entry_point = v % 1000 == 1, .crown_jewel = v % 5000 == 7});
  std::uint64_t s = seed;
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t u = splitmix64(s) % n, v = splitmix64(s) % n;
    const double p = static_cast<double>(splitmix64(s) >> 11) * 0x1.0p-53;
    b.add_edge(u, v, {.kind = edge_kind::network_reach, .probability = p});
  }
  return std::move(b).build();
}

}  // namespace twinrisk_bench
