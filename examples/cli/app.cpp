#include <cmath>

#include "cli_common.hpp"
#include "twinrisk/version.hpp"

namespace twinrisk_cli {
namespace {

/// Adds a finite-number check to every floating-point option of `app` and its subcommands:
/// CLI::Range lets NaN through (every comparison with NaN is false), so `--budget nan` would
/// otherwise reach the analysis. A usage error naming the option, e.g.
/// `--budget: expected a finite number, got 'nan'`.
void reject_non_finite(CLI::App& app) {
  const CLI::Validator finite(
      [](std::string& text) {
        double x = 0.0;
        if (!CLI::detail::lexical_cast(text, x) || std::isfinite(x)) return std::string();  // non-numbers: the type check says so
        return "expected a finite number, got '" + text + "'";
      },
      "");
  for (CLI::Option* option : app.get_options())
    if (option->get_type_name().rfind("FLOAT", 0) == 0) option->transform(finite);  // first, before any range check
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) reject_non_finite(*sub);
}

}  // namespace

std::vector<command> make_app(CLI::App& app, global_options& globals) {
  app.set_version_flag("--version", std::string("twinrisk ") + twinrisk::version_string);
  app.require_subcommand(1);
  app.fallthrough();  // --threads may follow the subcommand
  app.add_option("--threads", globals.threads, "Limit parallelism to T threads (default: all cores)")->check(CLI::Range(1, 4096));
  app.add_option("--time-limit", globals.time_limit,
                 "Stop the analysis after S seconds and print what it has, marked cancelled (exit 124)")
      ->check(CLI::Range(0.001, 31'536'000.0));  // a year at most
  std::vector<command> commands = {
      add_info_command(app),     add_paths_command(app),    add_generate_command(app), add_cvss_command(app),
      add_exposure_command(app), add_simulate_command(app), add_loss_command(app),     add_fair_command(app),
      add_plan_command(app),     add_import_command(app),   add_export_command(app),   add_report_command(app)};
  reject_non_finite(app);
  return commands;
}

}  // namespace twinrisk_cli
