// Randomness: Philox-4x32-10 64-bit numbers, uniforms and 64-lane Bernoulli masks per second
// (one stream at a time, and many streams at once with the SIMD kernel).
// Compromise simulation on generate_enterprise twins (small 10k nodes / 100k edges, medium
// 100k / 1M, large 1M / 10M) against a plain reference: one breadth-first search per trial with
// a std::mt19937_64 coin flip per edge it examines. Time to compromise (a Dijkstra per trial)
// at the same sizes.
//   build/bench/bench/twinrisk_sim_bench

#include <array>
#include <filesystem>
#include <map>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "enterprise_twin.hpp"
#include "source_dir.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/risk/fair.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/bernoulli_masks.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/rng.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

namespace {

using namespace twinrisk;

void PhiloxU64(benchmark::State& state) {
  random_stream r({.seed = 1});
  for (auto _ : state)
    for (int i = 0; i < 1024; ++i) benchmark::DoNotOptimize(r.next_u64());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1024));  // 64-bit numbers
}
BENCHMARK(PhiloxU64);

void Uniform(benchmark::State& state) {
  random_stream r({.seed = 1});
  for (auto _ : state)
    for (int i = 0; i < 1024; ++i) benchmark::DoNotOptimize(r.uniform());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1024));
}
BENCHMARK(Uniform);

void BernoulliMask(benchmark::State& state) {
  random_stream r({.seed = 1});
  const double p = static_cast<double>(state.range(0)) / 1000.0;
  for (auto _ : state)
    for (int i = 0; i < 1024; ++i) benchmark::DoNotOptimize(r.bernoulli_mask(p));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 1024 * 64));  // draws
}
BENCHMARK(BernoulliMask)->Arg(100)->Arg(333)->Arg(500)->Arg(900)->ArgName("p_permille");

// Masks of 4096 streams with probabilities spread over (0, 1), as the simulation draws them.
void BernoulliMasksBatch(benchmark::State& state) {
  constexpr std::size_t count = 4096;
  std::vector<std::uint64_t> threshold(count), out(count);
  std::vector<std::uint32_t> lane(count);
  for (std::size_t i = 0; i < count; ++i)
    threshold[i] = bernoulli_threshold(static_cast<double>(i % 997 + 1) / 998.0), lane[i] = static_cast<std::uint32_t>(i * 31);
  std::uint32_t block = 0;
  for (auto _ : state) {
    bernoulli_masks(1, block++, lane.data(), threshold.data(), count, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count * 64));  // draws
}
BENCHMARK(BernoulliMasksBatch);

using twinrisk_bench::enterprise;

void report(benchmark::State& state, const twin& t, std::uint64_t trials) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));  // trials
  state.counters["edge_worlds/s"] = benchmark::Counter(static_cast<double>(state.iterations() * trials) *
                                                           static_cast<double>(t.num_edges()),
                                                       benchmark::Counter::kIsRate);
}

