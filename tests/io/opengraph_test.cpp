#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/load.hpp"
#include "twinrisk/io/opengraph.hpp"

using namespace twinrisk;

namespace {

import_result import_opengraph_text(const std::string& text, bloodhound_options options = {}) {
  opengraph_importer importer(std::move(options));
  std::istringstream in(text);
  importer.add_stream(in, "g.json");
  return std::move(importer).finish();
}

// The graph part of a twin that OpenGraph carries: ids, names, kinds, flags, edges and CVEs.
void check_same_graph(const twin& a, const twin& b) {
  REQUIRE(a.num_nodes() == b.num_nodes());
  REQUIRE(a.num_edges() == b.num_edges());
  for (auto v : a.vertices()) {
    const node &x = a[v], &y = b[b.at(a.id(v))];
    CAPTURE(a.id(v));
    CHECK(x.name == y.name);
    CHECK(x.kind == y.kind);
    CHECK(x.entry_point == y.entry_point);
    CHECK(x.crown_jewel == y.crown_jewel);
    CHECK(x.privileged == y.privileged);
    CHECK(x.internet_exposed == y.internet_exposed);
    CHECK(x.sanctioned == y.sanctioned);
    CHECK(x.rating == y.rating);
    CHECK(x.gate == y.gate);
    CHECK(x.owner == y.owner);
    CHECK(x.business_unit == y.business_unit);
    CHECK(x.tags == y.tags);
  }
  for (auto uv : a.edges()) {  // same order: both list edges by source, in file order
    const auto vu = *std::next(b.edges().begin(), static_cast<std::ptrdiff_t>(a.edge_index(uv)));
    CHECK(a.id(a.source(uv)) == b.id(b.source(vu)));
    CHECK(a.id(a.target(uv)) == b.id(b.target(vu)));
    CHECK(a[uv].kind == b[vu].kind);
    CHECK(a[uv].probability == b[vu].probability);
    CHECK(a[uv].vulnerabilities == b[vu].vulnerabilities);
  }
}

}  // namespace

TEST_CASE("OpenGraph round trip keeps the graph") {
  SUBCASE("the sample twin") {
    const twin t = load_twin(twinrisk_test::sample_twin_path());
    const auto [back, s] = import_opengraph_text(to_opengraph(t));
    check_same_graph(t, back);
    CHECK(s.unknown_types.empty());
    CHECK(s.unknown_relationships.empty());
    CHECK(s.records_by_type == name_counts{{"edges", t.num_edges()}, {"nodes", t.num_nodes()}});
  }
  SUBCASE("a BloodHound collection, exported with BloodHound's own kinds") {
    const twin t = import_bloodhound({twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-testlab/v6"}).twin;
    const std::string text = to_opengraph(t);
    CHECK(text.find(R"("kind":"AdminTo")") != std::string::npos);
    CHECK(text.find(R"("kinds":["Workstation","Computer"])") != std::string::npos);
    CHECK(text.find(R"("kinds":["User"])") != std::string::npos);
    const auto dir = twinrisk_test::scratch_dir("opengraph");
    write_opengraph_file(t, dir / "testlab.json");
    check_same_graph(t, import_opengraph(dir / "testlab.json").twin);
  }
}

TEST_CASE("OpenGraph from other tools: BloodHound kinds, custom kinds, match by name") {
  const auto [t, s] = import_opengraph_text(R"({"metadata":{"source_kind":"Okta"},"graph":{
    "nodes":[{"id":"u1","kinds":["User","Okta_User"],"properties":{"name":"ALICE","enabled":true,"team":"red"}},
             {"id":"c1","kinds":["Computer"],"properties":{"name":"WS1"}},
             {"id":"x1","kinds":["Okta_App"],"properties":{"name":"Payroll","isTierZero":true}},
             {"id":"a1","kinds":["AiAgent"]}],
    "edges":[{"kind":"AdminTo","start":{"value":"ALICE","match_by":"name"},"end":{"value":"c1"}},
             {"kind":"NetworkReach","start":{"value":"c1"},"end":{"value":"x1"},"properties":{"probability":0.25,"port":443}},
             {"kind":"Okta_CanAccess","start":{"value":"u1"},"end":{"value":"x1"}}]}})");
  CHECK(t.num_nodes() == 4);
  CHECK(t[t.at("u1")].kind == node_kind::user);
  CHECK(t[t.at("u1")].entry_point);  // enabled user
  CHECK(t[t.at("u1")].properties["team"] == "red");
  CHECK(t[t.at("c1")].kind == node_kind::host);
  CHECK(t[t.at("a1")].kind == node_kind::ai_agent);
  CHECK(t[t.at("a1")].name == "a1");
  CHECK(t[t.at("x1")].kind == node_kind::generic);
  CHECK(t[t.at("x1")].crown_jewel);  // tier zero
  REQUIRE(t.num_edges() == 2);
  CHECK(t[*t.edges().begin()].kind == edge_kind::admin_to);
  CHECK(t[*t.edges().begin()].probability == 0.9);  // BloodHound table default
  CHECK(s.unknown_types == name_counts{{"Okta_App", 1}});
  CHECK(s.unknown_relationships == name_counts{{"Okta_CanAccess", 1}});
  CHECK(s.properties_not_kept == name_counts{{"port", 1}});
  CHECK(s.edges_by_kind == name_counts{{"AdminTo", 1}, {"NetworkReach", 1}});
}

