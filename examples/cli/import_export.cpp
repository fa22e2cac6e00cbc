// `twinrisk import bloodhound|opengraph|aws|gcp|kubernetes|mapped|scan` and `twinrisk export opengraph`: real data in and
// out. Collections may be folders, files or .zip archives (when built with libzip).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_common.hpp"
#include "twinrisk/io/aws_iam.hpp"
#include "twinrisk/io/files.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/gcp.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/kubernetes.hpp"
#include "twinrisk/io/mapped.hpp"
#include "twinrisk/io/merge.hpp"
#include "twinrisk/io/opengraph.hpp"
#include "twinrisk/io/scan.hpp"
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
  std::vector<std::string> scps;  // aws: service control policy files
  std::string into;       // scan: the twin to add findings to (default: the sample)
  std::string from;       // scan: the vantage point node
  int min_severity = 1;   // scan
  double reach_probability = 0.05;  // scan: Nmap's network_reach edges
  std::string resource;   // gcp: the resource of bare get-iam-policy outputs
  std::string k8s_entry = "exposed-pods-and-users";  // kubernetes: --entry
  std::string mapping;    // mapped: the mapping file
  bool assume_scenario = false;
  std::string join;       // --join: identities one person across sources, stated links
  std::string review;     // --review: the file for a person to read before trusting the twin
  bool strict = false;    // --strict: anything unmapped is an error
  std::string format = "text";
};

// The principals of --entry owned:ID[,ID...] or owned-file:PATH (one id or name per line).
std::vector<std::string> owned_principals(const std::string& entry) {
  std::vector<std::string> owned;
  if (entry.starts_with("owned:")) {
    const std::string list = entry.substr(6);
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      if (comma > start) owned.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  } else if (entry.starts_with("owned-file:")) {
    std::istringstream in(twinrisk::read_text_file(entry.substr(11)));
    for (std::string line; std::getline(in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty() && line[0] != '#') owned.push_back(line);
    }
  } else {
    return owned;
  }
  if (owned.empty()) throw twinrisk::input_error({.pointer = "--entry"}, "no owned principal given");
  return owned;
}

// --entry enabled-users | all-users | domain-users | owned:ID[,ID...] | owned-file:PATH (one id or
// name per line). Tier zero is never an entry point, except an owned principal the user names.
twinrisk::bloodhound_options entry_options(const import_options& o) {
  twinrisk::bloodhound_options b;
  if (!o.probabilities.empty()) b.relationships = twinrisk::read_relationship_overrides_file(o.probabilities);
  if (o.entry == "enabled-users") return b;
  if (o.entry == "domain-users") {
    b.entry = twinrisk::bloodhound_entry_rule::domain_users;
    return b;
  }
  if (o.entry == "all-users") {
    b.entry = twinrisk::bloodhound_entry_rule::all_users;
    return b;
  }
  b.entry = twinrisk::bloodhound_entry_rule::owned;
  b.owned = owned_principals(o.entry);
  if (b.owned.empty())
    throw twinrisk::input_error({.pointer = "--entry"},
                                "expected enabled-users, all-users, domain-users, owned:ID[,ID...] or owned-file:PATH, got '" + o.entry + "'");
  return b;
}

// --entry for AWS: users (every user outside tier zero, and the outside principals trust policies
// let in) or the owned principals; --scp: the service control policies of the accounts.
twinrisk::aws_options aws_options_of(const import_options& o) {
  twinrisk::aws_options a;
  if (o.entry != "users" && o.entry != "enabled-users") {
    a.owned = owned_principals(o.entry);
    if (a.owned.empty())
      throw twinrisk::input_error({.pointer = "--entry"}, "expected users, owned:ARN[,ARN...] or owned-file:PATH, got '" + o.entry + "'");
  }
  for (const std::string& f : o.scps) {
    std::ifstream in = twinrisk::detail::open_for_reading(f);
    for (twinrisk::iam_policy& p : twinrisk::read_service_control_policies(in, f)) a.service_control_policies.push_back(std::move(p));
  }
  return a;
}

