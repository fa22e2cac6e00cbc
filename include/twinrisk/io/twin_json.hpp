#pragma once
/// The native twin format, `*.twin.json`: read and write a `twin` exactly.
///
///     twin t = read_twin_json_file("examples/data/acme.twin.json");
///     write_twin_json_file(t, "copy.twin.json");   // read back, it equals t
///
/// The format is documented in docs/formats.md and by docs/schemas/twin.schema.json.

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/version.hpp"

namespace twinrisk {

namespace detail {

using ordered_json = nlohmann::ordered_json;

/// The deepest nesting of arrays and objects `read_twin_json` accepts. Parsing is iterative, but
/// copying, comparing and writing a JSON value recurse once per level, so a hostile `metadata` of
/// 100 000 nested arrays would overflow the stack later; real twins nest a few levels.
inline constexpr std::size_t max_twin_json_depth = 256;

/// Throws: input_error at the line and column of the first '[' or '{' nested deeper than `limit`.
/// Complexity: one pass over `text`; strings are skipped, syntax is left to the parser.
inline void check_json_depth(std::string_view text, const std::string& file, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        const auto [line, column] = line_and_column(text, i);
        throw input_error({.file = file, .line = line, .column = column},
                          "expected arrays and objects nested at most " + std::to_string(limit) + " levels deep, found more");
      }
    } else if ((c == ']' || c == '}') && depth != 0) {
      --depth;
    }
  }
}

inline distribution_spec distribution_from_json(const json& j, const std::string& pointer, const std::string& file) {
  if (j.is_number()) return distribution_spec::constant(j.get<double>());
  json_object o(j, pointer, file);
  distribution_spec d;
  d.family = o.enumerator("dist", distribution_family_names);
  switch (d.family) {
    case distribution_family::constant: d.a = d.b = d.c = o.number("value"); break;
    case distribution_family::uniform: d.a = o.number("min"); d.c = o.number("max"); break;
    case distribution_family::triangular:
    case distribution_family::pert: d.a = o.number("min"); d.b = o.number("mode"); d.c = o.number("max"); break;
    case distribution_family::lognormal: d.a = o.number("low"); d.c = o.number("high"); break;
  }
  o.finish();
  return d;
}

inline ordered_json distribution_to_json(const distribution_spec& d) {
  switch (d.family) {
    case distribution_family::constant: return d.a;
    case distribution_family::uniform: return {{"dist", "uniform"}, {"min", d.a}, {"max", d.c}};
    case distribution_family::triangular: return {{"dist", "triangular"}, {"min", d.a}, {"mode", d.b}, {"max", d.c}};
    case distribution_family::pert: return {{"dist", "pert"}, {"min", d.a}, {"mode", d.b}, {"max", d.c}};
    case distribution_family::lognormal: return {{"dist", "lognormal"}, {"low", d.a}, {"high", d.c}};
  }
  return nullptr;
}

/// Reads the `evidence` and `controls` arrays that nodes and edges share.
inline void annotations_from_json(json_object& o, compact_vector<validation_evidence>& evidence,
                                  compact_vector<control>& controls) {
  const json& ev = o.array_or_empty("evidence");
  for (std::size_t i = 0; i < ev.size(); ++i) {
    json_object e(ev[i], o.pointer("evidence") + "/" + std::to_string(i), o.file());
    validation_evidence x;
    x.status = e.enumerator("status", evidence_status_names);
    x.date = e.string_or("date", "");
    x.source = e.string_or("source", "");
    x.control = e.string_or("control", "");
    x.note = e.string_or("note", "");
    e.finish();
    evidence.push_back(std::move(x));
  }
  const json& cs = o.array_or_empty("controls");
  for (std::size_t i = 0; i < cs.size(); ++i) {
    json_object c(cs[i], o.pointer("controls") + "/" + std::to_string(i), o.file());
    control x;
    x.kind = c.enumerator("kind", control_kind_names);
    x.name = c.string_or("name", "");
    x.effectiveness = c.number("effectiveness");
    c.finish();
    controls.push_back(std::move(x));
  }
}

