// The native twin format.
#include "fuzz_support.hpp"

TWINRISK_FUZZ_TARGET(twin_json, (void)twinrisk::parse_twin_json(input, "fuzz.twin.json"))
