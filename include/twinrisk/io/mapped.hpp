#pragma once
/// Any inventory into a twin, without C++: CSV, JSON or JSON Lines read through a declarative
/// mapping file that says which records become which nodes and edges.
///
///     mapping m = read_mapping_file("examples/mappings/servicenow-cmdb.json");
///     mapped_importer importer(std::move(m));
///     add_inputs(importer, {"cmdb_ci.csv", "cmdb_rel_ci.json"});
///     auto [t, summary] = std::move(importer).finish();
///
/// A mapping is a JSON object: `name` (the twin's), `description`, and `sources`, each a kind of
/// input file chosen by the glob `files` on the file's name (the first source that matches; one
/// without `files` takes every file); a mapping of one source may put its members at the top.
/// A source states its `format` (`csv`, `json`, `jsonl`), where a JSON document keeps its
/// records (`records`, a JSON pointer), how values are normalised, which records it `skip`s,
/// and its `nodes` and `edges` rules. Every rule whose `when` holds applies to a record.
/// Values are columns (CSV), members or JSON pointers (`/tags/env`) of a record, used through
/// templates (`"ci:{sys_id}"`, `{fqdn|name}` for the first non-empty), conditions (`in`,
/// `not_in`, `matches`, `present`, `at_least`, `above`, `at_most`, `below`, `all`, `any`,
/// `not`) and maps (`{"column", "map", "default"}`). docs/importing.md lists every key.
///
/// Nothing is dropped silently: a record no rule takes, an empty id or endpoint, a value no map
/// names are counted in the summary's `unknown_types` (nodes: kept as `generic` when only the
/// kind is unknown) or `unknown_relationships` (edges: not imported); columns no rule reads in
/// `fields_not_read` (unless the source lists them in `ignore`); records the mapping skips in
/// `records_by_type`; nodes that records describe differently, merged by id, in `assumptions`. An edge whose end
/// no record describes gets a placeholder node (`generic`, property `placeholder`).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/closest_names.hpp"
#include "twinrisk/detail/enum_names.hpp"
#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/detail/csv_reader.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// The formats a mapping reads.
enum class mapped_format : std::uint8_t { csv, json, jsonl };

inline constexpr detail::enum_names<mapped_format, 3> mapped_format_names{"format", {"csv", "json", "jsonl"}};

