// SharpHound (v4-v6) and AzureHound collection files: one file per input, then the twin is built.
#include <sstream>

#include "fuzz_support.hpp"
#include "twinrisk/io/bloodhound.hpp"

namespace {
void read(std::string_view input) {
  twinrisk::bloodhound_importer importer;
  std::istringstream in{std::string(input)};
  importer.add_stream(in, "fuzz.json");
  (void)std::move(importer).finish();
}
}  // namespace

TWINRISK_FUZZ_TARGET(read(input))
