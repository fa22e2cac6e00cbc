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
/// only the events the candidate touches — the same years, to the bit, as a full simulation. Each
/// step moves the recording on to the plan so far. Without `replay`, every candidate is first
/// simulated in full (the planner of 0.1.0, kept for comparison).
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
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <span>
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
  /// Replaying runs of 16,384 years or more: look at a candidate on its first 4,096 years before
  /// measuring it on all of them; one whose saving there, plus 4 standard errors, cannot lead is
  /// not measured further. The steps taken are always measured on every year.
  bool screen = true;
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
  std::size_t evaluations = 0;  ///< candidate measurements on every year (a measure of the planner's work)
  std::size_t screenings = 0;   ///< candidate looks at the first years only (replaying, with `screen`)
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

namespace detail {

/// What both planners share: the plan so far, the current probabilities and years, and how a
/// measured candidate becomes a step.
template <class T, class Exec>
struct plan_state {
  const what_if_evaluator<T, Exec>& w;
  const std::vector<remediation_action>& candidates;
  const plan_options& options;
  remediation_plan plan{};
  std::vector<double> current{};
  annual_losses current_losses{};
  double spent = 0.0;

  static double ratio(double saving, double cost) { return saving / std::max(cost, 1e-9); }

  /// Starts the plan from the baseline's years; false (and the plan cancelled) when they were cut short.
  bool start(const annual_losses& baseline) {
    if (baseline.cancelled) {
      plan.cancelled = true;
      return false;
    }
    plan.ale_before = baseline.ale();
    plan.p99_before = baseline.quantile(0.99);
    current_losses = baseline;
    return true;
  }

  /// The current probabilities with candidate i applied.
  [[nodiscard]] std::vector<double> after_action(std::size_t i) const {
    std::vector<double> p = current;
    apply_actions(w.twin(), {candidates[i]}, p, "/candidates/" + std::to_string(i));
    return p;
  }

  /// Candidate i's saving on top of the current plan, and the years after it.
  [[nodiscard]] std::pair<paired_difference, annual_losses> measured(annual_losses after) const {
    if (after.cancelled) return {paired_difference{}, std::move(after)};  // fewer years: no pairing
    const paired_difference saving = paired_saving(current_losses, after);
    return {saving, std::move(after)};
  }

  /// Takes candidate i with its measurement as the next step.
  void take(std::size_t i, std::pair<paired_difference, annual_losses>&& m) {
    current = after_action(i);
    spent += candidates[i].cost;
    current_losses = std::move(m.second);
    plan.steps.push_back({.action = candidates[i], .ale_after = current_losses.ale(), .p99_after = current_losses.quantile(0.99),
                          .saving = m.first, .cumulative_cost = spent, .saving_per_cost = ratio(m.first.mean, candidates[i].cost)});
  }

