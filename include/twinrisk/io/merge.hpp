#pragma once
/// One twin from many sources: `merge_twins(base, addition)` adds what an import made to a twin
/// that already holds other sources, and accounts for every node and edge it matched, added or
/// found in conflict (`twinrisk import … --into TWIN`).
///
///     auto [ad_and_aws, summary] = merge_twins(load_twin("ad.twin.json").twin, aws_import.twin);
///
/// Nodes match by id, edges by (source id, target id, kind). The base is what a person already
/// trusts, so on a matched node or edge what the base states stands, and the addition fills only
/// what the base leaves unstated (an empty name, the generic kind, no loss, no crossing time);
/// each field stated differently by both is a conflict, listed with the value kept and the value
/// dropped. Flags that mark exposure add up (entry point, internet exposed, crown jewel,
/// privileged, unsanctioned), except that tier zero is never an entry point; tags, evidence,
/// controls and vulnerabilities are united.

#include <algorithm>
#include <cstddef>
#include <istream>
#include <iterator>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// A field two sources state differently, and what the merge kept.
struct merge_conflict {
  std::string item;     ///< a node id, or "FROM -> TO (kind)" for an edge
  std::string field;    ///< "name", "kind", "probability", ...
  std::string kept;     ///< the base's value
  std::string dropped;  ///< the addition's value
  bool operator==(const merge_conflict&) const = default;
};

/// The account of one merge.
struct merge_summary {
  std::size_t matched_nodes = 0, added_nodes = 0;
  std::size_t matched_edges = 0, added_edges = 0;
  std::size_t added_threats = 0;
  std::vector<merge_conflict> conflicts{};
  bool operator==(const merge_summary&) const = default;

  [[nodiscard]] nlohmann::ordered_json to_json() const {
    nlohmann::ordered_json j{{"matched_nodes", matched_nodes}, {"added_nodes", added_nodes}, {"matched_edges", matched_edges},
                             {"added_edges", added_edges}, {"added_threats", added_threats}};
    j["conflicts"] = nlohmann::ordered_json::array();
    for (const merge_conflict& c : conflicts)
      j["conflicts"].push_back({{"item", c.item}, {"field", c.field}, {"kept", c.kept}, {"dropped", c.dropped}});
    return j;
  }
  [[nodiscard]] std::string to_text() const {
    std::string s = "merged: " + std::to_string(matched_nodes) + " nodes matched, " + std::to_string(added_nodes) + " added; " +
                    std::to_string(matched_edges) + " edges matched, " + std::to_string(added_edges) + " added; " +
                    std::to_string(conflicts.size()) + " conflicts (the base's value kept)\n";
    for (std::size_t i = 0; i < conflicts.size() && i < 20; ++i)
      s += "  " + conflicts[i].item + " " + conflicts[i].field + ": kept " + conflicts[i].kept + ", dropped " + conflicts[i].dropped + "\n";
    if (conflicts.size() > 20) s += "  ... and " + std::to_string(conflicts.size() - 20) + " more (--review lists them all)\n";
    return s;
  }
};

/// A merged twin and the account of the merge.
struct merge_result {
  twinrisk::twin twin;
  merge_summary summary;
};

namespace detail {

template <class T>
void unite(compact_vector<T>& into, const compact_vector<T>& more) {
  std::vector<T> all = into.to_vector();
  for (const T& x : more)
    if (std::find(all.begin(), all.end(), x) == all.end()) all.push_back(x);
  into = compact_vector<T>(std::move(all));
}

// Keeps the base's value of a field where it states one; takes the addition's where it does not;
// records a conflict where both state different ones.
template <class V, class Show>
void keep_or_fill(V& base, const V& addition, bool base_states, bool addition_states, const std::string& item, const char* field,
                  std::vector<merge_conflict>& conflicts, Show show) {
  if (!addition_states || base == addition) return;
  if (!base_states) {
    base = addition;
    return;
  }
  conflicts.push_back({item, field, show(base), show(addition)});
}

inline void merge_node(node& n, const node& add, const std::string& id, std::vector<merge_conflict>& conflicts) {
  auto text = [](const std::string& s) { return "'" + s + "'"; };
  keep_or_fill(n.name, add.name, !n.name.empty(), !add.name.empty(), id, "name", conflicts, text);
  keep_or_fill(n.kind, add.kind, n.kind != node_kind::generic, add.kind != node_kind::generic, id, "kind", conflicts,
               [](node_kind k) { return std::string(to_string(k)); });
  keep_or_fill(n.owner, add.owner, !n.owner.empty(), !add.owner.empty(), id, "owner", conflicts, text);
  keep_or_fill(n.business_unit, add.business_unit, !n.business_unit.empty(), !add.business_unit.empty(), id, "business_unit", conflicts, text);
  keep_or_fill(n.rating, add.rating, n.rating != criticality::unrated, add.rating != criticality::unrated, id, "criticality", conflicts,
               [](criticality c) { return std::string(to_string(c)); });
  if (!n.loss && add.loss) n.loss = add.loss;
  else if (n.loss && add.loss && !(*n.loss == *add.loss)) conflicts.push_back({id, "loss", "the base's", "the addition's"});
  if (!n.tier_zero && add.tier_zero) n.tier_zero = add.tier_zero;
  n.internet_exposed = n.internet_exposed || add.internet_exposed;
  n.crown_jewel = n.crown_jewel || add.crown_jewel;
  n.privileged = n.privileged || add.privileged;
  n.sanctioned = n.sanctioned && add.sanctioned;
  n.entry_point = (n.entry_point || add.entry_point) && !n.tier_zero;  // tier zero is never an entry point
  unite(n.tags, add.tags);
  unite(n.evidence, add.evidence);
  unite(n.controls, add.controls);
  if (n.properties.is_null()) n.properties = add.properties;
  else if (n.properties.is_object() && add.properties.is_object())
    for (auto it = add.properties.begin(); it != add.properties.end(); ++it)
      if (!n.properties.contains(it.key())) n.properties[it.key()] = *it;
}

}  // namespace detail