inline void annotations_to_json(ordered_json& out, const compact_vector<validation_evidence>& evidence,
                                const compact_vector<control>& controls) {
  if (!evidence.empty()) {
    ordered_json& a = out["evidence"] = ordered_json::array();
    for (const validation_evidence& e : evidence) {
      ordered_json x = {{"status", to_string(e.status)}};
      if (!e.date.empty()) x["date"] = e.date;
      if (!e.source.empty()) x["source"] = e.source;
      if (!e.control.empty()) x["control"] = e.control;
      if (!e.note.empty()) x["note"] = e.note;
      a.push_back(std::move(x));
    }
  }
  if (!controls.empty()) {
    ordered_json& a = out["controls"] = ordered_json::array();
    for (const control& c : controls) {
      ordered_json x = {{"kind", to_string(c.kind)}};
      if (!c.name.empty()) x["name"] = c.name;
      x["effectiveness"] = c.effectiveness;
      a.push_back(std::move(x));
    }
  }
}

inline std::vector<std::string> strings_from_json(json_object& o, std::string_view key) {
  const json& a = o.array_or_empty(key);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string())
      o.fail_at(o.pointer(key) + "/" + std::to_string(i), "expected a string, got " + describe(a[i]));
    out.push_back(a[i].get<std::string>());
  }
  return out;
}

inline node node_from_json(json_object& o) {
  const std::string& file = o.file();
  node n;
  n.kind = o.enumerator("kind", node_kind_names);
  n.name = o.string("name");
  n.tags = strings_from_json(o, "tags");
  n.owner = o.string_or("owner", "");
  n.business_unit = o.string_or("business_unit", "");
  n.entry_point = o.boolean_or("entry_point", false);
  n.internet_exposed = o.boolean_or("internet_exposed", false);
  n.crown_jewel = o.boolean_or("crown_jewel", false);
  n.sanctioned = o.boolean_or("sanctioned", true);
  n.privileged = o.boolean_or("privileged", false);
  if (o.find("tier_zero") != nullptr) {
    n.tier_zero = o.string("tier_zero");
    if (n.tier_zero->empty()) o.fail("tier_zero", "expected why the node is tier zero (a non-empty string)");
  }
  n.rating = o.enumerator_or("criticality", criticality_names, criticality::unrated);
  n.gate = o.enumerator_or("gate", node_gate_names, node_gate::any);
  if (const json* l = o.find("loss")) {
    json_object lo(*l, o.pointer("loss"), file);
    loss_magnitude m;
    m.primary = distribution_from_json(lo.required("primary"), lo.pointer("primary"), file);
    if (const json* s = lo.find("secondary")) {
      m.secondary = distribution_from_json(*s, lo.pointer("secondary"), file);
      m.secondary_probability = lo.number("secondary_probability");
    } else {
      m.secondary_probability = lo.number_or("secondary_probability", 0.0);
    }
    if (lo.find("annual_cap")) m.annual_cap = lo.number("annual_cap");
    lo.finish();
    n.loss = m;
  }
  annotations_from_json(o, n.evidence, n.controls);
  if (const json* p = o.find("properties")) {
    if (!p->is_object()) o.fail("properties", "expected an object, got " + describe(*p));
    n.properties = *p;
  }
  return n;
}