TEST_CASE("bad OpenGraph documents are rejected with a JSON pointer") {
  auto fails_with = [](const std::string& text, const std::string& message) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS((void)import_opengraph_text(text), message.c_str(), input_error);
  };
  fails_with(R"({"nodes":[]})", "g.json: expected an OpenGraph document: an object with \"graph\": {\"nodes\": [...], \"edges\": [...]}");
  fails_with(R"({"graph":{"nodes":[{"kinds":["User"]}]}})", "g.json: /graph/nodes/0: missing required member 'id'");
  fails_with(R"({"graph":{"nodes":[{"id":"a"},{"id":"a"}]}})", "g.json: /graph/nodes/1/id: duplicate node id 'a'");
  fails_with(R"({"graph":{"nodes":[{"id":"a","kinds":[3]}]}})", "g.json: /graph/nodes/0/kinds/0: expected a kind name (a string), got 3");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"b"}}]}})",
             "g.json: /graph/edges/0/end/value: no node has the id 'b'");
  fails_with(R"({"graph":{"nodes":[{"id":"a","properties":{"name":"N"}},{"id":"b","properties":{"name":"N"}}],
                 "edges":[{"kind":"AdminTo","start":{"value":"N","match_by":"name"},"end":{"value":"b"}}]}})",
             "g.json: /graph/edges/0/start/value: several nodes have the name 'N'");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a","match_by":"sid"},"end":{"value":"a"}}]}})",
             "g.json: /graph/edges/0/start/match_by: expected \"id\" or \"name\", got \"sid\"");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"},"properties":{"probability":"high"}}]}})",
             "g.json: /graph/edges/0/properties/probability: expected a number, got \"high\"");
  fails_with(R"({"graph":{"nodes":[{"id":"a","properties":{"twinrisk_kind":"laptop"}}]}})",
             "g.json: /graph/nodes/0/properties/twinrisk_kind: unknown node kind 'laptop'; did you mean 'api'?");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"},"properties":{"probability":1.5}}]}})",
             "g.json: /graph/edges/0/properties/probability: expected a probability in [0,1], got 1.5");
  // Not JSON: malformed, truncated, empty, non-finite and overflowing numbers (line and column).
  fails_with("{\"graph\":{\"nodes\":[\n  {\"id\":\"a\",}]}}",
             "g.json:2:13: malformed JSON: syntax error while parsing object key - unexpected '}'; expected string literal");
  fails_with(R"({"graph":{"nodes":[{"id":"a"},)",
             "g.json:1:31: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  fails_with("", "g.json:1:1: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"},"properties":{"probability":NaN}}]}})",
             "g.json:1:129: malformed JSON: syntax error while parsing value - invalid literal; last read: '\"probability\":N'");
  // nlohmann's overflow error names no line in a streamed document: the pointer says where.
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"},"properties":{"probability":1e999}}]}})",
             "g.json: /graph/edges/0/properties/probability: malformed JSON: number overflow parsing '1e999'");
  // A property nested deeper than kept properties may be (a hostile document, not a graph).
  fails_with(R"({"graph":{"nodes":[{"id":"a","properties":{"blob":)" + std::string(100000, '[') + std::string(100000, ']') + "}}]}}",
             "g.json: /graph/nodes/0/properties/blob: expected a value nested at most 128 levels deep, found more");
  // Duplicates, empty ids, missing or wrong arrays.
  fails_with(R"({"graph":{"nodes":[{"id":"a","id":"b"}]}})", "g.json: /graph/nodes/0/id: duplicate key 'id' in one object");
  fails_with(R"({"graph":{"nodes":[]},"graph":{}})", "g.json: /graph: duplicate key 'graph' in one object");
  fails_with(R"({"graph":{"nodes":[{"id":""}]}})", "g.json: /graph/nodes/0/id: expected a non-empty id");
  fails_with(R"({"graph":{"nodes":[{"id":7}]}})", "g.json: /graph/nodes/0/id: expected a string, got 7");
  fails_with(R"({"graph":{}})", "g.json: /graph/nodes: expected an array of nodes");
  fails_with(R"({"graph":{"edges":[]}})", "g.json: /graph/nodes: expected an array of nodes");
  fails_with(R"({"graph":{"nodes":{"id":"a"}}})", "g.json: /graph/nodes: expected an array of nodes");
  fails_with(R"({"graph":{"nodes":[],"edges":{}}})", "g.json: /graph/edges: expected an array of edges");
  fails_with(R"({"graph":[]})", "g.json: expected an OpenGraph document: an object with \"graph\": {\"nodes\": [...], \"edges\": [...]}");
  fails_with(R"({"graph":{"nodes":[7]}})", "g.json: /graph/nodes/0: expected an object, got 7");
  fails_with(R"({"graph":{"nodes":[{"id":"a","properties":[1]}]}})", "g.json: /graph/nodes/0/properties: expected an object, got an array");
  // Dangling and malformed edge ends.
  fails_with(R"({"graph":{"nodes":[{"id":"a","properties":{"name":"N"}}],
                 "edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"X","match_by":"name"}}]}})",
             "g.json: /graph/edges/0/end/value: no node has the name 'X'");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"}}]}})",
             "g.json: /graph/edges/0: missing required member 'end'");
  fails_with(R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":"a","end":{"value":"a"}}]}})",
             "g.json: /graph/edges/0/start: expected an object, got \"a\"");
  // CVEs and their CVSS vectors: one vector per CVE, each a valid vector, named by its own pointer.
  const std::string edge_with = R"({"graph":{"nodes":[{"id":"a"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"}},
                 {"kind":"Okta_Unknown","start":{"value":"a"},"end":{"value":"a"}},
                 {"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"},"properties":)";
  fails_with(edge_with + R"({"cves":["CVE-2024-1","CVE-2024-2"],"cvss":["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"]}}]}})",
             "g.json: /graph/edges/2/properties/cvss: expected one vector per CVE (2), got 1");
  fails_with(edge_with + R"({"cves":["CVE-2024-1","CVE-2024-2"],"cvss":["","CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"]}}]}})",
             "g.json: /graph/edges/2/properties/cvss/1: column 10: bad value 'X' for metric 'AV' (expected one of N, A, L, P)");
  fails_with(edge_with + R"({"cves":["CVE-2024-1"],"cvss":["CVSS:4.0/AV:N"]}}]}})",
             "g.json: /graph/edges/2/properties/cvss/0: column 14: expected metric 'AC', found the end of the vector");
  fails_with(edge_with + R"({"cves":["CVE-2024-1",7]}}]}})", "g.json: /graph/edges/2/properties/cves/1: expected a CVE id (a string), got 7");
  fails_with(edge_with + R"({"cves":["CVE-2024-1"],"cvss":[null]}}]}})",
             "g.json: /graph/edges/2/properties/cvss/0: expected a CVSS vector (a string), got null");
}

