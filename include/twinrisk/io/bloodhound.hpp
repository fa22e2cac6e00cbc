#pragma once
/// BloodHound collections into a twin: SharpHound JSON files (format versions 4 to 6), streamed.
///
///     bloodhound_importer importer({.entry = bloodhound_entry_rule::enabled_users});
///     add_inputs(importer, {"collection/", "20261201_users.json"});  // io/importer.hpp
///     auto [t, summary] = std::move(importer).finish();
///
/// Objects become nodes with their ObjectIdentifier as id; relationships become edges by the table
/// of io/bloodhound_kinds.hpp; DCSync is derived from GetChanges + GetChangesAll as BloodHound does.
/// Every record is streamed (one object in memory at a time). Unknown object types, relationships,
/// properties and fields are counted in the `import_summary`, never silently dropped.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <unordered_map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/id_index.hpp"
#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/bloodhound_kinds.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// Which principals an imported collection's attackers start from.
enum class bloodhound_entry_rule : std::uint8_t {
  enabled_users,  ///< every enabled user (anyone can be phished): BloodHound's "domain users" view
  all_users,      ///< every user, enabled or not
  owned,          ///< only the principals listed in `bloodhound_options::owned` (ids or names)
};

/// How to import a collection.
struct bloodhound_options {
  bloodhound_entry_rule entry = bloodhound_entry_rule::enabled_users;
  std::vector<std::string> owned{};      ///< with `owned`: ObjectIdentifiers or names ("ALICE@CORP.LOCAL", any case)
  relationship_overrides relationships{};  ///< probabilities file: per-relationship probability and mappings
  std::string name{};                      ///< the twin's name; default "BloodHound collection (<domains>)"
};

namespace detail {

/// How deeply a property value kept from a collection may nest arrays and objects. Copying,
/// comparing and writing JSON recurse once per level, so a hostile value of 100 000 levels would
/// overflow the stack; 128 also keeps every imported twin readable as `*.twin.json` (256 levels).
inline constexpr std::size_t max_property_depth = 128;

/// Whether `j` nests arrays and objects more than `limit` levels deep (`j` itself is level 1).
/// Iterative, so that checking cannot overflow the stack either. Complexity: O(size of `j`).
inline bool nested_deeper_than(const nlohmann::json& j, std::size_t limit) {
  if (!j.is_structured()) return false;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> unvisited{{&j, 1}};
  while (!unvisited.empty()) {
    const auto [x, depth] = unvisited.back();
    unvisited.pop_back();
    if (depth > limit) return true;
    for (const nlohmann::json& child : *x)  // the values of an object, the elements of an array
      if (child.is_structured()) unvisited.emplace_back(&child, depth + 1);
  }
  return false;
}

/// The message for a value nested deeper than `max_property_depth`.
inline std::string too_deep_message() {
  return "expected a value nested at most " + std::to_string(max_property_depth) + " levels deep, found more";
}

inline bool true_property(const nlohmann::json& props, const char* key) {
  if (!props.is_object()) return false;
  const auto it = props.find(key);
  return it != props.end() && it->is_boolean() && it->get<bool>();
}

/// BloodHound's tier zero marks: `highvalue` or `isTierZero` true, or `system_tags` naming
/// "admin_tier_0".
inline bool bloodhound_tier_zero(const nlohmann::json& props) {
  if (true_property(props, "highvalue") || true_property(props, "isTierZero")) return true;
  if (!props.is_object()) return false;
  const auto tags = props.find("system_tags");
  return tags != props.end() && tags->is_string() && tags->get_ref<const std::string&>().find("admin_tier_0") != std::string::npos;
}

/// Whether a principal is an entry point under `rule` (`owned`: whether the user listed it).
inline bool bloodhound_entry(bloodhound_entry_rule rule, bool is_user, const nlohmann::json& props, bool owned) {
  switch (rule) {
    case bloodhound_entry_rule::owned: return owned;
    case bloodhound_entry_rule::all_users: return is_user;
    case bloodhound_entry_rule::enabled_users: return is_user && true_property(props, "enabled");
  }
  return false;
}

/// Marks the principals listed in `owned` (ids or names, any case) among `count` objects whose
/// id and name `id_and_name(i)` gives and that `usable(i)`. Throws: input_error naming the first
/// listed principal that matches nothing.
template <class IdAndName, class Usable>
std::vector<char> mark_owned(const std::vector<std::string>& owned, std::size_t count, IdAndName&& id_and_name, Usable&& usable) {
  std::vector<char> marks(count, 0);
  for (const std::string& who : owned) {
    bool found = false;
    for (std::size_t i = 0; i < count; ++i) {
      if (!usable(i)) continue;
      const auto [id, name] = id_and_name(i);
      if (same_text_ignoring_case(id, who) || same_text_ignoring_case(name, who)) marks[i] = 1, found = true;
    }
    if (!found) throw input_error({.pointer = "owned"}, "no object has the id or name '" + who + "'");
  }
  return marks;
}

}  // namespace detail

/// Reads SharpHound collection files one by one and builds a twin at `finish()`.
/// Files may come in any order (a relationship may name an object described in a later file).
/// Exception safety: a file that fails leaves what earlier files added; the caller usually stops.
class bloodhound_importer {
 public:
  explicit bloodhound_importer(bloodhound_options options = {}) : options_(std::move(options)) {
    for (const auto& r : bloodhound_relationships) add_relationship(std::string(r.name), r.kind, r.probability);
    for (const auto& [name, o] : options_.relationships) {
      const auto* known = find_bloodhound_relationship(name);
      add_relationship(name, o.kind ? *o.kind : known->kind, o.probability);
    }
    summary_.format = "bloodhound";
  }

