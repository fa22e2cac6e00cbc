// Where the tests find the source tree, the build tree and the CLI. The only test file that names
// them, so that every other one compiles to the same bytes in any checkout (ccache hits across
// clones; see cmake/twinrisk-programs.cmake).
#include "build_paths.hpp"

namespace twinrisk_test {

const char* source_dir_c_str() { return TWINRISK_SOURCE_DIR; }
const char* binary_dir_c_str() { return TWINRISK_BINARY_DIR; }
const char* cli_path_c_str() { return TWINRISK_CLI; }

}  // namespace twinrisk_test
