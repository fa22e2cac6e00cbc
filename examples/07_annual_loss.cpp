// How much money is at risk in a year? FAIR-style Monte Carlo over the twin: each threat's events
// a year, the attack paths each event takes, and the loss of every asset that falls — the annual
// loss expectancy, its percentiles, the tail, who contributes what — and losses that move together.

#include <cstdio>
#include <iostream>

#include "example_twin.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/risk/money.hpp"
#include "twinrisk/risk/simulate_loss.hpp"
#include "twinrisk/sim/estimate.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = twinrisk_examples::example_twin(argc, argv);
  //! [loss]
  annual_losses r = simulate_loss(t, get(&edge::probability, t), loss_model_of(t),
                                  {.years = 8'192, .seed = 7, .all_gates = all_gates_of(t)});
  const auto money = [&](double x) { return format_money(x, r.currency); };
  std::printf("ALE %s ± %s (95%%), P(any loss in a year) %.3f\n", money(r.ale()).c_str(), money(z_95 * r.ale_se()).c_str(),
              r.p_any_loss());
  std::printf("p50 %s, p90 %s, p99 %s; VaR99 %s, TVaR99 %s\n", money(r.quantile(0.5)).c_str(), money(r.quantile(0.9)).c_str(),
              money(r.quantile(0.99)).c_str(), money(r.var(0.99)).c_str(), money(r.tvar(0.99)).c_str());
  for (std::size_t i = 0; i < r.asset_ids.size(); ++i)  // contributions add up to the ALE
    std::printf("  %-24s %s\n", r.asset_ids[i].c_str(), money(r.asset_ale(i)).c_str());
  for (const auto& [loss, p] : r.exceedance_curve(8))  // the loss exceedance curve, log-spaced
    std::printf("  P(annual loss > %s) = %.4f\n", money(loss).c_str(), p);
  //! [loss]

  //! [correlated]
  // Two assets breached in one event often lose together too (one disclosure, one outage): say
  // so, and the tail grows while the ALE stays (a Gaussian copula; docs/formats.md).
  const loss_model m = loss_model_of(t);
  twin_builder b = builder_from(t);
  b.add_loss_correlation(m.assets[0].id, m.assets[1].id, 0.8);
  const twin correlated = std::move(b).build();
  annual_losses c = simulate_loss(correlated, get(&edge::probability, correlated), loss_model_of(correlated),
                                  {.years = 8'192, .seed = 7, .all_gates = all_gates_of(correlated)});
  std::printf("%s and %s correlated 0.8: ALE %s, sd %s (was %s)\n", m.assets[0].id.c_str(), m.assets[1].id.c_str(),
              money(c.ale()).c_str(), money(c.sd()).c_str(), money(r.sd()).c_str());
  //! [correlated]
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "annual_loss: " << e.what() << "\n";
  return 1;
}
