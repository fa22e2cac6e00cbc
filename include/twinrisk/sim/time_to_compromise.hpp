#pragma once
/// Time to compromise: not only whether each node falls, but when (as MAL and securiCAD
/// estimate it). Each edge takes the attacker a random number of hours once its source is held;
/// a node falls at the earliest time any live in-edge delivers it (OR), or — for an `all` gate —
/// when the last of its in-edges does (AND). Per trial the earliest times are a shortest-path
/// problem with random lengths, solved by Dijkstra's algorithm; edges that fail in a trial (with
/// probability 1 - p) never deliver.
///
/// The worlds are those of `simulate_compromise`: with the same seed an edge is alive in exactly
/// the same trials, so P(ever compromised) here equals its estimate count for count. Crossing
/// times come from their own streams (one per trial and edge).
///
///     auto r = time_to_compromise(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t),
///                                 edge_hours(t), {.trials = 2'000, .horizons = {24, 168}});
///     r.p_within(v, 0);        // P(v falls within 24 hours), with its interval
///     r.quantile(v, 0.5);      // median hours to compromise (infinity when P(falls) < 1/2)

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "twinrisk/model/detail/bundle_checks.hpp"
#include "twinrisk/execution.hpp"
#include "twinrisk/detail/indexed_heap.hpp"
#include "twinrisk/sim/compromise.hpp"
#include "twinrisk/sim/distributions.hpp"

