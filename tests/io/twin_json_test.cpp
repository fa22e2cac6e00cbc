#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/io/twin_json.hpp"

using namespace twinrisk;

namespace {

// A twin that sets every field the format has, with values that do not survive sloppy printing.
twin every_field_twin() {
  twin_builder b;
  b.set_name("every field");
  b.set_currency("EUR");
  b.set_metadata({{"source", "unit test"}, {"nested", {{"n", 3}, {"list", {1, 2.5, "x"}}}}});
  b.add_node("web", {.name = "Web \"front\" ünïcode",
                     .kind = node_kind::web_application,
                     .tags = {"dmz", "pci"},
                     .owner = "team-web",
                     .business_unit = "Digital",
                     .entry_point = true,
                     .internet_exposed = true,
                     .crown_jewel = false,
                     .sanctioned = false,
                     .privileged = true,
                     .rating = criticality::high,
                     .gate = node_gate::all,
                     .loss = loss_magnitude{.primary = distribution_spec::pert(1e3, 2e4, 3.3e5),
                                            .secondary = distribution_spec::lognormal(0.1 + 0.2, 7e6),
                                            .secondary_probability = 1.0 / 3.0,
                                            .annual_cap = 9.75e6},
                     .evidence = {{evidence_status::blocked, "2026-09-18", "pentest", "WAF", "stopped"},
                                  {evidence_status::not_tested}},
                     .controls = {{control_kind::waf, "Cloud WAF", 0.5}, {control_kind::other, "", 0.0}},
                     .properties = {{"os", "linux"}, {"enabled", true}, {"score", 4.25}}});
  b.add_node("db", {.name = "DB", .kind = node_kind::database, .crown_jewel = true,
                    .loss = loss_magnitude{.primary = distribution_spec::constant(5e5)}});
  b.add_node("u", {.name = "U", .kind = node_kind::user,
                   .loss = loss_magnitude{.primary = {distribution_family::uniform, 1, 0, 2},
                                          .secondary = distribution_spec{distribution_family::triangular, 1, 2, 3},
                                          .secondary_probability = 0.0}});
  b.add_edge("web", "db", {.kind = edge_kind::exploits,
                           .probability = 0.1 + 0.2,
                           .vulnerabilities = {{"CVE-2024-4577", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                                               {"CVE-2099-0001", ""}},
                           .evidence = {{evidence_status::validated, "2026-01-02", "bas", "", "note"}},
                           .controls = {{control_kind::segmentation, "fw", 0.25}}});
  b.add_edge("db", "web", {.kind = edge_kind::data_flow, .probability = 1e-300});
  b.add_edge("u", "db", {.kind = edge_kind::admin_to, .probability = 0.0});
  b.add_threat({.id = "rw", .name = "Ransomware", .frequency = distribution_spec::lognormal(2, 12), .capability = 0.7,
                .detect_hours = distribution_spec::pert(1, 24, 720)},
               {{"web", 1.0}, {"u", 2.5}});
  b.add_threat({.id = "ins", .name = "Insider", .frequency = distribution_spec::constant(0.125)}, {{"u"}});
  return std::move(b).build();
}

void check_same_twin(const twin& a, const twin& b) {
  REQUIRE(a.num_nodes() == b.num_nodes());
  REQUIRE(a.num_edges() == b.num_edges());
  CHECK(a.info() == b.info());
  for (auto v : a.vertices()) {
    CHECK(a.id(v) == b.id(v));
    CHECK(a[v] == b[v]);
  }
  auto ea = a.edges().begin();
  for (auto eb : b.edges()) {
    CHECK(a.id(a.source(*ea)) == b.id(b.source(eb)));
    CHECK(a.id(a.target(*ea)) == b.id(b.target(eb)));
    CHECK(a[*ea] == b[eb]);
    ++ea;
  }
}

}  // namespace

TEST_CASE("round trip is exact") {
  SUBCASE("a twin with every field") {
    const twin t = every_field_twin();
    const std::string text = write_twin_json(t);
    const twin back = parse_twin_json(text);
    check_same_twin(t, back);
    CHECK(back[back.at("web")].loss->secondary->a == 0.1 + 0.2);  // not 0.3
    CHECK(write_twin_json(back) == text);
  }
  SUBCASE("the bundled sample twin, byte for byte") {
    const std::string text = detail::read_file(twinrisk_test::sample_twin_path());
    const twin t = parse_twin_json(text, "acme.twin.json");
    CHECK(t.num_nodes() == 688);
    CHECK(t.num_edges() == 2889);
    CHECK(write_twin_json(t) == text);
  }
  SUBCASE("through a file") {
    const auto dir = twinrisk_test::scratch_dir("twin_json_round_trip");
    const twin t = every_field_twin();
    write_twin_json_file(t, dir / "t.twin.json");
    check_same_twin(t, read_twin_json_file(dir / "t.twin.json"));
  }
}

TEST_CASE("the sample twin is internally consistent") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  CHECK(t.info().currency == "USD");
  CHECK(t.info().threats.size() == 4);
  CHECK(t.entry_points().size() == 2);
  const auto jewels = t.crown_jewels();
  CHECK(jewels.size() == 6);
  for (auto v : jewels) {
    CHECK_MESSAGE(t[v].loss.has_value(), t.id(v));  // every crown jewel says what its loss costs
    CHECK_MESSAGE(in_degree(v, t) > 0, t.id(v));    // and something can reach it
  }
  std::size_t vulns = 0, validated = 0, blocked = 0;
  for (auto uv : t.edges()) {
    vulns += t[uv].vulnerabilities.size();
    for (const auto& ev : t[uv].evidence) {
      validated += ev.status == evidence_status::validated;
      blocked += ev.status == evidence_status::blocked;
    }
  }
  CHECK(vulns >= 10);
  CHECK(validated >= 3);
  CHECK(blocked >= 1);
  CHECK(t.select([](const node& n) { return is_ai(n.kind) && !n.sanctioned; }).size() == 1);
  CHECK(t.nodes_of_kind(node_kind::ai_copilot).size() == 1);
  CHECK(t.nodes_of_kind(node_kind::third_party).size() == 1);
}

