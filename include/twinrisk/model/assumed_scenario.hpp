#pragma once
/// `with_assumed_scenario`: money and a threat for a twin that has none (a BloodHound or OpenGraph
/// import), so that loss and remediation analyses run — on figures that are stated assumptions.

#include <string>
#include <vector>

#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// The assumptions: one threat acting from every entry point, a loss on every crown jewel.
/// Defaults are rough figures for a mid-size company whose directory falls (docs/importing.md,
/// "No money in the data"); state your own.
struct assumed_scenario {
  std::string currency = "USD";
  distribution_spec frequency = distribution_spec::lognormal(0.5, 5.0);      ///< attack campaigns per year
  distribution_spec crown_jewel_loss = distribution_spec::lognormal(1e6, 20e6);  ///< per compromise of a crown jewel
  double capability = 1.0;
};

/// A copy of `t` with, where it states none: the currency, a threat "assumed" acting from every
/// entry point (equal weights), and `crown_jewel_loss` on every crown jewel without a loss.
/// The twin's metadata records `"assumed_scenario": true`.
/// Throws: model_error when `t` has no entry point or no crown jewel; input_error on a bad
/// distribution or a currency that differs from the twin's.
[[nodiscard]] inline twin with_assumed_scenario(const twin& t, const assumed_scenario& s = {}) {
  if (t.entry_points().empty()) throw model_error("with_assumed_scenario: the twin has no entry points");
  if (t.crown_jewels().empty()) throw model_error("with_assumed_scenario: the twin has no crown jewels");
  if (!t.info().currency.empty() && t.info().currency != s.currency)
    throw input_error({.pointer = "/currency"}, "the twin states " + t.info().currency + ", the scenario " + s.currency);
  twin_builder b = builder_from(t, [&s](node& n) {
    if (n.crown_jewel && !n.loss) n.loss = loss_magnitude{.primary = s.crown_jewel_loss};
  });
  if (t.info().threats.empty()) {
    std::vector<threat_entry_ref> entries;
    for (auto v : t.entry_points()) entries.push_back({t.id(v)});
    b.add_threat({.id = "assumed", .name = "Assumed attacker (from every entry point)", .frequency = s.frequency,
                  .capability = s.capability},
                 std::move(entries));
  }
  b.set_currency(s.currency);
  nlohmann::json metadata = t.info().metadata.is_object() ? t.info().metadata : nlohmann::json::object();
  metadata["assumed_scenario"] = true;
  b.set_metadata(std::move(metadata));
  return std::move(b).build();
}

}  // namespace twinrisk
