// Loss exposure against closed forms: compound Poisson with lognormal magnitudes (ALE = λ·q·E[X],
// variance λ·q·E[X²]), annual caps, assets behind one choke point falling together, statistics on
// known data; contributions that add up to the ALE; identical results for every thread count;
// merging runs of disjoint years; early stopping; and bad input named by pointer.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/model/generate.hpp"
#include "twinrisk/model/twin_builder.hpp"
#include "twinrisk/report/exceedance_svg.hpp"
#include "twinrisk/risk/fair.hpp"
#include "twinrisk/sim/distributions.hpp"
#include "twinrisk/sim/philox_words.hpp"
#include "twinrisk/risk/simulate_loss.hpp"

using namespace twinrisk;

namespace {

// An entry point e, an asset a reached with probability q, one threat at constant rate λ.
struct exposed {
  twin t;
  loss_model model;
};

exposed one_asset(double q, double rate, const loss_magnitude& loss) {
  twin_builder b;
  b.add_node("e", {});
  b.add_node("a", {});
  b.add_edge("e", "a", {.probability = q});
  exposed x{b.build(), {}};
  x.model.currency = "USD";
  x.model.threats.push_back({.id = "crew", .frequency = distribution_spec::constant(rate), .entry_points = {{0, 1.0}}});
  x.model.assets.push_back({1, "a", loss});
  return x;
}

// E[X] and E[X²] of the lognormal with 5th and 95th percentiles lo and hi.
std::pair<double, double> lognormal_moments(double lo, double hi) {
  const double mu = (std::log(lo) + std::log(hi)) / 2, sigma = (std::log(hi) - std::log(lo)) / (2 * 1.6448536269514722);
  return {std::exp(mu + sigma * sigma / 2), std::exp(2 * mu + 2 * sigma * sigma)};
}

}  // namespace

TEST_CASE("ALE of a directly exposed asset: λ·q·E[X] for Poisson events and lognormal magnitudes") {
  const auto [mean, second] = lognormal_moments(1e5, 1e6);
  for (double q : {1.0, 0.3}) {
    CAPTURE(q);
    const exposed x = one_asset(q, 2.0, {.primary = distribution_spec::lognormal(1e5, 1e6)});
    const std::uint64_t n = 100'000;
    const annual_losses r = simulate_loss(x.t, get(&edge::probability, x.t), x.model, {.years = n, .seed = 3});
    REQUIRE(r.years() == n);
    const double ale = 2.0 * q * mean, se = std::sqrt(2.0 * q * second / static_cast<double>(n));
    CHECK(std::abs(r.ale() - ale) < 4 * se);  // fails with probability < 1e-4
    CHECK(r.ale_se() == doctest::Approx(se).epsilon(0.1));
    CHECK(r.p_any_loss() == doctest::Approx(1 - std::exp(-2.0 * q)).epsilon(0.02));
    CHECK(r.asset_ale(0) == doctest::Approx(r.ale()).epsilon(1e-12));
    CHECK(r.threat_ale(0) == doctest::Approx(r.ale()).epsilon(1e-12));
  }
}

TEST_CASE("annual cap: E[min(10·N, 15)] for N ~ Poisson(1)") {
  loss_magnitude m{.primary = distribution_spec::constant(10.0)};
  m.annual_cap = 15.0;
  const exposed x = one_asset(1.0, 1.0, m);
  const std::uint64_t n = 100'000;
  const annual_losses r = simulate_loss(x.t, get(&edge::probability, x.t), x.model, {.years = n});
  const double p0 = std::exp(-1.0), p1 = std::exp(-1.0);
  const double mean = 10 * p1 + 15 * (1 - p0 - p1), var = 100 * p1 + 225 * (1 - p0 - p1) - mean * mean;
  CHECK(std::abs(r.ale() - mean) < 4 * std::sqrt(var / static_cast<double>(n)));
  for (double y : r.by_year) CHECK((y == 0.0 || y == 10.0 || y == 15.0));
}

