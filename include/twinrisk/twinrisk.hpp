#pragma once
/// Umbrella header: every public twinrisk header, lowest layer first (docs/architecture.md).

// Errors, execution policies, version
#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/version.hpp"

// CVSS scoring (a leaf: no twin needed)
#include "twinrisk/cvss/cvss.hpp"
#include "twinrisk/cvss/cvss31.hpp"
#include "twinrisk/cvss/cvss40.hpp"
#include "twinrisk/cvss/cvss_facts.hpp"

// The twin: kinds, bundles, concepts, builder, generator
#include "twinrisk/model/annotations.hpp"
#include "twinrisk/model/assumed_scenario.hpp"
#include "twinrisk/model/compact.hpp"
#include "twinrisk/model/concepts.hpp"
#include "twinrisk/model/edge.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/model/scenario.hpp"
#include "twinrisk/model/twin.hpp"
#include "twinrisk/model/twin_builder.hpp"

// Readers, writers and importers
#include "twinrisk/io/aws_iam.hpp"
#include "twinrisk/io/aws_policy.hpp"
#include "twinrisk/io/azurehound.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/bloodhound_adcs.hpp"
#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/io/bloodhound_graph.hpp"
#include "twinrisk/io/bloodhound_kinds.hpp"
#include "twinrisk/io/bloodhound_objects.hpp"
#include "twinrisk/io/bloodhound_post.hpp"
#include "twinrisk/io/bloodhound_tier_zero.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/files.hpp"
#include "twinrisk/io/gcp.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/kubernetes.hpp"
#include "twinrisk/io/load.hpp"
#include "twinrisk/io/mapped.hpp"
#include "twinrisk/io/merge.hpp"
#include "twinrisk/io/nessus.hpp"
#include "twinrisk/io/nmap.hpp"
#include "twinrisk/io/opengraph.hpp"
#include "twinrisk/io/openvas.hpp"
#include "twinrisk/io/scan.hpp"
#include "twinrisk/io/sharphound.hpp"
#include "twinrisk/io/twin_json.hpp"

// Attack paths
#include "twinrisk/paths/attack_path.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/paths/path_index.hpp"

// Exploitability: threat intel, evidence, views, exposure
#include "twinrisk/exploit/epss.hpp"
#include "twinrisk/exploit/evidence_file.hpp"
#include "twinrisk/exploit/exploitability.hpp"
#include "twinrisk/exploit/exposure.hpp"
#include "twinrisk/exploit/filters.hpp"
#include "twinrisk/exploit/kev.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"

// Compromise simulation and time to compromise
#include "twinrisk/sim/bernoulli_masks.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/estimate.hpp"
#include "twinrisk/sim/philox_words.hpp"
#include "twinrisk/sim/rng.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"
#include "twinrisk/sim/vector_exp.hpp"

// Money: loss simulation and FAIR
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/fair.hpp"
#include "twinrisk/risk/loss_copula.hpp"
#include "twinrisk/risk/loss_replay.hpp"
#include "twinrisk/risk/magnitude.hpp"
#include "twinrisk/risk/money.hpp"
#include "twinrisk/risk/simulate_loss.hpp"

// What to fix: cuts, choke points, what-if, plan
#include "twinrisk/remediate/actions.hpp"
#include "twinrisk/remediate/actions_file.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/remediate/what_if.hpp"

// Reports and their renderers
#include "twinrisk/report/build_report.hpp"
#include "twinrisk/report/document.hpp"
#include "twinrisk/report/exceedance_svg.hpp"
#include "twinrisk/report/loss_section.hpp"
#include "twinrisk/report/report.hpp"
#include "twinrisk/report/report_document.hpp"
#include "twinrisk/report/report_dot.hpp"
#include "twinrisk/report/report_html.hpp"
#include "twinrisk/report/report_json.hpp"
#include "twinrisk/report/report_markdown.hpp"
#include "twinrisk/report/report_svg.hpp"
#include "twinrisk/report/risk_score.hpp"