  /// Streams one collection from `in`; `name` is the file name errors give. Throws: input_error
  /// naming it with the line and column of a syntax error or the JSON pointer of a bad record.
  void add_stream(std::istream& in, const std::string& name) {
    file_ = name;
    defined_in_file_.clear();
    records_in_file_ = strings_in_file_ = 0;
    first_string_.clear();
    auto on_record = [this](std::string_view pointer, detail::json& record) { read_record(pointer, record); };
    const detail::json skeleton = detail::stream_json(in, name, {"/data"}, on_record);
    finish_file(skeleton);
  }

  /// Builds the twin. Throws: input_error when an owned principal names no object.
  [[nodiscard]] import_result finish() && {
    derive_dcsync();
    merge_duplicate_edges();
    remove_deleted();
    return build();
  }

 private:
  static constexpr std::uint32_t none = static_cast<std::uint32_t>(-1);

  struct object {
    std::string name{};
    node_kind kind = node_kind::generic;
    std::string type{};  // BloodHound type ("User"), empty when unknown
    bool described = false;
    bool deleted = false;
    nlohmann::json properties{};
  };
  struct relationship {
    std::string name;
    edge_kind kind;
    double probability;
  };
  struct link {
    std::uint32_t from, to, rel;
    auto operator<=>(const link&) const = default;
  };

  void add_relationship(std::string name, edge_kind kind, double probability) {
    if (const auto it = slot_of_.find(name); it != slot_of_.end()) {
      relationships_[it->second] = {std::move(name), kind, probability};
      return;
    }
    slot_of_.emplace(name, static_cast<std::uint32_t>(relationships_.size()));
    relationships_.push_back({std::move(name), kind, probability});
  }
  std::uint32_t relationship_slot(std::string_view name) const {
    const auto it = slot_of_.find(name);
    return it == slot_of_.end() ? none : it->second;
  }

  // ---- records ---------------------------------------------------------------------------

  [[noreturn]] void fail(const detail::lazy_pointer& at, std::string reason) const {
    throw input_error({.file = file_, .pointer = at.str()}, std::move(reason));
  }
  [[noreturn]] void fail(const std::string& pointer, std::string reason) const {
    throw input_error({.file = file_, .pointer = pointer}, std::move(reason));
  }

  void read_record(std::string_view pointer, detail::json& r) {
    ++summary_.records;
    ++records_in_file_;
    const detail::lazy_pointer at(pointer);
    if (r.is_string()) {  // deleted.json lists ObjectIdentifiers
      ++strings_in_file_;
      if (first_string_.empty()) first_string_ = at.str();
      deleted_ids_.push_back(r.get<std::string>());
      return;
    }
    if (!r.is_object()) fail(at, "expected an object (a BloodHound record), got " + detail::describe(r));
    if (r.contains("ComputerSID") && r.contains("UserSID") && !r.contains("ObjectIdentifier")) {
      read_session(r, at, none);  // sessions.json
      return;
    }
    if (r.contains("kind") && r.contains("data") && !r.contains("ObjectIdentifier")) {
      read_azure(r, at);  // AzureHound: {"kind": "AZUser", "data": {...}}
      return;
    }
    const std::string id = id_of(r, "ObjectIdentifier", at);
    const std::uint32_t v = node_of(id, {});
    object& o = objects_[v];
    o.described = true;
    defined_in_file_.push_back(v);
    for (auto it = r.begin(); it != r.end(); ++it) read_field(v, it.key(), it.value(), at / it.key());
  }

