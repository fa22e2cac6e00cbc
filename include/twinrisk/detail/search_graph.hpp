#pragma once
/// A flat copy of a graph's traversable edges for the path searches: forward and reverse CSR
/// arrays with costs (-ln p), probabilities and edge indices. Built once per call, in O(V + E),
/// from any graph that satisfies `edge_indexed_graph`; the hot loops then touch plain arrays.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <boost/range/iterator_range.hpp>

#include "twinrisk/error.hpp"
#include "twinrisk/model/concepts.hpp"

namespace twinrisk::detail {

struct search_graph {
  std::size_t n = 0;
  // Forward: the out-edges of v are [out_begin[v], out_begin[v + 1]).
  std::vector<std::size_t> out_begin;
  std::vector<std::uint32_t> out_target;
  std::vector<double> out_cost;  // -ln p
  std::vector<double> out_prob;
  std::vector<std::size_t> out_edge;  // edge index in the caller's graph
  // Reverse: the in-edges of v are [in_begin[v], in_begin[v + 1]); in_pos maps to the forward slot.
  std::vector<std::size_t> in_begin;
  std::vector<std::uint32_t> in_source;
  std::vector<std::size_t> in_pos;
};

/// Copies the edges of `g` that can be traversed: probability > 0, not excluded.
/// `excluded_vertex` and `excluded_edge` are indexable by vertex and edge index (empty = none).
/// Throws: input_error on a probability outside [0,1] or NaN; model_error on too many vertices.
template <edge_indexed_graph G, class ProbMap>
search_graph make_search_graph(const G& g, const ProbMap& prob, const std::vector<char>& excluded_vertex,
                               const std::vector<char>& excluded_edge) {
  search_graph s;
  s.n = num_vertices(g);
  if (s.n >= std::numeric_limits<std::uint32_t>::max()) throw model_error("graph too large for path search (2^32 vertices)");
  const auto index = get(boost::edge_index, g);
  s.out_begin.assign(s.n + 1, 0);
  std::vector<std::size_t> in_count(s.n + 1, 0);
  auto usable = [&](auto uv, double p) {
    const std::size_t e = get(index, uv);
    const auto u = static_cast<std::size_t>(source(uv, g)), v = static_cast<std::size_t>(target(uv, g));
    if (!(p >= 0.0 && p <= 1.0))
      throw input_error({.pointer = "/edges/" + std::to_string(e) + "/probability"},
                        "expected a number in [0,1], got " + std::to_string(p));
    return p > 0.0 && (excluded_edge.empty() || !excluded_edge[e]) &&
           (excluded_vertex.empty() || (!excluded_vertex[u] && !excluded_vertex[v]));
  };
  for (std::size_t u = 0; u < s.n; ++u) {
    s.out_begin[u + 1] = s.out_begin[u];
    for (auto uv : boost::make_iterator_range(out_edges(static_cast<vertex_t<G>>(u), g))) {
      const double p = static_cast<double>(get(prob, uv));
      if (!usable(uv, p)) continue;
      const auto v = static_cast<std::size_t>(target(uv, g));
      s.out_target.push_back(static_cast<std::uint32_t>(v));
      s.out_cost.push_back(-std::log(p));
      s.out_prob.push_back(p);
      s.out_edge.push_back(get(index, uv));
      ++s.out_begin[u + 1];
      ++in_count[v + 1];
    }
  }
  s.in_begin.assign(s.n + 1, 0);
  for (std::size_t v = 0; v < s.n; ++v) s.in_begin[v + 1] = s.in_begin[v] + in_count[v + 1];
  s.in_source.resize(s.out_target.size());
  s.in_pos.resize(s.out_target.size());
  std::vector<std::size_t> fill(s.in_begin.begin(), s.in_begin.end() - 1);
  for (std::size_t u = 0; u < s.n; ++u)
    for (std::size_t i = s.out_begin[u]; i < s.out_begin[u + 1]; ++i) {
      const std::size_t slot = fill[s.out_target[i]]++;
      s.in_source[slot] = static_cast<std::uint32_t>(u);
      s.in_pos[slot] = i;
    }
  return s;
}

}  // namespace twinrisk::detail