// --entry for clusters: exposed-pods-and-users (default), exposed-pods, owned:ID[,ID...] or
// owned-file:PATH (node ids such as k8s:pod/NS/NAME, or names).
twinrisk::kubernetes_options kubernetes_options_of(const import_options& o) {
  twinrisk::kubernetes_options k;
  if (o.k8s_entry == "exposed-pods-and-users") return k;
  if (o.k8s_entry == "exposed-pods") {
    k.entry = twinrisk::kubernetes_entry_rule::exposed_pods;
    return k;
  }
  k.entry = twinrisk::kubernetes_entry_rule::owned;
  k.owned = owned_principals(o.k8s_entry);
  if (k.owned.empty())
    throw twinrisk::input_error({.pointer = "--entry"}, "expected exposed-pods-and-users, exposed-pods, owned:ID[,ID...] or owned-file:PATH, got '" +
                                                            o.k8s_entry + "'");
  return k;
}

// --entry for GCP: users (users, groups, domains and the public principals outside tier zero) or the owned members.
twinrisk::gcp_options gcp_options_of(const import_options& o) {
  twinrisk::gcp_options g{.resource = o.resource};
  if (o.entry != "users" && o.entry != "enabled-users") {
    g.owned = owned_principals(o.entry);
    if (g.owned.empty())
      throw twinrisk::input_error({.pointer = "--entry"}, "expected users, owned:MEMBER[,MEMBER...] or owned-file:PATH, got '" + o.entry + "'");
  }
  return g;
}

// --strict: anything the import could not map is an error, and nothing is written.
void check_strict(const twinrisk::import_summary& s) {
  std::string unmapped;
  auto list = [&unmapped](const char* what, const twinrisk::name_counts& c) {
    for (const auto& [name, n] : c) unmapped += std::string(unmapped.empty() ? "" : "; ") + what + " " + name + " (" + std::to_string(n) + ")";
  };
  list("unknown type", s.unknown_types);
  list("unknown relationship", s.unknown_relationships);
  list("field not read", s.fields_not_read);
  if (!unmapped.empty()) throw twinrisk::input_error({.pointer = "--strict"}, "the import left unmapped: " + unmapped);
}

// Writes the twin (merged into --into's when given), the --review file, and the summary.
void report(twinrisk::import_result r, const import_options& o, bool merge, double seconds) {
  if (o.strict) check_strict(r.summary);
  std::optional<twinrisk::merge_summary> merged;
  if (merge && !o.into.empty()) {
    twinrisk::merge_result m = twinrisk::merge_twins(load(o.into).twin, r.twin);
    r.twin = std::move(m.twin);
    merged = std::move(m.summary);
  }
  if (!o.join.empty()) {
    std::ifstream in = twinrisk::detail::open_for_reading(o.join);
    const twinrisk::identity_joins joins = twinrisk::read_identity_joins(in, o.join);
    r.twin = twinrisk::join_identities(r.twin, joins);
    if (!joins.same.empty()) r.summary.assumptions["identities joined across sources (--join)"] = joins.same.size();
    if (!joins.links.empty()) r.summary.assumptions["links stated across sources (--join)"] = joins.links.size();
  }
  if (o.assume_scenario) r.twin = twinrisk::with_assumed_scenario(r.twin);
  if (!o.review.empty())
    write_output(o.review, [&](std::ostream& out) {
      ordered_json j{{"import", r.summary.to_json()}};
      j["merge"] = merged ? merged->to_json() : ordered_json();
      out << j.dump(2) << "\n";
    });
  write_output(o.output, [&r](std::ostream& out) { twinrisk::write_twin_json(r.twin, out); });
  std::ostream& summary = summary_stream(o.output);
  print_result(o.format,
               {.text = [&] {
                  std::ostringstream s;
                  s << r.summary.to_text() << (merged ? merged->to_text() : "") << "wrote " << o.output << " in " << seconds << " s\n";
                  return s.str();
                },
                .json = [&] {
                  ordered_json j = r.summary.to_json();
                  if (merged) j["merge"] = merged->to_json();
                  j["output"] = o.output;
                  j["seconds"] = seconds;
                  return j;
                }},
               summary);
}

// Feeds every collection file of the inputs (folders in name order, .zip entries in archive order;
// without libzip a .zip is refused with a message saying so).
template <twinrisk::importer Importer>
void add_inputs(Importer& importer, const std::vector<std::string>& inputs, std::vector<std::string> extensions = {".json"}) {
  const twinrisk::input_options options{
      .extensions = std::move(extensions),
      .read_archive = [](const fs::path& archive, const std::vector<std::string>& wanted,
                         const std::function<void(std::istream&, const std::string&)>& visit) {
        for (const std::string& x : wanted) for_each_zip_entry(archive, x, visit);
      }};
  twinrisk::add_inputs(importer, {inputs.begin(), inputs.end()}, options);
}

