#pragma once
/// BloodHound CE's post-processing of an Active Directory collection, on the object graph the
/// records made (docs/design/bloodhound-tier-zero-and-ad-edges.md, docs/importing.md "Derived
/// edges"): the well-known principals every domain has (Authenticated Users, Everyone) linked to
/// their members, DCSync, Kerberoasting and AS-REP roasting, unconstrained delegation with
/// coercion (CoerceToTGT), SyncLAPSPassword, domain controllers (DCFor), certificate services (io/bloodhound_adcs.hpp), GPOs applied to the users and computers
/// under their links (GPOAppliesTo, enforced links and blocked inheritance respected), and tier
/// zero (io/bloodhound_tier_zero.hpp).

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/io/bloodhound_adcs.hpp"
#include "twinrisk/io/bloodhound_objects.hpp"
#include "twinrisk/io/bloodhound_tier_zero.hpp"
#include "twinrisk/io/sharphound.hpp"

namespace twinrisk::detail {

/// A collection once read, post-processed as BloodHound CE does before it becomes a twin.
class bloodhound_post_processing : public sharphound_records {
 public:
  using sharphound_records::sharphound_records;

 protected:
  /// Everything after the last file, in BloodHound's order, then the twin.
  import_result post_process_and_build() {
    remove_deleted();
    mark_kerberos_only_delegation();
    const std::size_t before = links_.size();
    link_well_known_principals();
    derive_replication_rights();
    derive_kerberos_roasting();
    derive_delegation_and_dc_for();
    derive_gpo_application();
    derive_certificate_services();
    std::vector<std::string> tier_zero =
        tier_zero_finder(ids_, objects_, links_, relationship_slot("MemberOf"), relationship_slot("Contains"),
                         relationship_slot("GPLink"), relationship_slot("HostsCAService"))
            .find();
    const std::vector<char> crown_jewels = link_tier_zero_to_domains(tier_zero);
    count_derived(before);
    merge_duplicate_edges();
    return build(tier_zero, crown_jewels);
  }

 private:
  // The well-known principals of each collected domain, as BloodHound links them: Domain Users
  // and Domain Computers are members of Authenticated Users, which with Guest is a member of
  // Everyone. ACEs granted to Authenticated Users or Everyone thereby reach every account.
  struct well_known {
    std::uint32_t authenticated_users = no_object, everyone = no_object;
  };
  std::map<std::uint32_t, well_known> well_known_;  // by domain object

  void link_well_known_principals() {
    std::vector<std::uint32_t> domains;
    for (std::uint32_t v = 0; v < objects_.size(); ++v)
      if (objects_[v].type == "Domain" && objects_[v].described && !objects_[v].deleted && !objects_[v].name.empty())
        domains.push_back(v);
    for (std::uint32_t d : domains) {
      const std::string sid = ids_[d], fqdn = upper_case_ascii(objects_[d].name);
      well_known w;
      w.authenticated_users = well_known_group(fqdn + "-S-1-5-11", "AUTHENTICATED USERS@" + fqdn, sid);
      w.everyone = well_known_group(fqdn + "-S-1-1-0", "EVERYONE@" + fqdn, sid);
      for (const char* rid : {"-513", "-515"})
        if (const std::size_t g = index_.find(sid + rid, ids_); g != id_index::npos)
          add_link(static_cast<std::uint32_t>(g), w.authenticated_users, "MemberOf");
      if (const std::size_t guest = index_.find(sid + "-501", ids_); guest != id_index::npos)
        add_link(static_cast<std::uint32_t>(guest), w.everyone, "MemberOf");
      add_link(w.authenticated_users, w.everyone, "MemberOf");
      well_known_[d] = w;
    }
  }

