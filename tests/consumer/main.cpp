// The umbrella header first: this program is also the check that it compiles on its own
// (tests/CMakeLists.txt, headers_compile_alone, leaves it out).
#include <twinrisk/twinrisk.hpp>

#include <iostream>

int main() {
  using namespace twinrisk;
  twin_builder b;
  b.add_node("internet", {.name = "Internet", .kind = node_kind::internet, .entry_point = true});
  b.add_node("web", {.name = "Web", .kind = node_kind::web_application});
  b.add_node("db", {.name = "DB", .kind = node_kind::database, .crown_jewel = true});
  b.add_node("admin", {.name = "Admin", .kind = node_kind::user});
  b.add_edge("internet", "web", {.kind = edge_kind::exploits, .probability = 0.4});
  b.add_edge("web", "db", {.kind = edge_kind::network_reach, .probability = 0.9});
  b.add_edge("admin", "db", {.kind = edge_kind::admin_to, .probability = 1.0});
  const twin t = parse_twin_json(write_twin_json(b.build()));
  std::cout << "consumer ok: " << t.num_nodes() << " nodes, " << t.num_edges() << " edges (twinrisk "
            << version_string << ")\n";
}
