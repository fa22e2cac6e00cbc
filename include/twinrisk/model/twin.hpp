#pragma once
/// `basic_twin`: the immutable security twin, a bidirectional CSR graph plus a string-id index.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/graph_traits.hpp>
#include <boost/range/iterator_range.hpp>
#include <nlohmann/json.hpp>

#include "twinrisk/detail/id_index.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/edge.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/model/scenario.hpp"

namespace twinrisk {

template <class NodeData, class EdgeData>
class basic_twin_builder;

/// What a twin says about itself beyond its nodes and edges.
struct twin_info {
  std::string name{};
  std::string currency{};        ///< ISO 4217 code of every money amount ("USD"); empty when no money
  std::vector<threat> threats{}; ///< entry points refer to vertex indices of this twin
  std::vector<loss_correlation> loss_correlations{};  ///< pairs of assets whose losses are correlated
  nlohmann::json metadata{};     ///< free data kept as given (null when none)
  bool operator==(const twin_info&) const = default;
};

/// An immutable security twin: assets and identities (vertices carrying `NodeData`) joined by
/// trust edges (carrying `EdgeData`) in a `boost::compressed_sparse_row_graph<bidirectionalS>`.
/// Vertices are 0..num_nodes()-1; edges are numbered 0..num_edges()-1 by `edge_index`, in
/// source order (edges of one source keep the order in which they were added).
/// Models VertexListGraph, EdgeListGraph, IncidenceGraph, BidirectionalGraph and
/// AdjacencyGraph through the free functions below, so Boost.Graph algorithms run on it directly.
/// Made by `basic_twin_builder`, which validates everything.
template <class NodeData, class EdgeData>
class basic_twin {
 public:
  using node_type = NodeData;
  using edge_type = EdgeData;
  using graph_type = boost::compressed_sparse_row_graph<boost::bidirectionalS, NodeData, EdgeData>;
  using vertex_descriptor = typename boost::graph_traits<graph_type>::vertex_descriptor;
  using edge_descriptor = typename boost::graph_traits<graph_type>::edge_descriptor;

  basic_twin() = default;

  /// The CSR graph, for algorithms that want it directly.
  [[nodiscard]] const graph_type& graph() const noexcept { return g_; }
  [[nodiscard]] std::size_t num_nodes() const noexcept { return ids_.size(); }
  [[nodiscard]] std::size_t num_edges() const noexcept { return boost::num_edges(g_); }

  /// The string id of vertex `v`. Throws: model_error when `v` is not a vertex.
  [[nodiscard]] const std::string& id(vertex_descriptor v) const {
    check_vertex(v);
    return ids_[v];
  }

  /// The vertex with string id `id`, if any. Complexity: expected O(|id|).
  [[nodiscard]] std::optional<vertex_descriptor> find(std::string_view id) const noexcept {
    const std::size_t pos = index_.find(id, ids_);
    if (pos == detail::id_index::npos) return std::nullopt;
    return static_cast<vertex_descriptor>(pos);
  }

  /// The vertex with string id `id`. Throws: model_error naming the id when there is none.
  [[nodiscard]] vertex_descriptor at(std::string_view id) const {
    if (auto v = find(id)) return *v;
    throw model_error("unknown node id '" + std::string(id) + "'");
  }

  /// Node data of `v`. Throws: model_error when `v` is not a vertex.
  [[nodiscard]] const NodeData& operator[](vertex_descriptor v) const {
    check_vertex(v);
    return g_[v];
  }
  /// Edge data of `uv` (a descriptor from this twin).
  [[nodiscard]] const EdgeData& operator[](edge_descriptor uv) const { return g_[uv]; }

  [[nodiscard]] auto vertices() const { return make_range(boost::vertices(g_)); }
  [[nodiscard]] auto edges() const { return make_range(boost::edges(g_)); }
  [[nodiscard]] auto out_edges(vertex_descriptor v) const { check_vertex(v); return make_range(boost::out_edges(v, g_)); }
  [[nodiscard]] auto in_edges(vertex_descriptor v) const { check_vertex(v); return make_range(boost::in_edges(v, g_)); }
  [[nodiscard]] vertex_descriptor source(edge_descriptor uv) const { return boost::source(uv, g_); }
  [[nodiscard]] vertex_descriptor target(edge_descriptor uv) const { return boost::target(uv, g_); }

  /// Dense index of `uv` in [0, num_edges()): key for edge property maps held outside the twin.
  [[nodiscard]] std::size_t edge_index(edge_descriptor uv) const { return boost::get(boost::edge_index, g_, uv); }
  /// The readable property map behind `edge_index`.
  [[nodiscard]] auto edge_index_map() const { return boost::get(boost::edge_index, g_); }