/// --entry and --probabilities: the BloodHound-like sources' entry rule and relationship table.
void add_bloodhound_options(CLI::App& sub, import_options& o) {
  sub.add_option("--entry", o.entry, "Entry points (never tier zero): enabled-users, all-users, domain-users (each domain's Domain Users group), "
                  "owned:ID[,ID...] or owned-file:PATH (ids or names)")
      ->capture_default_str();
  sub.add_option("--probabilities", o.probabilities, "JSON file of per-relationship probabilities: {\"edges\": {\"HasSession\": 0.4}}");
}

/// A source `twinrisk import` reads: its subcommand, its inputs, the options it adds to the common
/// ones, and the import itself. A new importer is one entry of `import_sources`.
struct import_source {
  const char* name;
  const char* description;
  const char* inputs;
  std::function<void(CLI::App& sub, CLI::Option& inputs, import_options& o)> add_options;
  std::function<twinrisk::import_result(const import_options& o)> run;
  bool reads_into = false;  // adds to --into's twin itself (scan: hosts matched by name); else merged after
};

const std::vector<import_source>& import_sources() {
  static const std::vector<import_source> sources = {
      {"bloodhound", "SharpHound collections: .json files, folders of them, or .zip archives",
       "Collection files, folders or .zip archives", [](CLI::App& sub, CLI::Option&, import_options& o) { add_bloodhound_options(sub, o); },
       [](const import_options& o) {
         twinrisk::bloodhound_importer importer(entry_options(o));
         add_inputs(importer, o.inputs);
         return std::move(importer).finish();
       }},
      {"opengraph", "A BloodHound OpenGraph file", "OpenGraph .json files (or .zip archives of them)",
       [](CLI::App& sub, CLI::Option&, import_options& o) { add_bloodhound_options(sub, o); },
       [](const import_options& o) {
         twinrisk::opengraph_importer importer(entry_options(o));
         add_inputs(importer, o.inputs);
         return std::move(importer).finish();
       }},
      {"aws", "AWS IAM: 'aws iam get-account-authorization-details' outputs, one account a file",
       "Authorization-details .json files, folders or .zip archives",
       [](CLI::App& sub, CLI::Option&, import_options& o) {
         sub.add_option("--entry", o.entry, "Entry points (never tier zero): users (every user outside tier zero, and outside "
                        "principals that trust policies let in), owned:ARN[,ARN...] or owned-file:PATH (ARNs or names)");
         sub.add_option("--scp", o.scps, "Organizations service control policy file(s), applied to every account "
                        "(policy documents or 'aws organizations describe-policy' outputs)")->check(CLI::ExistingFile);
       },
       [](const import_options& o) {
         twinrisk::aws_iam_importer importer(aws_options_of(o));
         add_inputs(importer, o.inputs);
         return std::move(importer).finish();
       }},
      {"gcp", "GCP IAM: Cloud Asset Inventory exports (IAM policies; JSON array or JSON Lines) or get-iam-policy outputs",
       "Asset export or policy files (.json, .jsonl), folders or .zip archives",
       [](CLI::App& sub, CLI::Option&, import_options& o) {
         sub.add_option("--resource", o.resource, "The resource of bare policies (get-iam-policy outputs): projects/ID, folders/N, "
                        "organizations/N or a project id");
         sub.add_option("--entry", o.entry, "Entry points (never tier zero): users (users, groups, domains and the public principals "
                        "outside tier zero), owned:MEMBER[,MEMBER...] or owned-file:PATH");
       },
       [](const import_options& o) {
         twinrisk::gcp_importer importer(gcp_options_of(o));
         add_inputs(importer, o.inputs, {".json", ".jsonl"});
         return std::move(importer).finish();
       }},
      {"kubernetes", "Kubernetes RBAC and workloads: kubectl get -o json output (Lists or objects)",
       "kubectl JSON files, folders of them (not their sub-folders) or .zip archives",
       [](CLI::App& sub, CLI::Option&, import_options& o) {
         sub.add_option("--entry", o.k8s_entry, "Entry points (never tier zero): exposed-pods-and-users, exposed-pods, "
                        "owned:ID[,ID...] or owned-file:PATH (node ids such as k8s:pod/NS/NAME, or names)")
             ->capture_default_str();
       },
       [](const import_options& o) {
         twinrisk::kubernetes_importer importer(kubernetes_options_of(o));
         add_inputs(importer, o.inputs);
         return std::move(importer).finish();
       }},
      {"mapped", "Any inventory (CSV, JSON, JSON Lines) read through a mapping file: which records become which nodes and edges",
       "Data files (.csv, .json, .jsonl), folders of them or .zip archives; the mapping's sources choose them by file name",
       [](CLI::App& sub, CLI::Option&, import_options& o) {
         sub.add_option("--mapping", o.mapping, "The mapping file (JSON): sources, node and edge rules (docs/importing.md; "
                        "examples in examples/mappings/)")
             ->required()
             ->check(CLI::ExistingFile);
       },
       [](const import_options& o) {
         twinrisk::mapped_importer importer(twinrisk::read_mapping_file(o.mapping));
         add_inputs(importer, o.inputs, {".csv", ".json", ".jsonl"});
         return std::move(importer).finish();
       }},
      {"scan", "Scan reports: Nessus (.nessus), OpenVAS/GVM XML and Nmap XML (told apart by their root element)",
       "Report files (Nessus, OpenVAS/GVM or Nmap XML, mixed)",
       [](CLI::App& sub, CLI::Option& inputs, import_options& o) {
         inputs.check(CLI::ExistingFile);
         sub.add_option("--from", o.from, "Node standing for the scanner's position (default: a new entry-point segment per report)");
         sub.add_option("--min-severity", o.min_severity, "Import findings of at least this severity (0-4)")
             ->check(CLI::Range(0, 4))
             ->capture_default_str();
         sub.add_option("--reach-probability", o.reach_probability,
                        "Nmap: probability of the network_reach edge to a host whose open ports show no CVE")
             ->check(CLI::Range(0.0, 1.0))
             ->capture_default_str();
       },
       [](const import_options& o) {
         const twinrisk::twin base = o.into.empty() ? twinrisk::twin_builder().build() : load(o.into).twin;
         twinrisk::scan_importer importer(base, {.from = o.from, .min_severity = o.min_severity, .reach_probability = o.reach_probability});
         for (const std::string& f : o.inputs) twinrisk::add_file(importer, f);
         return std::move(importer).finish();
       },
       true},
  };
  return sources;
}

}  // namespace

