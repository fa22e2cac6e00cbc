// CISA KEV catalogs (JSON).
#include "fuzz_support.hpp"
#include "twinrisk/exploit/kev.hpp"

TWINRISK_FUZZ_TARGET(kev, (void)twinrisk::parse_kev_json(input, "fuzz.json"))
