// My product already has its own graph — do I have to copy it into a twin? No: the algorithms
// take any Boost.Graph that meets twinrisk's concepts (model/concepts.hpp) and any readable edge
// property map. Here a vendor's own boost::adjacency_list, with its own bundles and a 0-10 trust
// score per edge, runs attack paths, Monte Carlo and a minimum cut without a copy.

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/property_map/transform_value_property_map.hpp>

#include "twinrisk/model/concepts.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/sim/compromise.hpp"

//! [vendor-graph]
// The vendor's types: nothing of twinrisk in them.
struct asset {
  std::string hostname;
  bool exposed = false, critical = false;
};
struct trust {
  double score = 0.0;  // 0 (no trust) .. 10 (full trust), as the vendor's scanner rates it
};
// An edge index (boost::edge_index_t) is all twinrisk adds: per-edge state lives in arrays.
using vendor_graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, asset,
                                           boost::property<boost::edge_index_t, std::size_t, trust>>;
static_assert(twinrisk::edge_indexed_graph<vendor_graph>);
//! [vendor-graph]

int main() try {
  using namespace twinrisk;
  vendor_graph g;
  const auto add = [&g](std::string name, bool exposed, bool critical) {
    const auto v = add_vertex(g);
    g[v] = asset{std::move(name), exposed, critical};
    return v;
  };
  const auto vpn = add("vpn-gw", true, false), mail = add("mail", true, false), jump = add("jump-01", false, false);
  const auto ci = add("ci-runner", false, false), vault = add("vault", false, true), ledger = add("ledger-db", false, true);
  std::size_t next_index = 0;
  const auto link = [&](auto u, auto v, double score) { add_edge(u, v, {next_index++, trust{score}}, g); };
  link(vpn, jump, 6.0);
  link(mail, jump, 3.0);
  link(jump, ci, 7.0);
  link(jump, vault, 2.0);
  link(ci, vault, 8.0);
  link(vault, ledger, 9.0);
  link(ci, ledger, 1.5);

  //! [adapt]
  // Probabilities are the vendor's scores read through a transform: no copy, no twinrisk type.
  auto prob = boost::make_transform_value_property_map([](double score) { return score / 10.0; }, get(&trust::score, g));
  std::vector<vertex_t<vendor_graph>> exposed, critical;
  for (auto v : boost::make_iterator_range(vertices(g))) {
    if (g[v].exposed) exposed.push_back(v);
    if (g[v].critical) critical.push_back(v);
  }
  paths_result top = k_most_probable_paths(g, exposed, critical, prob, {.k = 3});
  simulation_result sim = simulate_compromise(g, exposed, critical, prob, {.trials = 20'000, .seed = 1});
  cut_result cut = minimum_cost_cut(g, exposed, critical, prob);  // every edge costs 1
  //! [adapt]
  for (const attack_path& p : top.paths) {
    std::string line;
    for (auto v : p.vertices) line += (line.empty() ? "" : " -> ") + g[v].hostname;
    std::printf("p=%.3f  %s\n", p.probability, line.c_str());
  }
  for (auto v : critical) std::printf("P(%s falls) = %.3f\n", g[v].hostname.c_str(), sim.probability(v));
  std::printf("cut %zu edge(s) to separate the exposed hosts from the critical ones\n", cut.edges.size());
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "adapt_your_graph: " << e.what() << "\n";
  return 1;
}
