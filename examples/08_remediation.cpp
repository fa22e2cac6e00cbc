// Which fixes remove the most loss per unit of cost? The cheapest cut between attackers and crown
// jewels, the money one change saves (with a paired interval), a plan within a budget, and the
// edges most attack paths funnel through.

#include <cstdio>
#include <iostream>

#include "example_twin.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/risk/money.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = twinrisk_examples::example_twin(argc, argv);
  const auto money = [&](double x) { return format_money(x, t.info().currency); };
  //! [remediate]
  const auto p = get(&edge::probability, t);  // or an exploitability view's ex.map(t)
  cut_result cut = minimum_cost_cut(t, t.entry_points(), t.crown_jewels(), p, {.edge = edge_fix_costs(t)});
  std::printf("cheapest cut: %zu edges for %s\n", cut.edges.size(), money(cut.cost).c_str());

  what_if_evaluator w(t, p, loss_model_of(t), {.years = 2'048, .all_gates = all_gates_of(t)});  // one baseline, many questions
  what_if_result r = w.evaluate({{.kind = action_kind::patch_cve, .target = "CVE-2024-23897"}});
  std::printf("patch CVE-2024-23897: saves %s a year [%s, %s]\n", money(r.saving.mean).c_str(), money(r.saving.lo).c_str(),
              money(r.saving.hi).c_str());

  remediation_plan plan = plan_remediation(w, candidate_actions(t, p, 3), {.budget = 50'000, .max_actions = 2});
  for (const plan_step& s : plan.steps)
    std::printf("  %-48s cost %-10s ALE after %s\n", s.action.description.c_str(), money(s.action.cost).c_str(),
                money(s.ale_after).c_str());

  choke_point_result points = choke_points(t, t.entry_points(), t.crown_jewels(), p, {.k = 100, .simulated = 1, .trials = 2'048});
  //! [remediate]
  std::printf("the busiest edge carries %.0f%% of the top paths' probability\n", 100.0 * points.edges.front().path_share);
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "remediation: " << e.what() << "\n";
  return 1;
}