inline ordered_json node_to_json(const std::string& id, const node& n) {
  ordered_json j = {{"id", id}, {"kind", to_string(n.kind)}, {"name", n.name}};
  if (!n.tags.empty()) j["tags"] = n.tags.to_vector();
  if (!n.owner.empty()) j["owner"] = n.owner;
  if (!n.business_unit.empty()) j["business_unit"] = n.business_unit;
  if (n.entry_point) j["entry_point"] = true;
  if (n.internet_exposed) j["internet_exposed"] = true;
  if (n.crown_jewel) j["crown_jewel"] = true;
  if (!n.sanctioned) j["sanctioned"] = false;
  if (n.privileged) j["privileged"] = true;
  if (n.tier_zero) j["tier_zero"] = *n.tier_zero;
  if (n.rating != criticality::unrated) j["criticality"] = to_string(n.rating);
  if (n.gate != node_gate::any) j["gate"] = to_string(n.gate);
  if (n.loss) {
    ordered_json l = {{"primary", distribution_to_json(n.loss->primary)}};
    if (n.loss->secondary) l["secondary"] = distribution_to_json(*n.loss->secondary);
    if (n.loss->secondary || n.loss->secondary_probability != 0.0) l["secondary_probability"] = n.loss->secondary_probability;
    if (n.loss->annual_cap) l["annual_cap"] = *n.loss->annual_cap;
    j["loss"] = std::move(l);
  }
  annotations_to_json(j, n.evidence, n.controls);
  if (!n.properties.is_null()) j["properties"] = n.properties;
  return j;
}

inline edge edge_from_json(json_object& o) {
  edge e;
  e.kind = o.enumerator("kind", edge_kind_names);
  const json& p = o.required("probability");
  if (!p.is_number()) o.fail("probability", "expected a number in [0,1], got " + describe(p));
  e.probability = p.get<double>();
  const json& vs = o.array_or_empty("vulnerabilities");
  for (std::size_t i = 0; i < vs.size(); ++i) {
    json_object v(vs[i], o.pointer("vulnerabilities") + "/" + std::to_string(i), o.file());
    e.vulnerabilities.push_back({v.string("cve"), v.string_or("cvss", "")});
    v.finish();
  }
  annotations_from_json(o, e.evidence, e.controls);
  if (const json* h = o.find("hours")) e.hours = distribution_from_json(*h, o.pointer("hours"), o.file());
  return e;
}

inline ordered_json edge_to_json(const std::string& from, const std::string& to, const edge& e) {
  ordered_json j = {{"from", from}, {"to", to}, {"kind", to_string(e.kind)}, {"probability", e.probability}};
  if (!e.vulnerabilities.empty()) {
    ordered_json& a = j["vulnerabilities"] = ordered_json::array();
    for (const vulnerability& v : e.vulnerabilities) {
      ordered_json x = {{"cve", v.cve}};
      if (!v.cvss.empty()) x["cvss"] = v.cvss;
      a.push_back(std::move(x));
    }
  }
  annotations_to_json(j, e.evidence, e.controls);
  if (e.hours) j["hours"] = distribution_to_json(*e.hours);
  return j;
}

inline void threat_from_json(json_object& o, twin_builder& b) {
  threat t;
  t.id = o.string("id");
  t.name = o.string_or("name", t.id);
  t.frequency = distribution_from_json(o.required("frequency"), o.pointer("frequency"), o.file());
  t.capability = o.number_or("capability", 1.0);
  if (const json* h = o.find("detect_hours")) t.detect_hours = distribution_from_json(*h, o.pointer("detect_hours"), o.file());
  std::vector<threat_entry_ref> entries;
  const json& es = o.array("entry_points");
  for (std::size_t i = 0; i < es.size(); ++i) {
    if (es[i].is_string()) {
      entries.push_back({es[i].get<std::string>(), 1.0});
      continue;
    }
    json_object e(es[i], o.pointer("entry_points") + "/" + std::to_string(i), o.file());
    entries.push_back({e.string("node"), e.number_or("weight", 1.0)});
    e.finish();
  }
  o.finish();
  b.add_threat(std::move(t), std::move(entries));
}

/// {"assets": [id, id], "correlation": x}.
inline void loss_correlation_from_json(json_object& o, twin_builder& b) {
  const json& assets = o.array("assets");
  if (assets.size() != 2 || !assets[0].is_string() || !assets[1].is_string())
    o.fail("assets", "expected two node ids, got " + describe(assets));
  const double correlation = o.number("correlation");
  o.finish();
  b.add_loss_correlation(assets[0].get<std::string>(), assets[1].get<std::string>(), correlation);
}

