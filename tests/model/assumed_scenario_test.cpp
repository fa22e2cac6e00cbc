#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/model/assumed_scenario.hpp"

using namespace twinrisk;

TEST_CASE("an assumed scenario gives a twin without money a threat and losses") {
  const twin t = twinrisk_test::small_twin();  // entry vpn, crown jewel db, no money
  const twin u = with_assumed_scenario(t, {.frequency = distribution_spec::constant(2.0),
                                           .crown_jewel_loss = distribution_spec::lognormal(1e5, 1e6)});
  CHECK(u.info().currency == "USD");
  REQUIRE(u.info().threats.size() == 1);
  CHECK(u.info().threats[0].frequency == distribution_spec::constant(2.0));
  CHECK(u.info().threats[0].entry_points == std::vector<threat_entry>{{u.at("vpn"), 1.0}});
  REQUIRE(u[u.at("db")].loss);
  CHECK(u[u.at("db")].loss->primary == distribution_spec::lognormal(1e5, 1e6));
  CHECK(!u[u.at("ws")].loss);
  CHECK(u.num_edges() == t.num_edges());
  CHECK(u.info().metadata["assumed_scenario"] == true);
  // A twin that has its own threats keeps them (and its losses).
  const twin w = with_assumed_scenario(u, {.crown_jewel_loss = distribution_spec::constant(1.0)});
  CHECK(w.info().threats == u.info().threats);
  CHECK(w[w.at("db")].loss == u[u.at("db")].loss);
  twin_builder b;
  b.add_node("a", {});
  CHECK_THROWS_WITH_AS((void)with_assumed_scenario(b.build()),
                       "no entry point to assume an attacker at: mark some (entry_point in the twin, or --entry when importing)",
                       model_error);
  b.add_node("e", {.entry_point = true});
  CHECK_THROWS_WITH_AS((void)with_assumed_scenario(b.build()),
                       "no crown jewel to put a loss on: mark the assets whose compromise costs money (crown_jewel in the "
                       "twin), or import a directory, whose domains are priced",
                       model_error);
}

TEST_CASE("an assumed scenario prices a directory by domain: one loss per collected domain, none per tier-zero object") {
  // Two domains, one trusted but not collected; Domain Admins (tier zero, leading to its domain)
  // and a file server the owner marked a crown jewel.
  twin_builder b;
  b.add_node("u", {.kind = node_kind::user, .entry_point = true});
  b.add_node("corp", {.kind = node_kind::domain, .crown_jewel = true, .tier_zero = std::string("domain head")});
  b.add_node("other", {.kind = node_kind::domain, .crown_jewel = true, .tier_zero = std::string("domain head"),
                       .properties = {{"placeholder", true}}});
  b.add_node("da", {.kind = node_kind::group, .tier_zero = std::string("Domain Admins")});
  b.add_node("files", {.kind = node_kind::server, .crown_jewel = true});
  b.add_edge("u", "da", {.kind = edge_kind::generic_all, .probability = 0.5});
  b.add_edge("da", "corp", {.kind = edge_kind::tier_zero_of, .probability = 1.0});
  b.add_edge("u", "files", {.kind = edge_kind::admin_to, .probability = 0.5});
  const twin u = with_assumed_scenario(b.build(), {.crown_jewel_loss = distribution_spec::constant(7.0)});
  CHECK(u[u.at("corp")].loss);
  CHECK_FALSE(u[u.at("other")].loss);  // not the company's domain
  CHECK_FALSE(u[u.at("da")].loss);     // falls with corp: counted there
  CHECK(u[u.at("files")].loss);        // a real asset the owner marked
}
