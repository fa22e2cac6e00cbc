#pragma once
/// Choke points: the edges and nodes most attack paths squeeze through. Two measures: the share of the
/// k most probable paths' probability mass that crosses each edge (fast, from the path search),
/// and, for the leading edges, the fraction of simulated worlds in which removing that one edge
/// saves a crown jewel that fell — common random numbers, the same worlds with and without the
/// edge, so the fraction is exact for those worlds rather than a difference of two noisy
/// estimates.
///
///     auto points = choke_points(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t),
///                                {.k = 100, .trials = 20'000});
///     points.edges[0].element;  points.edges[0].path_share;  points.edges[0].saved_worlds.p;
///     points.nodes[0].element;  // a vertex: removing it means every edge into it

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include <boost/property_map/property_map.hpp>

#include "twinrisk/execution.hpp"
#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/sim/compromise.hpp"

namespace twinrisk {

/// Options of `choke_points`.
struct choke_point_options {
  std::size_t k = 100;            ///< paths whose probability mass is shared out
  std::size_t simulated = 10;     ///< leading edges, and leading nodes, whose saved worlds are simulated (0: none)
  std::uint64_t trials = 20'000;  ///< worlds per simulation
  std::uint64_t seed = 1;
  std::vector<char> all_gates{};  ///< by vertex: 1 = AND gate
  const cancellation_token* cancel = nullptr;  ///< stop early: the shares found so far, no more simulations
};

/// One edge or node and how much attack flows through it.
struct choke_point {
  std::size_t element = 0;    ///< edge index, or vertex
  double path_share = 0.0;    ///< share of the top-k paths' probability mass through it
  std::size_t paths = 0;      ///< how many of those paths use it
  /// Worlds in which some target that fell no longer falls once the element is removed (a node:
  /// every edge into it), as a fraction of all worlds, with its interval; p = -1 when not simulated.
  estimate saved_worlds{-1.0, 0.0, 0.0, 0.0};
};

/// Edges and nodes (other than the sources and targets), each by descending path share.
struct choke_point_result {
  std::vector<choke_point> edges, nodes;
  /// Stopped by the token: the path shares come from the paths found before the stop, and only
  /// the saved worlds simulated in full are filled in (the rest keep p = -1).
  bool cancelled = false;
};

/// The choke points of the `options.k` most probable paths from `sources` to `targets`, by
/// descending path share (ties by index); the first `options.simulated` edges and nodes also get
/// their saved worlds, with edge probabilities `prob`.
/// Complexity: one k-paths search, plus (2 · simulated + 1) compromise simulations.
/// Determinism: identical for every thread count. Cancellation: `options.cancel` stops the search
/// or the simulations; the result says so. Throws: what the searches throw.
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
choke_point_result choke_points(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                                const ProbMap& prob, const choke_point_options& options = {}, Exec exec = {}) {
  const auto index = get(boost::edge_index, g);
  const paths_result found = k_most_probable_paths(g, sources, targets, prob, {.k = options.k, .cancel = options.cancel}, exec);
  std::vector<char> endpoint(num_vertices(g), 0);
  for (auto v : sources) endpoint[v] = 1;
  for (auto v : targets) endpoint[v] = 1;
  double mass = 0.0;
  std::map<std::size_t, choke_point> by_edge, by_node;
  auto count = [](std::map<std::size_t, choke_point>& into, std::size_t x, double probability) {
    choke_point& c = into[x];
    c.element = x;
    c.path_share += probability;
    ++c.paths;
  };
  for (const attack_path& path : found.paths) {
    mass += path.probability;
    for (std::size_t e : path.edges) count(by_edge, e, path.probability);
    for (std::size_t v : path.vertices)
      if (!endpoint[v]) count(by_node, v, path.probability);
  }
  auto ranked = [&](std::map<std::size_t, choke_point>& from) {
    std::vector<choke_point> out;
    for (auto& [x, c] : from) {
      if (mass > 0.0) c.path_share /= mass;
      out.push_back(c);
    }
    std::stable_sort(out.begin(), out.end(), [](const choke_point& a, const choke_point& b) { return a.path_share > b.path_share; });
    return out;
  };
  choke_point_result r{ranked(by_edge), ranked(by_node), found.cancelled};
  auto stopped = [&] {
    if (options.cancel != nullptr && options.cancel->cancelled()) r.cancelled = true;
    return r.cancelled;
  };
  const std::size_t edges_simulated = std::min(options.simulated, r.edges.size());
  const std::size_t nodes_simulated = std::min(options.simulated, r.nodes.size());
  if (options.trials == 0 || edges_simulated + nodes_simulated == 0 || stopped()) return r;
  // The same worlds with the element's edges dead: a target saved is one that fell before only.
  const simulation_options sim{.trials = options.trials, .seed = options.seed, .all_gates = options.all_gates,
                               .keep_target_worlds = true, .cancel = options.cancel};
  const simulation_result before = simulate_compromise(g, sources, targets, prob, sim, exec);
  if (before.cancelled || stopped()) return r;
  const std::size_t words = (options.trials + 63) / 64, count_targets = before.targets.size();
  const std::vector<double> p = probabilities_by_index(g, prob);
  std::vector<double> without = p;
  // The saved worlds with `dead` removed, into `saved_worlds`; false (it untouched) once stopped.
  auto saved_without = [&](const std::vector<std::size_t>& dead, estimate& saved_worlds) {
    if (stopped()) return false;
    for (std::size_t e : dead) without[e] = 0.0;
    const auto after = simulate_compromise(g, sources, targets, probability_map(g, without), sim, exec);
    for (std::size_t e : dead) without[e] = p[e];
    if (after.cancelled) {  // fewer worlds than `before`: not comparable
      r.cancelled = true;
      return false;
    }
    std::uint64_t saved = 0;
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < count_targets; ++i)
        bits |= before.target_worlds[w * count_targets + i] & ~after.target_worlds[w * count_targets + i];
      saved += static_cast<std::uint64_t>(std::popcount(bits));
    }
    saved_worlds = wilson_estimate(saved, before.trials);
    return true;
  };
  for (std::size_t i = 0; i < edges_simulated; ++i)
    if (!saved_without({r.edges[i].element}, r.edges[i].saved_worlds)) return r;
  if (nodes_simulated > 0) {
    std::vector<std::vector<std::size_t>> into(num_vertices(g));  // in-edges of the simulated nodes
    std::vector<char> wanted(num_vertices(g), 0);
    for (std::size_t i = 0; i < nodes_simulated; ++i) wanted[r.nodes[i].element] = 1;
    for (auto uv : boost::make_iterator_range(edges(g)))
      if (wanted[target(uv, g)]) into[target(uv, g)].push_back(get(index, uv));
    for (std::size_t i = 0; i < nodes_simulated; ++i)
      if (!saved_without(into[r.nodes[i].element], r.nodes[i].saved_worlds)) return r;
  }
  return r;
}

}  // namespace twinrisk
