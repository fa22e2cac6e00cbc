// BloodHound OpenGraph files.
#include "fuzz_support.hpp"
#include "twinrisk/io/opengraph.hpp"

TWINRISK_FUZZ_TARGET(opengraph, twinrisk_fuzz::import_one(twinrisk::opengraph_importer{}, input, "fuzz.json"))
