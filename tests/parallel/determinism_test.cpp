// The determinism suite: every parallel algorithm gives bit-identical results on 1, 2, 4 and 8
// threads and in the serial reference, on the sample twin and on a synthetic enterprise twin.
// oneTBB is allowed 8 threads here even on a 2-core machine, so 4 and 8 really run (more
// threads than cores interleave the most). Run under ThreadSanitizer by the `tsan` preset.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include "test_twins.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/remediate/what_if.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

using namespace twinrisk;

namespace {

constexpr int thread_counts[] = {1, 2, 4, 8};

struct named_twin {
  std::string name;
  twin t;
};

std::vector<named_twin> twins() {
  std::vector<named_twin> out;
  out.push_back({"sample", read_twin_json_file(twinrisk_test::sample_twin_path())});
  out.push_back({"synthetic 1000 nodes", generate_enterprise({.nodes = 1000, .seed = 11})});
  return out;
}

/// Runs `check(exec)` for the serial reference (seq) and then for par{n}, n in thread_counts,
/// with oneTBB allowed up to 8 threads.
template <class Check>
void on_every_thread_count(Check&& check) {
  const tbb::global_control allow(tbb::global_control::max_allowed_parallelism, 8);
  check(seq, 0);
  for (int n : thread_counts) check(par{n}, n);
}

}  // namespace

TEST_CASE("paths: the k most probable paths and the bounded count are the same on every thread count") {
  for (const named_twin& x : twins()) {
    CAPTURE(x.name);
    const auto prob = get(&edge::probability, x.t);
    paths_result reference;
    enumeration_result counted;
    on_every_thread_count([&](auto exec, int threads) {
      CAPTURE(threads);
      const paths_result r = k_most_probable_paths(x.t, x.t.entry_points(), x.t.crown_jewels(), prob, {.k = 100}, exec);
      const enumeration_result c = count_paths(x.t, x.t.entry_points(), x.t.crown_jewels(), prob, {.max_hops = 4}, exec);
      if (threads == 0) {
        REQUIRE(r.paths.size() == 100);  // both twins have more than 100 paths
        reference = r, counted = c;
        return;
      }
      CHECK(r.paths == reference.paths);
      CHECK(c.paths == counted.paths);
      CHECK(c.extensions == counted.extensions);
    });
  }
}

TEST_CASE("simulate: compromise counts, kept worlds and times to compromise are the same on every thread count") {
  for (const named_twin& x : twins()) {
    CAPTURE(x.name);
    const auto prob = get(&edge::probability, x.t);
    const auto gates = all_gates_of(x.t);
    const simulation_options o{.trials = 2048, .seed = 17, .all_gates = gates, .keep_target_worlds = true};
    const time_options to{.trials = 256, .seed = 18, .all_gates = gates};
    const auto hours = edge_hours(x.t);
    simulation_result reference;
    time_result timed;
    on_every_thread_count([&](auto exec, int threads) {
      CAPTURE(threads);
      const simulation_result r = simulate_compromise(x.t, x.t.entry_points(), x.t.crown_jewels(), prob, o, exec);
      const time_result tr = time_to_compromise(x.t, x.t.entry_points(), x.t.crown_jewels(), prob, hours, to, exec);
      if (threads == 0) {
        REQUIRE(r.any_target > 0);
        reference = r, timed = tr;
        return;
      }
      CHECK(r.compromised == reference.compromised);
      CHECK(r.any_target == reference.any_target);
      CHECK(r.target_worlds == reference.target_worlds);
      CHECK(tr.compromised == timed.compromised);
      CHECK(tr.within == timed.within);
      CHECK(tr.histogram == timed.histogram);
      CHECK(tr.target_hours == timed.target_hours);
    });
  }
}

TEST_CASE("loss: every simulated year, event count and split is the same on every thread count") {
  for (const named_twin& x : twins()) {
    CAPTURE(x.name);
    const loss_model model = loss_model_of(x.t);
    REQUIRE_FALSE(model.threats.empty());
    const auto prob = get(&edge::probability, x.t);
    const loss_options o{.years = 4096, .seed = 19, .all_gates = all_gates_of(x.t)};
    annual_losses reference;
    on_every_thread_count([&](auto exec, int threads) {
      CAPTURE(threads);
      const annual_losses r = simulate_loss(x.t, prob, model, o, exec);
      if (threads == 0) {
        REQUIRE(r.ale() > 0.0);
        reference = r;
        return;
      }
      CHECK(r.by_year == reference.by_year);  // exact doubles
      CHECK(r.events == reference.events);
      for (std::size_t i = 0; i < r.by_asset.size(); ++i) CHECK(r.by_asset[i].sum == reference.by_asset[i].sum);
      for (std::size_t i = 0; i < r.by_threat.size(); ++i) CHECK(r.by_threat[i].sum == reference.by_threat[i].sum);
    });
  }
}

TEST_CASE("plan: the planner's steps, savings and intervals and the choke points are the same on every thread count") {
  for (const named_twin& x : twins()) {
    CAPTURE(x.name);
    const auto p = get(&edge::probability, x.t);
    const auto gates = all_gates_of(x.t);
    const std::vector<remediation_action> candidates = candidate_actions(x.t, p, 4);
    REQUIRE(candidates.size() >= 3);
    remediation_plan reference;
    choke_point_result points;
    auto same_points = [](const std::vector<choke_point>& a, const std::vector<choke_point>& b) {
      REQUIRE(a.size() == b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].element == b[i].element);
        CHECK(a[i].path_share == b[i].path_share);
        CHECK(a[i].saved_worlds.p == b[i].saved_worlds.p);
      }
    };
    on_every_thread_count([&](auto exec, int threads) {
      CAPTURE(threads);
      const what_if_evaluator w(x.t, p, loss_model_of(x.t), {.years = 1024, .seed = 23, .all_gates = gates}, exec);
      const remediation_plan plan = plan_remediation(w, candidates, {.max_actions = 2});
      const choke_point_result c =
          choke_points(x.t, x.t.entry_points(), x.t.crown_jewels(), p, {.k = 50, .simulated = 2, .trials = 1024, .seed = 29, .all_gates = gates}, exec);
      if (threads == 0) {
        REQUIRE(plan.steps.size() == 2);
        reference = plan, points = c;
        return;
      }
      CHECK(plan.ale_before == reference.ale_before);
      REQUIRE(plan.steps.size() == reference.steps.size());
      for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        CAPTURE(i);
        CHECK(plan.steps[i].action.target == reference.steps[i].action.target);
        CHECK(plan.steps[i].action.kind == reference.steps[i].action.kind);
        CHECK(plan.steps[i].ale_after == reference.steps[i].ale_after);
        CHECK(plan.steps[i].p99_after == reference.steps[i].p99_after);
        CHECK(plan.steps[i].saving.mean == reference.steps[i].saving.mean);
        CHECK(plan.steps[i].saving.lo == reference.steps[i].saving.lo);
        CHECK(plan.steps[i].saving.hi == reference.steps[i].saving.hi);
      }
      CHECK(plan.evaluations == reference.evaluations);
      same_points(c.edges, points.edges);
      same_points(c.nodes, points.nodes);
    });
  }
}
