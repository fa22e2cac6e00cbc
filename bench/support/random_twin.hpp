#pragma once
// A uniformly random twin for I/O benchmarks: N nodes, M edges with random probabilities, a few
// entry points and crown jewels. Seeded and portable (the generator's splitmix64), so every run reads the same
// bytes. (Benchmarks of the analyses use the enterprise-shaped generator instead.)

#include <cstdint>
#include <string>

#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk_bench {

inline twinrisk::twin random_twin(std::size_t n, std::size_t m, std::uint64_t seed = 42) {
  using namespace twinrisk;
  twin_builder b;
  b.reserve(n, m);
  for (std::size_t v = 0; v < n; ++v)
    b.add_node(std::to_string(v), {.kind = node_kind::host, .entry_point = v % 1000 == 1, .crown_jewel = v % 5000 == 7});
  twinrisk::detail::structure_rng rng{seed};
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t u = rng.below(n), v = rng.below(n);
    const double p = rng.uniform();
    b.add_edge(u, v, {.kind = edge_kind::network_reach, .probability = p});
  }
  return std::move(b).build();
}

}  // namespace twinrisk_bench
