#pragma once
// Small twins and paths shared by the test suites.

#include <filesystem>
#include <string>

#include "build_paths.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk_test {

/// True under AddressSanitizer or ThreadSanitizer, where the suites run 5 to 15 times slower.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
inline constexpr bool sanitized = __has_feature(address_sanitizer) || __has_feature(thread_sanitizer);
#else
inline constexpr bool sanitized = false;
#endif

/// A size for a large-input check: `full` in optimised builds (the release preset), `small` under a
/// sanitizer, where the same code paths run on less data.
template <class T>
constexpr T full_or_sanitized(T full, T small) {
  return sanitized ? small : full;
}

/// The source tree (set by CMake), for the bundled sample twin and test data.
inline std::filesystem::path source_dir() { return source_dir_c_str(); }
inline std::filesystem::path sample_twin_path() { return source_dir() / "examples/data/acme.twin.json"; }

/// A fresh, empty scratch folder under the build tree, unique per name.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(binary_dir_c_str()) / "test-scratch" / name;
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

/// A diamond e -> a -> c, e -> b -> c, c -> j with the given probabilities: c -> j is the choke point.
inline twinrisk::twin diamond_twin(double ea, double eb, double ac, double bc, double cj) {
  using namespace twinrisk;
  twin_builder b;
  for (const char* id : {"e", "a", "b", "c", "j"}) b.add_node(id, {});
  b.add_edge("e", "a", {.probability = ea});
  b.add_edge("e", "b", {.probability = eb});
  b.add_edge("a", "c", {.probability = ac});
  b.add_edge("b", "c", {.probability = bc});
  b.add_edge("c", "j", {.probability = cj});
  return std::move(b).build();
}

/// The index of the first edge from -> to. Throws: model_error when there is none.
inline std::size_t edge_index_of(const twinrisk::twin& t, const char* from, const char* to) {
  for (auto uv : t.out_edges(t.at(from)))
    if (t.target(uv) == t.at(to)) return t.edge_index(uv);
  throw twinrisk::model_error(std::string("no edge ") + from + " -> " + to);
}

/// Whether `t` has an edge of `kind` from the node with id `from` to the one with id `to`.
inline bool has_edge(const twinrisk::twin& t, const std::string& from, const std::string& to, twinrisk::edge_kind kind) {
  const auto u = t.find(from), v = t.find(to);
  if (!u || !v) return false;
  for (auto uv : t.out_edges(*u))
    if (t.target(uv) == *v && t[uv].kind == kind) return true;
  return false;
}

}  // namespace twinrisk_test
