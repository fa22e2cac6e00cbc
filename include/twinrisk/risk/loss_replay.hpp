#pragma once
/// Loss simulations replayed after a change. A run recorded once, watching sets of edges (a
/// plan's candidate actions), answers "the same years with these sets' edges less likely" by
/// simulating again only the events such a change can alter: an event in which no edge of the
/// changed sets was alive out of a node it reached keeps its recorded losses. The others run
/// again on the very worlds of the recording — each edge keeps its random stream, and lowering a
/// probability only kills edges in some worlds, never revives one — so the years come out
/// bit-identical to a fresh `simulate_loss` with the lowered probabilities, at the cost of the
/// touched events alone. With a detection race the recording keeps each event's ways to the
/// assets it lost, so a replay races again only the events with an edge on those ways that the
/// lowered probabilities kill, starting from what the surviving ways still hold.
///
///     loss_replay replay(t, p, loss_model_of(t), {.years = 20'000}, {{e1, e2}, {e3}});
///     std::vector<double> q = p;  q[e3] = 0.0;
///     annual_losses after = replay.losses_with(q, {{1}});   // == simulate_loss(t, q, ...)
///     replay.saving_bound(1);   // >= the ALE any lowering of set 1's edges can save
///
/// The recording also bounds what a set can save: the money lost, a year, by the events it
/// touched. A planner measures only the sets whose bound could still win (remediate/plan.hpp).

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
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
      : p_(std::move(p)), model_(std::make_shared<const loss_model>(std::move(model))), options_(std::move(options)),
        sets_(std::make_shared<const std::vector<std::vector<std::size_t>>>(std::move(edge_sets))), exec_(exec) {
    if (options_.target_rse > 0.0) throw model_error("a recorded loss simulation runs every year: no target_rse");
    options_.progress = nullptr;
    detail::check_loss_run(*model_, t.num_nodes(), t.num_edges(), options_);
    for (const auto& set : *sets_)
      for (std::size_t e : set)
        if (e >= p_.size()) throw model_error("watched edge " + std::to_string(e) + " is not in the twin");
    baseline_ = detail::empty_losses(*model_, options_.seed);
    detail::run_with(exec_, [&] {
      setup_ = std::make_shared<const detail::loss_setup>(
          detail::prepare_loss(t, probability_map(t, p_), *model_, options_.all_gates, detail::is_parallel<Exec>));
      problems_ = setup_->problems;
      index_watched_slots();
      const detail::loss_task_runner runner(*setup_, *model_, options_, tasks(), detail::is_parallel<Exec>, watch_.get());
      detail::run_loss_tasks(runner, options_, detail::is_parallel<Exec>, baseline_, &traces_);
    });
    compute_bounds();
  }

  /// The recorded years (as simulate_loss gives them; cancelled when the token stopped them).
  [[nodiscard]] const annual_losses& baseline() const noexcept { return baseline_; }
  [[nodiscard]] const std::vector<double>& probabilities() const noexcept { return p_; }
  [[nodiscard]] const std::vector<std::vector<std::size_t>>& edge_sets() const noexcept { return *sets_; }

  /// An upper bound of the annual loss that lowering set j's edges saves, together with any other
  /// sets: the money the events it touched lost, over the years (annual caps only lower it).
  [[nodiscard]] double saving_bound(std::size_t j) const { return bounds_.at(j); }

  /// The recorded years with probabilities `q` (by edge index), which may differ from the
  /// recorded ones only on the edges of `sets`, and only downwards. Complexity: the events those
  /// sets touched, re-simulated, plus O(E) to check q. Throws: model_error when q is larger, or
  /// differs outside the sets, or the recording was cancelled.
  [[nodiscard]] annual_losses losses_with(const std::vector<double>& q, std::span<const std::size_t> sets) const {
    annual_losses r = detail::empty_losses(*model_, options_.seed);
    replay(q, sets, r, nullptr);
    return r;
  }

  /// The first `years` of the recorded years (a multiple of 1,024, or all of them) with
  /// probabilities q: a cheaper first look, e.g. to screen candidates. Throws: as losses_with.
  [[nodiscard]] annual_losses first_losses_with(const std::vector<double>& q, std::span<const std::size_t> sets,
                                                std::uint64_t years) const {
    if (years % detail::loss_task_years != 0 && years < options_.years)
      throw model_error("a replay's first years come in tasks of 1024");
    annual_losses r = detail::empty_losses(*model_, options_.seed);
    replay(q, sets, r, nullptr, nullptr, std::min(years, options_.years));
    return r;
  }

  /// Whether `losses_with(q, sets)` can answer: q differs from the recorded probabilities only on
  /// the sets' edges, and only downwards.
  [[nodiscard]] bool can_replay(const std::vector<double>& q, std::span<const std::size_t> sets) const {
    return q.size() == p_.size() && first_unreplayable(q, sets) == q.size();
  }

  /// The same years with probabilities q, recorded in turn — the next step of a plan starts here.
  /// Only the events the sets touched are simulated again; the others keep their records.
  /// Throws: as losses_with.
  [[nodiscard]] loss_replay rerecorded(const std::vector<double>& q, std::span<const std::size_t> sets) const {
    loss_replay next(shared_parts{}, *this);
    next.p_ = q;
    replay(q, sets, next.baseline_, &next.traces_, &next.problems_);
    next.compute_bounds();
    return next;
  }

 private:
  /// A recording's shared parts without its own (probabilities, problems, records): the shell
  /// `rerecorded` fills.
  struct shared_parts {};
  loss_replay(shared_parts, const loss_replay& from)
      : model_(from.model_), options_(from.options_), sets_(from.sets_), exec_(from.exec_), setup_(from.setup_),
        watch_(from.watch_), slot_of_(from.slot_of_), baseline_(detail::empty_losses(*model_, options_.seed)) {}

  static constexpr std::size_t no_slot = std::numeric_limits<std::size_t>::max();

  [[nodiscard]] std::uint64_t tasks() const noexcept { return detail::loss_task_count(options_.years); }

  [[nodiscard]] std::size_t first_unreplayable(const std::vector<double>& q, std::span<const std::size_t> sets) const {
    std::vector<char> may_change(p_.size(), 0);
    for (std::size_t j : sets)
      for (std::size_t e : sets_->at(j)) may_change[e] = 1;
    for (std::size_t e = 0; e < p_.size(); ++e)
      if (q[e] != p_[e] && (may_change[e] == 0 || !(q[e] <= p_[e]))) return e;
    return q.size();
  }

  /// The years with probabilities q into r (and, when given, their records into `traces` and the
  /// lowered problems into `problems`).
  void replay(const std::vector<double>& q, std::span<const std::size_t> sets, annual_losses& r,
              std::vector<detail::loss_task_trace>* traces, std::vector<detail::compromise_problem>* problems = nullptr,
              std::uint64_t years = 0) const {
    loss_options options = options_;
    if (years > 0) options.years = years;
    if (baseline_.cancelled) throw model_error("the recorded loss simulation was cancelled: nothing to replay");
    if (q.size() != p_.size()) throw model_error("expected " + std::to_string(p_.size()) + " edge probabilities");
    if (const std::size_t e = first_unreplayable(q, sets); e != q.size())
      throw model_error("edge " + std::to_string(e) + " changed from " + detail::show_number(p_[e]) + " to " +
                        detail::show_number(q[e]) + ": a replay takes only lower probabilities on the watched sets' edges");
    detail::run_with(exec_, [&] {
      // The recording's problems with the lowered edges' thresholds: same slots, same numbering.
      std::vector<detail::compromise_problem> lowered = problems_;
      for (std::size_t k = 0; k < lowered.size(); ++k) {
        const double capability = model_->threats[k].capability;
        for (std::size_t j : sets)
          for (std::size_t e : (*sets_)[j])
            if (const std::size_t slot = (*slot_of_)[k][e]; slot != no_slot && q[e] != p_[e])
              lowered[k].threshold[slot] = bernoulli_threshold(q[e] * capability);
      }
      const detail::loss_task_runner runner(*setup_, *model_, options, tasks(), detail::is_parallel<Exec>,
                                            traces != nullptr ? watch_.get() : nullptr, {.recorded = &traces_, .sets = sets}, &lowered);
      detail::run_loss_tasks(runner, options, detail::is_parallel<Exec>, r, traces);
      if (problems != nullptr) *problems = std::move(lowered);
    });
  }

  /// The watched sets as slots of each threat's problem (an edge that is never alive has none).
  void index_watched_slots() {
    detail::watched_slots watch(problems_.size());
    std::vector<std::vector<std::size_t>> slot_of(problems_.size(), std::vector<std::size_t>(p_.size(), no_slot));
    for (std::size_t k = 0; k < problems_.size(); ++k) {
      const detail::compromise_problem& c = problems_[k];
      for (std::size_t slot = 0; slot < c.lane.size(); ++slot) slot_of[k][c.lane[slot]] = slot;
      watch[k].resize(sets_->size());
      for (std::size_t j = 0; j < sets_->size(); ++j)
        for (std::size_t e : (*sets_)[j])
          if (slot_of[k][e] != no_slot) watch[k][j].push_back(slot_of[k][e]);
    }
    watch_ = std::make_shared<const detail::watched_slots>(std::move(watch));
    slot_of_ = std::make_shared<const std::vector<std::vector<std::size_t>>>(std::move(slot_of));
  }

  /// Per set: the money the events it touched lost, a year.
  void compute_bounds() {
    bounds_.assign(sets_->size(), 0.0);
    for (const detail::loss_task_trace& task : traces_)
      for (std::size_t k = 0; k < task.touched.size(); ++k)
        for (std::size_t j = 0; j < sets_->size(); ++j) {
          const std::vector<std::uint64_t>& bits = task.touched[k][j];
          for (std::size_t w = 0; w < bits.size(); ++w)
            for (std::uint64_t b = bits[w]; b != 0; b &= b - 1) bounds_[j] += task.money[k][w * 64 + static_cast<std::size_t>(std::countr_zero(b))];
        }
    for (double& b : bounds_) b /= static_cast<double>(std::max<std::uint64_t>(1, baseline_.years()));
  }

  // Shared between a recording and the ones rerecorded from it: what does not change.
  std::vector<double> p_;
  std::shared_ptr<const loss_model> model_;
  loss_options options_;
  std::shared_ptr<const std::vector<std::vector<std::size_t>>> sets_;
  Exec exec_;
  std::shared_ptr<const detail::loss_setup> setup_;
  std::shared_ptr<const detail::watched_slots> watch_;
  std::shared_ptr<const std::vector<std::vector<std::size_t>>> slot_of_;  // [threat][edge]: its slot, or no_slot
  // This recording's own.
  std::vector<detail::compromise_problem> problems_;  // the setup's, with this recording's probabilities
  std::vector<detail::loss_task_trace> traces_;
  annual_losses baseline_;
  std::vector<double> bounds_;
};

}  // namespace twinrisk
