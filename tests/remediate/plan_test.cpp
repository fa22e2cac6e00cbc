// Actions, what-if, choke points and the planner: actions rewrite exactly the probabilities they
// name; what-if savings match closed forms within their intervals; common random numbers shrink
// the variance of a difference (the ratio is tested); choke points on a diamond; the planner
// picks the obviously best action and keeps to its budget.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/remediate/actions_file.hpp"
#include "twinrisk/remediate/choke_points.hpp"
#include "twinrisk/remediate/plan.hpp"
#include "twinrisk/remediate/what_if.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/risk/loss_replay.hpp"

using namespace twinrisk;
using twinrisk_test::edge_index_of;

namespace {


// e -> a (p = 0.5) with asset a losing 1 per event; one threat at 1 event a year.
twin one_edge() {
  twin_builder b;
  b.set_currency("USD");
  b.add_node("e", {.entry_point = true});
  b.add_node("a", {.crown_jewel = true, .loss = loss_magnitude{.primary = distribution_spec::constant(1.0)}});
  b.add_edge("e", "a", {.kind = edge_kind::network_reach, .probability = 0.5});
  b.add_threat({.id = "crew", .frequency = distribution_spec::constant(1.0)}, {{"e"}});
  return std::move(b).build();
}

// e -phishing-> u, h -member_of-> u, u -exploits(CVE-2024-1, CVE-2024-2)-> h, h -exploits(CVE-2024-1)-> db: 4 edges.
twin actions_twin() {
  twin_builder b;
  for (const char* id : {"e", "u", "h"}) b.add_node(id, {});
  b.add_node("db", {.name = "Customer DB"});
  b.add_edge("e", "u", {.kind = edge_kind::phishing, .probability = 0.5});
  b.add_edge("h", "u", {.kind = edge_kind::member_of, .probability = 1.0});
  b.add_edge("u", "h", {.kind = edge_kind::exploits, .probability = 0.8, .vulnerabilities = {{"CVE-2024-1", ""}, {"CVE-2024-2", ""}}});
  b.add_edge("h", "db", {.kind = edge_kind::exploits, .probability = 0.6, .vulnerabilities = {{"CVE-2024-1", ""}}});
  return std::move(b).build();
}

}  // namespace

TEST_CASE("actions rewrite exactly the probabilities they name") {
  const twin t = actions_twin();
  const std::vector<double> base = edge_probabilities(t);
  const std::size_t eu = edge_index_of(t, "e", "u"), hu = edge_index_of(t, "h", "u"), uh = edge_index_of(t, "u", "h"), hdb = edge_index_of(t, "h", "db");
  auto after = [&](std::vector<remediation_action> actions) {
    std::vector<double> p = base;
    apply_actions(t, actions, p);
    return p;
  };
  CHECK(after({{.kind = action_kind::remove_edge, .target = "h->db"}})[hdb] == 0.0);
  CHECK(after({{.kind = action_kind::remove_edge, .target = "h->customer db"}})[hdb] == 0.0);  // a name, any case
  CHECK(after({{.kind = action_kind::isolate_node, .target = "CUSTOMER DB"}})[hdb] == 0.0);
  CHECK(after({{.kind = action_kind::remove_edge, .target = "#" + std::to_string(eu)}})[eu] == 0.0);
  // A control on a node scales its in-edges; MFA only the credential-theft ones.
  const auto control = after({{.kind = action_kind::apply_control, .target = "u", .effectiveness = 0.5}});
  CHECK(control[eu] == 0.25);
  CHECK(control[hu] == 0.5);
  const auto mfa = after({{.kind = action_kind::require_mfa, .target = "u", .effectiveness = 0.9}});
  CHECK(mfa[eu] == doctest::Approx(0.05));
  CHECK(mfa[hu] == 1.0);
  const auto isolated = after({{.kind = action_kind::isolate_node, .target = "h"}});
  CHECK(isolated[hu] == 0.0);
  CHECK(isolated[uh] == 0.0);
  CHECK(isolated[hdb] == 0.0);
  CHECK(isolated[eu] == 0.5);
  // Patching: an edge goes once every CVE it carries is patched.
  const auto one = after({{.kind = action_kind::patch_cve, .target = "CVE-2024-1"}});
  CHECK(one[hdb] == 0.0);
  CHECK(one[uh] == 0.8);
  const auto both = after({{.kind = action_kind::patch_cve, .target = "CVE-2024-1"}, {.kind = action_kind::patch_cve, .target = "CVE-2024-2"}});
  CHECK(both[uh] == 0.0);
  // Errors name the action.
  CHECK_THROWS_WITH_AS(after({{.kind = action_kind::remove_edge, .target = "e->u"}, {.kind = action_kind::remove_edge, .target = "e->db"}}), "/actions/1/target: no edge 'e->db' in the twin",
                       input_error);
  CHECK_THROWS_WITH_AS(after({{.kind = action_kind::isolate_node, .target = "zz"}}), "/actions/0/target: no node has the id or name 'zz'", input_error);
  CHECK_THROWS_WITH_AS(after({{.kind = action_kind::patch_cve, .target = "CVE-1999-1"}}), "/actions/0/target: no edge carries 'CVE-1999-1'",
                       input_error);
  CHECK_THROWS_WITH_AS(after({{.kind = action_kind::apply_control, .target = "u", .effectiveness = 2}}),
                       "/actions/0/effectiveness: expected a number in [0,1], got 2", input_error);
  CHECK_THROWS_AS(after({{.kind = action_kind::remove_edge, .target = "#99"}}), input_error);
}

