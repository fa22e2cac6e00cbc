// Reading and writing twins: the edge-list exchange format and the native JSON format; importing
// SharpHound collections, OpenGraph files, AWS IAM, GCP IAM, Kubernetes clusters and scan reports
// (MB/s; records or nodes + edges per second). Reports edges per second and bytes per second at
// three sizes:
//   edge list and JSON: small 10k nodes / 50k edges, medium 100k / 1M, large 1M / 10M;
//   AWS: 1,000 / 3,000 / 10,000 principals (2,000 / 6,000 / 20,000 policies);
//   GCP: 10,000 / 30,000 / 100,000 assets, as JSON Lines (/0) and as a JSON array (/1);
//   Kubernetes: 5,000 / 15,000 / 50,000 objects; scans: 1,000 / 3,000 / 10,000 hosts, each
//   format (ScanImport/SIZE/0 Nessus, /1 OpenVAS, /2 Nmap).
// The inputs are written under the temp folder (twinrisk-io-bench/) and kept, so the CLI's
// imports can be timed on them too (docs/benchmarks.md, "Ingest").
//   build/bench/bench/twinrisk_io_bench --benchmark_filter='Import'

#include <filesystem>
#include <map>
#include <string>

#include <benchmark/benchmark.h>

#include "aws_organisation.hpp"
#include "enterprise_twin.hpp"
#include "gcp_organisation.hpp"
#include "kubernetes_cluster.hpp"
#include "scan_reports.hpp"
#include "source_dir.hpp"
#include "random_twin.hpp"
#include "sharphound_collection.hpp"
#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/io/aws_iam.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/gcp.hpp"
#include "twinrisk/io/kubernetes.hpp"
#include "twinrisk/io/opengraph.hpp"
#include "twinrisk/io/scan.hpp"
#include "twinrisk/io/twin_json.hpp"

namespace {

namespace fs = std::filesystem;

struct size_case {
  std::size_t nodes, edges;
};
const size_case sizes[] = {{10'000, 50'000}, {100'000, 1'000'000}, {1'000'000, 10'000'000}};

fs::path scratch() { return fs::temp_directory_path() / "twinrisk-io-bench"; }

// The edge-list folder for size `i`, written once per process.
const fs::path& edge_list_folder(std::size_t i) {
  static std::map<std::size_t, fs::path> made;
  if (auto it = made.find(i); it != made.end()) return it->second;
  const fs::path dir = scratch() / ("edges-" + std::to_string(sizes[i].edges));
  twinrisk::write_edge_list(twinrisk_bench::random_twin(sizes[i].nodes, sizes[i].edges), dir);
  return made[i] = dir;
}

void EdgeListRead(benchmark::State& state) {
  const auto i = static_cast<std::size_t>(state.range(0));
  const fs::path& dir = edge_list_folder(i);
  const auto bytes = fs::file_size(dir / "edges.tsv");
  {
    const twinrisk::twin check = twinrisk::read_edge_list(dir);  // the answer, once, before timing
    if (check.num_edges() != sizes[i].edges || check.num_nodes() != sizes[i].nodes) state.SkipWithError("wrong size");
  }
  for (auto _ : state) {
    twinrisk::twin t = twinrisk::read_edge_list(dir);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sizes[i].edges));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["edges"] = static_cast<double>(sizes[i].edges);
}
BENCHMARK(EdgeListRead)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

void EdgeListWrite(benchmark::State& state) {
  const auto i = static_cast<std::size_t>(state.range(0));
  const twinrisk::twin t = twinrisk::read_edge_list(edge_list_folder(i));
  const fs::path out = scratch() / "write";
  for (auto _ : state) twinrisk::write_edge_list(t, out);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sizes[i].edges));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * fs::file_size(out / "edges.tsv")));
}
BENCHMARK(EdgeListWrite)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

// JSON at the two smaller sizes (a 10M-edge JSON twin is ~1 GB of text; use the edge list).
const std::string& json_text(std::size_t i) {
  static std::map<std::size_t, std::string> made;
  if (auto it = made.find(i); it != made.end()) return it->second;
  return made[i] = twinrisk::write_twin_json(twinrisk_bench::random_twin(sizes[i].nodes, sizes[i].edges));
}