TEST_CASE("two assets behind one choke point fall together: losses are correlated as the graph says") {
  twin_builder b;
  for (const char* id : {"e", "c", "a", "b"}) b.add_node(id, {});
  b.add_edge("e", "c", {.probability = 0.5});
  b.add_edge("c", "a", {.probability = 1.0});
  b.add_edge("c", "b", {.probability = 1.0});
  const twin t = b.build();
  loss_model model{"EUR", {{.id = "crew", .frequency = distribution_spec::constant(1.0), .entry_points = {{0, 1.0}}}}, {}};
  model.assets = {{2, "a", {.primary = distribution_spec::constant(1.0)}}, {3, "b", {.primary = distribution_spec::constant(1.0)}}};
  const std::uint64_t n = 50'000;
  const annual_losses r = simulate_loss(t, get(&edge::probability, t), model, {.years = n, .seed = 9});
  for (double y : r.by_year) CHECK(std::fmod(y, 2.0) == 0.0);  // never one without the other
  CHECK(r.by_asset[0].sum == r.by_asset[1].sum);
  const double p = 1 - std::exp(-0.5);  // events that get through: Poisson(0.5)
  CHECK(std::abs(r.p_any_loss() - p) < 4 * std::sqrt(p * (1 - p) / static_cast<double>(n)));
  CHECK(std::abs(r.ale() - 1.0) < 4 * std::sqrt(4 * 0.5 / static_cast<double>(n)));  // 2 per event, Poisson(0.5) events
}

TEST_CASE("statistics on known years: numpy-style percentiles, VaR, TVaR, exceedance") {
  annual_losses r;
  r.by_year.resize(100);
  std::iota(r.by_year.begin(), r.by_year.end(), 1.0);  // 1 .. 100
  CHECK(r.ale() == doctest::Approx(50.5));
  CHECK(r.sd() == doctest::Approx(29.011491975882016));
  CHECK(r.quantile(0.95) == doctest::Approx(95.05));  // numpy.percentile(range(1, 101), 95)
  CHECK(r.quantile(0.5) == doctest::Approx(50.5));
  CHECK(r.var(0.99) == doctest::Approx(99.01));
  CHECK(r.tvar(0.95) == doctest::Approx(98.0));  // mean of 96 .. 100
  CHECK(r.tvar(0.0) == doctest::Approx(50.5));
  CHECK(r.exceedance(90.0) == doctest::Approx(0.10));
  CHECK(r.p_any_loss() == 1.0);
  const auto lec = r.exceedance_curve(10);
  REQUIRE(lec.size() == 10);
  CHECK(lec.front().first == doctest::Approx(r.quantile(0.01)));
  CHECK(lec.back().first == 100.0);
  CHECK(lec.back().second == 0.0);
  for (std::size_t i = 1; i < lec.size(); ++i) CHECK(lec[i].second <= lec[i - 1].second);
  CHECK_THROWS_AS((void)r.quantile(1.5), input_error);
}

