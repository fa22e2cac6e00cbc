#pragma once
/// SharpHound collections (format versions 4 to 6: users, groups, computers, domains, OUs, GPOs,
/// containers, cert templates and CAs, sessions, deleted objects) read into the BloodHound object
/// graph: each record's ACEs, memberships, local groups, sessions, delegation, SPN targets, trusts,
/// GPO links and changes become links; its documented properties are kept (docs/importing.md).
/// Records of AzureHound met in the same collection go to io/azurehound.hpp.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/io/azurehound.hpp"
#include "twinrisk/io/bloodhound_common.hpp"

namespace twinrisk::detail {

/// The records of a collection: SharpHound's, and AzureHound's through its base.
class sharphound_records : public azurehound_records {
 public:
  using azurehound_records::azurehound_records;

 protected:
  /// One record of a collection's "data" array, at JSON pointer `pointer`.
  void read_record(std::string_view pointer, detail::json& r) {
    ++summary_.records;
    ++records_in_file_;
    const detail::lazy_pointer at(pointer);
    if (r.is_string()) {  // deleted.json lists ObjectIdentifiers
      ++strings_in_file_;
      if (first_string_.empty()) first_string_ = at.str();
      deleted_ids_.push_back(r.get<std::string>());
      return;
    }
    if (!r.is_object()) fail(at, "expected an object (a BloodHound record), got " + detail::describe(r));
    if (r.contains("ComputerSID") && r.contains("UserSID") && !r.contains("ObjectIdentifier")) {
      read_session(r, at, none);  // sessions.json
      return;
    }
    if (is_azurehound_record(r)) {
      read_azure(r, at);  // AzureHound: {"kind": "AZUser", "data": {...}}
      return;
    }
    const std::string id = id_of(r, "ObjectIdentifier", at);
    const std::uint32_t v = node_of(id, {});
    object& o = objects_[v];
    o.described = true;
    defined_in_file_.push_back(v);
    for (auto it = r.begin(); it != r.end(); ++it) read_field(v, it.key(), it.value(), at / it.key());
  }

