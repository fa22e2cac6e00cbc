// Must NOT compile: an int is no graph, so a function constrained on twin_graph rejects it.
// The test concepts_reject_non_graphs checks the compiler names the unsatisfied concept.
#include "twinrisk/model/concepts.hpp"

template <twinrisk::twin_graph G>
int count_vertices(const G& g) {
  return static_cast<int>(num_vertices(g));
}

int main() { return count_vertices(42); }
