#pragma once
// Small twins and paths shared by the test suites.

#include <filesystem>
#include <string>

#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk_test {

/// The source tree (set by CMake), for the bundled sample twin and test data.
inline std::filesystem::path source_dir() { return TWINRISK_SOURCE_DIR; }
inline std::filesystem::path sample_twin_path() { return source_dir() / "examples/data/acme.twin.json"; }

/// A fresh, empty scratch folder under the build tree, unique per name.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(TWINRISK_BINARY_DIR) / "test-scratch" / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

/// vpn -> ws -> db plus ws -> user: four nodes, three edges, one entry point, one crown jewel.
inline twinrisk::twin small_twin() {
  using namespace twinrisk;
  twin_builder b;
  b.set_name("small");
  b.add_node("vpn", {.name = "VPN", .kind = node_kind::vpn_gateway, .entry_point = true});
  b.add_node("ws", {.name = "Laptop", .kind = node_kind::workstation});
  b.add_node("db", {.name = "Customer DB", .kind = node_kind::database, .crown_jewel = true});
  b.add_node("alice", {.name = "Alice", .kind = node_kind::user});
  b.add_edge("vpn", "ws", {.kind = edge_kind::network_reach, .probability = 0.5});
  b.add_edge("ws", "db", {.kind = edge_kind::exploits, .probability = 0.25});
  b.add_edge("ws", "alice", {.kind = edge_kind::has_session, .probability = 0.75});
  return std::move(b).build();
}

}  // namespace twinrisk_test