  void read_field(std::uint32_t v, const std::string& key, const detail::json& value, const detail::lazy_pointer& at) {
    if (key == "ObjectIdentifier" || key == "IsACLProtected" || key == "Status" || key == "DomainSID") return;
    if (key == "Properties") return read_properties(v, value, at);
    if (key == "IsDeleted") {
      if (value.is_boolean() && value.get<bool>()) objects_[v].deleted = true;
      return;
    }
    if (key == "Aces") return read_aces(v, value, at);
    if (key == "Members") return for_refs(value, at, [&](std::uint32_t m) { add_link(m, v, "MemberOf"); });
    if (key == "PrimaryGroupSID") {
      if (value.is_null()) return;
      add_link(v, node_of(id_of(value, at), "Group"), "MemberOf");
      return;
    }
    if (key == "LocalAdmins") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "AdminTo"); });
    if (key == "RemoteDesktopUsers") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "CanRDP"); });
    if (key == "DcomUsers") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "ExecuteDCOM"); });
    if (key == "PSRemoteUsers") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "CanPSRemote"); });
    if (key == "LocalGroups") return read_local_groups(v, value, at);
    if (key == "Sessions" || key == "PrivilegedSessions" || key == "RegistrySessions") {
      const detail::json& results = results_of(value, at);
      const detail::lazy_pointer results_at(at, value.is_array() ? std::string_view() : "Results");
      for (std::size_t i = 0; i < results.size(); ++i) read_session(results[i], results_at / i, v);
      return;
    }
    if (key == "AllowedToDelegate") return for_refs(value, at, [&](std::uint32_t t) { add_link(v, t, "AllowedToDelegate"); });
    if (key == "AllowedToAct") return for_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "AllowedToAct"); });
    if (key == "HasSIDHistory") return for_refs(value, at, [&](std::uint32_t t) { add_link(v, t, "HasSIDHistory"); });
    if (key == "ChildObjects") return for_refs(value, at, [&](std::uint32_t c) { add_link(v, c, "Contains"); });
    if (key == "ContainedBy") {
      if (!value.is_null()) add_link(ref(value, at), v, "Contains");
      return;
    }
    if (key == "Links") return read_links(v, value, at);
    if (key == "SpnTargets") return read_spn_targets(v, value, at);
    if (key == "Trusts") return read_trusts(v, value, at);
    if (key == "GPOChanges") return read_gpo_changes(value, at);
    ++summary_.fields_not_read[key];
  }

  // Properties: the name becomes the node's name; a documented set is kept; the rest is counted.
  void read_properties(std::uint32_t v, const detail::json& props, const detail::lazy_pointer& at) {
    if (props.is_null()) return;
    if (!props.is_object()) fail(at, "expected an object of properties, got " + detail::describe(props));
    object& o = objects_[v];
    for (auto it = props.begin(); it != props.end(); ++it) {
      const std::string& k = it.key();
      if (k == "name" && it->is_string()) {
        o.name = it->get<std::string>();
      } else if (is_kept_property(k)) {
        if (detail::nested_deeper_than(*it, detail::max_property_depth)) fail(at / k, detail::too_deep_message());
        if (o.properties.is_null()) o.properties = nlohmann::json::object();
        o.properties[k] = *it;
      } else {
        ++summary_.properties_not_kept[k];
      }
    }
  }

  /// The properties a node keeps (docs/importing.md).
  static bool is_kept_property(std::string_view k) {
    static constexpr std::string_view kept[] = {
        "enabled", "admincount", "highvalue", "isTierZero", "system_tags", "operatingsystem", "lastlogon",
        "lastlogontimestamp", "pwdlastset", "domain", "domainsid", "distinguishedname", "hasspn", "dontreqpreauth",
        "unconstraineddelegation", "trustedtoauth", "sensitive", "haslaps", "pwdneverexpires", "passwordnotreqd",
        "serviceprincipalnames", "description", "displayname", "email", "title", "samaccountname"};
    return std::find(std::begin(kept), std::end(kept), k) != std::end(kept);
  }

  void read_aces(std::uint32_t v, const detail::json& aces, const detail::lazy_pointer& at) {
    for_each_element(aces, at, "ACEs", [&](const detail::json& ace, const detail::lazy_pointer& here) {
      if (!ace.is_object()) fail(here, "expected an ACE object, got " + detail::describe(ace));
      const std::string principal = id_of(ace, "PrincipalSID", here);
      const auto right = ace.find("RightName");
      if (right == ace.end() || !right->is_string()) fail(here / "RightName", "expected the name of a right (a string)");
      const std::string type = optional_string(ace, "PrincipalType", here);
      add_link(node_of(principal, type), v, right->get<std::string>());
    });
  }

  void read_local_groups(std::uint32_t v, const detail::json& groups, const detail::lazy_pointer& at) {
    for_each_element(groups, at, "local groups", [&](const detail::json& g, const detail::lazy_pointer& here) {
      const std::string group = id_of(g, "ObjectIdentifier", here);
      // The well-known local group RIDs BloodHound turns into computer rights.
      const char* rel = group.ends_with("-544")   ? "AdminTo"
                        : group.ends_with("-555") ? "CanRDP"
                        : group.ends_with("-562") ? "ExecuteDCOM"
                        : group.ends_with("-580") ? "CanPSRemote"
                                                  : nullptr;
      if (rel == nullptr) {
        ++summary_.fields_not_read["LocalGroups (other than Administrators, Remote Desktop, DCOM, Remote Management)"];
        return;
      }
      for_refs(results_of(g, here), here / "Results", [&](std::uint32_t p) { add_link(p, v, rel); });
    });
  }

  // A session: the computer holds the user's credentials (Computer -HasSession-> User).
  void read_session(const detail::json& s, const detail::lazy_pointer& at, std::uint32_t computer) {
    if (!s.is_object()) fail(at, "expected a session object, got " + detail::describe(s));
    const std::uint32_t user = node_of(id_of(s, "UserSID", at), "User");
    const std::uint32_t c = s.contains("ComputerSID") ? node_of(id_of(s, "ComputerSID", at), "Computer") : computer;
    if (c == none) fail(at, "missing member 'ComputerSID'");
    add_link(c, user, "HasSession");
  }

  void read_links(std::uint32_t v, const detail::json& links, const detail::lazy_pointer& at) {
    for_each_element(links, at, "GPO links", [&](const detail::json& l, const detail::lazy_pointer& here) {
      add_link(node_of(id_of(l, "GUID", here), "GPO"), v, "GPLink");
    });
  }

  void read_spn_targets(std::uint32_t v, const detail::json& targets, const detail::lazy_pointer& at) {
    for_each_element(targets, at, "SPN targets", [&](const detail::json& target, const detail::lazy_pointer& here) {
      const std::string computer = id_of(target, "ComputerSID", here);
      const std::string service = optional_string(target, "Service", here);
      if (service == "SQLAdmin")
        add_link(v, node_of(computer, "Computer"), "SQLAdmin");
      else
        ++summary_.unknown_relationships["SpnTargets service " + (service.empty() ? std::string("(none)") : service)];
    });
  }

  // Trusts, as BloodHound draws them: the trusted domain -TrustedBy-> the trusting domain.
  void read_trusts(std::uint32_t v, const detail::json& trusts, const detail::lazy_pointer& at) {
    for_each_element(trusts, at, "trusts", [&](const detail::json& t, const detail::lazy_pointer& here) {
      const std::uint32_t other = node_of(id_of(t, "TargetDomainSid", here), "Domain");
      if (objects_[other].name.empty()) objects_[other].name = optional_string(t, "TargetDomainName", here);
      const auto dir = t.find("TrustDirection");
      if (dir == t.end()) fail(here, "missing member 'TrustDirection'");
      // Strings in v5+, numbers (0 disabled, 1 inbound, 2 outbound, 3 both) before. A number out
      // of range is an error, not the nearest direction: a trust drawn the wrong way is a wrong path.
      static constexpr std::string_view by_number[] = {"Disabled", "Inbound", "Outbound", "Bidirectional"};
      std::string d;
      if (dir->is_string()) {
        d = dir->get<std::string>();
      } else if (dir->is_number_integer()) {  // signed or unsigned
        const bool in_range = dir->is_number_unsigned() ? dir->get<std::uint64_t>() <= 3
                                                        : dir->get<std::int64_t>() >= 0 && dir->get<std::int64_t>() <= 3;
        if (!in_range)
          fail(here / "TrustDirection", "expected 0 (Disabled), 1 (Inbound), 2 (Outbound) or 3 (Bidirectional), got " +
                                            detail::describe(*dir));
        d = by_number[dir->get<std::size_t>()];
      }
      if (d != "Inbound" && d != "Outbound" && d != "Bidirectional" && d != "Disabled")
        fail(here / "TrustDirection", "expected Inbound, Outbound, Bidirectional or Disabled, got " + detail::describe(*dir));
      if (d == "Inbound" || d == "Bidirectional") add_link(v, other, "TrustedBy");
      if (d == "Outbound" || d == "Bidirectional") add_link(other, v, "TrustedBy");
    });
  }

  // GPO changes of a domain or OU (v6): each listed local group member gains the right on every
  // affected computer.
  void read_gpo_changes(const detail::json& changes, const detail::lazy_pointer& at) {
    if (changes.is_null()) return;
    if (!changes.is_object()) fail(at, "expected an object, got " + detail::describe(changes));
    std::vector<std::uint32_t> computers;
    if (const auto it = changes.find("AffectedComputers"); it != changes.end())
      for_refs(*it, at / "AffectedComputers", [&](std::uint32_t c) { computers.push_back(c); });
    for (auto it = changes.begin(); it != changes.end(); ++it) {
      const std::string& k = it.key();
      const char* rel = k == "LocalAdmins"          ? "AdminTo"
                        : k == "RemoteDesktopUsers" ? "CanRDP"
                        : k == "DcomUsers"          ? "ExecuteDCOM"
                        : k == "PSRemoteUsers"      ? "CanPSRemote"
                                                    : nullptr;
      if (rel == nullptr) {
        if (k != "AffectedComputers") ++summary_.fields_not_read["GPOChanges/" + k];
        continue;
      }
      for_refs(*it, at / k, [&](std::uint32_t p) {
        for (std::uint32_t c : computers) add_link(p, c, rel);
      });
    }
  }

  // ---- references ------------------------------------------------------------------------

  // {"Results": [...]} (v5/v6) or a bare array (v4).
  const detail::json& results_of(const detail::json& value, const detail::lazy_pointer& at) const {
    static const detail::json empty = detail::json::array();
    if (value.is_null()) return empty;
    if (value.is_array()) return value;
    if (!value.is_object()) fail(at, "expected an object with \"Results\", got " + detail::describe(value));
    const auto it = value.find("Results");
    if (it == value.end() || it->is_null()) return empty;
    if (!it->is_array()) fail(at / "Results", "expected an array, got " + detail::describe(*it));
    return *it;
  }

  // Calls `f(node)` for each reference of {"Results": [...]} (v5/v6) or of a bare array (v4),
  // pointing errors at the element where it is (".../LocalAdmins/Results/3").
  template <class F>
  void for_result_refs(const detail::json& value, const detail::lazy_pointer& at, F&& f) {
    const detail::lazy_pointer results_at(at, value.is_object() ? std::string_view("Results") : std::string_view());
    for_refs(results_of(value, at), results_at, std::forward<F>(f));
  }

  // Calls `f(element, pointer)` for each element of the array `list` of `what` (null: none).
  template <class F>
  void for_each_element(const detail::json& list, const detail::lazy_pointer& at, const char* what, F&& f) {
    if (list.is_null()) return;
    if (!list.is_array()) fail(at, std::string("expected an array of ") + what + ", got " + detail::describe(list));
    for (std::size_t i = 0; i < list.size(); ++i) f(list[i], at / i);
  }
  // Calls `f(node)` for each {"ObjectIdentifier", "ObjectType"} reference of an array.
  template <class F>
  void for_refs(const detail::json& refs, const detail::lazy_pointer& at, F&& f) {
    for_each_element(refs, at, "references", [&](const detail::json& r, const detail::lazy_pointer& here) { f(ref(r, here)); });
  }
  std::uint32_t ref(const detail::json& r, const detail::lazy_pointer& at) {
    return node_of(id_of(r, "ObjectIdentifier", at), optional_string(r, "ObjectType", at));
  }

  std::string id_of(const detail::json& o, const char* key, const detail::lazy_pointer& at) const {
    if (!o.is_object()) fail(at, "expected an object with \"" + std::string(key) + "\", got " + detail::describe(o));
    const auto it = o.find(key);
    if (it == o.end()) fail(at, "missing member '" + std::string(key) + "'");
    return id_of(*it, at / key);
  }
  std::string id_of(const detail::json& v, const detail::lazy_pointer& at) const {
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
      fail(at, "expected an object identifier (a non-empty string), got " + detail::describe(v));
    return v.get<std::string>();
  }
  std::string optional_string(const detail::json& o, const char* key, const detail::lazy_pointer& at) const {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return {};
    if (!it->is_string()) fail(at / key, "expected a string, got " + detail::describe(*it));
    return it->get<std::string>();
  }

  // The node of `id`, created on first sight (typed by `type` until its own record describes it).
  std::uint32_t node_of(const std::string& id, std::string_view type) {
    std::size_t v = index_.find(id, ids_);
    if (v == detail::id_index::npos) {
      if (ids_.size() >= none) throw input_error({.file = file_}, "more than 2^32 - 1 objects");
      ids_.push_back(id);
      objects_.emplace_back();
      v = ids_.size() - 1;
      index_.insert(v, ids_);
    }
    object& o = objects_[v];
    if (!type.empty() && o.type.empty()) o.type = std::string(type);
    return static_cast<std::uint32_t>(v);
  }

  void add_link(std::uint32_t from, std::uint32_t to, std::string_view rel) {
    const std::uint32_t slot = relationship_slot(rel);
    if (slot == none) {
      ++summary_.unknown_relationships[std::string(rel)];
      return;
    }
    links_.push_back({from, to, slot});
  }

  // ---- AzureHound records (docs/importing.md, "AzureHound") ------------------------------------------
  // Ids are upper-cased, as BloodHound does, so that references in other records match.

  static std::string upper_id(std::string_view s) { return detail::upper_case_ascii(s); }
  std::string azure_id(const detail::json& o, const char* key, const detail::lazy_pointer& at) const {
    return upper_id(id_of(o, key, at));
  }
  // The node an AzureHound record describes: typed by the record, with its name and properties.
  std::uint32_t azure_node(const std::string& id, std::string_view kind, std::string name) {
    const std::uint32_t v = node_of(id, {});
    object& o = objects_[v];
    o.type = std::string(kind);
    o.described = true;
    if (!name.empty()) o.name = std::move(name);
    return v;
  }
  void keep(std::uint32_t v, const char* name, const detail::json& value) {
    object& o = objects_[v];
    if (o.properties.is_null()) o.properties = nlohmann::json::object();
    o.properties[name] = value;
  }
  // The tenant of a record (`tenantId`), created on first sight.
  std::uint32_t tenant_of(const detail::json& d, const detail::lazy_pointer& at) {
    return node_of(azure_id(d, "tenantId", at), "AZTenant");
  }
  // Directory objects (members, owners) name their type in "@odata.type".
  std::uint32_t directory_object(const detail::json& o, const detail::lazy_pointer& at) {
    const std::string type = optional_string(o, "@odata.type", at);
    const char* kind = type == "#microsoft.graph.user"               ? "AZUser"
                       : type == "#microsoft.graph.group"            ? "AZGroup"
                       : type == "#microsoft.graph.servicePrincipal" ? "AZServicePrincipal"
                       : type == "#microsoft.graph.device"           ? "AZDevice"
                                                                     : "";
    if (*kind == '\0') ++summary_.unknown_types["directory object " + (type.empty() ? std::string("(no @odata.type)") : type)];
    return node_of(azure_id(o, "id", at), kind);
  }
  // `{"<key>": target, "<list>": [{"<item>": ...}]}`: calls f(item, pointer) for each item.
  template <class F>
  void for_items(const detail::json& d, const char* list, const char* item, const detail::lazy_pointer& at, F&& f) {
    const auto it = d.find(list);
    if (it == d.end()) return;
    for_each_element(*it, at / list, list, [&](const detail::json& e, const detail::lazy_pointer& here) {
      if (!e.is_object() || !e.contains(item)) fail(here, "missing member '" + std::string(item) + "'");
      f(e[item], here / item);
    });
  }
  // Azure RBAC role assignments on a resource: the principal gains `rel` on it when the
  // assignment's scope is the resource itself (BloodHound's exact scope match).
  void role_assignments(const detail::json& d, const char* target_key, const char* list, const char* item, const char* rel,
                        const detail::lazy_pointer& at) {
    const std::string target = azure_id(d, target_key, at);
    const std::uint32_t t = node_of(target, {});
    for_items(d, list, item, at, [&](const detail::json& ra, const detail::lazy_pointer& here) {
      const auto props = ra.find("properties");
      if (!ra.is_object() || props == ra.end() || !props->is_object()) fail(here, "expected a role assignment with \"properties\"");
      const detail::lazy_pointer props_at = here / "properties";
      if (upper_id(optional_string(*props, "scope", props_at)) != target) {
        ++summary_.fields_not_read[std::string(rel) + " assignments at another scope"];
        return;
      }
      add_link(node_of(azure_id(*props, "principalId", props_at), {}), t, rel);
    });
  }

  void read_azure(const detail::json& r, const detail::lazy_pointer& at) {
    const auto kind_it = r.find("kind");
    if (!kind_it->is_string()) fail(at / "kind", "expected an AzureHound record kind (a string), got " + detail::describe(*kind_it));
    const std::string kind = kind_it->get<std::string>();
    const detail::json& d = r["data"];
    const detail::lazy_pointer dat = at / "data";
    if (!d.is_object()) fail(dat, "expected an object, got " + detail::describe(d));
    ++summary_.records_by_type[kind];
    --records_in_file_;  // counted by kind, not under the file's "azure" type
    if (kind == "AZTenant") {
      (void)azure_node(azure_id(d, "tenantId", dat), kind, optional_string(d, "displayName", dat));
    } else if (kind == "AZUser") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "userPrincipalName", dat));
      if (const auto e = d.find("accountEnabled"); e != d.end() && e->is_boolean()) keep(v, "enabled", *e);
      if (const auto m = d.find("mail"); m != d.end() && m->is_string()) keep(v, "email", *m);
      add_link(tenant_of(d, dat), v, "AZContains");
    } else if (kind == "AZGroup" || kind == "AZServicePrincipal" || kind == "AZDevice" || kind == "AZRole") {
      std::string id = azure_id(d, "id", dat);
      if (kind == "AZRole") id += "@" + azure_id(d, "tenantId", dat);
      const std::uint32_t v = azure_node(id, kind, optional_string(d, "displayName", dat));
      add_link(tenant_of(d, dat), v, "AZContains");
      if (kind == "AZServicePrincipal" && d.contains("appId")) add_link(node_of(azure_id(d, "appId", dat), "AZApp"), v, "AZRunsAs");
      if (kind == "AZDevice")
        if (const auto os = d.find("operatingSystem"); os != d.end() && os->is_string()) keep(v, "operatingsystem", *os);
      if (kind == "AZRole")
        if (const auto t = d.find("templateId"); t != d.end() && t->is_string()) keep(v, "templateid", *t);
    } else if (kind == "AZApp") {
      const std::uint32_t v = azure_node(azure_id(d, "appId", dat), kind, optional_string(d, "displayName", dat));
      add_link(tenant_of(d, dat), v, "AZContains");
    } else if (kind == "AZSubscription" || kind == "AZManagementGroup") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "displayName", dat));
      add_link(tenant_of(d, dat), v, "AZContains");
    } else if (kind == "AZResourceGroup") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "name", dat));
      add_link(node_of(azure_id(d, "subscriptionId", dat), "AZSubscription"), v, "AZContains");
    } else if (kind == "AZKeyVault" || kind == "AZVM") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "name", dat));
      add_link(node_of(azure_id(d, kind == "AZVM" ? "resourceGroupId" : "resourceGroup", dat), "AZResourceGroup"), v, "AZContains");
      if (const auto identity = d.find("identity"); kind == "AZVM" && identity != d.end() && identity->is_object()) {
        const std::string principal = optional_string(*identity, "principalId", dat / "identity");
        if (!principal.empty()) add_link(v, node_of(upper_id(principal), "AZServicePrincipal"), "AZManagedIdentity");
      }
    } else if (kind == "AZGroupMember") {
      const std::uint32_t g = node_of(azure_id(d, "groupId", dat), "AZGroup");
      for_items(d, "members", "member", dat, [&](const detail::json& m, const auto& here) { add_link(directory_object(m, here), g, "AZMemberOf"); });
    } else if (kind == "AZGroupOwner" || kind == "AZAppOwner" || kind == "AZServicePrincipalOwner" || kind == "AZDeviceOwner") {
      const char* key = kind == "AZGroupOwner" ? "groupId" : kind == "AZAppOwner" ? "appId" : kind == "AZDeviceOwner" ? "deviceId" : "servicePrincipalId";
      const char* type = kind == "AZGroupOwner" ? "AZGroup" : kind == "AZAppOwner" ? "AZApp" : kind == "AZDeviceOwner" ? "AZDevice" : "AZServicePrincipal";
      const std::uint32_t t = node_of(azure_id(d, key, dat), type);
      for_items(d, "owners", "owner", dat, [&](const detail::json& o, const auto& here) { add_link(directory_object(o, here), t, "AZOwns"); });
    } else if (kind == "AZRoleAssignment") {
      read_azure_role_assignments(d, dat);
    } else if (kind == "AZKeyVaultOwner" || kind == "AZVMOwner") {
      role_assignments(d, kind == "AZVMOwner" ? "virtualMachineId" : "keyVaultId", "owners", "owner", "AZOwner", dat);
    } else if (kind == "AZSubscriptionOwner" || kind == "AZResourceGroupOwner" || kind == "AZManagementGroupOwner") {
      role_assignments(d, kind == "AZSubscriptionOwner" ? "subscriptionId" : kind == "AZResourceGroupOwner" ? "resourceGroupId" : "managementGroupId",
                       "owners", "owner", "AZOwner", dat);
    } else if (kind == "AZKeyVaultUserAccessAdmin" || kind == "AZVMUserAccessAdmin" || kind == "AZSubscriptionUserAccessAdmin" ||
               kind == "AZResourceGroupUserAccessAdmin" || kind == "AZManagementGroupUserAccessAdmin") {
      const char* key = kind == "AZKeyVaultUserAccessAdmin" ? "keyVaultId" : kind == "AZVMUserAccessAdmin" ? "virtualMachineId"
                        : kind == "AZSubscriptionUserAccessAdmin" ? "subscriptionId" : kind == "AZResourceGroupUserAccessAdmin" ? "resourceGroupId"
                        : "managementGroupId";
      role_assignments(d, key, "userAccessAdmins", "userAccessAdmin", "AZUserAccessAdministrator", dat);
    } else if (kind == "AZKeyVaultContributor" || kind == "AZVMContributor") {
      role_assignments(d, kind == "AZVMContributor" ? "virtualMachineId" : "keyVaultId", "contributors", "contributor", "AZContributor", dat);
    } else if (kind == "AZKeyVaultKVContributor") {
      role_assignments(d, "keyVaultId", "kvContributors", "kvContributor", "AZKeyVaultContributor", dat);
    } else if (kind == "AZVMVMContributor") {
      role_assignments(d, "virtualMachineId", "vmContributors", "vmContributor", "AZVMContributor", dat);
    } else if (kind == "AZVMAvereContributor") {
      role_assignments(d, "virtualMachineId", "avereContributors", "avereContributor", "AZAvereContributor", dat);
    } else if (kind == "AZVMAdminLogin") {
      role_assignments(d, "virtualMachineId", "adminLogins", "adminLogin", "AZVMAdminLogin", dat);
    } else if (kind == "AZKeyVaultAccessPolicy") {
      const std::uint32_t kv = node_of(azure_id(d, "keyVaultId", dat), "AZKeyVault");
      const std::uint32_t who = node_of(azure_id(d, "objectId", dat), {});
      const auto perms = d.find("permissions");
      if (perms == d.end() || !perms->is_object()) fail(dat, "missing member 'permissions'");
      for (const auto& [list, rel] : {std::pair{"keys", "AZGetKeys"}, {"secrets", "AZGetSecrets"}, {"certificates", "AZGetCertificates"}}) {
        const auto l = perms->find(list);
        if (l != perms->end() && l->is_array() && std::find(l->begin(), l->end(), detail::json("Get")) != l->end()) add_link(who, kv, rel);
      }
    } else {
      ++summary_.unknown_types[kind];
    }
  }

  // Entra role assignments: principal -AZHasRole-> role (scoped App / Cloud App Admin: the app
  // itself). Global Administrator and Privileged Role Administrator also get their tenant edge,
  // as BloodHound's post-processing derives.
  void read_azure_role_assignments(const detail::json& d, const detail::lazy_pointer& at) {
    const std::string tenant = azure_id(d, "tenantId", at);
    const auto list = d.find("roleAssignments");
    if (list == d.end() || !list->is_array()) fail(at, "missing array 'roleAssignments'");
    const detail::lazy_pointer assignments = at / "roleAssignments";
    for (std::size_t i = 0; i < list->size(); ++i) {
      const detail::lazy_pointer here = assignments / i;
      const detail::json& a = (*list)[i];
      const std::string role = id_of(a, "roleDefinitionId", here);
      const std::uint32_t principal = node_of(azure_id(a, "principalId", here), {});
      const std::string scope = optional_string(a, "directoryScopeId", here);
      const std::string lower = detail::lower_case_ascii(role);
      const bool app_admin = lower == "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", cloud_app_admin = lower == "158c047a-c907-4556-b7ef-446551a6b5f7";
      if ((app_admin || cloud_app_admin) && !scope.empty() && scope != "/") {
        add_link(principal, node_of(upper_id(scope.substr(1)), {}), app_admin ? "AZAppAdmin" : "AZCloudAppAdmin");
        continue;
      }
      add_link(principal, node_of(upper_id(role) + "@" + tenant, "AZRole"), "AZHasRole");
      if (lower == "62e90394-69f5-4237-9190-012177145e10") add_link(principal, node_of(tenant, "AZTenant"), "AZGlobalAdmin");
      if (lower == "e8611ab8-c189-46e8-94e1-60213ab1f814") add_link(principal, node_of(tenant, "AZTenant"), "AZPrivilegedRoleAdmin");
    }
  }

  // ---- end of a file: its type types the objects it described -----------------------------

  void finish_file(const detail::json& skeleton) {
    ++summary_.files;
    if (!skeleton.is_object()) fail("", "expected a SharpHound collection: an object with \"data\" and \"meta\"");
    const auto meta = skeleton.find("meta");
    if (meta == skeleton.end() || !meta->is_object()) fail("/meta", "expected the collection's \"meta\" object");
    const auto type = meta->find("type");
    if (type == meta->end() || !type->is_string()) fail("/meta/type", "expected the collection type (a string such as \"users\")");
    if (const auto version = meta->find("version"); version != meta->end() && !version->is_number_integer())
      fail("/meta/version", "expected an integer, got " + detail::describe(*version));
    if (!skeleton.contains("data")) fail("", "missing member 'data'");
    if (!skeleton["data"].is_array()) fail("/data", "expected an array of records, got " + detail::describe(skeleton["data"]));
    for (auto it = skeleton.begin(); it != skeleton.end(); ++it)
      if (it.key() != "data" && it.key() != "meta") ++summary_.fields_not_read[it.key()];
    const std::string collection = type->get<std::string>();
    if (strings_in_file_ != 0 && collection != "deleted")
      fail(first_string_, "expected an object (a BloodHound record) in a \"" + collection + "\" collection, got a string");
    if (collection != "azure" || records_in_file_ != 0) summary_.records_by_type[collection] += records_in_file_;
    if (collection == "deleted" || collection == "sessions" || collection == "azure") return;  // azure records name their kind
    const bloodhound_object_type* t = find_bloodhound_object_type(collection, true);
    if (t == nullptr) summary_.unknown_types[collection] += defined_in_file_.size();
    for (std::uint32_t v : defined_in_file_) objects_[v].type = t ? std::string(t->name) : collection;
  }

  // ---- post-processing -------------------------------------------------------------------

  // DCSync (BloodHound's post-processing): a principal that holds GetChanges and GetChangesAll on
  // a domain — itself or through the groups it is (transitively) a member of — can DCSync it.
  // Edges come from direct holders of both, and from users and computers that combine the two
  // rights through different groups; members of a group that holds both reach it via MemberOf.
  void derive_dcsync() {
    const std::uint32_t gc = relationship_slot("GetChanges"), gca = relationship_slot("GetChangesAll");
    const std::uint32_t member = relationship_slot("MemberOf"), dcsync = relationship_slot("DCSync");
    std::vector<std::vector<std::uint32_t>> members_of;  // group -> direct members (built on demand)
    std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> holders_by_domain[2];
    auto holders = [&](std::uint32_t slot, int which) {
      for (const link& l : links_) {
        if (l.rel != slot) continue;
        auto& list = holders_by_domain[which];
        auto it = std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == l.to; });
        if (it == list.end()) it = list.insert(list.end(), {l.to, {}});
        it->second.push_back(l.from);
      }
    };
    holders(gc, 0);
    holders(gca, 1);
    if (holders_by_domain[0].empty() || holders_by_domain[1].empty()) return;
    members_of.resize(objects_.size());
    for (const link& l : links_)
      if (l.rel == member) members_of[l.to].push_back(l.from);
    // Everyone who holds a right through `seeds`: the seeds and their transitive members.
    auto closure = [&](const std::vector<std::uint32_t>& seeds) {
      std::vector<char> in(objects_.size(), 0);
      std::vector<std::uint32_t> stack(seeds);
      for (std::uint32_t s : seeds) in[s] = 1;
      while (!stack.empty()) {
        const std::uint32_t g = stack.back();
        stack.pop_back();
        for (std::uint32_t m : members_of[g])
          if (!in[m]) { in[m] = 1; stack.push_back(m); }
      }
      return in;
    };
    std::vector<link> derived;
    for (const auto& [domain, gc_holders] : holders_by_domain[0]) {
      const auto other = std::find_if(holders_by_domain[1].begin(), holders_by_domain[1].end(),
                                      [&](const auto& e) { return e.first == domain; });
      if (other == holders_by_domain[1].end()) continue;
      const std::vector<std::uint32_t>& gca_holders = other->second;
      std::vector<std::uint32_t> both;
      for (std::uint32_t p : gc_holders)
        if (std::find(gca_holders.begin(), gca_holders.end(), p) != gca_holders.end()) both.push_back(p);
      const auto has_gc = closure(gc_holders), has_gca = closure(gca_holders), has_both = closure(both);
      for (std::uint32_t p : both) derived.push_back({p, domain, dcsync});
      for (std::uint32_t v = 0; v < objects_.size(); ++v)
        if (has_gc[v] && has_gca[v] && !has_both[v] && objects_[v].type != "Group") derived.push_back({v, domain, dcsync});
    }
    std::sort(derived.begin(), derived.end());
    derived.erase(std::unique(derived.begin(), derived.end()), derived.end());
    std::vector<link> collected;  // DCSync edges the collection states itself (rare): not derived again
    for (const link& l : links_)
      if (l.rel == dcsync) collected.push_back(l);
    std::sort(collected.begin(), collected.end());
    std::erase_if(derived, [&](const link& l) { return std::binary_search(collected.begin(), collected.end(), l); });
    summary_.derived_edges = derived.size();  // new edges only: a collected DCSync is not derived again
    links_.insert(links_.end(), derived.begin(), derived.end());
  }

  void merge_duplicate_edges() {
    std::sort(links_.begin(), links_.end());
    const auto last = std::unique(links_.begin(), links_.end());
    summary_.duplicate_edges = static_cast<std::size_t>(links_.end() - last);
    links_.erase(last, links_.end());
  }

  void remove_deleted() {
    for (const std::string& id : deleted_ids_)
      if (const std::size_t v = index_.find(id, ids_); v != detail::id_index::npos) objects_[v].deleted = true;
    const std::size_t before = links_.size();
    std::erase_if(links_, [&](const link& l) { return objects_[l.from].deleted || objects_[l.to].deleted; });
    summary_.dropped_edges = before - links_.size();
  }

  // ---- the twin --------------------------------------------------------------------------

  // Tier zero: the domains, BloodHound's tier zero marks, and the tier zero groups by well-known
  // RID (Domain Admins, Domain Controllers, Schema Admins, Enterprise Admins, builtin Administrators).
  bool is_crown_jewel(std::uint32_t v) const {
    const object& o = objects_[v];
    if (o.type == "Domain" || o.type == "AZTenant" || detail::bloodhound_tier_zero(o.properties)) return true;
    if (o.type != "Group") return false;
    for (const char* rid : {"-512", "-516", "-518", "-519", "-S-1-5-32-544"})
      if (ids_[v].ends_with(rid)) return true;
    return false;
  }

  node_kind kind_of(const object& o) {
    if (o.type.empty()) return node_kind::generic;
    const bloodhound_object_type* t = find_bloodhound_object_type(o.type);
    if (t == nullptr) return node_kind::generic;
    if (t->kind != node_kind::host) return t->kind;
    const auto& p = o.properties;
    if (!p.is_object() || !p.contains("operatingsystem") || !p["operatingsystem"].is_string()) return node_kind::host;
    const std::string os = detail::lower_case_ascii(p["operatingsystem"].get_ref<const std::string&>());
    return os.find("server") != std::string::npos ? node_kind::server : node_kind::workstation;
  }

  bool is_entry_point(std::uint32_t v, const std::vector<char>& owned) const {
    const object& o = objects_[v];
    const bool user = (o.type == "User" || o.type == "AZUser") && (o.described || options_.entry == bloodhound_entry_rule::owned);
    return detail::bloodhound_entry(options_.entry, user, o.properties, owned[v] != 0);
  }

  import_result build() {
    const std::vector<char> owned = detail::mark_owned(
        options_.owned, objects_.size(), [&](std::size_t v) { return std::pair<std::string_view, std::string_view>(ids_[v], objects_[v].name); },
        [&](std::size_t v) { return !objects_[v].deleted; });
    std::vector<std::uint32_t> position(objects_.size(), none);
    twin_builder b;
    b.reserve(objects_.size(), links_.size());
    std::vector<std::string> domains;
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      object& o = objects_[v];
      if (o.deleted) {
        ++summary_.deleted_objects;
        continue;
      }
      node n{.name = o.name.empty() ? ids_[v] : o.name, .kind = kind_of(o)};
      n.crown_jewel = is_crown_jewel(v);
      n.entry_point = is_entry_point(v, owned);
      if (!o.described) {
        ++summary_.placeholder_nodes;
        n.properties = {{"placeholder", true}};
        if (!o.type.empty() && find_bloodhound_object_type(o.type) == nullptr) ++summary_.unknown_types[o.type];
      } else {
        n.properties = std::move(o.properties);
      }
      n.privileged = n.crown_jewel || detail::true_property(n.properties, "admincount");
      if (n.crown_jewel) n.rating = criticality::critical;
      summary_.entry_points += n.entry_point;
      summary_.crown_jewels += n.crown_jewel;
      if ((o.type == "Domain" || o.type == "AZTenant") && o.described) domains.push_back(n.name);
      position[v] = static_cast<std::uint32_t>(b.num_nodes());
      b.add_node(ids_[v], std::move(n));
    }
    for (const link& l : links_) {
      const relationship& r = relationships_[l.rel];
      b.add_edge(std::size_t{position[l.from]}, std::size_t{position[l.to]}, {.kind = r.kind, .probability = r.probability});
      ++summary_.edges_by_kind[r.name];
    }
    std::string name = options_.name;
    if (name.empty()) {
      name = "BloodHound collection";
      for (std::size_t i = 0; i < domains.size(); ++i) name += (i == 0 ? " (" : ", ") + domains[i];
      if (!domains.empty()) name += ")";
    }
    b.set_name(std::move(name));
    summary_.nodes = b.num_nodes();
    summary_.edges = b.num_edges();
    nlohmann::json metadata;
    metadata["import"] = nlohmann::json(summary_.to_json());
    b.set_metadata(std::move(metadata));
    return {std::move(b).build(), summary_};
  }

  bloodhound_options options_;
  std::vector<relationship> relationships_;
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, name_hash, std::equal_to<>> slot_of_;  // name -> index in relationships_
  std::vector<std::string> ids_;
  std::vector<object> objects_;
  detail::id_index index_;
  std::vector<link> links_;
  std::vector<std::string> deleted_ids_;
  import_summary summary_;
  // The file being read.
  std::string file_;
  std::vector<std::uint32_t> defined_in_file_;
  std::size_t records_in_file_ = 0, strings_in_file_ = 0;
  std::string first_string_;
};

/// Imports SharpHound collection files (`*.json`) and folders of them (read in name order).
/// Throws: input_error naming the file, line or JSON pointer of the first bad input.
[[nodiscard]] inline import_result import_bloodhound(const std::vector<std::filesystem::path>& inputs,
                                                     bloodhound_options options = {}) {
  bloodhound_importer importer(std::move(options));
  add_inputs(importer, inputs);
  return std::move(importer).finish();
}

}  // namespace twinrisk
