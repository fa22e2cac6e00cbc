#include <algorithm>
#include <cctype>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

using namespace twinrisk;

namespace {

std::filesystem::path testlab(const char* version) {
  return twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-testlab" / version;
}

const std::string domain_sid = "S-1-5-21-3130019616-2776909439-2417379446";

using twinrisk_test::has_edge;

import_result import_bloodhound_text(const std::string& text, bloodhound_options options = {}) {
  bloodhound_importer importer(std::move(options));
  std::istringstream in(text);
  importer.add_stream(in, "c.json");
  return std::move(importer).finish();
}

}  // namespace

TEST_CASE("SharpHound v5 and v6 collections of TESTLAB.LOCAL import completely") {
  for (const char* version : {"v5", "v6"}) {
    CAPTURE(version);
    const auto [t, s] = import_bloodhound({testlab(version)});
    SUBCASE("every object of the data arrays is a node, every reference too") {
      for (const auto& f : std::filesystem::directory_iterator(testlab(version))) {
        if (f.path().filename() == "deleted.json" || f.path().filename() == "sessions.json") continue;
        const auto doc = nlohmann::json::parse(std::ifstream(f.path()));
        for (const auto& o : doc["data"]) {
          CAPTURE(o["ObjectIdentifier"]);
          REQUIRE(t.find(o["ObjectIdentifier"].get<std::string>()));
          CHECK(t[*t.find(o["ObjectIdentifier"].get<std::string>())].name == o["Properties"]["name"].get<std::string>());
        }
      }
      CHECK(t.num_nodes() == 82 + 14);  // 82 objects, 12 referenced SIDs never described, Authenticated Users and Everyone
      CHECK(t[t.at(domain_sid + "-1104")].kind == node_kind::workstation);  // Windows 10
      CHECK(t[t.at(domain_sid + "-1104")].properties["operatingsystem"] == "Windows 10 Enterprise Evaluation");
      CHECK(t[t.at(domain_sid + "-12345")].properties["placeholder"] == true);
      CHECK(t[t.at(domain_sid + "-12345")].kind == node_kind::host);  // typed by the reference (Computer)
      CHECK(t[t.at("S-1-5-21-3084884204-958224920-2707782873")].name == "TEST.LOCAL");
    }
    SUBCASE("the 30 relationships of BloodHound's ingest test exist, DCSync derived") {
      std::ifstream csv(twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-testlab/expected_edges.csv");
      std::string line;
      std::getline(csv, line);
      int rows = 0;
      while (std::getline(csv, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
        REQUIRE(f.size() >= 5);
        const auto* rel = std::find_if(bloodhound_relationships.begin(), bloodhound_relationships.end(), [&](const auto& r) {
          return std::equal(r.name.begin(), r.name.end(), f[2].begin(), f[2].end(),
                            [](char a, char b) { return std::tolower(a) == std::tolower(b); });
        });
        REQUIRE(rel != bloodhound_relationships.end());
        CAPTURE(line);
        // BloodHound CE draws a trust from the trusting domain to the trusted one (CrossForestTrust
        // here: TrustType Unknown), where the older TrustedBy of this test went the other way.
        if (f[2] == "TrustedBy") CHECK(has_edge(t, f[4], f[1], edge_kind::cross_forest_trust));
        else CHECK(has_edge(t, f[1], f[4], rel->kind));
        ++rows;
      }
      CHECK(rows == 30);
    }
    SUBCASE("the import summary is exact") {
      // Expected figures computed from the JSON with an independent script (see docs/importing.md's
      // BloodHound section): links read before merging, unique edges per relationship.
      const bool v5 = std::string(version) == "v5";
      CHECK(s.format == "bloodhound");
      CHECK(s.files == 9);
      CHECK(s.records == 89);  // 82 objects, 1 session, 6 deleted ids
      CHECK(s.records_by_type == name_counts{{"computers", 4}, {"containers", 23}, {"deleted", 6}, {"domains", 1},
                                             {"gpos", 7}, {"groups", 30}, {"ous", 2}, {"sessions", 1}, {"users", 15}});
      CHECK(s.placeholder_nodes == 12);
      CHECK(s.deleted_objects == 0);  // the deleted ids describe no object here
      // Derived, as docs/design/ad_edges_counts.py computes them from the JSON: DCSync (user 2122,
      // Administrators, user 2112 through two groups), GPOAppliesTo (2 in v6; v5's containment
      // reaches 40 more users), the well-known memberships (Domain Users and Domain Computers in
      // Authenticated Users, it and Guest in Everyone), CoerceToTGT from UCCOMP; PRIMARY, a member
      // of Domain Controllers without an IsDC flag, is a DC (DCFor), not a coercion source as
      // BloodHound's ingest makes it; and TierZeroOf from every tier-zero object to its domain.
      const std::size_t gpo = v5 ? 42 : 2, tier_zero_of = v5 ? 18 : 16;
      CHECK(s.derived_by_kind == name_counts{{"CoerceToTGT", 1}, {"DCFor", 1}, {"DCSync", 3}, {"GPOAppliesTo", gpo},
                                             {"MemberOf", 4}, {"TierZeroOf", tier_zero_of}});
      CHECK(s.derived_edges == 9 + gpo + tier_zero_of);
      CHECK(s.duplicate_edges == (v5 ? 7 : 8));
      CHECK(s.edges == (v5 ? 727 : 721) + s.derived_edges);
      // The two AllowedToDelegate come from accounts without protocol transition (trustedtoauth false).
      name_counts kinds{{"AddAllowedToAct", 1}, {"AdminTo", 2}, {"AllExtendedRights", 23}, {"AllowedToAct", 1},
                        {"AllowedToDelegateKerberosOnly", 2}, {"CanPSRemote", 1}, {"CanRDP", 1}, {"CoerceToTGT", 1}, {"Contains", v5 ? 47u : 41u},
                        {"CrossForestTrust", 3}, {"DCFor", 1}, {"DCSync", 3}, {"ExecuteDCOM", 1}, {"GPLink", 6},
                        {"GPOAppliesTo", gpo}, {"GenericAll", 147}, {"GenericWrite", 88}, {"GetChanges", 5},
                        {"GetChangesAll", 4}, {"HasSIDHistory", 5}, {"HasSession", 3}, {"MemberOf", 46}, {"Owns", 81},
                        {"ReadGMSAPassword", 1}, {"SQLAdmin", 1}, {"TierZeroOf", tier_zero_of}, {"WriteDacl", 131},
                        {"WriteOwner", 131}};
      CHECK(s.edges_by_kind == kinds);
      CHECK(s.unknown_types.empty());
      CHECK(s.unknown_relationships.empty());
      CHECK(s.properties_not_kept == name_counts{{"collected", 1}, {"functionallevel", 1}, {"gpcpath", 7}, {"homedirectory", 1}});
      CHECK(s.fields_not_read == name_counts{{"UserRights", 1}});
      // Tier zero: BloodHound CE's 16 default members, its opt-in Account, Server and Print
      // Operators and krbtgt (20); in v5 two containers more, reached through containment.
      CHECK(s.tier_zero == (v5 ? 22 : 20));
      CHECK(s.tier_zero_principals == 14);
      // Enabled users outside tier zero, the gMSA TESTGMSA$ left out: 13 enabled, ADMINISTRATOR and
      // ADMIN in tier zero.
      CHECK(s.entry_points == 10);
      CHECK(s.crown_jewels == 3);  // TESTLAB.LOCAL and the two trusted domains
      CHECK(t.info().metadata["import"] == nlohmann::json(s.to_json()));
    }
    SUBCASE("known attack paths are found") {
      const auto prob = get(&edge::probability, t);
      // BloodHound's README example: User 1105 -AdminTo-> Computer 1104 -HasSession-> User 2117.
      const auto r = k_most_probable_paths(t, {t.at(domain_sid + "-1105")}, {t.at(domain_sid + "-2117")}, prob, {.k = 1});
      REQUIRE(r.paths.size() == 1);
      CHECK(r.paths[0].vertices ==
            std::vector<std::size_t>{t.at(domain_sid + "-1105"), t.at(domain_sid + "-1104"), t.at(domain_sid + "-2117")});
      CHECK(r.paths[0].probability == doctest::Approx(0.9 * 0.7));
      // From the enabled users to Domain Admins (a crown jewel by its well-known RID).
      const std::size_t da = t.at(domain_sid + "-512");
      CHECK(t[da].tier_zero);
      const auto to_da = k_most_probable_paths(t, t.entry_points(), {da}, prob, {.k = 3});
      REQUIRE(!to_da.paths.empty());
      CHECK(to_da.paths[0].vertices.back() == da);
      CHECK(t[to_da.paths[0].vertices.front()].entry_point);
    }
  }
}

TEST_CASE("v5 and v6 give the same twin apart from containment") {
  const auto a = import_bloodhound({testlab("v5")}).twin, b = import_bloodhound({testlab("v6")}).twin;
  REQUIRE(a.num_nodes() == b.num_nodes());
  // v6's ContainedBy records fewer containers than v5's ChildObjects; what follows containment
  // differs with it: the GPOs linked to the domain reach the users of CN=Users only in v5, and
  // AdminSDHolder's container (in CN=System) is tier zero only there.
  std::map<edge_kind, std::size_t> only_in_v5;
  for (auto uv : a.edges())
    if (!has_edge(b, a.id(a.source(uv)), a.id(a.target(uv)), a[uv].kind)) ++only_in_v5[a[uv].kind];
  CHECK(only_in_v5 == std::map<edge_kind, std::size_t>{{edge_kind::contains, 6}, {edge_kind::gpo_applies_to, 40}, {edge_kind::tier_zero_of, 2}});
  for (auto uv : b.edges()) CHECK(has_edge(a, b.id(b.source(uv)), b.id(b.target(uv)), b[uv].kind));
}

TEST_CASE("entry rules and probability overrides") {
  SUBCASE("owned principals by name, any case") {
    const auto [t, s] = import_bloodhound({testlab("v6")}, {.entry = bloodhound_entry_rule::owned,
                                                            .owned = {"administrator@testlab.local"}});
    CHECK(s.entry_points == 1);
    CHECK(t.entry_points() == std::vector<std::size_t>{t.at(domain_sid + "-500")});
    CHECK_THROWS_WITH_AS((void)import_bloodhound({testlab("v6")}, {.entry = bloodhound_entry_rule::owned, .owned = {"nobody"}}),
                         "owned: no object has the id or name 'nobody'", input_error);
  }
  SUBCASE("a probabilities file overrides defaults and maps unknown rights") {
    const auto overrides = parse_relationship_overrides(
        R"({"edges": {"HasSession": 0.25, "WriteGPLinkish": {"kind": "write_gp_link", "probability": 0.5}}})", "p.json");
    const auto [t, s] = import_bloodhound({testlab("v6")}, {.relationships = overrides});
    for (auto uv : t.edges())
      if (t[uv].kind == edge_kind::has_session) CHECK(t[uv].probability == 0.25);
    const auto r = import_bloodhound_text(
        R"({"data":[{"ObjectIdentifier":"G","Aces":[{"PrincipalSID":"U","PrincipalType":"User","RightName":"WriteGPLinkish"},
                                                     {"PrincipalSID":"U","PrincipalType":"User","RightName":"Mystery"}]}],
            "meta":{"type":"gpos","version":6}})",
        {.relationships = overrides});
    CHECK(has_edge(r.twin, "U", "G", edge_kind::write_gp_link));
    CHECK(r.summary.unknown_relationships == name_counts{{"Mystery", 1}});
    CHECK(r.summary.edges_by_kind == name_counts{{"WriteGPLinkish", 1}});
  }
  SUBCASE("bad probabilities files") {
    CHECK_THROWS_WITH_AS((void)parse_relationship_overrides(R"({"edges": {"HasSession": 1.5}})", "p.json"),
                         "p.json: /edges/HasSession: expected a probability in [0,1], got 1.5", input_error);
    CHECK_THROWS_WITH_AS((void)parse_relationship_overrides(R"({"edges": {"Foo": 0.5}})", "p.json"),
                         "p.json: /edges/Foo: BloodHound relationship 'Foo' is not in the mapping table; give it a \"kind\"",
                         input_error);
  }
}

