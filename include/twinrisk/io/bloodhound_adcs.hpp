#pragma once
/// Active Directory Certificate Services as BloodHound CE post-processes them
/// (docs/design/bloodhound-adcs.md, with its Python oracle adcs_edges.py; docs/importing.md
/// "Certificate services"): which CAs a domain trusts for logon (TrustedForNTAuth, IssuedSignedBy,
/// EnterpriseCAFor, RootCAFor, NTAuthStoreFor), which templates enroll on behalf of which
/// (EnrollOnBehalfOf, DelegatedEnrollmentAgent for all templates), issuance policies
/// (ExtendedByPolicy), and the escalations: GoldenCert, ESC1, ESC3, ESC4, ESC6a/b, ESC9a/b,
/// ESC10a/b, ESC13.
///
/// Where BloodHound CE's production pipeline and its integration tests disagree (Owns and
/// WriteOwner on templates and victims count in the tests; in production they are still raw when
/// ADCS runs), twinrisk follows the tests: an owner can grant itself any right. Its
/// EnrollOnBehalfOf stops at the first CA without templates; twinrisk does not.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/io/bloodhound_objects.hpp"

namespace twinrisk::detail {

/// One link ADCS post-processing derives: `from -rel-> to` (objects by index).
struct adcs_link {
  std::uint32_t from, to;
  const char* rel;
};

/// The ADCS edges of a collection. Construct over the objects and links after the other
/// post-processing (DCFor and the well-known groups must be there), then `derive()`.
/// Complexity: linear in the links for the indexes; per enterprise CA and published template,
/// set operations over the enrollers and their group expansions (each expansion computed once).
class adcs_escalations {
 public:
  /// `slot_of(name)`: the relationship slot of a BloodHound relationship name (no_object if none).
  template <class SlotOf>
  adcs_escalations(const std::vector<std::string>& ids, const std::vector<bloodhound_object>& objects,
                   const std::vector<bloodhound_link>& links, SlotOf&& slot_of,
                   const std::vector<std::pair<std::uint32_t, std::uint32_t>>& all_templates_agents)
      : ids_(ids), objects_(objects) {
    std::vector<std::uint32_t> slot(relation_count);
    for (std::size_t r = 0; r < relation_count; ++r) slot[r] = slot_of(relation_names[r]);
    for (const bloodhound_link& l : links)
      for (std::size_t r = 0; r < relation_count; ++r)
        if (l.rel == slot[r] && !objects_[l.from].deleted && !objects_[l.to].deleted) by_target_[r].push_back({l.to, l.from});
    for (const auto& [agent, ca] : all_templates_agents) agents_for_all_.push_back({ca, agent});
    for (auto& list : by_target_) std::sort(list.begin(), list.end());
    for (const auto& [ca, t] : by_target_[published_to]) published_on_[t].push_back(ca);  // template -> CAs
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      const bloodhound_object& o = objects_[v];
      if (o.deleted) continue;
      if (o.type == "EnterpriseCA") enterprise_cas_.push_back(v);
      else if (o.type == "CertTemplate") templates_.push_back(v);
      else if (o.type == "Domain") domains_.push_back(v), domain_by_id_.emplace(upper_case_ascii(ids_[v]), v);
    }
  }

  /// Every derived link, context edges first. Empty when the collection has no enterprise CA.
  std::vector<adcs_link> derive() && {
    if (enterprise_cas_.empty()) return {};
    link_certificate_chains();
    link_delegated_agents_for_all_templates();
    find_trusting_domains();
    find_certificate_mapping();
    link_enroll_on_behalf_of();
    link_issuance_policies();
    for (std::uint32_t ca : enterprise_cas_) derive_escalations(ca);
    return std::move(out_);
  }