namespace detail {

/// Text with `{column}` placeholders; `{a|b}` takes the first non-empty of a and b. The whole
/// text is empty when a placeholder finds every column empty. `{{` and `}}` are braces.
struct mapped_template {
  struct part {
    std::string text{};                  // literal text, when `columns` is empty
    std::vector<std::string> columns{};  // a placeholder's alternatives
  };
  std::vector<part> parts{};
  [[nodiscard]] bool empty() const noexcept { return parts.empty(); }
};

/// A test on a record: constant, on one column, or a combination.
struct mapped_condition {
  enum class op : std::uint8_t { always, never, in, not_in, matches, present, at_least, above, at_most, below, all, any, negate };
  op test = op::always;
  std::string column{};
  std::vector<std::string> values{};  // in, not_in, matches
  bool present = true;
  double number = 0.0;
  std::vector<mapped_condition> children{};  // all, any, negate (one)
};

/// An enum value: a constant name, or a column's value looked up in a map (case-insensitive),
/// then as a name, then `fallback`.
template <class Enum>
struct mapped_enum {
  std::string column{};  // empty: `constant`
  Enum constant{};
  std::vector<std::pair<std::string, Enum>> map{};
  std::optional<Enum> fallback{};
};

/// An edge probability: a constant, a column's value (itself, through a map, or scaled linearly
/// from [from0, from1] to [to0, to1]).
struct mapped_probability {
  double constant = 1.0;
  std::string column{};
  bool has_map = false, linear = false;
  std::vector<std::pair<std::string, double>> map{};
  std::optional<double> fallback{};
  double from0 = 0.0, from1 = 1.0, to0 = 0.0, to1 = 1.0;
};

/// A tag: a template (with an optional condition), or every value of a column (a list, an
/// object's `key:value` pairs, or text split at `split`).
struct mapped_tag {
  mapped_template value{};
  std::optional<mapped_condition> when{};
  std::string column{};  // non-empty: every value of the column
  std::string split{};
};

struct mapped_node_rule {
  std::optional<mapped_condition> when{};
  mapped_template id{}, name{}, owner{}, business_unit{};
  mapped_enum<node_kind> kind{};
  std::vector<mapped_tag> tags{};
  std::optional<mapped_condition> entry_point{}, internet_exposed{}, crown_jewel{}, sanctioned{}, privileged{};
  std::optional<mapped_enum<criticality>> rating{};
  std::vector<std::pair<std::string, std::string>> properties{};  // property name, column
};

struct mapped_edge_rule {
  std::optional<mapped_condition> when{};
  mapped_template from{}, to{};
  mapped_enum<edge_kind> kind{};
  mapped_probability probability{};
};

/// One kind of input file of a mapping.
struct mapped_source {
  std::string files{};  // glob on the file's name; empty: every file
  mapped_format format = mapped_format::csv;
  std::string records{};  // json: the JSON pointer of the records' array
  char delimiter = ',';
  mapped_template type{};  // names a record's type in the summary
  std::string label{};     // the type when `type` is empty or gives ""
  bool trim = true;
  std::set<std::string, std::less<>> lower_case{}, upper_case{}, ignore{};
  std::vector<std::string> empty_values{};  // values read as empty ("NULL", "N/A")
  std::optional<mapped_condition> skip{};
  std::vector<mapped_node_rule> nodes{};
  std::vector<mapped_edge_rule> edges{};
  std::set<std::string, std::less<>> columns{};  // every column the rules read
  std::set<std::string, std::less<>> keys{};     // the records' members they read (JSON: a pointer's first token)
};

/// True when `name` matches the glob `pattern` (`*`, `?`), ignoring ASCII case.
[[nodiscard]] inline bool glob_matches(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  const auto same = [](char a, char b) { return same_text_ignoring_case(std::string_view(&a, 1), std::string_view(&b, 1)); };
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], name[n])))) {
      ++p, ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

/// A number written as text ("7", "0.25", "-3e2"); nothing for other text, NaN or infinities.
[[nodiscard]] inline std::optional<double> number_in_text(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

/// `s` without leading and trailing spaces, tabs and line breaks.
[[nodiscard]] inline std::string_view trimmed(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

/// The value at `p` in `j`, or nullptr (also for an array index that is no number or too large).
[[nodiscard]] inline const json* find_pointer(const json& j, const json::json_pointer& p) {
  try {
    return j.contains(p) ? &j.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

/// Reads a mapping file's JSON into sources, checking every member.
class mapping_reader {
 public:
  explicit mapping_reader(const std::string& file) : file_(file) {}

  mapped_source source(json_object& o, std::string_view label) {
    mapped_source s;
    source_ = &s;
    s.files = o.string_or("files", "");
    s.label = s.files.empty() ? std::string(label) : s.files;
    s.format = o.enumerator("format", mapped_format_names);
    if (o.find("records")) {
      if (s.format != mapped_format::json) o.fail("records", "only a JSON document (format json) has a records pointer");
      s.records = o.string("records");
      check_pointer(s.records, o.pointer("records"));
    }
    if (const json* d = o.find("delimiter")) {
      if (s.format != mapped_format::csv) o.fail("delimiter", "only CSV (format csv) has a delimiter");
      const std::string text = o.string("delimiter");
      if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r")
        o.fail("delimiter", "expected one character such as \",\", \";\" or \"\\t\", got " + describe(*d));
      s.delimiter = text[0];
    }
    if (o.find("type")) s.type = read_template(o.required("type"), o.pointer("type"));
    if (const json* n = o.find("normalise")) {
      json_object no(*n, o.pointer("normalise"), file_);
      s.trim = no.boolean_or("trim", true);
      s.lower_case = column_set(no, "lower_case");
      s.upper_case = column_set(no, "upper_case");
      for (const std::string& c : s.lower_case)
        if (s.upper_case.count(c) != 0) no.fail("upper_case", "column '" + c + "' is also in lower_case");
      const json& empty = no.array_or_empty("empty");
      for (std::size_t i = 0; i < empty.size(); ++i) s.empty_values.push_back(scalar_text(empty[i], no.pointer("empty") + "/" + std::to_string(i)));
      no.finish();
    }
    s.ignore = column_set(o, "ignore");
    if (const json* k = o.find("skip")) s.skip = condition(*k, o.pointer("skip"));
    const json& nodes = o.array_or_empty("nodes");
    for (std::size_t i = 0; i < nodes.size(); ++i) s.nodes.push_back(node_rule(nodes[i], o.pointer("nodes") + "/" + std::to_string(i)));
    const json& edges = o.array_or_empty("edges");
    for (std::size_t i = 0; i < edges.size(); ++i) s.edges.push_back(edge_rule(edges[i], o.pointer("edges") + "/" + std::to_string(i)));
    o.finish();  // unknown members first: a misspelt "nodes" is the likelier mistake
    if (s.nodes.empty() && s.edges.empty()) o.fail_at(o.pointer(), "a source without rules: give it \"nodes\" or \"edges\"");
    source_ = nullptr;
    return s;
  }

 private:
  [[noreturn]] void fail(const std::string& pointer, std::string reason) const {
    throw input_error({.file = file_, .pointer = pointer}, std::move(reason));
  }

  void check_pointer(const std::string& p, const std::string& at) const {
    try {
      (void)json::json_pointer(p);
    } catch (const json::exception&) {
      fail(at, "expected a JSON pointer such as \"/result\", got \"" + printable_excerpt(p, 60) + "\"");
    }
  }

  // A column a rule reads: a CSV header name, a record's member, or a pointer into the record.
  void column(const std::string& c, const std::string& at) {
    if (c.empty()) fail(at, "expected a column name, got \"\"");
    if (c.front() == '/') {
      if (source_->format == mapped_format::csv)
        fail(at, "a JSON pointer ('" + c + "') needs JSON records: CSV columns are named by their header");
      check_pointer(c, at);
      const std::string first = c.substr(1, c.find('/', 1) - 1);
      source_->keys.insert(json::json_pointer("/" + first).back());
    } else {
      source_->keys.insert(c);
    }
    source_->columns.insert(c);
  }

  std::string column_of(json_object& o, std::string_view key) {
    const std::string c = o.string(key);
    column(c, o.pointer(key));
    return c;
  }

  std::set<std::string, std::less<>> column_set(json_object& o, std::string_view key) {
    std::set<std::string, std::less<>> out;
    const json& a = o.array_or_empty(key);
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string()) o.fail_at(o.pointer(key) + "/" + std::to_string(i), "expected a column name, got " + describe(a[i]));
      out.insert(a[i].get<std::string>());
    }
    return out;
  }

  // "Production", 1, true: a value a condition or a map compares with, as text.
  std::string scalar_text(const json& j, const std::string& at) const {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_number() || j.is_boolean()) return j.dump();
    fail(at, "expected a text, number or boolean to compare with, got " + describe(j));
  }

  mapped_template read_template(const json& j, const std::string& at) {
    if (!j.is_string()) fail(at, "expected a template such as \"{sys_id}\" or \"host:{fqdn|name}\", got " + describe(j));
    const std::string& text = j.get_ref<const std::string&>();
    mapped_template t;
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
        literal += c;
        ++i;
      } else if (c == '}') {
        fail(at, "a '}' without its '{' at character " + std::to_string(i + 1) + " (write '}}' for a brace)");
      } else if (c == '{') {
        const std::size_t close = text.find('}', i + 1);
        if (close == std::string::npos) fail(at, "a '{' without its '}' at character " + std::to_string(i + 1));
        if (!literal.empty()) t.parts.push_back({.text = std::move(literal)}), literal.clear();
        mapped_template::part p;
        const std::string inside = text.substr(i + 1, close - i - 1);
        for (std::size_t start = 0; start <= inside.size();) {
          const std::size_t bar = std::min(inside.find('|', start), inside.size());
          std::string c2(trimmed(std::string_view(inside).substr(start, bar - start)));
          if (c2.empty()) fail(at, "an empty placeholder in \"" + printable_excerpt(text, 80) + "\": name a column, such as {name}");
          column(c2, at);
          p.columns.push_back(std::move(c2));
          start = bar + 1;
        }
        t.parts.push_back(std::move(p));
        i = close;
      } else {
        literal += c;
      }
    }
    if (!literal.empty()) t.parts.push_back({.text = std::move(literal)});
    return t;
  }

  mapped_condition condition(const json& j, const std::string& at, std::size_t depth = 0) {
    using op = mapped_condition::op;
    if (depth > 32) fail(at, "conditions nested more than 32 deep");
    if (j.is_boolean()) return {.test = j.get<bool>() ? op::always : op::never};
    if (!j.is_object()) fail(at, "expected a condition: true, false or an object such as {\"column\": \"status\", \"in\": [\"Active\"]}, got " + describe(j));
    json_object o(j, at, file_);
    static constexpr std::pair<std::string_view, op> tests[] = {
        {"in", op::in},         {"not_in", op::not_in}, {"matches", op::matches}, {"present", op::present}, {"at_least", op::at_least},
        {"above", op::above},   {"at_most", op::at_most}, {"below", op::below},   {"all", op::all},         {"any", op::any},
        {"not", op::negate}};
    std::vector<std::pair<std::string_view, op>> found;
    for (const auto& t : tests)
      if (o.find(t.first)) found.push_back(t);
    if (found.size() != 1) {
      if (found.empty())
        o.fail_at(at, "expected one test: 'in', 'not_in', 'matches', 'present', 'at_least', 'above', 'at_most', 'below', 'all', 'any' or 'not'");
      o.fail_at(at, "expected one test, got both '" + std::string(found[0].first) + "' and '" + std::string(found[1].first) + "' (combine them with 'all')");
    }
    const auto [key, test] = found.front();
    mapped_condition c{.test = test};
    const std::string p = o.pointer(key);
    if (test == op::all || test == op::any || test == op::negate) {
      if (o.find("column")) o.fail("column", "'" + std::string(key) + "' combines conditions: it reads no column itself");
      if (test == op::negate) {
        c.children.push_back(condition(o.required(key), p, depth + 1));
      } else {
        const json& a = o.array(key);
        if (a.empty()) o.fail(key, "expected at least one condition");
        for (std::size_t i = 0; i < a.size(); ++i) c.children.push_back(condition(a[i], p + "/" + std::to_string(i), depth + 1));
      }
    } else {
      c.column = column_of(o, "column");
      const json& v = o.required(key);
      if (test == op::present) {
        if (!v.is_boolean()) o.fail(key, "expected true or false, got " + describe(v));
        c.present = v.get<bool>();
      } else if (test == op::in || test == op::not_in || test == op::matches) {
        if (v.is_array()) {
          if (v.empty()) o.fail(key, "expected at least one value");
          for (std::size_t i = 0; i < v.size(); ++i) c.values.push_back(scalar_text(v[i], p + "/" + std::to_string(i)));
        } else {
          c.values.push_back(scalar_text(v, p));
        }
      } else {
        if (!v.is_number()) o.fail(key, "expected a number, got " + describe(v));
        c.number = v.get<double>();
      }
    }
    o.finish();
    return c;
  }

  template <class Enum, class Names>
  Enum enum_name(const json& j, const std::string& at, const Names& names) const {
    if (!j.is_string()) fail(at, "expected the name of a " + std::string(names.what) + ", got " + describe(j));
    return names.parse(j.get_ref<const std::string&>(), {.file = file_, .pointer = at});
  }

  template <class Enum, class Names>
  mapped_enum<Enum> enum_value(const json& j, const std::string& at, const Names& names) {
    mapped_enum<Enum> e;
    if (j.is_string()) {
      e.constant = enum_name<Enum>(j, at, names);
      return e;
    }
    if (!j.is_object())
      fail(at, "expected the name of a " + std::string(names.what) + ", or {\"column\", \"map\", \"default\"}, got " + describe(j));
    json_object o(j, at, file_);
    e.column = column_of(o, "column");
    if (const json* m = o.find("map")) {
      if (!m->is_object()) o.fail("map", "expected an object from values to " + std::string(names.what) + " names, got " + describe(*m));
      for (const auto& [value, name] : m->items())
        e.map.emplace_back(lower_case_ascii(value), enum_name<Enum>(name, o.pointer("map") + "/" + pointer_token(value), names));
    }
    if (const json* d = o.find("default")) e.fallback = enum_name<Enum>(*d, o.pointer("default"), names);
    o.finish();
    return e;
  }

  double probability_number(const json& j, const std::string& at) const {
    if (!j.is_number()) fail(at, "expected a probability in [0,1], got " + describe(j));
    const double p = j.get<double>();
    if (!(p >= 0.0 && p <= 1.0)) fail(at, "expected a probability in [0,1], got " + show_number(p));
    return p;
  }

  mapped_probability probability(const json& j, const std::string& at) {
    mapped_probability p;
    if (j.is_number()) {
      p.constant = probability_number(j, at);
      return p;
    }
    if (!j.is_object()) fail(at, "expected a probability in [0,1], or {\"column\", \"map\" | \"from\" and \"to\", \"default\"}, got " + describe(j));
    json_object o(j, at, file_);
    p.column = column_of(o, "column");
    if (const json* m = o.find("map")) {
      if (!m->is_object()) o.fail("map", "expected an object from values to probabilities, got " + describe(*m));
      p.has_map = true;
      for (const auto& [value, x] : m->items()) p.map.emplace_back(lower_case_ascii(value), probability_number(x, o.pointer("map") + "/" + pointer_token(value)));
    }
    const json* from = o.find("from");
    const json* to = o.find("to");
    if (from || to) {
      if (p.has_map) o.fail(from ? "from" : "to", "give either a map or a range (from, to), not both");
      if (!from || !to) o.fail_at(at, std::string("a range needs both 'from' and 'to' (missing '") + (from ? "to" : "from") + "')");
      auto pair = [&](const json& a, std::string_view key, bool probabilities) {
        if (!a.is_array() || a.size() != 2 || !a[0].is_number() || !a[1].is_number())
          o.fail(key, "expected two numbers such as [0, 10], got " + describe(a));
        const std::string pk = o.pointer(key);
        return probabilities ? std::pair{probability_number(a[0], pk + "/0"), probability_number(a[1], pk + "/1")}
                             : std::pair{a[0].get<double>(), a[1].get<double>()};
      };
      std::tie(p.from0, p.from1) = pair(*from, "from", false);
      std::tie(p.to0, p.to1) = pair(*to, "to", true);
      if (p.from0 == p.from1) o.fail("from", "expected two different numbers, got " + from->dump());
      p.linear = true;
    }
    if (const json* d = o.find("default")) p.fallback = probability_number(*d, o.pointer("default"));
    o.finish();
    return p;
  }

  std::optional<mapped_condition> optional_condition(json_object& o, std::string_view key) {
    const json* j = o.find(key);
    return j ? std::optional(condition(*j, o.pointer(key))) : std::nullopt;
  }

  mapped_template optional_template(json_object& o, std::string_view key) {
    const json* j = o.find(key);
    return j ? read_template(*j, o.pointer(key)) : mapped_template{};
  }

  mapped_node_rule node_rule(const json& j, const std::string& at) {
    json_object o(j, at, file_);
    mapped_node_rule r;
    r.when = optional_condition(o, "when");
    r.id = read_template(o.required("id"), o.pointer("id"));
    if (r.id.empty()) o.fail("id", "expected a template such as \"{sys_id}\", got \"\"");
    r.name = optional_template(o, "name");
    r.kind = enum_value<node_kind>(o.required("kind"), o.pointer("kind"), node_kind_names);
    r.owner = optional_template(o, "owner");
    r.business_unit = optional_template(o, "business_unit");
    const json& tags = o.array_or_empty("tags");
    for (std::size_t i = 0; i < tags.size(); ++i) r.tags.push_back(tag(tags[i], o.pointer("tags") + "/" + std::to_string(i)));
    r.entry_point = optional_condition(o, "entry_point");
    r.internet_exposed = optional_condition(o, "internet_exposed");
    r.crown_jewel = optional_condition(o, "crown_jewel");
    r.sanctioned = optional_condition(o, "sanctioned");
    r.privileged = optional_condition(o, "privileged");
    if (const json* c = o.find("criticality")) r.rating = enum_value<criticality>(*c, o.pointer("criticality"), criticality_names);
    if (const json* p = o.find("properties")) {
      const std::string pp = o.pointer("properties");
      if (p->is_array()) {
        for (std::size_t i = 0; i < p->size(); ++i) {
          const json& c = (*p)[i];
          if (!c.is_string()) fail(pp + "/" + std::to_string(i), "expected a column name, got " + describe(c));
          const std::string col = c.get<std::string>();
          column(col, pp + "/" + std::to_string(i));
          r.properties.emplace_back(col.front() == '/' ? json::json_pointer(col).back() : col, col);
        }
      } else if (p->is_object()) {
        for (const auto& [name, c] : p->items()) {
          const std::string at_name = pp + "/" + pointer_token(name);
          if (!c.is_string()) fail(at_name, "expected a column name, got " + describe(c));
          column(c.get<std::string>(), at_name);
          r.properties.emplace_back(name, c.get<std::string>());
        }
      } else {
        o.fail("properties", "expected a list of columns, or an object from property names to columns, got " + describe(*p));
      }
    }
    o.finish();
    return r;
  }

  mapped_tag tag(const json& j, const std::string& at) {
    mapped_tag t;
    if (j.is_string()) {
      t.value = read_template(j, at);
      return t;
    }
    if (!j.is_object()) fail(at, "expected a template such as \"env:{environment}\", {\"value\", \"when\"} or {\"column\", \"split\"}, got " + describe(j));
    json_object o(j, at, file_);
    if (o.find("column")) {
      t.column = column_of(o, "column");
      t.split = o.string_or("split", "");
      if (o.find("value")) o.fail("value", "a tag takes either a template (value) or every value of a column (column), not both");
    } else {
      t.value = read_template(o.required("value"), o.pointer("value"));
    }
    t.when = optional_condition(o, "when");
    o.finish();
    return t;
  }

  mapped_edge_rule edge_rule(const json& j, const std::string& at) {
    json_object o(j, at, file_);
    mapped_edge_rule r;
    r.when = optional_condition(o, "when");
    r.from = read_template(o.required("from"), o.pointer("from"));
    r.to = read_template(o.required("to"), o.pointer("to"));
    if (r.from.empty()) o.fail("from", "expected a template such as \"{parent}\", got \"\"");
    if (r.to.empty()) o.fail("to", "expected a template such as \"{child}\", got \"\"");
    r.kind = enum_value<edge_kind>(o.required("kind"), o.pointer("kind"), edge_kind_names);
    if (const json* p = o.find("probability")) r.probability = probability(*p, o.pointer("probability"));
    o.finish();
    return r;
  }

  const std::string& file_;
  mapped_source* source_ = nullptr;
};