TEST_CASE("unknown types are imported as generic nodes and counted; deleted objects go") {
  const auto [t, s] = import_bloodhound_text(R"({"meta":{"type":"widgets","version":6},
      "data":[{"ObjectIdentifier":"W1","Properties":{"name":"W ONE","colour":"red"},"Gadgets":[1],
               "Aces":[{"PrincipalSID":"U1","PrincipalType":"User","RightName":"Owns"}]},
              {"ObjectIdentifier":"W2","IsDeleted":true,"Members":[{"ObjectIdentifier":"U1","ObjectType":"User"}]}]})");
  CHECK(t.num_nodes() == 2);
  CHECK(t[t.at("W1")].kind == node_kind::generic);
  CHECK(t[t.at("W1")].name == "W ONE");
  CHECK(t[t.at("U1")].kind == node_kind::user);
  CHECK(s.unknown_types == name_counts{{"widgets", 2}});
  CHECK(s.properties_not_kept == name_counts{{"colour", 1}});
  CHECK(s.fields_not_read == name_counts{{"Gadgets", 1}});
  CHECK(s.deleted_objects == 1);
  CHECK(s.dropped_edges == 1);
  CHECK(has_edge(t, "U1", "W1", edge_kind::owns));
}

TEST_CASE("malformed collections are rejected with file, line or JSON pointer") {
  auto fails_with = [](const std::string& text, const std::string& message) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS((void)import_bloodhound_text(text), message.c_str(), input_error);
  };
  fails_with(R"({"data":[{"ObjectIdentifier":"A"},)", "c.json:1:35: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  fails_with("{\"data\":[\n{\"ObjectIdentifier\":\"A\" \"x\"}]}", "c.json:2:27: malformed JSON: syntax error while parsing object - unexpected string literal; expected '}'");
  fails_with(R"({"data":[{"ObjectIdentifier":"A"}]})", "c.json: /meta: expected the collection's \"meta\" object");
  fails_with(R"({"data":[],"meta":{"version":6}})", "c.json: /meta/type: expected the collection type (a string such as \"users\")");
  fails_with(R"({"meta":{"type":"users"}})", "c.json: missing member 'data'");
  fails_with(R"({"data":{"ObjectIdentifier":"A"},"meta":{"type":"users"}})", "c.json: /data: expected an array of records, got an object");
  fails_with(R"([1,2])", "c.json: expected a SharpHound collection: an object with \"data\" and \"meta\"");
  fails_with(R"({"data":[{"ObjectIdentifier":""}],"meta":{"type":"users"}})",
             "c.json: /data/0/ObjectIdentifier: expected an object identifier (a non-empty string), got \"\"");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Aces":[{"PrincipalSID":7,"RightName":"Owns"}]}],"meta":{"type":"users"}})",
             "c.json: /data/0/Aces/0/PrincipalSID: expected an object identifier (a non-empty string), got 7");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Aces":[{"PrincipalSID":"B"}]}],"meta":{"type":"users"}})",
             "c.json: /data/0/Aces/0/RightName: expected the name of a right (a string)");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Members":{"x":1}}],"meta":{"type":"groups"}})",
             "c.json: /data/0/Members: expected an array of references, got an object");
  fails_with(R"({"data":["A"],"meta":{"type":"users"}})",
             "c.json: /data/0: expected an object (a BloodHound record) in a \"users\" collection, got a string");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","ObjectIdentifier":"B"}],"meta":{"type":"users"}})",
             "c.json: /data/0/ObjectIdentifier: duplicate key 'ObjectIdentifier' in one object");
  fails_with(R"({"data":[{"ObjectIdentifier":"D","Trusts":[{"TargetDomainSid":"E","TrustDirection":"Sideways"}]}],"meta":{"type":"domains"}})",
             "c.json: /data/0/Trusts/0/TrustDirection: expected Inbound, Outbound, Bidirectional or Disabled, got \"Sideways\"");
  fails_with(R"({"data":[7],"meta":{"type":"users"}})", "c.json: /data/0: expected an object (a BloodHound record), got 7");
  // Empty and syntax-level garbage: the exact text, with line and column.
  fails_with("", "c.json:1:1: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Properties":{"x":NaN}}],"meta":{"type":"users"}})",
             "c.json:1:52: malformed JSON: syntax error while parsing value - invalid literal; last read: '\"x\":N'");
  // nlohmann's overflow error names no line in a streamed document: the pointer says where, in an
  // element, directly in the streamed array (the next index), and outside it.
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Properties":{"x":1e999}}],"meta":{"type":"users"}})",
             "c.json: /data/0/Properties/x: malformed JSON: number overflow parsing '1e999'");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Aces":[{},-1e999]}],"meta":{"type":"users"}})",
             "c.json: /data/0/Aces/1: malformed JSON: number overflow parsing '-1e999'");
  fails_with(R"({"data":[{"ObjectIdentifier":"A"},1e999]})", "c.json: /data/1: malformed JSON: number overflow parsing '1e999'");
  fails_with(R"({"data":[],"meta":{"type":"users","count":1e999}})",
             "c.json: /meta/count: malformed JSON: number overflow parsing '1e999'");
  fails_with(R"([1e999])", "c.json: /0: malformed JSON: number overflow parsing '1e999'");
  fails_with(R"(1e999)", "c.json: malformed JSON: number overflow parsing '1e999'");
  // A kept property nested deeper than the limit (a hostile file; copying it would overflow the stack).
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Properties":{"description":)" + std::string(100000, '[') +
                 std::string(100000, ']') + R"(}}],"meta":{"type":"users"}})",
             "c.json: /data/0/Properties/description: expected a value nested at most 128 levels deep, found more");
  // Numeric trust directions (v4) outside 0..3: an error, not the nearest direction.
  for (const char* direction : {"7", "-1", "4", "18446744073709551615"})
    fails_with(std::string(R"({"data":[{"ObjectIdentifier":"D","Trusts":[{"TargetDomainSid":"E","TrustDirection":)") + direction +
                   R"(}]}],"meta":{"type":"domains"}})",
               std::string("c.json: /data/0/Trusts/0/TrustDirection: expected 0 (Disabled), 1 (Inbound), 2 (Outbound) or 3 (Bidirectional), got ") +
                   direction);
  fails_with(R"({"data":[{"ObjectIdentifier":"D","Trusts":[{"TargetDomainSid":"E","TrustDirection":1.5}]}],"meta":{"type":"domains"}})",
             "c.json: /data/0/Trusts/0/TrustDirection: expected Inbound, Outbound, Bidirectional or Disabled, got 1.5");
  fails_with(R"({"data":[{"ObjectIdentifier":"D","Trusts":[{"TargetDomainSid":"E"}]}],"meta":{"type":"domains"}})",
             "c.json: /data/0/Trusts/0: missing member 'TrustDirection'");
  // Wrong JSON types.
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Properties":[1]}],"meta":{"type":"users"}})",
             "c.json: /data/0/Properties: expected an object of properties, got an array");
  fails_with(R"({"data":[],"meta":{"type":"users","version":"6"}})", "c.json: /meta/version: expected an integer, got \"6\"");
  fails_with(R"({"data":[],"meta":{"type":7}})", "c.json: /meta/type: expected the collection type (a string such as \"users\")");
  fails_with(R"({"data":[{"ObjectIdentifier":"C","LocalAdmins":{"Results":{}}}],"meta":{"type":"computers"}})",
             "c.json: /data/0/LocalAdmins/Results: expected an array, got an object");
  fails_with(R"({"data":[{"ObjectIdentifier":"C","LocalAdmins":"admin"}],"meta":{"type":"computers"}})",
             "c.json: /data/0/LocalAdmins: expected an object with \"Results\", got \"admin\"");
  fails_with(R"({"data":[{"ObjectIdentifier":"C","LocalAdmins":{"Results":[{"ObjectIdentifier":"U","ObjectType":5}]}}],"meta":{"type":"computers"}})",
             "c.json: /data/0/LocalAdmins/Results/0/ObjectType: expected a string, got 5");
  fails_with(R"({"data":[{"ObjectIdentifier":"C","RemoteDesktopUsers":[{"ObjectIdentifier":""}]}],"meta":{"type":"computers","version":4}})",
             "c.json: /data/0/RemoteDesktopUsers/0/ObjectIdentifier: expected an object identifier (a non-empty string), got \"\"");
  fails_with(R"({"data":[{"ObjectIdentifier":"A","Aces":{"PrincipalSID":"B"}}],"meta":{"type":"users"}})",
             "c.json: /data/0/Aces: expected an array of ACEs, got an object");
}

