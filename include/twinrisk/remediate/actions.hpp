#pragma once
/// Remediation actions and what they do to edge probabilities: remove an edge, apply a control
/// with an effectiveness to an edge or to everything entering a node, isolate a node, require
/// phishing-resistant MFA on an identity, patch a CVE everywhere it appears. An action never
/// touches the twin: it rewrites a vector of probabilities by edge index, so evaluating one more
/// action costs a copy of that vector, not a rebuild.
///
///     std::vector<double> p = edge_probabilities(t);
///     apply_actions(t, {{.kind = action_kind::patch_cve, .target = "CVE-2024-4577"}}, p);
///
/// Candidate actions come from `default_fix(kind)` — one documented fix and cost per edge kind —
/// or from the caller (an actions file). Actions on sensitive entities carry an approval reason.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/enum_names.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/node_names.hpp"
#include "twinrisk/model/probability_map.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

/// What an action does.
enum class action_kind : std::uint8_t {
  remove_edge,    ///< target "from->to" (every edge between them) or "#index": probability 0
  apply_control,  ///< on an edge ("from->to") or a node (its in-edges): p × (1 - effectiveness)
  isolate_node,   ///< every edge into or out of the node: probability 0
  require_mfa,    ///< credential-theft edges into an identity: p × (1 - effectiveness)
  patch_cve,      ///< every edge carrying the CVE loses it; an edge with no CVE left: probability 0
};

inline constexpr detail::enum_names<action_kind, 5> action_kind_names{
    "action", {"remove_edge", "apply_control", "isolate_node", "require_mfa", "patch_cve"}};

[[nodiscard]] constexpr std::string_view to_string(action_kind k) noexcept { return action_kind_names.name(k); }

/// One remediation action with its cost (in the twin's currency) and, once assessed, whether a
/// person must approve it and why.
struct remediation_action {
  action_kind kind = action_kind::remove_edge;
  std::string target{};         ///< "from->to", a node id, a CVE id, or "#edge-index"
  double effectiveness = 1.0;   ///< for apply_control and require_mfa, in [0,1]
  double cost = 1.0;            ///< >= 0
  std::string description{};    ///< what a person does, e.g. "remove local admin rights"
  bool requires_approval = false;
  std::string reason{};         ///< why approval is needed
  bool operator==(const remediation_action&) const = default;
};

/// The default fix for an edge of a kind: what to do, its effect and a cost in the currency.
struct edge_fix {
  action_kind kind = action_kind::remove_edge;
  double effectiveness = 1.0;
  double cost = 1000.0;
  const char* description = "";
};

