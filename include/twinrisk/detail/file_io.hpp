#pragma once
/// Whole-file reads and all-or-nothing writes, with errors that name the file.

#include <cerrno>
#include <concepts>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>

#include "twinrisk/error.hpp"

namespace twinrisk::detail {

/// The bytes of `path`. Throws: input_error naming the file when it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw input_error({.file = path.string()}, "expected a file, found a directory");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw input_error({.file = path.string()}, std::string("cannot open: ") + std::strerror(errno));
  std::string data;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) data.reserve(static_cast<std::size_t>(size));  // one allocation; the loop below still reads to EOF
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw input_error({.file = path.string()}, "read error");
  return data;
}

/// `path` opened for streaming reads. Throws: input_error naming the file when it cannot be opened.
inline std::ifstream open_for_reading(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw input_error({.file = path.string()}, "expected a file, found a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error({.file = path.string()}, std::string("cannot open: ") + std::strerror(errno));
  return in;
}

/// Writes to `path` through a temporary file renamed into place, so a failed write never leaves a
/// truncated file behind: `write(std::ostream&)` produces the content. Throws: error naming the file.
template <class Writer>
  requires std::invocable<Writer&, std::ostream&>
void write_file_atomically(const std::filesystem::path& path, Writer&& write) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw error(path.string() + ": cannot write: " + std::strerror(errno));
    try {
      write(static_cast<std::ostream&>(out));
    } catch (...) {
      out.close();
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw;
    }
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw error(path.string() + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;  // keep the rename's reason for the message
    std::filesystem::remove(tmp, ignored);
    throw error(path.string() + ": cannot replace: " + ec.message());
  }
}

/// Writes `content` to `path` atomically (see the writer overload).
inline void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_file_atomically(path, [content](std::ostream& out) { out.write(content.data(), static_cast<std::streamsize>(content.size())); });
}

}  // namespace twinrisk::detail