  std::uint32_t well_known_group(const std::string& id, const std::string& name, const std::string& domain_sid) {
    const std::uint32_t v = node_of(id, "Group");
    bloodhound_object& o = objects_[v];
    if (o.name.empty()) o.name = name;
    if (!o.described) {  // BloodHound creates them when the collection does not describe them
      o.described = true;
      o.properties = {{"domainsid", domain_sid}, {"well_known", true}};
    }
    return v;
  }

  /// The domain object object `v` belongs to, or no_object: its `domainsid`; else, for an object
  /// only referenced, what its id says — a domain SID and a relative id ("S-1-5-21-X-Y-Z-512"), or
  /// a domain name before a well-known SID ("CORP.LOCAL-S-1-5-32-548").
  std::uint32_t domain_of(std::uint32_t v) const {
    auto domain_named = [&](std::string_view id) {
      const std::size_t d = index_.find(std::string(id), ids_);
      return d == id_index::npos || objects_[d].type != "Domain" ? no_object : static_cast<std::uint32_t>(d);
    };
    if (const std::string_view sid = object_string(objects_[v], "domainsid"); !sid.empty()) return domain_named(sid);
    const std::string& id = ids_[v];
    if (id.starts_with("S-1-5-21-")) {
      const std::size_t dash = id.rfind('-');
      return domain_named(std::string_view(id).substr(0, dash));
    }
    if (const std::size_t at = id.find("-S-1-"); at != std::string::npos) {
      const std::string fqdn = upper_case_ascii(std::string_view(id).substr(0, at));
      for (const auto& [d, w] : well_known_)
        if (upper_case_ascii(objects_[d].name) == fqdn) return d;
    }
    return no_object;
  }

  const well_known* well_known_of(std::uint32_t v) const {
    const auto it = well_known_.find(domain_of(v));
    return it == well_known_.end() ? nullptr : &it->second;
  }

  // Kerberoasting: any authenticated principal of the domain can ask for a service ticket of an
  // enabled user with an SPN and crack it offline (not krbtgt, not managed service accounts, whose
  // passwords are random). AS-REP roasting needs no credentials at all: Everyone reaches the
  // enabled users that do not require Kerberos pre-authentication. How likely the cracking is
  // depends on the password's age and the ticket's encryption (cracking_probability), unless a
  // probabilities file states the relationship's probability.
  void derive_kerberos_roasting() {
    const std::int64_t as_of = collection_time();
    const bool by_facts = !options_.relationships.contains("Kerberoastable"), asrep_by_facts = !options_.relationships.contains("ASREPRoast");
    const std::uint32_t kerberoastable = relationship_slot("Kerberoastable"), asrep = relationship_slot("ASREPRoast");
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      const bloodhound_object& u = objects_[v];
      if (u.type != "User" || u.deleted || !object_flag(u, "enabled")) continue;
      const well_known* w = well_known_of(v);
      if (w == nullptr) continue;
      if (object_flag(u, "hasspn") && !managed_service_account(u.properties) && !id_ends_with(ids_[v], "-502")) {
        add_link(w->authenticated_users, v, "Kerberoastable");
        if (by_facts) link_probability_[{w->authenticated_users, v, kerberoastable}] = cracking_probability(u, as_of);
      }
      if (object_flag(u, "dontreqpreauth")) {
        add_link(w->everyone, v, "ASREPRoast");
        if (asrep_by_facts) link_probability_[{w->everyone, v, asrep}] = cracking_probability(u, as_of);
      }
    }
  }

  // When the collection was taken, as far as its timestamps tell (epoch seconds): the latest logon,
  // password change or creation it records; 0 when it records none.
  std::int64_t collection_time() const {
    std::int64_t latest = 0;
    for (const bloodhound_object& o : objects_)
      if (o.properties.is_object())
        for (const char* key : {"lastlogontimestamp", "lastlogon", "pwdlastset", "whencreated"})
          if (const auto it = o.properties.find(key); it != o.properties.end() && it->is_number_integer())
            latest = std::max(latest, it->get<std::int64_t>());
    return latest;
  }

