#pragma once
/// Bounded enumeration: every simple path from a source to a target with at most H hops,
/// streamed to a visitor (`for_each_path`) or only counted (`count_paths`).
///
/// Depth-first search from each source, pruning any extension whose remaining hop budget is
/// below the vertex's hop distance to the nearest target (one reverse BFS), and any prefix
/// whose probability fell under the floor. Sources are independent work items, searched in
/// parallel with oneTBB.
///
///     count_paths(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t), {.max_hops = 4});
///     for_each_path(t, sources, targets, prob, [](const attack_path& p) { ...; return true; },
///                   {.max_hops = 3});   // return false to stop

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <tbb/parallel_for.h>

#include "twinrisk/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/paths/attack_path.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

namespace twinrisk {

/// Options of bounded enumeration.
struct enumeration_options {
  std::size_t max_hops = 3;                    ///< longest path in edges (required, >= 0)
  double min_probability = 0.0;                ///< prune prefixes less probable than this
  bool ordered = true;                         ///< visit in a reproducible order (see for_each_path)
  std::vector<std::size_t> excluded_vertices{};  ///< never entered
  std::vector<std::size_t> excluded_edges{};     ///< by edge index
  const cancellation_token* cancel = nullptr;
};

/// What an enumeration did.
struct enumeration_result {
  std::uint64_t paths = 0;       ///< paths visited (or counted)
  std::uint64_t extensions = 0;  ///< edges the search followed: the work measure
  bool stopped = false;          ///< the visitor returned false
  bool cancelled = false;
};

namespace detail {

/// Depth-first enumeration from one source; `emit(path)` returns false to stop.
struct path_dfs {
  const search_graph& s;
  const std::vector<char>& is_target;
  const std::vector<std::uint32_t>& hops_to_target;
  std::size_t max_hops;
  double floor;
  const cancellation_token* cancel;
  std::vector<char> on_path;
  flat_path path;
  std::uint64_t extensions = 0;

  template <class Emit>
  bool run(std::uint32_t source, Emit& emit) {
    if (on_path.size() != s.n) on_path.assign(s.n, 0);
    path.vertices.assign(1, source);
    path.slots.clear();
    on_path[source] = 1;
    const bool go_on = extend(source, 1.0, emit);
    on_path[source] = 0;
    return go_on;
  }