TEST_CASE("what-if against the closed form: a control of effectiveness 0.6 on the only edge") {
  const twin t = one_edge();
  const what_if_evaluator w(t, get(&edge::probability, t), loss_model_of(t), {.years = 50'000, .trials = 20'000, .seed = 3});
  const what_if_result r = w.evaluate({{.kind = action_kind::apply_control, .target = "e->a", .effectiveness = 0.6}});
  // ALE = λ · p · 1: 0.5 before, 0.2 after; the saving's interval is the paired one.
  CHECK(std::abs(r.ale_before - 0.5) < 4 * std::sqrt(0.5 / 50'000.0));
  CHECK(std::abs(r.ale_after - 0.2) < 4 * std::sqrt(0.2 / 50'000.0));
  CHECK(std::abs(r.saving.mean - 0.3) < 4 * r.saving.standard_error);
  CHECK(r.saving.lo < r.saving.mean);
  CHECK(r.saving.hi > r.saving.mean);
  REQUIRE(r.crown_jewels.size() == 1);
  CHECK(std::abs(r.p_before[0].p - 0.5) < 4 * r.p_before[0].standard_error);
  CHECK(std::abs(r.p_after[0].p - 0.2) < 4 * r.p_after[0].standard_error);
}

TEST_CASE("common random numbers shrink the variance of a small difference") {
  // A 10% control on the edge: the same worlds before and after differ only where it bites.
  const twin t = one_edge();
  const loss_model model = loss_model_of(t);
  const std::uint64_t years = 20'000;
  const what_if_evaluator w(t, get(&edge::probability, t), model, {.years = years, .seed = 5});
  const what_if_result crn = w.evaluate({{.kind = action_kind::apply_control, .target = "e->a", .effectiveness = 0.1}});
  // Independent runs (another seed after the action): the variance of the difference is the sum.
  std::vector<double> p = edge_probabilities(t);
  apply_actions(t, {{.kind = action_kind::apply_control, .target = "e->a", .effectiveness = 0.1}}, p);
  const what_if_evaluator other(t, probability_map(t, p), model, {.years = years, .seed = 6});
  const paired_difference independent = paired_saving(w.baseline(), other.baseline());
  CAPTURE(crn.saving.standard_error);
  CAPTURE(independent.standard_error);
  // Per event, CRN leaves Var = 0.05·0.95 against 0.5·0.5 + 0.45·0.55 independently: ratio ≈ 0.1.
  CHECK(crn.saving.standard_error / independent.standard_error < 0.5);
}

TEST_CASE("choke points: a cancelled run says so and simulates nothing") {
  const twin t = twinrisk_test::diamond_twin(0.9, 0.8, 0.7, 0.6, 0.5);
  cancellation_token stop;
  stop.cancel();
  const choke_point_result r = choke_points(t, {0}, {4}, get(&edge::probability, t), {.k = 10, .simulated = 5, .trials = 10'000, .cancel = &stop});
  CHECK(r.cancelled);
  for (const choke_point& c : r.edges) CHECK(c.saved_worlds.p == -1.0);
  for (const choke_point& c : r.nodes) CHECK(c.saved_worlds.p == -1.0);
}

TEST_CASE("choke points: each element's saved worlds are those of two independent simulations, with and without its edges") {
  // The runs share each block's edge masks; computed here the plain way instead: the worlds in
  // which a target fell, and the same worlds with the element's edges at probability 0.
  const twin generated = generate_enterprise({.nodes = 300, .seed = 3});
  const twin sample = read_twin_json_file(twinrisk_test::sample_twin_path());
  for (const twin* t : {&sample, &generated}) {
    const auto p = get(&edge::probability, *t);
    const std::vector<char> gates = all_gates_of(*t);
    const simulation_options sim{.trials = 3'000, .seed = 5, .all_gates = gates, .keep_target_worlds = true};
    const choke_point_result found =
        choke_points(*t, t->entry_points(), t->crown_jewels(), p, {.k = 40, .simulated = 4, .trials = sim.trials, .seed = sim.seed, .all_gates = gates});
    REQUIRE(found.edges.size() >= 4);
    REQUIRE(found.nodes.size() >= 4);
    const simulation_result before = simulate_compromise(*t, t->entry_points(), t->crown_jewels(), p, sim);
    const auto saved_without = [&](const std::vector<std::size_t>& dead) {
      std::vector<double> without(t->num_edges());
      for (auto uv : t->edges()) without[t->edge_index(uv)] = (*t)[uv].probability;
      for (std::size_t e : dead) without[e] = 0.0;
      const simulation_result after = simulate_compromise(*t, t->entry_points(), t->crown_jewels(), probability_map(*t, without), sim);
      std::uint64_t saved = 0;
      const std::size_t targets = before.targets.size();
      for (std::size_t w = 0; w < (sim.trials + 63) / 64; ++w) {
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < targets; ++i) bits |= before.target_worlds[w * targets + i] & ~after.target_worlds[w * targets + i];
        saved += static_cast<std::uint64_t>(std::popcount(bits));
      }
      return static_cast<double>(saved) / static_cast<double>(sim.trials);
    };
    int some_saved = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(found.edges[i].saved_worlds.p == saved_without({found.edges[i].element}));
      std::vector<std::size_t> into;
      for (auto uv : t->edges())
        if (t->target(uv) == found.nodes[i].element) into.push_back(t->edge_index(uv));
      CHECK(found.nodes[i].saved_worlds.p == saved_without(into));
      some_saved += found.edges[i].saved_worlds.p > 0.0 ? 1 : 0;
    }
    CHECK(some_saved > 0);
  }
}

TEST_CASE("choke points: the last edge of a diamond carries every path and saves every world") {
  const twin t = twinrisk_test::diamond_twin(0.9, 0.8, 0.7, 0.6, 0.5);
  const auto p = get(&edge::probability, t);
  const choke_point_result found = choke_points(t, {0}, {4}, p, {.k = 10, .simulated = 5, .trials = 10'000, .seed = 2});
  const std::vector<choke_point>& points = found.edges;
  CHECK_FALSE(found.cancelled);
  REQUIRE(points.size() == 5);
  CHECK(points[0].element == edge_index_of(t, "c", "j"));
  CHECK(points[0].path_share == doctest::Approx(1.0));
  CHECK(points[0].paths == 2);
  // Path mass: e-a-c-j 0.315, e-b-c-j 0.24; the a branch carries 0.315 / 0.555 of it.
  CHECK(points[1].path_share == doctest::Approx(0.315 / 0.555));
  // Removing c -> j saves every world in which j fell: exactly P̂(j) of the same worlds.
  const simulation_result sim = simulate_compromise(t, {0}, {4}, p,
                                                    {.trials = 10'000, .seed = 2});
  CHECK(points[0].saved_worlds.p == sim.probability(4));
  // Removing e -> a saves the worlds where j fell only through a: P = 0.9·0.7·0.5·(1 − 0.8·0.6) = 0.1638.
  const choke_point& ea = points[1].element == edge_index_of(t, "e", "a") ? points[1] : points[2];
  CHECK(std::abs(ea.saved_worlds.p - 0.1638) < 4 * ea.saved_worlds.standard_error);
  // Node c carries every path too; removing it (every edge into it) saves the same worlds.
  REQUIRE(found.nodes.size() == 3);
  CHECK(found.nodes[0].element == t.at("c"));
  CHECK(found.nodes[0].path_share == doctest::Approx(1.0));
  CHECK(found.nodes[0].saved_worlds.p == sim.probability(4));
  // With two targets, removing c -> j saves j's worlds even where b still falls.
  const auto two = choke_points(t, {0}, {2, 4}, p, {.k = 10, .simulated = 10, .trials = 10'000, .seed = 2});
  for (const choke_point& c : two.edges)
    if (c.element == edge_index_of(t, "c", "j")) CHECK(c.saved_worlds.p == sim.probability(4));
}

TEST_CASE("the planner takes the obviously best action first and keeps to its budget") {
  // Two entry-to-asset edges: one loses 10 per event (p = 0.5), the other 1 (p = 0.5); both
  // removals cost 1, a third action costs 100.
  twin_builder b;
  b.set_currency("USD");
  b.add_node("e", {.entry_point = true});
  b.add_node("big", {.crown_jewel = true, .loss = loss_magnitude{.primary = distribution_spec::constant(10.0)}});
  b.add_node("small", {.crown_jewel = true, .loss = loss_magnitude{.primary = distribution_spec::constant(1.0)}});
  b.add_edge("e", "big", {.probability = 0.5});
  b.add_edge("e", "small", {.probability = 0.5});
  b.add_threat({.id = "crew", .frequency = distribution_spec::constant(2.0)}, {{"e"}});
  const twin t = std::move(b).build();
  const what_if_evaluator w(t, get(&edge::probability, t), loss_model_of(t), {.years = 20'000, .seed = 1});
  const std::vector<remediation_action> candidates{
      {.kind = action_kind::remove_edge, .target = "e->small", .cost = 1},
      {.kind = action_kind::remove_edge, .target = "e->big", .cost = 1},
      {.kind = action_kind::isolate_node, .target = "e", .cost = 100}};
  const remediation_plan one = plan_remediation(w, candidates, {.budget = 1});
  REQUIRE(one.steps.size() == 1);
  CHECK(one.steps[0].action.target == "e->big");
  CHECK(std::abs(one.steps[0].saving.mean - 10.0) < 4 * one.steps[0].saving.standard_error);  // 2 · 0.5 · 10
  const remediation_plan two = plan_remediation(w, candidates, {.budget = 50});
  REQUIRE(two.steps.size() == 2);
  CHECK(two.steps[1].action.target == "e->small");
  CHECK(two.steps[1].cumulative_cost == 2.0);
  CHECK(two.steps[1].ale_after == 0.0);  // nothing left to lose
  const remediation_plan all = plan_remediation(w, candidates, {.budget = 1000});
  CHECK(all.steps.size() == 2);  // isolating e saves nothing more once both edges are gone
  // Long runs screen each candidate on its first 4,096 years first: the same plan, with the
  // same figures, whether screened, replayed without screening, or simulated in full.
  const what_if_evaluator long_run(t, get(&edge::probability, t), loss_model_of(t), {.years = 16'384, .seed = 3});
  const remediation_plan screened = plan_remediation(long_run, candidates, {.budget = 1000});
  CHECK(screened.screenings > 0);
  for (const plan_options& o : {plan_options{.budget = 1000, .screen = false}, plan_options{.budget = 1000, .replay = false}}) {
    const remediation_plan other = plan_remediation(long_run, candidates, o);
    CHECK(other.screenings == 0);
    REQUIRE(other.steps.size() == screened.steps.size());
    for (std::size_t i = 0; i < other.steps.size(); ++i) {
      CHECK(other.steps[i].action.target == screened.steps[i].action.target);
      CHECK(other.steps[i].ale_after == screened.steps[i].ale_after);
    }
  }
  CHECK_THROWS_WITH_AS(plan_remediation(w, {{.kind = action_kind::remove_edge, .target = "e->big", .cost = -1}}),
                       "/candidates/0/cost: expected a finite cost >= 0, got -1", input_error);
}

TEST_CASE("the sample twin: candidates from the top paths, approvals on sensitive entities, a plan within budget") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const auto p = get(&edge::probability, t);
  const auto candidates = candidate_actions(t, p, 30);
  REQUIRE(!candidates.empty());
  bool any_approval = false;
  for (const auto& a : candidates) {
    CHECK(a.cost > 0.0);
    if (a.requires_approval) {
      any_approval = true;
      CHECK(!a.reason.empty());
    }
  }
  CHECK(any_approval);  // the top paths end at crown jewels and cross privileged groups
  // An edge named by index needs the same approval as by its endpoints.
  const remediation_action by_ids{.kind = action_kind::remove_edge, .target = "gmsa-web->customer-db"};
  const remediation_action by_index{.kind = action_kind::remove_edge,
                                    .target = "#" + std::to_string(edge_index_of(t, "gmsa-web", "customer-db"))};
  CHECK(approval_reason(t, by_ids) == "changes access to crown jewel 'customer-db'");
  CHECK(approval_reason(t, by_index) == approval_reason(t, by_ids));
  // 2,048 years already give every step's saving a lower bound above 2/3 M (ALE 28 M).
  const what_if_evaluator w(t, p, loss_model_of(t),
                            {.years = twinrisk_test::full_or_sanitized<std::uint64_t>(8192, 2048), .seed = 4, .all_gates = all_gates_of(t)});
  const remediation_plan plan = plan_remediation(w, candidates, {.budget = 10'000, .max_actions = 4});
  REQUIRE(!plan.steps.empty());
  CHECK(plan.steps.back().cumulative_cost <= 10'000);
  for (const plan_step& s : plan.steps) CHECK(s.saving.lo > 0.0);
  CHECK(plan.steps.back().ale_after < plan.ale_before);
}

// ---------------------------------------------------------------------------------------------------
// Actions files: every malformed input names the file and the JSON pointer.

TEST_CASE("actions files: a good file, and every malformed one named by file and JSON pointer") {
  const twin t = actions_twin();
  auto error_of = [&t](const std::string& text) {
    try {
      (void)parse_actions(t, text, "a.json");
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // One action with the text around it: {"actions":[{<fields>}]}.
  auto action = [&](const std::string& fields) { return error_of(R"({"actions":[{)" + fields + "}]}"); };
  SUBCASE("a good file") {
    const action_catalog c = parse_actions(
        t,
        R"({"actions":[{"kind":"patch_cve","target":"CVE-2024-1","cost":8000,"description":"upgrade"},
                       {"kind":"require_mfa","target":"u","effectiveness":0.9,"cost":150},
                       {"kind":"remove_edge","target":"#3","cost":0}],
            "edge_kind_costs":{"has_session":500,"network_reach":0}})",
        "a.json");
    REQUIRE(c.actions.size() == 3);
    CHECK(c.actions[0].kind == action_kind::patch_cve);
    CHECK(c.actions[0].cost == 8000.0);
    CHECK(c.actions[1].effectiveness == 0.9);
    CHECK(c.actions[2].target == "#3");
    CHECK(c.edge_kind_costs.at(edge_kind::has_session) == 500.0);
    CHECK(c.edge_kind_costs.at(edge_kind::network_reach) == 0.0);
    CHECK(parse_actions(t, "{}", "a.json").actions.empty());
  }
  SUBCASE("malformed, truncated and empty JSON name the line and column") {
    CHECK(error_of("") ==
          "a.json:1:1: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
    CHECK(error_of("{") ==
          "a.json:1:2: malformed JSON: syntax error while parsing object key - unexpected end of input; expected string literal");
    CHECK(error_of("{\"actions\":[{\"kind\":\"remove_edge\",\n\"target\":\"e->u\"") ==
          "a.json:2:16: malformed JSON: syntax error while parsing object - unexpected end of input; expected '}'");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":1e999)") ==
          "a.json:1:62: malformed JSON: number overflow parsing '1e999'");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":NaN)") ==
          "a.json:1:58: malformed JSON: syntax error while parsing value - invalid literal; last read: '\"cost\":N'");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":-Infinity)") ==
          "a.json:1:59: malformed JSON: syntax error while parsing value - invalid number; expected digit after '-'; last read: '-I'");
  }
  SUBCASE("wrong JSON types") {
    CHECK(error_of("[]") == "a.json: expected an object, got an array");
    CHECK(error_of(R"({"actions":{}})") == "a.json: /actions: expected an array, got an object");
    CHECK(error_of(R"({"edge_kind_costs":[]})") == "a.json: /edge_kind_costs: expected an object, got an array");
    CHECK(error_of(R"({"actions":[7]})") == "a.json: /actions/0: expected an object, got 7");
    CHECK(action(R"("kind":7,"target":"e->u","cost":1)") == "a.json: /actions/0/kind: expected the name of an action, got 7");
    CHECK(action(R"("kind":"remove_edge","target":5,"cost":1)") == "a.json: /actions/0/target: expected a string, got 5");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":"cheap")") ==
          "a.json: /actions/0/cost: expected a number, got \"cheap\"");
    CHECK(action(R"("kind":"apply_control","target":"u","effectiveness":"high","cost":1)") ==
          "a.json: /actions/0/effectiveness: expected a number, got \"high\"");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":1,"description":["x"])") ==
          "a.json: /actions/0/description: expected a string, got an array");
    CHECK(error_of(R"({"edge_kind_costs":{"has_session":"cheap"}})") ==
          "a.json: /edge_kind_costs/has_session: expected a finite cost >= 0, got \"cheap\"");
    CHECK(error_of(R"({"edge_kind_costs":{"has_session":null}})") ==
          "a.json: /edge_kind_costs/has_session: expected a finite cost >= 0, got null");
  }
  SUBCASE("unknown kinds and members, missing members") {
    CHECK(action(R"("kind":"patch","target":"CVE-2024-1","cost":1)") ==
          "a.json: /actions/0/kind: unknown action 'patch'; did you mean 'patch_cve'?");
    CHECK(error_of(R"({"edge_kind_costs":{"has_sesion":5}})") ==
          "a.json: /edge_kind_costs/has_sesion: unknown edge kind 'has_sesion'; did you mean 'has_session' or 'has_permission'?");
    CHECK(action(R"("target":"e->u","cost":1)") == "a.json: /actions/0: missing required member 'kind'");
    CHECK(action(R"("kind":"remove_edge","cost":1)") == "a.json: /actions/0: missing required member 'target'");
    CHECK(action(R"("kind":"remove_edge","target":"e->u")") == "a.json: /actions/0: missing required member 'cost'");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":1,"costs":2)") ==
          "a.json: /actions/0/costs: unknown member 'costs'; expected 'cost'");
    CHECK(error_of(R"({"action":[]})") == "a.json: /action: unknown member 'action'; expected 'actions'");
  }
  SUBCASE("costs and effectiveness out of range") {
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":-1)") == "a.json: /actions/0/cost: expected a finite cost >= 0, got -1");
    CHECK(action(R"("kind":"remove_edge","target":"e->u","cost":-1e-300)") ==
          "a.json: /actions/0/cost: expected a finite cost >= 0, got -1e-300");
    CHECK(error_of(R"({"edge_kind_costs":{"has_session":-5}})") ==
          "a.json: /edge_kind_costs/has_session: expected a finite cost >= 0, got -5");
    CHECK(action(R"("kind":"apply_control","target":"u","effectiveness":1.5,"cost":1)") ==
          "a.json: /actions/0/effectiveness: expected a number in [0,1], got 1.5");
    CHECK(action(R"("kind":"require_mfa","target":"u","effectiveness":-0.5,"cost":1)") ==
          "a.json: /actions/0/effectiveness: expected a number in [0,1], got -0.5");
  }
  SUBCASE("targets: bad edge names and indices, unknown nodes and CVEs, at the action's own index") {
    CHECK(action(R"("kind":"remove_edge","target":"#99","cost":1)") ==
          "a.json: /actions/0/target: expected an edge index below 4, got '#99'");
    CHECK(action(R"("kind":"remove_edge","target":"#4","cost":1)") ==
          "a.json: /actions/0/target: expected an edge index below 4, got '#4'");
    for (const char* bad : {"#", "#-1", "#1x", "# 1", "#99999999999999999999999"}) {
      CAPTURE(bad);
      CHECK(action(R"("kind":"remove_edge","target":")" + std::string(bad) + R"(","cost":1)") ==
            "a.json: /actions/0/target: expected an edge index below 4, got '" + std::string(bad) + "'");
    }
    CHECK(action(R"("kind":"remove_edge","target":"a-b","cost":1)") ==
          "a.json: /actions/0/target: expected an edge \"from->to\", got 'a-b'");
    CHECK(action(R"("kind":"remove_edge","target":"","cost":1)") ==
          "a.json: /actions/0/target: expected an edge \"from->to\", got ''");
    CHECK(action(R"("kind":"remove_edge","target":"e->nowhere","cost":1)") == "a.json: /actions/0/target: no edge 'e->nowhere' in the twin");
    CHECK(action(R"("kind":"apply_control","target":"e->db","cost":1)") == "a.json: /actions/0/target: no edge 'e->db' in the twin");
    CHECK(action(R"("kind":"isolate_node","target":"zz","cost":1)") == "a.json: /actions/0/target: no node has the id or name 'zz'");
    CHECK(action(R"("kind":"apply_control","target":"zz","cost":1)") == "a.json: /actions/0/target: no node has the id or name 'zz'");
    CHECK(action(R"("kind":"patch_cve","target":"CVE-1999-1","cost":1)") == "a.json: /actions/0/target: no edge carries 'CVE-1999-1'");
    CHECK(error_of(R"({"actions":[{"kind":"remove_edge","target":"e->u","cost":1},{"kind":"remove_edge","target":"#99","cost":1}]})") ==
          "a.json: /actions/1/target: expected an edge index below 4, got '#99'");
  }
  SUBCASE("duplicate keys are errors; the same action twice is kept twice") {
    CHECK(action(R"("kind":"remove_edge","kind":"isolate_node","target":"e->u","cost":1)") ==
          "a.json: /actions/0/kind: duplicate key 'kind' in one object");
    CHECK(error_of(R"({"edge_kind_costs":{"owns":1,"owns":2}})") == "a.json: /edge_kind_costs/owns: duplicate key 'owns' in one object");
    const std::string one = R"({"kind":"remove_edge","target":"e->u","cost":10})";
    const action_catalog c = parse_actions(t, R"({"actions":[)" + one + "," + one + "]}", "a.json");
    REQUIRE(c.actions.size() == 2);
    CHECK(c.actions[0] == c.actions[1]);
  }
}

TEST_CASE("actions: exact messages for bad edge targets given in code, and unreadable actions files") {
  const twin t = actions_twin();
  std::vector<double> p = edge_probabilities(t);
  CHECK_THROWS_WITH_AS(apply_actions(t, {{.kind = action_kind::remove_edge, .target = "#99"}}, p),
                       "/actions/0/target: expected an edge index below 4, got '#99'", input_error);
  CHECK_THROWS_WITH_AS(apply_actions(t, {{.kind = action_kind::remove_edge, .target = "a-b"}}, p),
                       "/actions/0/target: expected an edge \"from->to\", got 'a-b'", input_error);
  CHECK_THROWS_WITH_AS(apply_actions(t, {{.kind = action_kind::apply_control, .target = "e->u", .effectiveness = std::nan("")}}, p),
                       "/actions/0/effectiveness: expected a number in [0,1], got NaN", input_error);
  CHECK_THROWS_WITH_AS(approval_reason(t, {.kind = action_kind::remove_edge, .target = "#99"}),
                       "/target: expected an edge index below 4, got '#99'", input_error);
  std::vector<double> short_p(3, 0.5);
  CHECK_THROWS_WITH_AS(apply_actions(t, {}, short_p), "probabilities have 3 entries for 4 edges", model_error);
  CHECK(p == edge_probabilities(t));  // an action that fails its checks changes nothing
  CHECK_THROWS_WITH_AS((void)read_actions_file(t, "no/such/actions.json"), "no/such/actions.json: cannot open: No such file or directory",
                       input_error);
  const std::filesystem::path dir = twinrisk_test::scratch_dir("actions_files");
  CHECK_THROWS_WITH_AS((void)read_actions_file(t, dir), (dir.string() + ": expected a file, found a directory").c_str(), input_error);
  const std::filesystem::path bad = dir / "bad.json";
  std::ofstream(bad) << R"({"actions":[{"kind":"remove_edge","target":"e->nowhere","cost":1}]})";
  CHECK_THROWS_WITH_AS((void)read_actions_file(t, bad), (bad.string() + ": /actions/0/target: no edge 'e->nowhere' in the twin").c_str(),
                       input_error);
}

// ---------------------------------------------------------------------------------------------------
// Replayed what-ifs and the planner on them: bit-identical to full simulations, bounds that hold,
// and plans as good as the exhaustive lazy greedy's.

namespace replay_test {

// Each candidate's lowered edges, as the planner computes them.
std::vector<std::vector<std::size_t>> edge_sets_of(const twin& t, const std::vector<double>& p, const std::vector<remediation_action>& actions) {
  std::vector<std::vector<std::size_t>> sets;
  for (const remediation_action& a : actions) {
    std::vector<double> q = p;
    apply_actions(t, {a}, q);
    sets.emplace_back();
    for (std::size_t e = 0; e < q.size(); ++e)
      if (q[e] != p[e]) sets.back().push_back(e);
  }
  return sets;
}

// Total ALE a plan saves, measured afresh (a full simulation after all its steps), paired with the baseline.
paired_difference total_saving(const what_if_evaluator<twin>& w, const remediation_plan& plan) {
  std::vector<remediation_action> actions;
  for (const plan_step& s : plan.steps) actions.push_back(s.action);
  return w.evaluate(actions).saving;
}

}  // namespace replay_test

TEST_CASE("a replayed loss simulation equals a fresh one with the lowered probabilities, to the bit") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const std::vector<double> p = edge_probabilities(t);
  const loss_model model = loss_model_of(t);
  const std::vector<remediation_action> actions = candidate_actions(t, get(&edge::probability, t), 20);
  REQUIRE(actions.size() >= 6);
  const auto sets = replay_test::edge_sets_of(t, p, actions);
  const loss_options o{.years = 4096, .seed = 9, .all_gates = all_gates_of(t)};
  REQUIRE(std::ranges::any_of(model.threats, [](const threat& th) { return th.detect_hours.has_value(); }));  // races replayed too
  const loss_replay replay(t, p, model, o, sets);
  const annual_losses fresh = simulate_loss(t, get(&edge::probability, t), model, o);
  CHECK(replay.baseline().by_year == fresh.by_year);
  // Single sets, pairs and a set of five, each against a full simulation of the same probabilities.
  const std::vector<std::vector<std::size_t>> questions{{0}, {1}, {5}, {0, 3}, {2, 4}, {0, 1, 2, 3, 4}};
  for (const auto& chosen : questions) {
    std::vector<double> q = p;
    for (std::size_t j : chosen) apply_actions(t, {actions[j]}, q);
    const annual_losses replayed = replay.losses_with(q, chosen);
    const annual_losses full = simulate_loss(t, probability_map(t, q), model, o);
    CHECK(replayed.by_year == full.by_year);
    CHECK(replayed.events == full.events);
    for (std::size_t a = 0; a < full.by_asset.size(); ++a) CHECK(replayed.by_asset[a].sum == full.by_asset[a].sum);
    for (std::size_t k = 0; k < full.by_threat.size(); ++k) CHECK(replayed.by_threat[k].sum == full.by_threat[k].sum);
    if (chosen.size() == 1) CHECK(replay.baseline().ale() - full.ale() <= replay.saving_bound(chosen[0]) + 1e-9);
    // The first years alone, as a shorter fresh simulation gives them.
    loss_options shorter = o;
    shorter.years = 2048;
    CHECK(replay.first_losses_with(q, chosen, 2048).by_year == simulate_loss(t, probability_map(t, q), model, shorter).by_year);
  }
  // A recording moved on to the plan with set 0 answers on top of it, as a fresh simulation does.
  std::vector<double> first = p;
  apply_actions(t, {actions[0]}, first);
  const loss_replay next = replay.rerecorded(first, std::vector<std::size_t>{0});
  CHECK(next.baseline().by_year == simulate_loss(t, probability_map(t, first), model, o).by_year);
  for (std::size_t j : {1, 3}) {
    std::vector<double> both = first;
    apply_actions(t, {actions[j]}, both);
    const annual_losses full = simulate_loss(t, probability_map(t, both), model, o);
    CHECK(next.losses_with(both, std::vector<std::size_t>{j}).by_year == full.by_year);
    CHECK(next.baseline().ale() - full.ale() <= next.saving_bound(j) + 1e-9);
  }
  // Half-way lowerings replay too (an MFA-like factor on the first set's edges).
  std::vector<double> half = p;
  for (std::size_t e : sets[0]) half[e] = p[e] / 2;
  CHECK(replay.losses_with(half, std::vector<std::size_t>{0}).by_year == simulate_loss(t, probability_map(t, half), model, o).by_year);
  // What a replay cannot answer.
  std::vector<double> raised = p;
  raised[sets[0][0]] = std::min(1.0, p[sets[0][0]] + 0.1);
  if (raised[sets[0][0]] != p[sets[0][0]])
    CHECK_THROWS_AS((void)replay.losses_with(raised, std::vector<std::size_t>{0}), model_error);
  std::vector<double> elsewhere = p;
  for (std::size_t e = 0; e < p.size(); ++e)
    if (p[e] > 0.0 && std::ranges::find(sets[0], e) == sets[0].end()) {
      elsewhere[e] = 0.0;
      break;
    }
  CHECK_THROWS_AS((void)replay.losses_with(elsewhere, std::vector<std::size_t>{0}), model_error);
}

namespace replay_test {

// Checks that `replay`, recorded at probabilities p, answers every set of `sets` lowered to
// `factor` of p as a fresh simulation does, within its saving bound.
void check_every_set(const twin& t, const loss_replay<twin>& replay, const std::vector<double>& p,
                     const std::vector<std::vector<std::size_t>>& sets, const loss_model& model, const loss_options& o,
                     double factor) {
  for (std::size_t j = 0; j < sets.size(); ++j) {
    CAPTURE(j);
    std::vector<double> q = p;
    for (std::size_t e : sets[j]) q[e] = p[e] * factor;
    const annual_losses full = simulate_loss(t, probability_map(t, q), model, o);
    const std::size_t chosen[] = {j};
    CHECK(replay.losses_with(q, chosen).by_year == full.by_year);
    CHECK(replay.baseline().ale() - full.ale() <= replay.saving_bound(j) + 1e-9);
  }
}

}  // namespace replay_test

TEST_CASE("replays on random twins with detection races equal fresh simulations, step after step") {
  // Small random twins (AND gates, a race-free threat beside a racing one) where a lost asset often
  // has two ways: every edge's set, and some pairs, replayed against a full simulation at three
  // steps of a plan (the recording moved on to each step, as the planner does).
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int round = 0; round < twinrisk_test::full_or_sanitized(6, 3); ++round) {
    CAPTURE(round);
    twin_builder b;
    b.set_currency("USD");
    const std::size_t n = 12;
    for (std::size_t v = 0; v < n; ++v) {
      node d{.entry_point = v < 2, .gate = v == 6 ? node_gate::all : node_gate::any};
      if (v >= n - 3) d.crown_jewel = true, d.loss = loss_magnitude{.primary = distribution_spec::lognormal(1e3, 1e5)};
      b.add_node("n" + std::to_string(v), std::move(d));
    }
    for (std::size_t e = 0; e < 34; ++e) {
      const std::size_t from = rng() % (n - 3), to = 2 + rng() % (n - 2);
      if (from == to) continue;
      b.add_edge(from, to, {.kind = edge_kind::network_reach, .probability = 0.4 + 0.6 * unit(rng),
                            .hours = distribution_spec::lognormal(1.0, 24.0)});
    }
    b.add_threat({.id = "fast", .frequency = distribution_spec::constant(3.0), .detect_hours = distribution_spec::lognormal(6.0, 96.0)},
                 {{"n0"}, {"n1", 2.0}});
    b.add_threat({.id = "slow", .frequency = distribution_spec::constant(0.5)}, {{"n1"}});
    const twin t = std::move(b).build();
    std::vector<double> p = edge_probabilities(t);
    std::vector<std::vector<std::size_t>> sets;
    for (std::size_t e = 0; e < p.size(); ++e) sets.push_back({e});
    for (int pair = 0; pair < 6; ++pair) sets.push_back({rng() % p.size(), rng() % p.size()});
    const loss_model model = loss_model_of(t);
    const loss_options o{.years = twinrisk_test::full_or_sanitized<std::uint64_t>(2048, 1024), .seed = 5, .all_gates = all_gates_of(t)};
    std::optional<loss_replay<twin>> replay;
    replay.emplace(t, p, model, o, sets);
    CHECK(replay->baseline().by_year == simulate_loss(t, probability_map(t, p), model, o).by_year);
    for (int step = 0; step < 3; ++step) {
      CAPTURE(step);
      replay_test::check_every_set(t, *replay, p, sets, model, o, step == 1 ? 0.5 : 0.0);
      for (int together = 0; together < 3; ++together) {  // sets asked together
        const std::vector<std::size_t> chosen{rng() % sets.size(), rng() % sets.size()};
        std::vector<double> q = p;
        for (std::size_t j : chosen)
          for (std::size_t e : sets[j]) q[e] = 0.0;
        CHECK(replay->losses_with(q, chosen).by_year == simulate_loss(t, probability_map(t, q), model, o).by_year);
      }
      const std::size_t j = rng() % sets.size();
      for (std::size_t e : sets[j]) p[e] *= 0.3;
      replay.emplace(replay->rerecorded(p, std::vector<std::size_t>{j}));
      CHECK(replay->baseline().by_year == simulate_loss(t, probability_map(t, p), model, o).by_year);
    }
  }
}

TEST_CASE("the replayed planner is as good as the exhaustive lazy greedy") {
  // The sample twin and two small synthetic enterprises, each planned both ways on the same years.
  std::vector<twin> twins;
  twins.push_back(read_twin_json_file(twinrisk_test::sample_twin_path()));
  for (std::uint64_t seed : {3, 5}) twins.push_back(generate_enterprise({.nodes = 400, .seed = seed}));
  for (const twin& t : twins) {
    CAPTURE(t.info().name);
    const auto prob = get(&edge::probability, t);
    const std::vector<remediation_action> candidates = candidate_actions(t, prob, 30);
    const what_if_evaluator w(t, prob, loss_model_of(t),
                              {.years = twinrisk_test::full_or_sanitized<std::uint64_t>(8192, 2048), .seed = 2, .all_gates = all_gates_of(t)});
    const remediation_plan exhaustive = plan_remediation(w, candidates, {.budget = 200'000, .max_actions = 5, .replay = false});
    const remediation_plan replayed = plan_remediation(w, candidates, {.budget = 200'000, .max_actions = 5});
    CHECK(replayed.ale_before == exhaustive.ale_before);
    // Each replayed step's figures are those of a full simulation of the actions so far.
    std::vector<remediation_action> so_far;
    for (const plan_step& s : replayed.steps) {
      so_far.push_back(s.action);
      CHECK(w.evaluate(so_far).ale_after == doctest::Approx(s.ale_after).epsilon(1e-12));
    }
    // The total saving is within (or above) the exhaustive plan's paired 95% interval.
    const paired_difference ours = replay_test::total_saving(w, replayed), theirs = replay_test::total_saving(w, exhaustive);
    CHECK(ours.mean >= theirs.lo);
  }
}
