#pragma once
// Reading the entries of a .zip archive as streams, so collections need not be unzipped first.
// Optional: without libzip at build time, archives are refused with a message saying so.

#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

namespace twinrisk_cli {

/// True when this build reads .zip archives.
bool zip_supported();

/// Calls `f(stream, "archive.zip:entry")` for each file entry whose name ends with `suffix`, in
/// archive order, streaming its decompressed bytes (no entry is held in memory whole).
/// Throws: twinrisk::input_error naming the archive (and entry) when it cannot be read, or when
/// this build has no zip support.
void for_each_zip_entry(const std::filesystem::path& archive, std::string_view suffix,
                        const std::function<void(std::istream&, const std::string&)>& f);

}  // namespace twinrisk_cli