namespace twinrisk {

/// Default hours to cross an edge of each kind when the twin states none: lognormal 90%
/// intervals from practitioners' rules of thumb (documented in docs/api.md), zero for relations
/// that hand over access at once (membership, containment, trust, role assumption).
[[nodiscard]] inline distribution_spec default_hours(edge_kind kind) {
  using enum edge_kind;
  switch (kind) {
    case member_of: case contains: case has_sid_history: case trusts: case federated_with: case authenticates_to: case dc_for:
    case can_assume_role: case has_permission: case can_access: case data_flow: case tier_zero_of: case hosts_ca_service:
    case same_forest_trust: case cross_forest_trust: case published_to: case trusted_for_ntauth: case issued_signed_by:
    case enterprise_ca_for: case root_ca_for: case ntauth_store_for: case delegated_enrollment_agent: case enroll_on_behalf_of:
    case extended_by_policy: case oid_group_link:
      return distribution_spec::constant(0.0);
    case admin_to: case can_rdp: case can_ssh: case can_psremote: case execute_dcom: case sql_admin: case uses_credential:
    case read_laps_password: case read_gmsa_password: case dc_sync: case get_changes: case get_changes_all:
    case get_changes_in_filtered_set: case sync_laps_password: case dump_smsa_password:
      return distribution_spec::lognormal(0.05, 2.0);  // minutes to two hours with working credentials
    case has_session: return distribution_spec::lognormal(0.1, 4.0);  // dumping a logged-on user's credentials
    case create_credential: case modify_policy: case run_command:
      return distribution_spec::lognormal(0.05, 2.0);  // one API call with the attacker's credentials
    case pass_role: return distribution_spec::lognormal(0.1, 4.0);  // launching compute that runs as the role
    case owns: case generic_all: case generic_write: case write_dacl: case write_owner: case write_spn: case add_member:
    case add_self: case force_change_password: case all_extended_rights: case write_account_restrictions: case manage_ca:
    case manage_certificates: case write_pki_name_flag: case write_pki_enrollment_flag:
      return distribution_spec::lognormal(0.1, 8.0);  // abusing an ACL right
    case add_key_credential_link: case allowed_to_delegate: case allowed_to_act: case enroll: case gp_link:
    case add_allowed_to_act: case write_gp_link: case coerce_to_tgt: case spoof_sid_history: case abuse_tgt_delegation:
    case golden_cert: case adcs_esc1: case adcs_esc3: case adcs_esc4: case adcs_esc6a: case adcs_esc6b: case adcs_esc9a:
    case adcs_esc9b: case adcs_esc10a: case adcs_esc10b: case adcs_esc13:
      return distribution_spec::lognormal(0.5, 24.0);  // delegation, certificate, trust and GPO abuse
    case gpo_applies_to: return distribution_spec::lognormal(1.5, 24.0);  // a GPO refreshes every 90-120 minutes
    case kerberoastable: case asrep_roastable: return distribution_spec::lognormal(1.0, 168.0);  // cracking offline: hours to a week
    case network_reach: return distribution_spec::lognormal(0.01, 1.0);
    case exploits: return distribution_spec::lognormal(1.0, 168.0);  // an hour to a week to weaponise
    case phishing: return distribution_spec::lognormal(4.0, 336.0);  // until someone clicks
    case prompt_injection: return distribution_spec::lognormal(1.0, 72.0);
    case supplies: return distribution_spec::lognormal(24.0, 2160.0);  // a supplier compromise takes days to months
    case generic: break;
  }
  return distribution_spec::lognormal(0.1, 24.0);
}

/// Hours to cross each edge of a twin, by edge index: its own `hours`, else its kind's default.
template <class T>
[[nodiscard]] std::vector<distribution_spec> edge_hours(const T& t) {
  std::vector<distribution_spec> hours(t.num_edges(), default_hours(edge_kind::generic));
  for (auto uv : t.edges()) {
    const auto& data = t[uv];
    if constexpr (requires { data.hours; data.kind; }) hours[t.edge_index(uv)] = data.hours ? *data.hours : default_hours(data.kind);
  }
  return hours;
}

/// Options of `time_to_compromise`.
struct time_options {
  std::uint64_t trials = 1'000;
  std::uint64_t seed = 1;
  std::vector<double> horizons{24.0, 168.0, 720.0};  ///< hours: a day, a week, a month
  std::vector<char> all_gates{};                      ///< by vertex: 1 = AND gate
  const cancellation_token* cancel = nullptr;
  progress_meter* progress = nullptr;  ///< counts trials
};

/// Times are binned per node in quarter octaves from one minute: bin 0 holds [0, 1 min), bin k
/// [2^((k-1)/4), 2^(k/4)) minutes, the last bin everything longer (about 22 years and up).
/// Quantiles read from the bins are within a factor 2^(1/8) (±9%) of the sample quantile.
inline constexpr std::size_t time_bins = 96;

/// Earliest-compromise times of one run.
struct time_result {
  std::uint64_t trials = 0;  ///< trials run (fewer than asked when cancelled)
  std::uint64_t seed = 0;
  bool cancelled = false;
  std::vector<double> horizons;
  std::vector<std::uint64_t> compromised;  ///< by vertex: trials in which it fell at all
  std::vector<std::uint64_t> within;       ///< [v * horizons.size() + h]: trials in which it fell by horizons[h]
  std::vector<std::uint32_t> histogram;    ///< [v * time_bins + bin]: when it fell (see time_bins)
  std::vector<std::size_t> targets;        ///< as given, deduplicated, ascending
  std::vector<double> target_hours;        ///< [i * trials + trial]: exact times, infinity when it held out

  [[nodiscard]] estimate p_ever(std::size_t v) const { return wilson_estimate(compromised.at(v), trials); }
  [[nodiscard]] estimate p_within(std::size_t v, std::size_t h) const {
    return wilson_estimate(within.at(v * horizons.size() + h), trials);
  }

  /// The q-quantile of v's earliest compromise time in hours, from its bins; infinity when v
  /// falls in fewer than a fraction q of the trials.
  [[nodiscard]] double quantile(std::size_t v, double q) const {
    const double need = q * static_cast<double>(trials);
    double seen = 0.0;
    for (std::size_t bin = 0; bin < time_bins; ++bin) {
      const double here = histogram.at(v * time_bins + bin);
      if (here > 0.0 && seen + here >= need) {
        const double inside = std::clamp((need - seen) / here, 0.0, 1.0);
        if (bin == 0) return inside * bin_hours(1);
        if (bin + 1 == time_bins) return bin_hours(bin);
        return bin_hours(bin) * std::pow(2.0, inside / 4.0);  // geometric within the bin
      }
      seen += here;
    }
    return std::numeric_limits<double>::infinity();
  }

