// `twinrisk plan`: priority actions — a budgeted remediation plan ranked by annual loss saved per
// cost, the minimum-cost cut between the entry points and the crown jewels, and the choke points.

#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "loss_common.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/remediate/actions_file.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/risk/money.hpp"

namespace twinrisk_cli {
namespace {

struct plan_cli_options {
  common_options common;
  exploit_cli_options exploit;
  double budget = 100'000;
  std::string actions;
  std::uint64_t years = 20'000, seed = 1;
  std::size_t max_actions = 10;
  bool exhaustive = false;
};

// An edge as JSON: ids, and the names a person reads.
ordered_json edge_json(const twinrisk::twin& t, const std::vector<twinrisk::twin::edge_descriptor>& by_index, std::size_t e,
                       const std::vector<std::string>& label) {
  const auto uv = by_index[e];
  return {{"from", t.id(t.source(uv))}, {"to", t.id(t.target(uv))}, {"kind", to_string(t[uv].kind)},
          {"from_name", label[t.source(uv)]}, {"to_name", label[t.target(uv)]}};
}

std::string target_text(const twinrisk::twin& t, const std::vector<std::string>& label, const std::string& target);

/// What `plan` computes: the budgeted plan, the cheapest cut and the choke points.
struct plan_outcome {
  std::size_t candidates = 0;
  twinrisk::remediation_plan plan;
  twinrisk::cut_result cut;
  twinrisk::choke_point_result points;
  std::string currency;
};

plan_outcome compute_plan(const loaded_twin& loaded, const plan_cli_options& o) {
  const twinrisk::twin& t = loaded.twin;
  const twinrisk::loss_model model = checked_loss_model(loaded);
  const std::vector<double> p = view_probabilities(loaded, o.exploit);
  const auto prob = twinrisk::probability_map(t, p);
  twinrisk::action_catalog catalog;
  if (!o.actions.empty()) catalog = twinrisk::read_actions_file(t, o.actions);
  const std::vector<twinrisk::remediation_action> candidates =
      catalog.actions.empty() ? twinrisk::candidate_actions(t, prob, 50, catalog.edge_kind_costs) : catalog.actions;
  const std::vector<char> gates = twinrisk::all_gates_of(t);
  const twinrisk::what_if_evaluator w(t, prob, model, {.years = o.years, .seed = o.seed, .all_gates = gates, .cancel = interrupt()});
  return {.candidates = candidates.size(),
          .plan = twinrisk::plan_remediation(w, candidates, {.budget = o.budget, .max_actions = o.max_actions, .replay = !o.exhaustive}),
          // The cheapest cut at the default (or overridden) cost of fixing each edge kind.
          .cut = twinrisk::minimum_cost_cut(t, t.entry_points(), t.crown_jewels(), prob,
                                            {.edge = twinrisk::edge_fix_costs(t, catalog.edge_kind_costs)}),
          .points = twinrisk::choke_points(t, t.entry_points(), t.crown_jewels(), prob,
                                           {.k = 100, .simulated = 10, .trials = 20'000, .seed = o.seed, .all_gates = gates,
                                            .cancel = interrupt()}),
          .currency = model.currency};
}

ordered_json plan_json(const twinrisk::twin& t, const plan_cli_options& o, const plan_outcome& r) {
  const auto by_index = twinrisk::edges_by_index(t);
  const std::vector<std::string> label = twinrisk::node_labels(t);
  ordered_json j{{"currency", r.currency}, {"view", o.exploit.view}, {"years", o.years}, {"seed", o.seed},
                 {"budget", o.budget}, {"baseline", {{"ale", r.plan.ale_before}, {"p99", r.plan.p99_before}}}};
  ordered_json& steps = j["actions"] = ordered_json::array();
  for (const twinrisk::plan_step& s : r.plan.steps)
    steps.push_back({{"action", to_string(s.action.kind)}, {"target", s.action.target},
                     {"target_name", target_text(t, label, s.action.target)}, {"description", s.action.description},
                     {"cost", s.action.cost}, {"cumulative_cost", s.cumulative_cost}, {"ale_after", s.ale_after},
                     {"p99_after", s.p99_after}, {"delta_ale", s.saving.mean}, {"ci", {s.saving.lo, s.saving.hi}},
                     {"saving_per_cost", s.saving_per_cost}, {"requires_approval", s.action.requires_approval},
                     {"reason", s.action.reason}});
  ordered_json cut_edges = ordered_json::array();
  for (std::size_t e : r.cut.edges) cut_edges.push_back(edge_json(t, by_index, e, label));
  j["min_cut"] = {{"cost", r.cut.feasible() ? ordered_json(r.cut.cost) : ordered_json(nullptr)}, {"edges", std::move(cut_edges)}};
  auto choke_json = [](ordered_json x, const twinrisk::choke_point& point) {
    x["path_share"] = point.path_share;
    x["paths"] = point.paths;
    if (point.saved_worlds.p >= 0.0) x["saved_worlds"] = point.saved_worlds.p;
    return x;
  };
  ordered_json& chokes = j["choke_points"] = ordered_json::array();
  for (std::size_t i = 0; i < r.points.edges.size() && i < 20; ++i)
    chokes.push_back(choke_json(edge_json(t, by_index, r.points.edges[i].element, label), r.points.edges[i]));
  ordered_json& nodes = j["choke_nodes"] = ordered_json::array();
  for (std::size_t i = 0; i < r.points.nodes.size() && i < 20; ++i)
    nodes.push_back(choke_json({{"id", t.id(r.points.nodes[i].element)}, {"name", label[r.points.nodes[i].element]}}, r.points.nodes[i]));
  j["candidates"] = r.candidates;
  j["evaluations"] = r.plan.evaluations;
  j["screenings"] = r.plan.screenings;
  if (r.plan.cancelled || r.points.cancelled) j["cancelled"] = true;
  return j;
}

// An action's target for a person: nodes by their names ("from->to" and node ids), CVEs and edge
// indices as they are.
std::string target_text(const twinrisk::twin& t, const std::vector<std::string>& label, const std::string& target) {
  auto named = [&](const std::string& id) {
    const auto v = t.find(id);
    return v ? label[*v] : id;
  };
  if (const auto arrow = target.find("->"); arrow != std::string::npos)
    return named(target.substr(0, arrow)) + " -> " + named(target.substr(arrow + 2));
  return named(target);
}

std::string plan_text(const loaded_twin& loaded, const plan_cli_options& o, const plan_outcome& r) {
  const twinrisk::twin& t = loaded.twin;
  const auto by_index = twinrisk::edges_by_index(t);
  auto money = [&](double x) { return twinrisk::format_money(x, r.currency); };
  const std::vector<std::string> label = twinrisk::node_labels(t);
  std::ostringstream s;
  s << "Remediation plan, " << o.exploit.view << " view, " << loaded.source << " (" << o.years << " simulated years, seed "
    << o.seed << ")\n";
  s << "Baseline: ALE " << money(r.plan.ale_before) << ", p99 " << money(r.plan.p99_before) << "; budget " << money(o.budget) << ", "
    << r.candidates << " candidate actions\n\n";
  if (r.plan.steps.empty()) s << "No action within the budget saves a significant amount.\n";
  for (std::size_t i = 0; i < r.plan.steps.size(); ++i) {
    const twinrisk::plan_step& st = r.plan.steps[i];
    s << std::setw(2) << i + 1 << ". " << to_string(st.action.kind) << " " << target_text(t, label, st.action.target);
    if (!st.action.description.empty()) s << " (" << st.action.description << ")";
    s << "\n    cost " << money(st.action.cost) << ", saves " << money(st.saving.mean) << "/yr [" << money(st.saving.lo) << ", "
      << money(st.saving.hi) << "], ALE after " << money(st.ale_after) << ", p99 after " << money(st.p99_after) << "\n";
    if (st.action.requires_approval) s << "    needs approval: " << st.action.reason << "\n";
  }
  s << "\nMinimum-cost cut (every entry point from every crown jewel): ";
  if (!r.cut.feasible()) {
    s << "none (an entry point is a crown jewel, or only irremovable edges separate them)\n";
  } else {
    s << money(r.cut.cost) << ", " << r.cut.edges.size() << " edges\n";
    for (std::size_t e : r.cut.edges)
      s << "  " << label[t.source(by_index[e])] << " -> " << label[t.target(by_index[e])] << " (" << to_string(t[by_index[e]].kind) << ")\n";
  }
  s << "\nChoke points (share of the 100 most probable paths; share of worlds in which removing the edge saves a crown jewel):\n";
  auto choke_line = [&](const std::string& name, const twinrisk::choke_point& point) {
    s << "  " << std::left << std::setw(44) << name << std::right << std::fixed << std::setprecision(3) << point.path_share;
    if (point.saved_worlds.p >= 0.0) s << "  saves " << point.saved_worlds.p;
    s << "\n" << std::defaultfloat;
  };
  for (std::size_t i = 0; i < r.points.edges.size() && i < 10; ++i) {
    const auto uv = by_index[r.points.edges[i].element];
    choke_line(label[t.source(uv)] + " -> " + label[t.target(uv)], r.points.edges[i]);
  }
  s << "  nodes:\n";
  for (std::size_t i = 0; i < r.points.nodes.size() && i < 5; ++i) choke_line(label[r.points.nodes[i].element], r.points.nodes[i]);
  return s.str();
}

void run_plan(const plan_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const auto start = std::chrono::steady_clock::now();
  const plan_outcome r = compute_plan(loaded, o);
  print_result(o.common.format, {.text = [&] { return plan_text(loaded, o, r); },
                                 .json = [&] {
                                   ordered_json j = plan_json(loaded.twin, o, r);
                                   j["timing"] = timing_json(loaded.load_s, seconds_since(start));
                                   return j;
                                 }});
}

}  // namespace

command add_plan_command(CLI::App& app) {
  auto o = std::make_shared<plan_cli_options>();
  CLI::App* cmd = app.add_subcommand("plan", "Priority actions: budgeted remediation plan, minimum-cost cut, choke points");
  add_common_options(*cmd, o->common);
  add_exploit_options(*cmd, o->exploit, true);
  cmd->add_option("--budget", o->budget, "Total cost allowed, in the twin's currency")->capture_default_str()->check(non_negative, "NONNEGATIVE");
  cmd->add_option("--actions", o->actions, "An actions file (JSON): the candidate actions and cost overrides");
  add_count_option(*cmd, "--years", o->years, "Simulated years per evaluation", 1024, std::uint64_t{1} << 30);
  add_seed_option(*cmd, o->seed);
  cmd->add_option("--max-actions", o->max_actions, "At most this many steps")->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  cmd->add_flag("--exhaustive", o->exhaustive,
                "Simulate every candidate in full before planning (the planner of 0.1.0) instead of replaying a recorded baseline");
  return {cmd, [o] { run_plan(*o); }};
}

}  // namespace twinrisk_cli
