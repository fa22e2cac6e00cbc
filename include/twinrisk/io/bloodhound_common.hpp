#pragma once
/// What the BloodHound-family importers share (SharpHound and AzureHound collections, io/bloodhound.hpp;
/// OpenGraph, io/opengraph.hpp): whom the attackers start from, BloodHound's tier zero marks, the
/// owned principals a user names, and the depth limit of kept properties.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/bloodhound_kinds.hpp"

namespace twinrisk {

/// Which principals an imported collection's attackers start from.
enum class bloodhound_entry_rule : std::uint8_t {
  enabled_users,  ///< every enabled user outside tier zero (anyone can be phished)
  all_users,      ///< every user outside tier zero, enabled or not
  owned,          ///< only the principals listed in `bloodhound_options::owned` (ids or names), tier zero or not
  domain_users,   ///< each domain's Domain Users group: a foothold as any employee, "assume breach"
};

/// The rule's name as `--entry` and the import summary write it ("enabled-users").
[[nodiscard]] constexpr std::string_view to_string(bloodhound_entry_rule r) noexcept {
  switch (r) {
    case bloodhound_entry_rule::enabled_users: return "enabled-users";
    case bloodhound_entry_rule::all_users: return "all-users";
    case bloodhound_entry_rule::owned: return "owned";
    case bloodhound_entry_rule::domain_users: return "domain-users";
  }
  return "";
}

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

/// A group managed service account (gMSA) or standalone one (sMSA), by BloodHound's `gmsa` / `msa`
/// properties: its password is random and rotated, so nobody phishes it and nobody cracks it.
inline bool managed_service_account(const nlohmann::json& props) {
  return true_property(props, "gmsa") || true_property(props, "msa");
}

/// Each domain's Domain Users group, by its well-known relative id (-513).
inline bool domain_users_group_id(std::string_view id) { return ends_with_ignoring_case(id, "-513"); }

/// Whether a principal is an entry point under `rule` (`owned`: whether the user listed it;
/// `domain_users`: whether it is a domain's Domain Users group).
inline bool bloodhound_entry(bloodhound_entry_rule rule, bool is_user, bool domain_users, const nlohmann::json& props, bool owned) {
  switch (rule) {
    case bloodhound_entry_rule::owned: return owned;
    case bloodhound_entry_rule::all_users: return is_user;
    case bloodhound_entry_rule::enabled_users: return is_user && true_property(props, "enabled");
    case bloodhound_entry_rule::domain_users: return domain_users;
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

}  // namespace twinrisk