  template <class Emit>
  bool extend(std::uint32_t v, double p, Emit& emit) {
    if (is_target[v] && !emit(path, p)) return false;
    const std::size_t hops = path.slots.size();
    if (hops == max_hops) return true;
    if ((extensions & 0xFFF) == 0 && cancel != nullptr && cancel->cancelled()) return false;
    for (std::size_t i = s.out_begin[v]; i < s.out_begin[v + 1]; ++i) {
      const std::uint32_t w = s.out_target[i];
      if (on_path[w] || hops_to_target[w] == no_vertex || hops + 1 + hops_to_target[w] > max_hops) continue;
      const double q = p * s.out_prob[i];
      if (q < floor) continue;
      ++extensions;
      on_path[w] = 1;
      path.vertices.push_back(w);
      path.slots.push_back(i);
      const bool go_on = extend(w, q, emit);
      path.vertices.pop_back();
      path.slots.pop_back();
      on_path[w] = 0;
      if (!go_on) return false;
    }
    return true;
  }
};

/// Shared driver: `per_source(dfs, source_index, source)` runs one source's enumeration.
template <class G, class ProbMap, class Exec, class PerSource>
enumeration_result enumerate(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                             const ProbMap& prob, const enumeration_options& options, Exec exec, PerSource per_source,
                             bool parallel_sources) {
  search_problem problem = prepare_search(g, sources, targets, prob, options.excluded_vertices, options.excluded_edges);
  const search_graph& s = problem.graph;
  const std::vector<char>& is_target = problem.is_target;
  std::vector<char>& seen = problem.is_source;
  std::vector<std::uint32_t> unique_sources;  // each source once, in the order given
  for (auto v : sources)
    if (seen[static_cast<std::size_t>(v)]) {
      seen[static_cast<std::size_t>(v)] = 0;
      unique_sources.push_back(static_cast<std::uint32_t>(v));
    }
  const std::vector<std::uint32_t> hops = hops_to_targets(s, is_target);
  enumeration_result result;
  std::vector<std::uint64_t> extensions(unique_sources.size(), 0);
  auto one = [&](std::size_t i) {
    path_dfs dfs{s, is_target, hops, options.max_hops, options.min_probability, options.cancel, {}, {}, 0};
    if (hops[unique_sources[i]] != no_vertex && hops[unique_sources[i]] <= options.max_hops)
      per_source(dfs, i, unique_sources[i]);
    extensions[i] = dfs.extensions;
  };
  run_with(exec, [&] {
    if constexpr (is_parallel<Exec>) {
      if (parallel_sources) {
        tbb::parallel_for(std::size_t{0}, unique_sources.size(), one);
        return;
      }
    }
    for (std::size_t i = 0; i < unique_sources.size(); ++i) one(i);
  });
  for (std::uint64_t e : extensions) result.extensions += e;
  result.cancelled = options.cancel != nullptr && options.cancel->cancelled();
  return result;
}

}  // namespace detail

/// Counts the simple paths from `sources` to `targets` with at most `options.max_hops` edges
/// (and probability >= `options.min_probability`), without materialising them. Paths may pass
/// through other sources and targets; a source that is a target counts as a 0-hop path; edges of
/// probability 0 are never used.
/// Complexity: proportional to the number of extensions the pruned search makes.
/// Determinism: the count is the same for every thread count.
/// Throws: model_error on a vertex or index out of range; input_error on a probability outside [0,1].
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
enumeration_result count_paths(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                               const ProbMap& prob, const enumeration_options& options = {}, Exec exec = {}) {
  std::vector<std::uint64_t> counts(sources.size(), 0);
  auto per_source = [&counts](detail::path_dfs& dfs, std::size_t i, std::uint32_t source) {
    auto emit = [&counts, i](const detail::flat_path&, double) {
      ++counts[i];
      return true;
    };
    dfs.run(source, emit);
  };
  enumeration_result r = detail::enumerate(g, sources, targets, prob, options, exec, per_source, true);
  for (std::uint64_t c : counts) r.paths += c;
  return r;
}

/// Calls `visit(const attack_path&)` for every simple path from `sources` to `targets` with at
/// most `options.max_hops` edges; `visit` returns false to stop early.
/// With `options.ordered` (the default) `visit` runs on the calling thread and sees the paths in
/// a reproducible order: by source (in the order given), then depth-first in out-edge order.
/// Without it, sources are searched in parallel and `visit` is called concurrently from
/// several threads (it must be thread-safe), in no fixed order: the fast mode.
/// Determinism: in ordered mode, identical output for every thread count.
/// Throws: as count_paths, and whatever `visit` throws.
template <edge_indexed_graph G, class ProbMap, class Visitor, class Exec = par>
  requires edge_probability_map<ProbMap, G>
enumeration_result for_each_path(const G& g, const std::vector<vertex_t<G>>& sources,
                                 const std::vector<vertex_t<G>>& targets, const ProbMap& prob, Visitor&& visit,
                                 const enumeration_options& options = {}, Exec exec = {}) {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> visited{0};
  auto per_source = [&](detail::path_dfs& dfs, std::size_t, std::uint32_t source) {
    if (stop.load(std::memory_order_relaxed)) return;
    auto emit = [&](const detail::flat_path& p, double probability) {
      if (stop.load(std::memory_order_relaxed)) return false;
      visited.fetch_add(1, std::memory_order_relaxed);
      if (!visit(detail::to_attack_path(dfs.s, p, probability))) {
        stop.store(true, std::memory_order_relaxed);
        return false;
      }
      return true;
    };
    dfs.run(source, emit);
  };
  enumeration_result r = detail::enumerate(g, sources, targets, prob, options, exec, per_source, !options.ordered);
  r.paths = visited.load();
  r.stopped = stop.load();
  return r;
}

}  // namespace twinrisk
