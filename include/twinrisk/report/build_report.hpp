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
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/model/probability_map.hpp"
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
  /// Whether a campaign starts from one entry point drawn at random (true) or from all at once;
  /// empty: by the twin (`entries_are_alternatives`: one for directories imported with a
  /// population entry rule).
  std::optional<bool> one_entry_per_campaign{};
  std::size_t max_ai_assets = 100;     ///< AI assets whose reach is simulated; the rest are listed
  std::size_t exposure_changes = 10;   ///< edges whose probability the evidence changed, listed
  std::size_t choke_point_paths = 100; ///< choke points: the share of this many top paths
  std::size_t choke_points = 10;       ///< choke points listed
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

namespace detail {

/// build_report's phases, each filling its sections of `r` from what the twin and options give.
template <class Exec>
class report_builder {
 public:
  report_builder(const twin& t, const exploitability* assessment, const report_options& o, Exec exec)
      : t_(t), o_(o), exec_(exec), p_(assessment ? assessment->probability : edge_probabilities(t)), prob_(probability_map(t, p_)),
        gates_(all_gates_of(t)), by_index_(edges_by_index(t)), entries_(t.entry_points()), jewels_(t.crown_jewels()) {
    one_entry_ = o.one_entry_per_campaign.value_or(entries_are_alternatives(t.info().metadata));
    r_.parameters = {.view = assessment ? "validated" : "theoretical", .k = o.k, .max_hops = o.max_hops, .trials = o.trials,
                     .years = o.years, .plan_years = o.plan_years, .seed = o.seed, .inputs = o.inputs,
                     .entry_model = one_entry_ ? "one" : "all"};
    event_loss_.assign(t.num_nodes(), 0.0);
    for (std::size_t v : jewels_)
      if (t[v].loss) event_loss_[v] = mean_event_loss(*t[v].loss);
  }

  [[nodiscard]] bool cancelled() const { return o_.cancel && o_.cancel->cancelled(); }
  [[nodiscard]] risk_report& report() { return r_; }

  /// The twin's size and make-up.
  void describe_twin() {
    r_.twin = {.name = t_.info().name, .source = o_.source, .currency = t_.info().currency, .nodes = t_.num_nodes(),
               .edges = t_.num_edges(), .entry_points = entries_.size(), .crown_jewels = jewels_.size(),
               .threats = t_.info().threats.size()};
    for (std::size_t v = 0; v < t_.num_nodes(); ++v) {
      ++(is_identity(t_[v].kind) ? r_.twin.identities : r_.twin.assets);
      r_.twin.ai_assets += is_ai(t_[v].kind) ? 1 : 0;
    }
  }

  /// Tier zero: its principals (users and computers first, then groups and other identities, each by name) and who can reach it.
  void add_tier_zero() {
    report_tier_zero z;
    std::vector<std::size_t> held;
    for (std::size_t v = 0; v < t_.num_nodes(); ++v) {
      if (!t_[v].tier_zero) continue;
      ++z.objects;
      if (is_principal(t_[v].kind)) held.push_back(v);
    }
    if (z.objects == 0) return;
    z.principals = held.size();
    std::stable_sort(held.begin(), held.end(), [&](std::size_t a, std::size_t b) {
      const bool ga = !counts_for_exposure(t_[a].kind), gb = !counts_for_exposure(t_[b].kind);  // users and computers first
      return ga != gb ? gb : t_[a].name < t_[b].name;
    });
    for (std::size_t i = 0; i < held.size() && i < tier_zero_listed; ++i) z.listed.push_back(report_node_of(t_, held[i]));
    z.exposure = measure_tier_zero_exposure(t_, prob_);
    r_.tier_zero = std::move(z);
  }

  /// Attack paths, each told step by step with the money at its end; in a directory each ends
  /// where it enters tier zero (not again for every tier-zero object it could go on to).
  void add_paths() {
    const paths_result found = k_most_probable_paths(
        t_, entries_, jewels_, prob_, {.k = o_.k, .excluded_edges = edges_inside_tier_zero(t_), .cancel = o_.cancel}, exec_);
    r_.cancelled |= found.cancelled;
    for (const attack_path& path : found.paths) {
      report_path rp{.entry = report_node_of(t_, path.vertices.front()), .probability = path.probability,
                     .event_loss = event_loss_[path.vertices.back()]};
      for (std::size_t i = 0; i < path.edges.size(); ++i)
        rp.steps.push_back({report_node_of(t_, path.vertices[i + 1]), std::string(to_string(t_[by_index_[path.edges[i]]].kind)),
                            p_[path.edges[i]]});
      r_.paths.push_back(std::move(rp));
    }
  }