TEST_CASE("numeric trust directions of older collections draw the trust both ways") {
  const auto [t, s] = import_bloodhound_text(R"({"data":[{"ObjectIdentifier":"D","Trusts":[
      {"TargetDomainSid":"IN","TrustDirection":1},{"TargetDomainSid":"OUT","TrustDirection":2},
      {"TargetDomainSid":"BOTH","TrustDirection":3},{"TargetDomainSid":"OFF","TrustDirection":0}]}],"meta":{"type":"domains","version":4}})");
  (void)s;
  // From the trusting domain to the trusted one: inbound, IN trusts D; outbound, D trusts OUT.
  // No trust type: across forests, SID filtering assumed on.
  CHECK(has_edge(t, "IN", "D", edge_kind::cross_forest_trust));
  CHECK_FALSE(has_edge(t, "D", "IN", edge_kind::cross_forest_trust));
  CHECK(has_edge(t, "D", "OUT", edge_kind::cross_forest_trust));
  CHECK_FALSE(has_edge(t, "OUT", "D", edge_kind::cross_forest_trust));
  CHECK(has_edge(t, "D", "BOTH", edge_kind::cross_forest_trust));
  CHECK(has_edge(t, "BOTH", "D", edge_kind::cross_forest_trust));
  CHECK(t.num_edges() == 4);  // nothing for the disabled trust
}

