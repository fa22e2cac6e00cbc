#pragma once
/// BloodHound's vocabulary in twinrisk terms: each relationship's edge kind and default success
/// probability, each object type's node kind, and the user's overrides of that table.
///
/// The tables are documented in docs/importing.md; every relationship is directed
/// as BloodHound draws it, from the principal that acts to the object it gains (attack direction).

#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/kinds.hpp"

namespace twinrisk {

/// One BloodHound relationship: its twinrisk edge kind and the default probability that an
/// attacker holding the source gains the target through it.
struct bloodhound_relationship {
  std::string_view name;  ///< BloodHound's name ("GenericAll")
  edge_kind kind;
  double probability;  ///< 0 for context edges that are not attack steps on their own
};

/// BloodHound's Active Directory relationships, then the Azure ones AzureHound data gives. Probabilities are rules of thumb for a mature
/// attacker with public tooling (docs/importing.md); a probabilities file overrides them.
/// GetChanges, GetChangesAll and GetChangesInFilteredSet are context (probability 0): only their
/// combination, the derived DCSync, is an attack step, as in BloodHound's own path finding.
inline constexpr std::array<bloodhound_relationship, 95> bloodhound_relationships{{
    {"MemberOf", edge_kind::member_of, 1.0},
    {"AdminTo", edge_kind::admin_to, 0.9},
    {"HasSession", edge_kind::has_session, 0.7},
    {"CanRDP", edge_kind::can_rdp, 0.5},
    {"CanPSRemote", edge_kind::can_psremote, 0.5},
    {"ExecuteDCOM", edge_kind::execute_dcom, 0.4},
    {"SQLAdmin", edge_kind::sql_admin, 0.6},
    {"Owns", edge_kind::owns, 0.9},
    {"GenericAll", edge_kind::generic_all, 0.9},
    {"GenericWrite", edge_kind::generic_write, 0.8},
    {"WriteDacl", edge_kind::write_dacl, 0.85},
    {"WriteOwner", edge_kind::write_owner, 0.85},
    {"WriteSPN", edge_kind::write_spn, 0.5},
    {"AddMember", edge_kind::add_member, 0.95},
    {"AddSelf", edge_kind::add_self, 0.95},
    {"ForceChangePassword", edge_kind::force_change_password, 0.9},
    {"AllExtendedRights", edge_kind::all_extended_rights, 0.8},
    {"AddKeyCredentialLink", edge_kind::add_key_credential_link, 0.8},
    {"ReadLAPSPassword", edge_kind::read_laps_password, 0.95},
    {"ReadGMSAPassword", edge_kind::read_gmsa_password, 0.95},
    {"SyncLAPSPassword", edge_kind::sync_laps_password, 0.9},
    {"DumpSMSAPassword", edge_kind::dump_smsa_password, 0.8},
    {"GetChanges", edge_kind::get_changes, 0.0},
    {"GetChangesAll", edge_kind::get_changes_all, 0.0},
    {"GetChangesInFilteredSet", edge_kind::get_changes_in_filtered_set, 0.0},
    {"DCSync", edge_kind::dc_sync, 0.95},
    {"AllowedToDelegate", edge_kind::allowed_to_delegate, 0.85},  // with protocol transition (S4U2Self): any user, at once
    {"AllowedToAct", edge_kind::allowed_to_act, 0.7},
    {"AddAllowedToAct", edge_kind::add_allowed_to_act, 0.7},
    {"WriteAccountRestrictions", edge_kind::write_account_restrictions, 0.7},
    {"HasSIDHistory", edge_kind::has_sid_history, 0.9},
    {"GPLink", edge_kind::gp_link, 0.6},
    {"WriteGPLink", edge_kind::write_gp_link, 0.6},
    {"Contains", edge_kind::contains, 0.8},
    {"TrustedBy", edge_kind::trusts, 0.3},
    {"DCFor", edge_kind::dc_for, 1.0},
    {"CoerceToTGT", edge_kind::coerce_to_tgt, 0.6},
    {"Enroll", edge_kind::enroll, 0.0},
    // Derived on import (io/bloodhound_post.hpp; docs/importing.md "Derived edges").
    {"Kerberoastable", edge_kind::kerberoastable, 0.35},
    {"ASREPRoast", edge_kind::asrep_roastable, 0.35},
    {"SameForestTrust", edge_kind::same_forest_trust, 0.95},
    {"CrossForestTrust", edge_kind::cross_forest_trust, 0.0},
    {"SpoofSIDHistory", edge_kind::spoof_sid_history, 0.6},
    {"AbuseTGTDelegation", edge_kind::abuse_tgt_delegation, 0.7},
    {"GPOAppliesTo", edge_kind::gpo_applies_to, 0.9},
    {"HostsCAService", edge_kind::hosts_ca_service, 0.0},
    {"TierZeroOf", edge_kind::tier_zero_of, 1.0},  // twinrisk's own: control of a tier-zero object is control of its domain
    // twinrisk's own: constrained delegation without protocol transition (the account is not
    // `trustedtoauth`) needs a forwardable ticket of the victim first (a service ticket it
    // receives, or resource-based delegation to itself).
    {"AllowedToDelegateKerberosOnly", edge_kind::allowed_to_delegate, 0.45},
    // Certificate services (io/bloodhound_adcs.hpp): how templates, CAs and stores link, and who
    // may change them, are context (probability 0); the escalations are the attack steps.
    {"PublishedTo", edge_kind::published_to, 0.0},
    {"TrustedForNTAuth", edge_kind::trusted_for_ntauth, 0.0},
    {"IssuedSignedBy", edge_kind::issued_signed_by, 0.0},
    {"EnterpriseCAFor", edge_kind::enterprise_ca_for, 0.0},
    {"RootCAFor", edge_kind::root_ca_for, 0.0},
    {"NTAuthStoreFor", edge_kind::ntauth_store_for, 0.0},
    {"DelegatedEnrollmentAgent", edge_kind::delegated_enrollment_agent, 0.0},
    {"EnrollOnBehalfOf", edge_kind::enroll_on_behalf_of, 0.0},
    {"ExtendedByPolicy", edge_kind::extended_by_policy, 0.0},
    {"OIDGroupLink", edge_kind::oid_group_link, 0.0},
    {"ManageCA", edge_kind::manage_ca, 0.0},
    {"ManageCertificates", edge_kind::manage_certificates, 0.0},
    {"WritePKINameFlag", edge_kind::write_pki_name_flag, 0.0},
    {"WritePKIEnrollmentFlag", edge_kind::write_pki_enrollment_flag, 0.0},
    {"GoldenCert", edge_kind::golden_cert, 0.9},
    {"ADCSESC1", edge_kind::adcs_esc1, 0.9},
    {"ADCSESC3", edge_kind::adcs_esc3, 0.8},
    {"ADCSESC4", edge_kind::adcs_esc4, 0.8},
    {"ADCSESC6a", edge_kind::adcs_esc6a, 0.8},
    {"ADCSESC6b", edge_kind::adcs_esc6b, 0.75},
    {"ADCSESC9a", edge_kind::adcs_esc9a, 0.7},
    {"ADCSESC9b", edge_kind::adcs_esc9b, 0.7},
    {"ADCSESC10a", edge_kind::adcs_esc10a, 0.65},
    {"ADCSESC10b", edge_kind::adcs_esc10b, 0.65},
    {"ADCSESC13", edge_kind::adcs_esc13, 0.85},
    // Azure (AzureHound): control of the source gives the target through these.
    {"AZContains", edge_kind::contains, 0.9},
    {"AZMemberOf", edge_kind::member_of, 1.0},
    {"AZOwns", edge_kind::owns, 0.9},
    {"AZOwner", edge_kind::owns, 0.95},
    {"AZHasRole", edge_kind::can_assume_role, 1.0},
    {"AZRunsAs", edge_kind::authenticates_to, 1.0},
    {"AZManagedIdentity", edge_kind::uses_credential, 0.9},
    {"AZGlobalAdmin", edge_kind::generic_all, 1.0},
    {"AZPrivilegedRoleAdmin", edge_kind::generic_all, 0.95},
    {"AZUserAccessAdministrator", edge_kind::write_dacl, 0.9},
    {"AZContributor", edge_kind::generic_write, 0.85},
    {"AZVMContributor", edge_kind::admin_to, 0.9},
    {"AZAvereContributor", edge_kind::admin_to, 0.8},
    {"AZVMAdminLogin", edge_kind::admin_to, 0.9},
    {"AZKeyVaultContributor", edge_kind::write_dacl, 0.8},
    {"AZGetKeys", edge_kind::can_access, 0.95},
    {"AZGetSecrets", edge_kind::can_access, 0.95},
    {"AZGetCertificates", edge_kind::can_access, 0.95},
    {"AZAppAdmin", edge_kind::add_key_credential_link, 0.9},
    {"AZCloudAppAdmin", edge_kind::add_key_credential_link, 0.9},
    // Entra ID users synchronised from Active Directory: the AD password signs in to Entra
    // (password hash sync, pass-through); back from Entra to AD only with password writeback.
    {"SyncedToEntraUser", edge_kind::authenticates_to, 0.9},
    {"SyncedToADUser", edge_kind::authenticates_to, 0.5},
}};

/// The BloodHound relationship named `name`, or nullptr.
[[nodiscard]] constexpr const bloodhound_relationship* find_bloodhound_relationship(std::string_view name) noexcept {
  for (const auto& r : bloodhound_relationships)
    if (r.name == name) return &r;
  return nullptr;
}

/// The BloodHound Active Directory name of an edge kind, or empty when it has none (Azure and
/// Entra sync names are not used: `can_assume_role` is not only Azure's AZHasRole).
[[nodiscard]] constexpr std::string_view bloodhound_name(edge_kind kind) noexcept {
  for (const auto& r : bloodhound_relationships)
    if (r.kind == kind && !r.name.starts_with("AZ") && !r.name.starts_with("SyncedTo")) return r.name;
  return {};
}

/// One BloodHound object type: its name as an `ObjectType` ("User") and as a collection file's
/// `meta.type` ("users"), and the twinrisk node kind.
struct bloodhound_object_type {
  std::string_view name;
  std::string_view collection;
  node_kind kind;
};

/// SharpHound's object types. Computers become `workstation` or `server` by operating system
/// (`host` when it is unknown); see `import_result`.
inline constexpr std::array<bloodhound_object_type, 25> bloodhound_object_types{{
    {"User", "users", node_kind::user},
    {"Computer", "computers", node_kind::host},
    {"Group", "groups", node_kind::group},
    {"Domain", "domains", node_kind::domain},
    {"OU", "ous", node_kind::ou},
    {"GPO", "gpos", node_kind::gpo},
    {"Container", "containers", node_kind::ad_container},
    {"CertTemplate", "certtemplates", node_kind::certificate_template},
    {"EnterpriseCA", "enterprisecas", node_kind::certificate_authority},
    {"RootCA", "rootcas", node_kind::certificate_authority},
    {"AIACA", "aiacas", node_kind::certificate_authority},
    {"NTAuthStore", "ntauthstores", node_kind::ad_container},
    {"IssuancePolicy", "issuancepolicies", node_kind::ad_container},
    // AzureHound record kinds (in "azure" collections, each record names its kind).
    {"AZTenant", "", node_kind::tenant},
    {"AZUser", "", node_kind::user},
    {"AZGroup", "", node_kind::group},
    {"AZServicePrincipal", "", node_kind::service_principal},
    {"AZApp", "", node_kind::app_registration},
    {"AZDevice", "", node_kind::workstation},
    {"AZRole", "", node_kind::role},
    {"AZSubscription", "", node_kind::cloud_account},
    {"AZManagementGroup", "", node_kind::cloud_account},
    {"AZResourceGroup", "", node_kind::cloud_resource},
    {"AZKeyVault", "", node_kind::secret_store},
    {"AZVM", "", node_kind::virtual_machine},
}};

/// The object type whose `ObjectType` name (or, with `by_collection`, file type) is `name`, or nullptr.
[[nodiscard]] constexpr const bloodhound_object_type* find_bloodhound_object_type(std::string_view name,
                                                                                  bool by_collection = false) noexcept {
  for (const auto& t : bloodhound_object_types)
    if ((by_collection ? t.collection : t.name) == name && !name.empty()) return &t;
  return nullptr;
}

/// A user's mapping of one relationship: a probability, and for relationships the table does not
/// know, the edge kind to import them as.
struct relationship_override {
  std::optional<edge_kind> kind{};
  double probability = 1.0;
};

/// Relationship name -> override, as read from a probabilities file.
using relationship_overrides = std::map<std::string, relationship_override, std::less<>>;

/// Parses a probabilities file: `{"edges": {"HasSession": 0.4, "MyRight": {"kind": "generic_all",
/// "probability": 0.5}}}`. Throws: input_error at the JSON pointer of a bad entry (a probability
/// outside [0,1], an unknown twinrisk kind, an unknown relationship given without a kind).
[[nodiscard]] inline relationship_overrides parse_relationship_overrides(std::string_view text, const std::string& file) {
  const detail::json doc = detail::parse_json(text, file);
  detail::json_object top(doc, "", file);
  const detail::json* edges = top.find("edges");
  top.finish();
  relationship_overrides out;
  if (edges == nullptr) return out;
  if (!edges->is_object()) top.fail("edges", "expected an object of relationship name -> probability");
  for (auto it = edges->begin(); it != edges->end(); ++it) {
    const std::string at = "/edges/" + detail::pointer_token(it.key());
    relationship_override o;
    double p = 0.0;
    if (it->is_number()) {
      p = it->get<double>();
    } else {
      detail::json_object entry(*it, at, file);
      if (entry.find("kind") != nullptr) o.kind = entry.enumerator("kind", edge_kind_names);
      p = entry.number("probability");
      entry.finish();
    }
    if (!(p >= 0.0 && p <= 1.0))
      throw input_error({.file = file, .pointer = at}, "expected a probability in [0,1], got " + detail::show_number(p));
    if (!o.kind && find_bloodhound_relationship(it.key()) == nullptr)
      throw input_error({.file = file, .pointer = at},
                        "BloodHound relationship '" + it.key() + "' is not in the mapping table; give it a \"kind\"");
    o.probability = p;
    out.emplace(it.key(), o);
  }
  return out;
}

/// Reads a probabilities file (see `parse_relationship_overrides`).
[[nodiscard]] inline relationship_overrides read_relationship_overrides_file(const std::filesystem::path& path) {
  return parse_relationship_overrides(detail::read_file(path), path.string());
}

/// The former name of `read_relationship_overrides_file`.
[[deprecated("use read_relationship_overrides_file")]] [[nodiscard]] inline relationship_overrides read_relationship_overrides(
    const std::filesystem::path& path) {
  return read_relationship_overrides_file(path);
}

}  // namespace twinrisk