  /// The exact q-quantile (lower empirical quantile) of target i's times in hours.
  [[nodiscard]] double target_quantile(std::size_t i, double q) const {
    std::vector<double> times(target_hours.begin() + static_cast<std::ptrdiff_t>(i * trials),
                              target_hours.begin() + static_cast<std::ptrdiff_t>((i + 1) * trials));
    if (times.empty()) return std::numeric_limits<double>::infinity();
    const std::size_t k = std::min(times.size() - 1, static_cast<std::size_t>(std::ceil(q * static_cast<double>(times.size()))) - (q > 0 ? 1 : 0));
    std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(k), times.end());
    return times[k];
  }

  /// The lower edge of a bin in hours.
  [[nodiscard]] static double bin_hours(std::size_t bin) { return bin == 0 ? 0.0 : std::pow(2.0, (static_cast<double>(bin) - 1) / 4.0) / 60.0; }
  /// The bin of a time in hours.
  [[nodiscard]] static std::size_t bin_of(double hours) {
    const double minutes = hours * 60.0;
    if (!(minutes >= 1.0)) return 0;
    const double k = std::floor(4.0 * std::log2(minutes)) + 1.0;
    return k >= static_cast<double>(time_bins - 1) ? time_bins - 1 : static_cast<std::size_t>(k);
  }
};

namespace detail {

/// Memory for earliest-time searches in single worlds: tentative times and per-search stamps
/// (nothing is cleared between searches). Not movable: the heap keys on `time`.
struct world_clock {
  std::vector<double> time;  // by new id: tentative earliest time in this search
  std::vector<std::uint32_t> seen, settled, blocked, remaining, start;  // stamps / AND-gate in-edges still to come
  std::vector<std::uint32_t> via;  // by new id: the slot of an OR node's earliest delivery (valid once settled)
  std::optional<indexed_min_heap> heap;
  std::uint32_t stamp = 0;

  world_clock() = default;
  world_clock(const world_clock&) = delete;
  world_clock& operator=(const world_clock&) = delete;

  void size_for(std::size_t n) {
    if (time.size() == n && heap) return;
    time.assign(n, 0.0);
    seen.assign(n, 0), settled.assign(n, 0), blocked.assign(n, 0), remaining.assign(n, 0), start.assign(n, 0);
    via.assign(n, 0);
    heap.emplace(n, time);
    stamp = 0;
  }

