// `twinrisk import bloodhound|opengraph|scan` and `twinrisk export opengraph`: real data in and
// out. Collections may be folders, files or .zip archives (when built with libzip).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/nessus.hpp"
#include "twinrisk/io/opengraph.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/assumed_scenario.hpp"
#include "zip_entries.hpp"

namespace twinrisk_cli {
namespace {

namespace fs = std::filesystem;

struct import_options {
  std::vector<std::string> inputs;
  std::string output;
  std::string entry = "enabled-users";
  std::string probabilities;
  std::string into;       // scan: the twin to add findings to (default: the sample)
  std::string from;       // scan: the vantage point node
  int min_severity = 1;   // scan
  bool assume_scenario = false;
  std::string format = "text";
};

// --entry enabled-users | all-users | owned:ID[,ID...] | owned-file:PATH (one id or name per line).
twinrisk::bloodhound_options entry_options(const import_options& o) {
  twinrisk::bloodhound_options b;
  if (!o.probabilities.empty()) b.relationships = twinrisk::read_relationship_overrides(o.probabilities);
  if (o.entry == "enabled-users") return b;
  if (o.entry == "all-users") {
    b.entry = twinrisk::bloodhound_entry_rule::all_users;
    return b;
  }
  b.entry = twinrisk::bloodhound_entry_rule::owned;
  if (o.entry.starts_with("owned:")) {
    std::string list = o.entry.substr(6);
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      if (comma > start) b.owned.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  } else if (o.entry.starts_with("owned-file:")) {
    const std::string path = o.entry.substr(11);
    std::istringstream in(twinrisk::detail::read_file(path));
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty() && line[0] != '#') b.owned.push_back(line);
    }
  } else {
    throw twinrisk::input_error({.pointer = "--entry"},
                                "expected enabled-users, all-users, owned:ID[,ID...] or owned-file:PATH, got '" + o.entry + "'");
  }
  if (b.owned.empty()) throw twinrisk::input_error({.pointer = "--entry"}, "no owned principal given");
  return b;
}

void report(twinrisk::import_result r, const import_options& o, double seconds) {
  if (o.assume_scenario) r.twin = twinrisk::with_assumed_scenario(r.twin);
  write_output(o.output, [&r](std::ostream& out) { twinrisk::write_twin_json(r.twin, out); });
  std::ostream& summary = summary_stream(o.output);
  if (o.format == "json") {
    ordered_json j = r.summary.to_json();
    j["output"] = o.output;
    j["seconds"] = seconds;
    summary << j.dump(2) << "\n";
  } else {
    summary << r.summary.to_text() << "wrote " << o.output << " in " << seconds << " s\n";
  }
}

// Feeds every collection file of the inputs (folders in name order, .zip entries in archive order).
template <class Importer>
void add_inputs(Importer& importer, const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) {
    const fs::path p(input);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> names;
      for (const auto& f : twinrisk::detail::collection_files(p, {".json", ".zip"})) names.push_back(f.string());
      add_inputs(importer, names);
    } else if (p.extension() == ".zip") {
      for_each_zip_entry(p, ".json", [&](std::istream& in, const std::string& name) { importer.add_stream(in, name); });
    } else {
      importer.add_file(p);
    }
  }
}

void run_import(const std::string& what, const import_options& o) {
  const auto start = std::chrono::steady_clock::now();
  if (what == "bloodhound") {
    twinrisk::bloodhound_importer importer(entry_options(o));
    add_inputs(importer, o.inputs);
    report(std::move(importer).finish(), o, seconds_since(start));
  } else if (what == "opengraph") {
    twinrisk::opengraph_importer importer(entry_options(o));
    add_inputs(importer, o.inputs);
    report(std::move(importer).finish(), o, seconds_since(start));
  } else {
    const loaded_twin base = load(o.into);
    twinrisk::nessus_importer importer(base.twin, {.from = o.from, .min_severity = o.min_severity});
    for (const std::string& f : o.inputs) importer.add_file(f);
    report(std::move(importer).finish(), o, seconds_since(start));
  }
}

}  // namespace

command add_import_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Import BloodHound collections, OpenGraph files or scan reports into a twin");
  cmd->require_subcommand(1);
  auto o = std::make_shared<import_options>();
  auto common = [o](CLI::App* sub) {
    sub->add_option("-o,--output", o->output, "The .twin.json file to write (- for standard output)")->required();
    sub->add_option("--format", o->format, "Summary format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    sub->add_flag("--assume-scenario", o->assume_scenario,
                  "Where the twin states no money: add a threat from every entry point and a loss on every crown "
                  "jewel (assumed figures, docs/importing.md), so loss and plan run");
  };
  auto* bh = cmd->add_subcommand("bloodhound", "SharpHound collections: .json files, folders of them, or .zip archives");
  bh->add_option("inputs", o->inputs, "Collection files, folders or .zip archives")->required();
  auto bloodhound_like = [o](CLI::App* sub) {
    sub->add_option("--entry", o->entry,
                    "Entry points: enabled-users, all-users, owned:ID[,ID...] or owned-file:PATH (ids or names)")
        ->capture_default_str();
    sub->add_option("--probabilities", o->probabilities,
                    "JSON file of per-relationship probabilities: {\"edges\": {\"HasSession\": 0.4}}");
  };
  bloodhound_like(bh);
  common(bh);
  auto* og = cmd->add_subcommand("opengraph", "A BloodHound OpenGraph file");
  og->add_option("inputs", o->inputs, "OpenGraph .json files (or .zip archives of them)")->required();
  bloodhound_like(og);
  common(og);
  auto* scan = cmd->add_subcommand("scan", "Nessus (.nessus) reports: hosts and exploits edges with CVEs and CVSS");
  scan->add_option("inputs", o->inputs, "Nessus report files")->required()->check(CLI::ExistingFile);
  scan->add_option("--into", o->into, "The twin to add the findings to (default: the bundled sample twin)");
  scan->add_option("--from", o->from, "Node standing for the scanner's position (default: a new entry-point segment per report)");
  scan->add_option("--min-severity", o->min_severity, "Import findings of at least this severity (0-4)")
      ->check(CLI::Range(0, 4))
      ->capture_default_str();
  common(scan);
  return {cmd, [cmd, bh, og, o] { run_import(bh->parsed() ? "bloodhound" : og->parsed() ? "opengraph" : "scan", *o); }};
}

command add_export_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Export a twin to another tool's format");
  cmd->require_subcommand(1);
  auto twin_path = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto* og = cmd->add_subcommand("opengraph", "BloodHound OpenGraph JSON (upload it to BloodHound CE)");
  og->add_option("twin", *twin_path, "A .twin.json file or an edge-list folder; default: the bundled sample twin");
  og->add_option("-o,--output", *output, "The OpenGraph .json file to write (- for standard output)")->required();
  return {cmd, [twin_path, output] {
            const auto start = std::chrono::steady_clock::now();
            const loaded_twin t = load(*twin_path);
            write_output(*output, [&t](std::ostream& out) { twinrisk::write_opengraph(t.twin, out); });
            summary_stream(*output) << "wrote " << t.twin.num_nodes() << " nodes, " << t.twin.num_edges() << " edges to " << *output << " in "
                      << seconds_since(start) << " s\n";
          }};
}

}  // namespace twinrisk_cli
