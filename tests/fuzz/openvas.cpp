// OpenVAS/GVM scan reports (XML), added to the sample twin.
#include "fuzz_support.hpp"
#include "twinrisk/io/openvas.hpp"

TWINRISK_FUZZ_TARGET(openvas, twinrisk_fuzz::import_one(twinrisk::openvas_importer(twinrisk_fuzz::sample()), input, "fuzz.xml"))
