#pragma once
/// The report as JSON: the integration point for products. The schema is versioned
/// (`schema_version`) and documented in docs/schemas/report.schema.json; a version only grows members
/// until the next major number. Money is in the twin's currency, probabilities in [0,1].
///
///     std::cout << report_json(r, persona::ciso).dump(2);

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "twinrisk/report/report.hpp"
#include "twinrisk/version.hpp"

namespace twinrisk {

/// The version of docs/schemas/report.schema.json that `report_json` writes.
inline constexpr int report_schema_version = 1;

namespace detail {

using report_ordered_json = nlohmann::ordered_json;

inline report_ordered_json node_json(const report_node& n) { return {{"id", n.id}, {"name", n.name}, {"kind", n.kind}}; }

inline report_ordered_json edge_json(const report_edge& e) {
  return {{"from", node_json(e.from)}, {"to", node_json(e.to)}, {"kind", e.edge_kind}};
}

inline report_ordered_json estimate_json(const estimate& e) { return {{"p", e.p}, {"lo", e.lo}, {"hi", e.hi}}; }

/// A finite number, else null (an infinite cost, a NaN from an empty sample).
inline report_ordered_json finite_json(double x) { return std::isfinite(x) ? report_ordered_json(x) : report_ordered_json(nullptr); }

inline report_ordered_json path_json(const report_path& p) {
  report_ordered_json steps = report_ordered_json::array();
  for (const report_step& s : p.steps)
    steps.push_back({{"to", node_json(s.to)}, {"edge_kind", s.edge_kind}, {"probability", s.probability}});
  return {{"probability", p.probability}, {"entry", node_json(p.entry)}, {"steps", std::move(steps)},
          {"event_loss", p.event_loss}, {"expected_loss", p.expected_loss()}};
}

inline report_ordered_json action_json(const report_action& a) {
  auto list = [](const auto& items, auto to_json) {
    report_ordered_json out = report_ordered_json::array();
    for (const auto& x : items) out.push_back(to_json(x));
    return out;
  };
  return {{"action", to_string(a.action.kind)}, {"target", a.action.target}, {"description", a.action.description},
          {"cost", a.action.cost}, {"delta_ale", a.delta_ale}, {"delta_ale_ci", {a.delta_ale_lo, a.delta_ale_hi}},
          {"ale_after", a.ale_after}, {"p99_after", a.p99_after}, {"cumulative_cost", a.cumulative_cost},
          {"saving_per_cost", a.saving_per_cost}, {"requires_approval", a.action.requires_approval},
          {"approval_reason", a.action.reason}, {"edges", list(a.edges, edge_json)},
          {"identities", list(a.identities, node_json)}, {"assets", list(a.assets, node_json)}};
}

}  // namespace detail

/// What `annual_losses_json` writes beyond the report's loss section.
struct loss_json_options {
  std::size_t exceedance_points = 40;  ///< points of "lec", log-spaced
  bool contributions = false;          ///< "currency", "events", "by_asset" and "by_threat" ({id, ale, se}), "cancelled"
};

/// `l` as JSON: {"years", "seed", "ale", "ale_se", "sd", "p_any_loss", "p50" … "p999", "var95",
/// "tvar95", "var99", "tvar99", "lec": [[loss, P(annual loss >= loss)], ...]} — the report's
/// "loss" section (docs/schemas/report.schema.json) — plus the contributions when asked.
[[nodiscard]] inline nlohmann::ordered_json annual_losses_json(const annual_losses& l, const loss_json_options& o = {}) {
  using json = nlohmann::ordered_json;
  json lec = json::array();
  for (const auto& [loss, p] : l.exceedance_curve(o.exceedance_points)) lec.push_back({loss, p});
  json j{{"years", l.years()}, {"seed", l.seed}, {"ale", l.ale()}, {"ale_se", l.ale_se()}, {"sd", l.sd()},
         {"p_any_loss", l.p_any_loss()}, {"p50", l.quantile(0.5)}, {"p90", l.quantile(0.9)}, {"p95", l.quantile(0.95)},
         {"p99", l.quantile(0.99)}, {"p999", l.quantile(0.999)}, {"var95", l.var(0.95)}, {"tvar95", l.tvar(0.95)},
         {"var99", l.var(0.99)}, {"tvar99", l.tvar(0.99)}, {"lec", std::move(lec)}};
  if (!o.contributions) return j;
  j["currency"] = l.currency;
  j["events"] = l.events;
  const auto parts = [](const std::vector<std::string>& ids, auto ale, auto se) {
    json a = json::array();
    for (std::size_t i = 0; i < ids.size(); ++i) a.push_back({{"id", ids[i]}, {"ale", ale(i)}, {"se", se(i)}});
    return a;
  };
  j["by_asset"] = parts(l.asset_ids, [&](std::size_t i) { return l.asset_ale(i); }, [&](std::size_t i) { return l.asset_se(i); });
  j["by_threat"] = parts(l.threat_ids, [&](std::size_t i) { return l.threat_ale(i); }, [&](std::size_t i) { return l.threat_se(i); });
  if (l.cancelled) j["cancelled"] = true;
  return j;
}

/// The sections of `r` that persona `who` reads (`sections_of`), as JSON of schema version
/// `report_schema_version`.
[[nodiscard]] inline nlohmann::ordered_json report_json(const risk_report& r, persona who) {
  using detail::node_json;
  using json = nlohmann::ordered_json;
  const report_sections show = sections_of(who);
  json j{{"schema", "twinrisk-report"}, {"schema_version", report_schema_version}, {"generator", std::string("twinrisk ") + version_string},
         {"persona", to_string(who)}};
  const report_twin& tw = r.twin;
  j["twin"] = {{"name", tw.name}, {"source", tw.source}, {"currency", tw.currency}, {"nodes", tw.nodes}, {"edges", tw.edges},
               {"identities", tw.identities}, {"assets", tw.assets}, {"entry_points", tw.entry_points},
               {"crown_jewels", tw.crown_jewels}, {"ai_assets", tw.ai_assets}, {"threats", tw.threats}};
  const report_parameters& pa = r.parameters;
  j["parameters"] = {{"view", pa.view}, {"k", pa.k}, {"max_hops", pa.max_hops}, {"trials", pa.trials}, {"years", pa.years},
                     {"plan_years", pa.plan_years}, {"seed", pa.seed}, {"inputs", pa.inputs}, {"entry_model", pa.entry_model}};
  j["cancelled"] = r.cancelled;
  j["p_any_crown_jewel"] = detail::estimate_json(r.p_any_crown_jewel);
  if (!r.losses) j["no_loss_reason"] = r.no_loss_reason;
  if (show.score) {
    const report_score& s = r.score;
    j["score"] = {{"score", s.score}, {"band", s.band}, {"money_component", s.money_component},
                  {"probability_component", s.probability_component}, {"appetite", s.appetite},
                  {"appetite_assumed", s.appetite_assumed}, {"has_money", s.has_money}, {"p_exceed_appetite", s.p_exceed_appetite}};
  }
  if (show.loss && r.losses) j["loss"] = annual_losses_json(*r.losses);
  if (show.crown_jewels) {
    json& out = j["crown_jewels"] = json::array();
    for (const crown_jewel_risk& c : r.crown_jewels)
      out.push_back({{"node", node_json(c.node)}, {"compromise", detail::estimate_json(c.compromise)},
                     {"event_loss", c.event_loss}, {"ale", c.ale}, {"ale_se", c.ale_se}});
  }
  if (show.exposure && r.tier_zero) {
    const report_tier_zero& z = *r.tier_zero;
    json domains = json::array(), listed = json::array();
    for (const report_node& n : z.listed) listed.push_back(detail::node_json(n));
    for (const exposure_count& d : z.exposure.by_domain)
      domains.push_back({{"domain", d.domain}, {"principals", d.principals}, {"exposed", d.exposed}, {"share", d.share()}});
    j["tier_zero"] = {{"objects", z.objects},
                      {"principals", z.principals},
                      {"listed", std::move(listed)},
                      {"exposure", {{"principals", z.exposure.principals}, {"exposed", z.exposure.exposed}, {"share", z.exposure.share()},
                                    {"by_domain", std::move(domains)}}}};
  }
  if (show.exposure && r.exposure) {
    const report_exposure& e = *r.exposure;
    auto view = [](const report_exposure_view& v) {
      return json{{"bounded_paths", v.bounded_paths}, {"reachable_crown_jewels", v.reachable_crown_jewels},
                  {"usable_edges", v.usable_edges}, {"top_path_probability", v.top_path_probability}};
    };
    json changes = json::array();
    for (const report_edge_change& c : e.changes)
      changes.push_back({{"from", node_json(c.from)}, {"to", node_json(c.to)}, {"kind", c.edge_kind}, {"base", c.base},
                         {"effective", c.effective}, {"on_top_path", c.on_top_path}});
    auto steps = [](const std::vector<report_validation_step>& list) {
      json out = json::array();
      for (const report_validation_step& s : list) out.push_back({{"edge", detail::edge_json(s.edge)}, {"paths", s.paths}});
      return out;
    };
    j["exposure"] = {{"max_hops", e.max_hops}, {"theoretical", view(e.theoretical)}, {"validated", view(e.validated)},
                     {"changed_edges", e.changed_edges}, {"changes", std::move(changes)},
                     {"path_validation", {{"validated", e.validated_paths}, {"blocked", e.blocked_paths}, {"untested", e.untested_paths},
                                          {"blocked_at", steps(e.blocked_at)}, {"worth_testing", steps(e.worth_testing)}}}};
  }
  if (show.paths) {
    json& out = j["paths"] = json::array();
    for (const report_path& p : r.paths) out.push_back(detail::path_json(p));
  }
  const report_remediation& m = r.remediation;
  if (show.remediation) {
    json plan = json::array(), cut = json::array(), chokes = json::array();
    for (const report_action& a : m.plan) plan.push_back(detail::action_json(a));
    for (const report_edge& e : m.cut) cut.push_back(detail::edge_json(e));
    for (const report_choke_point& c : m.choke_points)
      chokes.push_back({{"edge", detail::edge_json(c.edge)}, {"path_share", c.path_share}, {"paths", c.paths}});
    j["remediation"] = {{"budget", m.budget}, {"candidates", m.candidates}, {"ale_before", m.ale_before},
                        {"p99_before", m.p99_before}, {"plan", std::move(plan)},
                        {"cut", {{"cost", m.cut_cost ? detail::finite_json(*m.cut_cost) : json(nullptr)}, {"edges", std::move(cut)}}},
                        {"choke_points", std::move(chokes)}};
  }
  if (show.decisions) {
    json& out = j["decisions"] = json::array();
    for (std::size_t i = 0; i < m.plan.size() && i < ciso_decisions; ++i) out.push_back(detail::action_json(m.plan[i]));
  }
  if (show.ai) {
    json& out = j["ai"] = json::array();
    for (const ai_asset& a : r.ai) {
      json reaches = json::array();
      for (const ai_reach& x : a.reaches)
        reaches.push_back({{"crown_jewel", node_json(x.crown_jewel)}, {"probability", detail::estimate_json(x.probability)}});
      out.push_back({{"node", node_json(a.node)}, {"sanctioned", a.sanctioned}, {"shadow", !a.sanctioned},
                     {"internet_exposed", a.internet_exposed}, {"owner", a.owner}, {"analysed", a.analysed},
                     {"reaches", std::move(reaches)}});
    }
  }
  return j;
}

}  // namespace twinrisk
