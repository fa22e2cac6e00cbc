// `twinrisk report`: the risk report for a persona (engineer, responder, ciso, all) as JSON,
// Markdown, self-contained HTML, or Graphviz DOT (the attack paths, or a node's neighbourhood).

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "progress_bar.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/remediate/actions_file.hpp"
#include "twinrisk/report/build_report.hpp"
#include "twinrisk/report/report_dot.hpp"
#include "twinrisk/report/report_html.hpp"
#include "twinrisk/report/report_json.hpp"
#include "twinrisk/report/report_markdown.hpp"

namespace twinrisk_cli {
namespace {

struct report_cli_options {
  common_options common;
  exploit_cli_options exploit;
  std::string persona = "all", output, actions, around, entry_model;
  twinrisk::report_options report;
  double appetite = 0.0;
  std::size_t radius = 1;
};

void run_report(const report_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const twinrisk::twin& t = loaded.twin;
  const twinrisk::persona who = twinrisk::persona_names.parse(o.persona, {.pointer = "--persona"});
  std::string text;
  if (!o.around.empty()) {  // a neighbourhood needs no analysis
    const auto v = twinrisk::find_node(t, o.around, {.pointer = "--around"});
    const std::vector<double> p = view_probabilities(loaded, o.exploit);
    text = twinrisk::neighbourhood_dot(t, v, twinrisk::probability_map(t, p), {.radius = o.radius});
  } else {
    std::unique_ptr<assessed_twin> assessed;
    if (o.exploit.view == "validated") assessed = std::make_unique<assessed_twin>(assess(loaded, o.exploit));
    twinrisk::report_options options = o.report;
    options.source = loaded.source;
    if (assessed) options.inputs = assessed->inputs;
    if (o.appetite > 0.0) options.risk_appetite = o.appetite;
    if (!o.entry_model.empty()) options.one_entry_per_campaign = o.entry_model == "one";
    if (!o.actions.empty()) {
      twinrisk::action_catalog catalog = twinrisk::read_actions_file(t, o.actions);
      options.actions = std::move(catalog.actions);
      options.kind_costs = std::move(catalog.edge_kind_costs);
    }
    twinrisk::progress_meter meter;
    options.progress = &meter;
    options.cancel = interrupt();
    twinrisk::risk_report r;
    {
      const progress_bar bar("report", meter);
      r = twinrisk::build_report(t, assessed ? &assessed->assessment : nullptr, options);
    }
    const std::string& f = o.common.format;
    text = f == "json" ? twinrisk::report_json(r, who).dump(2) + "\n"
           : f == "md" ? twinrisk::report_markdown(r, who)
           : f == "html" ? twinrisk::report_html(r, who)
                         : twinrisk::attack_paths_dot(r);
  }
  if (o.output.empty()) {
    std::cout << text;
    return;
  }
  write_output(o.output, [&](std::ostream& out) { out << text; });
  if (o.output != "-") std::cout << "Report written to " << std::filesystem::absolute(o.output).lexically_normal().string() << "\n";
}

}  // namespace

command add_report_command(CLI::App& app) {
  auto o = std::make_shared<report_cli_options>();
  o->common.format = "html";
  o->exploit.view = "validated";
  CLI::App* cmd = app.add_subcommand("report", "Risk report for a persona: JSON, Markdown, self-contained HTML, or Graphviz DOT");
  add_common_options(*cmd, o->common, {"html", "md", "json", "dot"});
  add_exploit_options(*cmd, o->exploit, true);
  cmd->add_option("--persona", o->persona, "engineer: fixes in order; responder: attack stories; ciso: score and money; all")
      ->check(CLI::IsMember({"engineer", "responder", "ciso", "all"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Write the report to FILE (atomically; - for standard output) and print its path");
  cmd->add_option("--appetite", o->appetite, "Risk appetite: the annual loss accepted, in the twin's currency (default: the twin's "
                                             "metadata.risk_appetite, else 1,000,000, flagged as assumed)")
      ->check(positive, "POSITIVE");
  cmd->add_option("--budget", o->report.budget, "Total cost of the plan")->capture_default_str()->check(non_negative, "NONNEGATIVE");
  cmd->add_option("--actions", o->actions, "An actions file (JSON): the candidate actions and cost overrides");
  cmd->add_option("--entry-model", o->entry_model,
                  "Crown jewels' campaigns start from one entry point at random (one) or from all (all); default: one for a "
                  "directory imported with a population entry rule, else all")
      ->check(CLI::IsMember({"one", "all"}));
  cmd->add_option("-k,--paths", o->report.k, "Attack paths listed")->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  add_count_option(*cmd, "--trials", o->report.trials, "Simulated campaigns (crown jewels, AI reach)", 64, std::uint64_t{1} << 32);
  add_count_option(*cmd, "--years", o->report.years, "Simulated years of the loss exposure", 1024, std::uint64_t{1} << 30);
  add_count_option(*cmd, "--plan-years", o->report.plan_years, "Simulated years per plan evaluation", 1024, std::uint64_t{1} << 30);
  add_seed_option(*cmd, o->report.seed);
  cmd->add_option("--around", o->around, "With --format dot: the neighbourhood of this node id instead of the attack paths");
  cmd->add_option("--radius", o->radius, "Hops around --around")->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{10}));
  CLI::Option* format = cmd->get_option("--format");
  return {cmd, [o, format] {
            // Without --format, the output file's extension says it (r.md is Markdown).
            if (format->count() == 0 && !o->output.empty() && o->output != "-") {
              const std::string ext = std::filesystem::path(o->output).extension().string();
              if (ext == ".md" || ext == ".markdown") o->common.format = "md";
              else if (ext == ".json") o->common.format = "json";
              else if (ext == ".dot" || ext == ".gv") o->common.format = "dot";
            }
            if (!o->around.empty() && o->common.format != "dot")
              throw twinrisk::input_error({.pointer = "--around"}, "draws a neighbourhood: use it with --format dot");
            run_report(*o);
          }};
}

}  // namespace twinrisk_cli
