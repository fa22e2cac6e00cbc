#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/merge.hpp"

using namespace twinrisk;

namespace merge_test {

twin base_twin() {
  twin_builder b;
  b.add_node("alice", {.name = "Alice", .kind = node_kind::user, .entry_point = true});
  b.add_node("srv", {.name = "srv01", .kind = node_kind::server, .tags = {"prod"}});
  b.add_node("db", {.name = "Customer DB", .kind = node_kind::database, .crown_jewel = true});
  b.add_edge("alice", "srv", {.kind = edge_kind::can_rdp, .probability = 0.5});
  b.add_edge("srv", "db", {.kind = edge_kind::data_flow, .probability = 0.9});
  b.set_name("AD");
  b.set_metadata({{"import", {{"format", "bloodhound"}}}});
  return std::move(b).build();
}

twin addition_twin() {
  twin_builder b;
  b.add_node("srv", {.name = "srv01.corp", .kind = node_kind::generic, .tags = {"scanned"}, .internet_exposed = true});
  b.add_node("scan:ext", {.name = "External scan", .kind = node_kind::network_segment, .entry_point = true});
  b.add_node("alice", {.name = "Alice", .kind = node_kind::user, .tier_zero = std::string("admin")});
  b.add_edge("scan:ext", "srv", {.kind = edge_kind::exploits, .probability = 1.0, .vulnerabilities = {{"CVE-2024-4577", ""}}});
  b.add_edge("alice", "srv", {.kind = edge_kind::can_rdp, .probability = 0.8});
  b.set_metadata({{"import", {{"format", "nessus"}}}});
  return std::move(b).build();
}

}  // namespace merge_test

TEST_CASE("merging an import into a twin: the base's facts stand, the addition fills the gaps, conflicts are listed") {
  const twin base = merge_test::base_twin();
  const auto [t, s] = merge_twins(base, merge_test::addition_twin());
  CHECK(t.num_nodes() == 4);
  CHECK(t.num_edges() == 3);
  CHECK(s.matched_nodes == 2);
  CHECK(s.added_nodes == 1);
  CHECK(s.matched_edges == 1);
  CHECK(s.added_edges == 1);
  CHECK(s.conflicts == std::vector<merge_conflict>{{"srv", "name", "'srv01'", "'srv01.corp'"},
                                                   {"alice -> srv (can_rdp)", "probability", "0.5", "0.8"}});
  const auto srv = t.at("srv");
  CHECK(t[srv].kind == node_kind::server);  // the addition's generic kind states nothing
  CHECK(t[srv].internet_exposed);           // exposure adds up
  CHECK(t[srv].tags.to_vector() == std::vector<std::string>{"prod", "scanned"});
  // Tier zero from the addition: never an entry point.
  CHECK(t[t.at("alice")].tier_zero);
  CHECK_FALSE(t[t.at("alice")].entry_point);
  CHECK(t.info().name == "AD");
  CHECK(t.info().metadata.at("imports").size() == 1);
  CHECK(t.info().metadata.at("imports")[0].at("format") == "nessus");
  // Merging a twin into itself matches everything and adds nothing.
  const auto [same, s2] = merge_twins(base, base);
  CHECK(same.num_nodes() == base.num_nodes());
  CHECK(same.num_edges() == base.num_edges());
  CHECK(s2.matched_nodes == 3);
  CHECK(s2.conflicts.empty());
}

TEST_CASE("merging twins that state money in different currencies is refused") {
  twin_builder a, b;
  a.add_node("x", {});
  a.set_currency("USD");
  b.add_node("y", {});
  b.set_currency("EUR");
  CHECK_THROWS_WITH_AS((void)merge_twins(std::move(a).build(), std::move(b).build()),
                       "/currency: the twins state money in USD and EUR: convert one first", input_error);
}
