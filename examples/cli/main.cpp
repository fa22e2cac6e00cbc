// twinrisk: the command-line face of the library.
// Exit codes: 0 success, 1 input or model error (one message on stderr; `cvss`: one per bad vector),
// 2 usage error, 124 --time-limit reached, 130 interrupted (Ctrl-C); after the last two the
// output is what was done before the stop, marked "cancelled".

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <new>
#include <vector>

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include "cli_common.hpp"
#include "twinrisk/error.hpp"

namespace {

/// The first Ctrl-C asks the running analysis to stop; a second one ends the process at once.
extern "C" void on_interrupt(int) {
  twinrisk_cli::interrupt()->cancel();
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"twinrisk: attack paths, exploitability and money at risk on a security digital twin"};
  twinrisk_cli::global_options globals;
  const std::vector<twinrisk_cli::command> commands = twinrisk_cli::make_app(app, globals);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (!twinrisk_cli::explain_unknown_command(app)) app.exit(e);
    return 2;
  }

  // Subcommand callbacks run in parse() above; the work runs here, after --threads is known.
  std::unique_ptr<tbb::global_control> limit;
  if (globals.threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(globals.threads));
  twinrisk::cancellation_token* stop = twinrisk_cli::interrupt();  // made before the handler may use it
  if (globals.time_limit > 0.0)
    stop->cancel_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(globals.time_limit)));
  std::signal(SIGINT, on_interrupt);
  int status = 0;
  try {
    for (const twinrisk_cli::command& c : commands) {
      if (!c.app->parsed()) continue;
      c.run();
      if (c.status) status = *c.status;
    }
  } catch (const twinrisk::error& e) {
    std::cerr << "twinrisk: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "twinrisk: out of memory\n";
    return 1;
  }
  if (stop->cancelled()) {
    if (stop->deadline_passed()) {
      std::cerr << "twinrisk: time limit of " << globals.time_limit << " s reached; the output covers the work done before the stop\n";
      return 124;
    }
    std::cerr << "twinrisk: interrupted; the output covers the work done before the stop\n";
    return 130;
  }
  return status;
}