void TwinJsonRead(benchmark::State& state) {
  const auto i = static_cast<std::size_t>(state.range(0));
  const std::string& text = json_text(i);
  for (auto _ : state) {
    twinrisk::twin t = twinrisk::parse_twin_json(text);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sizes[i].edges));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(TwinJsonRead)->DenseRange(0, 1)->Unit(benchmark::kMillisecond)->UseRealTime();

void TwinJsonWrite(benchmark::State& state) {
  const auto i = static_cast<std::size_t>(state.range(0));
  const twinrisk::twin t = twinrisk::parse_twin_json(json_text(i));
  for (auto _ : state) {
    std::string text = twinrisk::write_twin_json(t);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sizes[i].edges));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json_text(i).size()));
}
BENCHMARK(TwinJsonWrite)->DenseRange(0, 1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The bundled sample twin (688 nodes, 2889 edges), as the CLI loads it.
void SampleTwinRead(benchmark::State& state) {
  const std::string text = twinrisk::detail::read_file(twinrisk_bench::source_dir() / "examples/data/acme.twin.json");
  for (auto _ : state) {
    twinrisk::twin t = twinrisk::parse_twin_json(text);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 2889));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(SampleTwinRead)->Unit(benchmark::kMillisecond);

// Ingest: SharpHound collections made from the enterprise twins (10k, 100k, 1M nodes), kept under
// the temp folder so `twinrisk import bloodhound` can be timed on them too (docs/benchmarks.md, "Ingest").
const std::pair<fs::path, std::uintmax_t>& sharphound_folder(std::int64_t size) {
  static std::map<std::int64_t, std::pair<fs::path, std::uintmax_t>> made;
  if (auto it = made.find(size); it != made.end()) return it->second;
  const fs::path dir = scratch() / ("sharphound-" + std::to_string(twinrisk_bench::enterprise(size).num_nodes()));
  return made[size] = {dir, twinrisk_bench::write_sharphound_collection(twinrisk_bench::enterprise(size), dir)};
}

void BloodHoundImport(benchmark::State& state) {
  const auto& [dir, bytes] = sharphound_folder(state.range(0));
  const twinrisk::import_result check = twinrisk::import_bloodhound({dir});  // the answer, once, before timing
  if (check.summary.unknown_relationships.size() != 0 || check.summary.records == 0) state.SkipWithError("bad collection");
  for (auto _ : state) {
    twinrisk::import_result r = twinrisk::import_bloodhound({dir});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * check.summary.records));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["edges"] = static_cast<double>(check.summary.edges);
}
BENCHMARK(BloodHoundImport)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// OpenGraph of the enterprise twins: export, then streamed import.
void OpenGraphImport(benchmark::State& state) {
  const twinrisk::twin& t = twinrisk_bench::enterprise(state.range(0));
  const fs::path file = scratch() / ("opengraph-" + std::to_string(t.num_nodes()) + ".json");
  twinrisk::write_opengraph_file(t, file);
  const auto bytes = fs::file_size(file);
  for (auto _ : state) {
    twinrisk::import_result r = twinrisk::import_opengraph(file);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * (t.num_nodes() + t.num_edges())));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(OpenGraphImport)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// Times `import()` once after checking its answer (`ok`); bytes per second of `bytes` read.
template <class Import, class Ok>
void time_import(benchmark::State& state, std::uintmax_t bytes, Import import, Ok ok, const char* bad) {
  const twinrisk::import_result check = import();  // the answer, once, before timing
  if (!ok(check)) state.SkipWithError(bad);
  for (auto _ : state) {
    twinrisk::import_result r = import();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * check.summary.records));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["edges"] = static_cast<double>(check.summary.edges);
}

// AWS IAM: an organisation's authorization details, one file an account (bench/support/aws_organisation.hpp):
// 1,000 principals and 2,000 policies in 5 accounts, 3,000 / 6,000 in 10, 10,000 / 20,000 in 20.
struct aws_case {
  std::size_t principals, policies, accounts;
};
const aws_case aws_sizes[] = {{1'000, 2'000, 5}, {3'000, 6'000, 10}, {10'000, 20'000, 20}};

