#pragma once
/// `path_index`: a graph prepared for repeated path queries towards one set of targets (the
/// crown jewels). Building it copies the traversable edges (probability > 0) into flat forward
/// and reverse arrays with costs -ln p, in parallel, O(V + E); the lower bounds the searches
/// use — cost and hop distance to the nearest target — are computed on first need and kept.
/// Every later query (other entry points, excluded vertices or edges — the what-if questions of
/// remediation planning) then costs only what it explores.
///
///     path_index index(t, get(&edge::probability, t), t.crown_jewels());
///     auto top = k_most_probable_paths(index, t.entry_points(), {.k = 10});
///     auto fewer = k_most_probable_paths(index, t.entry_points(), {.k = 10, .excluded_edges = {42}});
///
/// The index keeps no reference to the graph. Queries may run concurrently on one index.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "twinrisk/model/detail/search_graph.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/paths/attack_path.hpp"

namespace twinrisk {

namespace detail {

/// A value computed once, on first use, safely from concurrent readers.
template <class T>
class computed_once {
 public:
  template <class Make>
  const T& get(Make&& make) const {
    std::call_once(*once_, [&] { value_ = make(); });
    return value_;
  }

 private:
  std::unique_ptr<std::once_flag> once_ = std::make_unique<std::once_flag>();
  mutable T value_{};
};

/// Memory one thread reuses across the spur searches of k_most_probable_paths, so a search costs
/// what it explores rather than O(V): arrays stamped with the search's generation instead of
/// cleared. The index keeps one per thread across queries. Sharing is safe because a spur
/// search never waits on other tasks while it holds its thread's workspace.
struct spur_workspace {
  struct label {
    double g;
    std::size_t parent;  // index into labels, or npos
    std::uint32_t v;
    std::uint32_t hops;
    std::size_t slot;  // slot used to reach v
  };
  using item = std::pair<double, std::size_t>;  // f, label

  std::uint32_t generation = 0;
  std::vector<std::uint32_t> state_stamp, blocked_stamp, tree_stamp;  // == generation: set in this search
  std::vector<std::size_t> state_label;  // best label of a vertex (unbounded searches)
  std::vector<char> tree_usable;         // the vertex's tree path avoids everything blocked
  std::vector<std::uint32_t> walk;
  std::unordered_map<std::uint64_t, std::size_t> hop_states;  // (vertex, hops) -> label (bounded)
  std::vector<label> labels;
  std::vector<item> heap;

  void start(std::size_t n) {
    if (state_stamp.size() != n) {
      state_stamp.assign(n, 0);
      blocked_stamp.assign(n, 0);
      tree_stamp.assign(n, 0);
      state_label.assign(n, 0);
      tree_usable.assign(n, 0);
      generation = 0;
    }
    if (++generation == 0) {  // wrapped: forget every stamp
      std::fill(state_stamp.begin(), state_stamp.end(), 0);
      std::fill(blocked_stamp.begin(), blocked_stamp.end(), 0);
      std::fill(tree_stamp.begin(), tree_stamp.end(), 0);
      generation = 1;
    }
    hop_states.clear();
    labels.clear();
    heap.clear();
  }
};

// Called from path_index, whose members of the same names would hide the graph's functions.
template <class G>
std::size_t vertex_count(const G& g) {
  return num_vertices(g);
}
template <class G>
std::size_t edge_count(const G& g) {
  return num_edges(g);
}

}  // namespace detail

class path_index {
 public:
  /// Prepares `g` for queries towards `targets`, with edge probabilities from `prob`.
  /// Throws: input_error on a probability outside [0,1] or NaN; model_error on a target out of
  /// range or a graph of 2^32 vertices or more.
  template <edge_indexed_graph G, class ProbMap, class Exec = par>
    requires edge_probability_map<ProbMap, G>
  path_index(const G& g, const ProbMap& prob, const std::vector<vertex_t<G>>& targets, Exec exec = {})
      : num_edges_(detail::edge_count(g)) {
    is_target_ = detail::vertex_flags(detail::vertex_count(g), targets, "target");
    detail::run_with(exec, [&] { graph_ = detail::make_search_graph(g, prob, detail::is_parallel<Exec>); });
  }

  /// Computes now what the first queries would otherwise compute (both the shortest-path tree
  /// and the hop distances to the targets): for services that want every query equally fast.
  template <class Exec = par>
  void precompute(Exec exec = {}) const {
    detail::run_with(exec, [this] {
      (void)tree_to_targets(detail::is_parallel<Exec>);
      (void)hops_to_targets(detail::is_parallel<Exec>);
    });
  }

