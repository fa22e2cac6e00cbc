// Nessus scan reports (XML), added to the sample twin.
#include "fuzz_support.hpp"
#include "twinrisk/io/nessus.hpp"

TWINRISK_FUZZ_TARGET(nessus, twinrisk_fuzz::import_one(twinrisk::nessus_importer(twinrisk_fuzz::sample()), input, "fuzz.nessus"))
