#pragma once
/// BloodHound OpenGraph, both ways: `{"graph": {"nodes": [...], "edges": [...]}}` with typed nodes
/// (`id`, `kinds`, flat `properties`) and edges (`kind`, `start`/`end` matched by id or name).
///
///     write_opengraph_file(t, "twin.opengraph.json");            // upload to BloodHound CE
///     auto [t2, summary] = import_opengraph("twin.opengraph.json");
///
/// Export writes BloodHound's own kinds where they exist (User, Computer, AdminTo, MemberOf) so
/// BloodHound's path finding works on the result, CamelCase twinrisk kinds elsewhere (AiAgent,
/// NetworkReach), and twinrisk's fields as properties (`twinrisk_kind`, `entry_point`,
/// `crown_jewel`, `probability`, `cves`, ...) so that importing it back gives the same graph.
/// Money, threats, evidence, controls and crossing times are not part of OpenGraph: keep the
/// native `.twin.json` for those.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/id_index.hpp"
#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/cvss/cvss.hpp"
#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

namespace detail {

/// "ai_agent" -> "AiAgent".
inline std::string camel_case(std::string_view snake) {
  std::string s;
  bool up = true;
  for (char c : snake) {
    if (c == '_') { up = true; continue; }
    s += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return s;
}

/// "AiAgent" -> "ai_agent" (and "ai_agent" stays as it is).
inline std::string snake_case(std::string_view camel) {
  std::string s;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const auto c = static_cast<unsigned char>(camel[i]);
    if (std::isupper(c)) {
      if (i != 0 && camel[i - 1] != '_') s += '_';
      s += static_cast<char>(std::tolower(c));
    } else {
      s += static_cast<char>(c);
    }
  }
  return s;
}

/// The OpenGraph kinds of a node: the twinrisk kind in CamelCase, then BloodHound's base kind when
/// it has one and it differs ("Workstation", "Computer").
inline std::vector<std::string> opengraph_node_kinds(node_kind kind) {
  std::vector<std::string> kinds{camel_case(to_string(kind))};
  node_kind base = kind;
  if (kind == node_kind::workstation || kind == node_kind::server) base = node_kind::host;
  for (const auto& t : bloodhound_object_types)
    if (t.kind == base && !t.name.starts_with("AZ")) {  // Active Directory kinds only: a role is not always Azure's
      if (t.name != kinds[0]) kinds.emplace_back(t.name);
      break;
    }
  return kinds;
}

/// The OpenGraph kind of an edge: BloodHound's name, else the twinrisk kind in CamelCase.
inline std::string opengraph_edge_kind(edge_kind kind) {
  const std::string_view bh = bloodhound_name(kind);
  return bh.empty() ? camel_case(to_string(kind)) : std::string(bh);
}

// Flat OpenGraph property values: primitives and arrays of primitives; anything else as its JSON text.
inline nlohmann::json flat_property(const nlohmann::json& v) {
  if (v.is_primitive()) return v;
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const nlohmann::json& x) { return x.is_primitive() && !x.is_null(); }))
    return v;
  return v.dump();
}

}  // namespace detail

