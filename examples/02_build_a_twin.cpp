// How do I describe my own estate? Build a twin in code — nodes, trust edges, a vulnerability and
// a loss — then query it as a graph, and write it to the twin file format and read it back.

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "twinrisk/io/load.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/twin_builder.hpp"

int main() try {
  using namespace twinrisk;
  //! [build]
  twin_builder b;  // validates everything; strong exception guarantee
  b.set_currency("USD");
  b.add_node("internet", {.name = "Internet", .kind = node_kind::internet, .entry_point = true});
  b.add_node("web", {.name = "Portal", .kind = node_kind::web_application, .internet_exposed = true});
  b.add_node("db", {.name = "Customer DB", .kind = node_kind::database, .crown_jewel = true,
                    .loss = loss_magnitude{.primary = distribution_spec::lognormal(1.5e6, 9e6)}});
  b.add_edge("internet", "web", {.kind = edge_kind::exploits, .probability = 0.6,
                                 .vulnerabilities = {{"CVE-2024-4577", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}});
  b.add_edge("web", "db", {.kind = edge_kind::network_reach, .probability = 0.4});
  twin t = std::move(b).build();  // a mistake throws input_error naming it: "/edges/1/to: unknown node id 'dbb'"
  //! [build]

  //! [query]
  auto db = t.at("db");     // by id (model_error if unknown); t.find("db") gives an optional
  for (auto uv : t.in_edges(db))  // in- and out-edges, their source, target and data
    std::cout << t.id(t.source(uv)) << " -" << to_string(t[uv].kind) << "-> " << t[db].name << '\n';
  std::cout << t.entry_points().size() << " entry point, " << t.crown_jewels().size() << " crown jewel, "
            << t.select([](const node& n) { return is_ai(n.kind) && !n.sanctioned; }).size() << " shadow AI\n";
  //! [query]

  //! [files]
  const auto file = std::filesystem::temp_directory_path() / "twinrisk-example.twin.json";
  write_twin_json_file(t, file.string());  // atomic: a failed write leaves the old file
  const twin copy = load_twin(file.string());  // .twin.json, or an edge-list folder
  std::cout << "round trip " << (copy.num_edges() == t.num_edges() && copy[copy.at("db")] == t[db] ? "exact" : "lossy") << '\n';
  //! [files]
  std::filesystem::remove(file);
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "build_a_twin: " << e.what() << "\n";
  return 1;
}
