// Can I run my own graph algorithms on a twin? A twin is a Boost.Graph (bidirectional, with
// vertex and edge indices and bundled properties), so any BGL algorithm runs on it directly.
// Here: hops from the internet to every node by breadth-first search, and a per-edge array kept
// outside the twin by edge index.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <vector>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include "example_twin.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = twinrisk_examples::example_twin(argc, argv);
  //! [bgl]
  std::vector<std::size_t> hops(num_vertices(t), std::numeric_limits<std::size_t>::max());
  const auto internet = t.at("internet");
  hops[internet] = 0;
  boost::breadth_first_search(t, internet, boost::visitor(boost::make_bfs_visitor(boost::record_distances(
                                               boost::make_iterator_property_map(hops.begin(), get(boost::vertex_index, t)),
                                               boost::on_tree_edge{}))));
  auto prob = get(&edge::probability, t);  // a bundled-member property map
  auto index = get(boost::edge_index, t);  // dense edge index: per-edge arrays live outside the twin
  std::vector<double> odds(num_edges(t));
  for (auto uv : boost::make_iterator_range(edges(t))) odds[get(index, uv)] = get(prob, uv) / (1.0 - get(prob, uv) + 1e-9);
  //! [bgl]
  for (auto v : t.crown_jewels())
    if (hops[v] != std::numeric_limits<std::size_t>::max()) std::printf("%-28s %zu hops from the internet\n", t[v].name.c_str(), hops[v]);
  std::printf("most favourable edge: odds %.1f to 1\n", *std::max_element(odds.begin(), odds.end()));
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "boost_graph: " << e.what() << "\n";
  return 1;
}
