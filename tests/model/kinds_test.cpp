#include <set>
#include <string>

#include <doctest/doctest.h>

#include "twinrisk/model/annotations.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/model/scenario.hpp"

using namespace twinrisk;

namespace {
// Every enumerator of `table` has a name of its own, and `parse` reads it back; returns the count.
template <class Table, class Parse>
std::size_t check_round_trip(const Table& table, Parse parse) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < table.names.size(); ++i) {
    const auto k = static_cast<decltype(parse(""))>(i);
    CHECK(seen.insert(to_string(k)).second);
    CHECK(parse(to_string(k)) == k);
  }
  return seen.size();
}
}  // namespace

TEST_CASE("every kind has a unique stable name that parses back to it") {
  CHECK(check_round_trip(node_kind_names, [](std::string_view s) { return parse_node_kind(s); }) == 41);
  CHECK(check_round_trip(edge_kind_names, [](std::string_view s) { return parse_edge_kind(s); }) == 90);
  CHECK(check_round_trip(evidence_status_names, [](std::string_view s) { return evidence_status_names.parse(s); }) == 3);
  CHECK(check_round_trip(control_kind_names, [](std::string_view s) { return control_kind_names.parse(s); }) == 14);
  SUBCASE("names are those the formats document") {
    CHECK(to_string(node_kind::ai_copilot) == "ai_copilot");
    CHECK(to_string(node_kind::saas_application) == "saas_application");
    CHECK(to_string(edge_kind::member_of) == "member_of");
    CHECK(to_string(edge_kind::prompt_injection) == "prompt_injection");
    CHECK(to_string(evidence_status::blocked) == "blocked");
    CHECK(to_string(control_kind::mfa) == "mfa");
    CHECK(to_string(criticality::critical) == "critical");
    CHECK(to_string(node_gate::all) == "all");
  }
}

TEST_CASE("an unknown kind name is an input error naming the closest valid names") {
  CHECK_THROWS_WITH_AS((void)parse_edge_kind("memberof"), "unknown edge kind 'memberof'; did you mean 'member_of'?",
                       input_error);
  CHECK_THROWS_WITH_AS((void)parse_node_kind("AI_Agent"), "unknown node kind 'AI_Agent'; did you mean 'ai_agent'?",
                       input_error);
  CHECK_THROWS_WITH_AS((void)parse_node_kind("serverr", {.file = "t.json", .pointer = "/nodes/4/kind"}),
                       "t.json: /nodes/4/kind: unknown node kind 'serverr'; did you mean 'server'?", input_error);
  // Names are case-sensitive and never silently mapped.
  CHECK_THROWS_AS((void)parse_edge_kind("MemberOf"), input_error);
  CHECK_THROWS_AS((void)parse_edge_kind(""), input_error);
}

TEST_CASE("identities and assets are told apart") {
  for (node_kind k : {node_kind::user, node_kind::group, node_kind::service_account, node_kind::role,
                      node_kind::app_registration, node_kind::service_principal, node_kind::managed_identity,
                      node_kind::credential})
    CHECK(is_identity(k));
  for (node_kind k : {node_kind::host, node_kind::database, node_kind::ai_agent, node_kind::third_party,
                      node_kind::domain, node_kind::generic})
    CHECK_FALSE(is_identity(k));
  CHECK(is_ai(node_kind::ai_model));
  CHECK(is_ai(node_kind::ai_copilot));
  CHECK_FALSE(is_ai(node_kind::application));
}

TEST_CASE("distribution specifications say why they are invalid") {
  CHECK(distribution_spec::lognormal(1e5, 1e6).invalid_reason().empty());
  CHECK(distribution_spec::pert(1, 2, 3).invalid_reason().empty());
  CHECK(distribution_spec::constant(0).invalid_reason().empty());
  CHECK(distribution_spec::lognormal(0, 1e6).invalid_reason() == "expected finite 0 < low < high");
  CHECK(distribution_spec::lognormal(5, 5).invalid_reason() == "expected finite 0 < low < high");
  CHECK(distribution_spec::pert(1, 4, 3).invalid_reason() == "expected finite 0 <= min <= mode <= max with min < max");
  CHECK(distribution_spec::constant(-1).invalid_reason() == "expected a finite value >= 0");
  CHECK_FALSE(distribution_spec::constant(std::numeric_limits<double>::infinity()).invalid_reason().empty());
  CHECK_FALSE(distribution_spec::constant(std::numeric_limits<double>::quiet_NaN()).invalid_reason().empty());
}