/// One record being mapped: a CSV row or a JSON object, with where it is for messages.
class mapped_record {
 public:
  mapped_record(const mapped_source& s, const std::vector<std::string>& fields, const std::unordered_map<std::string, std::size_t>& header,
                const std::string& file, std::size_t line)
      : s_(s), fields_(&fields), header_(&header), file_(file), line_(line) {}
  mapped_record(const mapped_source& s, const json& j, const std::string& file, std::size_t line, std::string pointer)
      : s_(s), object_(&j), file_(file), line_(line), pointer_(std::move(pointer)) {}

  /// The JSON value of `column` (JSON records), or nullptr when the record has none.
  [[nodiscard]] const json* value(const std::string& column) const {
    if (object_ == nullptr) return nullptr;
    if (column.front() != '/') {
      const auto it = object_->find(column);
      return it == object_->end() ? nullptr : &*it;
    }
    return find_pointer(*object_, json::json_pointer(column));  // checked when the mapping was read
  }

  /// The normalised text of `column`; "" when missing or null.
  /// Throws: input_error when a JSON record's value is an object or an array.
  [[nodiscard]] std::string text(const std::string& column) const {
    std::string raw;
    if (object_ == nullptr) {
      raw = (*fields_)[header_->at(column)];
    } else if (const json* v = value(column)) {
      if (v->is_object() || v->is_array())
        fail(column, "expected a text, number or boolean, got " + describe(*v) + " (name a member with a JSON pointer, such as {/" +
                         pointer_token(column.front() == '/' ? column.substr(1) : column) + "/value})");
      raw = scalar(*v);
    }
    return normalise(column, std::move(raw));
  }

