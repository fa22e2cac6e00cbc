// Nmap scan reports (XML, with vulners script output), added to the sample twin.
#include "fuzz_support.hpp"
#include "twinrisk/io/nmap.hpp"

TWINRISK_FUZZ_TARGET(nmap, twinrisk_fuzz::import_one(twinrisk::nmap_importer(twinrisk_fuzz::sample()), input, "fuzz.xml"))
