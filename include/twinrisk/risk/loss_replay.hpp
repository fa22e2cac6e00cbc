#pragma once
/// Loss simulations replayed after a change. A run recorded once, watching sets of edges (a
/// plan's candidate actions), answers "the same years with these sets' edges less likely" by
/// simulating again only the events such a change can alter: an event in which no edge of the
/// changed sets was alive out of a node it reached keeps its recorded losses. The others run
/// again on the very worlds of the recording — each edge keeps its random stream, and lowering a
/// probability only kills edges in some worlds, never revives one — so the years come out
/// bit-identical to a fresh `simulate_loss` with the lowered probabilities, at the cost of the
/// touched events alone.
///
///     loss_replay replay(t, p, loss_model_of(t), {.years = 20'000}, {{e1, e2}, {e3}});
///     std::vector<double> q = p;  q[e3] = 0.0;
///     annual_losses after = replay.losses_with(q, {{1}});   // == simulate_loss(t, q, ...)
///     replay.saving_bound(1);   // >= the ALE any lowering of set 1's edges can save
///
/// The recording also bounds what a set can save: the money lost, a year, by the events it
/// touched. A planner measures only the sets whose bound could still win (remediate/plan.hpp).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "twinrisk/error.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/risk/simulate_loss.hpp"

namespace twinrisk {

/// A recorded loss simulation of twin `t` (a `basic_twin`) that replays changes to watched sets
/// of edges. Memory: the recording keeps, per simulated event, a bit per watched set and per
/// asset and the money it lost, and per task of 1,024 years its result.
template <class T, class Exec = par>
class loss_replay {
 public:
  /// Simulates and records `options.years` years with edge probabilities `p` (by edge index),
  /// watching `edge_sets` (edge indices). Throws: what simulate_loss throws; model_error on an
  /// edge index out of range or a `target_rse` (a replay needs every year).
  loss_replay(const T& t, std::vector<double> p, loss_model model, loss_options options,
              std::vector<std::vector<std::size_t>> edge_sets, Exec exec = {})
      : t_(t), p_(std::move(p)), model_(std::move(model)), options_(std::move(options)), sets_(std::move(edge_sets)), exec_(exec) {
    if (options_.target_rse > 0.0) throw model_error("a recorded loss simulation runs every year: no target_rse");
    options_.progress = nullptr;
    detail::check_loss_model(model_, t_.num_nodes(), t_.num_edges());
    if (options_.first_year % detail::loss_task_years != 0) throw model_error("first_year must be a multiple of 1024");
    detail::check_year_range(options_.years, options_.first_year);
    for (const auto& set : sets_)
      for (std::size_t e : set)
        if (e >= p_.size()) throw model_error("watched edge " + std::to_string(e) + " is not in the twin");
    baseline_ = detail::empty_losses(model_, options_.seed);
    detail::run_with(exec_, [&] {
      setup_ = detail::prepare_loss(t_, probability_map(t_, p_), model_, options_.all_gates, detail::is_parallel<Exec>);
      watch_ = watched_slots();
      const detail::loss_task_runner runner(setup_, model_, options_, tasks(), detail::is_parallel<Exec>, &watch_);
      detail::run_loss_tasks(runner, options_, detail::is_parallel<Exec>, baseline_, &traces_);
    });
    bounds_.assign(sets_.size(), 0.0);
    for (const detail::loss_task_trace& task : traces_)
      for (std::size_t k = 0; k < task.touched.size(); ++k)
        for (std::size_t j = 0; j < sets_.size(); ++j)
          for (std::size_t i = 0; i < task.money[k].size(); ++i)
            if (((task.touched[k][j][i / 64] >> (i % 64)) & 1u) != 0) bounds_[j] += task.money[k][i];
    for (double& b : bounds_) b /= static_cast<double>(std::max<std::uint64_t>(1, baseline_.years()));
  }

  /// The recorded years (as simulate_loss gives them; cancelled when the token stopped them).
  [[nodiscard]] const annual_losses& baseline() const noexcept { return baseline_; }
  [[nodiscard]] const std::vector<double>& probabilities() const noexcept { return p_; }
  [[nodiscard]] const std::vector<std::vector<std::size_t>>& edge_sets() const noexcept { return sets_; }

