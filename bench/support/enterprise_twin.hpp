#pragma once
// The synthetic enterprise twins every analysis benchmark runs on, made once per process:
// size 0 small (10k nodes / ~100k edges), 1 medium (100k / ~1M), 2 large (1M / ~10M), seed 1.

#include <cstddef>
#include <cstdint>
#include <map>

#include "twinrisk/model/generate.hpp"

namespace twinrisk_bench {

inline const twinrisk::twin& enterprise(std::int64_t size) {
  static std::map<std::int64_t, twinrisk::twin> made;
  constexpr std::size_t nodes[] = {10'000, 100'000, 1'000'000};
  twinrisk::twin& t = made[size];
  if (t.num_nodes() == 0) t = twinrisk::generate_enterprise({.nodes = nodes[size], .seed = 1});
  return t;
}

}  // namespace twinrisk_bench
