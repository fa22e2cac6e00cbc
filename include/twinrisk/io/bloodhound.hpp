#pragma once
/// BloodHound collections into a twin: SharpHound JSON files (format versions 4 to 6) and
/// AzureHound output, streamed.
///
///     bloodhound_importer importer({.entry = bloodhound_entry_rule::enabled_users});
///     add_inputs(importer, {"collection/", "20261201_users.json"});  // io/importer.hpp
///     auto [t, summary] = std::move(importer).finish();
///
/// Objects become nodes with their ObjectIdentifier as id; relationships become edges by the table
/// of io/bloodhound_kinds.hpp; BloodHound CE's post-processing derives DCSync, Kerberoasting,
/// delegation, trust and GPO edges (io/bloodhound_post.hpp); tier zero (io/bloodhound_tier_zero.hpp)
/// is the crown jewels, and no entry point is in it.
/// Every record is streamed (one object in memory at a time). Unknown object types, relationships,
/// properties and fields are counted in the `import_summary`, never silently dropped.
/// The parts: io/bloodhound_common.hpp (options), io/bloodhound_graph.hpp (the object graph and
/// the twin it becomes), io/sharphound.hpp and io/azurehound.hpp (their records),
/// io/bloodhound_post.hpp (post-processing).

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/bloodhound_post.hpp"

namespace twinrisk {

/// Reads BloodHound collection files one by one and builds a twin at `finish()`.
/// Files may come in any order (a relationship may name an object described in a later file).
/// Exception safety: a file that fails leaves what earlier files added; the caller usually stops.
class bloodhound_importer : private detail::bloodhound_post_processing {
 public:
  explicit bloodhound_importer(bloodhound_options options = {}) : bloodhound_post_processing(std::move(options)) {}

  /// Streams one collection from `in`; `name` is the file name errors give. Throws: input_error
  /// naming it with the line and column of a syntax error or the JSON pointer of a bad record.
  void add_stream(std::istream& in, const std::string& name) {
    begin_file(name);
    auto on_record = [this](std::string_view pointer, detail::json& record) { read_record(pointer, record); };
    const detail::json skeleton = detail::stream_json(in, name, {"/data"}, on_record);
    finish_file(skeleton);
  }

  /// Builds the twin. Throws: input_error when an owned principal names no object.
  [[nodiscard]] import_result finish() && { return post_process_and_build(); }
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

