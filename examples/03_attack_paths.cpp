// Which ways in are most likely? The k most probable attack paths from the entry points to the
// crown jewels, how many bounded paths there are, and many questions asked of one prepared index.

#include <iostream>

#include "example_twin.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = twinrisk_examples::example_twin(argc, argv);
  //! [top-paths]
  auto prob = get(&edge::probability, t);  // any readable edge property map
  paths_result r = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.k = 5, .max_hops = 8});
  for (const attack_path& p : r.paths) std::cout << to_string(p, t) << '\n';
  //! [top-paths]

  //! [count]
  enumeration_result n = count_paths(t, t.entry_points(), t.crown_jewels(), prob, {.max_hops = 4});  // no path is built
  std::cout << n.paths << " paths of at most 4 hops\n";
  std::size_t seen = 0;
  for_each_path(t, t.entry_points(), t.crown_jewels(), prob,
                [&seen](const attack_path& p) { return ++seen < 3 && p.probability > 0.0; },  // false stops
                {.max_hops = 3, .ordered = true});  // ordered: a reproducible order on any thread count
  //! [count]

  //! [index]
  // Many questions about one twin and one set of crown jewels: prepare once, ask many times.
  path_index index(t, prob, t.crown_jewels());  // O(V + E), parallel; keeps no reference to t
  auto top = k_most_probable_paths(index, t.entry_points(), {.k = 10});
  auto without = k_most_probable_paths(index, t.entry_points(), {.k = 10, .excluded_edges = {top.paths[0].edges[0]}});
  auto from_vendor = count_paths(index, std::vector{t.at("vendor-msp")}, {.max_hops = 5});
  //! [index]
  std::cout << "best path without its first edge: p=" << without.paths[0].probability << " (was " << top.paths[0].probability
            << ")\n" << from_vendor.paths << " paths from the managed-service provider within 5 hops\n";
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "attack_paths: " << e.what() << "\n";
  return 1;
}