/// Adds `addition` to `base` (see the file comment for the rules). The name, currency, threats
/// and metadata are the base's; the addition's threats join when the base has none of their
/// name; the addition's `metadata.import` is appended to the base's `metadata.imports`.
/// Throws: input_error when the two state money in different currencies.
/// Complexity: O((N + E) log(N + E)) over both twins.
[[nodiscard]] inline merge_result merge_twins(const twin& base, const twin& addition) {
  if (!base.info().currency.empty() && !addition.info().currency.empty() && base.info().currency != addition.info().currency)
    throw input_error({.pointer = "/currency"}, "the twins state money in " + base.info().currency + " and " + addition.info().currency +
                                                    ": convert one first");
  merge_summary summary;
  // The base's nodes, the matched ones with the addition's facts merged in, then the addition's others.
  twin_builder b;
  b.reserve(base.num_nodes() + addition.num_nodes(), base.num_edges() + addition.num_edges());
  for (auto v : base.vertices()) {
    node n = base[v];
    if (const auto w = addition.find(base.id(v))) {
      ++summary.matched_nodes;
      detail::merge_node(n, addition[*w], base.id(v), summary.conflicts);
    }
    b.add_node(base.id(v), std::move(n));
  }
  for (auto w : addition.vertices())
    if (!base.find(addition.id(w))) {
      ++summary.added_nodes;
      node n = addition[w];
      if (n.tier_zero) n.entry_point = false;
      b.add_node(addition.id(w), std::move(n));
    }
  // Edges: the base's, with the addition's facts on those it matches, then the addition's others.
  using key = std::tuple<std::string, std::string, edge_kind>;
  std::map<key, std::size_t> addition_edges;
  for (auto uv : addition.edges())
    addition_edges.emplace(key{addition.id(addition.source(uv)), addition.id(addition.target(uv)), addition[uv].kind}, addition.edge_index(uv));
  std::vector<twin::edge_descriptor> addition_by_index(addition.num_edges());
  for (auto uv : addition.edges()) addition_by_index[addition.edge_index(uv)] = uv;
  std::vector<char> matched(addition.num_edges(), 0);
  std::vector<twin::edge_descriptor> base_by_index(base.num_edges());
  for (auto uv : base.edges()) base_by_index[base.edge_index(uv)] = uv;
  for (auto uv : base_by_index) {
    edge e = base[uv];
    const std::string& from = base.id(base.source(uv));
    const std::string& to = base.id(base.target(uv));
    if (const auto it = addition_edges.find(key{from, to, e.kind}); it != addition_edges.end()) {
      ++summary.matched_edges;
      matched[it->second] = 1;
      const edge& add = addition[addition_by_index[it->second]];
      const std::string item = from + " -> " + to + " (" + std::string(to_string(e.kind)) + ")";
      detail::keep_or_fill(e.probability, add.probability, true, true, item, "probability", summary.conflicts,
                           [](double p) { return detail::show_number(p); });
      if (!e.hours && add.hours) e.hours = add.hours;
      detail::unite(e.vulnerabilities, add.vulnerabilities);
      detail::unite(e.evidence, add.evidence);
      detail::unite(e.controls, add.controls);
    }
    b.add_edge(from, to, std::move(e));
  }
  for (std::size_t i = 0; i < addition_by_index.size(); ++i)
    if (!matched[i]) {
      const auto uv = addition_by_index[i];
      ++summary.added_edges;
      b.add_edge(addition.id(addition.source(uv)), addition.id(addition.target(uv)), edge(addition[uv]));
    }
  // Threats, correlations, name, currency, metadata.
  auto add_threats = [&](const twin& t, bool only_new) {
    for (const threat& th : t.info().threats) {
      if (only_new && std::any_of(base.info().threats.begin(), base.info().threats.end(), [&](const threat& x) { return x.name == th.name; }))
        continue;
      std::vector<threat_entry_ref> entries;
      for (const threat_entry& e : th.entry_points) entries.push_back({t.id(e.vertex), e.weight});
      b.add_threat(th, std::move(entries));
      summary.added_threats += only_new;
    }
  };
  add_threats(base, false);
  add_threats(addition, true);
  for (const loss_correlation& c : base.info().loss_correlations) b.add_loss_correlation(base.id(c.a), base.id(c.b), c.correlation);
  b.set_name(base.info().name);
  b.set_currency(base.info().currency.empty() ? addition.info().currency : base.info().currency);
  nlohmann::json metadata = base.info().metadata.is_object() ? base.info().metadata : nlohmann::json::object();
  const nlohmann::json& added = addition.info().metadata;
  if (added.is_object() && added.contains("import")) metadata["imports"].push_back(added["import"]);
  b.set_metadata(std::move(metadata));
  return {std::move(b).build(), std::move(summary)};
}