  /// What the evidence changes: theoretical against validated.
  void add_exposure(const exploitability& assessment) {
    const exposure_report x =
        compare_exposure(t_, assessment,
                         {.max_hops = o_.max_hops, .k = 1, .max_differences = o_.exposure_changes, .max_steps = o_.exposure_changes},
                         exec_);
    auto view = [](const exposure_view& v) {
      return report_exposure_view{v.bounded_paths, v.reachable_crown_jewels.size(), v.usable_edges,
                                  v.top_paths.empty() ? 0.0 : v.top_paths.front().probability};
    };
    report_exposure e{.max_hops = o_.max_hops, .theoretical = view(x.theoretical), .validated = view(x.validated),
                      .changed_edges = x.changed_edges};
    for (const exposure_difference& d : x.differences) {
      const report_edge edge = report_edge_of(t_, by_index_[d.edge]);
      e.changes.push_back({edge.from, edge.to, edge.edge_kind, d.base, d.effective, d.on_top_path});
    }
    e.validated_paths = x.validation.validated, e.blocked_paths = x.validation.blocked, e.untested_paths = x.validation.untested;
    for (const validation_step& s : x.validation.blocked_at) e.blocked_at.push_back({report_edge_of(t_, by_index_[s.edge]), s.paths});
    for (const validation_step& s : x.validation.worth_testing) e.worth_testing.push_back({report_edge_of(t_, by_index_[s.edge]), s.paths});
    r_.exposure = std::move(e);
  }

  /// Every crown jewel's chance to fall in one campaign (from every entry point, or one at random).
  void add_crown_jewels() {
    const simulation_result sim = simulate_compromise(
        t_, entries_, jewels_, prob_,
        {.trials = o_.trials, .seed = o_.seed, .all_gates = gates_, .one_source_per_trial = one_entry_, .cancel = o_.cancel}, exec_);
    r_.cancelled |= sim.cancelled;
    r_.p_any_crown_jewel = sim.any_target_interval();
    for (std::size_t v : sim.targets)
      r_.crown_jewels.push_back({.node = report_node_of(t_, v), .compromise = sim.interval(v), .event_loss = event_loss_[v]});
  }

  /// The money: annual loss, and the plan that removes most of it per unit of cost.
  void add_losses_and_plan() {
    loss_model model = loss_model_of(t_);
    if (model.threats.empty()) r_.no_loss_reason = "the twin states no threats";
    else if (model.assets.empty()) r_.no_loss_reason = "no node of the twin states a loss";
    const std::vector<remediation_action> candidates =
        o_.actions.empty() ? candidate_actions(t_, prob_, o_.candidate_paths, o_.kind_costs) : o_.actions;
    r_.remediation.budget = o_.budget;
    r_.remediation.candidates = candidates.size();
    if (!r_.no_loss_reason.empty() || cancelled()) return;
    r_.losses = simulate_loss(t_, prob_, model, {.years = o_.years, .seed = o_.seed, .all_gates = gates_, .cancel = o_.cancel}, exec_);
    r_.cancelled |= r_.losses->cancelled;
    for (crown_jewel_risk& c : r_.crown_jewels)
      for (std::size_t i = 0; i < r_.losses->asset_ids.size(); ++i)
        if (r_.losses->asset_ids[i] == c.node.id) c.ale = r_.losses->asset_ale(i), c.ale_se = r_.losses->asset_se(i);
    report_progress(o_.progress, 40);
    if (cancelled()) return;
    const what_if_evaluator w(t_, prob_, model, {.years = o_.plan_years, .seed = o_.seed, .all_gates = gates_, .cancel = o_.cancel}, exec_);
    const remediation_plan plan = plan_remediation(w, candidates, {.budget = o_.budget, .max_actions = o_.max_actions});
    r_.cancelled |= plan.cancelled;
    r_.remediation.ale_before = plan.ale_before;
    r_.remediation.p99_before = plan.p99_before;
    for (const plan_step& s : plan.steps) r_.remediation.plan.push_back(report_action_of(t_, by_index_, s));
  }