TEST_CASE("the sample twin: contributions add up, same years for 1, 2 and 8 threads, runs merge") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  const loss_model model = loss_model_of(t);
  REQUIRE(model.threats.size() == 4);
  REQUIRE(model.assets.size() == 7);
  const auto prob = get(&edge::probability, t);
  const loss_options o{.years = 4096, .seed = 21, .all_gates = all_gates_of(t)};
  const annual_losses serial = simulate_loss(t, prob, model, o, seq);
  CHECK(serial.currency == "USD");
  CHECK(serial.ale() > 0.0);
  double assets = 0.0, threats = 0.0;
  for (std::size_t i = 0; i < serial.by_asset.size(); ++i) assets += serial.asset_ale(i);
  for (std::size_t i = 0; i < serial.by_threat.size(); ++i) threats += serial.threat_ale(i);
  CHECK(assets == doctest::Approx(serial.ale()).epsilon(1e-9));
  CHECK(threats == doctest::Approx(serial.ale()).epsilon(1e-9));
  for (int threads : {1, 2, 8}) {
    const annual_losses r = simulate_loss(t, prob, model, o, par{threads});
    CHECK(r.by_year == serial.by_year);
    CHECK(r.events == serial.events);
  }
  // Years 0-2047 here and 2048-4095 elsewhere, merged, are the single run.
  loss_options first = o, second = o;
  first.years = second.years = 2048;
  second.first_year = 2048;
  annual_losses merged = simulate_loss(t, prob, model, first);
  merged.merge(simulate_loss(t, prob, model, second));
  CHECK(merged.by_year == serial.by_year);
  CHECK(merged.asset_ale(0) == doctest::Approx(serial.asset_ale(0)).epsilon(1e-12));
  // Early stopping at a relative standard error of 10% stops after a whole round.
  const annual_losses early = simulate_loss(t, prob, model, {.years = 1'000'000, .seed = 21, .target_rse = 0.1});
  CHECK(early.years() < 1'000'000);
  CHECK(early.years() % 16384 == 0);
  CHECK(early.ale_se() / early.ale() < 0.1);
}

