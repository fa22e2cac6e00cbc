// The CLI's argument handling: the input is a command line, one argument per line. Parsing
// checks every number (ranges, types) and option; no command runs.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "fuzz_support.hpp"

namespace {
void parse(std::string_view input) {
  std::vector<std::string> args{"twinrisk"};
  std::size_t start = 0;
  while (start <= input.size() && args.size() < 64) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    args.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  CLI::App app;
  twinrisk_cli::global_options globals;
  const auto commands = twinrisk_cli::make_app(app, globals);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::Error&) {
  }
}
}  // namespace

TWINRISK_FUZZ_TARGET(cli_args, parse(input))
