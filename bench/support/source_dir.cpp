#include "source_dir.hpp"

const char* twinrisk_bench::source_dir_c_str() { return TWINRISK_SOURCE_DIR; }
