#pragma once
/// Choke points: the edges most attack paths squeeze through. Two measures: the share of the
/// k most probable paths' probability mass that crosses each edge (fast, from the path search),
/// and, for the leading edges, the fraction of simulated worlds in which removing that one edge
/// saves a crown jewel that fell — common random numbers, the same worlds with and without the
/// edge, so the fraction is exact for those worlds rather than a difference of two noisy
/// estimates.
///
///     auto points = choke_points(t, t.entry_points(), t.crown_jewels(), p, {.k = 100, .trials = 20'000});
///     points[0].edge;  points[0].path_share;  points[0].saved_worlds.p;

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include <boost/property_map/property_map.hpp>

#include "twinrisk/execution.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/sim/compromise.hpp"

namespace twinrisk {

/// Options of `choke_points`.
struct choke_point_options {
  std::size_t k = 100;            ///< paths whose probability mass is shared out
  std::size_t simulated = 10;     ///< leading edges whose saved worlds are simulated (0: none)
  std::uint64_t trials = 20'000;  ///< worlds per simulation
  std::uint64_t seed = 1;
  std::vector<char> all_gates{};  ///< by vertex: 1 = AND gate
};

/// One edge and how much attack flows through it.
struct choke_point {
  std::size_t edge = 0;       ///< edge index
  double path_share = 0.0;    ///< share of the top-k paths' probability mass through the edge
  std::size_t paths = 0;      ///< how many of those paths use it
  /// Worlds in which some target that fell no longer falls once the edge is removed, as a
  /// fraction of all worlds (with its interval); p = -1 when not simulated.
  estimate saved_worlds{-1.0, 0.0, 0.0, 0.0};
};

/// The edges of the `options.k` most probable paths from `sources` to `targets`, by descending
/// path share (ties by edge index); the first `options.simulated` also get their saved worlds.
/// `p` holds the edge probabilities by edge index.
/// Complexity: one k-paths search, plus (simulated + 1) compromise simulations.
/// Determinism: identical for every thread count. Throws: what the searches throw.
template <edge_indexed_graph G, class Exec = par>
std::vector<choke_point> choke_points(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                                      const std::vector<double>& p, const choke_point_options& options = {}, Exec exec = {}) {
  if (p.size() != num_edges(g)) throw model_error("probabilities have " + std::to_string(p.size()) + " entries for " +
                                                  std::to_string(num_edges(g)) + " edges");
  const auto index = get(boost::edge_index, g);
  const auto prob = boost::make_iterator_property_map(p.cbegin(), index);
  const paths_result found = k_most_probable_paths(g, sources, targets, prob, {.k = options.k}, exec);
  double mass = 0.0;
  std::map<std::size_t, choke_point> by_edge;
  for (const attack_path& path : found.paths) {
    mass += path.probability;
    for (std::size_t e : path.edges) {
      choke_point& c = by_edge[e];
      c.edge = e;
      c.path_share += path.probability;
      ++c.paths;
    }
  }
  std::vector<choke_point> out;
  for (auto& [e, c] : by_edge) {
    if (mass > 0.0) c.path_share /= mass;
    out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(), [](const choke_point& a, const choke_point& b) { return a.path_share > b.path_share; });
  const std::size_t simulated = std::min(options.simulated, out.size());
  if (simulated == 0 || options.trials == 0) return out;
  const simulation_options sim{.trials = options.trials, .seed = options.seed, .all_gates = options.all_gates, .keep_target_worlds = true};
  const simulation_result before = simulate_compromise(g, sources, targets, prob, sim, exec);
  const std::size_t words = (options.trials + 63) / 64, count = before.targets.size();
  auto any_saved = [&](const simulation_result& after, std::size_t w) {  // trials of word w where a target is saved
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < count; ++i) bits |= before.target_worlds[w * count + i] & ~after.target_worlds[w * count + i];
    return bits;
  };
  std::vector<double> without = p;
  for (std::size_t i = 0; i < simulated; ++i) {
    const std::size_t e = out[i].edge;
    without[e] = 0.0;
    const auto after = simulate_compromise(g, sources, targets, boost::make_iterator_property_map(without.cbegin(), index), sim, exec);
    without[e] = p[e];
    std::uint64_t saved = 0;
    for (std::size_t w = 0; w < words; ++w) saved += static_cast<std::uint64_t>(std::popcount(any_saved(after, w)));
    out[i].saved_worlds = wilson_estimate(saved, before.trials);
  }
  return out;
}

}  // namespace twinrisk
