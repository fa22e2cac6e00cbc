#pragma once
/// Assembles a bidirectional Boost CSR graph from node and edge data by moving them in, where
/// Boost's constructors copy them: a constructor allocates its own node and edge arrays while
/// the builder's still exist, and those two copies are the largest part of a large import's peak
/// memory (the 465,755-edge GCP export: 44 MB of 190).

#include <cstddef>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

namespace twinrisk::detail {

/// The members a CSR graph is made of. Boost keeps them public ("should be private, but friend
/// templates not portable") and has laid them out this way since 1.40; where they are not,
/// assemble_csr falls back on the constructor.
template <class Graph>
concept csr_members_reachable = requires(Graph& g) {
  g.m_vertex_properties;
  g.m_forward.m_rowstart;
  g.m_forward.m_column;
  g.m_forward.m_edge_properties;
  g.m_backward.m_rowstart;
  g.m_backward.m_column;
  g.m_backward.m_edge_properties;
};

/// Makes `g` the bidirectional CSR graph of `nodes` and the edges `(ends[i], edges[i])`, as
/// `Graph(boost::edges_are_unsorted_multi_pass, ends..., edges..., nodes.size())` would: each
/// vertex's out-edges in input order, its in-edges in the order of the out-edge indices. The
/// three vectors are left empty. Precondition: every end is a node position.
/// Complexity: O(V + E) time; the extra memory is 3 indices per edge and 2 per node.
template <class Graph, class NodeData, class EdgeData>
void assemble_csr(Graph& g, std::vector<NodeData>& nodes, std::vector<std::pair<std::size_t, std::size_t>>& ends,
                  std::vector<EdgeData>& edges) {
  if constexpr (!csr_members_reachable<Graph>) {
    g = Graph(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), std::make_move_iterator(edges.begin()), nodes.size());
    for (std::size_t v = 0; v < nodes.size(); ++v) g[v] = std::move(nodes[v]);
    nodes = {}, ends = {}, edges = {};
  } else {
    using vertex = typename Graph::vertex_descriptor;
    using edge_index = typename Graph::edges_size_type;
    const std::size_t n = nodes.size(), m = ends.size();
    // Forward: the out-edges by source, stable (a counting sort), and where each input edge goes.
    std::vector<edge_index> rowstart(n + 1, 0);
    for (const auto& e : ends) ++rowstart[e.first + 1];
    for (std::size_t v = 0; v < n; ++v) rowstart[v + 1] += rowstart[v];
    std::vector<edge_index> next(rowstart.begin(), rowstart.end() - 1);
    std::vector<edge_index> slot(m);
    std::vector<vertex> column(m);
    for (std::size_t i = 0; i < m; ++i) {
      slot[i] = next[ends[i].first]++;
      column[slot[i]] = static_cast<vertex>(ends[i].second);
    }
    ends = {};
    // The edge data into their slots in place, cycle by cycle.
    for (std::size_t i = 0; i < m; ++i)
      while (slot[i] != i) {
        const edge_index j = slot[i];
        std::swap(edges[i], edges[j]);
        std::swap(slot[i], slot[j]);
      }
    slot = {};
    // Backward: the in-edges by target, in out-edge order; each names its source and out-edge.
    std::vector<edge_index> in_rowstart(n + 1, 0);
    for (const vertex t : column) ++in_rowstart[t + 1];
    for (std::size_t v = 0; v < n; ++v) in_rowstart[v + 1] += in_rowstart[v];
    next.assign(in_rowstart.begin(), in_rowstart.end() - 1);
    std::vector<vertex> in_column(m);
    std::vector<edge_index> in_edge(m);
    for (std::size_t s = 0; s < n; ++s)
      for (edge_index k = rowstart[s]; k < rowstart[s + 1]; ++k) {
        const edge_index at = next[column[k]]++;
        in_column[at] = static_cast<vertex>(s);
        in_edge[at] = k;
      }
    g = Graph();
    g.m_vertex_properties = std::move(nodes);
    g.m_forward.m_rowstart = std::move(rowstart);
    g.m_forward.m_column = std::move(column);
    g.m_forward.m_edge_properties = std::move(edges);
    g.m_backward.m_rowstart = std::move(in_rowstart);
    g.m_backward.m_column = std::move(in_column);
    g.m_backward.m_edge_properties = std::move(in_edge);
    nodes = {}, edges = {};
  }
}

}  // namespace twinrisk::detail