void AwsImport(benchmark::State& state) {
  const aws_case& c = aws_sizes[state.range(0)];
  const fs::path dir = scratch() / ("aws-" + std::to_string(c.principals));
  const std::uintmax_t bytes = twinrisk_bench::write_aws_organisation(c.principals, c.policies, c.accounts, dir);
  time_import(
      state, bytes,
      [&] {
        twinrisk::aws_iam_importer importer;
        twinrisk::add_inputs(importer, {dir});
        return std::move(importer).finish();
      },
      [](const twinrisk::import_result& r) { return r.summary.records != 0 && r.summary.derived_edges != 0; }, "bad organisation");
}
BENCHMARK(AwsImport)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);


// GCP IAM: an organisation's Cloud Asset Inventory export (bench/support/gcp_organisation.hpp):
// 10,000 / 30,000 / 100,000 assets in projects (with the organisation and folders besides; about
// twice as many bindings), JSON Lines or one JSON array.
const std::size_t gcp_sizes[] = {10'000, 30'000, 100'000};

void GcpImport(benchmark::State& state) {
  const std::size_t assets = gcp_sizes[state.range(0)];
  const bool array = state.range(1) != 0;
  const fs::path dir = scratch() / ("gcp-" + std::to_string(assets) + (array ? "-array" : ""));
  const std::uintmax_t bytes = twinrisk_bench::write_gcp_organisation(assets, array, dir);
  time_import(
      state, bytes,
      [&] {
        twinrisk::gcp_importer importer;
        twinrisk::add_inputs(importer, {dir}, {.extensions = {".json", ".jsonl"}});
        return std::move(importer).finish();
      },
      [&](const twinrisk::import_result& r) { return r.summary.records > assets && r.summary.tier_zero > 0 && r.summary.unknown_types.empty(); },
      "bad organisation");
}
BENCHMARK(GcpImport)->ArgsProduct({{0, 1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// Kubernetes: a cluster as one kubectl List (bench/support/kubernetes_cluster.hpp): 5,000 /
// 15,000 / 50,000 objects, half of them pods.
const std::size_t kubernetes_sizes[] = {5'000, 15'000, 50'000};

void KubernetesImport(benchmark::State& state) {
  const std::size_t objects = kubernetes_sizes[state.range(0)];
  const fs::path dir = scratch() / ("kubernetes-" + std::to_string(objects));
  const std::uintmax_t bytes = twinrisk_bench::write_kubernetes_cluster(objects, dir);
  time_import(
      state, bytes, [&] { return twinrisk::import_kubernetes({dir}); },
      [&](const twinrisk::import_result& r) {
        return r.summary.records > objects * 9 / 10 && r.summary.unknown_types.empty() && r.summary.derived_edges > 0 && r.summary.tier_zero > 3;
      },
      "bad cluster");
}
BENCHMARK(KubernetesImport)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// Scans: one network of 1,000 / 3,000 / 10,000 hosts as Nessus (/0), OpenVAS/GVM (/1) and Nmap
// (/2) report it (bench/support/scan_reports.hpp), into an empty twin.
const std::size_t scan_sizes[] = {1'000, 3'000, 10'000};

void ScanImport(benchmark::State& state) {
  const std::size_t hosts = scan_sizes[state.range(0)];
  const auto format = static_cast<twinrisk_bench::scan_format>(state.range(1));
  const char* names[] = {"nessus", "openvas", "nmap"};
  const fs::path dir = scratch() / ("scan-" + std::to_string(hosts) + "-" + names[state.range(1)]);
  const std::uintmax_t bytes = twinrisk_bench::write_scan_report(format, hosts, dir);
  const fs::path file = twinrisk::folder_files(dir, {".nessus", ".xml"}).front();
  const twinrisk::twin base = twinrisk::twin_builder().build();
  time_import(
      state, bytes,
      [&] {
        twinrisk::scan_importer importer(base);
        twinrisk::add_file(importer, file);
        return std::move(importer).finish();
      },
      [&](const twinrisk::import_result& r) {
        return r.summary.records_by_type.at("hosts") == hosts && r.summary.nodes == hosts + 1 && r.summary.edges > hosts;
      },
      "bad scan");
  state.SetLabel(names[state.range(1)]);
}
BENCHMARK(ScanImport)->ArgsProduct({{0, 1, 2}, {0, 1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
