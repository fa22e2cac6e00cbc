#pragma once
/// `attack_path`: one way from an entry point to a crown jewel, as the path algorithms report it.

#include <cstddef>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

/// A loopless path: `vertices[0]` is a source, `vertices.back()` a target, and `edges[i]` (by
/// edge index) leads from `vertices[i]` to `vertices[i + 1]`. `probability` is the product of
/// the edges' probabilities, multiplied in path order.
struct attack_path {
  std::vector<std::size_t> vertices;
  std::vector<std::size_t> edges;
  double probability = 1.0;

  /// Number of edges.
  [[nodiscard]] std::size_t hops() const noexcept { return edges.size(); }
  bool operator==(const attack_path&) const = default;
};

/// The order the path algorithms report: most probable first, ties broken by the vertex id
/// sequence, then the edge index sequence (parallel edges make distinct paths).
[[nodiscard]] inline bool more_probable(const attack_path& a, const attack_path& b) {
  if (a.probability != b.probability) return a.probability > b.probability;
  if (a.vertices != b.vertices) return a.vertices < b.vertices;
  return a.edges < b.edges;
}

/// "internet -exploits-> web -network_reach-> db  (p=0.24, 2 hops)" with each node shown as
/// `label(v)` gives it (model/node_names.hpp: `node_labels`).
template <class N, class E, class Label>
  requires std::is_invocable_v<const Label&, std::size_t>
[[nodiscard]] std::string to_string(const attack_path& path, const basic_twin<N, E>& t, const Label& label) {
  std::string s;
  for (std::size_t i = 0; i < path.vertices.size(); ++i) {
    if (i > 0) {
      std::string kind = "->";
      if constexpr (requires(const E& e) { e.kind; }) {
        for (auto uv : t.out_edges(path.vertices[i - 1]))
          if (t.edge_index(uv) == path.edges[i - 1]) kind = "-" + std::string(to_string(t[uv].kind)) + "->";
      }
      s += " " + kind + " ";
    }
    s += label(path.vertices[i]);
  }
  char tail[64];
  std::snprintf(tail, sizeof tail, "  (p=%.6g, %zu hops)", path.probability, path.hops());
  return s + tail;
}

/// The same with nodes shown by id.
template <class N, class E>
[[nodiscard]] std::string to_string(const attack_path& path, const basic_twin<N, E>& t) {
  return to_string(path, t, [&t](std::size_t v) -> const std::string& { return t.id(v); });
}

}  // namespace twinrisk
