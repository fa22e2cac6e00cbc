// Attack paths on synthetic enterprise twins (model/generate.hpp): small 10k nodes / ~100k
// edges, medium 100k / ~1M, large 1M / ~10M. Arguments: size index, k or H, threads.
//   build/bench/bench/twinrisk_paths_bench --benchmark_filter='size:1/'
//
// PathIndex: preparing a twin for queries (flat arrays, shortest-path tree and hop distances
// to the crown jewels). KMostProbablePaths / CountPaths: queries on a prepared index, as an
// analyst or a remediation planner asks them. OneShot: index and query together, as the CLI
// answers a single question.

#include <map>

#include <benchmark/benchmark.h>

#include "enterprise_twin.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"
#include "twinrisk/paths/path_index.hpp"

namespace {

using namespace twinrisk;

using twinrisk_bench::enterprise;

const path_index& prepared(std::size_t size) {
  static std::map<std::size_t, path_index> made;
  if (auto it = made.find(size); it != made.end()) return it->second;
  const twin& t = enterprise(size);
  const path_index& index = made.try_emplace(size, t, get(&edge::probability, t), t.crown_jewels()).first->second;
  index.precompute();
  return index;
}

void PathIndex(benchmark::State& state) {
  const twin& t = enterprise(static_cast<std::size_t>(state.range(0)));
  const par exec{static_cast<int>(state.range(1))};
  for (auto _ : state) {
    path_index index(t, get(&edge::probability, t), t.crown_jewels(), exec);
    index.precompute(exec);
    benchmark::DoNotOptimize(index);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.num_edges()));  // edges
}
BENCHMARK(PathIndex)->ArgsProduct({{0, 1, 2}, {1, 2}})->ArgNames({"size", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();

void report_paths(benchmark::State& state, std::size_t k, std::size_t relaxations) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k));  // paths
  state.counters["relaxations/s"] = benchmark::Counter(static_cast<double>(relaxations), benchmark::Counter::kIsRate);
}

void KMostProbablePaths(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const path_index& index = prepared(size);
  const auto sources = enterprise(size).entry_points();
  const auto k = static_cast<std::size_t>(state.range(1));
  const par exec{static_cast<int>(state.range(2))};
  if (k_most_probable_paths(index, sources, {.k = k}, exec).paths.size() != k) state.SkipWithError("too few paths");
  std::size_t relaxations = 0;
  for (auto _ : state) {
    auto r = k_most_probable_paths(index, sources, {.k = k}, exec);
    relaxations += r.edge_relaxations;
    benchmark::DoNotOptimize(r);
  }
  report_paths(state, k, relaxations);
}
BENCHMARK(KMostProbablePaths)
    ->ArgsProduct({{0, 1, 2}, {10, 100}, {1, 2}})
    ->ArgNames({"size", "k", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void KMostProbablePathsOneShot(benchmark::State& state) {
  const twin& t = enterprise(static_cast<std::size_t>(state.range(0)));
  const auto k = static_cast<std::size_t>(state.range(1));
  const par exec{static_cast<int>(state.range(2))};
  const auto sources = t.entry_points(), targets = t.crown_jewels();
  std::size_t relaxations = 0;
  for (auto _ : state) {
    auto r = k_most_probable_paths(t, sources, targets, get(&edge::probability, t), {.k = k}, exec);
    relaxations += r.edge_relaxations;
    benchmark::DoNotOptimize(r);
  }
  report_paths(state, k, relaxations);
}
BENCHMARK(KMostProbablePathsOneShot)
    ->ArgsProduct({{0, 1, 2}, {10, 100}, {1, 2}})
    ->ArgNames({"size", "k", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void CountPaths(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const path_index& index = prepared(size);
  const auto sources = enterprise(size).entry_points();
  const auto hops = static_cast<std::size_t>(state.range(1));
  const par exec{static_cast<int>(state.range(2))};
  std::uint64_t paths = 0, extensions = 0;
  for (auto _ : state) {
    auto r = count_paths(index, sources, {.max_hops = hops}, exec);
    paths += r.paths;
    extensions += r.extensions;
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(paths));
  state.counters["extensions/s"] = benchmark::Counter(static_cast<double>(extensions), benchmark::Counter::kIsRate);
}
BENCHMARK(CountPaths)
    ->ArgsProduct({{0, 1, 2}, {3, 4, 5}, {1, 2}})
    ->ArgNames({"size", "hops", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
