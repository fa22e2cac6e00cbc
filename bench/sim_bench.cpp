// Randomness: Philox-4x32-10 64-bit numbers, uniforms and 64-lane Bernoulli masks per second.
//   build/bench/bench/twinrisk_sim_bench

#include <benchmark/benchmark.h>

#include "twinrisk/sim/rng.hpp"

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

}  // namespace

BENCHMARK_MAIN();
