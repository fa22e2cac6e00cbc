// Actions files (candidate remediation actions and cost overrides) against the sample twin.
#include "fuzz_support.hpp"
#include "twinrisk/remediate/actions_file.hpp"

TWINRISK_FUZZ_TARGET(actions, (void)twinrisk::parse_actions(twinrisk_fuzz::sample(), input, "fuzz.actions.json"))