  /// `raw` as the source normalises `column`'s values.
  [[nodiscard]] std::string normalise(const std::string& column, std::string raw) const {
    if (s_.trim) raw = std::string(trimmed(raw));
    for (const std::string& e : s_.empty_values)
      if (same_text_ignoring_case(raw, e)) return {};
    if (s_.lower_case.count(column) != 0) return lower_case_ascii(raw);
    if (s_.upper_case.count(column) != 0) return upper_case_ascii(raw);
    return raw;
  }

  /// A JSON scalar as text ("" for null).
  [[nodiscard]] static std::string scalar(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return {};
    return v.dump();
  }

  /// Throws: input_error at `column` of this record.
  [[noreturn]] void fail(const std::string& column, std::string reason) const {
    if (object_ == nullptr) throw input_error({.file = file_, .line = line_}, "column '" + column + "': " + reason);
    const std::string at = column.front() == '/' ? column : "/" + pointer_token(column);
    throw input_error({.file = file_, .line = line_, .pointer = pointer_ + at}, std::move(reason));
  }

  [[nodiscard]] const mapped_source& source() const noexcept { return s_; }

 private:
  const mapped_source& s_;
  const std::vector<std::string>* fields_ = nullptr;
  const std::unordered_map<std::string, std::size_t>* header_ = nullptr;
  const json* object_ = nullptr;
  const std::string& file_;
  std::size_t line_ = 0;
  std::string pointer_{};
};

