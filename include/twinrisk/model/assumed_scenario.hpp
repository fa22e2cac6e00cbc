#pragma once
/// `with_assumed_scenario`: money and a threat for a twin that has none (a BloodHound or OpenGraph
/// import), so that loss and remediation analyses run — on figures that are stated assumptions.

#include <string>
#include <vector>

#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// The assumptions: one threat acting from every entry point, a loss on every crown jewel (in a
/// directory, on every domain: see `priced_by_assumed_scenario`).
/// Defaults are rough figures for a mid-size company whose directory falls (docs/importing.md,
/// "No money in the data"); state your own.
struct assumed_scenario {
  std::string currency = "USD";
  distribution_spec frequency = distribution_spec::lognormal(0.5, 5.0);      ///< attack campaigns per year
  distribution_spec crown_jewel_loss = distribution_spec::lognormal(1e6, 20e6);  ///< per compromise of a crown jewel (a domain)
  double capability = 1.0;
};

/// Whether `with_assumed_scenario` prices node `n`: a crown jewel without a loss of its own; in a
/// directory or cloud (a twin with tier zero), of the tier-zero crown jewels only the collected
/// domains, tenants, cloud accounts (AWS accounts, GCP projects, folders, organisations) and
/// clusters — a domain falls once, whatever number of its tier-zero objects fall with it (they
/// lead to it: `tier_zero_of` edges), and a trusted domain that was not collected is not the company's.
[[nodiscard]] inline bool priced_by_assumed_scenario(const node& n, bool twin_has_tier_zero) {
  if (!n.crown_jewel || n.loss) return false;
  if (!twin_has_tier_zero || !n.tier_zero) return true;
  const bool placeholder = n.properties.is_object() && n.properties.value("placeholder", false);
  return (n.kind == node_kind::domain || n.kind == node_kind::tenant || n.kind == node_kind::cloud_account ||
          n.kind == node_kind::kubernetes_cluster) && !placeholder;
}

/// A copy of `t` with, where it states none: the currency, a threat "assumed" acting from every
/// entry point (equal weights), and `crown_jewel_loss` on every crown jewel that
/// `priced_by_assumed_scenario` names. The twin's metadata records `"assumed_scenario": true`.
/// Throws: model_error when `t` has no entry point or nothing to price, saying what supplies it;
/// input_error on a bad distribution or a currency that differs from the twin's.
[[nodiscard]] inline twin with_assumed_scenario(const twin& t, const assumed_scenario& s = {}) {
  if (t.entry_points().empty())
    throw model_error("no entry point to assume an attacker at: mark some (entry_point in the twin, or --entry when importing)");
  const bool has_tier_zero = !t.select([](const node& n) { return n.tier_zero.has_value(); }).empty();
  if (t.select([&](const node& n) { return priced_by_assumed_scenario(n, has_tier_zero); }).empty() &&
      t.select([](const node& n) { return n.crown_jewel && n.loss; }).empty())
    throw model_error("no crown jewel to put a loss on: mark the assets whose compromise costs money (crown_jewel in the "
                      "twin), or import a directory, whose domains are priced");
  if (!t.info().currency.empty() && t.info().currency != s.currency)
    throw input_error({.pointer = "/currency"}, "the twin states " + t.info().currency + ", the scenario " + s.currency);
  twin_builder b = builder_from(t, [&](node& n) {
    if (priced_by_assumed_scenario(n, has_tier_zero)) n.loss = loss_magnitude{.primary = s.crown_jewel_loss};
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