  /// The cheapest complete cut and where attack flows.
  void add_cut_and_choke_points() {
    const cut_result cut = minimum_cost_cut(t_, entries_, jewels_, prob_, {.edge = edge_fix_costs(t_, o_.kind_costs)});
    if (cut.feasible()) r_.remediation.cut_cost = cut.cost;
    for (std::size_t e : cut.edges) r_.remediation.cut.push_back(report_edge_of(t_, by_index_[e]));
    if (cancelled()) return;
    const choke_point_result points = choke_points(
        t_, entries_, jewels_, prob_, {.k = o_.choke_point_paths, .simulated = 0, .seed = o_.seed, .all_gates = gates_, .cancel = o_.cancel},
        exec_);
    r_.cancelled |= points.cancelled;
    for (std::size_t i = 0; i < points.edges.size() && i < o_.choke_points; ++i)
      r_.remediation.choke_points.push_back(
          {report_edge_of(t_, by_index_[points.edges[i].element]), points.edges[i].path_share, points.edges[i].paths});
  }

  /// AI inventory: what each AI asset could reach if it turned hostile (prompt injection, a
  /// poisoned model, a compromised agent) — one simulation per asset, up to the limit.
  void add_ai_inventory() {
    for (std::size_t v = 0; v < t_.num_nodes(); ++v) {
      if (!is_ai(t_[v].kind)) continue;
      ai_asset a{.node = report_node_of(t_, v), .sanctioned = t_[v].sanctioned, .internet_exposed = t_[v].internet_exposed,
                 .owner = t_[v].owner};
      if (r_.ai.size() < o_.max_ai_assets && !cancelled() && !jewels_.empty()) {
        const simulation_result reach =
            simulate_compromise(t_, std::vector<std::size_t>{v}, jewels_, prob_,
                                {.trials = o_.trials, .seed = o_.seed, .all_gates = gates_, .cancel = o_.cancel}, exec_);
        a.analysed = !reach.cancelled;
        for (std::size_t j : reach.targets)
          if (j != v && reach.compromised[j] > 0) a.reaches.push_back({report_node_of(t_, j), reach.interval(j)});
        std::stable_sort(a.reaches.begin(), a.reaches.end(),
                         [](const ai_reach& x, const ai_reach& y) { return x.probability.p > y.probability.p; });
      }
      r_.ai.push_back(std::move(a));
    }
  }

 private:
  const twin& t_;
  const report_options& o_;
  Exec exec_;
  bool one_entry_ = false;  // campaigns start from one entry point at random
  const std::vector<double> p_;  ///< the view's probabilities; every analysis reads them through prob_
  const vector_probability_map<twin> prob_;
  const std::vector<char> gates_;
  const std::vector<twin::edge_descriptor> by_index_;
  const std::vector<std::size_t> entries_, jewels_;
  std::vector<double> event_loss_;  ///< mean loss of one compromise, by vertex (crown jewels only)
  risk_report r_;
};

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
  detail::report_builder<Exec> builder(t, assessment, o, exec);
  builder.describe_twin();
  builder.add_tier_zero();
  builder.add_paths();
  detail::report_progress(o.progress, 5);
  if (assessment && !builder.cancelled()) builder.add_exposure(*assessment);
  detail::report_progress(o.progress, 15);
  builder.add_crown_jewels();
  detail::report_progress(o.progress, 25);
  builder.add_losses_and_plan();
  risk_report& r = builder.report();
  std::stable_sort(r.crown_jewels.begin(), r.crown_jewels.end(),
                   [](const crown_jewel_risk& a, const crown_jewel_risk& b) { return a.compromise.p > b.compromise.p; });
  detail::report_progress(o.progress, 85);
  builder.add_cut_and_choke_points();
  detail::report_progress(o.progress, 90);
  builder.add_ai_inventory();
  detail::report_progress(o.progress, 100);

  const std::optional<double> ale = r.losses ? std::optional<double>(r.losses->ale()) : std::nullopt;
  r.score = risk_score(ale, appetite, r.p_any_crown_jewel.p, r.losses ? r.losses->exceedance(appetite) : 0.0, appetite_assumed);
  r.cancelled |= builder.cancelled();
  return std::move(r);
}

}  // namespace twinrisk