/// The text of `t` for record `r` ("" when a placeholder finds all its columns empty).
[[nodiscard]] inline std::string render(const mapped_template& t, const mapped_record& r) {
  std::string out;
  for (const mapped_template::part& p : t.parts) {
    if (p.columns.empty()) {
      out += p.text;
      continue;
    }
    std::string v;
    for (const std::string& c : p.columns)
      if (v = r.text(c); !v.empty()) break;
    if (v.empty()) return {};
    out += v;
  }
  return out;
}

/// Whether condition `c` holds for record `r`. Throws: input_error on a numeric test of text
/// that is not a number.
[[nodiscard]] inline bool holds(const mapped_condition& c, const mapped_record& r) {
  using op = mapped_condition::op;
  switch (c.test) {
    case op::always: return true;
    case op::never: return false;
    case op::all: return std::all_of(c.children.begin(), c.children.end(), [&](const mapped_condition& x) { return holds(x, r); });
    case op::any: return std::any_of(c.children.begin(), c.children.end(), [&](const mapped_condition& x) { return holds(x, r); });
    case op::negate: return !holds(c.children.front(), r);
    default: break;
  }
  const std::string v = r.text(c.column);
  const auto any_value = [&](auto&& match) { return std::any_of(c.values.begin(), c.values.end(), match); };
  switch (c.test) {
    case op::in: return any_value([&](const std::string& x) { return same_text_ignoring_case(v, x); });
    case op::not_in: return !any_value([&](const std::string& x) { return same_text_ignoring_case(v, x); });
    case op::matches: return any_value([&](const std::string& x) { return glob_matches(x, v); });
    case op::present: return v.empty() != c.present;
    default: break;
  }
  if (v.empty()) return false;
  const std::optional<double> x = number_in_text(v);
  if (!x) r.fail(c.column, "expected a number to compare with " + show_number(c.number) + ", got \"" + printable_excerpt(v, 60) + "\"");
  switch (c.test) {
    case op::at_least: return *x >= c.number;
    case op::above: return *x > c.number;
    case op::at_most: return *x <= c.number;
    default: return *x < c.number;
  }
}

}  // namespace detail