 private:
  using set = std::vector<std::uint32_t>;  // sorted, unique
  enum relation : std::uint8_t {
    member_of, enroll, generic_all, all_extended_rights, owns, write_owner, write_dacl, generic_write,
    write_pki_name_flag, write_pki_enrollment_flag, published_to, hosts_ca_service, delegated_enrollment_agent,
    dc_for, same_forest_trust, oid_group_link, relation_count
  };
  static constexpr const char* relation_names[relation_count] = {
      "MemberOf", "Enroll", "GenericAll", "AllExtendedRights", "Owns", "WriteOwner", "WriteDacl", "GenericWrite",
      "WritePKINameFlag", "WritePKIEnrollmentFlag", "PublishedTo", "HostsCAService", "DelegatedEnrollmentAgent",
      "DCFor", "SameForestTrust", "OIDGroupLink"};
  static constexpr std::string_view eku_any_purpose = "2.5.29.37.0", eku_certificate_request_agent = "1.3.6.1.4.1.311.20.2.1",
                                    eku_client_authentication = "1.3.6.1.5.5.7.3.2";

  // ---- reading the graph -----------------------------------------------------------------

  /// The first-degree sources of `r` links into `v` (OWNER RIGHTS, whose ACEs BloodHound keeps
  /// apart, and `v` itself left out).
  set sources(relation r, std::uint32_t v) const {
    const auto& list = by_target_[r];
    set out;
    for (auto it = std::lower_bound(list.begin(), list.end(), std::pair<std::uint32_t, std::uint32_t>{v, 0});
         it != list.end() && it->first == v; ++it)
      if (it->second != v && !id_ends_with(ids_[it->second], "S-1-3-4")) out.push_back(it->second);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  set sources(std::initializer_list<relation> rs, std::uint32_t v) const {
    set out;
    for (relation r : rs) out = united(out, sources(r, v));
    return out;
  }

  static set united(const set& a, const set& b) {
    set out;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
  }
  static set intersected(const set& a, const set& b) {
    set out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
  }
  static bool contains(const set& s, std::uint32_t v) { return std::binary_search(s.begin(), s.end(), v); }

  const std::string& type(std::uint32_t v) const { return objects_[v].type; }
  bool is_group(std::uint32_t v) const { return type(v) == "Group" || type(v) == "LocalGroup"; }
  /// Authenticated Users or Everyone (of any domain): a right they hold is everyone's.
  bool is_everyone(std::uint32_t v) const {
    return is_group(v) && (id_ends_with(ids_[v], "S-1-5-11") || id_ends_with(ids_[v], "S-1-1-0"));
  }

  std::optional<bool> flag(std::uint32_t v, const char* key) const {
    const nlohmann::json* p = object_property(objects_[v], key);
    return p != nullptr && p->is_boolean() ? std::optional<bool>(p->get<bool>()) : std::nullopt;
  }
  std::optional<double> number(std::uint32_t v, const char* key) const {
    const nlohmann::json* p = object_property(objects_[v], key);
    return p != nullptr && p->is_number() ? std::optional<double>(p->get<double>()) : std::nullopt;
  }
  /// A list-of-strings property; nullopt when absent or not a list.
  std::optional<std::vector<std::string>> strings(std::uint32_t v, const char* key) const {
    const nlohmann::json* p = object_property(objects_[v], key);
    if (p == nullptr || !p->is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& e : *p)
      if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
  }
  bool has(const std::optional<std::vector<std::string>>& list, std::string_view s) const {
    return list && std::find(list->begin(), list->end(), s) != list->end();
  }

  /// Every transitive member of group `g` (not `g`), computed once per group.
  const set& members(std::uint32_t g) {
    if (const auto it = members_.find(g); it != members_.end()) return it->second;
    std::vector<std::uint32_t> stack{g};
    std::unordered_set<std::uint32_t> seen;
    while (!stack.empty()) {
      const std::uint32_t x = stack.back();
      stack.pop_back();
      for (std::uint32_t m : sources(member_of, x))
        if (m != g && seen.insert(m).second) stack.push_back(m);
    }
    set s(seen.begin(), seen.end());
    std::sort(s.begin(), s.end());
    return members_.emplace(g, std::move(s)).first->second;
  }

  // ---- BloodHound's set logic --------------------------------------------------------------

  /// CalculateCrossProductNodeSets (BloodHound CE ad.go): the principals that hold every one of
  /// `sets`' rights, each named at the highest group that holds them all. A set that reaches
  /// Authenticated Users or Everyone counts as everyone's and constrains nothing.
  set cross_product(const std::vector<set>& sets) {
    std::vector<const set*> kept;
    std::vector<set> unrolled;
    for (const set& s : sets) {
      set u = s;
      for (std::uint32_t p : s)
        if (is_group(p)) u = united(u, members(p));
      if (std::none_of(u.begin(), u.end(), [&](std::uint32_t p) { return is_everyone(p); })) {
        kept.push_back(&s);
        unrolled.push_back(std::move(u));
      }
    }
    if (kept.empty()) {
      set all;
      for (const set& s : sets) all = united(all, s);
      return all;
    }
    if (kept.size() == 1) return *kept[0];
    set check = unrolled[1];
    for (std::size_t i = 2; i < unrolled.size(); ++i) check = intersected(check, unrolled[i]);
    set result;
    std::unordered_set<std::uint32_t> rest;
    for (std::uint32_t p : *kept[0]) {
      if (contains(check, p)) result.push_back(p);
      else
        for (std::uint32_t m : members(p)) rest.insert(m);
    }
    // Smallest groups first: a group that holds everything is taken for all its members.
    std::vector<std::uint32_t> groups;
    for (std::uint32_t p : rest)
      if (!members(p).empty()) groups.push_back(p);
    std::sort(groups.begin(), groups.end(), [&](std::uint32_t a, std::uint32_t b) {
      const std::size_t sa = members(a).size(), sb = members(b).size();
      return sa != sb ? sa < sb : a < b;
    });
    for (std::uint32_t g : groups) {
      if (!rest.contains(g)) continue;
      rest.erase(g);
      if (!contains(check, g)) continue;
      result.push_back(g);
      for (std::uint32_t m : members(g))  // the members are covered (BloodHound toggles them)
        if (!rest.erase(m)) rest.insert(m);
    }
    for (std::uint32_t p : rest)
      if (contains(check, p)) result.push_back(p);
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
  }

  /// A right granted to Authenticated Users or Everyone, or to a group they are direct members of.
  bool granted_to_everyone(const set& holders) {
    for (std::uint32_t p : holders) {
      if (is_everyone(p)) return true;
      if (is_group(p))
        for (std::uint32_t m : sources(member_of, p))
          if (is_everyone(m)) return true;
    }
    return false;
  }

  /// The accounts among `holders` and their members (groups replaced by the members that are not groups).
  set accounts_of(const set& holders) {
    set out;
    for (std::uint32_t p : holders) {
      if (!is_group(p)) {
        out.push_back(p);
        continue;
      }
      for (std::uint32_t m : members(p))
        if (members(m).empty()) out.push_back(m);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  /// Users cannot be the subject of a template that requires a DNS name (or whose DNS flags were
  /// not collected), unless they are managed service accounts, which have one.
  set without_users_unless_dns_free(set s, std::uint32_t tmpl) const {
    const bool dns_free = flag(tmpl, "subjectaltrequiredns") == false && flag(tmpl, "subjectaltrequiredomaindns") == false;
    if (dns_free) return s;
    std::erase_if(s, [&](std::uint32_t p) { return type(p) == "User" && !managed_service_account(objects_[p].properties); });
    return s;
  }

  // ---- template properties -----------------------------------------------------------------

  /// No authorized signatures required (schema 1 templates ignore them); false when the schema
  /// (or, past schema 1, the signature count) was not collected.
  bool signatures_ok(std::uint32_t t) const {
    const auto schema = number(t, "schemaversion");
    if (!schema) return false;
    if (*schema <= 1) return true;
    const auto signatures = number(t, "authorizedsignatures");
    return signatures && *signatures <= 0;
  }
  /// No manager approval and no signatures required; nullopt when approval was not collected.
  std::optional<bool> issues_unattended(std::uint32_t t) const {
    const auto approval = flag(t, "requiresmanagerapproval");
    if (!approval) return std::nullopt;
    return !*approval && signatures_ok(t);
  }
  /// Certificates of the template authenticate over Schannel: stated, or by client-authentication,
  /// any-purpose or no EKU.
  bool schannel_authentication(std::uint32_t t) const {
    if (const auto stated = flag(t, "schannelauthenticationenabled")) return *stated;
    const auto ekus = strings(t, "effectiveekus");
    return ekus && (ekus->empty() || has(ekus, eku_client_authentication) || has(ekus, eku_any_purpose));
  }

  // ---- context: chains, trust, mapping -----------------------------------------------------

  void emit(std::uint32_t from, std::uint32_t to, const char* rel) { out_.push_back({from, to, rel}); }

  std::uint32_t domain_named_by(std::uint32_t v) const {
    const std::string_view sid = object_string(objects_[v], "domainsid");
    if (sid.empty()) return no_object;
    const auto it = domain_by_id_.find(upper_case_ascii(sid));
    return it == domain_by_id_.end() ? no_object : it->second;
  }

  // Certificates by thumbprint: a CA's chain names its issuer; the NTAuth store names the CAs
  // trusted for domain logon; a root CA object names the domain that trusts it.
  void link_certificate_chains() {
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_thumbprint;
    std::vector<std::uint32_t> certificates;
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      const std::string& t = type(v);
      if (objects_[v].deleted) continue;
      if (t == "EnterpriseCA" || t == "RootCA" || t == "AIACA") {
        certificates.push_back(v);
        if (const std::string_view thumb = object_string(objects_[v], "certthumbprint"); !thumb.empty())
          by_thumbprint[upper_case_ascii(thumb)].push_back(v);
      }
    }
    auto with_thumbprint = [&](std::string_view thumb) -> const std::vector<std::uint32_t>& {
      static const std::vector<std::uint32_t> none;
      const auto it = by_thumbprint.find(upper_case_ascii(thumb));
      return thumb.empty() || it == by_thumbprint.end() ? none : it->second;
    };
    chain_up_.assign(objects_.size(), {});
    for (std::uint32_t v : certificates) {
      if (const auto chain = strings(v, "certchain"); chain && chain->size() > 1)
        for (std::uint32_t issuer : with_thumbprint((*chain)[1])) emit(v, issuer, "IssuedSignedBy"), chain_up_[v].push_back(issuer);
      if (type(v) == "EnterpriseCA")
        for (std::uint32_t same : with_thumbprint(object_string(objects_[v], "certthumbprint")))
          if (type(same) == "RootCA" || type(same) == "AIACA") emit(v, same, "EnterpriseCAFor"), chain_up_[v].push_back(same);
      if (type(v) == "RootCA")
        if (const std::uint32_t d = domain_named_by(v); d != no_object) emit(v, d, "RootCAFor"), root_for_[v].push_back(d);
    }
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      if (type(v) != "NTAuthStore" || objects_[v].deleted) continue;
      const std::uint32_t d = domain_named_by(v);
      if (d != no_object) emit(v, d, "NTAuthStoreFor");
      if (const auto thumbs = strings(v, "certthumbprints"))
        for (const std::string& t : *thumbs)
          for (std::uint32_t ca : with_thumbprint(t))
            if (type(ca) == "EnterpriseCA") {
              emit(ca, v, "TrustedForNTAuth");
              if (d != no_object) ntauth_domains_[ca].insert(d);
            }
    }
  }

  void link_delegated_agents_for_all_templates() {
    for (const auto& [ca, agent] : agents_for_all_)
      for (std::uint32_t t : sources(published_to, ca)) {
        emit(agent, t, "DelegatedEnrollmentAgent");
        by_target_[delegated_enrollment_agent].push_back({t, agent});
      }
    std::sort(by_target_[delegated_enrollment_agent].begin(), by_target_[delegated_enrollment_agent].end());
  }

  // The domains each enterprise CA issues logon certificates for: its chain reaches a root CA the
  // domain trusts, and the domain's NTAuth store lists it. Escalations also need a host that is
  // enabled (a CA nobody runs issues nothing).
  void find_trusting_domains() {
    for (std::uint32_t ca : enterprise_cas_) {
      std::set<std::uint32_t> roots;
      std::vector<std::uint32_t> stack{ca};
      std::unordered_set<std::uint32_t> seen{ca};
      while (!stack.empty()) {
        const std::uint32_t v = stack.back();
        stack.pop_back();
        if (const auto it = root_for_.find(v); it != root_for_.end()) roots.insert(it->second.begin(), it->second.end());
        for (std::uint32_t up : chain_up_[v])
          if (seen.insert(up).second) stack.push_back(up);
      }
      chained_domains_[ca] = set(roots.begin(), roots.end());
      set both;
      const auto nt = ntauth_domains_.find(ca);
      for (std::uint32_t d : roots)
        if (nt != ntauth_domains_.end() && nt->second.contains(d)) both.push_back(d);
      trusting_domains_[ca] = both;
      bool host_enabled = false;
      for (std::uint32_t h : sources(hosts_ca_service, ca)) host_enabled |= type(h) == "Computer" && flag(h, "enabled") == true;
      target_domains_[ca] = host_enabled ? both : set{};
    }
  }

  // Per domain, its forest (the domains that reach it over same-forest trusts, itself included),
  // whether some domain controller of the forest maps certificates by UPN (CertificateMappingMethods
  // bit 0x4) and whether one binds them weakly (StrongCertificateBindingEnforcement 0 or 1). Not
  // collected: neither.
  void find_certificate_mapping() {
    for (std::uint32_t d : domains_) {
      std::vector<std::uint32_t> forest{d}, stack{d};
      std::unordered_set<std::uint32_t> seen{d};
      while (!stack.empty()) {
        const std::uint32_t x = stack.back();
        stack.pop_back();
        for (std::uint32_t y : sources(same_forest_trust, x))
          if (seen.insert(y).second) stack.push_back(y), forest.push_back(y);
      }
      std::sort(forest.begin(), forest.end());
      forest_[d] = forest;
      for (std::uint32_t fd : forest)
        for (std::uint32_t dc : sources(dc_for, fd)) {
          if (type(dc) != "Computer") continue;
          const auto mapping = number(dc, "certificatemappingmethodsraw");
          if (mapping && *mapping != -1 && (static_cast<long long>(*mapping) & 0x4)) upn_mapping_.insert(d);
          const auto binding = number(dc, "strongcertificatebindingenforcementraw");
          if (binding && (*binding == 0 || *binding == 1 || *binding == -1)) weak_binding_.insert(d);
        }
    }
  }

  /// Whether template `t` is published to a CA whose chain reaches a root CA of domain `d`.
  bool published_for(std::uint32_t t, std::uint32_t d) const {
    const auto it = published_on_.find(t);
    if (it == published_on_.end()) return false;
    for (std::uint32_t ca : it->second)
      if (const auto c = chained_domains_.find(ca); c != chained_domains_.end() && contains(c->second, d)) return true;
    return false;
  }

  // Enrollment agent templates (the Certificate Request Agent EKU, any purpose, or none) let their
  // holder request certificates of other templates on behalf of any user: schema 1 templates
  // always, later ones when they require the agent's signature (an authorized signature with the
  // agent application policy).
  void link_enroll_on_behalf_of() {
    std::set<std::pair<std::uint32_t, std::uint32_t>> links;
    for (std::uint32_t d : domains_)
      for (std::uint32_t ca : enterprise_cas_) {
        if (!contains(trusting_domains_[ca], d)) continue;
        for (std::uint32_t agent : sources(published_to, ca)) {
          const auto ekus = strings(agent, "effectiveekus");
          if (!ekus) continue;
          const bool any = has(ekus, eku_any_purpose), cra = has(ekus, eku_certificate_request_agent);
          for (std::uint32_t t : templates_) {
            const auto schema = number(t, "schemaversion");
            if (!schema) continue;
            if (!any && cra && *schema >= 2 && t != agent && number(t, "authorizedsignatures").value_or(0) >= 1 &&
                has(strings(t, "applicationpolicies"), eku_certificate_request_agent) && published_for(t, d))
              links.insert({agent, t});
            if ((ekus->empty() || cra || any) && *schema == 1 && published_for(t, d)) links.insert({agent, t});
          }
        }
      }
    for (const auto& [a, t] : links) {
      emit(a, t, "EnrollOnBehalfOf");
      on_behalf_of_[t].push_back(a);
    }
  }

  // Issuance policies: a template whose certificate policy is a policy's OID extends it
  // (ExtendedByPolicy, same domain); a policy linked to a group (OIDGroupLink) makes its
  // certificates members of the group.
  void link_issuance_policies() {
    std::vector<std::uint32_t> policies;
    for (std::uint32_t v = 0; v < objects_.size(); ++v)
      if (type(v) == "IssuancePolicy" && !objects_[v].deleted) policies.push_back(v);
    if (policies.empty()) return;
    for (std::uint32_t t : templates_) {
      const auto oids = strings(t, "certificatepolicy");
      const std::string_view domain = object_string(objects_[t], "domainsid");
      if (!oids || domain.empty()) continue;
      for (std::uint32_t p : policies)
        if (has(oids, object_string(objects_[p], "certtemplateoid")) && same_text_ignoring_case(object_string(objects_[p], "domainsid"), domain)) {
          emit(t, p, "ExtendedByPolicy");
          for (const auto& [g, policy] : by_target_links(oid_group_link, p))
            if (is_group(g)) policy_groups_[t].push_back(g);
        }
    }
  }
  /// Links `r` out of `v`: (target, v) pairs (a scan: used only for issuance policies).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_target_links(relation r, std::uint32_t v) const {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    for (const auto& [to, from] : by_target_[r])
      if (from == v) out.push_back({to, from});
    return out;
  }