TEST_CASE("group membership loops: the DCSync closure terminates with the exact derived edges") {
  // G1 and G2 are members of each other, U is in G2; G3 is a member of itself and holds both rights.
  bloodhound_importer importer;
  const std::string groups = R"({"data":[
      {"ObjectIdentifier":"G1","Members":[{"ObjectIdentifier":"G2","ObjectType":"Group"}]},
      {"ObjectIdentifier":"G2","Members":[{"ObjectIdentifier":"G1","ObjectType":"Group"},{"ObjectIdentifier":"U","ObjectType":"User"}]},
      {"ObjectIdentifier":"G3","Members":[{"ObjectIdentifier":"G3","ObjectType":"Group"},{"ObjectIdentifier":"V","ObjectType":"User"}]}],
      "meta":{"type":"groups","version":6}})";
  const std::string domains = R"({"data":[{"ObjectIdentifier":"D","Aces":[
      {"PrincipalSID":"G1","PrincipalType":"Group","RightName":"GetChanges"},
      {"PrincipalSID":"G2","PrincipalType":"Group","RightName":"GetChangesAll"},
      {"PrincipalSID":"G3","PrincipalType":"Group","RightName":"GetChanges"},
      {"PrincipalSID":"G3","PrincipalType":"Group","RightName":"GetChangesAll"}]}],"meta":{"type":"domains","version":6}})";
  for (const auto& [name, text] : {std::pair{"groups.json", groups}, {"domains.json", domains}}) {
    std::istringstream in(text);
    importer.add_stream(in, name);
  }
  const auto [t, s] = std::move(importer).finish();
  std::vector<std::pair<std::string, std::string>> dcsync;
  for (auto uv : t.edges())
    if (t[uv].kind == edge_kind::dc_sync) dcsync.emplace_back(t.id(t.source(uv)), t.id(t.target(uv)));
  std::sort(dcsync.begin(), dcsync.end());
  // G3 holds both rights itself; U combines them through the loop (G1 and G2 are groups, and
  // BloodHound gives groups DCSync only when they hold both); V reaches D through G3.
  CHECK(dcsync == std::vector<std::pair<std::string, std::string>>{{"G3", "D"}, {"U", "D"}});
  CHECK(s.derived_edges == 2);
  CHECK(has_edge(t, "G1", "G2", edge_kind::member_of));
  CHECK(has_edge(t, "G2", "G1", edge_kind::member_of));
  CHECK(has_edge(t, "G3", "G3", edge_kind::member_of));  // kept as the collection states it
  CHECK(s.edges_by_kind == name_counts{{"DCSync", 2}, {"GetChanges", 2}, {"GetChangesAll", 2}, {"MemberOf", 5}});
}