  /// Vertices and edges of the graph the index was built from.
  [[nodiscard]] std::size_t num_vertices() const noexcept { return graph_.n; }
  [[nodiscard]] std::size_t num_edges() const noexcept { return num_edges_; }
  [[nodiscard]] bool is_target(std::size_t v) const { return is_target_.at(v) != 0; }

  // For the path algorithms.
  [[nodiscard]] const detail::search_graph& graph() const noexcept { return graph_; }
  [[nodiscard]] const std::vector<char>& target_flags() const noexcept { return is_target_; }
  /// The cheapest paths to the targets (costs -ln p); cost infinite when none is reachable.
  /// Built by the first caller, on oneTBB workers when `parallel`.
  [[nodiscard]] const detail::target_tree& tree_to_targets(bool parallel = false) const {
    return tree_.get([this, parallel] { return detail::tree_to_targets(graph_, is_target_, parallel); });
  }
  /// Fewest hops to any target (detail::no_vertex when none is reachable), and the edge orders
  /// that go with them. Built by the first caller, on oneTBB workers when `parallel`.
  [[nodiscard]] const detail::target_hops& hops_to_targets(bool parallel = false) const {
    return hops_.get([this, parallel] { return detail::hops_to_targets(graph_, is_target_, parallel); });
  }

  /// The calling thread's spur-search memory.
  [[nodiscard]] detail::spur_workspace& spur_workspace() const { return spur_workspaces_.local(); }

 private:
  detail::search_graph graph_;
  std::vector<char> is_target_;
  std::size_t num_edges_ = 0;
  detail::computed_once<detail::target_tree> tree_;
  detail::computed_once<detail::target_hops> hops_;
  mutable tbb::enumerable_thread_specific<detail::spur_workspace> spur_workspaces_;
};

namespace detail {

/// What one query may not use: flags by vertex and by flat-graph slot (empty = nothing).
struct query_mask {
  std::vector<char> vertex, slot;

  [[nodiscard]] bool blocks(std::uint32_t v) const noexcept { return !vertex.empty() && vertex[v]; }
  [[nodiscard]] bool blocks_slot(std::size_t i) const noexcept { return !slot.empty() && slot[i]; }
};

/// Throws: model_error on an index out of range.
inline query_mask make_query_mask(const path_index& index, const std::vector<std::size_t>& excluded_vertices,
                                  const std::vector<std::size_t>& excluded_edges) {
  query_mask mask;
  if (!excluded_vertices.empty()) mask.vertex = vertex_flags(index.num_vertices(), excluded_vertices, "excluded");
  if (!excluded_edges.empty()) {
    std::vector<char> edge(index.num_edges(), 0);
    for (std::size_t e : excluded_edges) {
      if (e >= edge.size())
        throw model_error("excluded edge " + std::to_string(e) + " out of range (" + std::to_string(edge.size()) + ")");
      edge[e] = 1;
    }
    const search_graph& s = index.graph();
    mask.slot.resize(s.out_edge.size());
    for (std::size_t i = 0; i < s.out_edge.size(); ++i) mask.slot[i] = edge[s.out_edge[i]];
  }
  return mask;
}

/// The caller-facing path; `probability` as given (the product in path order).
inline attack_path to_attack_path(const search_graph& s, const flat_path& p, double probability) {
  attack_path a;
  a.vertices.assign(p.vertices.begin(), p.vertices.end());
  for (std::size_t slot : p.slots) a.edges.push_back(s.out_edge[slot]);
  a.probability = probability;
  return a;
}

/// The caller-facing path, its probability multiplied in path order (as the enumeration does).
inline attack_path to_attack_path(const search_graph& s, const flat_path& p) {
  double prob = 1.0;
  for (std::size_t slot : p.slots) prob *= s.out_prob[slot];
  return to_attack_path(s, p, prob);
}

}  // namespace detail
}  // namespace twinrisk

/// A path_index is not a graph, but the graph overloads of the path algorithms name
/// `vertex_t<G>` in their parameters; clang before 17 substitutes those before it checks the
/// overloads' constraints, and the primary graph_traits would fail hard on a path_index. With
/// these descriptors the substitution succeeds and the constraints reject it as they should.
template <>
struct boost::graph_traits<twinrisk::path_index> {
  using vertex_descriptor = std::size_t;
  using edge_descriptor = std::size_t;
};
