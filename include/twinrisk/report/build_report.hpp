#pragma once
/// Assembles a `risk_report` from the analyses: the k most probable attack paths, theoretical
/// versus validated exposure, every crown jewel's compromise probability, the annual loss, the
/// budgeted remediation plan with the cheapest cut and the choke points, the AI inventory and
/// the CISO's score.
///
///     exploitability ex = assess_exploitability(t, {...});
///     risk_report r = build_report(t, &ex, {.budget = 50'000});   // or nullptr: base probabilities
///     std::cout << report_markdown(r, persona::ciso);
///
/// Determinism: every figure is identical for every thread count (each analysis is).

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/exploit/exploitability.hpp"
#include "twinrisk/exploit/exposure.hpp"
#include "twinrisk/model/twin.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/report/report.hpp"
#include "twinrisk/report/risk_score.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/distributions.hpp"

namespace twinrisk {

/// Options of `build_report`.
struct report_options {
  std::size_t k = 10;                  ///< attack paths listed
  std::size_t max_hops = 4;            ///< bound of the exposure views' path counts
  std::uint64_t trials = 20'000;       ///< compromise trials (crown jewels, AI reach)
  std::uint64_t years = 100'000;       ///< simulated years of the loss exposure
  std::uint64_t plan_years = 20'000;   ///< simulated years per plan evaluation
  std::uint64_t seed = 1;
  double budget = 100'000;             ///< the plan's total cost, in the twin's currency
  std::size_t max_actions = 10;        ///< the plan's steps at most
  std::size_t candidate_paths = 50;    ///< candidate fixes: every edge of this many top paths
  std::vector<remediation_action> actions{};  ///< candidate actions; empty: derived from the top paths
  std::map<edge_kind, double> kind_costs{};   ///< fix costs by edge kind, replacing the defaults
  /// The annual loss the organisation accepts, in the twin's currency; empty: the twin's
  /// `metadata.risk_appetite`, else `default_risk_appetite` (flagged as assumed).
  std::optional<double> risk_appetite{};
  std::size_t max_ai_assets = 100;     ///< AI assets whose reach is simulated; the rest are listed
  std::string source{};                ///< where the twin came from, for the report's header
  std::vector<std::string> inputs{};   ///< intel and evidence files behind the assessment
  const cancellation_token* cancel = nullptr;
  progress_meter* progress = nullptr;  ///< total 100; advances phase by phase
};

namespace detail {

inline report_node report_node_of(const twin& t, std::size_t v) {
  return {t.id(v), t[v].name.empty() ? t.id(v) : t[v].name, std::string(to_string(t[v].kind)), is_identity(t[v].kind)};
}

inline report_edge report_edge_of(const twin& t, twin::edge_descriptor uv) {
  return {report_node_of(t, t.source(uv)), report_node_of(t, t.target(uv)), std::string(to_string(t[uv].kind))};
}

/// The appetite of options, else of the twin's metadata, else the default; and whether assumed.
/// Throws: input_error at /metadata/risk_appetite when it is not a positive number.
inline std::pair<double, bool> risk_appetite_of(const twin& t, const std::optional<double>& stated) {
  if (stated) {
    if (!(*stated > 0.0 && std::isfinite(*stated)))
      throw input_error({.pointer = "risk_appetite"}, "expected a positive amount, got " + show_number(*stated));
    return {*stated, false};
  }
  const nlohmann::json& meta = t.info().metadata;
  if (meta.is_object()) {
    if (auto it = meta.find("risk_appetite"); it != meta.end()) {
      if (!it->is_number() || !(it->get<double>() > 0.0) || !std::isfinite(it->get<double>()))
        throw input_error({.pointer = "/metadata/risk_appetite"}, "expected a positive amount in the twin's currency, got " + it->dump());
      return {it->get<double>(), false};
    }
  }
  return {default_risk_appetite, true};
}

/// The edges an action lowers: those whose probability it changes when every edge has probability 1.
inline std::vector<std::size_t> edges_touched(const twin& t, const remediation_action& a) {
  std::vector<double> p(t.num_edges(), 1.0);
  apply_actions(t, {a}, p);
  std::vector<std::size_t> out;
  for (std::size_t e = 0; e < p.size(); ++e)
    if (p[e] != 1.0) out.push_back(e);
  return out;
}

/// The report's view of a plan step: figures, and the edges, identities and assets it touches.
inline report_action report_action_of(const twin& t, const std::vector<twin::edge_descriptor>& by_index, const plan_step& s) {
  report_action a{.action = s.action, .delta_ale = s.saving.mean, .delta_ale_lo = s.saving.lo, .delta_ale_hi = s.saving.hi,
                  .ale_after = s.ale_after, .p99_after = s.p99_after, .cumulative_cost = s.cumulative_cost,
                  .saving_per_cost = s.saving_per_cost};
  std::set<std::size_t> ends;
  for (std::size_t e : edges_touched(t, s.action)) {
    a.edges.push_back(report_edge_of(t, by_index[e]));
    ends.insert(t.source(by_index[e]));
    ends.insert(t.target(by_index[e]));
  }
  for (std::size_t v : ends) (is_identity(t[v].kind) ? a.identities : a.assets).push_back(report_node_of(t, v));
  return a;
}

/// Advances the report's progress to `done` percent.
inline void report_progress(progress_meter* meter, std::uint64_t done) {
  if (meter) meter->done.store(done, std::memory_order_relaxed);
}

}  // namespace detail

/// The report of twin `t`: with `assessment` (assessed on `t`), the validated view — what an
/// attacker can do — and the comparison with the theoretical view; without, base probabilities.
/// A twin without threats or losses gets every section but the money ones (`no_loss_reason`).
/// Throws: model_error when `assessment` belongs to another twin; input_error on a bad risk
/// appetite or a candidate action that does not fit the twin.
template <class Exec = par>
[[nodiscard]] risk_report build_report(const twin& t, const exploitability* assessment, const report_options& o = {},
                                       Exec exec = {}) {
  if (assessment) detail::check_assessed(t.num_edges(), *assessment);
  const auto [appetite, appetite_assumed] = detail::risk_appetite_of(t, o.risk_appetite);
  if (o.progress) o.progress->total.store(100, std::memory_order_relaxed), o.progress->done.store(0, std::memory_order_relaxed);
  const auto cancelled = [&] { return o.cancel && o.cancel->cancelled(); };
  risk_report r;
  const std::vector<double> p = assessment ? assessment->probability : edge_probabilities(t);
  const auto prob = boost::make_iterator_property_map(p.cbegin(), t.edge_index_map());
  const std::vector<char> gates = all_gates_of(t);
  const auto by_index = edges_by_index(t);
  const std::vector<std::size_t> entries = t.entry_points(), jewels = t.crown_jewels();

  r.twin = {.name = t.info().name, .source = o.source, .currency = t.info().currency, .nodes = t.num_nodes(),
            .edges = t.num_edges(), .entry_points = entries.size(), .crown_jewels = jewels.size(),
            .threats = t.info().threats.size()};
  for (std::size_t v = 0; v < t.num_nodes(); ++v) {
    ++(is_identity(t[v].kind) ? r.twin.identities : r.twin.assets);
    r.twin.ai_assets += is_ai(t[v].kind) ? 1 : 0;
  }
  r.parameters = {.view = assessment ? "validated" : "theoretical", .k = o.k, .max_hops = o.max_hops, .trials = o.trials,
                  .years = o.years, .plan_years = o.plan_years, .seed = o.seed, .inputs = o.inputs};
  std::vector<double> event_loss(t.num_nodes(), 0.0);
  for (std::size_t v : jewels)
    if (t[v].loss) event_loss[v] = mean_event_loss(*t[v].loss);

  // Attack paths, each told step by step with the money at its end.
  const paths_result found = k_most_probable_paths(t, entries, jewels, prob, {.k = o.k, .cancel = o.cancel}, exec);
  r.cancelled |= found.cancelled;
  for (const attack_path& path : found.paths) {
    report_path rp{.entry = detail::report_node_of(t, path.vertices.front()), .probability = path.probability,
                   .event_loss = event_loss[path.vertices.back()]};
    for (std::size_t i = 0; i < path.edges.size(); ++i)
      rp.steps.push_back({detail::report_node_of(t, path.vertices[i + 1]), std::string(to_string(t[by_index[path.edges[i]]].kind)),
                          p[path.edges[i]]});
    r.paths.push_back(std::move(rp));
  }
  detail::report_progress(o.progress, 5);

  // What the evidence changes: theoretical against validated.
  if (assessment && !cancelled()) {
    const exposure_report x = compare_exposure(t, *assessment, {.max_hops = o.max_hops, .k = 1, .max_differences = 10}, exec);
    auto view = [](const exposure_view& v) {
      return report_exposure_view{v.bounded_paths, v.reachable_crown_jewels.size(), v.usable_edges,
                                  v.top_paths.empty() ? 0.0 : v.top_paths.front().probability};
    };
    report_exposure e{.max_hops = o.max_hops, .theoretical = view(x.theoretical), .validated = view(x.validated),
                      .changed_edges = x.changed_edges};
    for (const exposure_difference& d : x.differences) {
      const report_edge edge = detail::report_edge_of(t, by_index[d.edge]);
      e.changes.push_back({edge.from, edge.to, edge.edge_kind, d.base, d.effective, d.on_top_path});
    }
    r.exposure = std::move(e);
  }
  detail::report_progress(o.progress, 15);

  // Every crown jewel's chance to fall in one campaign from every entry point.
  const simulation_result sim =
      simulate_compromise(t, entries, jewels, prob, {.trials = o.trials, .seed = o.seed, .all_gates = gates, .cancel = o.cancel}, exec);
  r.cancelled |= sim.cancelled;
  r.p_any_crown_jewel = sim.any_target_interval();
  for (std::size_t v : sim.targets)
    r.crown_jewels.push_back({.node = detail::report_node_of(t, v), .compromise = sim.interval(v), .event_loss = event_loss[v]});
  detail::report_progress(o.progress, 25);

  // The money: annual loss, and the plan that removes most of it per unit of cost.
  loss_model model = loss_model_of(t);
  if (model.threats.empty()) r.no_loss_reason = "the twin states no threats";
  else if (model.assets.empty()) r.no_loss_reason = "no node of the twin states a loss";
  std::vector<remediation_action> candidates =
      o.actions.empty() ? candidate_actions(t, p, o.candidate_paths, o.kind_costs) : o.actions;
  r.remediation.budget = o.budget;
  r.remediation.candidates = candidates.size();
  if (r.no_loss_reason.empty() && !cancelled()) {
    r.losses = simulate_loss(t, prob, model, {.years = o.years, .seed = o.seed, .all_gates = gates, .cancel = o.cancel}, exec);
    r.cancelled |= r.losses->cancelled;
    for (crown_jewel_risk& c : r.crown_jewels)
      for (std::size_t i = 0; i < r.losses->asset_ids.size(); ++i)
        if (r.losses->asset_ids[i] == c.node.id) c.ale = r.losses->asset_ale(i), c.ale_se = r.losses->asset_se(i);
    detail::report_progress(o.progress, 40);
    if (!cancelled()) {
      const what_if_evaluator w(t, p, model, {.years = o.plan_years, .seed = o.seed, .all_gates = gates, .cancel = o.cancel}, exec);
      const remediation_plan plan = plan_remediation(w, candidates, {.budget = o.budget, .max_actions = o.max_actions});
      r.cancelled |= plan.cancelled;
      r.remediation.ale_before = plan.ale_before;
      r.remediation.p99_before = plan.p99_before;
      for (const plan_step& s : plan.steps) r.remediation.plan.push_back(detail::report_action_of(t, by_index, s));
    }
  }
  std::stable_sort(r.crown_jewels.begin(), r.crown_jewels.end(),
                   [](const crown_jewel_risk& a, const crown_jewel_risk& b) { return a.compromise.p > b.compromise.p; });
  detail::report_progress(o.progress, 85);

  // The cheapest complete cut and where attack flows.
  const cut_result cut = minimum_cost_cut(t, entries, jewels, prob, {.edge = edge_fix_costs(t, o.kind_costs)});
  if (cut.feasible()) r.remediation.cut_cost = cut.cost;
  for (std::size_t e : cut.edges) r.remediation.cut.push_back(detail::report_edge_of(t, by_index[e]));
  if (!cancelled()) {
    const choke_point_result points =
        choke_points(t, entries, jewels, p, {.k = 100, .simulated = 0, .seed = o.seed, .all_gates = gates, .cancel = o.cancel}, exec);
    r.cancelled |= points.cancelled;
    for (std::size_t i = 0; i < points.edges.size() && i < 10; ++i)
      r.remediation.choke_points.push_back(
          {detail::report_edge_of(t, by_index[points.edges[i].element]), points.edges[i].path_share, points.edges[i].paths});
  }
  detail::report_progress(o.progress, 90);

  // AI inventory: what each AI asset could reach if it turned hostile (prompt injection, a
  // poisoned model, a compromised agent) — one simulation per asset, up to the limit.
  for (std::size_t v = 0; v < t.num_nodes(); ++v) {
    if (!is_ai(t[v].kind)) continue;
    ai_asset a{.node = detail::report_node_of(t, v), .sanctioned = t[v].sanctioned, .internet_exposed = t[v].internet_exposed,
               .owner = t[v].owner};
    if (r.ai.size() < o.max_ai_assets && !cancelled() && !jewels.empty()) {
      const simulation_result reach =
          simulate_compromise(t, std::vector<std::size_t>{v}, jewels, prob,
                              {.trials = o.trials, .seed = o.seed, .all_gates = gates, .cancel = o.cancel}, exec);
      a.analysed = !reach.cancelled;
      for (std::size_t j : reach.targets)
        if (j != v && reach.compromised[j] > 0) a.reaches.push_back({detail::report_node_of(t, j), reach.interval(j)});
      std::stable_sort(a.reaches.begin(), a.reaches.end(),
                       [](const ai_reach& x, const ai_reach& y) { return x.probability.p > y.probability.p; });
    }
    r.ai.push_back(std::move(a));
  }
  detail::report_progress(o.progress, 100);

  const std::optional<double> ale = r.losses ? std::optional<double>(r.losses->ale()) : std::nullopt;
  r.score = risk_score(ale, appetite, r.p_any_crown_jewel.p, r.losses ? r.losses->exceedance(appetite) : 0.0, appetite_assumed);
  r.cancelled |= cancelled();
  return r;
}

}  // namespace twinrisk
