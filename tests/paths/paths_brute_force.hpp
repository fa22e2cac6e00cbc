#pragma once
// Reference answers for the path algorithms: every simple source-to-target path of a small
// graph, found by plain recursion over an edge list (no graph library, no pruning).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/paths/attack_path.hpp"

namespace twinrisk_test {

struct plain_edge {
  std::size_t u, v;
  double p;
};

/// A seeded random twin with n nodes and m edges (self-loops and parallel edges included),
/// probabilities from `probs` (cycled) or random in [0.05, 0.95].
struct random_graph {
  twinrisk::twin twin;
  std::vector<plain_edge> edges;  // by edge index of the twin
  std::vector<std::size_t> sources, targets;
};

/// Fixed, portable test randomness (the generator's splitmix64).
inline std::uint64_t next_random(std::uint64_t& state) {
  twinrisk::detail::structure_rng rng{state};
  const std::uint64_t x = rng.next();
  state = rng.state;
  return x;
}

inline random_graph make_random_graph(std::uint64_t seed, std::size_t n, std::size_t m,
                                      const std::vector<double>& probs = {}) {
  using namespace twinrisk;
  std::uint64_t s = seed;
  twin_builder b;
  for (std::size_t v = 0; v < n; ++v) b.add_node("v" + std::to_string(v), {});
  std::vector<plain_edge> added;
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t u = next_random(s) % n, v = next_random(s) % n;
    const double p = probs.empty() ? 0.05 + 0.9 * static_cast<double>(next_random(s) % 1000) / 1000.0
                                   : probs[i % probs.size()];
    added.push_back({u, v, p});
    b.add_edge(u, v, {.probability = p});
  }
  random_graph r{std::move(b).build(), {}, {}, {}};
  r.edges.resize(m);
  for (auto uv : r.twin.edges())
    r.edges[r.twin.edge_index(uv)] = {r.twin.source(uv), r.twin.target(uv), r.twin[uv].probability};
  const std::size_t ns = 1 + next_random(s) % 3, nt = 1 + next_random(s) % 3;
  for (std::size_t i = 0; i < ns; ++i) r.sources.push_back(next_random(s) % n);
  for (std::size_t i = 0; i < nt; ++i) r.targets.push_back(next_random(s) % n);
  return r;
}

/// Every simple path (vertices distinct) from a source to a target with at most `max_hops`
/// edges, skipping edges of probability 0, in `more_probable` order.
inline std::vector<twinrisk::attack_path> all_paths(std::size_t n, const std::vector<plain_edge>& edges,
                                                    std::vector<std::size_t> sources, const std::vector<std::size_t>& targets,
                                                    std::size_t max_hops) {
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  std::vector<char> is_target(n, 0);
  for (std::size_t t : targets) is_target[t] = 1;
  std::vector<twinrisk::attack_path> out;
  twinrisk::attack_path cur;
  auto rec = [&](auto&& self, std::size_t v) -> void {
    if (is_target[v]) out.push_back(cur);
    if (cur.edges.size() == max_hops) return;
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (edges[e].u != v || edges[e].p == 0.0) continue;
      if (std::find(cur.vertices.begin(), cur.vertices.end(), edges[e].v) != cur.vertices.end()) continue;
      cur.vertices.push_back(edges[e].v);
      cur.edges.push_back(e);
      const double saved = cur.probability;
      cur.probability *= edges[e].p;
      self(self, edges[e].v);
      cur.probability = saved;
      cur.vertices.pop_back();
      cur.edges.pop_back();
    }
  };
  for (std::size_t s : sources) {
    cur = {{s}, {}, 1.0};
    rec(rec, s);
  }
  std::sort(out.begin(), out.end(), twinrisk::more_probable);
  return out;
}

}  // namespace twinrisk_test