  // ---- the escalations, per enterprise CA -------------------------------------------------

  void to_domains(const set& principals, const set& domains, const char* rel) {
    for (std::uint32_t p : principals)
      for (std::uint32_t d : domains) emit(p, d, rel);
  }

  void derive_escalations(std::uint32_t ca) {
    const set& domains = target_domains_[ca];
    if (domains.empty()) return;
    for (std::uint32_t host : sources(hosts_ca_service, ca))  // whoever holds the host holds the CA key
      if (type(host) == "Computer") to_domains({host}, domains, "GoldenCert");
    const set published = sources(published_to, ca);
    const set ca_enrollers = sources(enroll, ca);
    for (std::uint32_t t : published) {
      const set t_enrollers = sources({enroll, generic_all, all_extended_rights}, t);
      esc1(t, t_enrollers, ca_enrollers, domains);
      esc3(ca, t, ca_enrollers, domains);
      esc4(t, ca_enrollers, domains);
      esc6(ca, t, t_enrollers, ca_enrollers, domains);
      esc13(t, t_enrollers, ca_enrollers, domains);
    }
    if (!published.empty() && !ca_enrollers.empty()) esc9_and_10(published, ca_enrollers, domains);
  }

  // ESC1: the enrollee names the subject of an authentication certificate: anyone of the domain.
  void esc1(std::uint32_t t, const set& t_enrollers, const set& ca_enrollers, const set& domains) {
    if (issues_unattended(t) == true && flag(t, "authenticationenabled") == true && flag(t, "enrolleesuppliessubject") == true)
      to_domains(cross_product({t_enrollers, ca_enrollers}), domains, "ADCSESC1");
  }