TEST_CASE("OpenGraph: valid CVSS vectors are kept; a graph of nodes only is a graph") {
  const auto [t, s] = import_opengraph_text(R"({"graph":{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"kind":"AdminTo","start":{"value":"a"},"end":{"value":"b"},
      "properties":{"cves":["CVE-2024-4577","CVE-2024-1"],"cvss":["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",""]}}]}})");
  (void)s;
  REQUIRE(t.num_edges() == 1);
  CHECK(t[*t.edges().begin()].vulnerabilities.to_vector() ==
        std::vector<vulnerability>{{"CVE-2024-4577", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, {"CVE-2024-1", ""}});
  // "edges" may be left out (OpenGraph's schema requires only "nodes").
  CHECK(import_opengraph_text(R"({"graph":{"nodes":[{"id":"a"}]}})").twin.num_nodes() == 1);
  // Nested property values up to the limit are kept as they are.
  const std::string deep = std::string(128, '[') + std::string(128, ']');
  const twin d = import_opengraph_text(R"({"graph":{"nodes":[{"id":"a","properties":{"blob":)" + deep + "}}]}}").twin;
  CHECK(d[0].properties["blob"].dump() == deep);
  // Deep values that are not kept (metadata, edge properties) are counted or skipped, never copied.
  const std::string very_deep = std::string(100000, '[') + std::string(100000, ']');
  const auto [e, es] = import_opengraph_text(R"({"metadata":{"x":)" + very_deep + R"(},"graph":{"nodes":[{"id":"a"}],"edges":[
      {"kind":"AdminTo","start":{"value":"a"},"end":{"value":"a"},"properties":{"blob":)" + very_deep + "}}]}}");
  CHECK(e.num_edges() == 1);
  CHECK(es.properties_not_kept == name_counts{{"blob", 1}});
}

TEST_CASE("OpenGraph files that cannot be read, and owned principals that are not there") {
  CHECK_THROWS_WITH_AS((void)import_opengraph("no/such/graph.json"), "no/such/graph.json: cannot open: No such file or directory",
                       input_error);
  const auto dir = twinrisk_test::scratch_dir("opengraph_dir");
  CHECK_THROWS_WITH_AS((void)import_opengraph(dir), (dir.string() + ": expected a file, found a directory").c_str(), input_error);
  CHECK_THROWS_WITH_AS((void)import_opengraph_text(R"({"graph":{"nodes":[{"id":"a"}]}})", {.entry = bloodhound_entry_rule::owned, .owned = {"nobody"}}),
                       "owned: no object has the id or name 'nobody'", input_error);
}
