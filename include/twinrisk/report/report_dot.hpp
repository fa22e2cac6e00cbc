#pragma once
/// Graphviz DOT for attack paths and for the neighbourhood of a node, styled by kind and
/// probability: identities are ellipses, assets boxes; entry points green, crown jewels red;
/// edges thicker and redder as they get more probable. Render with `dot -Tsvg` (Graphviz is an
/// optional dependency; twinrisk only writes the text).
///
///     std::ofstream("paths.dot") << attack_paths_dot(r);
///     std::ofstream("dc.dot") << neighbourhood_dot(t, *t.find("dc01"), get(&edge::probability, t), {.radius = 2});

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "twinrisk/detail/markup.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/model/twin.hpp"
#include "twinrisk/report/report.hpp"

namespace twinrisk {

namespace detail {

enum class dot_role { plain, entry, crown_jewel };

inline std::string dot_node(const std::string& id, const std::string& name, const std::string& kind, bool identity, dot_role role) {
  const char* fill = role == dot_role::entry ? "#e9f7ef" : role == dot_role::crown_jewel ? "#fdecea" : "#f4f6f9";
  const char* colour = role == dot_role::entry ? "#1e8449" : role == dot_role::crown_jewel ? "#c0392b" : "#5b6675";
  return "  " + dot_quoted(id) + " [label=" + dot_quoted(name + "\n" + kind) + ", shape=" + (identity ? "ellipse" : "box") +
         ", style=\"filled" + (identity ? "" : ",rounded") + "\", fillcolor=\"" + fill + "\", color=\"" + colour + "\"" +
         (role == dot_role::plain ? "" : ", penwidth=2") + "];\n";
}

/// An edge: width 1–5 and grey to red with its probability.
inline std::string dot_edge(const std::string& from, const std::string& to, const std::string& kind, double p) {
  const double q = std::clamp(p, 0.0, 1.0);
  char colour[8], width[16], label[32];
  std::snprintf(colour, sizeof colour, "#%02x%02x%02x", static_cast<int>(150 + 42 * q), static_cast<int>(150 - 110 * q),
                static_cast<int>(150 - 110 * q));
  std::snprintf(width, sizeof width, "%.1f", 1.0 + 4.0 * q);
  std::snprintf(label, sizeof label, "p=%.2f", q);
  return "  " + dot_quoted(from) + " -> " + dot_quoted(to) + " [label=" + dot_quoted(kind + "\n" + label) +
         ", color=\"" + colour + "\", fontcolor=\"" + colour + "\", penwidth=" + width + "];\n";
}

inline std::string dot_header(const std::string& title) {
  return "digraph " + dot_quoted(title) + " {\n  rankdir=LR;\n  graph [fontname=\"Helvetica\", label=" + dot_quoted(title) +
         ", labelloc=t];\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
}

}  // namespace detail

/// The report's attack paths as one graph (shared nodes and edges drawn once, at their
/// highest probability).
[[nodiscard]] inline std::string attack_paths_dot(const risk_report& r) {
  std::ostringstream s;
  s << detail::dot_header("Attack paths — " + (r.twin.name.empty() ? r.twin.source : r.twin.name));
  std::map<std::string, std::pair<report_node, detail::dot_role>> nodes;
  std::map<std::tuple<std::string, std::string, std::string>, double> edges;
  auto add_node = [&](const report_node& n, detail::dot_role role) {
    auto [it, fresh] = nodes.try_emplace(n.id, n, role);
    if (!fresh && role != detail::dot_role::plain) it->second.second = role;
  };
  for (const report_path& p : r.paths) {
    add_node(p.entry, detail::dot_role::entry);
    std::string from = p.entry.id;
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
      add_node(p.steps[i].to, i + 1 == p.steps.size() ? detail::dot_role::crown_jewel : detail::dot_role::plain);
      double& q = edges[{from, p.steps[i].to.id, p.steps[i].edge_kind}];
      q = std::max(q, p.steps[i].probability);
      from = p.steps[i].to.id;
    }
  }
  for (const auto& [id, node] : nodes) s << detail::dot_node(id, node.first.name, node.first.kind, node.first.identity, node.second);
  for (const auto& [key, q] : edges) s << detail::dot_edge(std::get<0>(key), std::get<1>(key), std::get<2>(key), q);
  s << "}\n";
  return s.str();
}

/// Options of `neighbourhood_dot`.
struct neighbourhood_options {
  std::size_t radius = 1;       ///< hops in either direction
  std::size_t max_nodes = 150;  ///< the nearest this many nodes (a readable picture)
};

/// The nodes within `o.radius` hops of `v` (either direction, nearest first) and the edges
/// among them, labelled with their probabilities `prob` (base or validated).
template <class ProbMap>
  requires edge_probability_map<ProbMap, twin>
[[nodiscard]] std::string neighbourhood_dot(const twin& t, std::size_t v, const ProbMap& prob, const neighbourhood_options& o = {}) {
  std::vector<std::size_t> hops(t.num_nodes(), static_cast<std::size_t>(-1));
  std::vector<std::size_t> kept{v};
  std::deque<std::size_t> queue{v};
  hops.at(v) = 0;
  while (!queue.empty() && kept.size() < o.max_nodes) {
    const std::size_t u = queue.front();
    queue.pop_front();
    if (hops[u] == o.radius) continue;
    auto visit = [&](std::size_t w) {
      if (hops[w] != static_cast<std::size_t>(-1) || kept.size() >= o.max_nodes) return;
      hops[w] = hops[u] + 1;
      kept.push_back(w);
      queue.push_back(w);
    };
    for (auto uv : t.out_edges(u)) visit(t.target(uv));
    for (auto uv : t.in_edges(u)) visit(t.source(uv));
  }
  std::ostringstream s;
  s << detail::dot_header("Neighbourhood of " + (t[v].name.empty() ? t.id(v) : t[v].name) + " (" + std::to_string(o.radius) +
                          (o.radius == 1 ? " hop)" : " hops)"));
  std::sort(kept.begin(), kept.end());
  for (std::size_t u : kept) {
    const node& n = t[u];
    const auto role = n.crown_jewel ? detail::dot_role::crown_jewel : n.entry_point ? detail::dot_role::entry : detail::dot_role::plain;
    s << detail::dot_node(t.id(u), n.name.empty() ? t.id(u) : n.name, std::string(to_string(n.kind)), is_identity(n.kind), role);
  }
  for (std::size_t u : kept)
    for (auto uv : t.out_edges(u))
      if (hops[t.target(uv)] != static_cast<std::size_t>(-1))
        s << detail::dot_edge(t.id(u), t.id(t.target(uv)), std::string(to_string(t[uv].kind)), get(prob, uv));
  s << "}\n";
  return s.str();
}

}  // namespace twinrisk
