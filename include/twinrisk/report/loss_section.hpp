#pragma once
/// Annual losses as document blocks: the headline figures, the share of each asset and threat,
/// and the loss exceedance curve as a chart and a table. The risk report's "Financial exposure"
/// section and `twinrisk loss|fair --format md` are both this.
///
///     report_document d = loss_document(simulate_loss(t, p, m, {}), "Loss exposure — Acme", "");
///     std::cout << render_markdown(d);

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "twinrisk/report/document.hpp"
#include "twinrisk/report/exceedance_svg.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/money.hpp"
#include "twinrisk/sim/estimate.hpp"

namespace twinrisk {

/// What `loss_blocks` writes.
struct loss_section_options {
  bool full = true;                 ///< sd, p95, p99.9, VaR/TVaR rows and the exceedance chart and table
  bool contributions = false;       ///< ALE by asset and by threat, with shares
  std::optional<double> appetite{};  ///< a dashed line on the chart and an "above/within" column
  std::size_t exceedance_rows = 10;  ///< points of the exceedance table (those with P > 0 are shown)
};

/// `l` as blocks, in its own currency.
[[nodiscard]] inline std::vector<doc_block> loss_blocks(const annual_losses& l, const loss_section_options& o = {}) {
  using detail::percent_text;
  const auto money = [&](double x) { return format_money(x, l.currency); };
  std::vector<doc_block> blocks;
  doc_table t{{"measure", "value"}, {false, true}, {}};
  t.rows.push_back({"Annual loss expectancy (ALE)", money(l.ale()) + " ± " + money(z_95 * l.ale_se()) + " (95%)"});
  if (o.full) t.rows.push_back({"Standard deviation", money(l.sd())});
  t.rows.push_back({"P(any loss in a year)", percent_text(l.p_any_loss())});
  t.rows.push_back({"Median year (p50)", money(l.quantile(0.5))});
  t.rows.push_back({"1-in-10 year (p90)", money(l.quantile(0.9))});
  if (o.full) t.rows.push_back({"1-in-20 year (p95)", money(l.quantile(0.95))});
  t.rows.push_back({"1-in-100 year (p99)", money(l.quantile(0.99))});
  if (o.full) {
    t.rows.push_back({"1-in-1000 year (p99.9)", money(l.quantile(0.999))});
    t.rows.push_back({"VaR 95% / TVaR 95%", money(l.var(0.95)) + " / " + money(l.tvar(0.95))});
    t.rows.push_back({"VaR 99% / TVaR 99%", money(l.var(0.99)) + " / " + money(l.tvar(0.99))});
  }
  blocks.emplace_back(std::move(t));

  if (o.contributions) {
    const auto shares = [&](const char* heading, const char* what, const std::vector<std::string>& ids, auto ale, auto se) {
      if (ids.empty()) return;
      blocks.emplace_back(doc_heading{3, heading});
      doc_table c{{what, "ALE", "± 95%", "share"}, {false, true, true, true}, {}};
      for (std::size_t i = 0; i < ids.size(); ++i)
        c.rows.push_back({ids[i], money(ale(i)), money(z_95 * se(i)), percent_text(l.ale() > 0.0 ? ale(i) / l.ale() : 0.0)});
      blocks.emplace_back(std::move(c));
    };
    shares("ALE by asset", "asset", l.asset_ids, [&](std::size_t i) { return l.asset_ale(i); }, [&](std::size_t i) { return l.asset_se(i); });
    shares("ALE by threat", "threat", l.threat_ids, [&](std::size_t i) { return l.threat_ale(i); },
           [&](std::size_t i) { return l.threat_se(i); });
  }
  if (!o.full) return blocks;

  std::string caption = "Probability that a year's loss exceeds each amount";
  if (o.appetite) caption += "; the dashed line is the risk appetite (" + money(*o.appetite) + ")";
  blocks.emplace_back(doc_figure{loss_exceedance_svg(l, {.title = "Loss exceedance", .appetite = o.appetite.value_or(0.0)}), caption + "."});
  doc_table lec{{"annual loss at least", "probability in a year"}, {true, true}, {}};
  if (o.appetite) {
    lec.columns.emplace_back("vs appetite");
    lec.numeric.push_back(false);
  }
  for (const auto& [x, p] : l.exceedance_curve(o.exceedance_rows)) {
    if (p <= 0.0) continue;
    lec.rows.push_back({money(x), percent_text(p)});
    if (o.appetite) lec.rows.back().emplace_back(x > *o.appetite ? "above" : "within");
  }
  blocks.emplace_back(std::move(lec));
  if (l.cancelled) blocks.emplace_back(doc_paragraph{"Cancelled: the figures cover the years simulated before the stop.", true});
  return blocks;
}

/// A document of its own for `l`: `title`, `subtitle`, then `loss_blocks(l, o)`.
[[nodiscard]] inline report_document loss_document(const annual_losses& l, std::string title, std::string subtitle,
                                                   const loss_section_options& o = {.contributions = true}) {
  return {std::move(title), std::move(subtitle), loss_blocks(l, o)};
}

}  // namespace twinrisk
