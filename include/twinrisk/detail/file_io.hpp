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
/// truncated file behind: `write(std::ostream&)` produces the content. A symbolic link is followed
/// (the file it names is replaced, the link stays). When `path` exists and is not a regular file —
/// a character or block device such as /dev/null, a FIFO — it is written in place: renaming over
/// it would replace the device with a regular file. Throws: error naming the file.
template <class Writer>
  requires std::invocable<Writer&, std::ostream&>
void write_file_atomically(const std::filesystem::path& requested, Writer&& write) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(requested, ec);  // follows symbolic links
  const bool exists = fs::exists(status);
  fs::path path = requested;
  if (exists && fs::is_symlink(fs::symlink_status(requested, ec))) {
    path = fs::canonical(requested, ec);
    if (ec) throw error(requested.string() + ": cannot write: " + ec.message());
  }
  // Written in place, or to a temporary that is removed if anything fails.
  const bool in_place = exists && !fs::is_regular_file(status) && !fs::is_directory(status);
  const fs::path tmp = path.string() + ".tmp";
  const fs::path& target = in_place ? path : tmp;
  auto discard = [&] {
    std::error_code ignored;
    if (!in_place) fs::remove(tmp, ignored);
  };
  {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    if (!out) throw error(requested.string() + ": cannot write: " + std::strerror(errno));
    try {
      write(static_cast<std::ostream&>(out));
    } catch (...) {
      out.close();
      discard();
      throw;
    }
    out.flush();
    if (!out) {
      discard();
      throw error(requested.string() + ": write failed (disk full?)");
    }
  }
  if (in_place) return;
  ec.clear();
  fs::rename(tmp, path, ec);
  if (ec) {
    discard();  // the message keeps the rename's reason
    throw error(requested.string() + ": cannot replace: " + ec.message());
  }
}

/// Writes `content` to `path` atomically (see the writer overload).
inline void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  write_file_atomically(path, [content](std::ostream& out) { out.write(content.data(), static_cast<std::streamsize>(content.size())); });
}

}  // namespace twinrisk::detail
