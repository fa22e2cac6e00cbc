// BloodHound relationship probability files (--probabilities).
#include "fuzz_support.hpp"
#include "twinrisk/io/bloodhound_kinds.hpp"

TWINRISK_FUZZ_TARGET(relationships, (void)twinrisk::parse_relationship_overrides(input, "fuzz.json"))
