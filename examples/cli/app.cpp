#include "cli_common.hpp"
#include "twinrisk/version.hpp"

namespace twinrisk_cli {

std::vector<command> make_app(CLI::App& app, int& threads) {
  app.set_version_flag("--version", std::string("twinrisk ") + twinrisk::version_string);
  app.require_subcommand(1);
  app.fallthrough();  // --threads may follow the subcommand
  app.add_option("--threads", threads, "Limit parallelism to T threads (default: all cores)")->check(CLI::Range(1, 4096));
  return {add_info_command(app),     add_paths_command(app),    add_generate_command(app), add_cvss_command(app),
          add_exposure_command(app), add_simulate_command(app), add_loss_command(app),     add_fair_command(app),
          add_plan_command(app),     add_import_command(app),   add_export_command(app),   add_report_command(app)};
}

}  // namespace twinrisk_cli
