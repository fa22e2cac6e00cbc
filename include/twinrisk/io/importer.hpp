#pragma once
/// The importer contract. Every reader of a source that comes as many files — SharpHound and
/// AzureHound collections, OpenGraph files, scan reports, and the sources to come — takes its
/// inputs one at a time, as a stream with the name its errors give, and builds the twin once at
/// `finish()`, with an account of what it read and could not map. Walking folders and archives
/// is written here, once, for all of them.
///
///     bloodhound_importer importer;
///     add_inputs(importer, {"collections/", "more.json"});
///     auto [t, summary] = std::move(importer).finish();

#include <algorithm>
#include <concepts>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/import_summary.hpp"

namespace twinrisk {

/// An importer: `add_stream(in, name)` reads one input (throwing input_error that names `name`),
/// `std::move(i).finish()` builds the twin.
template <class I>
concept importer = requires(I& i, std::istream& in, const std::string& name) {
  i.add_stream(in, name);
  { std::move(i).finish() } -> std::same_as<import_result>;
};

/// Reads an archive's entries: calls `visit(stream, "archive:entry")` for each entry whose name
/// ends with one of `extensions`, in archive order. (The CLI's .zip reader is one, via libzip.)
using archive_reader = std::function<void(const std::filesystem::path& archive, const std::vector<std::string>& extensions,
                                          const std::function<void(std::istream&, const std::string&)>& visit)>;

/// How `add_inputs` walks its inputs.
struct input_options {
  std::vector<std::string> extensions{".json"};  ///< the files of a folder that are read
  std::vector<std::string> archive_extensions{".zip"};
  archive_reader read_archive{};  ///< empty: an archive is read as one plain file
};

/// The files of folder `path` with one of `extensions`, in name order.
/// Throws: input_error when it has none.
[[nodiscard]] inline std::vector<std::filesystem::path> folder_files(const std::filesystem::path& path,
                                                                     const std::vector<std::string>& extensions) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(path))
    if (std::find(extensions.begin(), extensions.end(), entry.path().extension().string()) != extensions.end())
      files.push_back(entry.path());
  if (files.empty()) {
    std::string list;
    for (const std::string& x : extensions) list += (list.empty() ? "" : " or ") + x;
    throw input_error({.file = path.string()}, "the folder has no " + list + " files");
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Streams the file at `path` into `i`; errors name the file.
/// Throws: input_error when it cannot be opened, or what the importer throws.
template <importer I>
void add_file(I& i, const std::filesystem::path& path) {
  std::ifstream in = detail::open_for_reading(path);
  i.add_stream(in, path.string());
}

/// Feeds every input to `i`, in the order given: a folder's files with `o.extensions` (and its
/// archives) in name order, an archive's entries through `o.read_archive`, anything else as one
/// file. Throws: input_error naming the input that could not be read, or what the importer throws.
template <importer I>
void add_inputs(I& i, const std::vector<std::filesystem::path>& inputs, const input_options& o = {}) {
  auto is_archive = [&](const std::filesystem::path& p) {
    return o.read_archive && std::find(o.archive_extensions.begin(), o.archive_extensions.end(), p.extension().string()) !=
                                 o.archive_extensions.end();
  };
  for (const std::filesystem::path& p : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> wanted = o.extensions;
      if (o.read_archive) wanted.insert(wanted.end(), o.archive_extensions.begin(), o.archive_extensions.end());
      add_inputs(i, folder_files(p, wanted), o);
    } else if (is_archive(p)) {
      o.read_archive(p, o.extensions, [&i](std::istream& in, const std::string& name) { i.add_stream(in, name); });
    } else {
      add_file(i, p);
    }
  }
}

}  // namespace twinrisk