/// Default fixes by edge kind (docs/api.md, "Priority actions"). Costs are rough one-off
/// figures in the twin's currency for a mid-size company; override them with an actions file.
[[nodiscard]] inline edge_fix default_fix(edge_kind kind) {
  using enum edge_kind;
  switch (kind) {
    case member_of: return {action_kind::remove_edge, 1.0, 500, "remove the group membership"};
    case admin_to: return {action_kind::remove_edge, 1.0, 1000, "remove the administrative right"};
    case has_session: return {action_kind::remove_edge, 1.0, 2000, "stop privileged logons on this host (tiering)"};
    case can_rdp: case can_ssh: case can_psremote: case execute_dcom:
      return {action_kind::remove_edge, 1.0, 1000, "restrict remote access"};
    case sql_admin: return {action_kind::remove_edge, 1.0, 1000, "remove the database administrator right"};
    case can_assume_role: return {action_kind::remove_edge, 1.0, 1000, "tighten the role's trust policy"};
    case has_permission: return {action_kind::remove_edge, 1.0, 1000, "remove the permission (least privilege)"};
    case can_access: return {action_kind::remove_edge, 1.0, 500, "remove the access"};
    case authenticates_to: return {action_kind::apply_control, 0.8, 5000, "conditional access on the sign-in"};
    case federated_with: return {action_kind::apply_control, 0.8, 5000, "restrict the federation trust"};
    case create_credential: return {action_kind::remove_edge, 1.0, 1000, "remove the right to create credentials for the identity"};
    case pass_role: return {action_kind::remove_edge, 1.0, 1000, "scope the pass-role right to the roles the job needs"};
    case modify_policy: return {action_kind::remove_edge, 1.0, 1000, "remove the right to change policies (least privilege)"};
    case run_command: return {action_kind::remove_edge, 1.0, 1000, "scope the remote-command right to the instances the job needs"};
    case owns: case generic_all: case generic_write: case write_dacl: case write_owner: case write_spn: case add_member:
    case add_self: case force_change_password: case all_extended_rights: case add_key_credential_link:
    case read_laps_password: case read_gmsa_password: case get_changes: case get_changes_all: case dc_sync:
    case add_allowed_to_act: case write_account_restrictions: case sync_laps_password:
    case get_changes_in_filtered_set: case write_gp_link: case dump_smsa_password: case manage_ca: case manage_certificates:
    case write_pki_name_flag: case write_pki_enrollment_flag:
      return {action_kind::remove_edge, 1.0, 500, "remove the access control entry"};
    case allowed_to_delegate: case allowed_to_act: return {action_kind::remove_edge, 1.0, 1500, "remove the delegation"};
    case has_sid_history: return {action_kind::remove_edge, 1.0, 500, "clear the SID history"};
    case dc_for: return {action_kind::apply_control, 0.5, 10000, "harden the domain controller (tier zero)"};
    case coerce_to_tgt: return {action_kind::remove_edge, 1.0, 1500, "remove unconstrained delegation"};
    case gp_link: return {action_kind::remove_edge, 1.0, 1000, "fix the group policy link"};
    case contains: return {action_kind::remove_edge, 1.0, 1000, "move the object out of the container"};
    case enroll: return {action_kind::remove_edge, 1.0, 2000, "fix the certificate template"};
    case trusts: return {action_kind::apply_control, 0.7, 10000, "selective authentication on the trust"};
    case kerberoastable: return {action_kind::apply_control, 0.9, 1000, "a long random password (or a gMSA) and AES-only tickets for the service account"};
    case asrep_roastable: return {action_kind::remove_edge, 1.0, 300, "require Kerberos pre-authentication"};
    case same_forest_trust: return {action_kind::apply_control, 0.3, 20000, "treat the whole forest as one tier zero (the forest is the boundary)"};
    case cross_forest_trust: case spoof_sid_history: case abuse_tgt_delegation:
      return {action_kind::apply_control, 0.8, 10000, "SID filtering and no TGT delegation on the trust"};
    case gpo_applies_to: return {action_kind::remove_edge, 1.0, 1000, "unlink the GPO or lock down who can edit it"};
    case hosts_ca_service: return {action_kind::apply_control, 0.5, 10000, "harden the CA host as tier zero"};
    case tier_zero_of: return {action_kind::apply_control, 0.5, 20000, "tier-zero hygiene: fewer members, protected accounts, PAWs"};
    case published_to: return {action_kind::remove_edge, 1.0, 1000, "unpublish the certificate template from the CA"};
    case trusted_for_ntauth: case issued_signed_by: case enterprise_ca_for: case root_ca_for: case ntauth_store_for:
    case extended_by_policy: return {action_kind::apply_control, 0.5, 10000, "review which CAs the domain trusts"};
    case delegated_enrollment_agent: case enroll_on_behalf_of:
      return {action_kind::remove_edge, 1.0, 2000, "enrollment agent restrictions on the CA"};
    case oid_group_link: return {action_kind::remove_edge, 1.0, 1000, "unlink the issuance policy from the group"};
    case golden_cert: return {action_kind::apply_control, 0.5, 10000, "harden the CA host as tier zero (HSM-held CA key)"};
    case adcs_esc1: return {action_kind::remove_edge, 1.0, 2000, "stop enrollees supplying the subject, or require manager approval"};
    case adcs_esc3: return {action_kind::remove_edge, 1.0, 2000, "enrollment agent restrictions, or manager approval on the agent template"};
    case adcs_esc4: return {action_kind::remove_edge, 1.0, 1000, "remove write access to the certificate template"};
    case adcs_esc6a: case adcs_esc6b:
      return {action_kind::remove_edge, 1.0, 2000, "turn off EDITF_ATTRIBUTESUBJECTALTNAME2 on the CA"};
    case adcs_esc9a: case adcs_esc9b: case adcs_esc10a: case adcs_esc10b:
      return {action_kind::remove_edge, 1.0, 3000, "full certificate binding enforcement on the DCs (no weak UPN/DNS mapping)"};
    case adcs_esc13: return {action_kind::remove_edge, 1.0, 1000, "unlink the issuance policy from the group, or restrict enrollment"};
    case network_reach: return {action_kind::remove_edge, 1.0, 2000, "segment the network (firewall rule)"};
    case exploits: return {action_kind::patch_cve, 1.0, 5000, "patch the vulnerability"};
    case phishing: return {action_kind::require_mfa, 0.9, 2000, "phishing-resistant MFA for the identity"};
    case uses_credential: return {action_kind::remove_edge, 1.0, 3000, "rotate and vault the credential"};
    case data_flow: return {action_kind::apply_control, 0.7, 5000, "restrict and monitor the data flow"};
    case prompt_injection: return {action_kind::apply_control, 0.7, 10000, "input filtering and tool-use guardrails"};
    case supplies: return {action_kind::apply_control, 0.5, 20000, "supplier access review and monitoring"};
    case generic: break;
  }
  return {action_kind::remove_edge, 1.0, 1000, "remove the relation"};
}

