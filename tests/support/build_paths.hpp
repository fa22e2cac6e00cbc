#pragma once
// The source tree, the build tree and the twinrisk CLI of this build (set by CMake in
// build_paths.cpp).

namespace twinrisk_test {

const char* source_dir_c_str();
const char* binary_dir_c_str();
const char* cli_path_c_str();

}  // namespace twinrisk_test