command add_import_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Import BloodHound collections, OpenGraph files, AWS IAM, GCP IAM, Kubernetes, scan reports or any inventory through a mapping file into a twin");
  cmd->require_subcommand(1);
  auto o = std::make_shared<import_options>();
  std::vector<std::pair<CLI::App*, const import_source*>> subs;
  for (const import_source& source : import_sources()) {
    CLI::App* sub = cmd->add_subcommand(source.name, source.description);
    CLI::Option* inputs = sub->add_option("inputs", o->inputs, source.inputs)->required();
    source.add_options(*sub, *inputs, *o);
    sub->add_option("-o,--output", o->output, "The .twin.json file to write (- for standard output)")->required();
    sub->add_option("--format", o->format, "Summary format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    sub->add_option("--into", o->into, source.reads_into ? "The twin to add the findings to (default: an empty twin)"
                                                          : "A twin to merge the import into (matched by id; its facts stand, conflicts listed)");
    sub->add_option("--join", o->join, "JSON file of identities that are one person or workload across sources ({\"same\": [{\"a\", \"b\"}]}) "
                    "and stated links ({\"links\": [{\"from\", \"to\", \"kind\", \"probability\"}]}), applied after --into")
        ->check(CLI::ExistingFile);
    sub->add_option("--review", o->review, "Write what the import assumed, dropped and merged to this JSON file, for a person to read");
    sub->add_flag("--strict", o->strict, "Refuse an import that leaves anything unmapped (unknown types, relationships or fields)");
    sub->add_flag("--assume-scenario", o->assume_scenario,
                  "Where the twin states no money: add a threat from every entry point and a loss on every crown "
                  "jewel (assumed figures, docs/importing.md), so loss and plan run");
    subs.emplace_back(sub, &source);
  }
  return {cmd, [subs, o] {
            for (const auto& [sub, source] : subs)
              if (sub->parsed()) {
                const auto start = std::chrono::steady_clock::now();
                twinrisk::import_result result = source->run(*o);  // before the clock is read: arguments have no order
                report(std::move(result), *o, !source->reads_into, seconds_since(start));
              }
          }};
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