/// The cost of fixing an edge of `kind`: its entry in `overrides` (an actions file's
/// `edge_kind_costs`), else `default_fix(kind).cost`.
[[nodiscard]] inline double fix_cost(edge_kind kind, const std::map<edge_kind, double>& overrides = {}) {
  const auto it = overrides.find(kind);
  return it != overrides.end() ? it->second : default_fix(kind).cost;
}

/// Each edge's fix cost by edge index: the weights of a cost-aware `minimum_cost_cut`.
template <class T>
[[nodiscard]] std::vector<double> edge_fix_costs(const T& t, const std::map<edge_kind, double>& overrides = {}) {
  std::vector<double> costs(t.num_edges());
  for (auto uv : t.edges()) costs[t.edge_index(uv)] = fix_cost(t[uv].kind, overrides);
  return costs;
}

/// Edge kinds through which credentials are stolen: what MFA on the identity blunts.
[[nodiscard]] constexpr bool is_credential_theft(edge_kind kind) noexcept {
  using enum edge_kind;
  return kind == phishing || kind == has_session || kind == uses_credential || kind == force_change_password ||
         kind == read_laps_password || kind == read_gmsa_password || kind == add_key_credential_link ||
         kind == sync_laps_password || kind == dump_smsa_password;
}

/// The candidate action that fixes edge `uv` by its kind's default.
template <class T>
[[nodiscard]] remediation_action default_action(const T& t, typename T::edge_descriptor uv) {
  const auto& e = t[uv];
  const edge_fix fix = default_fix(e.kind);
  remediation_action a{.kind = fix.kind, .effectiveness = fix.effectiveness, .cost = fix.cost, .description = fix.description};
  switch (fix.kind) {
    case action_kind::patch_cve:
      if (!e.vulnerabilities.empty()) {
        a.target = e.vulnerabilities[0].cve;
        a.description = std::string(fix.description) + " " + a.target;
        break;
      }
      a.kind = action_kind::apply_control;  // nothing to patch: a compensating control instead
      a.effectiveness = 0.7;
      a.description = "virtual patching / hardening of the exposed service";
      [[fallthrough]];
    case action_kind::remove_edge: case action_kind::apply_control:
      a.target = t.id(t.source(uv)) + "->" + t.id(t.target(uv));
      break;
    case action_kind::require_mfa: case action_kind::isolate_node:
      a.target = t.id(t.target(uv));
      break;
  }
  return a;
}

namespace detail {

/// Whether an action's target names edges ("from->to" or "#index") rather than a node or a CVE.
inline bool names_edges(const std::string& target) {
  return target.find("->") != std::string::npos || (!target.empty() && target[0] == '#');
}

/// The edges "from->to" or "#index" names. Throws: input_error naming `at` when there is none.
template <class T>
std::vector<std::size_t> named_edges(const T& t, const std::string& target, const std::string& at) {
  std::vector<std::size_t> out;
  if (!target.empty() && target[0] == '#') {
    std::size_t e = 0;
    const std::string digits = target.substr(1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), e);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || e >= t.num_edges())
      throw input_error({.pointer = at}, "expected an edge index below " + std::to_string(t.num_edges()) + ", got '" + target + "'");
    return {e};
  }
  const auto arrow = target.find("->");
  if (arrow == std::string::npos) throw input_error({.pointer = at}, "expected an edge \"from->to\", got '" + target + "'");
  const auto from = find_node_if_any(t, target.substr(0, arrow), {.pointer = at}),
             to = find_node_if_any(t, target.substr(arrow + 2), {.pointer = at});  // ids or names
  if (from && to)
    for (auto uv : t.out_edges(*from))
      if (t.target(uv) == *to) out.push_back(t.edge_index(uv));
  if (out.empty()) throw input_error({.pointer = at}, "no edge '" + target + "' in the twin");
  return out;
}

template <class T>
std::size_t named_node(const T& t, const std::string& id, const std::string& at) {
  return find_node(t, id, {.pointer = at});  // an id, or a name in any case
}

}  // namespace detail

