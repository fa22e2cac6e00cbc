// `twinrisk paths`: the most probable attack paths (--k), or every path within a hop bound (--all).

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "exploit_common.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/paths/bounded_paths.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

namespace twinrisk_cli {
namespace {

using twinrisk::twin;

struct paths_cli_options {
  common_options common;
  exploit_cli_options exploit;
  std::size_t k = 10;
  std::size_t max_hops = 0;
  double min_probability = 0.0;
  std::vector<std::string> from, to;
  bool all = false, count = false, through_tier_zero = false;
  std::size_t limit = 100'000;  // --all lists at most this many: enumeration can explode
};

// Ids or names (any case) of --from or --to; `fallback` when none is given.
std::vector<std::size_t> resolve(const twin& t, const std::vector<std::string>& names, const char* option,
                                 std::vector<std::size_t> fallback) {
  if (names.empty()) return fallback;
  std::vector<std::size_t> out;
  for (const std::string& name : names) out.push_back(twinrisk::find_node(t, name, {.pointer = option}));
  return out;
}

template <class ProbMap>
void run_paths(const paths_cli_options& o, const loaded_twin& loaded, const ProbMap& prob,
               std::chrono::steady_clock::time_point start) {
  const twin& t = loaded.twin;
  const auto sources = resolve(t, o.from, "--from", t.entry_points());
  const auto targets = resolve(t, o.to, "--to", t.crown_jewels());
  const std::vector<twinrisk::edge_kind> kind_of = edge_kinds(t);
  // In a directory, a path ends where it enters tier zero (its domain, through tier_zero_of): the
  // ways on from there are the same compromise again. Not when the question starts inside tier
  // zero (--from a tier-zero object) or names its own targets.
  const bool from_tier_zero = std::any_of(sources.begin(), sources.end(), [&](std::size_t v) { return bool(t[v].tier_zero); });
  const std::vector<std::size_t> excluded = o.through_tier_zero || !o.to.empty() || from_tier_zero
                                                ? std::vector<std::size_t>{}
                                                : twinrisk::edges_inside_tier_zero(t);

  const bool json = o.common.format == "json";
  ordered_json out;
  if (o.all && o.count) {
    const auto r = twinrisk::count_paths(
        t, sources, targets, prob,
        {.max_hops = o.max_hops, .min_probability = o.min_probability, .excluded_edges = excluded, .cancel = interrupt()});
    out["count"] = r.paths;
    if (r.cancelled) out["cancelled"] = true;
    out["extensions"] = r.extensions;
    if (!json) std::cout << r.paths << " paths within " << o.max_hops << " hops\n";
  } else {
    std::vector<twinrisk::attack_path> paths;
    bool truncated = false, cancelled = false;
    if (o.all) {
      cancelled = twinrisk::for_each_path(
          t, sources, targets, prob,
          [&](const twinrisk::attack_path& p) {
            if (o.limit != 0 && paths.size() == o.limit) {
              truncated = true;
              return false;
            }
            paths.push_back(p);
            return true;
          },
          {.max_hops = o.max_hops, .min_probability = o.min_probability, .excluded_edges = excluded, .cancel = interrupt()})
                      .cancelled;
    } else {
      twinrisk::paths_result found = twinrisk::k_most_probable_paths(
          t, sources, targets, prob,
          {.k = o.k, .max_hops = o.max_hops, .min_probability = o.min_probability, .excluded_edges = excluded, .cancel = interrupt()});
      paths = std::move(found.paths);
      cancelled = found.cancelled;
    }
    ordered_json list = ordered_json::array();
    for (const auto& p : paths) list.push_back(path_json(t, kind_of, p));
    out["paths"] = std::move(list);
    if (o.all) out["truncated"] = truncated;
    if (cancelled) out["cancelled"] = true;
    if (!json) {
      const std::vector<std::string> label = twinrisk::node_labels(t);
      const auto by_label = [&label](std::size_t v) -> const std::string& { return label[v]; };
      for (std::size_t i = 0; i < paths.size(); ++i) std::cout << i + 1 << ". " << twinrisk::to_string(paths[i], t, by_label) << "\n";
      if (paths.empty()) std::cout << "no path from the " << sources.size() << " sources to the " << targets.size() << " targets\n";
      if (truncated) std::cout << "(stopped at --limit " << o.limit << ")\n";
    }
  }
  if (json) {
    out["view"] = o.exploit.view;
    out["timing"] = timing_json(loaded.load_s, seconds_since(start));
    std::cout << out.dump(2) << "\n";
  }
}

void run_paths(const paths_cli_options& o) {
  const loaded_twin loaded = load(o.common.twin_path);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> p = view_probabilities(loaded, o.exploit);
  run_paths(o, loaded, twinrisk::probability_map(loaded.twin, p), start);
}

}  // namespace

command add_paths_command(CLI::App& app) {
  auto o = std::make_shared<paths_cli_options>();
  CLI::App* cmd = app.add_subcommand("paths", "Most probable attack paths from entry points to crown jewels");
  add_common_options(*cmd, o->common);
  add_exploit_options(*cmd, o->exploit, true);
  cmd->add_option("--k", o->k, "How many paths, most probable first")->capture_default_str()->check(CLI::Range(1, 1000000));
  cmd->add_option("--max-hops", o->max_hops, "Longest path in edges (0 = unbounded for --k; required with --all)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--min-probability", o->min_probability, "Leave out paths less probable than this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--from", o->from, "Source nodes, by id or name (default: the entry points)");
  cmd->add_option("--to", o->to, "Target nodes, by id or name (default: the crown jewels)");
  cmd->add_flag("--through-tier-zero", o->through_tier_zero,
                "Also list paths that go on inside tier zero once they entered it (by default a path ends there)");
  auto* all = cmd->add_flag("--all", o->all, "Every simple path within --max-hops, in a reproducible order");
  cmd->add_flag("--count", o->count, "With --all: count the paths instead of listing them")->needs(all);
  cmd->add_option("--limit", o->limit, "With --all: list at most N paths (0: no limit)")->capture_default_str()->needs(all);
  cmd->callback([o] {
    if (o->all && o->max_hops == 0) throw CLI::ValidationError("--all", "needs --max-hops H (H >= 1)");
  });
  return {cmd, [o] { run_paths(*o); }};
}

}  // namespace twinrisk_cli