TEST_CASE("the sample twin's ALE equals Σ threats E[rate] · Σ assets P(falls | event) · E[magnitude]") {
  // An independent computation: without caps, ALE is linear in the events, so it is the sum over
  // threats and entry points of E[rate] · weight share · P(asset falls from that entry, with the
  // threat's capability) · E[loss], with P from simulate_compromise and E[·] in closed form.
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  loss_model model = loss_model_of(t);
  for (loss_asset& a : model.assets) a.loss.annual_cap.reset();
  for (threat& th : model.threats) th.detect_hours.reset();  // the race is tested on its own below
  auto mean_of = [](const distribution_spec& d) {
    switch (d.family) {
      case distribution_family::lognormal: {
        const auto [mu, sigma] = lognormal_90_parameters(d.a, d.c);
        return std::exp(mu + sigma * sigma / 2);
      }
      case distribution_family::pert: return (d.a + 4 * d.b + d.c) / 6;
      default: return (d.a + d.c) / 2;  // constant, uniform
    }
  };
  const std::vector<char> gates = all_gates_of(t);
  double expected = 0.0, sd_of_estimate = 0.0;  // its terms share worlds: their sds add (an upper bound)
  const std::uint64_t trials = 200'000;
  for (const threat& th : model.threats) {
    double total_weight = 0.0;
    for (const threat_entry& e : th.entry_points) total_weight += e.weight;
    const double capability = th.capability;
    const auto scaled = boost::make_transform_value_property_map([capability](double p) { return p * capability; },
                                                                 get(&edge::probability, t));
    for (const threat_entry& e : th.entry_points) {
      std::vector<std::size_t> targets;
      for (const loss_asset& a : model.assets) targets.push_back(a.vertex);
      const auto sim = simulate_compromise(t, {e.vertex}, targets, scaled, {.trials = trials, .seed = 5, .all_gates = gates});
      for (const loss_asset& a : model.assets) {
        double magnitude = mean_of(a.loss.primary);
        if (a.loss.secondary) magnitude += a.loss.secondary_probability * mean_of(*a.loss.secondary);
        const double rate = mean_of(th.frequency) * e.weight / total_weight, p = sim.probability(a.vertex);
        expected += rate * p * magnitude;
        sd_of_estimate += rate * magnitude * std::sqrt(p * (1 - p) / static_cast<double>(trials));
      }
    }
  }
  const annual_losses r = simulate_loss(t, get(&edge::probability, t), model, {.years = 200'000, .seed = 8, .all_gates = gates});
  CAPTURE(expected);
  CAPTURE(r.ale());
  CHECK(std::abs(r.ale() - expected) < 4 * (r.ale_se() + sd_of_estimate));
}

TEST_CASE("detection race: an asset loses only when the attacker reaches it before detection") {
  // A chain e -> a -> b: crossing e->a takes 1 hour, a->b 2 hours (constant), detection is
  // uniform on [0, 4] hours ⇒ P(a lost) = P(D > 1) = 3/4, P(b lost) = P(D > 3) = 1/4.
  twin_builder b;
  for (const char* id : {"e", "a", "b"}) b.add_node(id, {});
  b.add_edge("e", "a", {.probability = 1.0});
  b.add_edge("a", "b", {.probability = 1.0});
  const twin t = b.build();
  loss_model model{"USD", {{.id = "crew", .frequency = distribution_spec::constant(1.0), .entry_points = {{0, 1.0}}}}, {}};
  model.assets = {{1, "a", {.primary = distribution_spec::constant(1.0)}}, {2, "b", {.primary = distribution_spec::constant(10.0)}}};
  model.edge_hours = {distribution_spec::constant(1.0), distribution_spec::constant(2.0)};
  const auto prob = get(&edge::probability, t);
  const std::uint64_t n = 100'000;
  const annual_losses free_run = simulate_loss(t, prob, model, {.years = n, .seed = 4});
  model.threats[0].detect_hours = distribution_spec{distribution_family::uniform, 0.0, 0.0, 4.0};
  const annual_losses raced = simulate_loss(t, prob, model, {.years = n, .seed = 4});
  CHECK(raced.events == free_run.events);  // detection changes the losses, not the events
  // Per event: Bernoulli(3/4) · 1 and Bernoulli(1/4) · 10; events are Poisson(1).
  const double se_a = std::sqrt(0.75 / static_cast<double>(n)), se_b = std::sqrt(25.0 / static_cast<double>(n));
  CHECK(std::abs(raced.asset_ale(0) - 0.75) < 4 * se_a);
  CHECK(std::abs(raced.asset_ale(1) - 2.5) < 4 * se_b);
  CHECK(free_run.asset_ale(1) > 9.9 * free_run.asset_ale(0));  // without detection both always fall
  // Lognormal crossing, constant detection at D: P(lost) = Φ((ln D - μ) / σ), here exactly 1/2 at the median.
  model.edge_hours = {distribution_spec::lognormal(1.0, 100.0), distribution_spec::constant(1e9)};
  model.threats[0].detect_hours = distribution_spec::constant(10.0);  // the lognormal's median
  const annual_losses median = simulate_loss(t, prob, model, {.years = n, .seed = 5});
  CHECK(std::abs(median.asset_ale(0) - 0.5) < 4 * std::sqrt(0.5 / static_cast<double>(n)));
  CHECK(median.asset_ale(1) == 0.0);
  // Detection that never comes in time changes nothing: the same worlds and money draws.
  model.edge_hours = {distribution_spec::lognormal(1.0, 100.0), distribution_spec::lognormal(1.0, 100.0)};
  model.threats[0].detect_hours = distribution_spec::constant(1e300);
  CHECK(simulate_loss(t, prob, model, {.years = 4096, .seed = 6}).by_year ==
        simulate_loss(t, prob, loss_model{model.currency, {{.id = "crew", .frequency = distribution_spec::constant(1.0),
                                                             .entry_points = {{0, 1.0}}}}, model.assets},
                      {.years = 4096, .seed = 6}).by_year);
}

TEST_CASE("detection race on the sample twin: reached assets are a subset, results identical for 1, 2 and 8 threads") {
  const twin t = read_twin_json_file(twinrisk_test::sample_twin_path());
  loss_model model = loss_model_of(t);
  for (threat& th : model.threats) th.detect_hours = distribution_spec::lognormal(2.0, 200.0);
  if (model.edge_hours.empty()) model.edge_hours = edge_hours(t);
  loss_model undetected = model;
  for (threat& th : undetected.threats) th.detect_hours.reset();
  const auto prob = get(&edge::probability, t);
  const loss_options o{.years = 8192, .seed = 12, .all_gates = all_gates_of(t)};
  const annual_losses raced = simulate_loss(t, prob, model, o, seq), free_run = simulate_loss(t, prob, undetected, o, seq);
  CHECK(raced.ale() < free_run.ale());
  CHECK(raced.events == free_run.events);
  for (std::size_t a = 0; a < model.assets.size(); ++a) CHECK(raced.by_asset[a].sum <= free_run.by_asset[a].sum);
  for (int threads : {2, 8}) CHECK(simulate_loss(t, prob, model, o, par{threads}).by_year == raced.by_year);
}

TEST_CASE("detection races: the guided search changes no result — the same years as the exact search alone") {
  // The guided search (race_witness.hpp) settles most races; with its guides removed every race
  // runs the exact earliest-time search. Each lost asset must be the same, so every year is —
  // whether the races search before simulating a block's worlds never, when nearly every event
  // loses everything (the default), or after every block (share 1).
  const twin sample = read_twin_json_file(twinrisk_test::sample_twin_path());
  const twin enterprise = generate_enterprise({.nodes = 1000, .seed = 7});
  for (const twin* t : {&sample, &enterprise}) {
    loss_model model = loss_model_of(*t);
    for (threat& th : model.threats)
      if (!th.detect_hours) th.detect_hours = distribution_spec::lognormal(2.0, 200.0);
    if (model.edge_hours.empty()) model.edge_hours = edge_hours(*t);
    const auto prob = get(&edge::probability, *t);
    const loss_options o{.years = 4096, .seed = 21, .all_gates = all_gates_of(*t)};
    const auto run = [&](bool guided, std::size_t search_first_share) {
      detail::loss_setup setup = detail::prepare_loss(*t, prob, model, o.all_gates, false);
      REQUIRE(std::ranges::any_of(setup.guides, [](const auto& g) { return !g.empty(); }));
      if (!guided)
        for (auto& g : setup.guides) g = {};
      setup.search_first_share = search_first_share;
      annual_losses r = detail::empty_losses(model, o.seed);
      detail::run_loss_tasks(detail::loss_task_runner(setup, model, o, detail::loss_task_count(o.years), false), o, false, r);
      return r;
    };
    const annual_losses guided = run(true, detail::default_search_first_share), exact = run(false, 0);
    CHECK(guided.ale() > 0.0);
    CHECK(guided.by_year == exact.by_year);
    CHECK(run(true, 0).by_year == exact.by_year);
    CHECK(run(true, 1).by_year == exact.by_year);
    CHECK(guided.by_year == simulate_loss(*t, prob, model, o, par{2}).by_year);
  }
}

TEST_CASE("a generated enterprise: threats and losses give an ALE in the sample's range, for any thread count") {
  const twin t = generate_enterprise({.nodes = twinrisk_test::full_or_sanitized<std::size_t>(5000, 1000), .seed = 2});
  const loss_model model = loss_model_of(t);
  REQUIRE(model.threats.size() == 3);
  REQUIRE(model.assets.size() == t.crown_jewels().size());
  const auto prob = get(&edge::probability, t);
  const annual_losses r = simulate_loss(t, prob, model, {.years = 4096, .seed = 3}, seq);
  CHECK(r.ale() > 1e5);  // a weak posture, as the sample's: between a hundred thousand and a billion a year
  CHECK(r.ale() < 1e9);
  CHECK(simulate_loss(t, prob, model, {.years = 4096, .seed = 3}, par{2}).by_year == r.by_year);
}

TEST_CASE("bad loss models are named by pointer") {
  exposed x = one_asset(1.0, 1.0, {.primary = distribution_spec::constant(1.0)});
  const auto prob = get(&edge::probability, x.t);
  x.model.threats[0].capability = 0.0;
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("/threats/0/capability"), input_error);
  x.model.threats[0].capability = 1.0;
  x.model.threats[0].entry_points[0].weight = -1;
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("/threats/0/entry_points/0/weight"), input_error);
  x.model.threats[0].entry_points[0].weight = 1;
  x.model.assets[0].loss.primary = {distribution_family::uniform, 5.0, 0.0, 1.0};
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("/assets/0/primary"), input_error);
  x.model.assets[0].loss.primary = distribution_spec::constant(1.0);
  CHECK_THROWS_AS(simulate_loss(x.t, prob, x.model, {.first_year = 5}), model_error);
  // Year counts that would overflow (2^64 - 1 years once wrapped to 0 tasks: an empty, "valid" run).
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model, {.years = std::numeric_limits<std::uint64_t>::max()}),
                       doctest::Contains("too many years: 18446744073709551615 (at most 2^40"), model_error);
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model, {.years = max_simulated_years + 1}), doctest::Contains("too many years"), model_error);
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model, {.years = 1024, .first_year = std::numeric_limits<std::uint64_t>::max() - 1023}),
                       doctest::Contains("first_year + years overflows"), model_error);
  CHECK_THROWS_WITH_AS(simulate_fair({.frequency = distribution_spec::constant(1.0)}, {.years = max_simulated_years * 2}),
                       doctest::Contains("too many years"), model_error);
  x.model.threats[0].detect_hours = distribution_spec::lognormal(5.0, 1.0);
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("/threats/0/detect_hours"), input_error);
  x.model.threats[0].detect_hours = distribution_spec::constant(5.0);
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("hours has 0 entries for 1 edges"), model_error);
  x.model.edge_hours = {distribution_spec::constant(-1.0)};
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("/edges/0/hours"), input_error);
  x.model.threats[0].detect_hours.reset();
  x.model.assets.push_back(x.model.assets[0]);
  CHECK_THROWS_WITH_AS(simulate_loss(x.t, prob, x.model), doctest::Contains("ascending"), model_error);
}

