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
#include <utility>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "twinrisk/model/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/paths/attack_path.hpp"
#include "twinrisk/paths/path_index.hpp"

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

/// A unit of parallel work: the paths from `source` whose first edge is a slot in
/// [first, last), plus the 0-hop path when `with_source` (one item per source carries it).
struct enumeration_item {
  std::uint32_t source;
  std::size_t first, last;
  bool with_source;
};

/// Depth-first enumeration of one item; `emit(path, probability)` returns false to stop.
/// `on_path` is all zero between runs, so one thread reuses it across items.
struct path_dfs {
  const search_graph& s;
  const std::vector<char>& is_target;
  const target_hops& reach;
  const query_mask& mask;
  std::size_t max_hops;
  double floor;
  const cancellation_token* cancel;
  std::vector<char>& on_path;
  flat_path path{};
  std::uint64_t extensions = 0;

  template <class Emit>
  bool run(const enumeration_item& item, Emit& emit) {
    path.vertices.assign(1, item.source);
    path.slots.clear();
    if (item.with_source && is_target[item.source] && !emit(path, 1.0)) return false;
    on_path[item.source] = 1;
    const bool go_on = expand(1.0, emit, item.first, item.last);
    on_path[item.source] = 0;
    return go_on;
  }

  /// Follows the out-edges at positions [first, last) of `reach.near_*` of the last vertex of
  /// `path`, reached with probability p.
  template <class Emit>
  bool expand(double p, Emit& emit, std::size_t first, std::size_t last) {
    const std::size_t hops = path.slots.size();
    if (hops == max_hops) return true;
    if (cancel != nullptr && (extensions & 0xFFF) == 0 && cancel->cancelled()) return false;
    for (std::size_t j = first; j < last; ++j) {
      if (hops + 1 + reach.near_hops[j] > max_hops) break;  // so are all later edges (no_vertex is huge)
      const std::uint32_t w = reach.near_target[j];
      if (j + 1 < last) prefetch(&s.out_begin[reach.near_target[j + 1]]);
      if (on_path[w] || mask.blocks(w) || mask.blocks_slot(reach.near_slot[j])) continue;
      const double q = p * reach.near_prob[j];
      if (q < floor) continue;
      ++extensions;
      path.vertices.push_back(w);
      path.slots.push_back(reach.near_slot[j]);
      bool go_on = reach.near_hops[j] != 0 || emit(path, q);  // 0 hops: w is a target
      if (go_on && hops + 1 < max_hops) {
        on_path[w] = 1;
        go_on = expand(q, emit, s.out_begin[w], s.out_begin[w + 1]);
        on_path[w] = 0;
      }
      path.vertices.pop_back();
      path.slots.pop_back();
      if (!go_on) return false;
    }
    return true;
  }
};

/// Shared driver: `per_item(dfs, item_index, item)` runs one item's enumeration. Items are each
/// source's out-edges in fixed chunks (the internet reaches thousands of vertices; one task per
/// source would leave a core idle), in source order, then nearest-target-first edge order.
template <class V, class Exec, class PerItem>
enumeration_result enumerate(const path_index& index, const std::vector<V>& sources, const enumeration_options& options,
                             Exec exec, PerItem per_item, bool parallel_items) {
  const query_mask mask = make_query_mask(index, options.excluded_vertices, options.excluded_edges);
  std::vector<char> seen = vertex_flags(index.num_vertices(), sources, "source");
  enumeration_result result;
  run_with(exec, [&] {
    const search_graph& s = index.graph();
    const target_hops& reach = index.hops_to_targets(is_parallel<Exec>);
    const std::vector<std::uint32_t>& hops = reach.hops;
    std::vector<enumeration_item> items;
    constexpr std::size_t chunk = 16;
    for (V v : sources) {
      const auto source = static_cast<std::uint32_t>(v);
      if (!seen[source]) continue;  // each source once, in the order given
      seen[source] = 0;
      if (mask.blocks(source) || hops[source] > options.max_hops) continue;  // no target within reach
      const std::size_t begin = s.out_begin[source], end = s.out_begin[source + 1];
      items.push_back({source, begin, std::min(end, begin + chunk), true});
      for (std::size_t i = begin + chunk; i < end; i += chunk) items.push_back({source, i, std::min(end, i + chunk), false});
    }
    std::vector<std::uint64_t> extensions(items.size(), 0);
    tbb::enumerable_thread_specific<std::vector<char>> on_path(std::vector<char>(s.n, 0));
    auto one = [&](std::size_t i) {
      path_dfs dfs{s,    index.target_flags(), reach, mask, options.max_hops, options.min_probability,
                   options.cancel, on_path.local()};
      per_item(dfs, i, items[i]);
      extensions[i] = dfs.extensions;
    };
    for_each_index(is_parallel<Exec> && parallel_items, std::size_t{0}, items.size(), one);
    for (std::uint64_t e : extensions) result.extensions += e;
  });
  result.cancelled = options.cancel != nullptr && options.cancel->cancelled();
  return result;
}

}  // namespace detail

