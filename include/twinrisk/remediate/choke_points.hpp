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
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include <boost/property_map/property_map.hpp>
#include <tbb/enumerable_thread_specific.h>

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
  /// Stopped by the token: the path shares come from the paths found before the stop, and no
  /// saved worlds are filled in unless every world was simulated (p = -1).
  bool cancelled = false;
};

/// The choke points of the `options.k` most probable paths from `sources` to `targets`, by
/// descending path share (ties by index); the first `options.simulated` edges and nodes also get
/// their saved worlds, with edge probabilities `prob`.
/// Complexity: one k-paths search, plus (2 · simulated + 1) runs of each block of worlds, whose
/// edge masks are drawn once for all of them.
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
  detail::check_trial_count(options.trials);
  // The elements' edges, by edge index: an element is removed by killing them.
  std::vector<std::vector<std::size_t>> dead;
  for (std::size_t i = 0; i < edges_simulated; ++i) dead.push_back({r.edges[i].element});
  if (nodes_simulated > 0) {
    std::vector<std::size_t> row(num_vertices(g), nodes_simulated);  // the node's place among the simulated ones
    for (std::size_t i = 0; i < nodes_simulated; ++i) row[r.nodes[i].element] = i;
    dead.resize(edges_simulated + nodes_simulated);
    for (auto uv : boost::make_iterator_range(edges(g)))
      if (const std::size_t i = row[target(uv, g)]; i < nodes_simulated) dead[edges_simulated + i].push_back(get(index, uv));
  }
  // Each block of worlds is simulated as it is and then once per element with the element's
  // edges dead — the same worlds (common random numbers), so a target saved is one that fell
  // only before — and the masks the block draws serve every run of it: one draw per edge and
  // block instead of one per simulation.
  constexpr std::uint64_t block_trials = 64 * detail::block_words;
  const std::uint64_t blocks = (options.trials + block_trials - 1) / block_trials;
  std::vector<std::atomic<std::uint64_t>> saved(dead.size());  // integer sums: the same in any order
  std::atomic<std::uint64_t> trials_done{0};
  detail::run_with(exec, [&] {
    const detail::compromise_problem c = detail::make_compromise_problem(g, sources, targets, prob, options.all_gates, detail::is_parallel<Exec>);
    std::vector<std::vector<std::uint32_t>> dead_slots(dead.size());
    std::vector<std::uint32_t> slot_of(num_edges(g), std::numeric_limits<std::uint32_t>::max());  // edges of p > 0 only
    for (std::size_t slot = 0; slot < c.lane.size(); ++slot) slot_of[c.lane[slot]] = static_cast<std::uint32_t>(slot);
    for (std::size_t v = 0; v < dead.size(); ++v)
      for (std::size_t e : dead[v])
        if (slot_of[e] != std::numeric_limits<std::uint32_t>::max()) dead_slots[v].push_back(slot_of[e]);
    const std::size_t count_targets = c.target_ids.size();
    struct scratch {
      detail::compromise_workspace w;
      std::vector<std::uint64_t> before, after;
    };
    tbb::enumerable_thread_specific<scratch> scratches;
    detail::for_each_index(detail::is_parallel<Exec>, std::uint64_t{0}, blocks, options.cancel, [&](std::uint64_t b) {
      scratch& x = scratches.local();
      std::uint64_t valid[detail::block_words];
      detail::valid_words_of_block(b, options.trials, valid);
      const auto block = static_cast<std::uint32_t>(b);
      x.before.assign(detail::block_words * count_targets, 0);
      const std::uint32_t stamp = detail::simulate_block(c, options.seed, block, valid, x.w, x.before.data());
      for (std::size_t v = 0; v < dead_slots.size(); ++v) {
        for (std::uint32_t slot : dead_slots[v]) x.w.edges.kill(slot, stamp);
        x.after.assign(detail::block_words * count_targets, 0);
        detail::simulate_block(c, options.seed, block, valid, x.w, x.after.data(), nullptr, stamp);
        for (std::uint32_t slot : dead_slots[v]) x.w.edges.forget(slot);
        std::uint64_t here = 0;
        for (std::size_t k = 0; k < detail::block_words; ++k) {
          std::uint64_t bits = 0;
          for (std::size_t i = 0; i < count_targets; ++i) bits |= x.before[k * count_targets + i] & ~x.after[k * count_targets + i];
          here += static_cast<std::uint64_t>(std::popcount(bits));
        }
        saved[v] += here;
      }
      trials_done += std::min<std::uint64_t>(block_trials, options.trials - b * block_trials);
    });
  });
  if (trials_done.load() < options.trials) {  // cancelled: fewer worlds than asked, no fraction is filled in
    r.cancelled = true;
    return r;
  }
  for (std::size_t i = 0; i < edges_simulated; ++i) r.edges[i].saved_worlds = wilson_estimate(saved[i].load(), options.trials);
  for (std::size_t i = 0; i < nodes_simulated; ++i) r.nodes[i].saved_worlds = wilson_estimate(saved[edges_simulated + i].load(), options.trials);
  return r;
}

}  // namespace twinrisk