TEST_CASE("deeply nested values that are not kept are counted, not copied") {
  // Parsing and freeing are iterative in nlohmann/json; only copies recurse, and nothing copies these.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto [t, s] = import_bloodhound_text(R"({"data":[{"ObjectIdentifier":"A","Gadgets":)" + deep + R"(,"Properties":{"colour":)" + deep +
                                  R"(}}],"meta":{"type":"users","version":6,"extra":)" + deep + "}}");
  CHECK(t.num_nodes() == 1);
  CHECK(s.fields_not_read == name_counts{{"Gadgets", 1}});
  CHECK(s.properties_not_kept == name_counts{{"colour", 1}});
}

TEST_CASE("missing collection files and folders without collections are input errors naming the path") {
  CHECK_THROWS_WITH_AS((void)import_bloodhound({"no/such/users.json"}), "no/such/users.json: cannot open: No such file or directory",
                       input_error);
  const auto dir = twinrisk_test::scratch_dir("bloodhound_no_json");
  std::ofstream(dir / "notes.txt") << "not a collection";
  CHECK_THROWS_WITH_AS((void)import_bloodhound({dir}), (dir.string() + ": the folder has no .json files").c_str(), input_error);
}

TEST_CASE("a truncated real collection names the file and where it ends") {
  const auto dir = twinrisk_test::scratch_dir("bloodhound_truncated");
  std::ifstream in(testlab("v6") / "users.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, text.size() / 3, text.size() - 2}) {
    CAPTURE(cut);
    std::ofstream(dir / "users.json", std::ios::binary) << text.substr(0, cut);
    try {
      (void)import_bloodhound({dir / "users.json"});
      FAIL("a truncated file was accepted");
    } catch (const input_error& e) {
      CHECK(e.where().file == (dir / "users.json").string());
      CHECK(e.where().line >= 1);
      CHECK(e.reason().find("malformed JSON") == 0);
    }
  }
}

