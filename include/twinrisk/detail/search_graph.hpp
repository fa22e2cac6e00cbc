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

#include "twinrisk/detail/number_text.hpp"
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
                        "expected a number in [0,1], got " + show_number(p));
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

template <class G>
std::vector<char> vertex_flags(const G& g, const std::vector<vertex_t<G>>& vs, const char* what) {
  std::vector<char> flags(num_vertices(g), 0);
  for (auto v : vs) {
    if (static_cast<std::size_t>(v) >= flags.size())
      throw model_error(std::string(what) + " vertex " + std::to_string(v) + " is not in the graph (" +
                        std::to_string(flags.size()) + " vertices)");
    flags[static_cast<std::size_t>(v)] = 1;
  }
  return flags;
}

inline std::vector<char> index_flags(std::size_t n, const std::vector<std::size_t>& items, const char* what) {
  std::vector<char> flags;
  if (items.empty()) return flags;
  flags.assign(n, 0);
  for (std::size_t i : items) {
    if (i >= n) throw model_error(std::string("excluded ") + what + " " + std::to_string(i) + " out of range (" + std::to_string(n) + ")");
    flags[i] = 1;
  }
  return flags;
}

/// The flat graph and the source and target flags of one path query; excluded vertices are
/// neither sources nor targets. Throws: as make_search_graph, and model_error on a vertex or an
/// excluded index out of range.
struct search_problem {
  search_graph graph;
  std::vector<char> is_source, is_target;
};

template <edge_indexed_graph G, class ProbMap>
search_problem prepare_search(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                              const ProbMap& prob, const std::vector<std::size_t>& excluded_vertices,
                              const std::vector<std::size_t>& excluded_edges) {
  search_problem p{make_search_graph(g, prob, index_flags(num_vertices(g), excluded_vertices, "vertex"),
                                     index_flags(num_edges(g), excluded_edges, "edge")),
                   vertex_flags(g, sources, "source"), vertex_flags(g, targets, "target")};
  for (std::size_t v : excluded_vertices) p.is_source[v] = p.is_target[v] = 0;
  return p;
}

}  // namespace twinrisk::detail
