#pragma once
/// Umbrella header: every public twinrisk header.

#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/version.hpp"

#include "twinrisk/model/annotations.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/model/edge.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/model/scenario.hpp"
#include "twinrisk/model/twin.hpp"
#include "twinrisk/model/twin_builder.hpp"

#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/load.hpp"
#include "twinrisk/io/twin_json.hpp"

#include "twinrisk/paths/attack_path.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/paths/path_index.hpp"

#include "twinrisk/exploit/cvss.hpp"
#include "twinrisk/exploit/cvss31.hpp"
#include "twinrisk/exploit/cvss40.hpp"
#include "twinrisk/exploit/cvss_facts.hpp"
#include "twinrisk/exploit/epss.hpp"
#include "twinrisk/exploit/evidence_file.hpp"
#include "twinrisk/exploit/exploitability.hpp"
#include "twinrisk/exploit/exposure.hpp"
#include "twinrisk/exploit/filters.hpp"
#include "twinrisk/exploit/kev.hpp"

#include "twinrisk/sim/rng.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/bernoulli_masks.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/fair.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/risk/exceedance_svg.hpp"

#include "twinrisk/remediate/actions.hpp"
#include "twinrisk/remediate/actions_file.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/remediate/what_if.hpp"