  /// Vertices whose data satisfies `pred`, in vertex order.
  template <class Pred>
  [[nodiscard]] std::vector<vertex_descriptor> select(Pred pred) const {
    std::vector<vertex_descriptor> out;
    for (vertex_descriptor v = 0; v < num_nodes(); ++v)
      if (pred(g_[v])) out.push_back(v);
    return out;
  }

  /// Vertices of kind `k`, in vertex order.
  [[nodiscard]] std::vector<vertex_descriptor> nodes_of_kind(node_kind k) const
    requires requires(const NodeData& n) { n.kind == k; }
  {
    return select([k](const NodeData& n) { return n.kind == k; });
  }

  /// Vertices marked as entry points, in vertex order.
  [[nodiscard]] std::vector<vertex_descriptor> entry_points() const
    requires requires(const NodeData& n) { bool(n.entry_point); }
  {
    return select([](const NodeData& n) { return bool(n.entry_point); });
  }

  /// Vertices marked as crown jewels, in vertex order.
  [[nodiscard]] std::vector<vertex_descriptor> crown_jewels() const
    requires requires(const NodeData& n) { bool(n.crown_jewel); }
  {
    return select([](const NodeData& n) { return bool(n.crown_jewel); });
  }

  /// Name, currency, threats and free metadata.
  [[nodiscard]] const twin_info& info() const noexcept { return info_; }

 private:
  friend class basic_twin_builder<NodeData, EdgeData>;

  template <class Pair>
  static auto make_range(Pair p) { return boost::make_iterator_range(p.first, p.second); }

  void check_vertex(vertex_descriptor v) const {
    if (v >= ids_.size())
      throw model_error("vertex " + std::to_string(v) + " is not in the twin (it has " +
                        std::to_string(ids_.size()) + " nodes)");
  }

  graph_type g_;
  std::vector<std::string> ids_{};
  detail::id_index index_;
  twin_info info_;
};

/// The twin with the library's own node and edge bundles.
using twin = basic_twin<node, edge>;

// Boost.Graph interface: these free functions, found by argument-dependent lookup, make a twin
// a graph in its own right (they forward to the CSR graph).

template <class N, class E> auto vertices(const basic_twin<N, E>& t) { return vertices(t.graph()); }
template <class N, class E> auto num_vertices(const basic_twin<N, E>& t) { return num_vertices(t.graph()); }
template <class N, class E> auto edges(const basic_twin<N, E>& t) { return edges(t.graph()); }
template <class N, class E> auto num_edges(const basic_twin<N, E>& t) { return num_edges(t.graph()); }
template <class N, class E>
auto out_edges(typename basic_twin<N, E>::vertex_descriptor v, const basic_twin<N, E>& t) { return out_edges(v, t.graph()); }
template <class N, class E>
auto in_edges(typename basic_twin<N, E>::vertex_descriptor v, const basic_twin<N, E>& t) { return in_edges(v, t.graph()); }
template <class N, class E>
auto out_degree(typename basic_twin<N, E>::vertex_descriptor v, const basic_twin<N, E>& t) { return out_degree(v, t.graph()); }
template <class N, class E>
auto in_degree(typename basic_twin<N, E>::vertex_descriptor v, const basic_twin<N, E>& t) { return in_degree(v, t.graph()); }
template <class N, class E>
auto degree(typename basic_twin<N, E>::vertex_descriptor v, const basic_twin<N, E>& t) {
  return out_degree(v, t.graph()) + in_degree(v, t.graph());  // Boost's bidirectional CSR has no degree()
}
template <class N, class E>
auto adjacent_vertices(typename basic_twin<N, E>::vertex_descriptor v, const basic_twin<N, E>& t) { return adjacent_vertices(v, t.graph()); }
template <class N, class E>
auto source(typename basic_twin<N, E>::edge_descriptor uv, const basic_twin<N, E>& t) { return source(uv, t.graph()); }
template <class N, class E>
auto target(typename basic_twin<N, E>::edge_descriptor uv, const basic_twin<N, E>& t) { return target(uv, t.graph()); }

/// Property maps (vertex_index, edge_index, bundled members such as `&edge::probability`).
template <class N, class E, class Tag>
auto get(Tag tag, const basic_twin<N, E>& t) -> decltype(get(tag, t.graph())) { return get(tag, t.graph()); }
template <class N, class E, class Tag, class Key>
auto get(Tag tag, const basic_twin<N, E>& t, const Key& key) -> decltype(get(tag, t.graph(), key)) { return get(tag, t.graph(), key); }

}  // namespace twinrisk

namespace boost {

template <class N, class E>
struct graph_traits<twinrisk::basic_twin<N, E>> : graph_traits<typename twinrisk::basic_twin<N, E>::graph_type> {};

template <class N, class E, class Tag>
struct property_map<twinrisk::basic_twin<N, E>, Tag> : property_map<typename twinrisk::basic_twin<N, E>::graph_type, Tag> {};

}  // namespace boost
