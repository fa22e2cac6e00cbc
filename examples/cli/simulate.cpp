// `twinrisk simulate`: Monte Carlo compromise probabilities of every node and crown jewel, and
// with --time how soon each falls.

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <optional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "progress_bar.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/time_to_compromise.hpp"

namespace twinrisk_cli {
namespace {

struct simulate_cli_options {
  common_options common;
  exploit_cli_options exploit;
  std::uint64_t trials = 10'000, seed = 1;
  std::size_t show = 15;
  bool time = false;
  std::string entry_model;  // "one", "all", or empty: by the twin (entries_are_alternatives)
  std::vector<double> horizons{24.0, 168.0, 720.0};
};

struct simulation_runs {
  twinrisk::simulation_result compromise;
  std::optional<twinrisk::time_result> time;
};

template <class ProbMap>
simulation_runs run(const twinrisk::twin& t, const ProbMap& prob, const simulate_cli_options& o, bool one_entry) {
  simulation_runs runs;
  {
    twinrisk::progress_meter meter;
    const progress_bar bar("simulate", meter);
    runs.compromise = twinrisk::simulate_compromise(
        t, t.entry_points(), t.crown_jewels(), prob,
        {.trials = o.trials, .seed = o.seed, .all_gates = twinrisk::all_gates_of(t), .one_source_per_trial = one_entry,
         .cancel = interrupt(), .progress = &meter});
  }
  if (o.time) {
    twinrisk::progress_meter meter;
    const progress_bar bar("time to compromise", meter);
    runs.time = twinrisk::time_to_compromise(t, t.entry_points(), t.crown_jewels(), prob, twinrisk::edge_hours(t),
                                             {.trials = o.trials, .seed = o.seed, .horizons = o.horizons, .all_gates = twinrisk::all_gates_of(t), .cancel = interrupt(), .progress = &meter});
  }
  return runs;
}

/// Hours as JSON: null for "never" (the node falls in too few trials for that quantile).
ordered_json hours_json(double h) { return std::isfinite(h) ? ordered_json(h) : ordered_json(nullptr); }

std::string hours_text(double h) {
  if (!std::isfinite(h)) return "never";
  std::ostringstream s;
  s << std::fixed << std::setprecision(h < 10 ? 2 : 0) << h << " h";
  return s.str();
}

void run_simulate(const simulate_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const twinrisk::twin& t = loaded.twin;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> p = view_probabilities(loaded, o.exploit);
  const bool one_entry = o.entry_model.empty() ? twinrisk::entries_are_alternatives(t.info().metadata) && !o.time : o.entry_model == "one";
  const simulation_runs runs = run(t, twinrisk::probability_map(t, p), o, one_entry);
  const twinrisk::simulation_result& r = runs.compromise;
  // Crown jewels' quantiles are exact (every trial's time is kept); other nodes' come from bins.
  auto median_p90 = [&](std::size_t v) {
    const auto jewel = std::lower_bound(r.targets.begin(), r.targets.end(), v);
    if (jewel != r.targets.end() && *jewel == v) {
      const auto i = static_cast<std::size_t>(jewel - r.targets.begin());
      return std::pair{runs.time->target_quantile(i, 0.5), runs.time->target_quantile(i, 0.9)};
    }
    return std::pair{runs.time->quantile(v, 0.5), runs.time->quantile(v, 0.9)};
  };
  auto row = [&](std::size_t v) {
    const twinrisk::estimate e = r.interval(v);
    ordered_json j{{"id", t.id(v)}, {"name", t[v].name.empty() ? t.id(v) : t[v].name}, {"p", e.p}, {"lo", e.lo}, {"hi", e.hi}};
    if (runs.time) {
      const auto [median, p90] = median_p90(v);
      ordered_json within = ordered_json::array();
      for (std::size_t h = 0; h < o.horizons.size(); ++h) {
        const twinrisk::estimate w = runs.time->p_within(v, h);
        within.push_back({{"hours", o.horizons[h]}, {"p", w.p}, {"lo", w.lo}, {"hi", w.hi}});
      }
      j["time"] = {{"median_hours", hours_json(median)}, {"p90_hours", hours_json(p90)}, {"within", std::move(within)}};
    }
    return j;
  };
  // Nodes that fell in some trial, most often first (ties: vertex order).
  std::vector<std::size_t> fallen;
  for (std::size_t v = 0; v < t.num_nodes(); ++v)
    if (r.compromised[v] != 0) fallen.push_back(v);
  std::stable_sort(fallen.begin(), fallen.end(), [&](std::size_t a, std::size_t b) { return r.compromised[a] > r.compromised[b]; });
  const auto json = [&] {
    ordered_json out{{"trials", r.trials}, {"seed", r.seed}, {"view", o.exploit.view},
                     {"entry_model", one_entry ? "one" : "all"}};
    ordered_json nodes = ordered_json::array(), jewels = ordered_json::array();
    for (std::size_t v : fallen) nodes.push_back(row(v));
    for (std::size_t v : r.targets) jewels.push_back(row(v));
    out["nodes"] = std::move(nodes);
    out["crown_jewels"] = std::move(jewels);
    out["p_any_crown_jewel"] = r.p_any_target();
    out["expected_compromised"] = r.expected_compromised();
    if (r.cancelled || (runs.time && runs.time->cancelled)) out["cancelled"] = true;
    out["timing"] = timing_json(loaded.load_s, seconds_since(start));
    return out;
  };
  const auto text = [&] {
    const std::vector<std::string> label = twinrisk::node_labels(t);
    std::ostringstream s;
    s << std::fixed << std::setprecision(4);
    const std::size_t entries = t.entry_points().size();
    s << r.trials << " trials, seed " << r.seed << ", " << o.exploit.view << " view, " << loaded.source << "\n";
    if (one_entry) s << "each trial starts from one of the " << entries << " entry points, drawn at random (--entry-model all: all at once)\n";
    else if (entries > 1)
      s << "every trial starts from all " << entries << " entry points at once (--entry-model one: one at random, as one phished employee)\n";
    const twinrisk::estimate any = r.any_target_interval();
    s << "P(any crown jewel) = " << any.p << "  [" << any.lo << ", " << any.hi << "]\n";
    s << "expected compromised nodes = " << std::setprecision(1) << r.expected_compromised() << std::setprecision(4) << "\n";
    s << "\ncrown jewels:\n";
    for (std::size_t v : r.targets) {
      const twinrisk::estimate e = r.interval(v);
      s << "  " << column(label[v]) << e.p << "  [" << e.lo << ", " << e.hi << "]";
      if (runs.time) {
        const auto [median, p90] = median_p90(v);
        s << "  median " << hours_text(median) << ", p90 " << hours_text(p90);
        for (std::size_t h = 0; h < o.horizons.size(); ++h)
          s << ", P(<= " << hours_text(o.horizons[h]) << ") " << runs.time->p_within(v, h).p;
      }
      s << "\n";
    }
    s << "\nmost often compromised (sources excluded):\n";
    std::size_t shown = 0;
    for (std::size_t v : fallen) {
      if (t[v].entry_point) continue;
      if (shown++ == o.show) break;
      const twinrisk::estimate e = r.interval(v);
      s << "  " << column(label[v]) << e.p << "  [" << e.lo << ", " << e.hi << "]\n";
    }
    return s.str();
  };
  print_result(o.common.format, {.text = text, .json = json});
}

}  // namespace

command add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<simulate_cli_options>();
  CLI::App* cmd = app.add_subcommand("simulate", "Monte Carlo probability that each node and crown jewel falls");
  add_common_options(*cmd, o->common);
  add_exploit_options(*cmd, o->exploit, true);
  add_count_option(*cmd, "--trials", o->trials, "Random worlds to simulate", 1, twinrisk::max_simulation_trials);
  add_seed_option(*cmd, o->seed);
  cmd->add_option("--show", o->show, "Text output: how many nodes to list")->capture_default_str();
  cmd->add_flag("--time", o->time, "Also simulate when each node falls (hours; edges' 'hours' or their kind's default)");
  cmd->add_option("--entry-model", o->entry_model,
                  "one: each trial starts from one entry point drawn at random; all: from every entry point at once. Default: one for "
                  "a directory imported with a population rule (--entry enabled-users, all-users, domain-users), else all")
      ->check(CLI::IsMember({"one", "all"}));
  cmd->add_option("--horizons", o->horizons, "With --time: hours for P(compromised within)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  // Time to compromise keeps every trial's times: its limit is a usage error, not a failed run.
  cmd->callback([o] {
    if (o->time && o->entry_model == "one")
      throw CLI::ValidationError("--entry-model", "one is not available with --time yet (time to compromise starts from every entry point)");
    if (o->time && o->trials > twinrisk::max_time_to_compromise_values)
      throw CLI::ValidationError("--trials", "with --time at most " + std::to_string(twinrisk::max_time_to_compromise_values) +
                                                 " (2^28 kept times), got " + std::to_string(o->trials));
  });
  return {cmd, [o] { run_simulate(*o); }};
}

}  // namespace twinrisk_cli
