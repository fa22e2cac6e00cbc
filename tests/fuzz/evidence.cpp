// Evidence files (pentest, breach-and-attack simulation) against the sample twin.
#include "fuzz_support.hpp"
#include "twinrisk/exploit/evidence_file.hpp"

TWINRISK_FUZZ_TARGET(evidence, (void)twinrisk::parse_evidence(twinrisk_fuzz::sample(), input, "fuzz.evidence.json"))