void SimulateCompromise(benchmark::State& state) {
  const twin& t = enterprise(state.range(0));
  const std::uint64_t trials = state.range(0) == 2 ? 1280 : 10'000;
  const par exec{static_cast<int>(state.range(1))};
  const auto sources = t.entry_points(), targets = t.crown_jewels();
  for (auto _ : state)
    benchmark::DoNotOptimize(
        simulate_compromise(t, sources, targets, get(&edge::probability, t), {.trials = trials, .seed = 1}, exec).any_target);
  report(state, t, trials);
}
BENCHMARK(SimulateCompromise)
    ->ArgsProduct({{0, 1, 2}, {1, 2}})
    ->ArgNames({"size", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void TimeToCompromise(benchmark::State& state) {
  const twin& t = enterprise(state.range(0));
  const std::uint64_t trials = state.range(0) == 0 ? 640 : 64;
  const par exec{static_cast<int>(state.range(1))};
  const auto sources = t.entry_points(), targets = t.crown_jewels();
  const auto hours = edge_hours(t);
  for (auto _ : state)
    benchmark::DoNotOptimize(
        time_to_compromise(t, sources, targets, get(&edge::probability, t), hours, {.trials = trials, .seed = 1}, exec).trials);
  report(state, t, trials);
}
// Small and medium only: on the large twin a trial takes ~1.7 s per thread (a Dijkstra over
// 10M edges; measured once with 16 trials: 0.60 trials/s on 1 thread, 1.14 on 2).
BENCHMARK(TimeToCompromise)
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->ArgNames({"size", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Loss: simulated years per second, each twin with its own threats and magnitudes (the
// synthetic twins' from generate_enterprise), detection races included; `detection` 0 drops the
// threats' detection times to show what the races cost.
void SimulateLoss(benchmark::State& state) {
  static const twin sample = read_twin_json_file(twinrisk_bench::source_dir() / "examples/data/acme.twin.json");
  const twin& t = state.range(0) < 0 ? sample : enterprise(state.range(0));
  loss_model model = loss_model_of(t);
  if (state.range(2) == 0)
    for (threat& th : model.threats) th.detect_hours.reset();
  constexpr std::array<std::uint64_t, 4> years_of{1'000'000, 16'384, 2048, 256};  // sample, small, medium, large
  const std::uint64_t years = years_of[static_cast<std::size_t>(state.range(0) + 1)];
  const par exec{static_cast<int>(state.range(1))};
  for (auto _ : state)
    benchmark::DoNotOptimize(simulate_loss(t, get(&edge::probability, t), model, {.years = years, .seed = 1}, exec).ale());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * years));  // years
}
BENCHMARK(SimulateLoss)
    ->ArgsProduct({{-1, 0, 1, 2}, {1, 2}, {0}})
    // Races: a guided search per event that reaches an asset (sim/detail/race_witness.hpp), the
    // exact earliest-time search where it gives up; the large twin's would take minutes.
    ->ArgsProduct({{-1, 0, 1}, {1, 2}, {1}})
    ->ArgNames({"size", "threads", "detection"})  // size -1: the sample twin
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The no-graph mode: Poisson(0.3) events a year, lognormal magnitudes from a 90% interval —
// the peer comparison of bench/fair_numpy.py.
void SimulateFair(benchmark::State& state) {
  const fair_scenario s{.frequency = distribution_spec::constant(0.3), .magnitude = {.primary = distribution_spec::lognormal(5e4, 2e6)}};
  const std::uint64_t years = 4'000'000;
  const par exec{static_cast<int>(state.range(0))};
  for (auto _ : state) benchmark::DoNotOptimize(simulate_fair(s, {.years = years}, exec).by_year.data());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * years));  // years (trials)
}
BENCHMARK(SimulateFair)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

// The plain reference: what a straightforward implementation does.
void PlainReference(benchmark::State& state) {
  const twin& t = enterprise(state.range(0));
  const std::uint64_t trials = state.range(0) == 0 ? 200 : 20;
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<char> held(t.num_nodes());
  std::vector<std::size_t> queue;
  std::uint64_t reached = 0;
  for (auto _ : state) {
    for (std::uint64_t trial = 0; trial < trials; ++trial) {
      std::fill(held.begin(), held.end(), 0);
      queue.clear();
      for (auto s : t.entry_points()) held[s] = 1, queue.push_back(s);
      for (std::size_t head = 0; head < queue.size(); ++head)
        for (auto uv : t.out_edges(queue[head])) {
          const std::size_t v = t.target(uv);
          if (!held[v] && coin(rng) < t[uv].probability) held[v] = 1, queue.push_back(v);
        }
      reached += queue.size();
    }
  }
  benchmark::DoNotOptimize(reached);
  report(state, t, trials);
}
BENCHMARK(PlainReference)->Arg(0)->Arg(1)->Arg(2)->ArgName("size")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
