#pragma once
/// Files as twinrisk reads and writes them, for the programs built on it (the CLI among them):
/// whole reads whose errors name the file, and all-or-nothing writes that never leave a truncated
/// file and never replace a device or FIFO (`-o /dev/null` stays a device).
///
///     std::string text = read_text_file("scan.nessus");
///     write_text_file("report.html", html);
///     write_file_with("twin.json", [&](std::ostream& out) { write_twin_json(t, out); });

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "twinrisk/detail/file_io.hpp"

namespace twinrisk {

/// The bytes of `path`. Throws: input_error naming the file when it cannot be read.
[[nodiscard]] inline std::string read_text_file(const std::filesystem::path& path) { return detail::read_file(path); }

/// Writes `path` whole with `write(std::ostream&)`: a regular file (or the file a symbolic link
/// names) through a temporary renamed into place, a device or FIFO in place.
/// Throws: error naming the file.
template <class Writer>
void write_file_with(const std::filesystem::path& path, Writer&& write) {
  detail::write_file_atomically(path, std::forward<Writer>(write));
}

/// Writes `text` to `path` as `write_file_with` does.
inline void write_text_file(const std::filesystem::path& path, std::string_view text) { detail::write_file_atomically(path, text); }

}  // namespace twinrisk