TEST_CASE("AzureHound collections: Entra ID and Azure resources (hand-made fixture of the documented format)") {
  const auto [t, s] = import_bloodhound({twinrisk_test::source_dir() / "tests/data/azurehound/contoso.json"});
  const std::string tenant = "11111111-1111-1111-1111-111111111111", alice = "A0000000-0000-0000-0000-000000000001",
                    bob = "A0000000-0000-0000-0000-000000000002", group = "B0000000-0000-0000-0000-000000000001",
                    sp = "C0000000-0000-0000-0000-000000000001", app = "D0000000-0000-0000-0000-000000000001",
                    sub = "/SUBSCRIPTIONS/E0000000-0000-0000-0000-000000000001", rg = sub + "/RESOURCEGROUPS/RGPROD",
                    kv = rg + "/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KVPROD",
                    vm = rg + "/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VMWEB01",
                    ga = "62E90394-69F5-4237-9190-012177145E10@" + tenant;
  CHECK(t.num_nodes() == 11);  // every described object, no placeholder
  CHECK(s.placeholder_nodes == 0);
  CHECK(t[t.at(alice)].name == "alice@contoso.onmicrosoft.com");  // id upper-cased, as BloodHound does
  CHECK(t[t.at(tenant)].kind == node_kind::tenant);
  CHECK(t[t.at(tenant)].crown_jewel);
  CHECK(t[t.at(sp)].kind == node_kind::service_principal);
  CHECK(t[t.at(app)].kind == node_kind::app_registration);
  CHECK(t[t.at(kv)].kind == node_kind::secret_store);
  CHECK(t[t.at(vm)].kind == node_kind::virtual_machine);
  CHECK(t[t.at(ga)].kind == node_kind::role);
  CHECK(t.entry_points() == std::vector<std::size_t>{t.at(alice), t.at(bob)});  // enabled users
  // The edges BloodHound's Azure ingest makes from these records (and its Global Admin edge).
  for (const auto& [from, to, kind] : std::vector<std::tuple<std::string, std::string, edge_kind>>{
           {tenant, alice, edge_kind::contains}, {tenant, bob, edge_kind::contains}, {tenant, group, edge_kind::contains},
           {tenant, sp, edge_kind::contains}, {tenant, app, edge_kind::contains}, {tenant, ga, edge_kind::contains},
           {tenant, sub, edge_kind::contains}, {sub, rg, edge_kind::contains}, {rg, kv, edge_kind::contains},
           {rg, vm, edge_kind::contains}, {app, sp, edge_kind::authenticates_to}, {bob, group, edge_kind::member_of},
           {alice, group, edge_kind::owns}, {bob, app, edge_kind::owns}, {alice, ga, edge_kind::can_assume_role},
           {alice, tenant, edge_kind::generic_all}, {sp, kv, edge_kind::owns}, {group, vm, edge_kind::admin_to},
           {alice, sub, edge_kind::owns}}) {
    CAPTURE(from);
    CAPTURE(to);
    CHECK(has_edge(t, from, to, kind));
  }
  CHECK(t.num_edges() == 19);
  CHECK(s.records == 18);
  CHECK(s.records_by_type.at("AZUser") == 2);
  CHECK(s.records_by_type.count("azure") == 0);
  CHECK(s.edges_by_kind == name_counts{{"AZContains", 10}, {"AZGlobalAdmin", 1}, {"AZHasRole", 1}, {"AZMemberOf", 1},
                                       {"AZOwner", 2}, {"AZOwns", 2}, {"AZRunsAs", 1}, {"AZVMAdminLogin", 1}});
  CHECK(s.unknown_types.empty());
  // Bob owns the deploy app, which runs as the service principal that owns the key vault.
  const auto prob = get(&edge::probability, t);
  const auto r = k_most_probable_paths(t, {t.at(bob)}, {t.at(kv)}, prob, {.k = 1});
  REQUIRE(r.paths.size() == 1);
  CHECK(r.paths[0].vertices == std::vector<std::size_t>{t.at(bob), t.at(app), t.at(sp), t.at(kv)});
  CHECK(r.paths[0].probability == doctest::Approx(0.9 * 1.0 * 0.95));
}

