#pragma once
// The source tree, for the bundled sample and test data (set by CMake in source_dir.cpp, the one
// benchmark file whose bytes depend on the checkout, so the rest hit ccache across clones).

#include <filesystem>

namespace twinrisk_bench {

const char* source_dir_c_str();
inline std::filesystem::path source_dir() { return source_dir_c_str(); }

}  // namespace twinrisk_bench