namespace {
struct bad_case {
  const char* name;
  std::string json;
  std::string message;
};

std::string doc(const std::string& nodes, const std::string& edges, const std::string& extra = "") {
  return R"({"twinrisk":1,)" + extra + R"("nodes":[)" + nodes + R"(],"edges":[)" + edges + "]}";
}
const std::string node_a = R"({"id":"a","kind":"host","name":"A"})";
const std::string node_b = R"({"id":"b","kind":"user","name":"B"})";
}  // namespace

TEST_CASE("malformed twins give an error with file, place, expectation and finding") {
  const std::vector<bad_case> cases = {
      {"not JSON", "{\"twinrisk\":1,\n  \"nodes\": [,]}", "t.json:2:13: malformed JSON: syntax error while parsing value - unexpected ','; expected '[', '{', or a literal"},
      {"truncated", doc(node_a, "").substr(0, 30), "t.json:1:31: malformed JSON: syntax error while parsing value - invalid string: missing closing quote; last read: '\"'"},
      {"empty file", "", "t.json:1:1: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"},
      {"top level not an object", "[]", "t.json: expected an object, got an array"},
      {"no version", R"({"nodes":[],"edges":[]})", "t.json: missing required member 'twinrisk'"},
      {"version not an integer", R"({"twinrisk":"1","nodes":[],"edges":[]})", "t.json: /twinrisk: expected the format version, an integer >= 1, got \"1\""},
      {"version too new", R"({"twinrisk":2,"nodes":[],"edges":[]})", "t.json: /twinrisk: format version 2 is newer than this reader's (1); upgrade twinrisk"},
      {"nodes not an array", R"({"twinrisk":1,"nodes":{},"edges":[]})", "t.json: /nodes: expected an array, got an object"},
      {"missing edges", R"({"twinrisk":1,"nodes":[]})", "t.json: missing required member 'edges'"},
      {"node missing id", doc(R"({"kind":"host","name":"A"})", ""), "t.json: /nodes/0: missing required member 'id'"},
      {"node missing name", doc(R"({"id":"a","kind":"host"})", ""), "t.json: /nodes/0: missing required member 'name'"},
      {"id wrong type", doc(R"({"id":7,"kind":"host","name":"A"})", ""), "t.json: /nodes/0/id: expected a string, got 7"},
      {"empty id", doc(R"({"id":"","kind":"host","name":"A"})", ""), "t.json: /nodes/0/id: expected a non-empty id"},
      {"unknown node kind", doc(R"({"id":"a","kind":"hots","name":"A"})", ""), "t.json: /nodes/0/kind: unknown node kind 'hots'; did you mean 'host'?"},
      {"unknown member", doc(R"({"id":"a","kind":"host","name":"A","crown_jewl":true})", ""), "t.json: /nodes/0/crown_jewl: unknown member 'crown_jewl'; expected 'crown_jewel'"},
      {"flag wrong type", doc(R"({"id":"a","kind":"host","name":"A","entry_point":"yes"})", ""), "t.json: /nodes/0/entry_point: expected true or false, got \"yes\""},
      {"duplicate key", doc(R"({"id":"a","kind":"host","name":"A","name":"B"})", ""), "t.json: /nodes/0/name: duplicate key 'name' in one object"},
      {"duplicate id", doc(node_a + "," + node_a, ""), "t.json: /nodes/1/id: duplicate node id 'a' (first at /nodes/0)"},
      {"tag wrong type", doc(R"({"id":"a","kind":"host","name":"A","tags":["x",3]})", ""), "t.json: /nodes/0/tags/1: expected a string, got 3"},
      {"bad criticality", doc(R"({"id":"a","kind":"host","name":"A","criticality":"severe"})", ""), "t.json: /nodes/0/criticality: unknown criticality 'severe'; did you mean 'medium'?"},
      {"edge missing probability", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to"})"), "t.json: /edges/0: missing required member 'probability'"},
      {"probability too large", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":1.7})"), "t.json: /edges/0/probability: expected a number in [0,1], got 1.7"},
      {"probability negative", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":-1e-9})"), "t.json: /edges/0/probability: expected a number in [0,1], got -1e-09"},
      {"probability a string", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":"0.5"})"), "t.json: /edges/0/probability: expected a number in [0,1], got \"0.5\""},
      {"probability NaN literal", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":NaN})"), "t.json:1:123: malformed JSON: syntax error while parsing value - invalid literal; last read: '\"probability\":N'"},
      {"probability overflows", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":1e999})"), "t.json:1:127: malformed JSON: number overflow parsing '1e999'"},
      {"unknown edge kind", doc(node_a, R"({"from":"a","to":"a","kind":"AdminTo","probability":1})"), "t.json: /edges/0/kind: unknown edge kind 'AdminTo'; did you mean 'admin_to'?"},
      {"dangling edge", doc(node_a, R"({"from":"a","to":"zed","kind":"admin_to","probability":1})"), "t.json: /edges/0/to: unknown node id 'zed'"},
      {"dangling edge source", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":1},{"from":"zed","to":"a","kind":"admin_to","probability":1})"), "t.json: /edges/1/from: unknown node id 'zed'"},
      {"edge hours bad distribution", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":1,"hours":{"dist":"lognormal","low":5,"high":1}})"), "t.json: /edges/0/hours: expected finite 0 < low < high for a lognormal distribution"},
      {"edge hours negative", doc(node_a, R"({"from":"a","to":"a","kind":"admin_to","probability":1,"hours":-3})"), "t.json: /edges/0/hours: expected a finite value >= 0 for a constant distribution"},
      {"bad CVSS vector", doc(node_a, R"({"from":"a","to":"a","kind":"exploits","probability":1,"vulnerabilities":[{"cve":"CVE-2024-1","cvss":"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]})"), "t.json: /edges/0/vulnerabilities/0/cvss: column 10: bad value 'X' for metric 'AV' (expected one of N, A, L, P)"},
      {"truncated CVSS vector", doc(node_a, R"({"from":"a","to":"a","kind":"exploits","probability":1,"vulnerabilities":[{"cve":"CVE-2024-1"},{"cve":"CVE-2024-2","cvss":"CVSS:3.1/AV:N"}]})"), "t.json: /edges/0/vulnerabilities/1/cvss: column 14: missing base metrics AC, PR, UI, S, C, I, A (expected all of AV, AC, PR, UI, S, C, I, A)"},
      {"vulnerability without cve", doc(node_a, R"({"from":"a","to":"a","kind":"exploits","probability":1,"vulnerabilities":[{"cvss":"x"}]})"), "t.json: /edges/0/vulnerabilities/0: missing required member 'cve'"},
      {"evidence status unknown", doc(node_a, R"({"from":"a","to":"a","kind":"exploits","probability":1,"evidence":[{"status":"passed"}]})"), "t.json: /edges/0/evidence/0/status: unknown evidence status 'passed'; did you mean 'blocked'?"},
      {"evidence bad date", doc(node_a, R"({"from":"a","to":"a","kind":"exploits","probability":1,"evidence":[{"status":"validated","date":"18/09/2026"}]})"), "t.json: /edges/0/evidence/0/date: expected a date YYYY-MM-DD, got '18/09/2026'"},
      {"control effectiveness", doc(R"({"id":"a","kind":"host","name":"A","controls":[{"kind":"edr","effectiveness":2}]})", ""), "t.json: /nodes/0/controls/0/effectiveness: expected a number in [0,1], got 2"},
      {"loss without currency", doc(R"({"id":"a","kind":"host","name":"A","loss":{"primary":1000}})", ""), "t.json: /currency: expected a currency: node 'a' states a loss in money"},
      {"loss bad distribution", doc(R"({"id":"a","kind":"host","name":"A","loss":{"primary":{"dist":"lognormal","low":5,"high":1}}})", "", R"("currency":"USD",)"), "t.json: /nodes/0/loss/primary: expected finite 0 < low < high for a lognormal distribution"},
      {"loss unknown distribution", doc(R"({"id":"a","kind":"host","name":"A","loss":{"primary":{"dist":"normal","mean":5}}})", "", R"("currency":"USD",)"), "t.json: /nodes/0/loss/primary/dist: unknown distribution 'normal'; did you mean 'lognormal'?"},
      {"loss missing parameter", doc(R"({"id":"a","kind":"host","name":"A","loss":{"primary":{"dist":"pert","min":1,"max":3}}})", "", R"("currency":"USD",)"), "t.json: /nodes/0/loss/primary: missing required member 'mode'"},
      {"secondary without probability", doc(R"({"id":"a","kind":"host","name":"A","loss":{"primary":1,"secondary":2}})", "", R"("currency":"USD",)"), "t.json: /nodes/0/loss: missing required member 'secondary_probability'"},
      {"bad currency", doc(node_a, "", R"("currency":"dollars",)"), "t.json: /currency: expected an ISO 4217 code such as \"USD\", got \"dollars\""},
      {"threat unknown entry", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":["nope"]}],)"), "t.json: /threats/0/entry_points/0/node: unknown node id 'nope'"},
      {"threat no entries", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":[]}],)"), "t.json: /threats/0/entry_points: expected at least one entry point"},
      {"threat bad detection", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":["a"],"detect_hours":{"dist":"lognormal","low":5,"high":1}}],)"), "t.json: /threats/0/detect_hours: expected finite 0 < low < high for a lognormal distribution"},
      {"threat negative frequency", doc(node_a, "", R"("threats":[{"id":"t","frequency":-2,"entry_points":["a"]}],)"), "t.json: /threats/0/frequency: expected a finite value >= 0 for a constant distribution"},
      {"threat duplicate id", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":["a"]},{"id":"t","frequency":2,"entry_points":["a"]}],)"), "t.json: /threats/1/id: duplicate threat id 't' (first at /threats/0)"},
      {"threat empty id", doc(node_a, "", R"("threats":[{"id":"","frequency":1,"entry_points":["a"]}],)"), "t.json: /threats/0/id: expected a non-empty id"},
      {"threat capability above 1", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"capability":1.5,"entry_points":["a"]}],)"), "t.json: /threats/0/capability: expected a number in (0,1], got 1.5"},
      {"threat capability 0", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"capability":0,"entry_points":["a"]}],)"), "t.json: /threats/0/capability: expected a number in (0,1], got 0"},
      {"threat entry weight 0", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":[{"node":"a","weight":0}]}],)"), "t.json: /threats/0/entry_points/0/weight: expected a finite weight > 0, got 0"},
      {"threat entry weight negative", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":["a",{"node":"a","weight":-2}]}],)"), "t.json: /threats/0/entry_points/1/weight: expected a finite weight > 0, got -2"},
      {"threat entry weight a string", doc(node_a, "", R"("threats":[{"id":"t","frequency":1,"entry_points":[{"node":"a","weight":"1"}]}],)"), "t.json: /threats/0/entry_points/0/weight: expected a number, got \"1\""},
      {"annual cap negative", doc(R"({"id":"a","kind":"host","name":"A","loss":{"primary":1,"annual_cap":-1}})", "", R"("currency":"USD",)"), "t.json: /nodes/0/loss/annual_cap: expected a finite amount >= 0, got -1"},
      {"invalid UTF-8 in a string", doc("{\"id\":\"a\",\"kind\":\"host\",\"name\":\"\xff\"}", ""), "t.json:1:56: malformed JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"\xEF\xBF\xBD'"},  // the byte becomes U+FFFD
      {"truncated UTF-8 sequence", doc("{\"id\":\"a\",\"kind\":\"host\",\"name\":\"caf\xc3\"}", ""), "t.json:1:60: malformed JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"caf\xEF\xBF\xBD\"'"},
      {"nesting too deep", doc(node_a, "", R"("metadata":)" + std::string(100000, '[') + std::string(100000, ']') + ","), "t.json:1:281: expected arrays and objects nested at most 256 levels deep, found more"},
      {"unknown top-level member", R"({"twinrisk":1,"nodes":[],"edges":[],"node":[]})", "t.json: /node: unknown member 'node'; expected 'nodes' or 'name'"},
      {"properties not an object", doc(R"({"id":"a","kind":"host","name":"A","properties":[1]})", ""), "t.json: /nodes/0/properties: expected an object, got an array"},
      {"pointer escapes", doc(R"({"id":"a","kind":"host","name":"A","a/b~c":1})", ""), "t.json: /nodes/0/a~1b~0c: unknown member 'a/b~c'; expected 'id'"},
  };
  for (const bad_case& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    CHECK_THROWS_WITH_AS((void)parse_twin_json(c.json, "t.json"), c.message.c_str(), input_error);
  }
}