  // ESC3: an enrollment agent certificate (template `agent`) lets its holder request an
  // authentication certificate (template `t`) on behalf of anyone.
  void esc3(std::uint32_t ca, std::uint32_t t, const set& ca_enrollers, const set& domains) {
    const auto collected = flag(ca, "enrollmentagentrestrictionscollected");
    if (!collected) return;
    const bool restricted = *collected && flag(ca, "hasenrollmentagentrestrictions") == true;
    if (flag(t, "authenticationenabled") != true || flag(t, "requiresmanagerapproval") != false) return;
    const auto agents = on_behalf_of_.find(t);
    if (agents == on_behalf_of_.end()) return;
    for (std::uint32_t agent : agents->second) {
      if (flag(agent, "requiresmanagerapproval") != false) continue;
      const auto schema = number(agent, "schemaversion");
      if (!schema || !(*schema == 1 || (*schema > 1 && number(agent, "authorizedsignatures").value_or(0) <= 0))) continue;
      const auto cas = published_on_.find(agent);
      if (cas == published_on_.end()) continue;
      for (std::uint32_t agent_ca : cas->second) {
        std::vector<set> sets{sources({enroll, generic_all, all_extended_rights}, agent),
                              sources({enroll, generic_all, all_extended_rights}, t), sources(enroll, agent_ca), ca_enrollers};
        if (restricted) sets.push_back(sources(delegated_enrollment_agent, t));
        to_domains(without_users_unless_dns_free(cross_product(sets), agent), domains, "ADCSESC3");
      }
    }
  }