TEST_CASE("an Entra user synchronised from AD is joined to the AD account its SID names, both ways") {
  const std::string users = R"({"data":[{"ObjectIdentifier":"S-1-5-21-1-2-3-1105","Properties":{"name":"CAROL@CORP.LOCAL","enabled":true}}],
      "meta":{"type":"users","version":6}})";
  const std::string azure = R"({"data":[{"kind":"AZUser","data":{"id":"a1","userPrincipalName":"carol@corp.com","tenantId":"t1",
      "onPremisesSecurityIdentifier":"s-1-5-21-1-2-3-1105"}}],"meta":{"type":"azure","version":5}})";
  bloodhound_importer importer;
  for (const std::string* text : {&users, &azure}) {
    std::istringstream in(*text);
    importer.add_stream(in, "c.json");
  }
  const auto [t, s] = std::move(importer).finish();
  CHECK(s.placeholder_nodes == 1);  // the tenant, which no record describes; the SID is the AD user's own
  CHECK(t[t.at("S-1-5-21-1-2-3-1105")].name == "CAROL@CORP.LOCAL");  // upper-cased, as SharpHound writes SIDs
  CHECK(has_edge(t, "S-1-5-21-1-2-3-1105", "A1", edge_kind::authenticates_to));
  CHECK(has_edge(t, "A1", "S-1-5-21-1-2-3-1105", edge_kind::authenticates_to));
  CHECK(s.edges_by_kind.at("SyncedToEntraUser") == 1);
  CHECK(s.edges_by_kind.at("SyncedToADUser") == 1);
  for (auto uv : t.out_edges(t.at("S-1-5-21-1-2-3-1105")))
    if (t.target(uv) == t.at("A1")) CHECK(t[uv].probability == 0.9);  // the AD password signs in to Entra
}

