#pragma once
/// `load_twin`: one entry point for every twin format, chosen by the path.

#include <filesystem>
#include <string>

#include "twinrisk/error.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/twin_json.hpp"

namespace twinrisk {

/// Loads a twin from a `*.json` file (native format) or an edge-list folder (or its edges.tsv).
/// Throws: input_error when the path does not exist or is in neither format, or as the readers do.
[[nodiscard]] inline twin load_twin(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (!fs::exists(path / "edges.tsv", ec))
      throw input_error({.file = path.string()}, "expected a .twin.json file or a folder with edges.tsv; the folder has no edges.tsv");
    return read_edge_list(path);
  }
  if (!fs::exists(path, ec)) throw input_error({.file = path.string()}, "no such file or folder");
  if (path.extension() == ".tsv") return read_edge_list(path);
  if (path.extension() == ".json") return read_twin_json_file(path);
  throw input_error({.file = path.string()}, "expected a .twin.json file, an edges.tsv file or an edge-list folder");
}

}  // namespace twinrisk