/// A mapping file, read and checked: what `mapped_importer` follows.
struct mapping {
  std::string name{};  ///< the twin's name (empty: "mapped inventory")
  std::string file{};  ///< where it was read, for messages
  std::vector<detail::mapped_source> sources{};
};

/// Reads the JSON text of a mapping file; `file` names it in errors.
/// Throws: input_error with file and JSON pointer on malformed JSON, an unknown member (naming
/// the closest valid ones), an unknown node or edge kind, a bad template, condition or
/// probability, a JSON pointer column in a CSV source.
[[nodiscard]] inline mapping parse_mapping(std::string_view text, const std::string& file) {
  const detail::json j = detail::parse_json(text, file);
  detail::json_object o(j, "", file);
  mapping m{.name = o.string_or("name", ""), .file = file};
  (void)o.string_or("description", "");
  detail::mapping_reader reader(file);
  if (const detail::json* sources = o.find("sources")) {
    if (!sources->is_array()) o.fail("sources", "expected a list of sources, got " + detail::describe(*sources));
    if (sources->empty()) o.fail("sources", "expected at least one source");
    for (std::size_t i = 0; i < sources->size(); ++i) {
      detail::json_object so((*sources)[i], o.pointer("sources") + "/" + std::to_string(i), file);
      m.sources.push_back(reader.source(so, "source " + std::to_string(i)));
    }
    for (const char* key : {"files", "format", "records", "delimiter", "type", "normalise", "ignore", "skip", "nodes", "edges"})
      if (j.contains(key)) o.fail(key, std::string("a mapping with sources states '") + key + "' in each source");
    o.finish();
  } else {
    m.sources.push_back(reader.source(o, "records"));  // finishes `o`
  }
  return m;
}

/// Reads the mapping file at `path`. Throws: input_error as parse_mapping, or when it cannot be read.
[[nodiscard]] inline mapping read_mapping_file(const std::filesystem::path& path) {
  return parse_mapping(detail::read_file(path), path.string());
}

/// Reads inventories (CSV, JSON, JSON Lines) through a mapping and builds a twin of them.
class mapped_importer {
 public:
  explicit mapped_importer(mapping m) : mapping_(std::move(m)) { summary_.format = "mapped"; }

  /// Reads one input with the first source whose `files` matches its name (after the last '/',
  /// '\\' or ':', so an archive's entries match by their own names).
  /// Throws: input_error naming the file when no source takes it; with line (CSV, JSON Lines) or
  /// JSON pointer, and column, on malformed data, a column the mapping reads that the CSV header
  /// lacks, a number or probability a rule needs that the value is not.
  void add_stream(std::istream& in, const std::string& file) {
    const std::size_t slash = file.find_last_of("/\\:");
    const std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
    const auto s = std::find_if(mapping_.sources.begin(), mapping_.sources.end(),
                                [&](const detail::mapped_source& x) { return x.files.empty() || detail::glob_matches(x.files, name); });
    if (s == mapping_.sources.end()) {
      std::string globs;
      for (const detail::mapped_source& x : mapping_.sources) globs += (globs.empty() ? "'" : ", '") + x.files + "'";
      throw input_error({.file = file}, "no source of the mapping " + mapping_.file + " takes this file (their files: " + globs + ")");
    }
    const std::string text(std::istreambuf_iterator<char>(in), {});
    switch (s->format) {
      case mapped_format::csv: read_csv(*s, text, file); break;
      case mapped_format::json: read_json(*s, text, file); break;
      case mapped_format::jsonl: read_jsonl(*s, text, file); break;
    }
    ++summary_.files;
  }

  /// The twin. Throws: input_error as the builder does (it should not: ids are merged here).
  [[nodiscard]] import_result finish() && {
    twin_builder b;
    b.set_name(mapping_.name.empty() ? "mapped inventory" : mapping_.name);
    for (const pending_edge& e : edges_)
      for (const std::string* end : {&e.from, &e.to})
        if (index_.try_emplace(*end, nodes_.size()).second) {
          nodes_.emplace_back(*end, node{.name = *end, .properties = nlohmann::json{{"placeholder", true}}});
          ++summary_.placeholder_nodes;
        }
    for (auto& [id, n] : nodes_) {
      summary_.entry_points += n.entry_point;
      summary_.crown_jewels += n.crown_jewel;
    }
    std::set<std::tuple<std::string_view, std::string_view, edge_kind>> seen;
    std::vector<const pending_edge*> kept;
    for (const pending_edge& e : edges_) {
      if (!seen.emplace(e.from, e.to, e.data.kind).second) {
        ++summary_.duplicate_edges;
        continue;
      }
      kept.push_back(&e);
      ++summary_.edges_by_kind[std::string(to_string(e.data.kind))];
    }
    summary_.nodes = nodes_.size();
    summary_.edges = kept.size();
    b.set_metadata(nlohmann::json{{"import", nlohmann::json(summary_.to_json())}});
    for (auto& [id, n] : nodes_) b.add_node(id, std::move(n));
    for (const pending_edge* e : kept) b.add_edge(e->from, e->to, e->data);
    return {std::move(b).build(), summary_};
  }

 private:
  struct pending_edge {
    std::string from, to;
    edge data;
  };

