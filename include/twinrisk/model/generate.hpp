#pragma once
/// `generate_enterprise`: seeded synthetic twins shaped like an organisation, from a thousand to
/// ten million edges, for benchmarks and research. Deterministic: the same options give the same
/// twin on every platform (splitmix64, no std:: distributions).
///
///     twin t = generate_enterprise({.nodes = 100'000, .seed = 7});   // ~1M edges

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// Size and seed of a synthetic enterprise twin.
struct enterprise_options {
  std::size_t nodes = 10'000;  ///< total nodes (>= 100); edges come out at about 10 per node
  std::uint64_t seed = 1;
};

namespace detail {
/// splitmix64: a tiny, portable generator for structure (not for Monte Carlo, which uses sim/).
struct structure_rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double between(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Heavy-tailed index in [0, n): a few popular items get most picks (Zipf-like, exponent ~1).
  std::size_t popular(std::size_t n) {
    const double x = std::exp(uniform() * std::log(static_cast<double>(n) + 1.0)) - 1.0;
    return std::min(n - 1, static_cast<std::size_t>(x));
  }
};
}  // namespace detail

namespace detail {
/// Real CVEs of internet-facing software with their NVD CVSS v3.1 base vectors (severities from
/// 7.5 to 10), for the generator's `exploits` edges.
inline constexpr std::array<std::pair<const char*, const char*>, 12> generator_cves{{
    {"CVE-2024-4577", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},   // PHP-CGI argument injection
    {"CVE-2024-23897", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},  // Jenkins file read
    {"CVE-2023-22515", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},  // Confluence broken access control
    {"CVE-2024-38856", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"},  // Apache OFBiz
    {"CVE-2021-44228", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"},  // Log4Shell
    {"CVE-2017-0144", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"},   // EternalBlue (SMBv1)
    {"CVE-2019-0708", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},   // BlueKeep (RDP)
    {"CVE-2021-34527", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"},  // PrintNightmare
    {"CVE-2023-4966", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},   // Citrix Bleed
    {"CVE-2022-1388", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},   // F5 BIG-IP iControl REST
    {"CVE-2023-20198", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"},  // Cisco IOS XE web UI
    {"CVE-2016-2183", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},   // Sweet32 (3DES)
}};
}  // namespace detail

namespace detail {

/// How many nodes of each kind a synthetic enterprise of `n` nodes has, and where each block of
/// vertices starts (blocks are added in this order).
struct enterprise_layout {
  std::size_t n_third, n_jewels, n_groups, n_servers, n_svc, n_roles, n_saas, n_users, n_ws;
  std::size_t internet = 0, third = 0, jewels = 0, groups = 0, servers = 0, svc = 0, roles = 0, saas = 0, users = 0, ws = 0;

  explicit enterprise_layout(std::size_t n)
      : n_third(std::max<std::size_t>(1, n / 5000)), n_jewels(std::max<std::size_t>(5, n / 20000)),
        n_groups(std::max<std::size_t>(10, n * 3 / 100)), n_servers(std::max<std::size_t>(10, n / 10)),
        n_svc(std::max<std::size_t>(5, n / 50)), n_roles(std::max<std::size_t>(5, n / 100)), n_saas(std::max<std::size_t>(3, n / 2000)) {
    const std::size_t rest = n - 1 - n_third - n_jewels - n_groups - n_servers - n_svc - n_roles - n_saas;
    n_users = rest * 6 / 10;
    n_ws = rest - n_users;
  }
};

/// Builds one synthetic enterprise, phase by phase. The phases draw from `rng` in a fixed order
/// (money and CVEs from generators of their own), so a seed gives the same twin as it always did.
class enterprise_generator {
 public:
  explicit enterprise_generator(const enterprise_options& o)
      : o_(o), rng_{o.seed * 0x2545F4914F6CDD1Dull + 1}, money_rng_{o.seed * 0x9E3779B97F4A7C15ull + 2},
        cve_rng_{o.seed * 0xD1B54A32D192ED03ull + 3}, l_(o.nodes) {
    b_.reserve(o.nodes, 11 * o.nodes);
  }

  twin build() && {
    add_nodes();
    add_entry_edges();
    add_user_edges();
    add_workstation_edges();
    add_group_edges();
    add_server_edges();
    add_account_and_cloud_edges();
    add_threats();
    return std::move(b_).build();
  }

 private:
  /// `count` nodes named prefix0, prefix1, ... (their ids), each shaped by `flags(node, i)`;
  /// returns the first one's vertex.
  template <class Flags>
  std::size_t block(std::size_t count, node_kind kind, const char* prefix, Flags&& flags) {
    const std::size_t first = next_;
    for (std::size_t i = 0; i < count; ++i, ++next_) {
      node data{.name = std::string(prefix) + std::to_string(i), .kind = kind};
      flags(data, i);
      std::string id = data.name;  // ids are the names; copied before `data` is moved
      b_.add_node(std::move(id), std::move(data));
    }
    return first;
  }

  void add_nodes() {
    auto none = [](node&, std::size_t) {};
    l_.internet = block(1, node_kind::internet, "internet", [](node& d, std::size_t) { d.entry_point = true; });
    l_.third = block(l_.n_third, node_kind::third_party, "vendor", [](node& d, std::size_t) { d.entry_point = true; });
    l_.jewels = block(l_.n_jewels, node_kind::database, "jewel", [this](node& d, std::size_t i) { make_crown_jewel(d, i); });
    l_.groups = block(l_.n_groups, node_kind::group, "group", [](node& d, std::size_t i) { d.privileged = i < 5; });
    l_.servers = block(l_.n_servers, node_kind::server, "srv", [](node& d, std::size_t i) { d.internet_exposed = i % 50 == 0; });
    l_.svc = block(l_.n_svc, node_kind::service_account, "svc", none);
    l_.roles = block(l_.n_roles, node_kind::role, "role", none);
    l_.saas = block(l_.n_saas, node_kind::saas_application, "saas", none);
    l_.users = block(l_.n_users, node_kind::user, "user", none);
    l_.ws = block(l_.n_ws, node_kind::workstation, "ws", none);
  }

  /// Crown jewel `i`: a database, storage, code or an AI model, with a loss by kind.
  void make_crown_jewel(node& d, std::size_t i) {
    d.crown_jewel = true;
    d.kind = std::array{node_kind::database, node_kind::storage, node_kind::code_repository, node_kind::ai_model}[i % 4];
    // 90% intervals of the cost of one compromise, by kind (USD), scaled by a per-asset factor.
    constexpr std::array<std::array<double, 2>, 4> primary{{{1e6, 20e6}, {0.5e6, 10e6}, {0.2e6, 5e6}, {0.5e6, 8e6}}};
    const double scale = money_rng_.between(0.5, 2.0);
    d.loss = loss_magnitude{.primary = distribution_spec::lognormal(primary[i % 4][0] * scale, primary[i % 4][1] * scale)};
    if (i % 4 == 0) {  // databases hold personal data: fines and notification costs in some events
      d.loss->secondary = distribution_spec::lognormal(1e6 * scale, 30e6 * scale);
      d.loss->secondary_probability = 0.3;
    }
  }

  void add(std::size_t u, std::size_t v, edge_kind k, double lo, double hi) {
    b_.add_edge(u, v, {.kind = k, .probability = rng_.between(lo, hi)});
  }

  /// Suppliers reach a few servers; internet-facing servers carry one to three real CVEs.
  void add_entry_edges() {
    for (std::size_t i = 0; i < l_.n_third; ++i)
      for (int j = 0; j < 3; ++j) add(l_.third + i, l_.servers + rng_.below(l_.n_servers), edge_kind::trusts, 0.1, 0.4);
    for (std::size_t i = 0; i < l_.n_servers; i += 50) {
      edge e{.kind = edge_kind::exploits, .probability = rng_.between(0.2, 0.7)};
      std::vector<vulnerability> vulns;
      for (std::size_t k = 0, count = 1 + cve_rng_.below(3); k < count; ++k) {
        const auto& [cve, cvss] = generator_cves[cve_rng_.below(generator_cves.size())];
        if (std::none_of(vulns.begin(), vulns.end(), [&](const vulnerability& x) { return x.cve == cve; })) vulns.push_back({cve, cvss});
      }
      e.vulnerabilities = std::move(vulns);
      b_.add_edge(l_.internet, l_.servers + i, std::move(e));
    }
  }

  /// Users are phished, sit in heavy-tailed groups, use SaaS, log on to a workstation (some as its admin).
  void add_user_edges() {
    for (std::size_t i = 0; i < l_.n_users; ++i) {
      const std::size_t u = l_.users + i;
      add(l_.internet, u, edge_kind::phishing, 0.02, 0.12);
      const std::size_t memberships = 1 + rng_.popular(8);
      for (std::size_t j = 0; j < memberships; ++j) add(u, l_.groups + rng_.popular(l_.n_groups), edge_kind::member_of, 1.0, 1.0);
      for (int j = 0; j < 4; ++j) add(u, l_.saas + rng_.popular(l_.n_saas), edge_kind::can_access, 0.6, 0.9);
      const std::size_t w = l_.ws + (i % l_.n_ws);
      add(w, u, edge_kind::has_session, 0.5, 0.8);
      if (rng_.uniform() < 0.15) add(u, w, edge_kind::admin_to, 0.6, 0.9);
    }
  }

  /// Workstations reach servers; a few hold an admin's session.
  void add_workstation_edges() {
    for (std::size_t i = 0; i < l_.n_ws; ++i) {
      const std::size_t w = l_.ws + i;
      for (int j = 0; j < 9; ++j) add(w, l_.servers + rng_.below(l_.n_servers), edge_kind::network_reach, 0.05, 0.4);
      if (rng_.uniform() < 0.05) add(w, l_.users + rng_.below(l_.n_users), edge_kind::has_session, 0.4, 0.7);
    }
  }

  /// Groups nest, administer machines and assume cloud roles.
  void add_group_edges() {
    for (std::size_t i = 0; i < l_.n_groups; ++i) {
      const std::size_t g = l_.groups + i;
      // Nesting into an older, more popular group: acyclic and a few levels deep, as in real
      // directories (uniform nesting would make long zero-cost chains that no directory has).
      if (i >= 5) add(g, l_.groups + rng_.popular(i), edge_kind::member_of, 1.0, 1.0);
      const std::size_t admins = 1 + rng_.popular(150);
      for (std::size_t j = 0; j < admins; ++j)
        add(g, rng_.uniform() < 0.7 ? l_.ws + rng_.below(l_.n_ws) : l_.servers + rng_.below(l_.n_servers), edge_kind::admin_to, 0.7, 0.95);
      if (rng_.uniform() < 0.1) add(g, l_.roles + rng_.below(l_.n_roles), edge_kind::can_assume_role, 0.7, 1.0);
    }
  }

  /// Servers hold sessions and service credentials; a few feed a crown jewel.
  void add_server_edges() {
    for (std::size_t i = 0; i < l_.n_servers; ++i) {
      const std::size_t s = l_.servers + i;
      for (int j = 0; j < 10; ++j) add(s, l_.users + rng_.below(l_.n_users), edge_kind::has_session, 0.3, 0.7);
      add(s, l_.svc + rng_.below(l_.n_svc), edge_kind::uses_credential, 0.2, 0.6);
      if (rng_.uniform() < 0.02) add(s, l_.jewels + rng_.below(l_.n_jewels), edge_kind::data_flow, 0.3, 0.8);
    }
  }

  /// Service accounts administer servers and assume roles; roles and SaaS reach crown jewels.
  void add_account_and_cloud_edges() {
    for (std::size_t i = 0; i < l_.n_svc; ++i) {
      for (int j = 0; j < 15; ++j) add(l_.svc + i, l_.servers + rng_.below(l_.n_servers), edge_kind::admin_to, 0.7, 1.0);
      if (rng_.uniform() < 0.2) add(l_.svc + i, l_.roles + rng_.below(l_.n_roles), edge_kind::can_assume_role, 0.8, 1.0);
    }
    for (std::size_t i = 0; i < l_.n_roles; ++i)
      if (rng_.uniform() < 0.3) add(l_.roles + i, l_.jewels + rng_.below(l_.n_jewels), edge_kind::has_permission, 0.5, 0.9);
    for (std::size_t i = 0; i < l_.n_saas; ++i)
      if (rng_.uniform() < 0.3) add(l_.saas + i, l_.jewels + rng_.below(l_.n_jewels), edge_kind::contains, 0.3, 0.7);
  }

  /// Name, currency and three threats whose rates grow with the estate (more people to phish,
  /// more servers to exploit).
  void add_threats() {
    b_.set_name("Synthetic enterprise (" + std::to_string(o_.nodes) + " nodes, seed " + std::to_string(o_.seed) + ")");
    b_.set_currency("USD");
    const double size = std::sqrt(static_cast<double>(o_.nodes) / 10'000.0);
    auto rate = [&](double lo, double hi) { return distribution_spec::lognormal(lo * size, hi * size); };
    b_.add_threat({.id = "ransomware", .name = "Ransomware affiliates", .frequency = rate(0.05, 0.5),
                   .detect_hours = distribution_spec::lognormal(24, 720)}, {{"internet0"}});
    b_.add_threat({.id = "phishing", .name = "Financially motivated phishing crews", .frequency = rate(0.2, 2.0), .capability = 0.6,
                   .detect_hours = distribution_spec::lognormal(4, 336)}, {{"internet0"}});
    std::vector<threat_entry_ref> suppliers;
    for (std::size_t i = 0; i < l_.n_third; ++i) suppliers.push_back({"vendor" + std::to_string(i)});
    b_.add_threat({.id = "supply-chain", .name = "Supplier compromise", .frequency = rate(0.02, 0.2),
                   .detect_hours = distribution_spec::lognormal(168, 8760)}, std::move(suppliers));
  }

  enterprise_options o_;
  structure_rng rng_, money_rng_, cve_rng_;
  enterprise_layout l_;
  twin_builder b_;
  std::size_t next_ = 0;
};

}  // namespace detail

/// A synthetic organisation: the internet and suppliers as entry points, internet-exposed
/// servers with real CVEs, phishable users in heavy-tailed nested groups, workstations with sessions (some of
/// admins), servers administered by groups and service accounts, cloud roles, SaaS, and a few
/// crown jewels (databases, storage, code, an AI model) — with probabilities in the ranges of
/// the sample twin. About 10 edges per node. Money in USD: each crown jewel has a loss magnitude
/// by kind, and three threats act on the estate — ransomware and phishing crews from the internet
/// and supplier compromise through the third parties — with yearly rates, a capability and SOC
/// detection times in the ranges of the sample twin, so `simulate_loss` gives sensible figures.
/// Throws: model_error when `nodes` < 100.
[[nodiscard]] inline twin generate_enterprise(const enterprise_options& options) {
  if (options.nodes < 100) throw model_error("generate_enterprise: at least 100 nodes, got " + std::to_string(options.nodes));
  return detail::enterprise_generator(options).build();
}

}  // namespace twinrisk
