#pragma once
/// What a persona's report says, as a document (report/document.hpp) that the Markdown and HTML
/// renderers turn into markup.

#include <string>
#include <vector>

#include "twinrisk/report/document.hpp"
#include "twinrisk/report/loss_section.hpp"
#include "twinrisk/report/report.hpp"
#include "twinrisk/report/report_svg.hpp"
#include "twinrisk/risk/money.hpp"
#include "twinrisk/version.hpp"

namespace twinrisk {

namespace detail {

inline std::string probability_text(const estimate& e) {
  return percent_text(e.p) + " [" + percent_text(e.lo) + ", " + percent_text(e.hi) + "]";
}

inline std::string node_text(const report_node& n) {
  return n.name == n.id ? n.name + " (" + n.kind + ")" : n.name + " (" + n.kind + ", " + n.id + ")";
}

/// "from —kind→ to", by names.
inline std::string hop_text(const std::string& from, const std::string& kind, const std::string& to) {
  return from + " \u2014" + kind + "\u2192 " + to;
}

inline std::string edge_text(const report_edge& e) { return hop_text(e.from.name, e.edge_kind, e.to.name); }

/// Builds a document block by block.
class document_writer {
 public:
  explicit document_writer(const risk_report& r) : r_(r) {}

  [[nodiscard]] std::string money(double x) const { return format_money(x, r_.twin.currency); }
  void heading(std::string text, int level = 2) { blocks_.push_back(doc_heading{level, std::move(text)}); }
  void paragraph(std::string text, bool note = false) { blocks_.push_back(doc_paragraph{std::move(text), note}); }
  void add(doc_block b) { blocks_.push_back(std::move(b)); }
  [[nodiscard]] std::vector<doc_block> take() { return std::move(blocks_); }

  void score() {
    const report_score& s = r_.score;
    heading("Risk score");
    add(doc_headline{"Risk score", std::to_string(s.score) + " / 100", "", s.band});
    std::string how = s.has_money ? "0.6 × money (" + fixed(s.money_component) + ") + 0.4 × probability (" +
                                        fixed(s.probability_component) + ")"
                                  : "probability component alone (" + fixed(s.probability_component) + "): no loss model";
    paragraph("Score = " + how + ". Money compares the annual loss expectancy with the risk appetite of " + money(s.appetite) +
              " a year (50 at the appetite); probability is the chance an attacker who gets in reaches a crown jewel (" +
              probability_text(r_.p_any_crown_jewel) + ").");
    if (s.has_money) paragraph("P(annual loss above the appetite) = " + percent_text(s.p_exceed_appetite) + ".");
    if (s.appetite_assumed)
      paragraph("No risk appetite was stated: the default of " + money(s.appetite) +
                    " was used. State yours with --appetite or the twin's metadata.risk_appetite.", true);
  }

  void loss(bool full) {
    heading("Financial exposure");
    if (!r_.losses) {
      paragraph("No money figures: " + r_.no_loss_reason + ". Import with --assume-scenario, or state threats and losses in the twin.", true);
      return;
    }
    for (doc_block& b : loss_blocks(*r_.losses, {.full = full, .appetite = r_.score.appetite})) add(std::move(b));
  }

  void crown_jewels() {
    heading("Crown jewels");
    const std::string from = r_.parameters.entry_model == "one" ? "from one entry point drawn at random" : "from every entry point";
    paragraph("Chance each falls in one campaign " + from + ", with its 95% interval (" +
              std::to_string(r_.parameters.trials) + " simulated campaigns); loss per compromise is the mean of its stated loss.");
    if (!r_.crown_jewels.empty()) add(doc_figure{compromise_bars_svg(r_), "Compromise probability of each crown jewel (95% interval)."});
    doc_table t{{"crown jewel", "P(compromise)", "loss per compromise", "ALE"}, {false, true, true, true}, {}};
    for (const crown_jewel_risk& c : r_.crown_jewels)
      t.rows.push_back({node_text(c.node), probability_text(c.compromise), c.event_loss > 0 ? money(c.event_loss) : "—",
                        r_.losses ? money(c.ale) : "—"});
    add(std::move(t));
  }

