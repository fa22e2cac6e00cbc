// model/probability_map.hpp: a vector by edge index as a property map, and any map as such a
// vector, on the library's twin and on a third-party Boost graph.

#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/remediate/actions.hpp"

using namespace twinrisk;

TEST_CASE("probability maps: a vector by edge index reads back edge by edge, and a wrong size is refused") {
  const twin t = twinrisk_test::diamond_twin(0.9, 0.8, 0.7, 0.6, 0.5);
  const std::vector<double> p = {0.11, 0.22, 0.33, 0.44, 0.55};
  REQUIRE(t.num_edges() == p.size());
  const auto prob = probability_map(t, p);
  for (auto uv : t.edges()) CHECK(get(prob, uv) == p[t.edge_index(uv)]);
  CHECK(probabilities_by_index(t, prob) == p);
  // The twin's own probabilities, by index, as edge_probabilities gives them.
  CHECK(probabilities_by_index(t, get(&edge::probability, t)) == edge_probabilities(t));
  CHECK(probabilities_by_index(t, get(&edge::probability, t)) == std::vector<double>{0.9, 0.8, 0.7, 0.6, 0.5});
  const std::vector<double> short_by_one(4, 0.5);
  CHECK_THROWS_WITH_AS((void)probability_map(t, short_by_one), "probabilities have 4 entries for 5 edges", model_error);
}

TEST_CASE("probability maps: a boost::adjacency_list with its own edge index and bundles") {
  struct link {
    double odds = 0.0;
  };
  using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                      boost::property<boost::edge_index_t, std::size_t, link>>;
  graph g(3);
  // Edge indices deliberately not in insertion order.
  boost::add_edge(0, 1, boost::property<boost::edge_index_t, std::size_t, link>(2, {0.25}), g);
  boost::add_edge(1, 2, boost::property<boost::edge_index_t, std::size_t, link>(0, {0.5}), g);
  boost::add_edge(0, 2, boost::property<boost::edge_index_t, std::size_t, link>(1, {0.75}), g);
  CHECK(probabilities_by_index(g, get(&link::odds, g)) == std::vector<double>{0.5, 0.75, 0.25});
}
