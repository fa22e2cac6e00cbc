#include "cli_common.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <tbb/global_control.h>

#include "twinrisk/detail/closest_names.hpp"
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
  ordered_json nodes = ordered_json::array(), names = ordered_json::array(), kinds = ordered_json::array();
  for (auto v : p.vertices) {
    nodes.push_back(t.id(v));
    names.push_back(t[v].name.empty() ? t.id(v) : t[v].name);
  }
  for (auto e : p.edges) kinds.push_back(twinrisk::to_string(kind_of[e]));
  return {{"probability", p.probability}, {"hops", p.hops()}, {"nodes", nodes}, {"names", names}, {"edge_kinds", kinds}};
}

ordered_json timing_json(double load_s, double compute_s) {
  return {{"load_s", load_s},
          {"compute_s", compute_s},
          {"threads", tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)}};
}

ordered_json tier_zero_exposure_json(const twinrisk::tier_zero_exposure& e) {
  ordered_json domains = ordered_json::array();
  for (const auto& d : e.by_domain)
    domains.push_back({{"domain", d.domain}, {"principals", d.principals}, {"exposed", d.exposed}, {"share", d.share()}});
  return {{"tier_zero", e.tier_zero}, {"principals", e.principals}, {"exposed", e.exposed}, {"share", e.share()}, {"by_domain", domains}};
}

std::string tier_zero_exposure_text(const twinrisk::tier_zero_exposure& e) {
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%", 100.0 * e.share());
  std::string s = std::to_string(e.exposed) + " of " + std::to_string(e.principals) + " users and computers outside tier zero (" +
                  share + ") have an attack path into it";
  if (e.by_domain.size() > 1) {
    s += " (";
    for (std::size_t i = 0; i < e.by_domain.size(); ++i) {
      const auto& d = e.by_domain[i];
      s += (i ? ", " : "") + (d.domain.empty() ? std::string("no domain") : d.domain) + " " + std::to_string(d.exposed) + "/" +
           std::to_string(d.principals);
    }
    s += ")";
  }
  return s;
}

bool explain_unknown_command(CLI::App& app) {
  CLI::App* at = &app;  // the deepest subcommand given
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (CLI::App* sub : at->get_subcommands())
      if (sub->parsed()) {
        at = sub;
        deeper = true;
        break;
      }
  }
  const std::vector<CLI::App*> subs = at->get_subcommands([](CLI::App*) { return true; });
  const std::vector<std::string> extras = app.remaining(true);  // every unparsed word, wherever it fell
  if (subs.empty() || extras.empty() || extras.front().starts_with("-") || !at->get_subcommands().empty()) return false;
  std::vector<std::string> names;
  for (const CLI::App* sub : subs) {
    if (sub->get_name() == extras.front()) return false;  // a known command: the error is elsewhere
    names.push_back(sub->get_name());
  }
  const auto closest = twinrisk::detail::closest_names(extras.front(), names, 1);
  const std::string where = at == &app ? "twinrisk" : "twinrisk " + at->get_name();
  std::cerr << where << ": unknown command '" << extras.front() << "'";
  if (!closest.empty()) std::cerr << "; did you mean '" << closest.front() << "'?";
  std::cerr << " (" << where << " --help lists them)\n";
  return true;
}

}  // namespace twinrisk_cli