  void tier_zero() {
    if (!r_.tier_zero) return;
    const report_tier_zero& z = *r_.tier_zero;
    heading("Tier zero");
    const tier_zero_exposure& e = z.exposure;
    paragraph(std::to_string(e.exposed) + " of " + std::to_string(e.principals) + " users and computers outside tier zero (" +
              percent_text(e.share()) + ") have an attack path into it. " + std::to_string(z.objects) +
              " objects are tier zero: control of any of them is control of a domain.");
    if (e.by_domain.size() > 1) {
      doc_table t{{"domain", "users and computers", "with a path into tier zero", "share"}, {false, true, true, true}, {}};
      for (const exposure_count& d : e.by_domain)
        t.rows.push_back({d.domain.empty() ? "(no domain)" : d.domain, std::to_string(d.principals), std::to_string(d.exposed),
                          percent_text(d.share())});
      add(std::move(t));
    }
    std::string who;
    for (std::size_t i = 0; i < z.listed.size(); ++i) who += (i ? ", " : "") + z.listed[i].name;
    if (z.principals > z.listed.size()) who += " and " + std::to_string(z.principals - z.listed.size()) + " more";
    if (z.principals != 0)
      paragraph(std::to_string(z.principals) + " principals already hold tier zero, a finding of their own rather than attack "
                "paths: each is an account to protect and to keep few: " + who + ".");
  }

  void exposure() {
    heading("Theoretical versus validated exposure");
    if (!r_.exposure) {
      paragraph("No exploitability assessment: every figure uses the edges' base probabilities (theoretical view).", true);
      return;
    }
    const report_exposure& e = *r_.exposure;
    paragraph("What an attacker could do (base probabilities) against what they can do once threat intelligence, controls and "
              "pentest evidence are applied.");
    doc_table t{{"", "theoretical", "validated"}, {false, true, true}, {}};
    t.rows.push_back({"paths of at most " + std::to_string(e.max_hops) + " hops", std::to_string(e.theoretical.bounded_paths),
                      std::to_string(e.validated.bounded_paths)});
    t.rows.push_back({"reachable crown jewels", std::to_string(e.theoretical.reachable_crown_jewels),
                      std::to_string(e.validated.reachable_crown_jewels)});
    t.rows.push_back({"usable edges", std::to_string(e.theoretical.usable_edges), std::to_string(e.validated.usable_edges)});
    t.rows.push_back({"most probable path", percent_text(e.theoretical.top_path_probability, 2),
                      percent_text(e.validated.top_path_probability, 2)});
    add(std::move(t));
    const std::uint64_t all = e.validated_paths + e.blocked_paths + e.untested_paths;
    paragraph("Of the " + std::to_string(all) + " theoretical paths, " + std::to_string(e.validated_paths) +
              " are validated end to end, " + std::to_string(e.blocked_paths) + " are blocked at a step fresh evidence saw stopped, and " +
              std::to_string(e.untested_paths) + " are untested.");
    auto steps = [&](const char* title, const char* what, const std::vector<report_validation_step>& list) {
      if (list.empty()) return;
      doc_table x{{title, what}, {false, true}, {}};
      for (const report_validation_step& s : list) x.rows.push_back({edge_text(s.edge), std::to_string(s.paths)});
      add(std::move(x));
    };
    steps("blocked at", "paths stopped", e.blocked_at);
    steps("untested step worth testing first", "untested paths through it", e.worth_testing);
    if (e.changes.empty()) return;
    doc_table c{{"edge", "base", "validated", "on the top path"}, {false, true, true, false}, {}};
    for (const report_edge_change& x : e.changes)
      c.rows.push_back({hop_text(x.from.name, x.edge_kind, x.to.name), fixed(x.base, 3), fixed(x.effective, 3),
                        x.on_top_path ? "yes" : ""});
    paragraph(std::to_string(e.changed_edges) + " edges changed; the most telling:");
    add(std::move(c));
  }

