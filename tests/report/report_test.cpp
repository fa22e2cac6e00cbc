// Reports: figures against closed forms on a small twin (statistical bounds of 5 standard
// errors: a false failure has probability below 1e-6 per check), the score formula by hand,
// every persona in every format on the sample twin and on an imported BloodHound collection,
// the JSON against docs/schemas/report.schema.json, escaping of hostile names, and DOT through Graphviz.

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test_twins.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/load.hpp"
#include "twinrisk/model/assumed_scenario.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/report/build_report.hpp"
#include "twinrisk/report/report_dot.hpp"
#include "twinrisk/report/report_html.hpp"
#include "twinrisk/report/report_json.hpp"
#include "twinrisk/report/report_markdown.hpp"

using namespace twinrisk;
using json = nlohmann::json;

namespace {

/// internet -> web -> db (0.6 · 0.5) and internet -> agent -> db (0.5 · 0.4); db loses 1 M per
/// compromise; 2 attacks a year. P(db) = 1 - (1 - 0.3)(1 - 0.2) = 0.44; ALE = 2 · 0.44 · 1 M.
twin closed_form_twin(std::string agent_name = "Support agent", nlohmann::json metadata = nullptr) {
  twin_builder b;
  b.set_name("closed form");
  b.set_currency("EUR");
  b.set_metadata(std::move(metadata));
  b.add_node("internet", {.name = "Internet", .kind = node_kind::internet, .entry_point = true});
  b.add_node("web", {.name = "Web shop", .kind = node_kind::web_application});
  b.add_node("agent", {.name = std::move(agent_name), .kind = node_kind::ai_agent, .owner = "support", .sanctioned = false});
  b.add_node("db", {.name = "Orders DB", .kind = node_kind::database, .crown_jewel = true,
                    .loss = loss_magnitude{.primary = distribution_spec::constant(1e6)}});
  b.add_edge("internet", "web", {.kind = edge_kind::exploits, .probability = 0.6});
  b.add_edge("web", "db", {.kind = edge_kind::network_reach, .probability = 0.5});
  b.add_edge("internet", "agent", {.kind = edge_kind::prompt_injection, .probability = 0.5});
  b.add_edge("agent", "db", {.kind = edge_kind::can_access, .probability = 0.4});
  b.add_threat({.id = "crime", .name = "Criminals", .frequency = distribution_spec::constant(2.0)}, {{"internet"}});
  return std::move(b).build();
}

bool within_5_se(double estimate, double truth, double p_for_se, std::uint64_t n) {
  return std::abs(estimate - truth) <= 5.0 * std::sqrt(p_for_se * (1.0 - p_for_se) / static_cast<double>(n)) + 1e-12;
}

/// A small validator for the JSON Schema keywords docs/schemas/report.schema.json uses: type, enum,
/// required, properties, additionalProperties: false, items, minimum, maximum, $ref to $defs.
/// Returns the first violation as "pointer: what", or "" when `j` conforms.
std::string violation(const json& schema, const json& root, const json& j, const std::string& at) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    return violation(root["$defs"][ref.substr(std::string("#/$defs/").size())], root, j, at);
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), j) == schema["enum"].end())
    return at + ": " + j.dump() + " is not in the enum";
  if (schema.contains("type")) {
    auto is = [&](const std::string& type) {
      return (type == "object" && j.is_object()) || (type == "array" && j.is_array()) || (type == "string" && j.is_string()) ||
             (type == "boolean" && j.is_boolean()) || (type == "null" && j.is_null()) || (type == "number" && j.is_number()) ||
             (type == "integer" && (j.is_number_integer() || j.is_number_unsigned()));
    };
    const json types = schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
    if (std::none_of(types.begin(), types.end(), [&](const json& type) { return is(type.get<std::string>()); }))
      return at + ": expected " + schema["type"].dump() + ", got " + j.dump();
  }
  if (j.is_number()) {
    if (schema.contains("minimum") && j.get<double>() < schema["minimum"].get<double>()) return at + ": below the minimum";
    if (schema.contains("maximum") && j.get<double>() > schema["maximum"].get<double>()) return at + ": above the maximum";
  }
  if (j.is_object()) {
    for (const auto& name : schema.value("required", json::array()))
      if (!j.contains(name.get<std::string>())) return at + ": missing " + name.get<std::string>();
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, value] : j.items()) {
      if (!properties.contains(name)) {
        if (schema.value("additionalProperties", true) == false) return at + "/" + name + ": not in the schema";
        continue;
      }
      if (std::string v = violation(properties[name], root, value, at + "/" + name); !v.empty()) return v;
    }
  }
  if (j.is_array() && schema.contains("items"))
    for (std::size_t i = 0; i < j.size(); ++i)
      if (std::string v = violation(schema["items"], root, j[i], at + "/" + std::to_string(i)); !v.empty()) return v;
  return "";
}

