#pragma once
/// The object graph a BloodHound collection becomes, file by file: objects by id (typed by their
/// records or by the references that name them), links by relationship, the references records
/// use, the end of a file, BloodHound's post-processing (DCSync, duplicate and deleted objects)
/// and the twin it all turns into. SharpHound (io/sharphound.hpp) and AzureHound
/// (io/azurehound.hpp) records are read into it; io/bloodhound.hpp is the importer.

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
#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/io/bloodhound_kinds.hpp"
#include "twinrisk/io/bloodhound_objects.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk::detail {

/// What the files of one collection have said so far, and the twin it makes.
/// Exception safety: a file that fails leaves what earlier files added.
class bloodhound_graph {
 public:
  explicit bloodhound_graph(bloodhound_options options) : options_(std::move(options)) {
    for (const auto& r : bloodhound_relationships) add_relationship(std::string(r.name), r.kind, r.probability);
    for (const auto& [name, o] : options_.relationships) {
      const auto* known = find_bloodhound_relationship(name);
      add_relationship(name, o.kind ? *o.kind : known->kind, o.probability);
    }
    summary_.format = "bloodhound";
    summary_.entry_rule = std::string(to_string(options_.entry));
  }

 protected:
  using object = bloodhound_object;
  using link = bloodhound_link;
  static constexpr std::uint32_t none = no_object;
  struct relationship {
    std::string name;
    edge_kind kind;
    double probability;
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

  [[noreturn]] void fail(const detail::lazy_pointer& at, std::string reason) const {
    throw input_error({.file = file_, .pointer = at.str()}, std::move(reason));
  }
  [[noreturn]] void fail(const std::string& pointer, std::string reason) const {
    throw input_error({.file = file_, .pointer = pointer}, std::move(reason));
  }

  /// Starts the file `name`: errors name it, and its records are counted by its type at the end.
  void begin_file(const std::string& name) {
    file_ = name;
    defined_in_file_.clear();
    records_in_file_ = strings_in_file_ = 0;
    first_string_.clear();
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

  // Where attackers start: by the entry rule, never in tier zero unless the user names it owned
  // (what-if questions such as "this admin's laptop is owned" are theirs to ask).
  bool is_entry_point(std::uint32_t v, const std::vector<char>& owned, bool tier_zero) const {
    const object& o = objects_[v];
    if (options_.entry == bloodhound_entry_rule::owned) return owned[v] != 0;
    if (tier_zero || !o.described) return false;
    // People, not machine accounts: a managed service account (gMSA, sMSA, "NAME$") has a random
    // password nobody types, so nobody phishes it.
    const bool managed = detail::managed_service_account(o.properties) || o.name.substr(0, o.name.find('@')).ends_with('$');
    const bool user = (o.type == "User" || o.type == "AZUser") && !managed;
    const bool domain_users = o.type == "Group" && detail::domain_users_group_id(ids_[v]);
    return detail::bloodhound_entry(options_.entry, user, domain_users, o.properties, false);
  }

  /// The twin, with `tier_zero[v]` the reason object v is tier zero (empty: it is not) and
  /// `crown_jewels[v]` whether it is a crown jewel.
  import_result build(std::vector<std::string>& tier_zero, const std::vector<char>& crown_jewels) {
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
      n.crown_jewel = crown_jewels[v] != 0;
      n.entry_point = is_entry_point(v, owned, !tier_zero[v].empty());
      if (!tier_zero[v].empty()) {
        n.tier_zero = std::move(tier_zero[v]);
        ++summary_.tier_zero;
        if (is_principal(n.kind)) ++summary_.tier_zero_principals;
      }
      if (!o.described) {
        ++summary_.placeholder_nodes;
        n.properties = {{"placeholder", true}};
        if (!o.type.empty() && find_bloodhound_object_type(o.type) == nullptr) ++summary_.unknown_types[o.type];
      } else {
        n.properties = std::move(o.properties);
      }
      n.privileged = n.tier_zero || detail::true_property(n.properties, "admincount");
      if (n.crown_jewel) n.rating = criticality::critical;
      summary_.entry_points += n.entry_point;
      summary_.crown_jewels += n.crown_jewel;
      if ((o.type == "Domain" || o.type == "AZTenant") && o.described) domains.push_back(n.name);
      position[v] = static_cast<std::uint32_t>(b.num_nodes());
      b.add_node(ids_[v], std::move(n));
    }
    for (const link& l : links_) {
      const relationship& r = relationships_[l.rel];
      double p = r.probability;
      if (!link_probability_.empty())
        if (const auto it = link_probability_.find(l); it != link_probability_.end()) p = it->second;
      if (p == r.probability) summary_.default_probabilities[r.name] = p;
      b.add_edge(std::size_t{position[l.from]}, std::size_t{position[l.to]}, {.kind = r.kind, .probability = p});
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
  struct gpo_link {
    std::uint32_t gpo, target;
    bool enforced;
  };
  std::vector<gpo_link> gpo_links_;  // GPLink links with their enforcement (post-processing applies GPOs)
  struct ca_agent {
    std::uint32_t agent, ca;
  };
  std::vector<ca_agent> all_templates_agents_;  // enrollment agents allowed every template of a CA
  std::map<link, double> link_probability_;      // derived links whose probability their object's facts decide
  std::vector<std::string> deleted_ids_;
  import_summary summary_;
  // The file being read.
  std::string file_;
  std::vector<std::uint32_t> defined_in_file_;
  std::size_t records_in_file_ = 0, strings_in_file_ = 0;
  std::string first_string_;
};

}  // namespace twinrisk::detail
