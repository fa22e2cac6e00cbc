#include <algorithm>

#include <doctest/doctest.h>

#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"

using namespace twinrisk;

TEST_CASE("generate_enterprise is seeded, deterministic and organisation-shaped") {
  const twin a = generate_enterprise({.nodes = 2000, .seed = 3});
  const twin b = generate_enterprise({.nodes = 2000, .seed = 3});
  const twin c = generate_enterprise({.nodes = 2000, .seed = 4});
  CHECK(write_twin_json(a) == write_twin_json(b));  // same seed, same twin, byte for byte
  CHECK(write_twin_json(a) != write_twin_json(c));
  CHECK(a.num_nodes() == 2000);
  CHECK(a.num_edges() > 8 * 2000);  // about 10 edges per node
  CHECK(a.num_edges() < 12 * 2000);
  CHECK(a.entry_points().size() >= 2);
  CHECK(a.crown_jewels().size() >= 5);
  CHECK(a.nodes_of_kind(node_kind::user).size() > a.nodes_of_kind(node_kind::server).size());
  for (auto uv : a.edges()) {
    CHECK(a[uv].probability > 0.0);
    CHECK(a[uv].probability <= 1.0);
  }
  // Money: every crown jewel costs something, three threats with detection times, in USD.
  CHECK(a.info().currency == "USD");
  for (auto v : a.crown_jewels()) CHECK(a[v].loss.has_value());
  REQUIRE(a.info().threats.size() == 3);
  CHECK(a.info().threats[2].entry_points.size() == a.nodes_of_kind(node_kind::third_party).size());
  for (const threat& th : a.info().threats) CHECK(th.detect_hours.has_value());
  // CVEs: each exploits edge (internet -> every 50th server) names one to three real CVEs with
  // vectors the builder scored; no other edge has any.
  std::size_t exploits = 0;
  for (auto uv : a.edges()) {
    const auto vulns = a[uv].vulnerabilities.to_vector();
    if (a[uv].kind != edge_kind::exploits) {
      CHECK(vulns.empty());
      continue;
    }
    ++exploits;
    CHECK(vulns.size() >= 1);
    CHECK(vulns.size() <= 3);
    for (const vulnerability& x : vulns)
      CHECK(std::any_of(detail::generator_cves.begin(), detail::generator_cves.end(),
                        [&](const auto& known) { return x.cve == known.first && x.cvss == known.second; }));
  }
  CHECK(exploits == (a.nodes_of_kind(node_kind::server).size() + 49) / 50);
}

TEST_CASE("generate_enterprise refuses tiny sizes") {
  CHECK_THROWS_WITH_AS((void)generate_enterprise({.nodes = 10}), "generate_enterprise: at least 100 nodes, got 10",
                       model_error);
}