json report_schema() {
  std::ifstream in(twinrisk_test::source_dir() / "docs/schemas/report.schema.json");
  return json::parse(in);
}

/// Quick settings: the figures' shape, not their precision, is under test on the big twins.
const report_options quick{.trials = 4096, .years = 8192, .plan_years = 4096, .max_actions = 4};

/// Renders every persona in every format and checks what each must (and must not) contain.
void check_all_renderings(const risk_report& r) {
  const json schema = report_schema();
  for (persona who : {persona::engineer, persona::responder, persona::ciso, persona::all}) {
    CAPTURE(to_string(who));
    const json j = json::parse(report_json(r, who).dump());
    CHECK(violation(schema, schema, j, "") == "");
    const report_sections show = sections_of(who);
    CHECK(j.contains("score") == show.score);
    CHECK(j.contains("remediation") == show.remediation);
    CHECK(j.contains("decisions") == show.decisions);
    CHECK(j.contains("paths") == show.paths);
    CHECK(j.contains("loss") == (show.loss && r.losses.has_value()));
    const std::string md = report_markdown(r, who), html = report_html(r, who);
    CHECK(md.rfind("# Risk report", 0) == 0);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("</html>") != std::string::npos);
    // Self-contained: no script, no external reference (SVG's namespace is an identifier, not a fetch).
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("href=") == std::string::npos);
    CHECK(html.find("url(http") == std::string::npos);
    for (const crown_jewel_risk& c : r.crown_jewels)
      if (show.crown_jewels) CHECK(md.find(detail::markdown_text(c.node.name)) != std::string::npos);
    if (show.score) CHECK(md.find("Risk score: " + std::to_string(r.score.score) + " / 100") != std::string::npos);
    if (show.remediation && !r.remediation.plan.empty()) CHECK(md.find("Fixes in order of value") != std::string::npos);
    if (who == persona::responder && !r.paths.empty()) {
      CHECK(md.find("Entry: ") != std::string::npos);
      CHECK(md.find("Target: ") != std::string::npos);
      CHECK(md.find("Business impact") != std::string::npos);
    }
  }
  const std::string dot = attack_paths_dot(r);
  CHECK(dot.rfind("digraph ", 0) == 0);
  for (const report_path& p : r.paths) CHECK(dot.find(detail::dot_quoted(p.entry.id)) != std::string::npos);
}

}  // namespace

