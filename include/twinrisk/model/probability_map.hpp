#pragma once
/// Edge probabilities in the one form every analysis takes: a readable property map from edge to
/// probability (`edge_probability_map`). A twin's own are `get(&edge::probability, t)`, an
/// assessment's `ex.map(t)`; probabilities held in a vector by edge index become a map with
/// `probability_map(g, p)`, and any map becomes such a vector with `probabilities_by_index`.
///
///     std::vector<double> p = probabilities_by_index(t, get(&edge::probability, t));
///     p[e] = 0.0;  // what if edge e were gone?
///     auto r = simulate_compromise(t, sources, targets, probability_map(t, p), {.trials = 10'000});

#include <cstddef>
#include <utility>
#include <vector>

#include <boost/property_map/property_map.hpp>
#include <boost/range/iterator_range.hpp>

#include "twinrisk/error.hpp"
#include "twinrisk/model/concepts.hpp"

namespace twinrisk {

/// The map over a vector of probabilities by edge index; it refers to the vector, which must
/// outlive it.
template <edge_indexed_graph G>
using vector_probability_map = decltype(boost::make_iterator_property_map(std::declval<std::vector<double>::const_iterator>(),
                                                                          get(boost::edge_index, std::declval<const G&>())));

/// `p` (one probability per edge, by edge index) as a property map over the edges of `g`.
/// Throws: model_error when `p` does not have one entry per edge.
template <edge_indexed_graph G>
[[nodiscard]] vector_probability_map<G> probability_map(const G& g, const std::vector<double>& p) {
  detail::check_entry_count(p.size(), num_edges(g), "probabilities have", "edges");
  return boost::make_iterator_property_map(p.cbegin(), get(boost::edge_index, g));
}

/// The probabilities of `prob`, one per edge of `g`, by edge index: the vector what-if analyses
/// rewrite.
template <edge_indexed_graph G, class ProbMap>
  requires edge_probability_map<ProbMap, G>
[[nodiscard]] std::vector<double> probabilities_by_index(const G& g, const ProbMap& prob) {
  std::vector<double> p(num_edges(g));
  const auto index = get(boost::edge_index, g);
  for (auto v : boost::make_iterator_range(vertices(g)))
    for (auto uv : boost::make_iterator_range(out_edges(v, g))) p[get(index, uv)] = get(prob, uv);
  return p;
}

/// The base probabilities of a twin (its edges' `probability` member) by edge index.
template <class T>
[[nodiscard]] std::vector<double> edge_probabilities(const T& t) {
  std::vector<double> p(t.num_edges());
  for (auto uv : t.edges()) p[t.edge_index(uv)] = t[uv].probability;
  return p;
}

}  // namespace twinrisk
