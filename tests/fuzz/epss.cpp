// FIRST EPSS score files (CSV).
#include "fuzz_support.hpp"
#include "twinrisk/exploit/epss.hpp"

TWINRISK_FUZZ_TARGET(epss, (void)twinrisk::parse_epss_csv(input, "fuzz.csv"))