inline ordered_json loss_correlation_to_json(const twin& t, const loss_correlation& c) {
  return {{"assets", {t.id(c.a), t.id(c.b)}}, {"correlation", c.correlation}};
}

inline ordered_json threat_to_json(const twin& t, const threat& th) {
  ordered_json j = {{"id", th.id}, {"name", th.name}, {"frequency", distribution_to_json(th.frequency)}};
  ordered_json& es = j["entry_points"] = ordered_json::array();
  for (const threat_entry& e : th.entry_points) {
    if (e.weight == 1.0) es.push_back(t.id(e.vertex));
    else es.push_back({{"node", t.id(e.vertex)}, {"weight", e.weight}});
  }
  if (th.capability != 1.0) j["capability"] = th.capability;
  if (th.detect_hours) j["detect_hours"] = distribution_to_json(*th.detect_hours);
  return j;
}

}  // namespace detail

/// Reads a twin from the text of a `*.twin.json` document; `file` names it in errors.
/// Throws: input_error with file, line and column for malformed JSON; with file and JSON pointer
/// for wrong types, missing or unknown members, unknown kinds, values out of range, duplicate
/// ids and dangling references; with line and column for arrays and objects nested deeper than
/// `detail::max_twin_json_depth` (256). Nothing is returned half-read.
[[nodiscard]] inline twin parse_twin_json(std::string_view text, const std::string& file = "<twin>") {
  using detail::json;
  detail::check_json_depth(text, file, detail::max_twin_json_depth);
  const json doc = detail::parse_json(text, file);
  detail::json_object top(doc, "", file);
  const json& version = top.required("twinrisk");
  if (!version.is_number_integer() || version.get<std::int64_t>() < 1)
    top.fail("twinrisk", "expected the format version, an integer >= 1, got " + detail::describe(version));
  if (version.get<std::int64_t>() > twin_format_version)
    top.fail("twinrisk", "format version " + version.dump() + " is newer than this reader's (" +
                             std::to_string(twin_format_version) + "); upgrade twinrisk");
  twin_builder b;
  try {
    b.set_name(top.string_or("name", ""));
    b.set_currency(top.string_or("currency", ""));
    if (const json* m = top.find("metadata")) b.set_metadata(*m);
    const json& nodes = top.array("nodes");
    const json& edges = top.array("edges");
    b.reserve(nodes.size(), edges.size(), /*by_id=*/true);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      detail::json_object o(nodes[i], "/nodes/" + std::to_string(i), file);
      std::string id = o.string("id");
      node n = detail::node_from_json(o);
      o.finish();
      b.add_node(std::move(id), std::move(n));
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
      detail::json_object o(edges[i], "/edges/" + std::to_string(i), file);
      std::string from = o.string("from");
      std::string to = o.string("to");
      edge e = detail::edge_from_json(o);
      o.finish();
      b.add_edge(std::move(from), std::move(to), std::move(e));
    }
    const json& threats = top.array_or_empty("threats");
    for (std::size_t i = 0; i < threats.size(); ++i) {
      detail::json_object o(threats[i], "/threats/" + std::to_string(i), file);
      detail::threat_from_json(o, b);
    }
    const json& correlations = top.array_or_empty("loss_correlations");
    for (std::size_t i = 0; i < correlations.size(); ++i) {
      detail::json_object o(correlations[i], "/loss_correlations/" + std::to_string(i), file);
      detail::loss_correlation_from_json(o, b);
    }
    top.finish();
    return std::move(b).build();
  } catch (const input_error& e) {
    if (!e.where().file.empty()) throw;
    throw e.in_file(file);  // the builder's errors carry the logical path only
  }
}

/// The former name of `parse_twin_json`.
[[deprecated("use parse_twin_json")]] [[nodiscard]] inline twin read_twin_json(std::string_view text, const std::string& file = "<twin>") {
  return parse_twin_json(text, file);
}

/// Reads a `*.twin.json` file. Throws: input_error as `parse_twin_json`, or when unreadable.
[[nodiscard]] inline twin read_twin_json_file(const std::filesystem::path& path) {
  return parse_twin_json(detail::read_file(path), path.string());
}