/// Counts the simple paths from `sources` to the targets of `index` with at most
/// `options.max_hops` edges (and probability >= `options.min_probability`), without
/// materialising them. Paths may pass through other sources and targets; a source that is a
/// target counts as a 0-hop path; edges of probability 0 are never used.
/// Complexity: proportional to the number of extensions the pruned search makes; the first
/// bounded query on an index adds one reverse BFS, O(V + E).
/// Determinism: the count is the same for every thread count.
/// Throws: model_error on a vertex or index out of range.
template <class V, class Exec = par>
enumeration_result count_paths(const path_index& index, const std::vector<V>& sources,
                               const enumeration_options& options = {}, Exec exec = {}) {
  std::atomic<std::uint64_t> total{0};
  auto per_item = [&total](detail::path_dfs& dfs, std::size_t, const detail::enumeration_item& item) {
    std::uint64_t count = 0;
    auto emit = [&count](const detail::flat_path&, double) {
      ++count;
      return true;
    };
    dfs.run(item, emit);
    total.fetch_add(count, std::memory_order_relaxed);
  };
  enumeration_result r = detail::enumerate(index, sources, options, exec, per_item, true);
  r.paths = total.load();
  return r;
}

/// Calls `visit(const attack_path&)` for every simple path from `sources` to the targets of
/// `index` with at most `options.max_hops` edges; `visit` returns false to stop early.
/// With `options.ordered` (the default) `visit` runs on the calling thread and sees the paths in
/// a reproducible order: by source (in the order given), then depth-first taking each vertex's
/// out-edges nearest-target first (fewest hops to a target; ties in out-edge order).
/// Without it, the search runs in parallel and `visit` is called concurrently from several
/// threads (it must be thread-safe), in no fixed order: the fast mode. Work is split into
/// chunks of each source's out-edges, so one busy source does not serialise the search.
/// Determinism: in ordered mode, identical output for every thread count.
/// Throws: as count_paths, and whatever `visit` throws.
template <class V, class Visitor, class Exec = par>
enumeration_result for_each_path(const path_index& index, const std::vector<V>& sources, Visitor&& visit,
                                 const enumeration_options& options = {}, Exec exec = {}) {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> visited{0};
  auto per_item = [&](detail::path_dfs& dfs, std::size_t, const detail::enumeration_item& item) {
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
    dfs.run(item, emit);
  };
  enumeration_result r = detail::enumerate(index, sources, options, exec, per_item, !options.ordered);
  r.paths = visited.load();
  r.stopped = stop.load();
  return r;
}

/// One count on a graph: builds a `path_index` for `targets` and counts on it.
/// Throws: input_error on a probability outside [0,1]; model_error on a vertex or index out of range.
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
enumeration_result count_paths(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                               const ProbMap& prob, const enumeration_options& options = {}, Exec exec = {}) {
  return count_paths(path_index(g, prob, targets, exec), sources, options, exec);
}

/// One enumeration on a graph: builds a `path_index` for `targets` and enumerates on it.
/// Throws: as count_paths, and whatever `visit` throws.
template <edge_indexed_graph G, class ProbMap, class Visitor, class Exec = par>
  requires edge_probability_map<ProbMap, G>
enumeration_result for_each_path(const G& g, const std::vector<vertex_t<G>>& sources,
                                 const std::vector<vertex_t<G>>& targets, const ProbMap& prob, Visitor&& visit,
                                 const enumeration_options& options = {}, Exec exec = {}) {
  return for_each_path(path_index(g, prob, targets, exec), sources, std::forward<Visitor>(visit), options, exec);
}

}  // namespace twinrisk
