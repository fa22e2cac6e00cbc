// BloodHound OpenGraph files.
#include <sstream>

#include "fuzz_support.hpp"
#include "twinrisk/io/opengraph.hpp"

namespace {
void read(std::string_view input) {
  twinrisk::opengraph_importer importer;
  std::istringstream in{std::string(input)};
  importer.add_stream(in, "fuzz.json");
  (void)std::move(importer).finish();
}
}  // namespace

TWINRISK_FUZZ_TARGET(read(input))
