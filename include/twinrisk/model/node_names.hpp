#pragma once
/// Nodes by the names people know them by: labels for output (the node's name, with its id only
/// where two nodes share a name) and lookup by id or name for input.
///
///     const std::vector<std::string> label = node_labels(t);  // "JON.SNOW@NORTH.SEVENKINGDOMS.LOCAL"
///     const auto v = find_node(t, "jon.snow@north.sevenkingdoms.local", {.pointer = "--from"});

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

/// Each node's label, by vertex: its name; its id where the name is empty or equals the id; and
/// "name [id]" where another node has the same name (ignoring case), so no two labels collide.
/// Complexity: O(V) expected.
template <class N, class E>
[[nodiscard]] std::vector<std::string> node_labels(const basic_twin<N, E>& t) {
  std::unordered_map<std::string, std::size_t> uses;  // upper-case name -> nodes that bear it
  for (auto v : t.vertices())
    if (!t[v].name.empty()) ++uses[detail::upper_case_ascii(t[v].name)];
  std::vector<std::string> labels(t.num_nodes());
  for (auto v : t.vertices()) {
    const std::string& name = t[v].name;
    if (name.empty() || name == t.id(v)) labels[v] = t.id(v);
    else if (uses[detail::upper_case_ascii(name)] > 1) labels[v] = name + " [" + t.id(v) + "]";
    else labels[v] = name;
  }
  return labels;
}

/// The node whose id is `text`, else the one whose name is `text` ignoring ASCII case, else none.
/// Throws: input_error at `where` when several nodes bear the name (listing their ids, so the
/// caller can give one). Complexity: O(V) when `text` is not an id.
template <class N, class E>
[[nodiscard]] std::optional<typename basic_twin<N, E>::vertex_descriptor> find_node_if_any(const basic_twin<N, E>& t,
                                                                                           std::string_view text,
                                                                                           const input_location& where = {}) {
  if (const auto v = t.find(text)) return *v;
  std::vector<typename basic_twin<N, E>::vertex_descriptor> named;
  for (auto v : t.vertices())
    if (detail::same_text_ignoring_case(t[v].name, text)) named.push_back(v);
  if (named.size() == 1) return named.front();
  if (named.empty()) return std::nullopt;
  std::string ids;
  for (std::size_t i = 0; i < named.size() && i < 10; ++i) ids += (i ? ", " : "") + t.id(named[i]);
  if (named.size() > 10) ids += " and " + std::to_string(named.size() - 10) + " more";
  throw input_error(where, "the name '" + std::string(text) + "' is ambiguous: " + std::to_string(named.size()) +
                               " nodes bear it (ids " + ids + "); give an id");
}

/// The node whose id is `text`, else the one whose name is `text` ignoring ASCII case.
/// Throws: input_error at `where` when none matches, or when several nodes bear the name.
template <class N, class E>
[[nodiscard]] typename basic_twin<N, E>::vertex_descriptor find_node(const basic_twin<N, E>& t, std::string_view text,
                                                                       const input_location& where = {}) {
  if (const auto v = find_node_if_any(t, text, where)) return *v;
  throw input_error(where, "no node has the id or name '" + std::string(text) + "'");
}

}  // namespace twinrisk