TEST_CASE("bad AzureHound records are named by pointer; unknown kinds are counted") {
  const auto [t, s] = import_bloodhound_text(R"({"data":[{"kind":"AZWidget","data":{"id":"x"}},
      {"kind":"AZGroupMember","data":{"groupId":"g","members":[{"groupId":"g","member":{"@odata.type":"#microsoft.graph.orgContact","id":"c"}}]}}],
      "meta":{"type":"azure","version":5}})");
  CHECK(s.unknown_types == name_counts{{"AZWidget", 1}, {"directory object #microsoft.graph.orgContact", 1}});
  CHECK(has_edge(t, "C", "G", edge_kind::member_of));
  CHECK_THROWS_WITH_AS((void)import_bloodhound_text(R"({"data":[{"kind":"AZUser","data":{"userPrincipalName":"a"}}],"meta":{"type":"azure"}})"),
                       "c.json: /data/0/data: missing member 'id'", input_error);
  CHECK_THROWS_WITH_AS((void)import_bloodhound_text(R"({"data":[{"kind":"AZGroupMember","data":{"groupId":"g","members":[{"groupId":"g"}]}}],"meta":{"type":"azure"}})"),
                       "c.json: /data/0/data/members/0: missing member 'member'", input_error);
  CHECK_THROWS_WITH_AS((void)import_bloodhound_text(R"({"data":[{"kind":7,"data":{}}],"meta":{"type":"azure"}})"),
                       "c.json: /data/0/kind: expected an AzureHound record kind (a string), got 7", input_error);
  // Found by tests/fuzz/bloodhound: the pointer of a bad role assignment referred to a temporary.
  CHECK_THROWS_WITH_AS((void)import_bloodhound_text(R"({"data":[{"kind":"AZRoleAssignment","data":{"tenantId":"t",
      "roleAssignments":[{"roleDefinitionId":"r","principalId":"p"},{"principalId":"p"}]}}],"meta":{"type":"azure"}})"),
                       "c.json: /data/0/data/roleAssignments/1: missing member 'roleDefinitionId'", input_error);
}
