// `twinrisk info`: what a twin contains — counts by kind, entry points, crown jewels, degrees.

#include <algorithm>
#include <array>
#include <cstddef>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include "cli_common.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk_cli {
namespace {

using twinrisk::twin;

struct degree_summary {
  std::size_t min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
  double mean = 0.0;
};

degree_summary summarise(std::vector<std::size_t> d) {
  degree_summary s;
  if (d.empty()) return s;
  std::sort(d.begin(), d.end());
  auto at = [&d](double q) { return d[static_cast<std::size_t>(q * static_cast<double>(d.size() - 1))]; };
  double sum = 0.0;
  for (std::size_t x : d) sum += static_cast<double>(x);
  return {d.front(), at(0.5), at(0.9), at(0.99), d.back(), sum / static_cast<double>(d.size())};
}

ordered_json to_json(const degree_summary& s) {
  return {{"min", s.min}, {"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99}, {"max", s.max}};
}

std::vector<std::string> ids_of(const twin& t, const std::vector<twin::vertex_descriptor>& vs) {
  std::vector<std::string> out;
  out.reserve(vs.size());
  for (auto v : vs) out.push_back(t.id(v));
  return out;
}

/// "a, b, c and 7 more"
std::string short_list(const std::vector<std::string>& ids, std::size_t shown = 8) {
  std::string s;
  for (std::size_t i = 0; i < ids.size() && i < shown; ++i) s += (i ? ", " : "") + ids[i];
  if (ids.size() > shown) s += " and " + std::to_string(ids.size() - shown) + " more";
  return s;
}

void run_info(const common_options& options) {
  const loaded_twin loaded = load(options.twin_path);
  const auto start = std::chrono::steady_clock::now();
  const twin& t = loaded.twin;

  std::array<std::size_t, twinrisk::node_kind_names.names.size()> node_counts{};
  std::array<std::size_t, twinrisk::edge_kind_names.names.size()> edge_counts{};
  std::size_t identities = 0, exposed = 0, privileged = 0;
  std::vector<std::size_t> out_degrees, in_degrees;
  out_degrees.reserve(t.num_nodes());
  in_degrees.reserve(t.num_nodes());
  for (auto v : t.vertices()) {
    const twinrisk::node& n = t[v];
    ++node_counts[static_cast<std::size_t>(n.kind)];
    identities += twinrisk::is_identity(n.kind) ? 1 : 0;
    exposed += n.internet_exposed ? 1 : 0;
    privileged += n.privileged ? 1 : 0;
    out_degrees.push_back(out_degree(v, t));
    in_degrees.push_back(in_degree(v, t));
  }
  for (auto uv : t.edges()) ++edge_counts[static_cast<std::size_t>(t[uv].kind)];
  const auto entry = ids_of(t, t.entry_points());
  const auto jewels = ids_of(t, t.crown_jewels());
  const auto unsanctioned = ids_of(t, t.select([](const twinrisk::node& n) { return !n.sanctioned; }));
  const degree_summary out_d = summarise(std::move(out_degrees)), in_d = summarise(std::move(in_degrees));
  const twinrisk::tier_zero_exposure tier_zero = twinrisk::measure_tier_zero_exposure(t, get(&twinrisk::edge::probability, t));
  const double compute_s = seconds_since(start);

  const auto json = [&] {
    ordered_json j;
    j["twin"] = loaded.source;
    j["name"] = t.info().name;
    j["nodes"] = t.num_nodes();
    j["edges"] = t.num_edges();
    j["assets"] = t.num_nodes() - identities;
    j["identities"] = identities;
    j["internet_exposed"] = exposed;
    j["privileged"] = privileged;
    ordered_json& nk = j["node_kinds"] = ordered_json::object();
    for (std::size_t k = 0; k < node_counts.size(); ++k)
      if (node_counts[k] != 0) nk[std::string(twinrisk::node_kind_names.names[k])] = node_counts[k];
    ordered_json& ek = j["edge_kinds"] = ordered_json::object();
    for (std::size_t k = 0; k < edge_counts.size(); ++k)
      if (edge_counts[k] != 0) ek[std::string(twinrisk::edge_kind_names.names[k])] = edge_counts[k];
    j["entry_points"] = entry;
    j["crown_jewels"] = jewels;
    if (tier_zero.tier_zero != 0) j["tier_zero_exposure"] = tier_zero_exposure_json(tier_zero);
    j["unsanctioned"] = unsanctioned;
    ordered_json& threats = j["threats"] = ordered_json::array();
    for (const auto& th : t.info().threats) threats.push_back({{"id", th.id}, {"name", th.name}});
    j["currency"] = t.info().currency;
    j["degree"] = {{"out", to_json(out_d)}, {"in", to_json(in_d)}};
    j["timing"] = timing_json(loaded.load_s, compute_s);
    return j;
  };
  const auto text = [&] {
    const std::vector<std::string> label = twinrisk::node_labels(t);
    auto labels_of = [&](const std::vector<twin::vertex_descriptor>& vs) {
      std::vector<std::string> out;
      for (auto v : vs) out.push_back(label[v]);
      return out;
    };
    std::ostringstream o;
    o << (t.info().name.empty() ? std::string("(unnamed twin)") : t.info().name) << "  [" << loaded.source << "]\n";
    o << "  " << t.num_nodes() << " nodes (" << t.num_nodes() - identities << " assets, " << identities
      << " identities), " << t.num_edges() << " edges\n";
    o << "  entry points (" << entry.size() << "): " << short_list(labels_of(t.entry_points())) << "\n";
    o << "  crown jewels (" << jewels.size() << "): " << short_list(labels_of(t.crown_jewels())) << "\n";
    if (tier_zero.tier_zero != 0) o << "  tier zero: " << tier_zero.tier_zero << " objects; " << tier_zero_exposure_text(tier_zero) << "\n";
    if (!unsanctioned.empty()) o << "  unsanctioned (" << unsanctioned.size() << "): " << short_list(unsanctioned) << "\n";
    o << "  internet-exposed: " << exposed << ", privileged: " << privileged << ", threats: " << t.info().threats.size()
      << "\n";
    auto kinds = [&o](const char* title, const auto& counts, const auto& names) {
      std::vector<std::pair<std::size_t, std::string_view>> rows;
      for (std::size_t k = 0; k < counts.size(); ++k)
        if (counts[k] != 0) rows.emplace_back(counts[k], names.names[k]);
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      o << title << "\n";
      for (const auto& [count, name] : rows) o << "  " << std::left << std::setw(24) << name << count << "\n";
    };
    kinds("node kinds", node_counts, twinrisk::node_kind_names);
    kinds("edge kinds", edge_counts, twinrisk::edge_kind_names);
    auto degrees = [&o](const char* title, const degree_summary& s) {
      o << "  " << title << "  min " << s.min << "  mean " << std::fixed << std::setprecision(2) << s.mean << "  p50 "
        << s.p50 << "  p90 " << s.p90 << "  p99 " << s.p99 << "  max " << s.max << "\n";
    };
    o << "degrees\n";
    degrees("out", out_d);
    degrees("in ", in_d);
    o << "loaded in " << std::setprecision(3) << loaded.load_s << " s\n";
    return o.str();
  };
  print_result(options.format, {.text = text, .json = json});
}

}  // namespace

command add_info_command(CLI::App& app) {
  auto options = std::make_shared<common_options>();
  CLI::App* cmd = app.add_subcommand("info", "Counts by node and edge kind, entry points, crown jewels, degrees");
  add_common_options(*cmd, *options);
  return {cmd, [options] { run_info(*options); }};
}

}  // namespace twinrisk_cli
