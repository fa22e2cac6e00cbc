// Nessus scan reports (XML), added to the sample twin.
#include <sstream>

#include "fuzz_support.hpp"
#include "twinrisk/io/nessus.hpp"

namespace {
void read(std::string_view input) {
  twinrisk::nessus_importer importer(twinrisk_fuzz::sample());
  std::istringstream in{std::string(input)};
  importer.add_stream(in, "fuzz.nessus");
  (void)std::move(importer).finish();
}
}  // namespace

TWINRISK_FUZZ_TARGET(read(input))