/// The JSON document of `t`: reading it back gives a twin equal to `t`.
[[nodiscard]] inline nlohmann::ordered_json to_json(const twin& t) {
  using detail::ordered_json;
  ordered_json doc = {{"twinrisk", twin_format_version}};
  if (!t.info().name.empty()) doc["name"] = t.info().name;
  if (!t.info().currency.empty()) doc["currency"] = t.info().currency;
  if (!t.info().metadata.is_null()) doc["metadata"] = t.info().metadata;
  ordered_json& nodes = doc["nodes"] = ordered_json::array();
  for (auto v : t.vertices()) nodes.push_back(detail::node_to_json(t.id(v), t[v]));
  ordered_json& edges = doc["edges"] = ordered_json::array();
  for (auto uv : t.edges()) edges.push_back(detail::edge_to_json(t.id(t.source(uv)), t.id(t.target(uv)), t[uv]));
  if (!t.info().threats.empty()) {
    ordered_json& threats = doc["threats"] = ordered_json::array();
    for (const threat& th : t.info().threats) threats.push_back(detail::threat_to_json(t, th));
  }
  if (!t.info().loss_correlations.empty()) {
    ordered_json& correlations = doc["loss_correlations"] = ordered_json::array();
    for (const loss_correlation& c : t.info().loss_correlations) correlations.push_back(detail::loss_correlation_to_json(t, c));
  }
  return doc;
}

/// Writes `t` as `*.twin.json` text to `out`: one node, edge or threat per line, so files diff well.
/// Streams: memory for one node or edge at a time, not for the whole document.
inline void write_twin_json(const twin& t, std::ostream& out) {
  using detail::ordered_json;
  const auto member = [&out](const char* key, const ordered_json& value) { out << ",\n  \"" << key << "\": " << value.dump(); };
  out << "{\n  \"twinrisk\": " << ordered_json(twin_format_version).dump();
  if (!t.info().name.empty()) member("name", t.info().name);
  if (!t.info().currency.empty()) member("currency", t.info().currency);
  if (!t.info().metadata.is_null()) member("metadata", ordered_json(t.info().metadata));
  // Items of an array, one per line, as `to_json` lays them out.
  const auto array = [&out](const char* key, std::size_t count, const auto& item) {
    out << ",\n  \"" << key << "\": [";
    for (std::size_t i = 0; i < count; ++i) out << (i ? ",\n    " : "\n    ") << item(i).dump();
    out << (count == 0 ? "]" : "\n  ]");
  };
  array("nodes", t.num_nodes(), [&t](std::size_t v) { return detail::node_to_json(t.id(v), t[v]); });
  std::vector<twin::edge_descriptor> edges;
  edges.reserve(t.num_edges());
  for (auto uv : t.edges()) edges.push_back(uv);
  array("edges", edges.size(), [&](std::size_t i) {
    const auto uv = edges[i];
    return detail::edge_to_json(t.id(t.source(uv)), t.id(t.target(uv)), t[uv]);
  });
  if (!t.info().threats.empty())
    array("threats", t.info().threats.size(), [&t](std::size_t i) { return detail::threat_to_json(t, t.info().threats[i]); });
  if (!t.info().loss_correlations.empty())
    array("loss_correlations", t.info().loss_correlations.size(),
          [&t](std::size_t i) { return detail::loss_correlation_to_json(t, t.info().loss_correlations[i]); });
  out << "\n}\n";
}

/// `t` as `*.twin.json` text (see the stream overload).
[[nodiscard]] inline std::string write_twin_json(const twin& t) {
  std::ostringstream out;
  write_twin_json(t, out);
  return std::move(out).str();
}

/// Writes `t` to `path` atomically (a failed write leaves any old file intact), streamed.
/// Throws: error naming the file.
inline void write_twin_json_file(const twin& t, const std::filesystem::path& path) {
  detail::write_file_atomically(path, [&t](std::ostream& out) { write_twin_json(t, out); });
}

}  // namespace twinrisk
