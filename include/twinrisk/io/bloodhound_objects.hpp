#pragma once
/// The objects and links of a BloodHound collection as the importer holds them before they become
/// a twin, and what post-processing reads of them: each object's type, name and properties, links
/// by relationship, and the inverse (who links to an object).
/// io/bloodhound_graph.hpp fills them; io/bloodhound_tier_zero.hpp and io/bloodhound_post.hpp read them.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/model/kinds.hpp"

namespace twinrisk::detail {

/// One object of a collection.
struct bloodhound_object {
  std::string name{};
  node_kind kind = node_kind::generic;
  std::string type{};  ///< BloodHound type ("User"), empty when unknown
  bool described = false;
  bool deleted = false;
  nlohmann::json properties{};
};

/// One relationship between two objects (indices), by its slot in the relationship table.
struct bloodhound_link {
  std::uint32_t from, to, rel;
  auto operator<=>(const bloodhound_link&) const = default;
};

inline constexpr std::uint32_t no_object = static_cast<std::uint32_t>(-1);

/// A property of an object: `properties[key]` as a bool (false when absent or not a bool).
inline bool object_flag(const bloodhound_object& o, const char* key) { return true_property(o.properties, key); }

/// The property `key` of an object, or nullptr when absent (or the object has no properties).
inline const nlohmann::json* object_property(const bloodhound_object& o, const char* key) {
  if (!o.properties.is_object()) return nullptr;
  const auto it = o.properties.find(key);
  return it == o.properties.end() ? nullptr : &*it;
}

/// Whether the property `key` is present and false (absent is not false: BloodHound treats a
/// property it did not collect as unknown).
inline bool object_flag_false(const bloodhound_object& o, const char* key) {
  const nlohmann::json* p = object_property(o, key);
  return p != nullptr && p->is_boolean() && !p->get<bool>();
}

/// A string property, empty when absent or not a string.
inline std::string_view object_string(const bloodhound_object& o, const char* key) {
  const nlohmann::json* p = object_property(o, key);
  return p != nullptr && p->is_string() ? std::string_view(p->get_ref<const std::string&>()) : std::string_view();
}

/// The objects' links of one relationship both ways: `out[v]` the objects `v` links to, `in[v]`
/// those that link to `v`. Built once per relationship that post-processing follows.
struct bloodhound_adjacency {
  std::vector<std::vector<std::uint32_t>> out, in;

  bloodhound_adjacency(std::size_t objects, const std::vector<bloodhound_link>& links, std::uint32_t rel)
      : out(objects), in(objects) {
    if (rel == no_object) return;
    for (const bloodhound_link& l : links)
      if (l.rel == rel) {
        out[l.from].push_back(l.to);
        in[l.to].push_back(l.from);
      }
  }
};

/// The principals `seeds` and everyone who is a member of one of them, directly or through nested
/// groups (sources of MemberOf chains), as flags by object. Complexity: O(objects + their links),
/// one walk for all the seeds.
inline std::vector<char> with_members(const bloodhound_adjacency& member_of, const std::vector<std::uint32_t>& seeds) {
  std::vector<char> in(member_of.in.size(), 0);
  std::vector<std::uint32_t> stack;
  for (std::uint32_t s : seeds)
    if (!in[s]) in[s] = 1, stack.push_back(s);
  while (!stack.empty()) {
    const std::uint32_t g = stack.back();
    stack.pop_back();
    for (std::uint32_t m : member_of.in[g])
      if (!in[m]) in[m] = 1, stack.push_back(m);
  }
  return in;
}

/// Whether an object id ends with `suffix`, ignoring ASCII case (well-known SIDs are matched by
/// their end: "-512", "-S-1-5-32-544").
inline bool id_ends_with(std::string_view id, std::string_view suffix) { return ends_with_ignoring_case(id, suffix); }

}  // namespace twinrisk::detail