TEST_CASE("nesting is limited before parsing, so no later copy or write can overflow the stack") {
  const std::size_t limit = detail::max_twin_json_depth;
  const auto nested = [](std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); };
  // Brackets inside strings do not count; the top-level object is the first level.
  const std::string ok = doc(node_a, "", R"("metadata":{"text":"[[[{{{\"[[","deep":)" + nested(limit - 2) + "},");
  const twin t = parse_twin_json(ok, "t.json");
  CHECK(t.info().metadata["text"] == "[[[{{{\"[[");
  check_same_twin(t, parse_twin_json(write_twin_json(t), "t.json"));
  const std::string too_deep = doc(node_a, "", R"("metadata":{"deep":)" + nested(limit - 1) + "},");
  CHECK_THROWS_WITH_AS((void)parse_twin_json(too_deep, "t.json"),
                       ("t.json:1:" + std::to_string(too_deep.find('[') + limit - 1) +
                        ": expected arrays and objects nested at most 256 levels deep, found more").c_str(),
                       input_error);
}

TEST_CASE("errors carry their location as data, too") {
  try {
    (void)parse_twin_json(doc(node_a + "," + node_b, R"({"from":"a","to":"b","kind":"owns","probability":7})"), "x.json");
    FAIL("no error");
  } catch (const input_error& e) {
    CHECK(e.where().file == "x.json");
    CHECK(e.where().pointer == "/edges/0/probability");
    CHECK(e.reason() == "expected a number in [0,1], got 7");
  }
}

TEST_CASE("error messages are valid UTF-8 even when the input is not") {
  // Every byte outside a well-formed sequence (Unicode 15, table 3-7) becomes U+FFFD.
  const std::string r = "\xEF\xBF\xBD";
  struct row { std::string in, out; };
  const std::vector<row> rows = {
      {"plain", "plain"},
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},  // 2, 3, 4 bytes
      {"caf\xE9", "caf" + r},                                   // Latin-1
      {"\xC0\xAF", r + r},                                      // overlong '/'
      {"\xED\xA0\x80", r + r + r},                              // a surrogate
      {"\xF4\x90\x80\x80", r + r + r + r},                      // above U+10FFFF
      {"x\xE2\x82", "x" + r + r},                               // cut short at the end
      {"\xE2\x82x", r + r + "x"},                               // cut short by ASCII
      {std::string("a\0b", 3), std::string("a\0b", 3)},        // NUL is UTF-8
  };
  for (const row& x : rows) {
    CAPTURE(x.in);
    CHECK(detail::valid_utf8(x.in) == x.out);
    CHECK(model_error(x.in).what() == x.out.substr(0, x.out.find('\0')));
  }
  // The reader quotes the bytes it stopped at; the message can still go into JSON.
  try {
    (void)parse_twin_json("{\"twinrisk\":1,\"name\":\"caf\xE9\"}", "t\xFF.json");
    FAIL("no error");
  } catch (const input_error& e) {
    const std::string what = e.what();
    CHECK(what.rfind("t" + r + ".json:1:", 0) == 0);
    CHECK(what.find(r) != std::string::npos);
    CHECK(e.where().file == "t" + r + ".json");
    CHECK_NOTHROW((void)detail::json(what).dump());
  }
}

TEST_CASE("files that cannot be read are input errors naming the file") {
  CHECK_THROWS_WITH_AS((void)read_twin_json_file("no/such/file.twin.json"),
                       "no/such/file.twin.json: cannot open: No such file or directory", input_error);
  const auto dir = twinrisk_test::scratch_dir("twin_json_dir");
  CHECK_THROWS_WITH_AS((void)read_twin_json_file(dir), (dir.string() + ": expected a file, found a directory").c_str(),
                       input_error);
}

TEST_CASE("a failed write leaves the old file intact") {
  const auto dir = twinrisk_test::scratch_dir("twin_json_write");
  const twin t = twinrisk_test::small_twin();
  write_twin_json_file(t, dir / "t.twin.json");
  CHECK_THROWS_AS(write_twin_json_file(t, dir / "missing-folder" / "t.twin.json"), error);
  CHECK(read_twin_json_file(dir / "t.twin.json").num_nodes() == 4);
}

TEST_CASE("the JSON Schema lists exactly the names the reader accepts") {
  const auto schema = detail::parse_json(detail::read_file(twinrisk_test::source_dir() / "docs/schemas/twin.schema.json"),
                                         "twin.schema.json");
  auto names_in = [](const nlohmann::json& e) { return e.get<std::vector<std::string>>(); };
  auto table = [](const auto& names) { return std::vector<std::string>(names.names.begin(), names.names.end()); };
  const auto& defs = schema.at("$defs");
  CHECK(names_in(defs.at("node").at("properties").at("kind").at("enum")) == table(node_kind_names));
  CHECK(names_in(defs.at("edge").at("properties").at("kind").at("enum")) == table(edge_kind_names));
  CHECK(names_in(defs.at("node").at("properties").at("criticality").at("enum")) == table(criticality_names));
  CHECK(names_in(defs.at("node").at("properties").at("gate").at("enum")) == table(node_gate_names));
  const auto& evidence = defs.at("edge").at("properties").at("evidence").at("items").at("properties");
  CHECK(names_in(evidence.at("status").at("enum")) == table(evidence_status_names));
  const auto& controls = defs.at("edge").at("properties").at("controls").at("items").at("properties");
  CHECK(names_in(controls.at("kind").at("enum")) == table(control_kind_names));
  CHECK(schema.at("properties").at("twinrisk").at("const").get<int>() == twin_format_version);
}