  void read_field(std::uint32_t v, const std::string& key, const detail::json& value, const detail::lazy_pointer& at) {
    if (key == "ObjectIdentifier" || key == "Status") return;
    // Facts newer collectors write beside the properties: kept as the properties they equal, where
    // the properties do not say it themselves (post-processing reads isdc, domainsid, isaclprotected).
    if (key == "IsDC" || key == "IsACLProtected" || key == "DomainSID") {
      if (value.is_boolean() || (value.is_string() && !value.get_ref<const std::string&>().empty())) keep_fact(v, lower_case_ascii(key), value);
      return;
    }
    if (key == "HostingComputer") {  // an enterprise CA's host: its control is control of the CA
      if (!value.is_null()) add_link(node_of(id_of(value, at), "Computer"), v, "HostsCAService");
      return;
    }
    if (key == "EnabledCertTemplates") return for_refs(value, at, [&](std::uint32_t t) { add_link(t, v, "PublishedTo"); });
    if (key == "CARegistryData") return read_ca_registry(v, value, at);
    if (key == "DCRegistryData") return read_dc_registry(v, value, at);
    if (key == "GroupLink") {  // an issuance policy's group: holding a certificate of the policy is membership
      if (!value.is_null()) add_link(v, ref(value, at), "OIDGroupLink");
      return;
    }
    if (key == "Properties") return read_properties(v, value, at);
    if (key == "IsDeleted") {
      if (value.is_boolean() && value.get<bool>()) objects_[v].deleted = true;
      return;
    }
    if (key == "Aces") return read_aces(v, value, at);
    if (key == "Members") return for_refs(value, at, [&](std::uint32_t m) { add_link(m, v, "MemberOf"); });
    if (key == "PrimaryGroupSID") {
      if (value.is_null()) return;
      add_link(v, node_of(id_of(value, at), "Group"), "MemberOf");
      return;
    }
    if (key == "LocalAdmins") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "AdminTo"); });
    if (key == "RemoteDesktopUsers") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "CanRDP"); });
    if (key == "DcomUsers") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "ExecuteDCOM"); });
    if (key == "PSRemoteUsers") return for_result_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "CanPSRemote"); });
    if (key == "LocalGroups") return read_local_groups(v, value, at);
    if (key == "Sessions" || key == "PrivilegedSessions" || key == "RegistrySessions") {
      const detail::json& results = results_of(value, at);
      const detail::lazy_pointer results_at(at, value.is_array() ? std::string_view() : "Results");
      for (std::size_t i = 0; i < results.size(); ++i) read_session(results[i], results_at / i, v);
      return;
    }
    if (key == "AllowedToDelegate") return for_refs(value, at, [&](std::uint32_t t) { add_link(v, t, "AllowedToDelegate"); });
    if (key == "AllowedToAct") return for_refs(value, at, [&](std::uint32_t p) { add_link(p, v, "AllowedToAct"); });
    if (key == "HasSIDHistory") return for_refs(value, at, [&](std::uint32_t t) { add_link(v, t, "HasSIDHistory"); });
    if (key == "ChildObjects") return for_refs(value, at, [&](std::uint32_t c) { add_link(v, c, "Contains"); });
    if (key == "ContainedBy") {
      if (!value.is_null()) add_link(ref(value, at), v, "Contains");
      return;
    }
    if (key == "Links") return read_links(v, value, at);
    if (same_text_ignoring_case(key, "SPNTargets")) return read_spn_targets(v, value, at);  // SharpHound: SPNTargets, older: SpnTargets
    if (key == "Trusts") return read_trusts(v, value, at);
    if (key == "GPOChanges") return read_gpo_changes(value, at);
    ++summary_.fields_not_read[key];
  }

  void keep_fact(std::uint32_t v, const std::string& key, const detail::json& value) {
    object& o = objects_[v];
    if (o.properties.is_null()) o.properties = nlohmann::json::object();
    if (!o.properties.contains(key)) o.properties[key] = value;
  }

  // Properties: the name becomes the node's name; a documented set is kept; the rest is counted.
  void read_properties(std::uint32_t v, const detail::json& props, const detail::lazy_pointer& at) {
    if (props.is_null()) return;
    if (!props.is_object()) fail(at, "expected an object of properties, got " + detail::describe(props));
    object& o = objects_[v];
    for (auto it = props.begin(); it != props.end(); ++it) {
      const std::string& k = it.key();
      if (k == "name" && it->is_string()) {
        o.name = it->get<std::string>();
      } else if (is_kept_property(k)) {
        if (detail::nested_deeper_than(*it, detail::max_property_depth)) fail(at / k, detail::too_deep_message());
        if (o.properties.is_null()) o.properties = nlohmann::json::object();
        o.properties[k] = *it;
      } else {
        ++summary_.properties_not_kept[k];
      }
    }
  }

  /// The properties a node keeps (docs/importing.md).
  static bool is_kept_property(std::string_view k) {
    static constexpr std::string_view kept[] = {
        "enabled", "admincount", "highvalue", "isTierZero", "system_tags", "operatingsystem", "lastlogon",
        "lastlogontimestamp", "pwdlastset", "domain", "domainsid", "distinguishedname", "hasspn", "dontreqpreauth",
        "unconstraineddelegation", "trustedtoauth", "sensitive", "haslaps", "pwdneverexpires", "passwordnotreqd",
        "serviceprincipalnames", "description", "displayname", "email", "title", "samaccountname", "isaclprotected",
        "isdc", "blocksinheritance", "gmsa", "msa", "supportedencryptiontypes", "sidhistory", "whencreated",
        // Certificate services: what io/bloodhound_adcs.hpp reads of templates, CAs and stores.
        "requiresmanagerapproval", "authenticationenabled", "enrolleesuppliessubject", "schemaversion",
        "authorizedsignatures", "effectiveekus", "applicationpolicies", "nosecurityextension", "subjectaltrequireupn",
        "subjectaltrequirespn", "subjectaltrequiredns", "subjectaltrequiredomaindns", "schannelauthenticationenabled",
        "certificatepolicy", "certtemplateoid", "certthumbprint", "certthumbprints", "certchain",
        "enrollmentagentrestrictionscollected", "isuserspecifiessanenabledcollected", "casecuritycollected"};
    return std::find(std::begin(kept), std::end(kept), k) != std::end(kept);
  }

  // ACEs of an object; `ca_registry`: of a CA's registry, whose local groups and owner BloodHound
  // leaves out (the owner is the CA's own Administrators group).
  void read_aces(std::uint32_t v, const detail::json& aces, const detail::lazy_pointer& at, bool ca_registry = false) {
    for_each_element(aces, at, "ACEs", [&](const detail::json& ace, const detail::lazy_pointer& here) {
      if (!ace.is_object()) fail(here, "expected an ACE object, got " + detail::describe(ace));
      const std::string principal = id_of(ace, "PrincipalSID", here);
      const auto right = ace.find("RightName");
      if (right == ace.end() || !right->is_string()) fail(here / "RightName", "expected the name of a right (a string)");
      const std::string type = optional_string(ace, "PrincipalType", here);
      if (ca_registry && (type == "LocalGroup" || right->get_ref<const std::string&>() == "Owns")) return;
      add_link(node_of(principal, type), v, right->get<std::string>());
    });
  }

  // An enterprise CA's registry (v5+): enrollment agent restrictions (who may enroll on behalf of
  // others, for which templates), whether requests may name their own subject alternative name
  // (EDITF_ATTRIBUTESUBJECTALTNAME2, ESC6) and the CA's own ACL (Enroll, ManageCA,
  // ManageCertificates; its local groups and owner left out, as BloodHound does). Each part
  // counts only where the collector could read it ("Collected").
  void read_ca_registry(std::uint32_t ca, const detail::json& registry, const detail::lazy_pointer& at) {
    if (registry.is_null()) return;
    if (!registry.is_object()) fail(at, "expected an object, got " + detail::describe(registry));
    for (auto it = registry.begin(); it != registry.end(); ++it) {
      const std::string& k = it.key();
      const detail::json& part = *it;
      const detail::lazy_pointer here = at / k;
      if (part.is_null()) continue;
      if (!part.is_object()) fail(here, "expected an object with \"Collected\", got " + detail::describe(part));
      if (!boolean_or(part, "Collected", here, false)) continue;
      if (k == "EnrollmentAgentRestrictions") {
        const auto list = part.find("Restrictions");
        const bool any = list != part.end() && list->is_array() && !list->empty();
        keep_fact(ca, "hasenrollmentagentrestrictions", any);
        if (list != part.end()) read_enrollment_agents(ca, *list, here / "Restrictions");
      } else if (k == "IsUserSpecifiesSanEnabled") {
        const auto value = part.find("Value");
        if (value != part.end() && !value->is_boolean() && !value->is_null())
          fail(here / "Value", "expected true or false, got " + detail::describe(*value));
        if (value != part.end() && value->is_boolean()) keep_fact(ca, "isuserspecifiessanenabled", *value);
      } else if (k == "CASecurity") {
        const auto data = part.find("Data");
        if (data != part.end()) read_aces(ca, *data, here / "Data", /*ca_registry=*/true);
      } else {
        ++summary_.fields_not_read["CARegistryData/" + k];
      }
    }
  }

  // Enrollment agent restrictions: an allowing entry lets its agent enroll on behalf of others for
  // one template, or for all the CA's templates (resolved once the collection is read).
  void read_enrollment_agents(std::uint32_t ca, const detail::json& list, const detail::lazy_pointer& at) {
    for_each_element(list, at, "enrollment agent restrictions", [&](const detail::json& r, const detail::lazy_pointer& here) {
      if (!r.is_object()) fail(here, "expected a restriction object, got " + detail::describe(r));
      if (optional_string(r, "AccessType", here) != "AccessAllowedCallback") return;
      const auto agent = r.find("Agent");
      if (agent == r.end()) fail(here, "missing member 'Agent'");
      const std::uint32_t a = ref(*agent, here / "Agent");
      if (boolean_or(r, "AllTemplates", here, false)) {
        all_templates_agents_.push_back({a, ca});
      } else if (const auto t = r.find("Template"); t != r.end() && !t->is_null()) {
        add_link(a, ref(*t, here / "Template"), "DelegatedEnrollmentAgent");
      }
    });
  }

  // A domain controller's certificate mapping registry (v6): whether certificates map to accounts
  // by UPN (CertificateMappingMethods bit 0x4: ESC6b, ESC10) and how strongly they bind
  // (StrongCertificateBindingEnforcement 0 or 1: ESC9). Kept where collected.
  void read_dc_registry(std::uint32_t dc, const detail::json& registry, const detail::lazy_pointer& at) {
    if (registry.is_null()) return;
    if (!registry.is_object()) fail(at, "expected an object, got " + detail::describe(registry));
    for (auto it = registry.begin(); it != registry.end(); ++it) {
      const detail::json& part = *it;
      const detail::lazy_pointer here = at / it.key();
      const char* property = it.key() == "CertificateMappingMethods"            ? "certificatemappingmethodsraw"
                             : it.key() == "StrongCertificateBindingEnforcement" ? "strongcertificatebindingenforcementraw"
                                                                                  : nullptr;
      if (property == nullptr) {
        ++summary_.fields_not_read["DCRegistryData/" + it.key()];
        continue;
      }
      if (part.is_null()) continue;
      if (!part.is_object()) fail(here, "expected an object with \"Collected\", got " + detail::describe(part));
      if (!boolean_or(part, "Collected", here, false)) continue;
      const auto value = part.find("Value");
      if (value == part.end() || value->is_null()) continue;
      if (!value->is_number_integer()) fail(here / "Value", "expected an integer, got " + detail::describe(*value));
      keep_fact(dc, property, *value);
    }
  }

  void read_local_groups(std::uint32_t v, const detail::json& groups, const detail::lazy_pointer& at) {
    for_each_element(groups, at, "local groups", [&](const detail::json& g, const detail::lazy_pointer& here) {
      const std::string group = id_of(g, "ObjectIdentifier", here);
      // The well-known local group RIDs BloodHound turns into computer rights.
      const char* rel = group.ends_with("-544")   ? "AdminTo"
                        : group.ends_with("-555") ? "CanRDP"
                        : group.ends_with("-562") ? "ExecuteDCOM"
                        : group.ends_with("-580") ? "CanPSRemote"
                                                  : nullptr;
      if (rel == nullptr) {
        ++summary_.fields_not_read["LocalGroups (other than Administrators, Remote Desktop, DCOM, Remote Management)"];
        return;
      }
      for_refs(results_of(g, here), here / "Results", [&](std::uint32_t p) { add_link(p, v, rel); });
    });
  }

  // A session: the computer holds the user's credentials (Computer -HasSession-> User).
  void read_session(const detail::json& s, const detail::lazy_pointer& at, std::uint32_t computer) {
    if (!s.is_object()) fail(at, "expected a session object, got " + detail::describe(s));
    const std::uint32_t user = node_of(id_of(s, "UserSID", at), "User");
    const std::uint32_t c = s.contains("ComputerSID") ? node_of(id_of(s, "ComputerSID", at), "Computer") : computer;
    if (c == none) fail(at, "missing member 'ComputerSID'");
    add_link(c, user, "HasSession");
  }

  // GPO links of a domain or OU; whether each is enforced decides where the GPO applies.
  void read_links(std::uint32_t v, const detail::json& links, const detail::lazy_pointer& at) {
    for_each_element(links, at, "GPO links", [&](const detail::json& l, const detail::lazy_pointer& here) {
      const std::uint32_t gpo = node_of(id_of(l, "GUID", here), "GPO");
      add_link(gpo, v, "GPLink");
      const auto enforced = l.find("IsEnforced");
      if (enforced != l.end() && !enforced->is_null() && !enforced->is_boolean())
        fail(here / "IsEnforced", "expected true or false, got " + detail::describe(*enforced));
      gpo_links_.push_back({gpo, v, enforced != l.end() && enforced->is_boolean() && enforced->get<bool>()});
    });
  }

  void read_spn_targets(std::uint32_t v, const detail::json& targets, const detail::lazy_pointer& at) {
    for_each_element(targets, at, "SPN targets", [&](const detail::json& target, const detail::lazy_pointer& here) {
      const std::string computer = id_of(target, "ComputerSID", here);
      const std::string service = optional_string(target, "Service", here);
      if (service == "SQLAdmin")
        add_link(v, node_of(computer, "Computer"), "SQLAdmin");
      else
        ++summary_.unknown_relationships["SpnTargets service " + (service.empty() ? std::string("(none)") : service)];
    });
  }

  // Trusts, as BloodHound CE draws them: from the trusting domain to the trusted one (whose
  // principals it lets in). Within a forest (ParentChild, TreeRoot, CrossLink) a SameForestTrust:
  // the forest, not the domain, is the security boundary. Otherwise a CrossForestTrust, not an
  // attack step by itself; but SID history spoofs across it where SID filtering is off
  // (SpoofSIDHistory, trusted -> trusting) and TGTs cross it where TGT delegation is on
  // (AbuseTGTDelegation, trusting -> trusted).
  void read_trusts(std::uint32_t v, const detail::json& trusts, const detail::lazy_pointer& at) {
    for_each_element(trusts, at, "trusts", [&](const detail::json& t, const detail::lazy_pointer& here) {
      const std::uint32_t other = node_of(id_of(t, "TargetDomainSid", here), "Domain");
      if (objects_[other].name.empty()) objects_[other].name = optional_string(t, "TargetDomainName", here);
      const auto dir = t.find("TrustDirection");
      if (dir == t.end()) fail(here, "missing member 'TrustDirection'");
      // Strings in v5+, numbers (0 disabled, 1 inbound, 2 outbound, 3 both) before. A number out
      // of range is an error, not the nearest direction: a trust drawn the wrong way is a wrong path.
      static constexpr std::string_view by_number[] = {"Disabled", "Inbound", "Outbound", "Bidirectional"};
      std::string d;
      if (dir->is_string()) {
        d = dir->get<std::string>();
      } else if (dir->is_number_integer()) {  // signed or unsigned
        const bool in_range = dir->is_number_unsigned() ? dir->get<std::uint64_t>() <= 3
                                                        : dir->get<std::int64_t>() >= 0 && dir->get<std::int64_t>() <= 3;
        if (!in_range)
          fail(here / "TrustDirection", "expected 0 (Disabled), 1 (Inbound), 2 (Outbound) or 3 (Bidirectional), got " +
                                            detail::describe(*dir));
        d = by_number[dir->get<std::size_t>()];
      }
      if (d != "Inbound" && d != "Outbound" && d != "Bidirectional" && d != "Disabled")
        fail(here / "TrustDirection", "expected Inbound, Outbound, Bidirectional or Disabled, got " + detail::describe(*dir));
      const std::string type = optional_string(t, "TrustType", here);
      const bool same_forest = type == "ParentChild" || type == "TreeRoot" || type == "CrossLink";
      const char* kind = same_forest ? "SameForestTrust" : "CrossForestTrust";
      const bool sid_filtering = boolean_or(t, "SidFilteringEnabled", here, true);
      const bool tgt_delegation = boolean_or(t, "TGTDelegationEnabled", here, false);
      if (d == "Inbound" || d == "Bidirectional") {  // the other domain trusts this one
        add_link(other, v, kind);
        if (!same_forest && tgt_delegation) add_link(other, v, "AbuseTGTDelegation");
      }
      if (d == "Outbound" || d == "Bidirectional") {  // this domain trusts the other
        add_link(v, other, kind);
        if (!same_forest && !sid_filtering) add_link(other, v, "SpoofSIDHistory");
      }
    });
  }

  // A boolean member of a record, `fallback` when absent or null.
  bool boolean_or(const detail::json& o, const char* key, const detail::lazy_pointer& at, bool fallback) const {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) fail(at / key, "expected true or false, got " + detail::describe(*it));
    return it->get<bool>();
  }

  // GPO changes of a domain or OU (v6): each listed local group member gains the right on every
  // affected computer.
  void read_gpo_changes(const detail::json& changes, const detail::lazy_pointer& at) {
    if (changes.is_null()) return;
    if (!changes.is_object()) fail(at, "expected an object, got " + detail::describe(changes));
    std::vector<std::uint32_t> computers;
    if (const auto it = changes.find("AffectedComputers"); it != changes.end())
      for_refs(*it, at / "AffectedComputers", [&](std::uint32_t c) { computers.push_back(c); });
    for (auto it = changes.begin(); it != changes.end(); ++it) {
      const std::string& k = it.key();
      const char* rel = k == "LocalAdmins"          ? "AdminTo"
                        : k == "RemoteDesktopUsers" ? "CanRDP"
                        : k == "DcomUsers"          ? "ExecuteDCOM"
                        : k == "PSRemoteUsers"      ? "CanPSRemote"
                                                    : nullptr;
      if (rel == nullptr) {
        if (k != "AffectedComputers") ++summary_.fields_not_read["GPOChanges/" + k];
        continue;
      }
      for_refs(*it, at / k, [&](std::uint32_t p) {
        for (std::uint32_t c : computers) add_link(p, c, rel);
      });
    }
  }
};

}  // namespace twinrisk::detail