  // ESC4: write access to a template makes it vulnerable (then ESC1), or flags it already needs.
  void esc4(std::uint32_t t, const set& ca_enrollers, const set& domains) {
    const auto supplies_subject = flag(t, "enrolleesuppliessubject");
    const auto approval = flag(t, "requiresmanagerapproval");
    if (!supplies_subject || !approval) return;
    const set enrollers = sources({enroll, all_extended_rights}, t);
    const set name_flag = sources(write_pki_name_flag, t), enrollment_flag = sources(write_pki_enrollment_flag, t);
    set principals = cross_product({ca_enrollers, sources({owns, generic_all, write_dacl, write_owner}, t)});
    principals = united(principals, cross_product({ca_enrollers, sources(generic_write, t), enrollers}));
    if (flag(t, "authenticationenabled") == true && signatures_ok(t)) {
      principals = united(principals, cross_product({ca_enrollers, enrollers, name_flag, enrollment_flag}));
      if (*supplies_subject) principals = united(principals, cross_product({ca_enrollers, enrollers, enrollment_flag}));
      if (!*approval) principals = united(principals, cross_product({ca_enrollers, enrollers, name_flag}));
    }
    to_domains(principals, domains, "ADCSESC4");
  }

  // ESC6: the CA lets every request name its own subject alternative name.
  void esc6(std::uint32_t ca, std::uint32_t t, const set& t_enrollers, const set& ca_enrollers, const set& domains) {
    if (flag(ca, "isuserspecifiessanenabledcollected") != true || flag(ca, "isuserspecifiessanenabled") != true) return;
    if (issues_unattended(t) != true) return;
    const set principals = without_users_unless_dns_free(cross_product({t_enrollers, ca_enrollers}), t);
    if (flag(t, "nosecurityextension") == true && flag(t, "authenticationenabled") == true) to_domains(principals, domains, "ADCSESC6a");
    if (schannel_authentication(t)) {
      set mapped;
      for (std::uint32_t d : domains)
        if (upn_mapping_.contains(d)) mapped.push_back(d);
      to_domains(principals, mapped, "ADCSESC6b");
    }
  }

