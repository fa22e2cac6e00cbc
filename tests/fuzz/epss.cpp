// FIRST EPSS score files (CSV).
#include "fuzz_support.hpp"
#include "twinrisk/exploit/epss.hpp"

TWINRISK_FUZZ_TARGET(epss, (void)twinrisk::epss_scores::parse(input, "fuzz.csv"))
