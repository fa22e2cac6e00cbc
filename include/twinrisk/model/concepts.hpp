#pragma once
/// The requirements twinrisk's algorithms place on graphs and property maps, named once.
/// Built on Boost.Graph's vocabulary, so `twin`, a `boost::adjacency_list` with `vecS`
/// vertices, a CSR graph or a vendor's own graph type (with graph_traits and the free
/// functions) all qualify without copying.

#include <concepts>
#include <cstddef>
#include <type_traits>

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/property_map/property_map.hpp>

namespace twinrisk {

template <class G> using vertex_t = typename boost::graph_traits<G>::vertex_descriptor;
template <class G> using edge_t = typename boost::graph_traits<G>::edge_descriptor;

/// An attack graph: IncidenceGraph + VertexListGraph whose vertices are dense integers
/// 0..num_vertices(g)-1, so per-vertex state lives in plain arrays.
template <class G>
concept twin_graph =
    // Checked first: conjunctions short-circuit, so a non-graph never instantiates graph_traits.
    requires(const G& g) { vertices(g); num_vertices(g); } &&
    std::integral<vertex_t<G>> &&
    requires(const G& g, vertex_t<G> v, edge_t<G> uv) {
      { num_vertices(g) } -> std::convertible_to<std::size_t>;
      vertices(g);
      out_edges(v, g);
      { out_degree(v, g) } -> std::convertible_to<std::size_t>;
      { source(uv, g) } -> std::convertible_to<vertex_t<G>>;
      { target(uv, g) } -> std::convertible_to<vertex_t<G>>;
    };

/// A twin_graph that also lists in-edges (BidirectionalGraph): needed by reverse searches.
template <class G>
concept bidirectional_twin_graph =
    twin_graph<G> && requires(const G& g, vertex_t<G> v) {
      in_edges(v, g);
      { in_degree(v, g) } -> std::convertible_to<std::size_t>;
    };

/// A twin_graph whose edges carry a dense index 0..num_edges(g)-1 (`get(boost::edge_index, g)`),
/// so per-edge state (effective probabilities, masks) lives in plain arrays outside the graph.
template <class G>
concept edge_indexed_graph =
    twin_graph<G> && requires(const G& g, edge_t<G> uv) {
      { num_edges(g) } -> std::convertible_to<std::size_t>;
      { get(get(boost::edge_index, g), uv) } -> std::convertible_to<std::size_t>;
    };

/// A readable property map from the edges of `G` to a success probability.
template <class M, class G>
concept edge_probability_map =
    requires(const M& m, edge_t<G> uv) {
      { get(m, uv) } -> std::convertible_to<double>;
    };

}  // namespace twinrisk