/// Writes the OpenGraph document of a twin to `out` (one node or edge per line), streamed.
/// Complexity: O(V + E); memory for one node or edge at a time.
template <class T>
void write_opengraph(const T& t, std::ostream& out, std::string_view source_kind = "twinrisk") {
  using nlohmann::json;
  out << "{\"metadata\":{\"source_kind\":" << json(std::string(source_kind)).dump() << "},\n\"graph\":{\"nodes\":[\n";
  for (auto v : t.vertices()) {
    const node& n = t[v];
    json p = json::object();
    if (n.properties.is_object())
      for (auto it = n.properties.begin(); it != n.properties.end(); ++it) p[it.key()] = detail::flat_property(*it);
    p["name"] = n.name;
    p["twinrisk_kind"] = to_string(n.kind);
    if (n.entry_point) p["entry_point"] = true;
    if (n.crown_jewel) p["crown_jewel"] = true;
    if (n.privileged) p["privileged"] = true;
    if (n.tier_zero) p["tier_zero"] = *n.tier_zero;
    if (n.internet_exposed) p["internet_exposed"] = true;
    if (!n.sanctioned) p["sanctioned"] = false;
    if (n.rating != criticality::unrated) p["criticality"] = to_string(n.rating);
    if (n.gate != node_gate::any) p["gate"] = to_string(n.gate);
    if (!n.owner.empty()) p["owner"] = n.owner;
    if (!n.business_unit.empty()) p["business_unit"] = n.business_unit;
    if (!n.tags.empty()) p["tags"] = n.tags.to_vector();
    const json j = {{"id", t.id(v)}, {"kinds", detail::opengraph_node_kinds(n.kind)}, {"properties", std::move(p)}};
    out << (v == 0 ? "" : ",\n") << j.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  out << "\n],\n\"edges\":[\n";
  bool first = true;
  for (auto uv : t.edges()) {
    const edge& e = t[uv];
    json p = {{"probability", e.probability}, {"twinrisk_kind", to_string(e.kind)}};
    if (!e.vulnerabilities.empty()) {
      json cves = json::array(), cvss = json::array();
      for (const auto& x : e.vulnerabilities) cves.push_back(x.cve), cvss.push_back(x.cvss);
      p["cves"] = std::move(cves);
      p["cvss"] = std::move(cvss);
    }
    const json j = {{"kind", detail::opengraph_edge_kind(e.kind)},
                    {"start", {{"value", t.id(t.source(uv))}, {"match_by", "id"}}},
                    {"end", {{"value", t.id(t.target(uv))}, {"match_by", "id"}}},
                    {"properties", std::move(p)}};
    out << (first ? "" : ",\n") << j.dump(-1, ' ', false, json::error_handler_t::replace);
    first = false;
  }
  out << "\n]}}\n";
}

/// The OpenGraph document of a twin, as text.
template <class T>
[[nodiscard]] std::string to_opengraph(const T& t, std::string_view source_kind = "twinrisk") {
  std::ostringstream out;
  write_opengraph(t, out, source_kind);
  return std::move(out).str();
}

/// Writes the OpenGraph document of `t` to `path` (all or nothing), streamed. Throws: error naming the file.
template <class T>
void write_opengraph_file(const T& t, const std::filesystem::path& path) {
  detail::write_file_atomically(path, [&t](std::ostream& out) { write_opengraph(t, out); });
}

/// Reads an OpenGraph document, streamed (one node or edge in memory at a time besides the twin).
/// Node kinds: the first of `kinds` that names a twinrisk kind (CamelCase or snake_case) or a
/// BloodHound object type; the `twinrisk_kind` property, when present, decides. Edge kinds: a
/// BloodHound relationship (table and overrides of `options.relationships`) or a twinrisk kind;
/// the `probability` property, else the relationship's default. Entry points: the
/// `entry_point` property, else `options.entry` as for BloodHound collections; crown jewels: the
/// `crown_jewel` property, else BloodHound's tier zero marks. Unknown kinds and edge properties
/// are counted in the summary.
/// Throws: input_error with file and line or JSON pointer; an edge end that matches no node (or,
/// by name, several) is an error at the edge's pointer.
class opengraph_importer {
 public:
  explicit opengraph_importer(bloodhound_options options = {}) : options_(std::move(options)) {
    summary_.format = "opengraph";
    summary_.entry_rule = std::string(to_string(options_.entry));
  }

  void add_stream(std::istream& in, const std::string& name) {
    file_ = name;
    auto on_element = [this](std::string_view pointer, detail::json& e) {
      ++summary_.records;
      if (pointer.starts_with("/graph/nodes/")) read_node(std::string(pointer), e);
      else read_edge(std::string(pointer), e);
    };
    const detail::json skeleton = detail::stream_json(in, name, {"/graph/nodes", "/graph/edges"}, on_element);
    ++summary_.files;
    if (!skeleton.is_object() || !skeleton.contains("graph") || !skeleton["graph"].is_object())
      fail("", "expected an OpenGraph document: an object with \"graph\": {\"nodes\": [...], \"edges\": [...]}");
    const detail::json& g = skeleton["graph"];
    if (!g.contains("nodes") || !g["nodes"].is_array()) fail("/graph/nodes", "expected an array of nodes");
    if (g.contains("edges") && !g["edges"].is_array()) fail("/graph/edges", "expected an array of edges");
    for (auto it = g.begin(); it != g.end(); ++it)
      if (it.key() != "nodes" && it.key() != "edges") ++summary_.fields_not_read["graph/" + it.key()];
    for (auto it = skeleton.begin(); it != skeleton.end(); ++it)
      if (it.key() != "graph" && it.key() != "metadata") ++summary_.fields_not_read[it.key()];
  }

  [[nodiscard]] import_result finish() && {
    twin_builder b;
    b.reserve(nodes_.size(), edges_.size());
    // Names index for edges matched by name (built only when one asks).
    std::vector<std::string> names;
    detail::id_index by_name;
    std::vector<std::size_t> name_owner;  // position in `names` -> node position, npos when ambiguous
    auto resolve = [&](const end_ref& r, const std::string& at) -> std::size_t {
      if (!r.by_name) {
        const std::size_t v = index_.find(r.value, ids_);
        if (v == detail::id_index::npos) fail(at + "/value", "no node has the id '" + r.value + "'");
        return v;
      }
      if (names.empty() && !nodes_.empty()) {
        for (std::size_t v = 0; v < nodes_.size(); ++v) {
          const std::size_t seen = by_name.find(nodes_[v].name, names);
          if (seen != detail::id_index::npos) { name_owner[seen] = detail::id_index::npos; continue; }
          names.push_back(nodes_[v].name);
          name_owner.push_back(v);
          by_name.insert(names.size() - 1, names);
        }
      }
      const std::size_t i = by_name.find(r.value, names);
      if (i == detail::id_index::npos) fail(at + "/value", "no node has the name '" + r.value + "'");
      if (name_owner[i] == detail::id_index::npos) fail(at + "/value", "several nodes have the name '" + r.value + "'");
      return name_owner[i];
    };
    std::vector<std::size_t> ends(2 * edges_.size());
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      ends[2 * i] = resolve(edges_[i].start, edges_[i].pointer + "/start");
      ends[2 * i + 1] = resolve(edges_[i].end, edges_[i].pointer + "/end");
    }
    const bool any_entry = std::any_of(nodes_.begin(), nodes_.end(), [](const node& n) { return n.entry_point; });
    const std::vector<char> owned = detail::mark_owned(
        options_.owned, nodes_.size(), [&](std::size_t v) { return std::pair<std::string_view, std::string_view>(ids_[v], nodes_[v].name); },
        [](std::size_t) { return true; });
    for (std::size_t v = 0; v < nodes_.size(); ++v) {
      node& n = nodes_[v];
      if (!n.tier_zero && detail::bloodhound_tier_zero(n.properties)) n.tier_zero = std::string("marked tier zero in the graph");
      if (options_.entry == bloodhound_entry_rule::owned) {
        n.entry_point = owned[v] != 0;
      } else if (!any_entry) {  // never from tier zero
        const bool domain_users = n.kind == node_kind::group && detail::domain_users_group_id(ids_[v]);
        n.entry_point = !n.tier_zero && detail::bloodhound_entry(options_.entry, n.kind == node_kind::user, domain_users, n.properties, false);
      }
      if (!explicit_jewel_[v]) n.crown_jewel = detail::bloodhound_tier_zero(n.properties);  // BloodHound's marks, not twinrisk's reasons
      summary_.entry_points += n.entry_point;
      summary_.crown_jewels += n.crown_jewel;
      b.add_node(std::move(ids_[v]), std::move(n));
    }
    for (std::size_t i = 0; i < edges_.size(); ++i) b.add_edge(ends[2 * i], ends[2 * i + 1], std::move(edges_[i].data));
    summary_.nodes = b.num_nodes();
    summary_.edges = b.num_edges();
    b.set_name(options_.name.empty() ? "OpenGraph import" : options_.name);
    nlohmann::json metadata;
    metadata["import"] = nlohmann::json(summary_.to_json());
    b.set_metadata(std::move(metadata));
    return {std::move(b).build(), summary_};
  }

 private:
  struct end_ref {
    std::string value;
    bool by_name = false;
  };
  struct pending_edge {
    end_ref start, end;
    edge data;
    std::string pointer;
  };

  [[noreturn]] void fail(const std::string& pointer, std::string reason) const {
    throw input_error({.file = file_, .pointer = pointer}, std::move(reason));
  }

  void read_node(const std::string& at, const detail::json& j) {
    detail::json_object o(j, at, file_);
    std::string id = o.string("id");
    if (id.empty()) o.fail("id", "expected a non-empty id");
    if (index_.find(id, ids_) != detail::id_index::npos) o.fail("id", "duplicate node id '" + id + "'");
    node n;
    bool typed = false;
    for (std::size_t i = 0; const detail::json& k : o.array_or_empty("kinds")) {
      if (!k.is_string()) fail(o.pointer("kinds") + "/" + std::to_string(i), "expected a kind name (a string), got " + detail::describe(k));
      ++i;
      if (!typed) typed = node_kind_of(k.get<std::string>(), n.kind);
    }
    const detail::json* props = o.find("properties");
    o.finish();
    bool jewel = false;
    if (props != nullptr && !props->is_null()) {
      const std::string pat = o.pointer("properties");
      detail::json_object p(*props, pat, file_);
      for (auto it = props->begin(); it != props->end(); ++it) {
        const std::string& key = it.key();
        if (key == "twinrisk_kind") n.kind = p.enumerator("twinrisk_kind", node_kind_names), typed = true;
        else if (key == "name") n.name = p.string("name");
        else if (key == "entry_point") n.entry_point = p.boolean_or("entry_point", false);
        else if (key == "crown_jewel") n.crown_jewel = p.boolean_or("crown_jewel", false), jewel = true;
        else if (key == "privileged") n.privileged = p.boolean_or("privileged", false);
        else if (key == "tier_zero") n.tier_zero = p.string("tier_zero");
        else if (key == "internet_exposed") n.internet_exposed = p.boolean_or("internet_exposed", false);
        else if (key == "sanctioned") n.sanctioned = p.boolean_or("sanctioned", true);
        else if (key == "criticality") n.rating = p.enumerator("criticality", criticality_names);
        else if (key == "gate") n.gate = p.enumerator("gate", node_gate_names);
        else if (key == "owner") n.owner = p.string("owner");
        else if (key == "business_unit") n.business_unit = p.string("business_unit");
        else if (key == "tags") n.tags = detail::strings_from_json(p, "tags");
        else {
          if (detail::nested_deeper_than(*it, detail::max_property_depth)) p.fail(key, detail::too_deep_message());
          if (n.properties.is_null()) n.properties = nlohmann::json::object();
          n.properties[key] = *it;
        }
      }
    }
    if (!typed) {
      std::string shown;
      for (const auto& k : o.array_or_empty("kinds")) shown += (shown.empty() ? "" : ",") + k.get<std::string>();
      ++summary_.unknown_types[shown.empty() ? "(no kinds)" : shown];
    }
    if (n.name.empty()) n.name = id;
    ids_.push_back(std::move(id));
    index_.insert(ids_.size() - 1, ids_);
    nodes_.push_back(std::move(n));
    explicit_jewel_.push_back(jewel);
    ++summary_.records_by_type["nodes"];
  }

  static bool node_kind_of(const std::string& name, node_kind& out) {
    if (node_kind_names.find(detail::snake_case(name), out) && out != node_kind::generic) return true;
    if (const auto* t = find_bloodhound_object_type(name)) return out = t->kind, true;
    return false;
  }

  end_ref end_of(const detail::json& j, const std::string& at) const {
    detail::json_object o(j, at, file_);
    end_ref r{.value = o.string("value")};
    const std::string by = o.string_or("match_by", "id");
    if (by != "id" && by != "name") o.fail("match_by", "expected \"id\" or \"name\", got \"" + by + "\"");
    r.by_name = by == "name";
    (void)o.find("kind");  // a kind filter on the end: ids are unique here, so it is not needed
    o.finish();
    return r;
  }

  void read_edge(const std::string& at, const detail::json& j) {
    detail::json_object o(j, at, file_);
    const std::string kind = o.string("kind");
    pending_edge e{.start = end_of(o.required("start"), o.pointer("start")), .end = end_of(o.required("end"), o.pointer("end")),
                   .data = {}, .pointer = at};
    const detail::json* props = o.find("properties");
    o.finish();
    ++summary_.records_by_type["edges"];
    bool known = false;
    if (const auto ov = options_.relationships.find(kind); ov != options_.relationships.end()) {
      const auto* r = find_bloodhound_relationship(kind);
      e.data.kind = ov->second.kind ? *ov->second.kind : r->kind;
      e.data.probability = ov->second.probability;
      known = true;
    } else if (const auto* r = find_bloodhound_relationship(kind)) {
      e.data.kind = r->kind;
      e.data.probability = r->probability;
      known = true;
    } else if (edge_kind k{}; edge_kind_names.find(detail::snake_case(kind), k)) {
      e.data.kind = k;
      known = true;
    }
    if (props != nullptr && !props->is_null()) {
      detail::json_object p(*props, o.pointer("properties"), file_);
      for (auto it = props->begin(); it != props->end(); ++it) {
        const std::string& key = it.key();
        if (key == "twinrisk_kind") e.data.kind = p.enumerator("twinrisk_kind", edge_kind_names), known = true;
        else if (key == "probability") {
          e.data.probability = p.number("probability");
          if (!(e.data.probability >= 0.0 && e.data.probability <= 1.0))
            p.fail("probability", "expected a probability in [0,1], got " + detail::show_number(e.data.probability));
        }
        else if (key == "cves") read_vulnerabilities(p, e.data);
        else if (key != "cvss") ++summary_.properties_not_kept[key];
      }
    }
    if (!known) {
      ++summary_.unknown_relationships[kind];
      return;
    }
    ++summary_.edges_by_kind[kind];
    edges_.push_back(std::move(e));
  }

  void read_vulnerabilities(detail::json_object& p, edge& e) const {
    const detail::json& cves = p.array("cves");
    const detail::json& cvss = p.array_or_empty("cvss");
    if (!cvss.empty() && cvss.size() != cves.size())
      p.fail("cvss", "expected one vector per CVE (" + std::to_string(cves.size()) + "), got " + std::to_string(cvss.size()));
    std::vector<vulnerability> list;
    for (std::size_t i = 0; i < cves.size(); ++i) {
      const std::string n = "/" + std::to_string(i);
      if (!cves[i].is_string()) p.fail_at(p.pointer("cves") + n, "expected a CVE id (a string), got " + detail::describe(cves[i]));
      if (!cvss.empty() && !cvss[i].is_string())
        p.fail_at(p.pointer("cvss") + n, "expected a CVSS vector (a string), got " + detail::describe(cvss[i]));
      std::string vector = cvss.empty() ? std::string() : cvss[i].get<std::string>();
      // Scored here, as the builder would at `finish()`: there the error would name neither the
      // file nor this edge's place in the document.
      if (!vector.empty()) {
        try {
          (void)score_cvss(vector);
        } catch (const input_error& bad) {
          p.fail_at(p.pointer("cvss") + n, bad.reason());
        }
      }
      list.push_back({cves[i].get<std::string>(), std::move(vector)});
    }
    e.vulnerabilities = compact_vector<vulnerability>(list);
  }

  bloodhound_options options_;
  import_summary summary_;
  std::string file_;
  std::vector<std::string> ids_;
  detail::id_index index_;
  std::vector<node> nodes_;
  std::vector<char> explicit_jewel_;
  std::vector<pending_edge> edges_;
};

/// Imports one OpenGraph file (see `opengraph_importer`).
[[nodiscard]] inline import_result import_opengraph(const std::filesystem::path& path, bloodhound_options options = {}) {
  opengraph_importer importer(std::move(options));
  add_file(importer, path);
  return std::move(importer).finish();
}

}  // namespace twinrisk
