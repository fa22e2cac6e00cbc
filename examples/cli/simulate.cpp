// `twinrisk simulate`: Monte Carlo compromise probabilities of every node and crown jewel.

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "twinrisk/sim/compromise.hpp"

namespace twinrisk_cli {
namespace {

struct simulate_cli_options {
  common_options common;
  exploit_cli_options exploit;
  std::uint64_t trials = 10'000, seed = 1;
  std::size_t show = 15;
};

template <class ProbMap>
twinrisk::simulation_result run(const twinrisk::twin& t, const ProbMap& prob, const simulate_cli_options& o) {
  return twinrisk::simulate_compromise(t, t.entry_points(), t.crown_jewels(), prob,
                                       {.trials = o.trials, .seed = o.seed, .all_gates = twinrisk::all_gates_of(t)});
}

void run_simulate(const simulate_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const twinrisk::twin& t = loaded.twin;
  const auto start = std::chrono::steady_clock::now();
  const twinrisk::simulation_result r =
      o.exploit.view == "validated" ? run(t, assess(loaded, o.exploit).assessment.map(t), o)
                                    : run(t, get(&twinrisk::edge::probability, t), o);
  auto row = [&](std::size_t v) {
    const twinrisk::estimate e = r.interval(v);
    return ordered_json{{"id", t.id(v)}, {"p", e.p}, {"lo", e.lo}, {"hi", e.hi}};
  };
  // Nodes that fell in some trial, most often first (ties: vertex order).
  std::vector<std::size_t> fallen;
  for (std::size_t v = 0; v < t.num_nodes(); ++v)
    if (r.compromised[v] != 0) fallen.push_back(v);
  std::stable_sort(fallen.begin(), fallen.end(), [&](std::size_t a, std::size_t b) { return r.compromised[a] > r.compromised[b]; });
  if (o.common.format == "json") {
    ordered_json out{{"trials", r.trials}, {"seed", r.seed}, {"view", o.exploit.view}};
    ordered_json nodes = ordered_json::array(), jewels = ordered_json::array();
    for (std::size_t v : fallen) nodes.push_back(row(v));
    for (std::size_t v : r.targets) jewels.push_back(row(v));
    out["nodes"] = std::move(nodes);
    out["crown_jewels"] = std::move(jewels);
    out["p_any_crown_jewel"] = r.p_any_target();
    out["expected_compromised"] = r.expected_compromised();
    out["timing"] = timing_json(loaded.load_s, seconds_since(start));
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::ostringstream s;
  s << std::fixed << std::setprecision(4);
  s << r.trials << " trials, seed " << r.seed << ", " << o.exploit.view << " view, " << loaded.source << "\n";
  const twinrisk::estimate any = r.any_target_interval();
  s << "P(any crown jewel) = " << any.p << "  [" << any.lo << ", " << any.hi << "]\n";
  s << "expected compromised nodes = " << std::setprecision(1) << r.expected_compromised() << std::setprecision(4) << "\n";
  s << "\ncrown jewels:\n";
  for (std::size_t v : r.targets) {
    const twinrisk::estimate e = r.interval(v);
    s << "  " << std::left << std::setw(28) << t.id(v) << e.p << "  [" << e.lo << ", " << e.hi << "]\n";
  }
  s << "\nmost often compromised (sources excluded):\n";
  std::size_t shown = 0;
  for (std::size_t v : fallen) {
    if (t[v].entry_point) continue;
    if (shown++ == o.show) break;
    const twinrisk::estimate e = r.interval(v);
    s << "  " << std::left << std::setw(28) << t.id(v) << e.p << "  [" << e.lo << ", " << e.hi << "]\n";
  }
  std::cout << s.str();
}

}  // namespace

command add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<simulate_cli_options>();
  CLI::App* cmd = app.add_subcommand("simulate", "Monte Carlo probability that each node and crown jewel falls");
  add_common_options(*cmd, o->common);
  add_exploit_options(*cmd, o->exploit, true);
  cmd->add_option("--trials", o->trials, "Random worlds to simulate")->capture_default_str()->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 38));
  cmd->add_option("--seed", o->seed, "Same seed, same output, for any --threads")->capture_default_str();
  cmd->add_option("--show", o->show, "Text output: how many nodes to list")->capture_default_str();
  return {cmd, [o] { run_simulate(*o); }};
}

}  // namespace twinrisk_cli
