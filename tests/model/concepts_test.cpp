#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <doctest/doctest.h>

#include "twinrisk/model/concepts.hpp"
#include "twinrisk/model/twin.hpp"

using namespace twinrisk;

namespace {
struct weighted { double probability = 1.0; };
using plain_list = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using bidir_list = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                                         boost::property<boost::edge_index_t, std::size_t, weighted>>;
using list_of_lists = boost::adjacency_list<boost::listS, boost::listS, boost::directedS>;
using csr = boost::compressed_sparse_row_graph<boost::directedS>;
using twin_prob_map = decltype(get(&edge::probability, std::declval<const twin&>()));
using list_prob_map = decltype(get(&weighted::probability, std::declval<const bidir_list&>()));
}  // namespace

// The library's own twin satisfies every requirement.
static_assert(twin_graph<twin>);
static_assert(bidirectional_twin_graph<twin>);
static_assert(edge_indexed_graph<twin>);
static_assert(edge_probability_map<twin_prob_map, twin>);

// So does a plain adjacency_list with vecS vertices, and Boost's own CSR graph.
static_assert(twin_graph<plain_list>);
static_assert(!bidirectional_twin_graph<plain_list>);
static_assert(bidirectional_twin_graph<bidir_list>);
static_assert(edge_probability_map<list_prob_map, bidir_list>);
static_assert(twin_graph<csr>);
static_assert(edge_indexed_graph<csr>);

// What is not a graph with dense integer vertices is rejected.
static_assert(!twin_graph<list_of_lists>);  // vertex descriptors are pointers
static_assert(!twin_graph<int>);
static_assert(!edge_probability_map<int, twin>);

TEST_CASE("the concepts accept twin, adjacency_list and CSR graphs and reject others (checked at compile time)") {
  CHECK(twin_graph<twin>);
  CHECK_FALSE(twin_graph<list_of_lists>);
}
