#pragma once
/// The remediation planner: which actions, in which order, remove the most annual loss per unit
/// of cost within a budget. Lazy greedy (Minoux 1978): the candidate with the best known saving
/// per cost is simulated on top of the actions already chosen, and taken if it still beats every
/// other candidate's last known ratio.
///
/// What is known of a candidate before it is measured: by default (`replay`), the baseline is
/// simulated once recording which events each candidate's edges could change
/// (risk/loss_replay.hpp); the money those events lost bounds the candidate's saving from above,
/// so a candidate is measured only once its bound leads the queue, and a measurement re-simulates
/// only the events the candidate and the chosen actions touch — the same years, to the bit, as a
/// full simulation. Without `replay`, every candidate is first simulated in full (the planner of
/// earlier versions, kept for comparison).
///
/// The caveat: lazy greedy is exact greedy, and greedy is within (1 − 1/e) of the best plan,
/// only when savings are submodular — when an action saves no more after others than before.
/// Attack graphs break that: two parallel paths each save little when cut alone and a lot
/// together, and AND gates do the same. The plan is a good ordering, not a proof of optimality;
/// the minimum-cost cut (`min_cut.hpp`) is the exact answer to "cut every path", and the plan
/// reports each step's saving measured on top of the steps before it.
///
///     const auto prob = get(&edge::probability, t);
///     what_if_evaluator w(t, prob, loss_model_of(t), {.years = 20'000});
///     remediation_plan plan = plan_remediation(w, candidate_actions(t, prob), {.budget = 50'000});

#include <algorithm>
#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/remediate/actions.hpp"
#include "twinrisk/remediate/what_if.hpp"
#include "twinrisk/risk/loss_replay.hpp"

namespace twinrisk {

/// Options of `plan_remediation`.
struct plan_options {
  double budget = std::numeric_limits<double>::infinity();  ///< total cost allowed
  std::size_t max_actions = 10;                             ///< at most this many steps
  /// Pass over a candidate whose saving's 95% interval includes 0 (not distinguishable from no
  /// saving at all) and try the next; false: take it when its mean saving is > 0. Either way
  /// the plan stops once the best saving per cost is <= 0.
  bool significant_only = true;
  /// Measure candidates by replaying a recorded baseline, starting from upper bounds; false:
  /// simulate every candidate in full first.
  bool replay = true;
};

/// One step of the plan: the action and the figures once it is added to the steps before it.
struct plan_step {
  remediation_action action;
  double ale_after = 0.0, p99_after = 0.0;
  paired_difference saving;     ///< ALE saved by this step on top of the earlier ones
  double cumulative_cost = 0.0;
  double saving_per_cost = 0.0;
};

/// The ordered plan.
struct remediation_plan {
  double ale_before = 0.0, p99_before = 0.0, budget = 0.0;
  std::vector<plan_step> steps;
  std::size_t evaluations = 0;  ///< loss simulations run (a measure of the planner's work)
  bool cancelled = false;       ///< the evaluator's token stopped it: the steps so far, no more
};

/// Candidate actions for twin `t` with edge probabilities `prob`: the default fix of
/// every edge on the `k` most probable paths from the entry points to the crown jewels, without
/// duplicates, each with its approval flag; `kind_costs` replaces default costs by edge kind.
template <class T, class ProbMap>
  requires edge_probability_map<ProbMap, T>
[[nodiscard]] std::vector<remediation_action> candidate_actions(const T& t, const ProbMap& prob, std::size_t k = 50,
                                                                const std::map<edge_kind, double>& kind_costs = {}) {
  const paths_result found = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), prob, {.k = k});
  std::set<std::size_t> edges;
  for (const attack_path& path : found.paths) edges.insert(path.edges.begin(), path.edges.end());
  std::vector<remediation_action> out;
  std::set<std::pair<action_kind, std::string>> seen;
  const auto by_index = edges_by_index(t);
  for (std::size_t e : edges) {
    remediation_action a = default_action(t, by_index[e]);
    a.cost = fix_cost(t[by_index[e]].kind, kind_costs);
    if (!seen.insert({a.kind, a.target}).second) continue;
    a.reason = approval_reason(t, a);
    a.requires_approval = !a.reason.empty();
    out.push_back(std::move(a));
  }
  return out;
}

