#pragma once
/// Node and edge kinds of a security twin, each with a stable string name used by every format.

#include <cstdint>
#include <string>
#include <string_view>

#include "twinrisk/detail/enum_names.hpp"

namespace twinrisk {

/// What a node is: an asset (something that can be compromised and holds value) or an identity
/// (a principal that can act). Names are stable: formats and reports use them.
enum class node_kind : std::uint8_t {
  generic,  ///< no kind stated (the edge-list exchange format carries none)
  // Assets: infrastructure
  host, workstation, server, virtual_machine, container, kubernetes_cluster, network_segment,
  network_device, vpn_gateway, web_application, api, application, database, storage,
  document_store, code_repository, secret_store,
  // Assets: cloud and SaaS
  cloud_account, cloud_resource, saas_application,
  // Assets: AI
  ai_model, ai_agent, ai_copilot,
  // Assets: outside parties
  third_party, internet,
  // Active Directory / directory objects
  domain, ou, gpo, ad_container, certificate_template, certificate_authority, tenant,
  // Identities
  user, group, service_account, role, app_registration, service_principal, managed_identity,
  credential,
};

inline constexpr detail::enum_names<node_kind, 41> node_kind_names{
    "node kind",
    {"generic", "host", "workstation", "server", "virtual_machine", "container",
     "kubernetes_cluster", "network_segment", "network_device", "vpn_gateway", "web_application",
     "api", "application", "database", "storage", "document_store", "code_repository",
     "secret_store", "cloud_account", "cloud_resource", "saas_application", "ai_model", "ai_agent",
     "ai_copilot", "third_party", "internet", "domain", "ou", "gpo", "ad_container",
     "certificate_template", "certificate_authority", "tenant", "user", "group",
     "service_account", "role", "app_registration", "service_principal", "managed_identity",
     "credential"}};
static_assert(node_kind_names.name(node_kind::credential) == "credential", "table out of order");

/// True for principals (users, groups, service accounts, roles, ...), false for assets.
[[nodiscard]] constexpr bool is_identity(node_kind k) noexcept {
  return k >= node_kind::user && k <= node_kind::credential;
}

/// True for what can hold rights: identities and computers (hosts, workstations, servers). The
/// import summary and the report count tier zero's principals with it.
[[nodiscard]] constexpr bool is_principal(node_kind k) noexcept {
  return is_identity(k) || k == node_kind::host || k == node_kind::workstation || k == node_kind::server;
}

/// True for the AI assets (models, agents, copilots) that AI inventories list.
[[nodiscard]] constexpr bool is_ai(node_kind k) noexcept {
  return k == node_kind::ai_model || k == node_kind::ai_agent || k == node_kind::ai_copilot;
}

/// How one node can act on another: a trust relation an attacker may abuse.
/// Directed from the principal or asset that acts to the one it acts on.
enum class edge_kind : std::uint8_t {
  generic,  ///< no kind stated (the edge-list exchange format carries none)
  // Membership and administration
  member_of, admin_to, has_session, can_rdp, can_ssh, can_psremote, execute_dcom, sql_admin,
  // Cloud and SaaS authorisation
  can_assume_role, has_permission, can_access, authenticates_to, federated_with,
  // Cloud privilege escalation (AWS IAM, GCP IAM, Kubernetes RBAC): mint a credential of the target,
  // launch compute that runs as it, rewrite its policy, run commands where it is the identity
  create_credential, pass_role, modify_policy, run_command,
  // Ownership and ACL rights (Active Directory and Entra ID)
  owns, generic_all, generic_write, write_dacl, write_owner, write_spn, add_member, add_self,
  force_change_password, all_extended_rights, add_key_credential_link, read_laps_password,
  read_gmsa_password, get_changes, get_changes_all, dc_sync, allowed_to_delegate,
  allowed_to_act, has_sid_history, gp_link, contains, enroll, trusts, add_allowed_to_act,
  write_account_restrictions, sync_laps_password, get_changes_in_filtered_set, write_gp_link,
  dump_smsa_password, dc_for, coerce_to_tgt,
  // Derived by BloodHound-style post-processing: roasting, trusts, GPO application, certificate services
  kerberoastable, asrep_roastable, same_forest_trust, cross_forest_trust, spoof_sid_history,
  abuse_tgt_delegation, gpo_applies_to, hosts_ca_service, tier_zero_of,
  // Active Directory Certificate Services: how CAs, templates and stores link (context), who may
  // manage them, and the escalations BloodHound derives from them (ESC1 ... ESC13, GoldenCert)
  published_to, trusted_for_ntauth, issued_signed_by, enterprise_ca_for, root_ca_for, ntauth_store_for,
  delegated_enrollment_agent, enroll_on_behalf_of, extended_by_policy, oid_group_link, manage_ca,
  manage_certificates, write_pki_name_flag, write_pki_enrollment_flag, golden_cert, adcs_esc1, adcs_esc3,
  adcs_esc4, adcs_esc6a, adcs_esc6b, adcs_esc9a, adcs_esc9b, adcs_esc10a, adcs_esc10b, adcs_esc13,
  // Network, vulnerabilities, data
  network_reach, exploits, phishing, uses_credential, data_flow, prompt_injection, supplies,
};

inline constexpr detail::enum_names<edge_kind, 90> edge_kind_names{
    "edge kind",
    {"generic", "member_of", "admin_to", "has_session", "can_rdp", "can_ssh", "can_psremote",
     "execute_dcom", "sql_admin", "can_assume_role", "has_permission", "can_access",
     "authenticates_to", "federated_with", "create_credential", "pass_role", "modify_policy",
     "run_command", "owns", "generic_all", "generic_write", "write_dacl",
     "write_owner", "write_spn", "add_member", "add_self", "force_change_password",
     "all_extended_rights", "add_key_credential_link", "read_laps_password",
     "read_gmsa_password", "get_changes", "get_changes_all", "dc_sync", "allowed_to_delegate",
     "allowed_to_act", "has_sid_history", "gp_link", "contains", "enroll", "trusts",
     "add_allowed_to_act", "write_account_restrictions", "sync_laps_password",
     "get_changes_in_filtered_set", "write_gp_link", "dump_smsa_password", "dc_for", "coerce_to_tgt",
     "kerberoastable", "asrep_roastable", "same_forest_trust", "cross_forest_trust", "spoof_sid_history",
     "abuse_tgt_delegation", "gpo_applies_to", "hosts_ca_service", "tier_zero_of",
     "published_to", "trusted_for_ntauth", "issued_signed_by", "enterprise_ca_for", "root_ca_for",
     "ntauth_store_for", "delegated_enrollment_agent", "enroll_on_behalf_of", "extended_by_policy",
     "oid_group_link", "manage_ca", "manage_certificates", "write_pki_name_flag",
     "write_pki_enrollment_flag", "golden_cert", "adcs_esc1", "adcs_esc3", "adcs_esc4", "adcs_esc6a",
     "adcs_esc6b", "adcs_esc9a", "adcs_esc9b", "adcs_esc10a", "adcs_esc10b", "adcs_esc13",
     "network_reach", "exploits", "phishing", "uses_credential", "data_flow",
     "prompt_injection", "supplies"}};
static_assert(edge_kind_names.name(edge_kind::supplies) == "supplies", "table out of order");

/// The stable name of a kind ("ai_copilot", "member_of").
[[nodiscard]] constexpr std::string_view to_string(node_kind k) noexcept { return node_kind_names.name(k); }
[[nodiscard]] constexpr std::string_view to_string(edge_kind k) noexcept { return edge_kind_names.name(k); }

/// Parses a stable name. Throws: input_error at `where` listing the closest valid names.
[[nodiscard]] inline node_kind parse_node_kind(std::string_view s, const input_location& where = {}) {
  return node_kind_names.parse(s, where);
}
[[nodiscard]] inline edge_kind parse_edge_kind(std::string_view s, const input_location& where = {}) {
  return edge_kind_names.parse(s, where);
}

}  // namespace twinrisk
