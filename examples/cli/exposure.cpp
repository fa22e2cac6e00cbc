// `twinrisk exposure`: what an attacker could do (base probabilities) versus what they can do
// (after CVE intel, controls and validation evidence), and the edges that make the difference.

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "twinrisk/exploit/exposure.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/remediate/actions.hpp"

namespace twinrisk_cli {
namespace {

struct exposure_cli_options {
  common_options common;
  exploit_cli_options exploit;
  std::size_t max_hops = 4, k = 5, show = 10;
};

void run_exposure(const exposure_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const twinrisk::twin& t = loaded.twin;
  const auto start = std::chrono::steady_clock::now();
  const assessed_twin a = assess(loaded, o.exploit);
  const twinrisk::exposure_report r =
      twinrisk::compare_exposure(t, a.assessment, {.max_hops = o.max_hops, .k = o.k, .max_differences = o.show, .max_steps = o.show});
  const auto kind_of = edge_kinds(t);
  const twinrisk::assessment_options assessed{
      .intel = {.epss = a.epss.get(), .kev = a.kev.get()}, .overlay = &a.evidence, .as_of = o.exploit.as_of};
  const std::vector<std::string> label = twinrisk::node_labels(t);
  const auto by_index = twinrisk::edges_by_index(t);
  auto edge_name = [&](std::size_t e, bool by_label) {
    const auto u = t.source(by_index[e]), v = t.target(by_index[e]);
    return (by_label ? label[u] : t.id(u)) + " -" + std::string(twinrisk::to_string(kind_of[e])) + "-> " + (by_label ? label[v] : t.id(v));
  };

  const auto json = [&] {
    auto view = [&](const twinrisk::exposure_view& v) {
      ordered_json jewels = ordered_json::array(), paths = ordered_json::array();
      for (std::size_t x : v.reachable_crown_jewels) jewels.push_back(t.id(x));
      for (const auto& p : v.top_paths) paths.push_back(path_json(t, kind_of, p));
      ordered_json j{{"bounded_paths", v.bounded_paths}, {"usable_edges", v.usable_edges}, {"reachable_crown_jewels", jewels}, {"top_paths", paths}};
      if (v.tier_zero.tier_zero != 0) j["tier_zero_exposure"] = tier_zero_exposure_json(v.tier_zero);
      return j;
    };
    ordered_json out;
    out["inputs"] = a.inputs;
    out["max_hops"] = o.max_hops;
    out["theoretical"] = view(r.theoretical);
    out["validated"] = view(r.validated);
    auto steps = [&](const std::vector<twinrisk::validation_step>& list) {
      ordered_json items = ordered_json::array();
      for (const auto& x : list) items.push_back({{"edge", edge_name(x.edge, false)}, {"name", edge_name(x.edge, true)}, {"paths", x.paths}});
      return items;
    };
    out["path_validation"] = {{"validated", r.validation.validated}, {"blocked", r.validation.blocked},
                              {"untested", r.validation.untested}, {"blocked_at", steps(r.validation.blocked_at)},
                              {"worth_testing", steps(r.validation.worth_testing)}};
    out["changed_edges"] = r.changed_edges;
    ordered_json diffs = ordered_json::array();
    for (const auto& d : r.differences) {
      ordered_json why = ordered_json::array();
      for (const auto& s : twinrisk::explain_exploitability(t, d.edge, assessed))
        why.push_back({{"step", s.what}, {"probability", s.probability}});
      diffs.push_back({{"edge", edge_name(d.edge, false)}, {"base", d.base}, {"effective", d.effective}, {"on_top_path", d.on_top_path}, {"why", why}});
    }
    out["differences"] = diffs;
    out["timing"] = timing_json(loaded.load_s, seconds_since(start));
    return out;
  };
  const auto text = [&] {
    std::ostringstream s;
    s << "exposure of " << loaded.source << " (intel and evidence: " << (a.inputs.empty() ? "none" : "");
    for (std::size_t i = 0; i < a.inputs.size(); ++i) s << (i ? ", " : "") << a.inputs[i];
    s << ")\n\n";
    s << std::left << std::setw(34) << "" << std::setw(14) << "theoretical"
      << "validated\n";
    s << std::setw(34) << ("paths within " + std::to_string(o.max_hops) + " hops") << std::setw(14)
      << r.theoretical.bounded_paths << r.validated.bounded_paths << "\n";
    s << std::setw(34) << "usable edges (p > 0)" << std::setw(14) << r.theoretical.usable_edges << r.validated.usable_edges
      << "\n";
    const std::size_t jewels = t.crown_jewels().size();
    s << std::setw(34) << "crown jewels reachable" << std::setw(14)
      << (std::to_string(r.theoretical.reachable_crown_jewels.size()) + "/" + std::to_string(jewels))
      << r.validated.reachable_crown_jewels.size() << "/" << jewels << "\n";
    if (r.theoretical.tier_zero.tier_zero != 0)
      s << std::setw(34) << "principals reaching tier zero" << std::setw(14)
        << (std::to_string(r.theoretical.tier_zero.exposed) + "/" + std::to_string(r.theoretical.tier_zero.principals))
        << r.validated.tier_zero.exposed << "/" << r.validated.tier_zero.principals << "\n";
    s << "\ntheoretical paths against the evidence: " << r.validation.validated << " validated end to end, " << r.validation.blocked
      << " blocked at a step, " << r.validation.untested << " untested\n";
    for (const auto& x : r.validation.blocked_at) s << "  blocked at " << edge_name(x.edge, true) << "  (" << x.paths << " paths)\n";
    if (!r.validation.worth_testing.empty()) {
      s << "untested steps worth testing first (untested paths through each):\n";
      for (const auto& x : r.validation.worth_testing) s << "  " << edge_name(x.edge, true) << "  (" << x.paths << ")\n";
    }
    const auto by_label = [&label](std::size_t v) -> const std::string& { return label[v]; };
    auto top = [&](const char* title, const twinrisk::exposure_view& v) {
      s << "\nmost probable paths, " << title << ":\n";
      for (std::size_t i = 0; i < v.top_paths.size(); ++i) s << "  " << i + 1 << ". " << twinrisk::to_string(v.top_paths[i], t, by_label) << "\n";
    };
    top("theoretical", r.theoretical);
    top("validated", r.validated);
    s << "\nedges that make the difference (" << r.changed_edges << " changed; " << r.differences.size() << " shown):\n";
    for (const auto& d : r.differences) {
      s << "  " << edge_name(d.edge, true) << "  " << d.base << " -> " << d.effective << (d.on_top_path ? "  [on a top path]" : "")
        << "\n     ";
      const auto why = twinrisk::explain_exploitability(t, d.edge, assessed);
      for (std::size_t i = 1; i < why.size(); ++i) s << (i > 1 ? "; " : "") << why[i].what;
      s << "\n";
    }
    return s.str();
  };
  print_result(o.common.format, {.text = text, .json = json});
}

}  // namespace

command add_exposure_command(CLI::App& app) {
  auto o = std::make_shared<exposure_cli_options>();
  CLI::App* cmd = app.add_subcommand("exposure", "Theoretical versus validated attack exposure");
  add_common_options(*cmd, o->common);
  add_exploit_options(*cmd, o->exploit, false);
  cmd->add_option("--max-hops", o->max_hops, "Bound of the path counts")->capture_default_str()->check(CLI::Range(1, 12));
  cmd->add_option("--k", o->k, "Top paths per view")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--show", o->show, "Edges that make the difference, at most")->capture_default_str();
  return {cmd, [o] { run_exposure(*o); }};
}

}  // namespace twinrisk_cli
