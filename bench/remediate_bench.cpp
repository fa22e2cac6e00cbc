// Priority actions: the minimum-cost cut (entry points to crown jewels, default fix costs by edge
// kind) and one what-if evaluation (a 50% control on every edge into the first crown jewel,
// against a baseline simulated once) on generate_enterprise twins (small 10k nodes / 100k edges,
// medium 100k / 1M, large 1M / 10M); the full plan of `twinrisk plan`, replayed and exhaustive, on
// the sample twin and two small synthetic ones.
//   build/bench/bench/twinrisk_remediate_bench

#include <cstdint>
#include <filesystem>
#include <vector>

#include <benchmark/benchmark.h>

#include "enterprise_twin.hpp"
#include "source_dir.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/remediate/min_cut.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/remediate/what_if.hpp"

namespace {

using namespace twinrisk;
using twinrisk_bench::enterprise;

void MinCut(benchmark::State& state) {
  const twin& t = enterprise(state.range(0));
  const std::vector<double> costs = edge_fix_costs(t);
  const auto prob = get(&edge::probability, t);
  double cost = 0.0;
  for (auto _ : state) cost = minimum_cost_cut(t, t.entry_points(), t.crown_jewels(), prob, {.edge = costs}).cost;
  state.counters["cut_cost"] = cost;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.num_edges()));  // edges
}
BENCHMARK(MinCut)->DenseRange(0, 2)->ArgName("size")->Unit(benchmark::kMillisecond)->UseRealTime();

void WhatIf(benchmark::State& state) {
  const twin& t = enterprise(state.range(0));
  constexpr std::uint64_t years_of[] = {4096, 1024, 64};
  const std::uint64_t years = years_of[state.range(0)];
  const par exec{static_cast<int>(state.range(1))};
  const what_if_evaluator w(t, get(&edge::probability, t), loss_model_of(t), {.years = years, .seed = 1}, exec);
  const std::vector<remediation_action> actions{
      {.kind = action_kind::apply_control, .target = t.id(t.crown_jewels().front()), .effectiveness = 0.5}};
  (void)w.baseline();  // simulated on first need: outside the timed evaluations
  double saving = 0.0;
  for (auto _ : state) saving = w.evaluate(actions).saving.mean;
  state.counters["saving"] = saving;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * years));  // simulated years
}
BENCHMARK(WhatIf)->ArgsProduct({{0, 1, 2}, {1, 2}})->ArgNames({"size", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();

// The planner on the sample twin and two synthetic enterprises (1,000 and 3,000 nodes, seed 7):
// replayed (the default) and exhaustive (every candidate simulated in full first), 20,000-year
// measurements, budget 100,000. Items: candidate measurements.
void Plan(benchmark::State& state) {
  static const std::vector<twin> twins = [] {
    std::vector<twin> out;
    out.push_back(read_twin_json_file(twinrisk_bench::source_dir() / "examples/data/acme.twin.json"));
    for (std::size_t n : {1'000, 3'000}) out.push_back(generate_enterprise({.nodes = n, .seed = 7}));
    return out;
  }();
  const twin& t = twins[static_cast<std::size_t>(state.range(0))];
  const bool exhaustive = state.range(1) != 0;
  const par exec{static_cast<int>(state.range(2))};
  const auto p = get(&edge::probability, t);
  std::size_t evaluations = 0, steps = 0;
  double ale_after = 0.0;
  for (auto _ : state) {
    const what_if_evaluator w(t, p, loss_model_of(t), {.years = 20'000, .seed = 1, .all_gates = all_gates_of(t)}, exec);
    const remediation_plan plan = plan_remediation(w, candidate_actions(t, p), {.budget = 100'000, .replay = !exhaustive});
    evaluations = plan.evaluations, steps = plan.steps.size();
    ale_after = plan.steps.empty() ? plan.ale_before : plan.steps.back().ale_after;
  }
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["ale_after"] = ale_after;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * evaluations));
}
BENCHMARK(Plan)->ArgsProduct({{0, 1, 2}, {0, 1}, {2}})->ArgNames({"twin", "exhaustive", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