  /// What a fresh measurement at the top of the queue means: take it (1), pass over it for good
  /// (0: not significant), or stop planning (-1: the best saves nothing).
  [[nodiscard]] int verdict(const paired_difference& saving) const {
    if (!(saving.mean > 0.0)) return -1;
    if (options.significant_only && !(saving.lo > 0.0)) return 0;
    return 1;
  }
};

/// The lazy greedy of 0.1.0: every candidate simulated in full, then re-measured while stale.
template <class T, class Exec>
void plan_exhaustively(plan_state<T, Exec>& s) {
  if (!s.start(s.w.baseline())) return;
  const std::vector<remediation_action>& candidates = s.candidates;
  auto measure = [&](std::size_t i) {
    ++s.plan.evaluations;
    return s.measured(s.w.losses_of(s.after_action(i)));
  };
  using entry = std::pair<double, std::ptrdiff_t>;  // (last known ratio, -index): a max-heap, ties by order
  std::priority_queue<entry> queue;
  std::vector<std::size_t> measured_at(candidates.size(), 0);  // the step a candidate was last measured at
  std::vector<std::pair<paired_difference, annual_losses>> last(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    last[i] = measure(i);
    if (last[i].second.cancelled) {
      s.plan.cancelled = true;
      return;
    }
    queue.push({s.ratio(last[i].first.mean, candidates[i].cost), -static_cast<std::ptrdiff_t>(i)});
  }
  while (!queue.empty() && s.plan.steps.size() < s.options.max_actions) {
    const std::size_t i = static_cast<std::size_t>(-queue.top().second);
    queue.pop();
    if (s.spent + candidates[i].cost > s.options.budget) continue;  // never affordable again
    const std::size_t step = s.plan.steps.size();
    if (measured_at[i] != step) {  // stale: measure on top of the current plan, back in line
      last[i] = measure(i);
      if (last[i].second.cancelled) {
        s.plan.cancelled = true;
        return;
      }
      measured_at[i] = step;
      queue.push({s.ratio(last[i].first.mean, candidates[i].cost), -static_cast<std::ptrdiff_t>(i)});
      continue;
    }
    const int verdict = s.verdict(last[i].first);
    if (verdict < 0) break;
    if (verdict > 0) s.take(i, std::move(last[i]));
  }
}

/// Lazy greedy on a replayed baseline: at each step every candidate enters the queue with the
/// bound of the current recording (the money of the events it touches) or, when smaller, the
/// ratio it was last measured at (the lazy greedy's assumption that savings only shrink); once it
/// leads it is screened on the first years (its optimistic saving there becomes its key), then,
/// if it leads again, measured by replay on every year; the first candidate to lead with a
/// measurement of this step is taken, and the recording moves on to the plan with it.
/// Screening looks at this many first years, and passes over a candidate whose saving there plus
/// this many standard errors cannot lead.
inline constexpr std::uint64_t screen_years = 4096;
inline constexpr double screen_z = 4.0;

template <class T, class Exec>
void plan_by_replay(plan_state<T, Exec>& s) {
  const std::vector<remediation_action>& candidates = s.candidates;
  std::vector<std::vector<std::size_t>> sets(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::vector<double> p = s.after_action(i);
    for (std::size_t e = 0; e < p.size(); ++e)
      if (p[e] != s.current[e]) sets[i].push_back(e);
  }
  std::optional<loss_replay<T, Exec>> recording;
  recording.emplace(s.w.twin(), s.current, s.w.model(), s.w.loss_run_options(), std::move(sets), s.w.execution());
  if (!s.start(recording->baseline())) return;  // the same years as w.baseline(), which is never simulated
  std::vector<char> dropped(candidates.size(), 0);  // taken, unaffordable or not significant
  std::vector<double> earlier(candidates.size(), std::numeric_limits<double>::infinity());  // last measured ratio
  while (s.plan.steps.size() < s.options.max_actions) {
    using entry = std::pair<double, std::ptrdiff_t>;  // (ratio, -index): a max-heap, ties by order
    std::priority_queue<entry> queue;
    enum : char { unmeasured, screened, measured };
    std::vector<char> state(candidates.size(), unmeasured);
    std::vector<std::pair<paired_difference, annual_losses>> last(candidates.size());
    // The recording of the leading measurement (the only one that can be taken): a recording per
    // measured candidate would hold a copy of the simulation's problems each.
    std::optional<loss_replay<T, Exec>> leader_recording;
    entry leader{-std::numeric_limits<double>::infinity(), 0};
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (dropped[i] == 0)
        queue.push({std::min(earlier[i], s.ratio(recording->saving_bound(i), candidates[i].cost)), -static_cast<std::ptrdiff_t>(i)});
    std::optional<std::size_t> chosen;
    while (!queue.empty()) {
      const auto [key, minus_i] = queue.top();
      const auto i = static_cast<std::size_t>(-minus_i);
      queue.pop();
      if (s.spent + candidates[i].cost > s.options.budget) {  // never affordable again
        dropped[i] = 1;
        continue;
      }
      if (state[i] != measured) {
        const std::vector<double> p = s.after_action(i);
        const std::size_t set[] = {i};
        const bool replayable = recording->can_replay(p, set);
        if (state[i] == unmeasured && replayable && s.options.screen && s.current_losses.years() >= 4 * screen_years) {
          ++s.plan.screenings;
          const annual_losses first = recording->first_losses_with(p, set, screen_years);
          if (first.cancelled) {
            s.plan.cancelled = true;
            return;
          }
          const paired_difference d =
              paired_saving(std::span<const double>(s.current_losses.by_year).first(first.by_year.size()), first.by_year);
          // Nothing seen in the first years (no spread to judge by) prunes nothing: the bound stays.
          const double optimistic = d.standard_error > 0.0 ? d.mean + screen_z * d.standard_error : std::numeric_limits<double>::infinity();
          state[i] = screened;
          // Kept for later steps too, as a measured ratio is: savings are taken to only shrink.
          earlier[i] = std::min(earlier[i], s.ratio(optimistic, candidates[i].cost));
          queue.push({std::min(key, earlier[i]), minus_i});
          continue;
        }
        ++s.plan.evaluations;
        if (replayable) {  // measured while recording: the next step starts from it if it is taken
          loss_replay<T, Exec> measuring = recording->rerecorded(p, set);
          last[i] = s.measured(measuring.baseline());
          const entry mine{s.ratio(last[i].first.mean, candidates[i].cost), minus_i};
          if (!leader_recording || leader < mine) leader_recording.emplace(std::move(measuring)), leader = mine;
        } else {
          last[i] = s.measured(s.w.losses_of(p));
        }
        if (last[i].second.cancelled) {
          s.plan.cancelled = true;
          return;
        }
        state[i] = measured;
        earlier[i] = s.ratio(last[i].first.mean, candidates[i].cost);
        queue.push({earlier[i], minus_i});
        continue;
      }
      const int verdict = s.verdict(last[i].first);
      if (verdict < 0) return;
      if (verdict == 0) {
        dropped[i] = 1;
        continue;
      }
      chosen = i;
      break;
    }
    if (!chosen) return;
    const std::size_t i = *chosen;
    const std::vector<double> p = s.after_action(i);
    const std::size_t set[] = {i};
    if (leader_recording && leader.second == -static_cast<std::ptrdiff_t>(i)) {
      recording = std::move(leader_recording);
    } else if (recording->can_replay(p, set)) {  // the leader was passed over as not significant
      recording.emplace(recording->rerecorded(p, set));
    } else {  // a raise the recording cannot replay: record the plan so far afresh
      std::vector<std::vector<std::size_t>> same_sets = recording->edge_sets();  // copied before the old recording goes
      recording.emplace(s.w.twin(), p, s.w.model(), s.w.loss_run_options(), std::move(same_sets), s.w.execution());
    }
    if (recording->baseline().cancelled) {
      s.plan.cancelled = true;
      return;
    }
    s.take(i, std::move(last[i]));
    dropped[i] = 1;
  }
}

}  // namespace detail

