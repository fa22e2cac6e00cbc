#pragma once
// Shared pieces of the twinrisk command-line tool: loading a twin (or the bundled sample),
// timing, and the output conventions every subcommand follows.

#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "twinrisk/execution.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/model/twin.hpp"
#include "twinrisk/paths/attack_path.hpp"

namespace twinrisk_cli {

using ordered_json = nlohmann::ordered_json;

/// Options every analysis subcommand takes.
struct common_options {
  std::string twin_path;       ///< empty: the bundled sample twin
  std::string format = "text";  ///< text | json (| md where a command offers it)
};

/// Adds the positional TWIN argument and --format (one of `formats`) to `cmd`.
void add_common_options(CLI::App& cmd, common_options& options, const std::vector<std::string>& formats = {"text", "json"});

/// Cancelled when the user presses Ctrl-C (SIGINT): every long analysis of the CLI takes it,
/// stops cleanly and returns what it has, marked `"cancelled": true`; main then says so on
/// stderr and exits with 130.
twinrisk::cancellation_token* interrupt();

/// A loaded twin with where it came from and how long loading took.
struct loaded_twin {
  twinrisk::twin twin;
  std::string source;  ///< the path, or "sample:acme.twin.json"
  double load_s = 0.0;
};

/// Loads `path` (a .twin.json file or an edge-list folder), or the bundled sample when empty.
/// Throws: twinrisk::input_error as the readers do.
loaded_twin load(const std::string& path);

/// The `timing` object of every JSON output: {"load_s", "compute_s", "threads"}.
ordered_json timing_json(double load_s, double compute_s);

/// Seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// `text` padded to `width` columns, always followed by at least two spaces (long ids stay readable).
inline std::string column(const std::string& text, std::size_t width = 28) {
  return text + std::string(text.size() + 2 > width ? 2 : width - text.size(), ' ');
}

/// CLI11 validators for money and other decimal options: empty when `text` is a number >= 0 (> 0),
/// else the message. (CLI::NonNegativeNumber's and PositiveNumber's messages spell out DBL_MAX
/// in 309 digits.)
std::string non_negative(const std::string& text);
std::string positive(const std::string& text);

/// --seed of the commands that simulate: the same seed gives the same output for any --threads.
void add_seed_option(CLI::App& cmd, std::uint64_t& seed);

/// A count of simulated years or trials (`--years`, `--plan-years`, `--trials`) between `least` and
/// `most`, with its default shown.
void add_count_option(CLI::App& cmd, const std::string& name, std::uint64_t& count, const std::string& help, std::uint64_t least,
                      std::uint64_t most);

/// A command's result in each format it offers. `print_result` renders the one --format names.
struct result_formats {
  std::function<std::string()> text;
  std::function<ordered_json()> json;
  std::function<std::string()> markdown{};  ///< empty: --format md is not offered
};

/// Prints `formats` in `format` (text, json or md) to `out`: JSON indented by two with a final
/// newline, text and Markdown as they are. Throws: std::logic_error for a format the command does
/// not offer (add_common_options' check rules that out).
void print_result(const std::string& format, const result_formats& formats, std::ostream& out = std::cout);

/// Writes an output file named by -o/--output: `-` is standard output; any other path is written
/// by twinrisk::write_file_with (a device or FIFO in place, a regular file replaced whole).
/// Throws: twinrisk::error naming the file.
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);

/// Where a command that writes `output` prints its summary: stderr when the output itself goes to
/// stdout (`-o -`), else stdout.
std::ostream& summary_stream(const std::string& output);

/// Each edge's kind, by edge index.
std::vector<twinrisk::edge_kind> edge_kinds(const twinrisk::twin& t);

/// {"probability", "hops", "nodes": [ids], "names": [node names, the id where none], "edge_kinds": [...]}.
ordered_json path_json(const twinrisk::twin& t, const std::vector<twinrisk::edge_kind>& kind_of,
                       const twinrisk::attack_path& p);

/// {"tier_zero", "principals", "exposed", "share", "by_domain": [{"domain", "principals", "exposed", "share"}]}.
ordered_json tier_zero_exposure_json(const twinrisk::tier_zero_exposure& e);

/// "12 of 40 principals outside tier zero (30.0%) have an attack path into it (CORP.LOCAL 10/30, ...)".
std::string tier_zero_exposure_text(const twinrisk::tier_zero_exposure& e);

/// A subcommand and the work it does once the command line is parsed.
struct command {
  CLI::App* app;
  std::function<void()> run;  ///< prints its result to stdout; throws twinrisk::error on failure
  /// The exit status once `run` returned, for commands that report failures and carry on (`cvss` scores
  /// every vector, then exits 1 if one was bad); empty means 0.
  std::shared_ptr<const int> status{};
};

/// Options for every subcommand.
struct global_options {
  int threads = 0;          ///< --threads: 0 = all cores
  double time_limit = 0.0;  ///< --time-limit in seconds: 0 = none
};

/// After a parse error for unexpected arguments: when the first is a word where a subcommand was
/// due (`twinrisk simulat`), prints "unknown command 'simulat'; did you mean 'simulate'?" to stderr
/// and returns true; otherwise returns false (CLI11's own message then says what was unexpected).
bool explain_unknown_command(CLI::App& app);

/// Sets up `app` — --version, the global options (into `globals`), every subcommand — and
/// returns the subcommands. Parsing runs no command: main runs the parsed one (tests/fuzz/cli_args
/// parses only).
std::vector<command> make_app(CLI::App& app, global_options& globals);

// Subcommands: each adds itself to the app and says what to run.
command add_info_command(CLI::App& app);
command add_paths_command(CLI::App& app);
command add_generate_command(CLI::App& app);
command add_cvss_command(CLI::App& app);
command add_exposure_command(CLI::App& app);
command add_simulate_command(CLI::App& app);
command add_loss_command(CLI::App& app);
command add_fair_command(CLI::App& app);
command add_plan_command(CLI::App& app);
command add_import_command(CLI::App& app);
command add_export_command(CLI::App& app);
command add_report_command(CLI::App& app);

}  // namespace twinrisk_cli