  /// Paths as stories (responder) or as one line each (engineer).
  void paths(bool stories) {
    heading(stories ? "Attack stories" : "Attack paths");
    if (r_.paths.empty()) {
      paragraph("No path leads from an entry point to a crown jewel.");
      return;
    }
    add(doc_figure{attack_path_svg(r_.paths.front()), "The most probable attack path."});
    if (!stories) {
      doc_table t{{"#", "probability", "path", "at stake"}, {true, true, false, true}, {}};
      for (std::size_t i = 0; i < r_.paths.size(); ++i) {
        const report_path& p = r_.paths[i];
        std::string line = p.entry.name;
        for (const report_step& s : p.steps) line = hop_text(line, s.edge_kind, s.to.name);
        t.rows.push_back({std::to_string(i + 1), percent_text(p.probability, 2), line, p.event_loss > 0 ? money(p.event_loss) : "—"});
      }
      add(std::move(t));
      return;
    }
    for (std::size_t i = 0; i < r_.paths.size(); ++i) {
      const report_path& p = r_.paths[i];
      heading("Path " + std::to_string(i + 1) + ": " + p.entry.name + " to " + p.steps.back().to.name + " (" +
                  percent_text(p.probability, 2) + ")",
              3);
      doc_list steps{true, {}};
      steps.items.push_back({"Entry: " + node_text(p.entry)});
      for (std::size_t s = 0; s < p.steps.size(); ++s) {
        const report_step& st = p.steps[s];
        const std::string what = s + 1 == p.steps.size() ? "Target: " : "Lateral movement: ";
        steps.items.push_back({what + node_text(st.to), "by " + st.edge_kind + ", succeeds with probability " + fixed(st.probability, 2)});
      }
      add(std::move(steps));
      paragraph(p.event_loss > 0 ? "Business impact: " + money(p.event_loss) + " per compromise of " + p.steps.back().to.name +
                                       "; " + money(p.expected_loss()) + " expected per attempt along this path."
                                 : "Business impact: " + p.steps.back().to.name + " states no loss in money.");
    }
  }

  void decisions() {
    heading("Top decisions");
    const auto& plan = r_.remediation.plan;
    if (plan.empty()) {
      paragraph(r_.losses ? "No action within the budget saves a significant amount." : "No plan: it needs a loss model.");
      return;
    }
    doc_list l{true, {}};
    for (std::size_t i = 0; i < plan.size() && i < ciso_decisions; ++i) {
      const report_action& a = plan[i];
      const std::string what = a.action.description.empty() ? std::string(to_string(a.action.kind)) : a.action.description;
      std::vector<std::string> item{capitalised(what) + ": " + (a.edges.size() == 1 ? edge_text(a.edges.front()) : a.action.target),
                                    "costs " + money(a.action.cost) + ", saves " + money(a.delta_ale) + " a year (95%: " +
                                        money(a.delta_ale_lo) + " to " + money(a.delta_ale_hi) + ")"};
      if (a.action.requires_approval) item.push_back("needs approval: " + a.action.reason);
      l.items.push_back(std::move(item));
    }
    add(std::move(l));
    const report_remediation& m = r_.remediation;
    paragraph("The whole plan (" + std::to_string(plan.size()) + " steps, " + money(plan.back().cumulative_cost) +
              ") takes the ALE from " + money(m.ale_before) + " to " + money(plan.back().ale_after) + ".");
  }

  void remediation() {
    heading("Fixes in order of value");
    const report_remediation& m = r_.remediation;
    if (m.plan.empty()) {
      paragraph(r_.losses ? "No action within the budget of " + money(m.budget) + " saves a significant amount."
                          : "No budgeted plan without a loss model; the cut and choke points below still apply.", !r_.losses);
    } else {
      paragraph("Budget " + money(m.budget) + ", " + std::to_string(m.candidates) + " candidate actions; baseline ALE " +
                money(m.ale_before) + ". Each step's saving is on top of the steps before it (95% interval).");
      doc_list l{true, {}};
      for (const report_action& a : m.plan) {
        std::vector<std::string> item{std::string(to_string(a.action.kind)) + " " + a.action.target +
                                      (a.action.description.empty() ? "" : " — " + a.action.description),
                                      "cost " + money(a.action.cost) + ", saves " + money(a.delta_ale) + "/yr [" + money(a.delta_ale_lo) +
                                          ", " + money(a.delta_ale_hi) + "], ALE after " + money(a.ale_after)};
        for (const report_edge& e : a.edges) item.push_back("edge: " + edge_text(e));
        if (!a.identities.empty()) item.push_back("identities: " + names(a.identities));
        if (!a.assets.empty()) item.push_back("assets: " + names(a.assets));
        if (a.action.requires_approval) item.push_back("needs approval: " + a.action.reason);
        l.items.push_back(std::move(item));
      }
      add(std::move(l));
    }
    heading("Cheapest complete cut", 3);
    if (!m.cut_cost) {
      paragraph("None: an entry point is a crown jewel, or only irremovable edges separate them.");
    } else {
      paragraph("Removing these " + std::to_string(m.cut.size()) + " edges (" + money(*m.cut_cost) +
                " at the default fix costs) separates every entry point from every crown jewel.");
      doc_list l{false, {}};
      for (const report_edge& e : m.cut) l.items.push_back({edge_text(e)});
      add(std::move(l));
    }
    if (m.choke_points.empty()) return;
    heading("Choke points", 3);
    doc_table t{{"edge", "share of top-path probability", "paths"}, {false, true, true}, {}};
    for (const report_choke_point& c : m.choke_points) t.rows.push_back({edge_text(c.edge), percent_text(c.path_share), std::to_string(c.paths)});
    add(std::move(t));
  }

