// CVSS v3.0, v3.1 and v4.0 vectors.
#include "fuzz_support.hpp"
#include "twinrisk/cvss/cvss.hpp"

TWINRISK_FUZZ_TARGET(cvss, (void)twinrisk::score_cvss(input))
