#pragma once
/// `import_summary`: what an importer read, made and could not map — nothing is dropped silently.

#include <cstddef>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "twinrisk/model/twin.hpp"

namespace twinrisk {

/// Name -> occurrences, sorted by name (so summaries compare and print stably).
using name_counts = std::map<std::string, std::size_t, std::less<>>;

/// The account of one import: what was read, what it became, and everything that was not mapped.
struct import_summary {
  std::string format{};              ///< "bloodhound", "opengraph", "nessus"
  std::size_t files = 0;             ///< files (or archive entries) read
  std::size_t records = 0;           ///< elements of the data arrays read
  std::size_t nodes = 0;             ///< nodes of the resulting twin
  std::size_t edges = 0;             ///< edges of the resulting twin
  std::size_t placeholder_nodes = 0; ///< referenced by a relationship but never described (kept, flagged)
  std::size_t duplicate_edges = 0;   ///< the same relationship read again (kept once)
  std::size_t derived_edges = 0;     ///< added by post-processing (DCSync, Kerberoastable, ...; by kind in `derived_by_kind`)
  std::size_t deleted_objects = 0;   ///< objects removed because the collection marks them deleted
  std::size_t dropped_edges = 0;     ///< relationships that touched a deleted object
  std::size_t entry_points = 0;
  /// How they were chosen (directories: "enabled-users", "all-users", "domain-users", "owned";
  /// empty when the format states them). A population rule means any one of them may be the
  /// foothold: `twinrisk simulate` then starts each trial from one at random.
  std::string entry_rule{};
  std::size_t crown_jewels = 0;
  std::size_t tier_zero = 0;             ///< objects in tier zero (directories: BloodHound CE's definition)
  std::size_t tier_zero_principals = 0;  ///< of which users, groups, computers: principals already in control
  name_counts records_by_type{};        ///< records per collection type ("users": 15)
  name_counts edges_by_kind{};          ///< edges per source relationship name ("MemberOf": 40)
  name_counts derived_by_kind{};        ///< of which derived by post-processing ("DCSync": 3)
  name_counts unknown_types{};          ///< object types with no mapping (imported as `generic` nodes)
  name_counts unknown_relationships{};  ///< relationships with no mapping (not imported; map them with a probabilities file)
  name_counts properties_not_kept{};    ///< object properties read but not kept on the node
  name_counts fields_not_read{};        ///< record fields the importer does not interpret
  /// What the import assumed where the data could not decide ("edges kept under an undecided
  /// condition (probability x0.5)": 3): what a person reads before trusting the twin.
  name_counts assumptions{};
  /// Relationship -> the base probability its edges got from the importer's table (or an override
  /// file) rather than from the data: what a person checks before trusting the twin's numbers.
  std::map<std::string, double, std::less<>> default_probabilities{};
  bool operator==(const import_summary&) const = default;

  /// The summary as JSON (the `metadata.import` of an imported twin, and `--format json`).
  [[nodiscard]] nlohmann::ordered_json to_json() const {
    nlohmann::ordered_json j;
    j["format"] = format;
    j["files"] = files;
    j["records"] = records;
    j["nodes"] = nodes;
    j["edges"] = edges;
    j["placeholder_nodes"] = placeholder_nodes;
    j["duplicate_edges"] = duplicate_edges;
    j["derived_edges"] = derived_edges;
    j["deleted_objects"] = deleted_objects;
    j["dropped_edges"] = dropped_edges;
    j["entry_points"] = entry_points;
    if (!entry_rule.empty()) j["entry_rule"] = entry_rule;
    j["crown_jewels"] = crown_jewels;
    j["tier_zero"] = tier_zero;
    j["tier_zero_principals"] = tier_zero_principals;
    auto counts = [](const name_counts& c) {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (const auto& [name, n] : c) o[name] = n;
      return o;
    };
    j["records_by_type"] = counts(records_by_type);
    j["edges_by_kind"] = counts(edges_by_kind);
    j["derived_by_kind"] = counts(derived_by_kind);
    j["unknown_types"] = counts(unknown_types);
    j["unknown_relationships"] = counts(unknown_relationships);
    j["properties_not_kept"] = counts(properties_not_kept);
    j["fields_not_read"] = counts(fields_not_read);
    if (!assumptions.empty()) j["assumptions"] = counts(assumptions);
    if (!default_probabilities.empty()) {
      nlohmann::ordered_json& d = j["default_probabilities"] = nlohmann::ordered_json::object();
      for (const auto& [name, p] : default_probabilities) d[name] = p;
    }
    return j;
  }

  /// A few lines for a person: totals, then every unmapped name with its count.
  [[nodiscard]] std::string to_text() const {
    std::string s = "imported " + std::to_string(records) + " records from " + std::to_string(files) + " file(s) (" + format +
                    "): " + std::to_string(nodes) + " nodes (" + std::to_string(placeholder_nodes) + " placeholders), " +
                    std::to_string(edges) + " edges (" + std::to_string(derived_edges) + " derived, " +
                    std::to_string(duplicate_edges) + " duplicates merged), " + std::to_string(entry_points) +
                    " entry points, " + std::to_string(crown_jewels) + " crown jewels\n";
    if (deleted_objects != 0)
      s += "  deleted objects removed: " + std::to_string(deleted_objects) + " (" + std::to_string(dropped_edges) + " edges)\n";
    if (tier_zero != 0)
      s += "  tier zero: " + std::to_string(tier_zero) + " objects (the crown jewels), of which " + std::to_string(tier_zero_principals) +
           " principals already in control of it (a domain, account, project or cluster): none of them is an entry point\n";
    auto list = [&s](const char* what, const name_counts& c) {
      if (c.empty()) return;
      s += std::string("  ") + what + ":";
      for (const auto& [name, n] : c) s += " " + name + " (" + std::to_string(n) + ")";
      s += '\n';
    };
    list("derived edges", derived_by_kind);
    list("unknown object types (generic nodes where the format imports them, else counted only)", unknown_types);
    list("unknown relationships (not imported)", unknown_relationships);
    list("properties not kept", properties_not_kept);
    list("fields not read", fields_not_read);
    list("assumed", assumptions);
    return s;
  }
};

/// Whether an imported twin's entry points are alternative footholds (a directory imported with a
/// population rule: every enabled user, every user, each domain's users), so that a campaign
/// starts from one of them rather than from all at once. `metadata` is the twin's
/// (`twin_info::metadata`, whose `import` the importers write). False for twins not imported so.
[[nodiscard]] inline bool entries_are_alternatives(const nlohmann::json& metadata) {
  if (!metadata.is_object()) return false;
  const auto import = metadata.find("import");
  if (import == metadata.end() || !import->is_object()) return false;
  const auto rule = import->find("entry_rule");
  return rule != import->end() && rule->is_string() && *rule != "owned" && !rule->get_ref<const std::string&>().empty();
}

/// A twin made by an importer and the account of what was read.
struct import_result {
  twinrisk::twin twin;  // qualified: the member is named after its type
  import_summary summary;
};

}  // namespace twinrisk