/// Identities that are one person or workload in two sources, and stated links between sources
/// (an AD group whose members the identity provider lets into an AWS role): what no single
/// export says, written down by a person (`twinrisk import … --join FILE`).
struct identity_join {
  std::string a, b;      ///< node ids or unique names
  std::string why{};
};
struct source_link {
  std::string from, to;  ///< node ids or unique names
  edge_kind kind = edge_kind::authenticates_to;
  double probability = 1.0;
  std::string why{};
};
struct identity_joins {
  std::vector<identity_join> same{};
  std::vector<source_link> links{};
};

/// Reads `{"same": [{"a", "b", "why"?}], "links": [{"from", "to", "kind"?, "probability"?, "why"?}]}`.
/// Throws: input_error naming `file` and the JSON pointer of a malformed entry.
[[nodiscard]] inline identity_joins read_identity_joins(std::istream& in, const std::string& file) {
  const detail::json j = detail::parse_json(std::string(std::istreambuf_iterator<char>(in), {}), file);
  detail::json_object top(j, "", file);
  identity_joins out;
  const detail::json& same = top.array_or_empty("same");
  for (std::size_t i = 0; i < same.size(); ++i) {
    detail::json_object o(same[i], "/same/" + std::to_string(i), file);
    out.same.push_back({o.string("a"), o.string("b"), o.string_or("why", "")});
    o.finish();
  }
  const detail::json& links = top.array_or_empty("links");
  for (std::size_t i = 0; i < links.size(); ++i) {
    detail::json_object o(links[i], "/links/" + std::to_string(i), file);
    source_link l{.from = o.string("from"), .to = o.string("to")};
    l.kind = o.enumerator_or("kind", edge_kind_names, edge_kind::authenticates_to);
    l.probability = o.number_or("probability", 1.0);
    if (!(l.probability >= 0.0 && l.probability <= 1.0)) o.fail("probability", "expected a probability in [0, 1], got " + detail::show_number(l.probability));
    l.why = o.string_or("why", "");
    out.links.push_back(std::move(l));
    o.finish();
  }
  top.finish();
  return out;
}

/// `t` with its joins: each pair of `same` linked both ways (`authenticates_to`, probability 1:
/// holding one is holding the other), each link added. Ends are node ids, or names that one node bears.
/// Throws: input_error naming the entry (`/same/0/a`) whose end is no node, or more than one.
[[nodiscard]] inline twin join_identities(const twin& t, const identity_joins& joins) {
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_name;
  for (auto v : t.vertices()) by_name[t[v].name].push_back(v);
  auto resolve = [&](const std::string& ref, const std::string& pointer) -> std::string {
    if (t.find(ref)) return ref;
    const auto it = by_name.find(ref);
    if (it == by_name.end()) throw input_error({.pointer = pointer}, "no node has the id or name '" + ref + "'");
    if (it->second.size() > 1) throw input_error({.pointer = pointer}, std::to_string(it->second.size()) + " nodes are named '" + ref + "': give the id");
    return t.id(it->second.front());
  };
  twin_builder b = builder_from(t);
  for (std::size_t i = 0; i < joins.same.size(); ++i) {
    const std::string a = resolve(joins.same[i].a, "/same/" + std::to_string(i) + "/a");
    const std::string c = resolve(joins.same[i].b, "/same/" + std::to_string(i) + "/b");
    b.add_edge(a, c, {.kind = edge_kind::authenticates_to, .probability = 1.0});
    b.add_edge(c, a, {.kind = edge_kind::authenticates_to, .probability = 1.0});
  }
  for (std::size_t i = 0; i < joins.links.size(); ++i) {
    const source_link& l = joins.links[i];
    b.add_edge(resolve(l.from, "/links/" + std::to_string(i) + "/from"), resolve(l.to, "/links/" + std::to_string(i) + "/to"),
               {.kind = l.kind, .probability = l.probability});
  }
  return std::move(b).build();
}

}  // namespace twinrisk
