#pragma once
/// AzureHound records — {"kind": "AZUser", "data": {...}}, as `azurehound list` writes them —
/// read into the BloodHound object graph: tenants, users, groups, service principals, apps,
/// devices, roles, subscriptions, resource groups, key vaults and VMs, their memberships and
/// owners, Entra role assignments and Azure RBAC on resources (docs/importing.md, "AzureHound").

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/io/bloodhound_graph.hpp"

namespace twinrisk::detail {

/// The records of AzureHound, on top of the shared graph.
class azurehound_records : public bloodhound_graph {
 public:
  using bloodhound_graph::bloodhound_graph;

 protected:
  /// Whether `r` is an AzureHound record rather than a SharpHound one or a session.
  static bool is_azurehound_record(const json& r) {
    return r.contains("kind") && r.contains("data") && !r.contains("ObjectIdentifier");
  }

  // Ids are upper-cased, as BloodHound does, so that references in other records match.

  static std::string upper_id(std::string_view s) { return detail::upper_case_ascii(s); }
  std::string azure_id(const detail::json& o, const char* key, const detail::lazy_pointer& at) const {
    return upper_id(id_of(o, key, at));
  }
  // The node an AzureHound record describes: typed by the record, with its name and properties.
  std::uint32_t azure_node(const std::string& id, std::string_view kind, std::string name) {
    const std::uint32_t v = node_of(id, {});
    object& o = objects_[v];
    o.type = std::string(kind);
    o.described = true;
    if (!name.empty()) o.name = std::move(name);
    return v;
  }
  void keep(std::uint32_t v, const char* name, const detail::json& value) {
    object& o = objects_[v];
    if (o.properties.is_null()) o.properties = nlohmann::json::object();
    o.properties[name] = value;
  }
  // The tenant of a record (`tenantId`), created on first sight.
  std::uint32_t tenant_of(const detail::json& d, const detail::lazy_pointer& at) {
    return node_of(azure_id(d, "tenantId", at), "AZTenant");
  }
  // Directory objects (members, owners) name their type in "@odata.type".
  std::uint32_t directory_object(const detail::json& o, const detail::lazy_pointer& at) {
    const std::string type = optional_string(o, "@odata.type", at);
    const char* kind = type == "#microsoft.graph.user"               ? "AZUser"
                       : type == "#microsoft.graph.group"            ? "AZGroup"
                       : type == "#microsoft.graph.servicePrincipal" ? "AZServicePrincipal"
                       : type == "#microsoft.graph.device"           ? "AZDevice"
                                                                     : "";
    if (*kind == '\0') ++summary_.unknown_types["directory object " + (type.empty() ? std::string("(no @odata.type)") : type)];
    return node_of(azure_id(o, "id", at), kind);
  }
  // `{"<key>": target, "<list>": [{"<item>": ...}]}`: calls f(item, pointer) for each item.
  template <class F>
  void for_items(const detail::json& d, const char* list, const char* item, const detail::lazy_pointer& at, F&& f) {
    const auto it = d.find(list);
    if (it == d.end()) return;
    for_each_element(*it, at / list, list, [&](const detail::json& e, const detail::lazy_pointer& here) {
      if (!e.is_object() || !e.contains(item)) fail(here, "missing member '" + std::string(item) + "'");
      f(e[item], here / item);
    });
  }
  // Azure RBAC role assignments on a resource: the principal gains `rel` on it when the
  // assignment's scope is the resource itself (BloodHound's exact scope match).
  void role_assignments(const detail::json& d, const char* target_key, const char* list, const char* item, const char* rel,
                        const detail::lazy_pointer& at) {
    const std::string target = azure_id(d, target_key, at);
    const std::uint32_t t = node_of(target, {});
    for_items(d, list, item, at, [&](const detail::json& ra, const detail::lazy_pointer& here) {
      const auto props = ra.find("properties");
      if (!ra.is_object() || props == ra.end() || !props->is_object()) fail(here, "expected a role assignment with \"properties\"");
      const detail::lazy_pointer props_at = here / "properties";
      if (upper_id(optional_string(*props, "scope", props_at)) != target) {
        ++summary_.fields_not_read[std::string(rel) + " assignments at another scope"];
        return;
      }
      add_link(node_of(azure_id(*props, "principalId", props_at), {}), t, rel);
    });
  }