  std::uint32_t next_stamp() {
    if (++stamp == 0) {  // wrapped: forget every stamp
      for (auto* v : {&seen, &settled, &blocked, &start}) std::fill(v->begin(), v->end(), 0);
      stamp = 1;
    }
    return stamp;
  }
};

/// Earliest times in one world: Dijkstra from `starts` (held at time 0) over the edges alive in
/// trial `bit` of 64-trial word `first_word + word` — the world `simulate_block` and
/// `simulate_compromise` draw with the same seed — where crossing slot i takes `cross(i)` hours.
/// An OR node falls at its earliest live delivery, an AND node at its latest, unless one of its
/// in-edges failed. Calls `settle(u, t)` for each node that falls by `limit` hours, in time
/// order, and stops early when it returns false (`w.via` then leads each settled OR node back
/// along its earliest delivery); `edges` caches masks drawn under `edge_stamp`
/// (a stamp per word and seed: masks `simulate_block` drew under its stamp are reused).
template <std::size_t Words, class Cross, class Settle>
void earliest_times(const compromise_problem& c, world_clock& w, edge_mask_cache<Words>& edges, std::uint32_t edge_stamp,
                    std::uint64_t seed, std::uint64_t first_word, const std::uint64_t (&valid)[Words], std::size_t word,
                    std::uint64_t bit, std::span<const std::uint32_t> starts, double limit, Cross cross, Settle settle) {
  const std::uint32_t stamp = w.next_stamp();
  indexed_min_heap& heap = *w.heap;
  for (std::uint32_t s : starts) w.time[s] = 0.0, w.seen[s] = w.start[s] = stamp, heap.push_or_decrease(s);
  while (!heap.empty()) {
    const std::uint32_t u = heap.pop();
    const double t = w.time[u];
    if (t > limit) break;
    w.settled[u] = stamp;
    if (!settle(u, t)) break;
    edges.collect(c.out_begin[u], c.out_begin[u + 1], edge_stamp, [&](std::size_t i) { return w.settled[c.out_target[i]] != stamp; });
    edges.draw(c, seed, first_word, valid);
    for (std::size_t i = c.out_begin[u]; i < c.out_begin[u + 1]; ++i) {
      const std::uint32_t v = c.out_target[i];
      if (w.settled[v] == stamp || w.start[v] == stamp) continue;  // starts are held from time 0
      const bool needs_all = !c.all_gates.empty() && c.all_gates[v] != gate_any;
      if (!needs_all && w.seen[v] == stamp && w.time[v] <= t) continue;  // reached already by then: no draw can improve it
      if (((edges.mask(word, i) >> bit) & 1u) == 0 || (needs_all && c.all_gates[v] == gate_never)) {  // fails
        if (needs_all) w.blocked[v] = stamp;
        continue;
      }
      const double arrival = t + cross(i);
      if (w.seen[v] != stamp) {
        w.seen[v] = stamp;
        w.time[v] = needs_all ? 0.0 : std::numeric_limits<double>::infinity();
        if (needs_all) w.remaining[v] = static_cast<std::uint32_t>(c.in_begin[v + 1] - c.in_begin[v]);
      }
      if (needs_all) {  // falls when the last in-edge delivers, unless one failed
        w.time[v] = std::max(w.time[v], arrival);
        if (--w.remaining[v] == 0 && w.blocked[v] != stamp) heap.push_or_decrease(v);
      } else if (arrival < w.time[v]) {
        w.time[v] = arrival;
        w.via[v] = static_cast<std::uint32_t>(i);
        if (arrival <= limit) heap.push_or_decrease(v);  // later than the limit: never settled
      }
    }
  }
  heap.clear();
}

/// Hours to cross each edge slot of `c`, prepared once (no logarithms per draw): each distinct
/// distribution once and a 4-byte index per slot, so a search reads little memory per edge (a
/// twin has a few dozen distinct crossing times, one per edge kind, over millions of edges).
class slot_hours {
 public:
  slot_hours() = default;
  slot_hours(const compromise_problem& c, const std::vector<distribution_spec>& hours) : of_slot_(c.out_target.size()) {
    std::vector<distribution_spec> specs;
    for (std::size_t i = 0; i < c.out_target.size(); ++i) {
      const distribution_spec& d = hours[c.lane[i]];
      auto at = std::find(specs.begin(), specs.end(), d);  // few distinct: a linear search is fastest
      if (at == specs.end()) {
        if (specs.size() == max_distinct) {  // hours of their own on many edges: one per slot
          specs.clear();
          for (std::size_t j = 0; j < c.out_target.size(); ++j) specs.push_back(hours[c.lane[j]]), of_slot_[j] = static_cast<std::uint32_t>(j);
          break;
        }
        at = specs.insert(specs.end(), d);
      }
      of_slot_[i] = static_cast<std::uint32_t>(at - specs.begin());
    }
    for (const distribution_spec& d : specs) distinct_.emplace_back(d);
  }

  /// Slot i's crossing time in the world of `stream`: its own random numbers (lane = the edge).
  [[nodiscard]] double operator()(const compromise_problem& c, std::size_t i, std::uint64_t seed, std::uint32_t stream) const {
    const prepared_distribution& d = distinct_[of_slot_[i]];
    if (d.spec().family == distribution_family::constant) return d.spec().a;
    random_stream rs({.seed = seed, .block = stream, .lane = c.lane[i]});
    return d(rs);
  }