/// Plans actions from `candidates` with evaluator `w` (whose baseline is the starting point).
/// Complexity: with `replay`, one recorded loss simulation, then per step one replay of the
/// taken action and a replay of each candidate whose bound leads (each re-simulating only the
/// events the candidate touches); without, about (candidates + steps · re-evaluations) full loss
/// simulations of w's years. Determinism: identical for every thread count (the simulations
/// are). Throws: input_error on a candidate that does not fit the twin (/candidates/i) or a
/// negative cost.
template <class T, class Exec>
remediation_plan plan_remediation(const what_if_evaluator<T, Exec>& w, const std::vector<remediation_action>& candidates,
                                  const plan_options& options = {}) {
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (!(candidates[i].cost >= 0.0 && candidates[i].cost < std::numeric_limits<double>::infinity()))
      throw input_error({.pointer = "/candidates/" + std::to_string(i) + "/cost"},
                        "expected a finite cost >= 0, got " + detail::show_number(candidates[i].cost));
  detail::plan_state<T, Exec> s{.w = w, .candidates = candidates, .options = options};
  s.plan.budget = options.budget;
  s.current = w.probabilities();
  if (options.replay)
    detail::plan_by_replay(s);
  else
    detail::plan_exhaustively(s);
  return std::move(s.plan);
}

}  // namespace twinrisk