TEST_CASE("no-graph mode: Poisson × lognormal closed form, caps, thread identity") {
  const auto [mean, second] = lognormal_moments(5e4, 2e6);
  const fair_scenario s{.frequency = distribution_spec::constant(0.3), .magnitude = {.primary = distribution_spec::lognormal(5e4, 2e6)}};
  const std::uint64_t n = 400'000;
  const annual_losses r = simulate_fair(s, {.years = n, .seed = 2});
  CHECK(std::abs(r.ale() - 0.3 * mean) < 4 * std::sqrt(0.3 * second / static_cast<double>(n)));
  CHECK(r.p_any_loss() == doctest::Approx(1 - std::exp(-0.3)).epsilon(0.02));
  CHECK(simulate_fair(s, {.years = 10'000, .seed = 2}, seq).by_year == simulate_fair(s, {.years = 10'000, .seed = 2}, par{2}).by_year);
  const annual_losses none = simulate_fair({.frequency = distribution_spec::constant(0.0)}, {.years = 1000});
  CHECK(none.ale() == 0.0);
  CHECK(none.exceedance_curve().empty());
  CHECK_THROWS_WITH_AS(simulate_fair({.frequency = {distribution_family::lognormal, 5.0, 0.0, 1.0}}),
                       doctest::Contains("/frequency"), input_error);
}

