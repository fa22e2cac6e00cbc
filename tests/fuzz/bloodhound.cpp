// SharpHound (v4-v6) and AzureHound collection files: one file per input, then the twin is built.
#include "fuzz_support.hpp"
#include "twinrisk/io/bloodhound.hpp"

TWINRISK_FUZZ_TARGET(bloodhound, twinrisk_fuzz::import_one(twinrisk::bloodhound_importer{}, input, "fuzz.json"))
