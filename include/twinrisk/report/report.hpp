#pragma once
/// The risk report: one structure assembled from the analyses (`build_report`) and rendered for
/// three audiences (`persona`) as JSON, Markdown, HTML or DOT. It holds names, not vertices,
/// so renderers need no twin and a report can outlive the twin it describes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/enum_names.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/remediate/actions.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/sim/estimate.hpp"

namespace twinrisk {

/// Who reads the report: the engineer who fixes, the responder who tells the attack story, the
/// CISO who decides and reports the money; `all` is everything.
enum class persona : std::uint8_t { engineer, responder, ciso, all };

inline constexpr detail::enum_names<persona, 4> persona_names{"persona", {"engineer", "responder", "ciso", "all"}};

[[nodiscard]] constexpr std::string_view to_string(persona p) noexcept { return persona_names.name(p); }

/// The sections a persona reads; every renderer follows this table.
struct report_sections {
  bool score = false, exposure = false, paths = false, crown_jewels = false, loss = false, remediation = false,
       decisions = false, ai = false;
};

[[nodiscard]] constexpr report_sections sections_of(persona p) noexcept {
  switch (p) {
    case persona::engineer: return {.exposure = true, .paths = true, .remediation = true, .ai = true};
    case persona::responder: return {.paths = true, .crown_jewels = true, .loss = true, .ai = true};
    case persona::ciso: return {.score = true, .exposure = true, .crown_jewels = true, .loss = true, .decisions = true, .ai = true};
    case persona::all: break;
  }
  return {true, true, true, true, true, true, true, true};
}

/// The CISO's decisions: the first plan steps.
inline constexpr std::size_t ciso_decisions = 3;

/// A node of the twin as the report names it.
struct report_node {
  std::string id{}, name{}, kind{};
  bool identity = false;  ///< a principal (user, group, role, ...), not an asset
  bool operator==(const report_node&) const = default;
};

/// One step of an attack path: the edge from the previous node to `to`.
struct report_step {
  report_node to{};
  std::string edge_kind{};
  double probability = 0.0;  ///< the edge's probability in the report's view
};

/// An attack path from an entry point to a crown jewel.
struct report_path {
  report_node entry{};
  std::vector<report_step> steps{};  ///< the last step reaches the crown jewel
  double probability = 0.0;          ///< product of the steps' probabilities
  double event_loss = 0.0;           ///< mean loss of one compromise of the crown jewel (0: it states no loss)
  /// probability × event_loss: the money this path puts at stake per attack attempt.
  [[nodiscard]] double expected_loss() const noexcept { return probability * event_loss; }
};

/// A crown jewel's compromise probability (one campaign; `report_parameters::entry_model`) and its money.
struct crown_jewel_risk {
  report_node node{};
  estimate compromise{};  ///< with the 95% Wilson interval
  double event_loss = 0.0;  ///< mean loss per compromise; 0 when it states none
  double ale = 0.0, ale_se = 0.0;  ///< its share of the annual loss (0 without a loss model)
};

/// Counts of one exposure view (theoretical: base probabilities; validated: after intel,
/// controls and evidence).
struct report_exposure_view {
  std::uint64_t bounded_paths = 0;  ///< simple paths within `max_hops`, entry points to crown jewels
  std::size_t reachable_crown_jewels = 0, usable_edges = 0;
  double top_path_probability = 0.0;
};

/// An edge whose probability the assessment changed.
struct report_edge_change {
  report_node from{}, to{};
  std::string edge_kind{};
  double base = 0.0, effective = 0.0;
  bool on_top_path = false;
};

/// An edge a remediation action touches.
struct report_edge {
  report_node from{}, to{};
  std::string edge_kind{};
};

/// A step and the theoretical paths it concerns.
struct report_validation_step {
  report_edge edge{};
  std::uint64_t paths = 0;
};

/// Theoretical versus validated exposure (present when an assessment was given).
struct report_exposure {
  std::size_t max_hops = 0;
  report_exposure_view theoretical{}, validated{};
  std::size_t changed_edges = 0;
  std::vector<report_edge_change> changes{};  ///< the most telling ones
  /// The theoretical paths by their steps' evidence (exploit/exposure.hpp, `path_validation`).
  std::uint64_t validated_paths = 0, blocked_paths = 0, untested_paths = 0;
  std::vector<report_validation_step> blocked_at{}, worth_testing{};
};

/// One step of the remediation plan, with what it touches.
struct report_action {
  remediation_action action{};
  double delta_ale = 0.0, delta_ale_lo = 0.0, delta_ale_hi = 0.0;  ///< ALE saved, with its 95% interval
  double ale_after = 0.0, p99_after = 0.0, cumulative_cost = 0.0, saving_per_cost = 0.0;
  std::vector<report_edge> edges{};        ///< edges whose probability the action lowers
  std::vector<report_node> identities{}, assets{};  ///< their endpoints, identities and assets apart
};

/// A choke point: an edge much attack flows through.
struct report_choke_point {
  report_edge edge{};
  double path_share = 0.0;  ///< share of the top paths' probability mass through it
  std::size_t paths = 0;
};

/// The fixes: the budgeted plan (with a loss model), the cheapest complete cut and the choke points.
struct report_remediation {
  double budget = 0.0;
  std::size_t candidates = 0;
  std::vector<report_action> plan{};  ///< in order of value
  double ale_before = 0.0, p99_before = 0.0;
  std::optional<double> cut_cost{};    ///< empty when no finite cut exists
  std::vector<report_edge> cut{};      ///< edges that separate every entry point from every crown jewel
  std::vector<report_choke_point> choke_points{};
};

/// A crown jewel an AI asset can reach, alone, as the starting point of an attack.
struct ai_reach {
  report_node crown_jewel{};
  estimate probability{};
};

/// An AI model, agent or copilot of the twin.
struct ai_asset {
  report_node node{};
  bool sanctioned = true;  ///< false: shadow AI
  bool internet_exposed = false;
  std::string owner{};
  bool analysed = false;            ///< false: beyond the analysis limit, listed only
  std::vector<ai_reach> reaches{};  ///< crown jewels reachable with probability > 0, most likely first
};

/// The CISO's 0–100 risk score and its parts (docs/reports.md, "Risk score").
struct report_score {
  int score = 0;
  double money_component = 0.0;        ///< 100 · x / (1 + x), x = ALE / appetite; 0 without a loss model
  double probability_component = 0.0;  ///< 100 · P(any crown jewel)
  double appetite = 0.0;               ///< the annual loss the organisation accepts, in the currency
  bool appetite_assumed = false;       ///< true: no appetite was stated; the default was used
  bool has_money = false;              ///< false: the score is the probability component alone
  double p_exceed_appetite = 0.0;      ///< P(annual loss > appetite), from the simulated years
  std::string band{};                  ///< low | moderate | high | critical
};

/// How the report was made.
struct report_parameters {
  std::string view{};  ///< "validated" (after an exploitability assessment) or "theoretical"
  std::size_t k = 0, max_hops = 0;
  std::uint64_t trials = 0, years = 0, plan_years = 0, seed = 0;
  std::vector<std::string> inputs{};  ///< intel and evidence files read
  std::string entry_model{};          ///< "one": a campaign starts from one entry point at random; "all": from every one
};

/// The twin in a few numbers.
struct report_twin {
  std::string name{}, source{}, currency{};
  std::size_t nodes = 0, edges = 0, identities = 0, assets = 0, entry_points = 0, crown_jewels = 0, ai_assets = 0, threats = 0;
};

/// Tier zero of a directory: who already holds it (a finding of its own, not attack paths) and
/// how many principals outside it can reach it.
struct report_tier_zero {
  std::size_t objects = 0;                ///< tier-zero nodes
  std::size_t principals = 0;             ///< of which users, groups and computers: already in control
  std::vector<report_node> listed{};      ///< those principals, users and computers first, at most `tier_zero_listed`
  tier_zero_exposure exposure{};          ///< in the report's view
};

/// How many tier-zero principals a report lists.
inline constexpr std::size_t tier_zero_listed = 25;

/// Everything the renderers draw from.
struct risk_report {
  report_twin twin{};
  report_parameters parameters{};
  std::optional<report_exposure> exposure{};
  std::optional<report_tier_zero> tier_zero{};     ///< directories only (a twin with tier-zero nodes)
  std::vector<report_path> paths{};                ///< most probable first
  estimate p_any_crown_jewel{};
  std::vector<crown_jewel_risk> crown_jewels{};    ///< most likely compromised first
  std::optional<annual_losses> losses{};           ///< empty when the twin states no threats or losses
  std::string no_loss_reason{};                    ///< why `losses` is empty
  report_remediation remediation{};
  std::vector<ai_asset> ai{};
  report_score score{};
  bool cancelled = false;                          ///< some analysis stopped early; figures cover what ran
};

}  // namespace twinrisk