  void ai() {
    heading("AI inventory");
    if (r_.ai.empty()) {
      paragraph("The twin holds no AI model, agent or copilot.");
      return;
    }
    std::size_t shadow = 0;
    for (const ai_asset& a : r_.ai) shadow += a.sanctioned ? 0 : 1;
    paragraph(std::to_string(r_.ai.size()) + " AI assets, " + std::to_string(shadow) +
              " unsanctioned (shadow AI). Reach: the crown jewels an attacker controlling the asset (prompt injection, a "
              "poisoned model, a hijacked agent) could then compromise.");
    doc_table t{{"AI asset", "status", "owner", "reachable crown jewels"}, {false, false, false, false}, {}};
    for (const ai_asset& a : r_.ai) {
      std::string reach;
      if (!a.analysed) reach = "not analysed (limit)";
      for (const ai_reach& x : a.reaches) reach += (reach.empty() ? "" : "; ") + x.crown_jewel.name + " " + percent_text(x.probability.p);
      if (reach.empty()) reach = "none";
      t.rows.push_back({node_text(a.node), std::string(a.sanctioned ? "sanctioned" : "shadow AI") + (a.internet_exposed ? ", internet-exposed" : ""),
                        a.owner.empty() ? "—" : a.owner, reach});
    }
    add(std::move(t));
  }

 private:
  static std::string fixed(double x, int digits = 1) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, x);
    return buffer;
  }
  static std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
  }
  static std::string names(const std::vector<report_node>& nodes) {
    std::string out;
    for (const report_node& n : nodes) out += (out.empty() ? "" : ", ") + n.name;
    return out;
  }

  const risk_report& r_;
  std::vector<doc_block> blocks_;
};

}  // namespace detail

/// The document persona `who` reads, its sections in the order that persona needs them.
[[nodiscard]] inline report_document make_report_document(const risk_report& r, persona who) {
  const report_sections show = sections_of(who);
  detail::document_writer w(r);
  report_document d;
  d.title = "Risk report — " + (r.twin.name.empty() ? r.twin.source : r.twin.name);
  d.subtitle = std::string(to_string(who)) + " view · " + r.parameters.view + " probabilities · " + std::to_string(r.twin.nodes) +
               " nodes, " + std::to_string(r.twin.edges) + " edges, " + std::to_string(r.twin.entry_points) + " entry points, " +
               std::to_string(r.twin.crown_jewels) + " crown jewels · twinrisk " + version_string;
  if (r.cancelled) w.paragraph("Cancelled: the figures cover the work done before the stop.", true);
  if (show.score) w.score();
  if (show.loss) w.loss(who != persona::responder);
  if (show.decisions) w.decisions();
  if (show.remediation) w.remediation();
  if (show.paths) w.paths(who != persona::engineer);
  if (show.crown_jewels) w.crown_jewels();
  if (show.exposure) w.tier_zero();
  if (show.exposure) w.exposure();
  if (show.ai) w.ai();
  w.heading("How these figures were made");
  std::string how = r.parameters.view + " edge probabilities; " + std::to_string(r.parameters.k) + " most probable paths; " +
                    std::to_string(r.parameters.trials) + " simulated campaigns";
  if (r.losses) how += "; " + std::to_string(r.parameters.years) + " simulated years (plan: " + std::to_string(r.parameters.plan_years) + " per evaluation)";
  how += "; seed " + std::to_string(r.parameters.seed) + ". Source: " + r.twin.source;
  for (const std::string& in : r.parameters.inputs) how += ", " + in;
  w.paragraph(how + ".", true);
  d.blocks = w.take();
  return d;
}

}  // namespace twinrisk