  /// An upper bound of the annual loss that lowering set j's edges saves, together with any other
  /// sets: the money the events it touched lost, over the years (annual caps only lower it).
  [[nodiscard]] double saving_bound(std::size_t j) const { return bounds_.at(j); }

  /// The recorded years with probabilities `q` (by edge index), which may differ from the
  /// recorded ones only on the edges of `sets`, and only downwards. Complexity: the events those
  /// sets touched, re-simulated, plus O(E) to check q. Throws: model_error when q is larger, or
  /// differs outside the sets, or the recording was cancelled.
  [[nodiscard]] annual_losses losses_with(const std::vector<double>& q, std::span<const std::size_t> sets) const {
    if (baseline_.cancelled) throw model_error("the recorded loss simulation was cancelled: nothing to replay");
    if (q.size() != p_.size()) throw model_error("expected " + std::to_string(p_.size()) + " edge probabilities");
    std::vector<char> may_change(p_.size(), 0);
    for (std::size_t j : sets)
      for (std::size_t e : sets_.at(j)) may_change[e] = 1;
    for (std::size_t e = 0; e < p_.size(); ++e)
      if (q[e] != p_[e] && (may_change[e] == 0 || !(q[e] <= p_[e])))
        throw model_error("edge " + std::to_string(e) + " changed from " + detail::show_number(p_[e]) + " to " +
                          detail::show_number(q[e]) + ": a replay takes only lower probabilities on the watched sets' edges");
    annual_losses r = detail::empty_losses(model_, options_.seed);
    detail::run_with(exec_, [&] {
      // The recording's problems with the lowered edges' thresholds: same slots, same numbering.
      std::vector<detail::compromise_problem> problems = setup_.problems;
      for (std::size_t k = 0; k < problems.size(); ++k) {
        const double capability = model_.threats[k].capability;
        for (std::size_t j : sets)
          for (std::size_t e : sets_[j])
            if (const std::size_t slot = slot_of_[k][e]; slot != no_slot && q[e] != p_[e])
              problems[k].threshold[slot] = bernoulli_threshold(q[e] * capability);
      }
      const detail::loss_task_runner runner(setup_, model_, options_, tasks(), detail::is_parallel<Exec>, nullptr,
                                            {.recorded = &traces_, .sets = sets}, &problems);
      detail::run_loss_tasks(runner, options_, detail::is_parallel<Exec>, r);
    });
    return r;
  }

 private:
  static constexpr std::size_t no_slot = std::numeric_limits<std::size_t>::max();

  [[nodiscard]] std::uint64_t tasks() const noexcept { return (options_.years + detail::loss_task_years - 1) / detail::loss_task_years; }

  /// The watched sets as slots of each threat's problem (an edge that is never alive has none).
  detail::watched_slots watched_slots() {
    detail::watched_slots out(setup_.problems.size());
    slot_of_.assign(setup_.problems.size(), std::vector<std::size_t>(p_.size(), no_slot));
    for (std::size_t k = 0; k < setup_.problems.size(); ++k) {
      const detail::compromise_problem& c = setup_.problems[k];
      for (std::size_t slot = 0; slot < c.lane.size(); ++slot) slot_of_[k][c.lane[slot]] = slot;
      out[k].resize(sets_.size());
      for (std::size_t j = 0; j < sets_.size(); ++j)
        for (std::size_t e : sets_[j])
          if (slot_of_[k][e] != no_slot) out[k][j].push_back(slot_of_[k][e]);
    }
    return out;
  }

  const T& t_;
  std::vector<double> p_;
  loss_model model_;
  loss_options options_;
  std::vector<std::vector<std::size_t>> sets_;
  Exec exec_;
  detail::loss_setup setup_;
  detail::watched_slots watch_;
  std::vector<std::vector<std::size_t>> slot_of_;  // [threat][edge]: its slot, or no_slot
  std::vector<detail::loss_task_trace> traces_;
  annual_losses baseline_;
  std::vector<double> bounds_;
};

}  // namespace twinrisk