  // ESC9 and ESC10: write access to an account that may enroll lets the attacker point its UPN
  // (or DNS name) at a victim, enroll, and log on as the victim where certificates bind weakly
  // (ESC9: no security extension, weak binding) or map by UPN over Schannel (ESC10). Scenario a:
  // user or computer victims by UPN/SPN; b: computers by DNS name.
  void esc9_and_10(const set& published, const set& ca_enrollers, const set& domains) {
    for (const bool esc9 : {true, false})
      for (const bool by_dns : {false, true}) {
        set attackers;
        for (std::uint32_t t : published) {
          const auto approval = flag(t, "requiresmanagerapproval"), supplies = flag(t, "enrolleesuppliessubject");
          if (approval != false || supplies != false || !signatures_ok(t)) continue;
          if (esc9 && (flag(t, "authenticationenabled") != true || flag(t, "nosecurityextension") != true)) continue;
          if (!esc9 && !schannel_authentication(t)) continue;
          const auto upn = flag(t, "subjectaltrequireupn"), spn = flag(t, "subjectaltrequirespn"), dns = flag(t, "subjectaltrequiredns");
          if (by_dns ? dns != true : !upn || (!*upn && spn != true)) continue;  // not collected: not vulnerable
          const set t_enrollers = sources({enroll, generic_all, all_extended_rights}, t);
          if (t_enrollers.empty()) continue;
          set victims;
          const bool everyone_t = granted_to_everyone(t_enrollers), everyone_ca = granted_to_everyone(ca_enrollers);
          const set t_accounts = accounts_of(t_enrollers), ca_accounts = accounts_of(ca_enrollers);
          if (!everyone_t && !everyone_ca) victims = intersected(t_accounts, ca_accounts);
          if (everyone_t) victims = united(victims, ca_accounts);
          if (everyone_ca) victims = united(victims, t_accounts);
          if (by_dns) std::erase_if(victims, [&](std::uint32_t v) { return type(v) != "Computer"; });
          else victims = without_users_unless_dns_free(std::move(victims), t);
          for (std::uint32_t v : victims)
            for (std::uint32_t a : sources({generic_all, generic_write, owns, write_owner, write_dacl}, v))
              if (type(a) == "Group" || type(a) == "User" || type(a) == "Computer") attackers.push_back(a);
        }
        std::sort(attackers.begin(), attackers.end());
        attackers.erase(std::unique(attackers.begin(), attackers.end()), attackers.end());
        set gated;
        for (std::uint32_t d : domains)
          if ((esc9 ? weak_binding_ : upn_mapping_).contains(d)) gated.push_back(d);
        to_domains(attackers, gated, esc9 ? (by_dns ? "ADCSESC9b" : "ADCSESC9a") : (by_dns ? "ADCSESC10b" : "ADCSESC10a"));
      }
  }