 private:
  static constexpr std::size_t max_distinct = 1024;

  std::vector<prepared_distribution> distinct_;
  std::vector<std::uint32_t> of_slot_;
};

/// Checks edge hours: one valid distribution per edge of a graph with `edges` edges.
inline void check_edge_hours(const std::vector<distribution_spec>& hours, std::size_t edges) {
  check_entry_count(hours.size(), edges, "hours has", "edges");
  for (std::size_t e = 0; e < hours.size(); ++e) check_distribution(hours[e], "/edges/" + std::to_string(e) + "/hours");
}

/// One thread's memory for the trials it runs.
struct time_workspace {
  world_clock clock;
  edge_mask_cache<1> edges;  // liveness in the current 64-trial word, drawn under stamp task + 1
  std::vector<std::uint64_t> compromised, within;
  std::vector<std::uint32_t> histogram;

  void size_for(std::size_t n, std::size_t m, std::size_t horizons) {
    edges.size_for(m);
    clock.size_for(n);
    if (compromised.size() == n) return;
    compromised.assign(n, 0);
    within.assign(n * horizons, 0);
    histogram.assign(n * time_bins, 0);
  }
};

/// Crossing times use their own key, so they never share numbers with the liveness masks.
inline constexpr std::uint64_t time_stream_salt = 0x7F4A7C159E3779B9ull;

}  // namespace detail

/// Most exact times (targets × trials) one time_to_compromise run keeps: 2^28 doubles, 2 GiB.
inline constexpr std::uint64_t max_time_to_compromise_values = std::uint64_t{1} << 28;

/// Estimates, over `options.trials` random worlds, when each vertex of `g` is first compromised
/// by an attacker who starts holding `sources` at time 0; `hours[e]` is the time to cross edge e
/// (by edge index, e.g. from `edge_hours(twin)`).
/// Complexity: O(trials · (E_reached log V_reached)). Memory per thread: O(V · time_bins + E).
/// Determinism: a pure function of the inputs and seed, identical for every thread count.
/// Throws: what simulate_compromise throws; input_error on an invalid hours distribution
/// (/edges/e/hours) or horizon; model_error when hours has the wrong size, trials exceed 2^32,
/// or targets × trials exceeds max_time_to_compromise_values (the exact times kept).
template <edge_indexed_graph G, class ProbMap, class Exec = par>
  requires edge_probability_map<ProbMap, G>