  void read_azure(const detail::json& r, const detail::lazy_pointer& at) {
    const auto kind_it = r.find("kind");
    if (!kind_it->is_string()) fail(at / "kind", "expected an AzureHound record kind (a string), got " + detail::describe(*kind_it));
    const std::string kind = kind_it->get<std::string>();
    const detail::json& d = r["data"];
    const detail::lazy_pointer dat = at / "data";
    if (!d.is_object()) fail(dat, "expected an object, got " + detail::describe(d));
    ++summary_.records_by_type[kind];
    --records_in_file_;  // counted by kind, not under the file's "azure" type
    if (kind == "AZTenant") {
      (void)azure_node(azure_id(d, "tenantId", dat), kind, optional_string(d, "displayName", dat));
    } else if (kind == "AZUser") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "userPrincipalName", dat));
      if (const auto e = d.find("accountEnabled"); e != d.end() && e->is_boolean()) keep(v, "enabled", *e);
      if (const auto m = d.find("mail"); m != d.end() && m->is_string()) keep(v, "email", *m);
      add_link(tenant_of(d, dat), v, "AZContains");
      // A user synchronised from Active Directory is the same person as the AD account whose SID
      // it names: one password signs in to both (BloodHound CE's SyncedToEntraUser / SyncedToADUser).
      if (const auto sid = d.find("onPremisesSecurityIdentifier"); sid != d.end() && sid->is_string() && !sid->get_ref<const std::string&>().empty()) {
        const std::uint32_t ad = node_of(upper_id(sid->get_ref<const std::string&>()), "User");
        add_link(ad, v, "SyncedToEntraUser");
        add_link(v, ad, "SyncedToADUser");
      }
    } else if (kind == "AZGroup" || kind == "AZServicePrincipal" || kind == "AZDevice" || kind == "AZRole") {
      std::string id = azure_id(d, "id", dat);
      if (kind == "AZRole") id += "@" + azure_id(d, "tenantId", dat);
      const std::uint32_t v = azure_node(id, kind, optional_string(d, "displayName", dat));
      add_link(tenant_of(d, dat), v, "AZContains");
      if (kind == "AZServicePrincipal" && d.contains("appId")) add_link(node_of(azure_id(d, "appId", dat), "AZApp"), v, "AZRunsAs");
      if (kind == "AZDevice")
        if (const auto os = d.find("operatingSystem"); os != d.end() && os->is_string()) keep(v, "operatingsystem", *os);
      if (kind == "AZRole")
        if (const auto t = d.find("templateId"); t != d.end() && t->is_string()) keep(v, "templateid", *t);
    } else if (kind == "AZApp") {
      const std::uint32_t v = azure_node(azure_id(d, "appId", dat), kind, optional_string(d, "displayName", dat));
      add_link(tenant_of(d, dat), v, "AZContains");
    } else if (kind == "AZSubscription" || kind == "AZManagementGroup") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "displayName", dat));
      add_link(tenant_of(d, dat), v, "AZContains");
    } else if (kind == "AZResourceGroup") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "name", dat));
      add_link(node_of(azure_id(d, "subscriptionId", dat), "AZSubscription"), v, "AZContains");
    } else if (kind == "AZKeyVault" || kind == "AZVM") {
      const std::uint32_t v = azure_node(azure_id(d, "id", dat), kind, optional_string(d, "name", dat));
      add_link(node_of(azure_id(d, kind == "AZVM" ? "resourceGroupId" : "resourceGroup", dat), "AZResourceGroup"), v, "AZContains");
      if (const auto identity = d.find("identity"); kind == "AZVM" && identity != d.end() && identity->is_object()) {
        const std::string principal = optional_string(*identity, "principalId", dat / "identity");
        if (!principal.empty()) add_link(v, node_of(upper_id(principal), "AZServicePrincipal"), "AZManagedIdentity");
      }
    } else if (kind == "AZGroupMember") {
      const std::uint32_t g = node_of(azure_id(d, "groupId", dat), "AZGroup");
      for_items(d, "members", "member", dat, [&](const detail::json& m, const auto& here) { add_link(directory_object(m, here), g, "AZMemberOf"); });
    } else if (kind == "AZGroupOwner" || kind == "AZAppOwner" || kind == "AZServicePrincipalOwner" || kind == "AZDeviceOwner") {
      const char* key = kind == "AZGroupOwner" ? "groupId" : kind == "AZAppOwner" ? "appId" : kind == "AZDeviceOwner" ? "deviceId" : "servicePrincipalId";
      const char* type = kind == "AZGroupOwner" ? "AZGroup" : kind == "AZAppOwner" ? "AZApp" : kind == "AZDeviceOwner" ? "AZDevice" : "AZServicePrincipal";
      const std::uint32_t t = node_of(azure_id(d, key, dat), type);
      for_items(d, "owners", "owner", dat, [&](const detail::json& o, const auto& here) { add_link(directory_object(o, here), t, "AZOwns"); });
    } else if (kind == "AZRoleAssignment") {
      read_azure_role_assignments(d, dat);
    } else if (kind == "AZKeyVaultOwner" || kind == "AZVMOwner") {
      role_assignments(d, kind == "AZVMOwner" ? "virtualMachineId" : "keyVaultId", "owners", "owner", "AZOwner", dat);
    } else if (kind == "AZSubscriptionOwner" || kind == "AZResourceGroupOwner" || kind == "AZManagementGroupOwner") {
      role_assignments(d, kind == "AZSubscriptionOwner" ? "subscriptionId" : kind == "AZResourceGroupOwner" ? "resourceGroupId" : "managementGroupId",
                       "owners", "owner", "AZOwner", dat);
    } else if (kind == "AZKeyVaultUserAccessAdmin" || kind == "AZVMUserAccessAdmin" || kind == "AZSubscriptionUserAccessAdmin" ||
               kind == "AZResourceGroupUserAccessAdmin" || kind == "AZManagementGroupUserAccessAdmin") {
      const char* key = kind == "AZKeyVaultUserAccessAdmin" ? "keyVaultId" : kind == "AZVMUserAccessAdmin" ? "virtualMachineId"
                        : kind == "AZSubscriptionUserAccessAdmin" ? "subscriptionId" : kind == "AZResourceGroupUserAccessAdmin" ? "resourceGroupId"
                        : "managementGroupId";
      role_assignments(d, key, "userAccessAdmins", "userAccessAdmin", "AZUserAccessAdministrator", dat);
    } else if (kind == "AZKeyVaultContributor" || kind == "AZVMContributor") {
      role_assignments(d, kind == "AZVMContributor" ? "virtualMachineId" : "keyVaultId", "contributors", "contributor", "AZContributor", dat);
    } else if (kind == "AZKeyVaultKVContributor") {
      role_assignments(d, "keyVaultId", "kvContributors", "kvContributor", "AZKeyVaultContributor", dat);
    } else if (kind == "AZVMVMContributor") {
      role_assignments(d, "virtualMachineId", "vmContributors", "vmContributor", "AZVMContributor", dat);
    } else if (kind == "AZVMAvereContributor") {
      role_assignments(d, "virtualMachineId", "avereContributors", "avereContributor", "AZAvereContributor", dat);
    } else if (kind == "AZVMAdminLogin") {
      role_assignments(d, "virtualMachineId", "adminLogins", "adminLogin", "AZVMAdminLogin", dat);
    } else if (kind == "AZKeyVaultAccessPolicy") {
      const std::uint32_t kv = node_of(azure_id(d, "keyVaultId", dat), "AZKeyVault");
      const std::uint32_t who = node_of(azure_id(d, "objectId", dat), {});
      const auto perms = d.find("permissions");
      if (perms == d.end() || !perms->is_object()) fail(dat, "missing member 'permissions'");
      for (const auto& [list, rel] : {std::pair{"keys", "AZGetKeys"}, {"secrets", "AZGetSecrets"}, {"certificates", "AZGetCertificates"}}) {
        const auto l = perms->find(list);
        if (l != perms->end() && l->is_array() && std::find(l->begin(), l->end(), detail::json("Get")) != l->end()) add_link(who, kv, rel);
      }
    } else {
      ++summary_.unknown_types[kind];
    }
  }

  // Entra role assignments: principal -AZHasRole-> role (scoped App / Cloud App Admin: the app
  // itself). Global Administrator and Privileged Role Administrator also get their tenant edge,
  // as BloodHound's post-processing derives.
  void read_azure_role_assignments(const detail::json& d, const detail::lazy_pointer& at) {
    const std::string tenant = azure_id(d, "tenantId", at);
    const auto list = d.find("roleAssignments");
    if (list == d.end() || !list->is_array()) fail(at, "missing array 'roleAssignments'");
    const detail::lazy_pointer assignments = at / "roleAssignments";
    for (std::size_t i = 0; i < list->size(); ++i) {
      const detail::lazy_pointer here = assignments / i;
      const detail::json& a = (*list)[i];
      const std::string role = id_of(a, "roleDefinitionId", here);
      const std::uint32_t principal = node_of(azure_id(a, "principalId", here), {});
      const std::string scope = optional_string(a, "directoryScopeId", here);
      const std::string lower = detail::lower_case_ascii(role);
      const bool app_admin = lower == "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", cloud_app_admin = lower == "158c047a-c907-4556-b7ef-446551a6b5f7";
      if ((app_admin || cloud_app_admin) && !scope.empty() && scope != "/") {
        add_link(principal, node_of(upper_id(scope.substr(1)), {}), app_admin ? "AZAppAdmin" : "AZCloudAppAdmin");
        continue;
      }
      add_link(principal, node_of(upper_id(role) + "@" + tenant, "AZRole"), "AZHasRole");
      if (lower == "62e90394-69f5-4237-9190-012177145e10") add_link(principal, node_of(tenant, "AZTenant"), "AZGlobalAdmin");
      if (lower == "e8611ab8-c189-46e8-94e1-60213ab1f814") add_link(principal, node_of(tenant, "AZTenant"), "AZPrivilegedRoleAdmin");
    }
  }
};

}  // namespace twinrisk::detail