  // The chance an offline cracking attempt recovers a user's password from a roasted ticket
  // (docs/importing.md "Derived edges"): by the password's age when collected — set 5 or more years
  // ago 0.6, 2 to 5 years 0.45, 1 to 2 years 0.35, under a year 0.25 (service passwords set long ago
  // by people are the ones cracked), unknown 0.35 — times 0.3 when the account's tickets are
  // AES-only (no RC4 to downgrade to: orders of magnitude slower to crack).
  static double cracking_probability(const bloodhound_object& u, std::int64_t as_of) {
    double p = 0.35;
    const nlohmann::json* set = object_property(u, "pwdlastset");
    if (as_of > 0 && set != nullptr && set->is_number_integer() && set->get<std::int64_t>() > 0) {
      const double years = static_cast<double>(as_of - set->get<std::int64_t>()) / 31'557'600.0;
      p = years >= 5 ? 0.6 : years >= 2 ? 0.45 : years >= 1 ? 0.35 : 0.25;
    }
    const nlohmann::json* types = object_property(u, "supportedencryptiontypes");
    if (types != nullptr && types->is_array() && !types->empty()) {
      bool aes = false, rc4 = false;
      for (const auto& t : *types)
        if (t.is_string()) {
          const std::string name = upper_case_ascii(t.get_ref<const std::string&>());
          aes = aes || name.find("AES") != std::string::npos;
          rc4 = rc4 || name.find("RC4") != std::string::npos || name.find("DES") != std::string::npos;
        }
      if (aes && !rc4) p *= 0.3;
    }
    return p;
  }

