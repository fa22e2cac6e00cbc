#pragma once
/// Tier zero of an Active Directory collection, as BloodHound CE tags it (its "Tier Zero" privilege
/// zone, docs/design/bloodhound-tier-zero-and-ad-edges.md §1): the objects whose control is control
/// of a domain, each with the reason it is there.
///
/// Seeds: domain heads; the Administrators, Account/Server/Print/Backup Operators, Domain Admins,
/// Domain Controllers, Schema Admins, Enterprise Admins, Key Admins, Enterprise Key Admins and
/// Enterprise Domain Controllers groups (well-known SIDs); the built-in Administrator and krbtgt
/// accounts; domain controllers; AdminSDHolder; the hosts of enterprise CAs, NTAuth stores and
/// root CAs; objects the collection itself marks tier zero. Then, to a fixed point, the members of
/// tier-zero groups and the contents of tier-zero OUs and containers; then the OUs above tier-zero
/// objects, the GPOs linked to them or to those OUs, and the containers above objects whose ACL
/// inherits (`isaclprotected` false).

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/io/bloodhound_objects.hpp"

namespace twinrisk::detail {

/// The well-known principals that seed tier zero: an id suffix, the object type it must have, and
/// what it is.
struct tier_zero_seed {
  std::string_view id_suffix;
  std::string_view type;
  std::string_view what;
};

inline constexpr tier_zero_seed tier_zero_seeds[] = {
    {"-S-1-5-32-544", "Group", "Administrators"},
    {"-S-1-5-32-548", "Group", "Account Operators"},
    {"-S-1-5-32-549", "Group", "Server Operators"},
    {"-S-1-5-32-550", "Group", "Print Operators"},
    {"-S-1-5-32-551", "Group", "Backup Operators"},
    {"-512", "Group", "Domain Admins"},
    {"-516", "Group", "Domain Controllers"},
    {"-518", "Group", "Schema Admins"},
    {"-519", "Group", "Enterprise Admins"},
    {"-526", "Group", "Key Admins"},
    {"-527", "Group", "Enterprise Key Admins"},
    {"-S-1-5-9", "Group", "Enterprise Domain Controllers"},
    {"-500", "User", "the built-in Administrator account"},
    {"-502", "User", "krbtgt, the key of every Kerberos ticket"},
};

/// Why each object is tier zero (by object index; empty: it is not).
/// `hosts_ca` lists computer -> enterprise CA pairs (HostsCAService) when the collection has CAs.
/// Complexity: O(objects + links).
class tier_zero_finder {
 public:
  tier_zero_finder(const std::vector<std::string>& ids, const std::vector<bloodhound_object>& objects,
                   const std::vector<bloodhound_link>& links, std::uint32_t member_of, std::uint32_t contains,
                   std::uint32_t gp_link, std::uint32_t hosts_ca)
      : ids_(ids), objects_(objects), reasons_(objects.size()),
        member_of_(objects.size(), links, member_of), contains_(objects.size(), links, contains),
        gp_link_(objects.size(), links, gp_link), hosts_ca_(objects.size(), links, hosts_ca) {}

  std::vector<std::string> find() && {
    seed();
    expand_members_and_contents();
    add_parents_and_gpos();
    return std::move(reasons_);
  }

 private:
  const std::string& label(std::uint32_t v) const { return objects_[v].name.empty() ? ids_[v] : objects_[v].name; }

  bool mark(std::uint32_t v, std::string reason) {
    if (objects_[v].deleted || !reasons_[v].empty()) return false;
    reasons_[v] = std::move(reason);
    order_.push_back(v);
    return true;
  }

  void seed() {
    for (std::uint32_t v = 0; v < objects_.size(); ++v) {
      const bloodhound_object& o = objects_[v];
      if (o.type == "Domain" || o.type == "AZTenant") {
        mark(v, o.type == "Domain" ? "domain head" : "tenant");
        continue;
      }
      for (const tier_zero_seed& s : tier_zero_seeds)
        if (o.type == s.type && id_ends_with(ids_[v], s.id_suffix)) mark(v, std::string(s.what));
      if (o.type == "Computer" && object_flag(o, "isdc")) mark(v, "domain controller");
      if (o.type == "Container" && starts_with_ignoring_case(object_string(o, "distinguishedname"), "CN=ADMINSDHOLDER,CN=SYSTEM,"))
        mark(v, "AdminSDHolder: its ACL is stamped on every protected account");
      if (o.type == "NTAuthStore") mark(v, "NTAuth store: the CAs trusted for domain logon");
      if (o.type == "RootCA") mark(v, "root CA trusted by the domain");
      if (bloodhound_tier_zero(o.properties)) mark(v, "marked tier zero in the collection");
      for (std::uint32_t ca : hosts_ca_.out[v]) mark(v, "hosts the enterprise CA " + label(ca));
    }
  }

  // Members of tier-zero groups and contents of tier-zero OUs and containers, to a fixed point
  // (domains are not expanded to their contents: a domain's objects are not all tier zero).
  void expand_members_and_contents() {
    for (std::size_t i = 0; i < order_.size(); ++i) {
      const std::uint32_t v = order_[i];
      const std::string& type = objects_[v].type;
      if (type == "Group")
        for (std::uint32_t m : member_of_.in[v]) mark(m, "member of " + label(v));
      if (type == "OU" || type == "Container")
        for (std::uint32_t c : contains_.out[v]) mark(c, "in " + label(v));
    }
  }

  // Parents: the OUs above a tier-zero object and the GPOs linked to it or to them control it;
  // containers above it too when its ACL inherits from theirs. Not expanded again.
  void add_parents_and_gpos() {
    const std::size_t expanded = order_.size();
    for (std::size_t i = 0; i < expanded; ++i) {
      const std::uint32_t v = order_[i];
      for (std::uint32_t g : gp_link_.in[v]) mark(g, "GPO linked to " + label(v));
      for_each_ancestor(v, "OU", [&](std::uint32_t ou) {
        mark(ou, "OU above " + label(v));
        for (std::uint32_t g : gp_link_.in[ou]) mark(g, "GPO linked to " + label(ou) + ", above " + label(v));
      });
      if (object_flag_false(objects_[v], "isaclprotected"))
        for_each_ancestor(v, "Container", [&](std::uint32_t c) { mark(c, "container above " + label(v) + ", whose ACL it inherits"); });
    }
  }

  // Calls f(parent) up the chain of containing objects of `type`, stopping at the first of another
  // type (and after as many steps as there are objects: a hostile collection may contain a cycle).
  template <class F>
  void for_each_ancestor(std::uint32_t v, std::string_view type, F&& f) const {
    for (std::size_t steps = 0; steps < objects_.size(); ++steps) {
      std::uint32_t parent = no_object;
      for (std::uint32_t p : contains_.in[v])
        if (objects_[p].type == type) {
          parent = p;
          break;
        }
      if (parent == no_object) return;
      f(parent);
      v = parent;
    }
  }

  const std::vector<std::string>& ids_;
  const std::vector<bloodhound_object>& objects_;
  std::vector<std::string> reasons_;
  std::vector<std::uint32_t> order_;  // marked objects in the order they were found
  bloodhound_adjacency member_of_, contains_, gp_link_, hosts_ca_;
};

}  // namespace twinrisk::detail