time_result time_to_compromise(const G& g, const std::vector<vertex_t<G>>& sources, const std::vector<vertex_t<G>>& targets,
                               const ProbMap& prob, const std::vector<distribution_spec>& hours,
                               const time_options& options = {}, Exec exec = {}) {
  detail::check_edge_hours(hours, num_edges(g));
  for (std::size_t h = 0; h < options.horizons.size(); ++h)
    if (!(options.horizons[h] >= 0.0))
      throw input_error({.pointer = "/horizons/" + std::to_string(h)}, "expected hours >= 0, got " + detail::show_number(options.horizons[h]));
  if (options.trials >= (std::uint64_t{1} << 32)) throw model_error("too many trials for time to compromise (2^32)");
  // Tasks of 8 trials: a Dijkstra per trial is long, so even 64 trials keep both cores busy.
  // A task draws the liveness masks of its 64-trial word itself (the same numbers in any task).
  constexpr std::uint64_t task_trials = 8;
  const std::uint64_t tasks = (options.trials + task_trials - 1) / task_trials;
  const std::size_t horizons = options.horizons.size();
  time_result r;
  r.seed = options.seed;
  r.horizons = options.horizons;
  detail::run_with(exec, [&] {
    const detail::compromise_problem c =
        detail::make_compromise_problem(g, sources, targets, prob, options.all_gates, detail::is_parallel<Exec>);
    const std::size_t n = c.n, m = c.out_target.size();
    const detail::slot_hours slot_hours(c, hours);
    r.targets = c.targets;
    if (!r.targets.empty() && options.trials > max_time_to_compromise_values / r.targets.size())
      throw model_error("time to compromise keeps each target's time in each trial: " + std::to_string(r.targets.size()) +
                        " targets x " + std::to_string(options.trials) + " trials is more than 2^28 values (2 GiB); " +
                        "run fewer trials or ask about fewer targets");
    r.target_hours.assign(r.targets.size() * options.trials, std::numeric_limits<double>::infinity());
    std::vector<std::size_t> target_index(n, static_cast<std::size_t>(-1));
    for (std::size_t i = 0; i < c.target_ids.size(); ++i) target_index[c.target_ids[i]] = i;
    tbb::enumerable_thread_specific<detail::time_workspace> workspaces;
    std::vector<char> done(tasks, 0);
    auto task_size = [&](std::uint64_t task) { return std::min(task_trials, options.trials - task * task_trials); };
    if (options.progress != nullptr) options.progress->total = options.trials;
    auto run_task = [&](std::uint64_t task) {
      if (options.cancel != nullptr && options.cancel->cancelled()) return;
      detail::time_workspace& w = workspaces.local();
      w.size_for(n, m, horizons);
      const std::uint64_t first = task * task_trials, word = first / 64;
      const std::uint64_t in_word = std::min<std::uint64_t>(64, options.trials - word * 64);
      const std::uint64_t valid[1] = {in_word == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << in_word) - 1};
      for (std::uint64_t trial = first; trial < first + task_size(task); ++trial) {
        detail::earliest_times(
            c, w.clock, w.edges, static_cast<std::uint32_t>(task + 1), options.seed, word, valid, 0, trial % 64, c.sources,
            std::numeric_limits<double>::infinity(),
            [&](std::size_t i) {
              return slot_hours(c, i, options.seed ^ detail::time_stream_salt, static_cast<std::uint32_t>(trial));
            },
            [&](std::uint32_t u, double t) {
              ++w.compromised[u];
              for (std::size_t h = 0; h < horizons; ++h) w.within[u * horizons + h] += t <= options.horizons[h];
              ++w.histogram[u * time_bins + time_result::bin_of(t)];
              if (target_index[u] != static_cast<std::size_t>(-1)) r.target_hours[target_index[u] * options.trials + trial] = t;
              return true;
            });
      }
      done[task] = 1;
      if (options.progress != nullptr) options.progress->done += task_size(task);
    };
    detail::for_each_index(detail::is_parallel<Exec>, std::uint64_t{0}, tasks, run_task);
    r.compromised.assign(n, 0);
    r.within.assign(n * horizons, 0);
    r.histogram.assign(n * time_bins, 0);
    for (const detail::time_workspace& w : workspaces) {
      if (w.compromised.empty()) continue;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t v = c.old_of[k];
        r.compromised[v] += w.compromised[k];
        for (std::size_t h = 0; h < horizons; ++h) r.within[v * horizons + h] += w.within[k * horizons + h];
        for (std::size_t bin = 0; bin < time_bins; ++bin) r.histogram[v * time_bins + bin] += w.histogram[k * time_bins + bin];
      }
    }
    r.trials = 0;
    for (std::uint64_t task = 0; task < tasks; ++task)
      if (done[task]) r.trials += task_size(task);
    r.cancelled = r.trials < options.trials;
    if (r.cancelled) {  // keep only the trials that ran, in order
      std::vector<double> kept;
      for (std::size_t i = 0; i < r.targets.size(); ++i)
        for (std::uint64_t task = 0; task < tasks; ++task)
          if (done[task])
            for (std::uint64_t t = task * task_trials; t < task * task_trials + task_size(task); ++t)
              kept.push_back(r.target_hours[i * options.trials + t]);
      r.target_hours = std::move(kept);
    }
  });
  return r;
}

}  // namespace twinrisk
