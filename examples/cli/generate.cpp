// `twinrisk generate`: a seeded synthetic enterprise twin (model/generate.hpp), written as a
// .twin.json file or an exchange-format folder (edges.tsv, sources.txt, targets.txt).

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "cli_common.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"

namespace twinrisk_cli {
namespace {

struct generate_options {
  std::size_t nodes = 10'000;
  std::uint64_t seed = 1;
  std::string format = "json";
  std::string output;
};

void run_generate(const generate_options& o) {
  const auto start = std::chrono::steady_clock::now();
  const twinrisk::twin t = twinrisk::generate_enterprise({.nodes = o.nodes, .seed = o.seed});
  if (o.format == "tsv")
    twinrisk::write_edge_list(t, o.output);
  else
    write_output(o.output, [&t](std::ostream& out) { twinrisk::write_twin_json(t, out); });
  std::cerr << "twinrisk: wrote " << t.num_nodes() << " nodes, " << t.num_edges() << " edges to " << o.output << " in "
            << seconds_since(start) << " s\n";
}

}  // namespace

command add_generate_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("generate", "Write a seeded synthetic enterprise twin");
  auto o = std::make_shared<generate_options>();
  cmd->add_option("--nodes", o->nodes, "Number of nodes (about 10 edges each)")->capture_default_str()->check(CLI::Range(100, 100'000'000));
  cmd->add_option("--seed", o->seed, "Seed: the same seed gives the same twin")->capture_default_str();
  cmd->add_option("--format", o->format, "json: a .twin.json file; tsv: an exchange-format folder")
      ->capture_default_str()
      ->check(CLI::IsMember({"json", "tsv"}));
  cmd->add_option("-o,--output", o->output, "File (json; - for standard output) or folder (tsv) to write")->required();
  return {cmd, [o] { run_generate(*o); }};
}

}  // namespace twinrisk_cli