/// Plans actions from `candidates` with evaluator `w` (whose baseline is the starting point).
/// Complexity: about (candidates + steps · re-evaluations) loss simulations of w's years.
/// Determinism: identical for every thread count (the simulations are). Throws: input_error on
/// a candidate that does not fit the twin (/candidates/i) or a negative cost.
template <class T, class Exec>
remediation_plan plan_remediation(const what_if_evaluator<T, Exec>& w, const std::vector<remediation_action>& candidates,
                                  const plan_options& options = {}) {
  const T& t = w.twin();
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (!(candidates[i].cost >= 0.0 && candidates[i].cost < std::numeric_limits<double>::infinity()))
      throw input_error({.pointer = "/candidates/" + std::to_string(i) + "/cost"},
                        "expected a finite cost >= 0, got " + detail::show_number(candidates[i].cost));
  remediation_plan plan;
  if (w.baseline().cancelled) {
    plan.cancelled = true;
    return plan;
  }
  plan.ale_before = w.baseline().ale();
  plan.p99_before = w.baseline().quantile(0.99);
  plan.budget = options.budget;
  std::vector<double> current = w.probabilities();
  annual_losses current_losses = w.baseline();
  auto ratio = [](double saving, double cost) { return saving / std::max(cost, 1e-9); };
  auto after_action = [&](std::size_t i) {
    std::vector<double> p = current;
    apply_actions(t, {candidates[i]}, p, "/candidates/" + std::to_string(i));
    return p;
  };
  // Replaying: each candidate's edges (those its action lowers), recorded with the baseline.
  std::optional<loss_replay<T, Exec>> replay;
  std::vector<char> replayable(candidates.size(), 0);
  std::vector<std::size_t> chosen_sets;
  bool chosen_replayable = true;
  if (options.replay) {
    std::vector<std::vector<std::size_t>> sets(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const std::vector<double> p = after_action(i);
      replayable[i] = 1;
      for (std::size_t e = 0; e < p.size(); ++e)
        if (p[e] != current[e]) {
          sets[i].push_back(e);
          if (p[e] > current[e]) replayable[i] = 0;  // a raise can revive worlds: simulate in full
        }
    }
    replay.emplace(t, current, w.model(), w.loss_run_options(), std::move(sets), w.execution());
    if (replay->baseline().cancelled) {
      plan.cancelled = true;
      return plan;
    }
  }
  // Each candidate's saving on top of the current plan: (ratio, -index) keeps ties by order.
  auto measure = [&](std::size_t i) {
    const std::vector<double> p = after_action(i);
    ++plan.evaluations;
    annual_losses after;
    if (replay && replayable[i] != 0 && chosen_replayable) {
      std::vector<std::size_t> sets = chosen_sets;
      sets.push_back(i);
      after = replay->losses_with(p, sets);
    } else {
      after = w.losses_of(p);
    }
    if (after.cancelled) return std::make_pair(paired_difference{}, std::move(after));  // fewer years: no pairing
    const paired_difference saving = paired_saving(current_losses, after);
    return std::make_pair(saving, std::move(after));
  };
  using entry = std::pair<double, std::ptrdiff_t>;  // (last known ratio, -index): a max-heap
  std::priority_queue<entry> queue;
  constexpr std::size_t never = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> measured_at(candidates.size(), never);  // the step a candidate was last measured at
  std::vector<std::pair<paired_difference, annual_losses>> last(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (replay) {  // what it could save at most; measured once it leads
      const double bound = replayable[i] != 0 ? replay->saving_bound(i) : std::numeric_limits<double>::infinity();
      queue.push({ratio(bound, candidates[i].cost), -static_cast<std::ptrdiff_t>(i)});
      continue;
    }
    last[i] = measure(i);
    if (last[i].second.cancelled) {
      plan.cancelled = true;
      return plan;
    }
    measured_at[i] = 0;
    queue.push({ratio(last[i].first.mean, candidates[i].cost), -static_cast<std::ptrdiff_t>(i)});
  }
  double spent = 0.0;
  while (!queue.empty() && plan.steps.size() < options.max_actions) {
    const std::size_t i = static_cast<std::size_t>(-queue.top().second);
    queue.pop();
    if (spent + candidates[i].cost > options.budget) continue;  // never affordable again
    const std::size_t step = plan.steps.size();
    if (measured_at[i] != step) {  // stale: measure on top of the current plan, back in line
      last[i] = measure(i);
      if (last[i].second.cancelled) {
        plan.cancelled = true;
        break;
      }
      measured_at[i] = step;
      queue.push({ratio(last[i].first.mean, candidates[i].cost), -static_cast<std::ptrdiff_t>(i)});
      continue;
    }
    // Fresh and at the top: the best saving per cost now.
    const paired_difference saving = last[i].first;
    if (!(saving.mean > 0.0)) break;  // the best saves nothing
    if (options.significant_only && !(saving.lo > 0.0)) continue;  // not distinguishable from no saving
    apply_actions(t, {candidates[i]}, current, "/candidates/" + std::to_string(i));
    chosen_sets.push_back(i);
    chosen_replayable = chosen_replayable && replayable[i] != 0;
    spent += candidates[i].cost;
    current_losses = std::move(last[i].second);
    plan.steps.push_back({.action = candidates[i], .ale_after = current_losses.ale(), .p99_after = current_losses.quantile(0.99),
                          .saving = saving, .cumulative_cost = spent, .saving_per_cost = ratio(saving.mean, candidates[i].cost)});
  }
  return plan;
}

}  // namespace twinrisk