  // ESC13: a certificate of a template whose issuance policy is linked to a group makes its holder
  // a member of the group (in the CA's domains or their forests).
  void esc13(std::uint32_t t, const set& t_enrollers, const set& ca_enrollers, const set& domains) {
    const auto groups = policy_groups_.find(t);
    if (groups == policy_groups_.end()) return;
    if (issues_unattended(t) != true || flag(t, "authenticationenabled") != true) return;
    const set principals = without_users_unless_dns_free(cross_product({ca_enrollers, t_enrollers}), t);
    for (std::uint32_t g : groups->second) {
      const std::uint32_t home = domain_named_by(g);
      const bool in_scope = std::any_of(domains.begin(), domains.end(), [&](std::uint32_t d) {
        return d == home || (home != no_object && same_forest(home, d));
      });
      if (in_scope)
        for (std::uint32_t p : principals) emit(p, g, "ADCSESC13");
    }
  }
  /// Whether domain `b` reaches domain `a` over same-forest trusts (find_certificate_mapping's forests).
  bool same_forest(std::uint32_t a, std::uint32_t b) const {
    const auto it = forest_.find(a);
    return it != forest_.end() && contains(it->second, b);
  }

  const std::vector<std::string>& ids_;
  const std::vector<bloodhound_object>& objects_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_target_[relation_count];  // (to, from), sorted
  std::vector<std::pair<std::uint32_t, std::uint32_t>> agents_for_all_;              // (CA, agent)
  std::vector<std::uint32_t> enterprise_cas_, templates_, domains_;
  std::unordered_map<std::string, std::uint32_t> domain_by_id_;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> published_on_, root_for_, on_behalf_of_, policy_groups_;
  std::vector<std::vector<std::uint32_t>> chain_up_;  // certificate -> its issuers and root objects
  std::unordered_map<std::uint32_t, std::set<std::uint32_t>> ntauth_domains_;
  std::unordered_map<std::uint32_t, set> chained_domains_, trusting_domains_, target_domains_;
  std::set<std::uint32_t> upn_mapping_, weak_binding_;
  std::unordered_map<std::uint32_t, set> forest_;  // domain -> its forest, sorted
  std::unordered_map<std::uint32_t, set> members_;
  std::vector<adcs_link> out_;
};

}  // namespace twinrisk::detail