  // Domain controllers (DCFor) and unconstrained delegation: an attacker who controls a computer
  // or user trusted for unconstrained delegation coerces a domain controller into authenticating
  // to it and takes the controller's ticket (CoerceToTGT; domain controllers themselves excluded).
  // A domain controller is flagged so, or is a member of a Domain Controllers group (-516; older
  // collections have no IsDC flag).
  void derive_delegation_and_dc_for() {
    std::vector<char> in_dc_group(objects_.size(), 0);
    const std::uint32_t member = relationship_slot("MemberOf");
    for (const bloodhound_link& l : links_)
      if (l.rel == member && id_ends_with(ids_[l.to], "-516")) in_dc_group[l.from] = 1;
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      const bloodhound_object& o = objects_[v];
      if ((o.type != "Computer" && o.type != "User") || o.deleted) continue;
      const std::uint32_t domain = domain_of(v);
      if (domain == no_object) continue;
      const bool dc = o.type == "Computer" && (object_flag(o, "isdc") || in_dc_group[v]);
      if (dc) add_link(v, domain, "DCFor");
      else if (object_flag(o, "unconstraineddelegation")) add_link(v, domain, "CoerceToTGT");
    }
  }

  // GPOs apply to the users and computers below the domain or OU they are linked to; an OU that
  // blocks inheritance keeps its own links and the enforced ones from above (BloodHound CE's
  // gpos.go). The link's enforcement is the GPLink edge's `enforced` flag, kept by the reader.
  void derive_gpo_application() {
    const std::uint32_t contains = relationship_slot("Contains");
    const bloodhound_adjacency children(objects_.size(), links_, contains);
    std::vector<std::vector<std::pair<std::uint32_t, bool>>> links_to(objects_.size());  // OU/domain -> (GPO, enforced)
    for (const auto& [gpo, target, enforced] : gpo_links_)
      if (!objects_[gpo].deleted && !objects_[target].deleted) links_to[target].emplace_back(gpo, enforced);
    std::vector<char> visited(objects_.size(), 0);
    struct frame {
      std::uint32_t node;
      std::vector<std::uint32_t> inherited, inherited_enforced;
    };
    for (std::uint32_t d = 0; d < objects_.size(); ++d) {
      if (objects_[d].type != "Domain" || objects_[d].deleted) continue;
      std::vector<frame> stack{{d, {}, {}}};
      while (!stack.empty()) {
        frame f = std::move(stack.back());
        stack.pop_back();
        if (visited[f.node]) continue;  // a hostile collection may contain cycles
        visited[f.node] = 1;
        const bloodhound_object& o = objects_[f.node];
        std::vector<std::uint32_t> applying, enforced = f.inherited_enforced;
        const bool linkable = o.type == "Domain" || o.type == "OU";
        if (linkable)
          for (const auto& [gpo, is_enforced] : links_to[f.node]) {
            applying.push_back(gpo);
            if (is_enforced) enforced.push_back(gpo);
          }
        const bool blocks = o.type == "OU" && object_flag(o, "blocksinheritance");
        const auto& passed = blocks ? f.inherited_enforced : f.inherited;
        applying.insert(applying.end(), passed.begin(), passed.end());
        for (std::uint32_t c : children.out[f.node]) {
          const std::string& type = objects_[c].type;
          if (type == "User" || type == "Computer") {
            for (std::uint32_t gpo : applying) add_link(gpo, c, "GPOAppliesTo");
          } else if (type == "OU" || type == "Container") {
            stack.push_back({c, applying, enforced});
          }
        }
      }
    }
  }

  // Constrained delegation from an account without protocol transition (`trustedtoauth` not
  // true) works only with a victim's forwardable ticket: AllowedToDelegateKerberosOnly, less
  // likely than AllowedToDelegate.
  void mark_kerberos_only_delegation() {
    const std::uint32_t with = relationship_slot("AllowedToDelegate"), without = relationship_slot("AllowedToDelegateKerberosOnly");
    if (with == no_object || without == no_object) return;
    for (bloodhound_link& l : links_)
      if (l.rel == with && !object_flag(objects_[l.from], "trustedtoauth")) l.rel = without;
  }

  // Certificate services (io/bloodhound_adcs.hpp): after DCFor, which ESC6b, ESC9 and ESC10 read.
  void derive_certificate_services() {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> agents;
    for (const auto& [agent, ca] : all_templates_agents_) agents.emplace_back(agent, ca);
    const auto derived = adcs_escalations(ids_, objects_, links_, [&](std::string_view rel) { return relationship_slot(rel); }, agents).derive();
    for (const adcs_link& l : derived) add_link(l.from, l.to, l.rel);
  }

  // The replication rights' edges, from one membership index.
  // DCSync (BloodHound's post-processing): a principal that holds GetChanges and GetChangesAll on
  // a domain — itself or through the groups it is (transitively) a member of — can DCSync it.
  // SyncLAPSPassword (BloodHound CE's post-processing): GetChanges with GetChangesInFilteredSet
  // on a domain replicates the confidential attributes, LAPS passwords included, of every
  // computer of the domain that has LAPS.
  void derive_replication_rights() {
    const bloodhound_adjacency member_of(objects_.size(), links_, relationship_slot("MemberOf"));
    for (const auto& [domain, holders] : holders_of_both(member_of, "GetChanges", "GetChangesAll"))
      for (std::uint32_t p : holders) add_link(p, domain, "DCSync");
    const auto laps_readers = holders_of_both(member_of, "GetChanges", "GetChangesInFilteredSet");
    if (laps_readers.empty()) return;
    std::map<std::uint32_t, std::vector<std::uint32_t>> laps;  // domain -> its computers with LAPS
    for (std::uint32_t v = 0; v < objects_.size(); ++v)
      if (objects_[v].type == "Computer" && !objects_[v].deleted && object_flag(objects_[v], "haslaps"))
        if (const std::uint32_t d = domain_of(v); d != no_object) laps[d].push_back(v);
    for (const auto& [domain, principals] : laps_readers) {
      const auto computers = laps.find(domain);
      if (computers == laps.end()) continue;
      for (std::uint32_t p : principals)
        for (std::uint32_t c : computers->second) add_link(p, c, "SyncLAPSPassword");
    }
  }

  // The principals that hold both rights `a` and `b` on a domain, by domain: direct holders of
  // both, and users and computers that combine the two through different groups (members of a
  // group that holds both reach it via MemberOf). BloodHound's rule for DCSync and SyncLAPSPassword.
  std::map<std::uint32_t, std::vector<std::uint32_t>> holders_of_both(const bloodhound_adjacency& member_of, std::string_view a,
                                                                       std::string_view b) const {
    const std::uint32_t ra = relationship_slot(a), rb = relationship_slot(b);
    std::map<std::uint32_t, std::vector<std::uint32_t>> holders[2];  // domain -> holders of a / b
    for (const bloodhound_link& l : links_) {
      if (l.rel == ra) holders[0][l.to].push_back(l.from);
      if (l.rel == rb) holders[1][l.to].push_back(l.from);
    }
    std::map<std::uint32_t, std::vector<std::uint32_t>> out;
    for (const auto& [domain, a_holders] : holders[0]) {
      const auto other = holders[1].find(domain);
      if (other == holders[1].end()) continue;
      const std::vector<std::uint32_t>& b_holders = other->second;
      std::vector<std::uint32_t> both;
      for (std::uint32_t p : a_holders)
        if (std::find(b_holders.begin(), b_holders.end(), p) != b_holders.end()) both.push_back(p);
      // Everyone who holds a right: its holders and their transitive members.
      const auto has_a = with_members(member_of, a_holders), has_b = with_members(member_of, b_holders),
                 has_both = with_members(member_of, both);
      std::vector<std::uint32_t>& principals = out[domain];
      principals = both;
      for (std::uint32_t v = 0; v < objects_.size(); ++v)
        if (has_a[v] && has_b[v] && !has_both[v] && objects_[v].type != "Group") principals.push_back(v);
    }
    return out;
  }

  // Control of a tier-zero object is control of its domain: each links to its domain head
  // (TierZeroOf, probability 1), so the domain is the one crown jewel that stands for them all
  // (paths end there, and money counts a domain once). Tier-zero objects with no domain to name
  // (tenants, objects without a domain SID) are crown jewels themselves.
  // (A domain controller's DCFor edge says it already.)
  std::vector<char> link_tier_zero_to_domains(const std::vector<std::string>& tier_zero) {
    std::vector<char> crown_jewels(objects_.size(), 0);
    const std::uint32_t dc_for = relationship_slot("DCFor");
    std::vector<bloodhound_link> dcs;
    for (const bloodhound_link& l : links_)
      if (l.rel == dc_for) dcs.push_back({l.from, l.to, 0});
    std::sort(dcs.begin(), dcs.end());
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      if (tier_zero[v].empty()) continue;
      const std::uint32_t domain = objects_[v].type == "Domain" ? no_object : domain_of(v);
      if (domain == no_object || domain == v || objects_[domain].deleted) crown_jewels[v] = 1;
      else if (!std::binary_search(dcs.begin(), dcs.end(), bloodhound_link{v, domain, 0})) add_link(v, domain, "TierZeroOf");
    }
    return crown_jewels;
  }

  // Derived edges are those added since `before` that the collection did not state itself.
  void count_derived(std::size_t before) {
    std::vector<bloodhound_link> stated(links_.begin(), links_.begin() + static_cast<std::ptrdiff_t>(before));
    std::sort(stated.begin(), stated.end());
    std::vector<bloodhound_link> added(links_.begin() + static_cast<std::ptrdiff_t>(before), links_.end());
    std::sort(added.begin(), added.end());
    added.erase(std::unique(added.begin(), added.end()), added.end());
    std::erase_if(added, [&](const bloodhound_link& l) { return std::binary_search(stated.begin(), stated.end(), l); });
    summary_.derived_edges = added.size();
    for (const bloodhound_link& l : added) ++summary_.derived_by_kind[relationships_[l.rel].name];
  }
};

}  // namespace twinrisk::detail