/// Why a person must approve `a`, or "" — it touches a privileged or executive identity, a
/// crown jewel, or isolates a business-critical system.
/// Throws: input_error when an edge target "#index" is out of range.
template <class T>
[[nodiscard]] std::string approval_reason(const T& t, const remediation_action& a) {
  std::vector<std::size_t> touched;  // the nodes the action changes access to
  if (a.kind == action_kind::patch_cve) {
    // A patch changes no one's access.
  } else if (a.kind == action_kind::isolate_node || a.kind == action_kind::require_mfa || !detail::names_edges(a.target)) {
    if (auto v = t.find(a.target)) touched.push_back(*v);
  } else if (a.target[0] == '#') {  // by index: its endpoints (a scan, for this rare form)
    const std::vector<std::size_t> named = detail::named_edges(t, a.target, "/target");
    for (auto uv : t.edges())
      if (t.edge_index(uv) == named.front()) touched = {t.source(uv), t.target(uv)};
  } else {
    const auto arrow = a.target.find("->");
    for (const std::string& id : {a.target.substr(0, arrow), a.target.substr(arrow + 2)})
      if (auto v = t.find(id)) touched.push_back(*v);
  }
  for (std::size_t v : touched) {
    const auto& n = t[v];
    const bool executive = std::find(n.tags.begin(), n.tags.end(), std::string("executive")) != n.tags.end();
    if (a.kind == action_kind::isolate_node && (n.rating == criticality::high || n.rating == criticality::critical))
      return "isolates business-critical system '" + t.id(v) + "'";
    if (n.crown_jewel) return "changes access to crown jewel '" + t.id(v) + "'";
    if (executive) return "changes an executive's access ('" + t.id(v) + "')";
    if (n.privileged) return "changes privileged entity '" + t.id(v) + "'";
  }
  return "";
}

/// Each edge's descriptor by edge index (to name the edges an index-based result lists).
template <class T>
[[nodiscard]] std::vector<typename T::edge_descriptor> edges_by_index(const T& t) {
  std::vector<typename T::edge_descriptor> out(t.num_edges());
  for (auto uv : t.edges()) out[t.edge_index(uv)] = uv;
  return out;
}



/// Applies `actions` to `p` (edge probabilities by edge index of `t`), in order; CVE patches
/// together: an edge falls to probability 0 once every CVE it carries is patched. `at` locates
/// the actions in errors (action i at at + "/" + i).
/// Throws: input_error on an unknown target or an effectiveness outside [0,1].
template <class T>
void apply_actions(const T& t, const std::vector<remediation_action>& actions, std::vector<double>& p,
                   const std::string& at = "/actions") {
  detail::check_entry_count(p.size(), t.num_edges(), "probabilities have", "edges");
  std::vector<std::string> patched;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const remediation_action& a = actions[i];
    const std::string here = at + "/" + std::to_string(i);
    if (!(a.effectiveness >= 0.0 && a.effectiveness <= 1.0))
      throw input_error({.pointer = here + "/effectiveness"}, "expected a number in [0,1], got " + detail::show_number(a.effectiveness));
    const double keep = 1.0 - a.effectiveness;
    switch (a.kind) {
      case action_kind::remove_edge:
        for (std::size_t e : detail::named_edges(t, a.target, here + "/target")) p[e] = 0.0;
        break;
      case action_kind::apply_control:
        if (detail::names_edges(a.target)) {
          for (std::size_t e : detail::named_edges(t, a.target, here + "/target")) p[e] *= keep;
        } else {
          for (auto uv : t.in_edges(detail::named_node(t, a.target, here + "/target"))) p[t.edge_index(uv)] *= keep;
        }
        break;
      case action_kind::isolate_node: {
        const std::size_t v = detail::named_node(t, a.target, here + "/target");
        for (auto uv : t.in_edges(v)) p[t.edge_index(uv)] = 0.0;
        for (auto uv : t.out_edges(v)) p[t.edge_index(uv)] = 0.0;
        break;
      }
      case action_kind::require_mfa:
        for (auto uv : t.in_edges(detail::named_node(t, a.target, here + "/target")))
          if (is_credential_theft(t[uv].kind)) p[t.edge_index(uv)] *= keep;
        break;
      case action_kind::patch_cve: {
        bool found = false;
        for (auto uv : t.edges())
          for (const vulnerability& x : t[uv].vulnerabilities) found |= x.cve == a.target;
        if (!found) throw input_error({.pointer = here + "/target"}, "no edge carries '" + a.target + "'");
        patched.push_back(a.target);
        break;
      }
    }
  }
  if (patched.empty()) return;
  // An edge stays usable through any vulnerability it carries that is not patched.
  for (auto uv : t.edges()) {
    const auto& vulns = t[uv].vulnerabilities;
    if (!vulns.empty() && std::all_of(vulns.begin(), vulns.end(), [&](const vulnerability& x) {
          return std::find(patched.begin(), patched.end(), x.cve) != patched.end();
        }))
      p[t.edge_index(uv)] = 0.0;
  }
}

}  // namespace twinrisk