  void read_csv(const detail::mapped_source& s, std::string_view text, const std::string& file) {
    detail::csv_reader reader(text, file, s.delimiter);
    detail::csv_row header, row;
    if (!reader.next(header)) throw input_error({.file = file}, "expected a header line naming the columns, got an empty file");
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      std::string c = s.trim ? std::string(detail::trimmed(header.fields[i])) : header.fields[i];
      if (!index.emplace(c, i).second) throw input_error({.file = file, .line = header.line}, "column '" + c + "' appears twice in the header");
      names.push_back(std::move(c));
    }
    for (const std::string& c : s.columns)
      if (index.count(c) == 0)
        throw input_error({.file = file, .line = header.line}, "no column '" + c + "' in the header, which the mapping reads; did you mean " +
                                                                  detail::quoted_list(detail::closest_names(c, names)) + "?");
    std::vector<std::size_t> unread;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (s.columns.count(names[i]) == 0 && s.ignore.count(names[i]) == 0) unread.push_back(i);
    while (reader.next(row)) {
      if (row.fields.size() != names.size())
        throw input_error({.file = file, .line = row.line}, "expected " + std::to_string(names.size()) + " fields, as the header has, got " +
                                                                std::to_string(row.fields.size()));
      add_record(detail::mapped_record(s, row.fields, index, file, row.line));
      for (std::size_t i : unread)
        if (!detail::trimmed(row.fields[i]).empty()) ++summary_.fields_not_read[names[i]];
    }
  }

  void read_json(const detail::mapped_source& s, std::string_view text, const std::string& file) {
    const detail::json doc = detail::parse_json(text, file);
    const detail::json* found = detail::find_pointer(doc, detail::json::json_pointer(s.records));
    if (found == nullptr || !found->is_array())
      throw input_error({.file = file, .pointer = s.records}, "expected the array of records here (the mapping's records: \"" + s.records +
                                                                  "\"), got " + (found ? detail::describe(*found) : std::string("nothing")));
    const detail::json& records = *found;
    for (std::size_t i = 0; i < records.size(); ++i) add_json_record(s, records[i], file, 0, s.records + "/" + std::to_string(i));
  }

  void read_jsonl(const detail::mapped_source& s, std::string_view text, const std::string& file) {
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t end = std::min(text.find('\n', pos), text.size());
      const std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      ++n;
      if (detail::trimmed(line).empty()) continue;
      detail::json j;
      try {
        j = detail::parse_json(line, file);
      } catch (const input_error& e) {  // place it on its line of the file
        throw input_error({.file = file, .line = n, .column = e.where().line != 0 ? e.where().column : 0, .pointer = e.where().pointer}, e.reason());
      }
      add_json_record(s, j, file, n, "");
    }
  }

  void add_json_record(const detail::mapped_source& s, const detail::json& j, const std::string& file, std::size_t line, const std::string& pointer) {
    if (!j.is_object())
      throw input_error({.file = file, .line = line, .pointer = pointer.empty() && line == 0 ? "/" : pointer},
                        "expected a record (a JSON object), got " + detail::describe(j));
    add_record(detail::mapped_record(s, j, file, line, pointer));
    for (const auto& [key, v] : j.items())
      if (s.keys.count(key) == 0 && s.ignore.count(key) == 0 && !v.is_null() && v != "") ++summary_.fields_not_read[key];
  }

  template <class Enum, class Names>
  std::optional<Enum> lookup(const detail::mapped_enum<Enum>& e, const detail::mapped_record& r, const Names& names, std::string& value) {
    if (e.column.empty()) return e.constant;
    value = r.text(e.column);
    const std::string key = detail::lower_case_ascii(value);
    for (const auto& [k, x] : e.map)
      if (k == key) return x;
    Enum x{};
    if (!value.empty() && names.find(value, x)) return x;
    return e.fallback;
  }

  double probability(const detail::mapped_probability& p, const detail::mapped_record& r) {
    if (p.column.empty()) return p.constant;
    const std::string v = r.text(p.column);
    if (p.has_map) {
      const std::string key = detail::lower_case_ascii(v);
      for (const auto& [k, x] : p.map)
        if (k == key) return x;
      if (p.fallback) return *p.fallback;
      r.fail(p.column, "no probability for \"" + printable(v) + "\": the mapping's map has none and no default");
    }
    if (v.empty()) {
      if (p.fallback) return *p.fallback;
      r.fail(p.column, "expected a number for the probability, got an empty value (the mapping gives no default)");
    }
    const std::optional<double> x = detail::number_in_text(v);
    if (!x) r.fail(p.column, "expected a number for the probability, got \"" + printable(v) + "\"");
    if (p.linear) {
      const double lo = std::min(p.from0, p.from1), hi = std::max(p.from0, p.from1);
      if (*x < lo || *x > hi)
        r.fail(p.column, "expected a number in [" + detail::show_number(lo) + ", " + detail::show_number(hi) + "], got \"" + printable(v) + "\"");
      return std::clamp(p.to0 + (*x - p.from0) * (p.to1 - p.to0) / (p.from1 - p.from0), 0.0, 1.0);
    }
    if (!(*x >= 0.0 && *x <= 1.0)) r.fail(p.column, "expected a probability in [0,1], got \"" + printable(v) + "\"");
    return *x;
  }

  static std::string printable(std::string_view v) { return detail::printable_excerpt(v, 60); }

  void add_record(const detail::mapped_record& r) {
    const detail::mapped_source& s = r.source();
    ++summary_.records;
    std::string type = s.type.empty() ? std::string() : detail::render(s.type, r);
    if (type.empty()) type = s.label;
    if (s.skip && detail::holds(*s.skip, r)) {
      ++summary_.records_by_type[type + " (skipped by the mapping)"];
      return;
    }
    ++summary_.records_by_type[type];
    bool taken = false;
    for (const detail::mapped_node_rule& rule : s.nodes) {
      if (rule.when && !detail::holds(*rule.when, r)) continue;
      taken = true;
      std::string id = detail::render(rule.id, r);
      if (id.empty()) {
        ++summary_.unknown_types[type + " (empty id)"];
        continue;
      }
      add_node(std::move(id), make_node(rule, r));
    }
    for (const detail::mapped_edge_rule& rule : s.edges) {
      if (rule.when && !detail::holds(*rule.when, r)) continue;
      taken = true;
      std::string from = detail::render(rule.from, r), to = detail::render(rule.to, r);
      if (from.empty() || to.empty()) {
        ++summary_.unknown_relationships[type + (from.empty() ? " (empty from)" : " (empty to)")];
        continue;
      }
      std::string value;
      const std::optional<edge_kind> kind = lookup(rule.kind, r, edge_kind_names, value);
      if (!kind) {
        ++summary_.unknown_relationships[rule.kind.column + "=" + value];
        continue;
      }
      edges_.push_back({std::move(from), std::move(to), edge{.kind = *kind, .probability = probability(rule.probability, r)}});
    }
    if (!taken) ++(s.nodes.empty() ? summary_.unknown_relationships : summary_.unknown_types)[type + " (no rule)"];
  }

  node make_node(const detail::mapped_node_rule& rule, const detail::mapped_record& r) {
    node n;
    std::string value;
    if (const std::optional<node_kind> k = lookup(rule.kind, r, node_kind_names, value)) {
      n.kind = *k;
    } else {
      ++summary_.unknown_types[rule.kind.column + "=" + value];
    }
    n.name = detail::render(rule.name, r);
    n.owner = detail::render(rule.owner, r);
    n.business_unit = detail::render(rule.business_unit, r);
    const auto flag = [&](const std::optional<detail::mapped_condition>& c, bool fallback) { return c ? detail::holds(*c, r) : fallback; };
    n.entry_point = flag(rule.entry_point, false);
    n.internet_exposed = flag(rule.internet_exposed, false);
    n.crown_jewel = flag(rule.crown_jewel, false);
    n.sanctioned = flag(rule.sanctioned, true);
    n.privileged = flag(rule.privileged, false);
    if (rule.rating) {
      if (const std::optional<criticality> c = lookup(*rule.rating, r, criticality_names, value)) n.rating = *c;
      else if (!value.empty()) ++summary_.unknown_types[rule.rating->column + "=" + value];
    }
    std::vector<std::string> tags;
    const auto add_tag = [&tags](std::string t) {
      if (!t.empty() && std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(std::move(t));
    };
    for (const detail::mapped_tag& t : rule.tags) {
      if (t.when && !detail::holds(*t.when, r)) continue;
      if (t.column.empty()) {
        add_tag(detail::render(t.value, r));
        continue;
      }
      const detail::json* v = r.value(t.column);
      if (v != nullptr && v->is_object()) {
        for (const auto& [k, x] : v->items()) {
          const std::string text = r.normalise(t.column, detail::mapped_record::scalar(x.is_primitive() ? x : detail::json()));
          add_tag(text.empty() ? k : k + ":" + text);
        }
      } else if (v != nullptr && v->is_array()) {
        for (const detail::json& x : *v)
          if (x.is_primitive()) add_tag(r.normalise(t.column, detail::mapped_record::scalar(x)));
      } else {
        const std::string text = r.text(t.column);
        if (t.split.empty()) {
          add_tag(text);
        } else {
          for (std::size_t start = 0; start <= text.size();) {
            const std::size_t at = std::min(text.find(t.split, start), text.size());
            add_tag(std::string(detail::trimmed(std::string_view(text).substr(start, at - start))));
            start = at + t.split.size();
          }
        }
      }
    }
    n.tags = std::move(tags);
    for (const auto& [name, column] : rule.properties) {
      const detail::json* v = r.value(column);
      if (v != nullptr && !v->is_string()) {
        if (!v->is_null()) n.properties[name] = *v;
      } else if (std::string text = r.text(column); !text.empty()) {
        n.properties[name] = std::move(text);
      }
    }
    return n;
  }

  // A node, or what another record says of a node already described: flags are combined.
  void add_node(std::string id, node n) {
    if (n.name.empty()) n.name = id;
    const auto [it, added] = index_.try_emplace(id, nodes_.size());
    if (added) {
      nodes_.emplace_back(std::move(id), std::move(n));
      return;
    }
    node& m = nodes_[it->second].second;
    if (m == n) return;  // the same description again (a constant node, such as "internet")
    ++summary_.assumptions["nodes described differently by several records, merged by id (the first name and kind kept)"];
    if (m.kind == node_kind::generic) m.kind = n.kind;
    if (m.owner.empty()) m.owner = std::move(n.owner);
    if (m.business_unit.empty()) m.business_unit = std::move(n.business_unit);
    m.entry_point = m.entry_point || n.entry_point;
    m.internet_exposed = m.internet_exposed || n.internet_exposed;
    m.crown_jewel = m.crown_jewel || n.crown_jewel;
    m.sanctioned = m.sanctioned && n.sanctioned;
    m.privileged = m.privileged || n.privileged;
    m.rating = std::max(m.rating, n.rating);
    for (const std::string& t : n.tags)
      if (std::find(m.tags.begin(), m.tags.end(), t) == m.tags.end()) m.tags.push_back(t);
    if (n.properties.is_object())
      for (const auto& [k, v] : n.properties.items())
        if (!m.properties.contains(k)) m.properties[k] = v;
  }

  mapping mapping_;
  import_summary summary_;
  std::vector<std::pair<std::string, node>> nodes_;  // in the order first described
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<pending_edge> edges_;
};

}  // namespace twinrisk
