#include "cli_common.hpp"

#include <iostream>
#include <stdexcept>

#include <tbb/global_control.h>

#include "twinrisk/io/files.hpp"
#include "twinrisk_sample/sample_twin.hpp"
#include "twinrisk/io/load.hpp"
#include "twinrisk/io/twin_json.hpp"

namespace twinrisk_cli {

void add_common_options(CLI::App& cmd, common_options& options, const std::vector<std::string>& formats) {
  cmd.add_option("twin", options.twin_path,
                 "A .twin.json file or an edge-list folder (edges.tsv, sources.txt, targets.txt); "
                 "default: the bundled sample twin");
  cmd.add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
}

void print_result(const std::string& format, const result_formats& formats, std::ostream& out) {
  if (format == "json") out << formats.json().dump(2) << "\n";
  else if (format == "md" && formats.markdown) out << formats.markdown();
  else if (format == "text") out << formats.text();
  else throw std::logic_error("--format " + format + " is not offered here");
}

twinrisk::cancellation_token* interrupt() {
  static twinrisk::cancellation_token token;
  return &token;
}

loaded_twin load(const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  loaded_twin out;
  if (path.empty()) {
    out.source = "sample:" + std::string(twinrisk_sample::sample_twin_file);
    out.twin = twinrisk::parse_twin_json(twinrisk_sample::sample_twin, out.source);
  } else {
    out.source = path;
    out.twin = twinrisk::load_twin(path);
  }
  out.load_s = seconds_since(start);
  return out;
}

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path != "-") {
    twinrisk::write_file_with(path, write);
    return;
  }
  write(std::cout);
  std::cout.flush();
  if (!std::cout) throw twinrisk::error("standard output: write failed");
}

void add_seed_option(CLI::App& cmd, std::uint64_t& seed) {
  cmd.add_option("--seed", seed, "Same seed, same output, for any --threads")->capture_default_str();
}

void add_count_option(CLI::App& cmd, const std::string& name, std::uint64_t& count, const std::string& help, std::uint64_t least,
                      std::uint64_t most) {
  cmd.add_option(name, count, help)->capture_default_str()->check(CLI::Range(least, most));
}

std::ostream& summary_stream(const std::string& output) { return output == "-" ? std::cerr : std::cout; }

std::string non_negative(const std::string& text) {
  double x = 0.0;
  return CLI::detail::lexical_cast(text, x) && x >= 0.0 ? std::string() : "expected a number >= 0, got '" + text + "'";
}

std::string positive(const std::string& text) {
  double x = 0.0;
  return CLI::detail::lexical_cast(text, x) && x > 0.0 ? std::string() : "expected a number > 0, got '" + text + "'";
}

std::vector<twinrisk::edge_kind> edge_kinds(const twinrisk::twin& t) {
  std::vector<twinrisk::edge_kind> kind_of(t.num_edges());
  for (auto uv : t.edges()) kind_of[t.edge_index(uv)] = t[uv].kind;
  return kind_of;
}

ordered_json path_json(const twinrisk::twin& t, const std::vector<twinrisk::edge_kind>& kind_of,
                       const twinrisk::attack_path& p) {
  ordered_json nodes = ordered_json::array(), kinds = ordered_json::array();
  for (auto v : p.vertices) nodes.push_back(t.id(v));
  for (auto e : p.edges) kinds.push_back(twinrisk::to_string(kind_of[e]));
  return {{"probability", p.probability}, {"hops", p.hops()}, {"nodes", nodes}, {"edge_kinds", kinds}};
}

ordered_json timing_json(double load_s, double compute_s) {
  return {{"load_s", load_s},
          {"compute_s", compute_s},
          {"threads", tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)}};
}

}  // namespace twinrisk_cli
