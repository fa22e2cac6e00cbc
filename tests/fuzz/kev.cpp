// CISA KEV catalogs (JSON).
#include "fuzz_support.hpp"
#include "twinrisk/exploit/kev.hpp"

TWINRISK_FUZZ_TARGET(kev, (void)twinrisk::kev_catalog::parse(input, "fuzz.json"))