TEST_CASE("report of a small twin: paths, probabilities, loss, AI reach and plan against closed forms") {
  const twin t = closed_form_twin();
  const risk_report r = build_report(t, nullptr, {.trials = 40'000, .years = 40'960, .plan_years = 8192, .risk_appetite = 1e6});
  CHECK(r.twin.nodes == 4);
  CHECK(r.twin.identities == 0);
  CHECK(r.twin.ai_assets == 1);
  CHECK(r.parameters.view == "theoretical");
  // Both simple paths, most probable first, with the money at their end.
  REQUIRE(r.paths.size() == 2);
  CHECK(r.paths[0].probability == doctest::Approx(0.3));
  CHECK(r.paths[0].steps[0].to.id == "web");
  CHECK(r.paths[1].probability == doctest::Approx(0.2));
  CHECK(r.paths[1].steps[0].to.id == "agent");
  CHECK(r.paths[0].event_loss == 1e6);
  CHECK(r.paths[0].expected_loss() == doctest::Approx(3e5));
  CHECK(r.paths[0].steps.back().probability == 0.5);
  // The crown jewel: P = 0.44.
  REQUIRE(r.crown_jewels.size() == 1);
  CHECK(within_5_se(r.crown_jewels[0].compromise.p, 0.44, 0.44, 40'000));
  CHECK(r.crown_jewels[0].compromise.lo <= r.crown_jewels[0].compromise.p);
  CHECK(r.p_any_crown_jewel.p == r.crown_jewels[0].compromise.p);
  // ALE = 2 · 0.44 · 1 M = 880 k.
  REQUIRE(r.losses);
  CHECK(std::abs(r.losses->ale() - 880'000.0) <= 5.0 * r.losses->ale_se());
  CHECK(r.crown_jewels[0].ale == doctest::Approx(r.losses->ale()));
  // The shadow agent reaches the database with probability 0.4.
  REQUIRE(r.ai.size() == 1);
  CHECK_FALSE(r.ai[0].sanctioned);
  CHECK(r.ai[0].analysed);
  CHECK(r.ai[0].owner == "support");
  REQUIRE(r.ai[0].reaches.size() == 1);
  CHECK(r.ai[0].reaches[0].crown_jewel.id == "db");
  CHECK(within_5_se(r.ai[0].reaches[0].probability.p, 0.4, 0.4, 40'000));
  // The score from the report's own ALE and probability by the documented formula.
  const double x = r.losses->ale() / 1e6;
  CHECK(r.score.score == std::lround(0.6 * 100 * x / (1 + x) + 0.4 * 100 * r.p_any_crown_jewel.p));
  CHECK_FALSE(r.score.appetite_assumed);
  CHECK(r.score.p_exceed_appetite == r.losses->exceedance(1e6));
  // The plan: each step lowers edges of the twin; their ends are split into identities and assets.
  REQUIRE_FALSE(r.remediation.plan.empty());
  for (const report_action& a : r.remediation.plan) {
    CHECK_FALSE(a.edges.empty());
    CHECK(a.identities.empty());
    CHECK(a.delta_ale_lo <= a.delta_ale);
    CHECK(a.delta_ale <= a.delta_ale_hi);
  }
  // The cut separates: no path survives without its edges (checked by a search on the rest).
  REQUIRE(r.remediation.cut_cost);
  std::vector<double> p = edge_probabilities(t);
  for (const report_edge& e : r.remediation.cut) p[twinrisk_test::edge_index_of(t, e.from.id.c_str(), e.to.id.c_str())] = 0.0;
  const auto found = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(),
                                           boost::make_iterator_property_map(p.cbegin(), t.edge_index_map()), {.k = 1});
  CHECK(found.paths.empty());
  check_all_renderings(r);
}

TEST_CASE("risk score: the documented formula at its landmarks; bands") {
  CHECK(risk_score(1e6, 1e6, 0.5).score == 50);  // money 50, probability 50
  CHECK(risk_score(1e6, 1e6, 0.5).band == "high");
  CHECK(risk_score(3e6, 1e6, 1.0).money_component == doctest::Approx(75.0));
  CHECK(risk_score(3e6, 1e6, 1.0).score == 85);
  CHECK(risk_score(9e6, 1e6, 0.0).money_component == doctest::Approx(90.0));
  CHECK(risk_score(0.0, 1e6, 0.0).score == 0);
  CHECK(risk_score(0.0, 1e6, 0.0).band == "low");
  const report_score no_money = risk_score(std::nullopt, 1e6, 0.3);
  CHECK(no_money.score == 30);
  CHECK_FALSE(no_money.has_money);
  CHECK(no_money.band == "moderate");
  CHECK(risk_band(24) == "low");
  CHECK(risk_band(25) == "moderate");
  CHECK(risk_band(74) == "high");
  CHECK(risk_band(75) == "critical");
}

TEST_CASE("risk appetite: options, then the twin's metadata, then the default flagged as assumed; bad values named") {
  const report_options o{.trials = 1024, .years = 2048, .plan_years = 1024, .max_actions = 1};
  const risk_report stated = build_report(closed_form_twin("a", {{"risk_appetite", 2.5e6}}), nullptr, o);
  CHECK(stated.score.appetite == 2.5e6);
  CHECK_FALSE(stated.score.appetite_assumed);
  const risk_report assumed = build_report(closed_form_twin(), nullptr, o);
  CHECK(assumed.score.appetite == default_risk_appetite);
  CHECK(assumed.score.appetite_assumed);
  CHECK(report_markdown(assumed, persona::ciso).find("No risk appetite was stated") != std::string::npos);
  CHECK_THROWS_WITH_AS((void)build_report(closed_form_twin("a", {{"risk_appetite", "lots"}}), nullptr, o),
                       doctest::Contains("/metadata/risk_appetite: expected a positive amount"), input_error);
  CHECK_THROWS_WITH_AS((void)build_report(closed_form_twin("a", {{"risk_appetite", -1}}), nullptr, o),
                       doctest::Contains("/metadata/risk_appetite"), input_error);
  report_options negative = o;
  negative.risk_appetite = 0.0;
  CHECK_THROWS_AS((void)build_report(closed_form_twin(), nullptr, negative), input_error);
}

TEST_CASE("hostile names are escaped in Markdown, HTML and DOT") {
  const std::string evil = "<script>alert(\"x\")</script> | *bold* [link](http://e.test) \\ `code`";
  const twin t = closed_form_twin(evil);
  const risk_report r = build_report(t, nullptr, {.trials = 1024, .years = 2048, .plan_years = 1024, .max_actions = 1});
  for (persona who : {persona::responder, persona::all}) {
    const std::string html = report_html(r, who), md = report_markdown(r, who);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)") != std::string::npos);
    CHECK(md.find("<script") == std::string::npos);
    CHECK(md.find("&lt;script&gt;") != std::string::npos);
    CHECK(md.find("\\| \\*bold\\* \\[link\\]") != std::string::npos);
  }
  const std::string dot = attack_paths_dot(r);
  CHECK(dot.find("alert(\\\"x\\\")") != std::string::npos);
  CHECK(dot.find("\\\\ `code`") != std::string::npos);
}

TEST_CASE("a twin without threats or losses: every section but the money, and the reason") {
  const risk_report r = build_report(twinrisk_test::small_twin(), nullptr, quick);
  CHECK_FALSE(r.losses);
  CHECK(r.no_loss_reason == "the twin states no threats");
  CHECK(r.remediation.plan.empty());
  CHECK_FALSE(r.score.has_money);
  CHECK(r.score.score == std::lround(100 * r.p_any_crown_jewel.p));
  CHECK(within_5_se(r.p_any_crown_jewel.p, 0.125, 0.125, 4096));  // 0.5 · 0.25
  CHECK(report_json(r, persona::ciso)["no_loss_reason"] == "the twin states no threats");
  CHECK(report_markdown(r, persona::ciso).find("No money figures") != std::string::npos);
  check_all_renderings(r);
}

TEST_CASE("a directory: tier zero is a finding of its own; paths end where they enter it") {
  // alice -generic_all-> DA (tier zero) -tier_zero_of-> corp; DA -member_of-> Administrators (tier
  // zero) -tier_zero_of-> corp; bob reaches nothing. Two principals hold tier zero (admin, DA's member).
  twin_builder b;
  auto in_corp = nlohmann::json{{"domain", "CORP.LOCAL"}};
  b.add_node("alice", {.name = "ALICE@CORP.LOCAL", .kind = node_kind::user, .entry_point = true, .properties = in_corp});
  b.add_node("bob", {.name = "BOB@CORP.LOCAL", .kind = node_kind::user, .entry_point = true, .properties = in_corp});
  b.add_node("admin", {.name = "ADMIN@CORP.LOCAL", .kind = node_kind::user, .tier_zero = std::string("member of DOMAIN ADMINS@CORP.LOCAL"),
                       .properties = in_corp});
  b.add_node("da", {.name = "DOMAIN ADMINS@CORP.LOCAL", .kind = node_kind::group, .tier_zero = std::string("Domain Admins"), .properties = in_corp});
  b.add_node("adm", {.name = "ADMINISTRATORS@CORP.LOCAL", .kind = node_kind::group, .tier_zero = std::string("Administrators"),
                     .properties = in_corp});
  b.add_node("corp", {.name = "CORP.LOCAL", .kind = node_kind::domain, .crown_jewel = true, .tier_zero = std::string("domain head")});
  b.add_edge("alice", "da", {.kind = edge_kind::generic_all, .probability = 0.9});
  b.add_edge("admin", "da", {.kind = edge_kind::member_of, .probability = 1.0});
  b.add_edge("da", "adm", {.kind = edge_kind::member_of, .probability = 1.0});
  for (const char* z : {"admin", "da", "adm"}) b.add_edge(z, "corp", {.kind = edge_kind::tier_zero_of, .probability = 1.0});
  const risk_report r = build_report(b.build(), nullptr, quick);
  REQUIRE(r.tier_zero);
  CHECK(r.tier_zero->objects == 4);
  CHECK(r.tier_zero->principals == 3);
  REQUIRE(r.tier_zero->listed.size() == 3);
  CHECK(r.tier_zero->listed[0].name == "ADMIN@CORP.LOCAL");  // users first, then groups by name
  CHECK(r.tier_zero->listed[1].name == "ADMINISTRATORS@CORP.LOCAL");
  CHECK(r.tier_zero->exposure.principals == 2);
  CHECK(r.tier_zero->exposure.exposed == 1);  // alice
  // One path: alice -> DA -> CORP.LOCAL, not again through Administrators.
  REQUIRE(r.paths.size() == 1);
  CHECK(r.paths[0].steps.size() == 2);
  CHECK(r.paths[0].probability == 0.9);
  const auto j = report_json(r, persona::ciso);
  CHECK(j["tier_zero"]["exposure"]["exposed"] == 1);
  CHECK(report_markdown(r, persona::engineer).find("## Tier zero") != std::string::npos);
  CHECK(report_markdown(r, persona::responder).find("## Tier zero") == std::string::npos);
  check_all_renderings(r);
}

TEST_CASE("the sample twin: every persona and format; the same report sequentially and in parallel") {
  const twin t = load_twin(twinrisk_test::sample_twin_path().string());
  const risk_report r = build_report(t, nullptr, quick);
  CHECK(r.twin.name == "Acme Payments (fictional sample)");
  CHECK(r.score.appetite == 5e6);  // stated in the sample's metadata
  CHECK_FALSE(r.score.appetite_assumed);
  CHECK(r.paths.size() == 10);
  CHECK(r.crown_jewels.size() == t.crown_jewels().size());
  CHECK(r.ai.size() == t.select([](const node& n) { return is_ai(n.kind); }).size());
  std::size_t shadow = 0;
  for (const ai_asset& a : r.ai) shadow += a.sanctioned ? 0 : 1;
  CHECK(shadow == t.select([](const node& n) { return is_ai(n.kind) && !n.sanctioned; }).size());
  REQUIRE(r.losses);
  CHECK_FALSE(r.remediation.plan.empty());
  check_all_renderings(r);
  const risk_report sequential = build_report(t, nullptr, quick, seq);
  CHECK(report_json(sequential, persona::all) == report_json(r, persona::all));
}

TEST_CASE("an imported BloodHound collection (TESTLAB.LOCAL): with and without an assumed scenario") {
  const auto imported =
      import_bloodhound({twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-testlab/v6"}, {.entry = bloodhound_entry_rule::owned,
                                                                                                        .owned = {"S-1-5-21-3130019616-2776909439-2417379446-1105"}});
  const risk_report plain = build_report(imported.twin, nullptr, quick);
  CHECK_FALSE(plain.losses);
  CHECK(plain.ai.empty());
  CHECK_FALSE(plain.paths.empty());
  check_all_renderings(plain);
  const twin priced = with_assumed_scenario(imported.twin);
  const risk_report r = build_report(priced, nullptr, quick);
  REQUIRE(r.losses);
  CHECK(r.twin.currency == "USD");
  // BloodHound's README path: user 1105 is admin to computer 1104, where user 2117 has a session.
  bool found = false;
  for (const report_path& p : r.paths)
    for (const report_step& s : p.steps) found |= s.edge_kind == "has_session";
  CHECK(found);
  check_all_renderings(r);
}

TEST_CASE("DOT: the neighbourhood within a radius, and Graphviz accepts both graphs when installed") {
  const twin t = closed_form_twin();
  const auto p = get(&edge::probability, t);
  const std::string one = neighbourhood_dot(t, t.at("web"), p, {.radius = 1});
  CHECK(one.find("\"internet\" [") != std::string::npos);
  CHECK(one.find("\"db\" [") != std::string::npos);
  CHECK(one.find("\"agent\" [") == std::string::npos);  // two hops from the web shop
  CHECK(one.find("\"web\" -> \"db\"") != std::string::npos);
  CHECK(one.find("p=0.50") != std::string::npos);
  const std::string two = neighbourhood_dot(t, t.at("web"), p, {.radius = 2});
  CHECK(two.find("\"agent\" [") != std::string::npos);
  CHECK(neighbourhood_dot(t, t.at("web"), p, {.radius = 2, .max_nodes = 2}).find("\"agent\" [") == std::string::npos);
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    MESSAGE("Graphviz not installed: DOT not rendered");
    return;
  }
  const auto dir = twinrisk_test::scratch_dir("report_dot");
  const risk_report r = build_report(t, nullptr, {.trials = 1024, .years = 2048, .plan_years = 1024, .max_actions = 1});
  std::ofstream(dir / "paths.dot") << attack_paths_dot(r);
  std::ofstream(dir / "around.dot") << two;
  for (const char* name : {"paths", "around"}) {
    const std::string cmd = "dot -Tsvg '" + (dir / name).string() + ".dot' -o '" + (dir / name).string() + ".svg'";
    CHECK(std::system(cmd.c_str()) == 0);
    CHECK(std::filesystem::file_size(dir / (std::string(name) + ".svg")) > 500);
  }
}
