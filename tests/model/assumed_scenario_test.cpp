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
  CHECK_THROWS_WITH_AS((void)with_assumed_scenario(b.build()), "with_assumed_scenario: the twin has no entry points", model_error);
}
