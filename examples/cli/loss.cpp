// `twinrisk loss`: annual loss exposure over the twin (threats × attack graph × magnitudes), and
// `twinrisk fair`: the same figures for one scenario without a graph.

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "loss_common.hpp"
#include "progress_bar.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/files.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/report/exceedance_svg.hpp"
#include "twinrisk/report/loss_section.hpp"
#include "twinrisk/report/report_json.hpp"
#include "twinrisk/report/report_markdown.hpp"
#include "twinrisk/risk/fair.hpp"
#include "twinrisk/risk/money.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/estimate.hpp"

namespace twinrisk_cli {

twinrisk::loss_model checked_loss_model(const loaded_twin& loaded) {
  twinrisk::loss_model model = twinrisk::loss_model_of(loaded.twin);
  // Imports carry no money: say which option supplies it.
  constexpr const char* assume = " (an imported twin has none: import it with --assume-scenario for stated assumptions, docs/importing.md)";
  if (model.threats.empty())
    throw twinrisk::input_error({.file = loaded.source, .pointer = "/threats"}, std::string("the twin states no threats") + assume);
  if (model.assets.empty()) throw twinrisk::input_error({.file = loaded.source, .pointer = "/nodes"}, std::string("no node states a loss") + assume);
  return model;
}

namespace {

std::string money(double x, const std::string& currency) { return twinrisk::format_money(x, currency); }

/// Writes the loss exceedance chart to `path` when one is asked for, atomically: a failed write
/// leaves no partial chart. Throws: twinrisk::error naming the file and the reason.
void write_svg(const std::string& path, const twinrisk::annual_losses& r, const std::string& title) {
  if (path.empty()) return;
  twinrisk::write_text_file(path, twinrisk::loss_exceedance_svg(r, {.title = title}));
}

// `t`, when the losses are a twin's: assets by their names.
std::string losses_text(const twinrisk::annual_losses& r, const std::string& what, const twinrisk::twin* t) {
  std::ostringstream s;
  const std::string& c = r.currency;
  s << r.years() << " simulated years, seed " << r.seed << ", " << what << "\n";
  s << "ALE " << money(r.ale(), c) << " (± " << money(twinrisk::z_95 * r.ale_se(), c) << " at 95%), sd " << money(r.sd(), c) << "\n";
  s << "P(any loss in a year) " << std::setprecision(4) << r.p_any_loss() << "\n";
  s << "p50 " << money(r.quantile(0.5), c) << ", p90 " << money(r.quantile(0.9), c) << ", p95 " << money(r.quantile(0.95), c)
    << ", p99 " << money(r.quantile(0.99), c) << ", p99.9 " << money(r.quantile(0.999), c) << "\n";
  s << "VaR95 " << money(r.var(0.95), c) << ", TVaR95 " << money(r.tvar(0.95), c) << "; VaR99 " << money(r.var(0.99), c)
    << ", TVaR99 " << money(r.tvar(0.99), c) << "\n";
  auto list = [&](const char* title, const std::vector<std::string>& ids, auto ale, auto se) {
    if (ids.size() < 2) return;
    s << "\n" << title << ":\n";
    for (std::size_t i = 0; i < ids.size(); ++i)
      s << "  " << column(ids[i]) << money(ale(i), c) << "  (± " << money(twinrisk::z_95 * se(i), c) << ")\n";
  };
  std::vector<std::string> assets = r.asset_ids;
  if (t != nullptr) {
    const std::vector<std::string> label = twinrisk::node_labels(*t);
    for (std::string& a : assets)
      if (const auto v = t->find(a)) a = label[*v];
  }
  list("ALE by asset", assets, [&](std::size_t i) { return r.asset_ale(i); }, [&](std::size_t i) { return r.asset_se(i); });
  list("ALE by threat", r.threat_ids, [&](std::size_t i) { return r.threat_ale(i); }, [&](std::size_t i) { return r.threat_se(i); });
  return s.str();
}

/// Both commands' result: the CLI's text, the report's loss JSON and Markdown (report/loss_section.hpp).
result_formats loss_formats(const twinrisk::annual_losses& r, const std::string& title, const std::string& what,
                            const ordered_json& extra, const twinrisk::twin* t = nullptr) {
  return {.text = [&r, what, t] { return losses_text(r, what, t); },
          .json = [&r, extra, t] {
            ordered_json j = twinrisk::annual_losses_json(r, {.contributions = true});
            if (t != nullptr && j.contains("by_asset")) {  // ids stay; names beside them
              const std::vector<std::string> label = twinrisk::node_labels(*t);
              for (auto& a : j["by_asset"])
                if (const auto v = t->find(a.at("id").get<std::string>())) a["name"] = label[*v];
            }
            for (const auto& [key, value] : extra.items()) j[key] = value;
            return j;
          },
          .markdown = [&r, title, what] {
            const std::string subtitle = std::to_string(r.years()) + " simulated years, seed " + std::to_string(r.seed) + ", " + what;
            return twinrisk::render_markdown(twinrisk::loss_document(r, title, subtitle));
          }};
}

struct loss_cli_options {
  common_options common;
  exploit_cli_options exploit;
  std::uint64_t years = 100'000, seed = 1;
  double target_rse = 0.0;
  std::string svg;
};

void run_loss(const loss_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const twinrisk::twin& t = loaded.twin;
  const auto start = std::chrono::steady_clock::now();
  const twinrisk::loss_model model = checked_loss_model(loaded);
  twinrisk::progress_meter meter;
  const twinrisk::loss_options options{.years = o.years, .seed = o.seed, .target_rse = o.target_rse,
                                       .all_gates = twinrisk::all_gates_of(t), .cancel = interrupt(), .progress = &meter};
  twinrisk::annual_losses r;
  {
    const progress_bar bar("loss", meter);
    const std::vector<double> p = view_probabilities(loaded, o.exploit);
    r = twinrisk::simulate_loss(t, twinrisk::probability_map(t, p), model, options);
  }
  const std::string name = t.info().name.empty() ? loaded.source : t.info().name;
  write_svg(o.svg, r, "Loss exceedance — " + name + " (" + o.exploit.view + ")");
  const ordered_json extra{{"view", o.exploit.view}, {"timing", timing_json(loaded.load_s, seconds_since(start))}};
  print_result(o.common.format, loss_formats(r, "Loss exposure — " + name, o.exploit.view + " view, " + loaded.source, extra, &loaded.twin));
}

struct fair_cli_options {
  std::string frequency = "1", magnitude, format = "text", svg;
  std::uint64_t years = 1'000'000, seed = 1;
};

/// "lognormal:LO:HI", "pert:MIN:MODE:MAX", "constant:X" (or a bare number).
twinrisk::distribution_spec parse_spec(const std::string& text, const std::string& what) {
  std::vector<double> v;
  std::string family = text;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    family = text.substr(0, colon);
    std::stringstream rest(text.substr(colon + 1));
    for (std::string part; std::getline(rest, part, ':');) {
      std::size_t used = 0;
      double x = 0;
      try {
        x = std::stod(part, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != part.size()) throw twinrisk::input_error({.pointer = what}, "expected a number, got '" + part + "'");
      v.push_back(x);
    }
  } else {
    return parse_spec("constant:" + text, what);
  }
  twinrisk::distribution_spec d;
  if (family == "lognormal" && v.size() == 2) d = twinrisk::distribution_spec::lognormal(v[0], v[1]);
  else if (family == "pert" && v.size() == 3) d = twinrisk::distribution_spec::pert(v[0], v[1], v[2]);
  else if (family == "triangular" && v.size() == 3) d = {twinrisk::distribution_family::triangular, v[0], v[1], v[2]};
  else if (family == "uniform" && v.size() == 2) d = {twinrisk::distribution_family::uniform, v[0], 0.0, v[1]};
  else if (family == "constant" && v.size() == 1) d = twinrisk::distribution_spec::constant(v[0]);
  else
    throw twinrisk::input_error({.pointer = what}, "expected constant:X, lognormal:LO:HI, pert:MIN:MODE:MAX, triangular:MIN:MODE:MAX "
                                                   "or uniform:MIN:MAX, got '" + text + "'");
  return d;
}

void run_fair(const fair_cli_options& o) {
  const auto start = std::chrono::steady_clock::now();
  const twinrisk::fair_scenario s{.frequency = parse_spec(o.frequency, "--frequency"),
                                  .magnitude = {.primary = parse_spec(o.magnitude, "--magnitude")}};
  const twinrisk::annual_losses r = twinrisk::simulate_fair(s, {.years = o.years, .seed = o.seed});
  const std::string what = "frequency " + o.frequency + " per year, magnitude " + o.magnitude;
  write_svg(o.svg, r, "Loss exceedance — " + o.frequency + " events a year, " + o.magnitude);
  print_result(o.format, loss_formats(r, "Loss exposure — one scenario", what, {{"timing", timing_json(0.0, seconds_since(start))}}));
}

}  // namespace

command add_loss_command(CLI::App& app) {
  auto o = std::make_shared<loss_cli_options>();
  CLI::App* cmd = app.add_subcommand("loss", "Annual loss exposure in money: ALE, percentiles, VaR/TVaR, loss exceedance curve");
  add_common_options(*cmd, o->common, {"text", "json", "md"});
  add_exploit_options(*cmd, o->exploit, true);
  add_count_option(*cmd, "--years", o->years, "Simulated years", 1, std::uint64_t{1} << 32);
  add_seed_option(*cmd, o->seed);
  cmd->add_option("--target-rse", o->target_rse, "Stop early once the ALE's relative standard error is below this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--svg", o->svg, "Also write the loss exceedance curve as an SVG chart to this file");
  return {cmd, [o] { run_loss(*o); }};
}

command add_fair_command(CLI::App& app) {
  auto o = std::make_shared<fair_cli_options>();
  CLI::App* cmd = app.add_subcommand("fair", "One scenario without a graph: frequency × magnitude, as riskquant and pyfair");
  cmd->add_option("--frequency", o->frequency, "Events per year: a number or a distribution (pert:MIN:MODE:MAX, ...)")->capture_default_str();
  cmd->add_option("--magnitude", o->magnitude, "Loss per event: lognormal:LO:HI (90% interval), pert:MIN:MODE:MAX, constant:X")->required();
  add_count_option(*cmd, "--years", o->years, "Simulated years", 1, std::uint64_t{1} << 32);
  add_seed_option(*cmd, o->seed);
  cmd->add_option("--format", o->format, "text, json or md")->capture_default_str()->check(CLI::IsMember({"text", "json", "md"}));
  cmd->add_option("--svg", o->svg, "Also write the loss exceedance curve as an SVG chart to this file");
  return {cmd, [o] { run_fair(*o); }};
}

}  // namespace twinrisk_cli