namespace fair_checks {

/// The batched path's years against the general path's on the same seed: the same events and
/// years without loss, each year's loss within 1e-13 (exp_in_place against std::exp, a few ulps
/// over a year's sum).
void check_batched(const fair_scenario& s, const fair_options& o) {
  REQUIRE(detail::fair_batched_years::applies(s));
  const annual_losses batched = detail::simulate_fair_with(s, o, par{2}, true);
  const annual_losses general = detail::simulate_fair_with(s, o, par{2}, false);
  CHECK(batched.events == general.events);
  REQUIRE(batched.by_year.size() == general.by_year.size());
  std::size_t apart = 0;
  for (std::size_t y = 0; y < general.by_year.size(); ++y)
    if (!(std::abs(batched.by_year[y] - general.by_year[y]) <= 1e-13 * general.by_year[y])) ++apart;
  CHECK(apart == 0);
  CHECK(batched.asset_ale(0) == doctest::Approx(general.asset_ale(0)).epsilon(1e-13));
  // Deterministic for any thread count, as the general path.
  const annual_losses serial = detail::simulate_fair_with(s, o, seq, true);
  CHECK(serial.by_year == batched.by_year);
  CHECK(serial.by_asset[0].sum == batched.by_asset[0].sum);
  CHECK(detail::simulate_fair_with(s, o, par{8}, true).by_year == batched.by_year);
}

/// What the stream's draws make of each word as a year's first word (its Poisson count, up to
/// 8) and as a normal's first word (whether it is a one-word draw, and that draw's magnitude by
/// std::exp), for the batched path's readings: info as fair_word_values packs them.
struct draws {
  std::vector<std::uint8_t> info;
  std::vector<double> magnitude;
};
draws draw(const std::vector<std::uint64_t>& w, double mu, double sigma, const std::vector<double>& cdf) {
  const detail::normal_ziggurat& z = detail::normal_ziggurat::get();
  draws d;
  for (std::uint64_t word : w) {
    const double u = detail::uniform_of(word);
    const auto count = std::min<std::ptrdiff_t>(8, std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    const int layer = detail::normal_ziggurat::layer_of(word);
    const double position = detail::normal_ziggurat::position_of(word);
    d.info.push_back(static_cast<std::uint8_t>(count | (std::abs(position) < z.ratio[layer] ? 128 : 0)));
    d.magnitude.push_back(std::exp(mu + sigma * position * z.x[layer]));
  }
  return d;
}

}  // namespace fair_checks

TEST_CASE("no-graph mode, batched path: the general path's event counts and years") {
  const loss_magnitude wide{.primary = distribution_spec::lognormal(1e5, 1e7)};
  SUBCASE("FAIR's usual rates, a year count that ends inside a task, first_year past 0") {
    for (double rate : {2.0, 0.3}) {
      CAPTURE(rate);
      const fair_scenario s{.frequency = distribution_spec::constant(rate), .magnitude = wide};
      fair_checks::check_batched(s, {.years = 300'001, .seed = 5});
      fair_checks::check_batched(s, {.years = 50'000, .seed = 5, .first_year = 4096 * 7});
    }
  }
  SUBCASE("rates with many years of 8 or more events, and very few events") {
    for (double rate : {9.5, 1e-3}) {
      CAPTURE(rate);
      fair_checks::check_batched({.frequency = distribution_spec::constant(rate), .magnitude = wide}, {.years = 60'000, .seed = 6});
    }
  }
  SUBCASE("an annual cap") {
    loss_magnitude capped = wide;
    capped.annual_cap = 2e6;
    fair_checks::check_batched({.frequency = distribution_spec::constant(2.0), .magnitude = capped}, {.years = 60'000, .seed = 7});
  }
  SUBCASE("other scenarios take the general path: the same numbers bit for bit") {
    loss_magnitude secondary = wide;
    secondary.secondary = distribution_spec::lognormal(1e3, 1e5);
    secondary.secondary_probability = 0.2;
    for (const fair_scenario& s :
         {fair_scenario{.frequency = distribution_spec::constant(2.0), .magnitude = secondary},
          fair_scenario{.frequency = distribution_spec::constant(12.0), .magnitude = wide},
          fair_scenario{.frequency = distribution_spec::pert(0.5, 1.0, 3.0), .magnitude = wide},
          fair_scenario{.frequency = distribution_spec::constant(2.0), .magnitude = {.primary = distribution_spec::pert(1e3, 5e3, 1e5)}}}) {
      CHECK_FALSE(detail::fair_batched_years::applies(s));
      CHECK(simulate_fair(s, {.years = 20'000, .seed = 8}).by_year ==
            detail::simulate_fair_with(s, {.years = 20'000, .seed = 8}, par{}, false).by_year);
    }
  }
}

TEST_CASE("no-graph mode, batched path: every instruction set reads the words alike") {
  const std::vector<double> cdf = detail::poisson_inversion_cdf(2.0);
  const auto [mu, sigma] = lognormal_90_parameters(1e5, 1e7);
  const detail::fair_word_constants c(mu, sigma, cdf);
  // The thresholds on a word's top 53 bits m: m > threshold[k] exactly when m / 2^53 > cdf[k].
  for (std::size_t k = 0; k < 8; ++k)
    for (std::int64_t m : {c.threshold[k] - 1, c.threshold[k], c.threshold[k] + 1}) {
      CAPTURE(k);
      CAPTURE(m);
      CHECK((m > c.threshold[k]) == (static_cast<double>(m) * 0x1.0p-53 > cdf[k]));
    }
  constexpr std::size_t n = 4096;
  std::vector<std::uint64_t> w(n);
  philox_words({.seed = 99}, 0, n, w.data());
  std::vector<double> layer(2 * n);
  detail::fair_layers(w.data(), n, c, layer.data());
  struct readings {
    std::vector<double> e, loss;
    std::vector<std::uint8_t> info;
  };
  auto read = [&](const detail::fair_kernels& k) {
    readings r{std::vector<double>(n + 8, 0.0), std::vector<double>(n, 0.0), std::vector<std::uint8_t>(n, 0)};
    k.values(w.data(), layer.data(), n, c, r.e.data(), r.info.data());
    k.losses(r.e.data(), r.info.data(), n, r.loss.data());
    return r;
  };
  const readings scalar = read({&detail::fair_word_values_scalar, &detail::fair_year_losses_scalar});
  // The scalar readings are the stream's: its counts, its one-word normals and their magnitudes.
  const fair_checks::draws expected = fair_checks::draw(w, mu, sigma, cdf);
  CHECK(scalar.info == expected.info);
  std::size_t apart = 0;
  for (std::size_t i = 0; i < n; ++i)
    if ((expected.info[i] & 128) != 0 && !(std::abs(scalar.e[i] - expected.magnitude[i]) <= 1e-15 * expected.magnitude[i])) ++apart;
  CHECK(apart == 0);
  auto same = [&](const readings& r) {
    CHECK(r.info == scalar.info);
    CHECK(r.e == scalar.e);
    CHECK(r.loss == scalar.loss);
  };
  same(read(detail::best_fair_kernels()));
#ifdef TWINRISK_X86_SIMD
  CHECK(read({&detail::sse2::fair_word_values, &detail::sse2::fair_year_losses}).info == scalar.info);  // unfused exp: not always the same bits
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    same(read({&detail::avx2::fair_word_values, &detail::avx2::fair_year_losses}));
  if (__builtin_cpu_supports("avx512f")) same(read({&detail::avx512::fair_word_values, &detail::avx512::fair_year_losses}));
#endif
}

TEST_CASE("the loss exceedance chart: one curve, the ALE, p90 and p99 marked, text escaped") {
  const fair_scenario s{.currency = "EUR", .frequency = distribution_spec::constant(0.5),
                        .magnitude = {.primary = distribution_spec::lognormal(1e4, 1e6)}};
  const annual_losses r = simulate_fair(s, {.years = 20'000, .seed = 4});
  const std::string svg = loss_exceedance_svg(r, {.title = "R&D <lab>", .points = 50});
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("</svg>") == svg.size() - 7);
  CHECK(svg.find("R&amp;D &lt;lab&gt;") != std::string::npos);
  CHECK(svg.find("20,000 simulated years") != std::string::npos);
  const std::size_t polyline = svg.find("<polyline points=\"");
  REQUIRE(polyline != std::string::npos);
  const std::string points = svg.substr(polyline + 18, svg.find('"', polyline + 18) - polyline - 18);
  CHECK(std::count(points.begin(), points.end(), ',') == 50);
  for (const char* label : {">ALE ", ">p90 ", ">p99 "}) CHECK(svg.find(label) != std::string::npos);
  CHECK(svg.find(" EUR</text>") != std::string::npos);
  CHECK(loss_exceedance_svg(annual_losses{}).find("No loss in any simulated year") != std::string::npos);
}
