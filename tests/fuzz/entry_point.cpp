// libFuzzer's entry points for a binary holding several targets (tests/fuzz/CMakeLists.txt): the
// binary runs the target it is named after — fuzz_NAME, a link CMake makes to it — or the one
// TWINRISK_FUZZ_TARGET names. The readers share one binary: one build and one link for all.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

namespace {
twinrisk_fuzz::target_function selected = nullptr;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** argv) {
  std::string name = (*argv)[0];
  name = name.substr(name.find_last_of('/') + 1);
  if (name.rfind("fuzz_", 0) == 0) name = name.substr(5);
  if (const char* chosen = std::getenv("TWINRISK_FUZZ_TARGET")) name = chosen;
  for (const auto& [target, run] : twinrisk_fuzz::targets())
    if (target == name) selected = run;
  if (selected == nullptr) {
    std::fprintf(stderr, "no fuzz target '%s' here: run this binary as fuzz_NAME or with TWINRISK_FUZZ_TARGET=NAME, NAME one of:",
                 name.c_str());
    for (const auto& [target, run] : twinrisk_fuzz::targets()) std::fprintf(stderr, " %.*s", static_cast<int>(target.size()), target.data());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  selected(twinrisk_fuzz::text(data, size));
  return 0;
}
