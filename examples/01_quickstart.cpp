// A first look at a security twin: load the bundled sample (or a file given as argument), then
// walk it — what it holds, where attackers start, what they want, and what stands in between.

#include <cstdio>
#include <iostream>
#include <string>

#include "twinrisk/twinrisk.hpp"
#include "twinrisk_sample/sample_twin.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = argc > 1 ? load_twin(argv[1])
                          : parse_twin_json(twinrisk_sample::sample_twin, std::string(twinrisk_sample::sample_twin_file));

  std::cout << t.info().name << ": " << t.num_nodes() << " nodes, " << t.num_edges() << " edges\n";

  std::cout << "\nEntry points:\n";
  for (auto v : t.entry_points()) std::cout << "  " << t.id(v) << " (" << to_string(t[v].kind) << ")\n";

  std::cout << "\nCrown jewels and what stands one step before them:\n";
  for (auto v : t.crown_jewels()) {
    std::cout << "  " << t[v].name << " [" << t.id(v) << "]\n";
    for (auto uv : t.in_edges(v))
      std::printf("    <- %-22s %-16s p=%.2f\n", t.id(t.source(uv)).c_str(), std::string(to_string(t[uv].kind)).c_str(),
                  t[uv].probability);
  }

  std::cout << "\nAI assets:\n";
  for (auto v : t.select([](const node& n) { return is_ai(n.kind); }))
    std::cout << "  " << t[v].name << (t[v].sanctioned ? "" : "  <- unsanctioned (shadow AI)") << "\n";

  std::cout << "\nKnown vulnerabilities on edges:\n";
  for (auto uv : t.edges())
    for (const vulnerability& vuln : t[uv].vulnerabilities)
      std::cout << "  " << vuln.cve << "  " << t.id(t.source(uv)) << " -> " << t.id(t.target(uv)) << "\n";

  std::cout << "\nThreats (" << t.info().currency << " losses modelled):\n";
  for (const threat& th : t.info().threats)
    std::cout << "  " << th.name << ", entering at " << t.id(th.entry_points.front().vertex) << "\n";
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "quickstart: " << e.what() << "\n";
  return 1;
}
