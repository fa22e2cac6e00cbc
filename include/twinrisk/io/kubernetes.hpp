#pragma once
/// Kubernetes RBAC and workloads into a twin: the output of
/// `kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts,pods,nodes,endpointslices -A -o json`
/// (one `List` of mixed kinds), any subset of it, or one file per resource type (KubeHound's
/// layout, where a file's top-level `kind` may be missing).
///
///     kubernetes_importer importer;
///     add_inputs(importer, {"cluster.json"});
///     auto [t, summary] = std::move(importer).finish();
///
/// The model follows KubeHound (DataDog/KubeHound, docs/reference/attacks/ and
/// pkg/kubehound/graph/edge/): a role bound in a scope is a *permission set*, subjects reach it
/// through their bindings, and each attack a set's rules allow is an edge from the set. Attack
/// names are KubeHound's where it has one. Nodes (ids are stable and readable):
///
/// | node | id | kind |
/// |---|---|---|
/// | the cluster (the crown jewel, tier zero) | `k8s:cluster` | `kubernetes_cluster` |
/// | a Node | `k8s:node/NAME` | `host` |
/// | a Pod (its containers share its service account and node) | `k8s:pod/NS/NAME` | `container` |
/// | a ServiceAccount | `k8s:sa/NS/NAME` | `service_account` |
/// | a User / Group named in a binding | `k8s:user/NAME`, `k8s:group/NAME` | `user`, `group` |
/// | a Role; a ClusterRole bound cluster-wide; a ClusterRole bound in a namespace | `k8s:role/NS/NAME`, `k8s:clusterrole/NAME`, `k8s:clusterrole/NS/NAME` | `role` |
/// | whatever a self-granted role allows in a namespace | `k8s:namespace-admin/NS` | `role` |
/// | the token of any service account of a namespace; of every namespace | `k8s:sa-tokens/NS`, `k8s:sa-tokens` | `credential` |
/// | any pod of a namespace; of every namespace | `k8s:pods/NS`, `k8s:pods` | `container` |
/// | any node, where a privileged pod can be scheduled | `k8s:any-node` | `host` |
///
/// Permission sets are nodes (rather than edges from every subject) so that edges grow with
/// roles, not subjects x targets; only bound roles become sets, as in KubeHound. The hubs stand
/// for what one right reaches all at once: creating pods gives *every* service account of the
/// namespace (the pod names the one it runs as) and *every* node (`nodeName`); exec on pods is
/// exec on each of them. One step, one chance, reaches them all, in O(sets + targets) edges
/// (a cluster-wide right reaches the cluster-wide hub, not each namespace's). Rights restricted
/// by resourceNames reach the named objects directly.
///
/// Rules are evaluated as the API server does (io/detail/kubernetes_rules.hpp: `*`, `*/subresource`,
/// resourceNames). A ClusterRoleBinding's set acts in every namespace; a RoleBinding's only in
/// its own. Edges, from → to, with their default probability (the chance that an attacker
/// holding the source takes the target; override by name with `kubernetes_options::probabilities`):
///
/// | name | when | from → to | kind | p |
/// |---|---|---|---|---|
/// | RoleBinding, ClusterRoleBinding | a binding | subject → permission set | `can_assume_role` | 1.0 |
/// | MemberOf | implicit groups: every service account is in `system:serviceaccounts`, `system:serviceaccounts:NS` and `system:authenticated`, named users in `system:authenticated`, `system:anonymous` in `system:unauthenticated` (only groups some binding names) | member → group | `member_of` | 1.0 |
/// | TierZeroOf | every tier-zero node but the cluster (below): a set allowing `*` on `*` in `*` cluster-wide (cluster-admin), the group `system:masters`, a control-plane node, whoever is bound to or member of one | → cluster | `tier_zero_of` | 1.0 |
/// | ROLE_BIND | cluster-wide `bind` on clusterroles with write on clusterrolebindings, or `escalate` with update on clusterroles | set → cluster | `modify_policy` | 0.9 |
/// | ROLE_BIND_NAMESPACE | `bind` on roles or clusterroles with write on rolebindings; a Role with `escalate` and update on roles (it edits itself) | set → namespace admin of each namespace in scope | `modify_policy` | 0.9 |
/// | IDENTITY_IMPERSONATE | `impersonate` users (cluster-wide), groups (with a user to impersonate), serviceaccounts (in scope), by resourceNames | set → user / group / service account, or the tokens hub of its scope | `can_assume_role` | 0.95 |
/// | IMPERSONATE_MASTERS | `impersonate` groups including `system:masters`, and some user | set → cluster | `generic_all` | 0.95 |
/// | POD_CREATE | `create` pods or a workload that makes them (replicationcontrollers; apps deployments, daemonsets, replicasets, statefulsets; batch jobs, cronjobs) | set → tokens hub of its scope (a pod that runs as any of them) | `pass_role` | 0.95 |
/// | POD_CREATE_PRIVILEGED | as POD_CREATE: a privileged pod on a node of one's choice (admission may refuse it; namespaces' Pod Security labels are not read) | set → any node | `admin_to` | 0.8 |
/// | TOKEN_REQUEST | `create` serviceaccounts/token | set → tokens hub, or the named service accounts | `create_credential` | 0.95 |
/// | TOKEN_LIST | `list` or `watch` secrets (legacy token secrets; since 1.24 only where made by hand) | set → tokens hub | `can_access` | 0.6 |
/// | TOKEN_BRUTEFORCE | `get` secrets (the name must be guessed) | set → tokens hub | `can_access` | 0.3 |
/// | POD_EXEC | `create` pods/exec | set → pods hub of its scope, or the named pods | `run_command` | 0.95 |
/// | POD_API_ATTACH | `create` pods/attach on a pod with a container that keeps stdin open (not derived where exec on every pod is) | set → pod | `run_command` | 0.9 |
/// | POD_DEBUG | `update`/`patch` pods/ephemeralcontainers (kubectl debug) | as POD_EXEC | `run_command` | 0.85 |
/// | POD_PATCH | `update`/`patch` pods (swap the image; needs a registry the node pulls from) | as POD_EXEC | `run_command` | 0.6 |
/// | NODES_PROXY | cluster-wide `get`/`create` nodes/proxy (the kubelet API runs commands in its pods) | set → `k8s:pods`, or each pod of the named nodes | `run_command` | 0.9 |
/// | SA_TOKEN | always | tokens hub → each service account of its namespace (`k8s:sa-tokens` → each namespace's hub) | `uses_credential` | 1.0 |
/// | ANY_POD | always | pods hub → each pod of its namespace (`k8s:pods` → each namespace's hub) | `admin_to` | 1.0 |
/// | IDENTITY_ASSUME | the pod's token is mounted: `automountServiceAccountToken` of the pod, else of the service account, else true; or a projected token volume | pod → its service account | `uses_credential` | 1.0 |
/// | CE_NSENTER, CE_PRIV_MOUNT | a privileged container (with hostPID: nsenter) | pod → its node | `admin_to` | 0.95 |
/// | EXPLOIT_CONTAINERD_SOCK | a container runtime socket mounted from the host | pod → its node | `admin_to` | 0.95 |
/// | CE_MODULE_LOAD, CE_SYS_PTRACE | capability SYS_MODULE; SYS_PTRACE with hostPID | pod → its node | `admin_to` | 0.9 |
/// | EXPLOIT_HOST_WRITE, EXPLOIT_HOST_READ | a writable / read-only mount of `/`, a system folder, the kubelet's or runtime's state, or a folder above them | pod → its node | `admin_to` | 0.9, 0.6 |
/// | CE_SYS_ADMIN | capability SYS_ADMIN or ALL (mount is still filtered by seccomp/AppArmor by default) | pod → its node | `admin_to` | 0.6 |
/// | HOST_PID, HOST_NETWORK | hostPID, hostNetwork alone (host processes' data, node-local services; no escape by itself) | pod → its node | `admin_to` | 0.2 |
/// | POD_ATTACH | always (the node runs the pod) | node → each pod on it | `admin_to` | 0.95 |
/// | SCHEDULE_ON_NODE | always | any node → each node | `admin_to` | 1.0 |
///
/// A pod's several ways out to its node make one edge, the most probable; so do several rights
/// of one set on one target.
///
/// **Tier zero**: the cluster, cluster-admin sets, `system:masters`, control-plane nodes
/// (labelled `node-role.kubernetes.io/control-plane` or `master`: etcd, the CA keys), and (to a
/// fixed point) whoever is bound to or member of tier zero. **Crown jewel**: the cluster. Every
/// tier-zero node but the cluster has one edge to it, TierZeroOf (`tier_zero_of`, 1.0): control
/// of it is control of the cluster. That is its only way to the cluster (no parallel
/// `generic_all`), and `twinrisk paths` ends a path where it enters tier zero and follows only
/// that edge on, as in a directory (`edges_inside_tier_zero`); cluster-admin sets get no other
/// edge (KubeHound stops at "critical" sets the same way). Edges *into* tier zero from outside it
/// (ROLE_BIND, IMPERSONATE_MASTERS, a token hub's SA_TOKEN to a service account bound to
/// cluster-admin, a pod's escape to a control-plane node) stay as the table says.
/// **Entry points** (`kubernetes_entry_rule`, never tier zero): by default the pods an attacker
/// can reach — a `hostPort`, `hostNetwork` with a port, or an EndpointSlice endpoint (a Service
/// sends traffic to it) — and the users named in bindings (people: phishable; names starting
/// `system:` are components, left out) and anonymous access (`system:anonymous`,
/// `system:unauthenticated`) where bound. Any one of them may be the foothold.
///
/// Reading: objects are keyed by (kind, namespace, name) from the object, never from the file's
/// path; the same object read again is kept once (the first), counted in `records_by_type` under
/// "duplicates (first kept)". A ClusterRoleBinding whose roleRef says `Role` (which the API
/// server refuses) is read as naming the ClusterRole of that name, as KubeHound does. References
/// to objects not read (a pod's node or service account, a binding's role or service account)
/// become placeholder nodes (`"placeholder": true`), counted in `records_by_type` under "not read,
/// referenced: KIND"; the built-in `cluster-admin` ClusterRole is known without being read. What
/// the import assumed is in `assumptions`: that reading of a bad binding, the built-in
/// cluster-admin, privileged pods admitted (one per set that may create pods). Kinds not read are
/// counted in `unknown_types`, non-resource URL rules and aggregation rules in `fields_not_read`.
/// `add_inputs` reads a folder's `.json` files, not its sub-folders: name those too.
///
/// Limits: admission (Pod Security, policy engines), NetworkPolicies, Services' types, secrets'
/// contents, users' groups (known only to the authenticator) and cloud IAM are not read. A rule
/// restricted by resourceNames reaches the pods, service accounts, users, groups and nodes it
/// names (exec, attach, debug, patch, impersonation, token requests, nodes/proxy) and grants
/// nothing else here: create and list name no object, a named secret is not tied to a token,
/// a restricted `bind` is not taken for escalation. Escalation through a role that can write
/// other roles or bindings partially (patch a binding's subjects, create a Role then bind it) is
/// only followed in the forms of ROLE_BIND and ROLE_BIND_NAMESPACE.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <istream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/closest_names.hpp"
#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/bloodhound_common.hpp"
#include "twinrisk/io/detail/kubernetes_objects.hpp"
#include "twinrisk/io/detail/kubernetes_rules.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// Which nodes of an imported cluster attackers start from (never tier zero).
enum class kubernetes_entry_rule : std::uint8_t {
  exposed_pods_and_users,  ///< reachable pods, users named in bindings, anonymous access (default)
  exposed_pods,            ///< reachable pods only
  owned,                   ///< the nodes `kubernetes_options::owned` names (ids or names)
};

/// The rule's name as the import summary writes it ("exposed-pods-and-users").
[[nodiscard]] constexpr std::string_view to_string(kubernetes_entry_rule r) noexcept {
  switch (r) {
    case kubernetes_entry_rule::exposed_pods: return "exposed-pods";
    case kubernetes_entry_rule::owned: return "owned";
    default: return "exposed-pods-and-users";
  }
}

/// How to import a cluster.
struct kubernetes_options {
  std::string name{};  ///< the twin's and the cluster node's name (default "kubernetes")
  kubernetes_entry_rule entry = kubernetes_entry_rule::exposed_pods_and_users;
  std::vector<std::string> owned{};  ///< `entry = owned`: node ids or names, any case
  std::map<std::string, double, std::less<>> probabilities{};  ///< attack name -> probability, replacing the table's
};

/// One attack of the table in this header's comment: its name, edge kind and default probability.
struct kubernetes_attack {
  std::string_view name;
  edge_kind kind;
  double probability;
  bool derived = true;  ///< false for the edges a record states (bindings)
};

namespace detail {

// Positions in `kubernetes_attacks` (same order).
enum k8s_attack : std::uint8_t {
  k8s_role_binding, k8s_cluster_role_binding, k8s_member_of, k8s_tier_zero_of, k8s_role_bind, k8s_role_bind_namespace,
  k8s_impersonate, k8s_impersonate_masters, k8s_pod_create, k8s_pod_create_privileged, k8s_token_request, k8s_token_list,
  k8s_token_bruteforce, k8s_pod_exec, k8s_pod_api_attach, k8s_pod_debug, k8s_pod_patch, k8s_nodes_proxy, k8s_sa_token,
  k8s_identity_assume, k8s_ce_nsenter, k8s_ce_priv_mount, k8s_containerd_sock, k8s_ce_module_load, k8s_ce_sys_ptrace,
  k8s_host_write, k8s_host_read, k8s_ce_sys_admin, k8s_host_pid, k8s_host_network, k8s_pod_attach, k8s_schedule_on_node,
  k8s_any_pod, k8s_attack_count
};

}  // namespace detail

/// The attacks and their defaults (the table in this header's comment).
inline constexpr kubernetes_attack kubernetes_attacks[detail::k8s_attack_count] = {
    {"RoleBinding", edge_kind::can_assume_role, 1.0, false},
    {"ClusterRoleBinding", edge_kind::can_assume_role, 1.0, false},
    {"MemberOf", edge_kind::member_of, 1.0},
    {"TierZeroOf", edge_kind::tier_zero_of, 1.0},
    {"ROLE_BIND", edge_kind::modify_policy, 0.9},
    {"ROLE_BIND_NAMESPACE", edge_kind::modify_policy, 0.9},
    {"IDENTITY_IMPERSONATE", edge_kind::can_assume_role, 0.95},
    {"IMPERSONATE_MASTERS", edge_kind::generic_all, 0.95},
    {"POD_CREATE", edge_kind::pass_role, 0.95},
    {"POD_CREATE_PRIVILEGED", edge_kind::admin_to, 0.8},
    {"TOKEN_REQUEST", edge_kind::create_credential, 0.95},
    {"TOKEN_LIST", edge_kind::can_access, 0.6},
    {"TOKEN_BRUTEFORCE", edge_kind::can_access, 0.3},
    {"POD_EXEC", edge_kind::run_command, 0.95},
    {"POD_API_ATTACH", edge_kind::run_command, 0.9},
    {"POD_DEBUG", edge_kind::run_command, 0.85},
    {"POD_PATCH", edge_kind::run_command, 0.6},
    {"NODES_PROXY", edge_kind::run_command, 0.9},
    {"SA_TOKEN", edge_kind::uses_credential, 1.0},
    {"IDENTITY_ASSUME", edge_kind::uses_credential, 1.0},
    {"CE_NSENTER", edge_kind::admin_to, 0.95},
    {"CE_PRIV_MOUNT", edge_kind::admin_to, 0.95},
    {"EXPLOIT_CONTAINERD_SOCK", edge_kind::admin_to, 0.95},
    {"CE_MODULE_LOAD", edge_kind::admin_to, 0.9},
    {"CE_SYS_PTRACE", edge_kind::admin_to, 0.9},
    {"EXPLOIT_HOST_WRITE", edge_kind::admin_to, 0.9},
    {"EXPLOIT_HOST_READ", edge_kind::admin_to, 0.6},
    {"CE_SYS_ADMIN", edge_kind::admin_to, 0.6},
    {"HOST_PID", edge_kind::admin_to, 0.2},
    {"HOST_NETWORK", edge_kind::admin_to, 0.2},
    {"POD_ATTACH", edge_kind::admin_to, 0.95},
    {"SCHEDULE_ON_NODE", edge_kind::admin_to, 1.0},
    {"ANY_POD", edge_kind::admin_to, 1.0},
};

/// Reads Kubernetes objects (see this header's comment) and builds the attack graph of the cluster.
/// Throws: input_error naming the file and the JSON pointer of what is malformed, and what was expected.
/// Complexity: reading is linear in the input (one list item in memory at a time besides what is
/// kept); `finish()` is O(objects log objects + edges). Each permission set's rules are evaluated
/// once; unrestricted rights link it to one hub, so edges do not grow with sets x pods (71,100
/// objects, 2,000 namespaces: 0.8 s and 150,539 edges at -O2).
class kubernetes_importer {
 public:
  /// Throws: input_error on an unknown attack name or a probability outside [0,1] in `options.probabilities`.
  explicit kubernetes_importer(kubernetes_options options = {}) : options_(std::move(options)) {
    summary_.format = "kubernetes";
    summary_.entry_rule = std::string(to_string(options_.entry));
    for (std::size_t i = 0; i < detail::k8s_attack_count; ++i) probability_[i] = kubernetes_attacks[i].probability;
    for (const auto& override : options_.probabilities) {
      const std::string& name = override.first;
      const double p = override.second;
      const auto* a = std::find_if(std::begin(kubernetes_attacks), std::end(kubernetes_attacks), [&](const auto& x) { return x.name == name; });
      if (a == std::end(kubernetes_attacks)) {
        std::vector<std::string_view> names;
        for (const auto& x : kubernetes_attacks) names.push_back(x.name);
        throw input_error({.pointer = "probabilities/" + name},
                          "unknown attack '" + name + "'; expected " + detail::quoted_list(detail::closest_names(name, names)));
      }
      if (!(p >= 0.0 && p <= 1.0))
        throw input_error({.pointer = "probabilities/" + name}, "expected a probability in [0,1], got " + detail::show_number(p));
      probability_[static_cast<std::size_t>(a - std::begin(kubernetes_attacks))] = p;
    }
  }

  /// Reads one file: a List (`items`, with or without a top-level `kind`) or one object.
  /// Throws: input_error with the file and the JSON pointer (or line and column) of what is wrong.
  void add_stream(std::istream& in, const std::string& name) {
    file_ = name;
    std::vector<std::pair<std::string, detail::json>> kindless;  // items whose kind the list's names ("PodList")
    auto on_item = [&](std::string_view pointer, detail::json& item) {
      if (item.is_object() && !item.contains("kind")) kindless.emplace_back(std::string(pointer), std::move(item));
      else read_object(std::string(pointer), item, "");
    };
    const detail::json doc = detail::stream_json(in, name, {"/items"}, on_item);
    ++summary_.files;
    if (!doc.is_object()) fail("", "expected a Kubernetes object or a List of them (an object with \"items\"), got " + detail::describe(doc));
    const auto items = doc.find("items");
    if (items == doc.end()) {
      if (!doc.contains("kind")) fail("", "expected a Kubernetes object (with \"kind\") or a List of them (with \"items\")");
      read_object("", doc, "");
      return;
    }
    if (!items->is_array()) fail("/items", "expected an array of objects, got " + detail::describe(*items));
    std::string item_kind;
    if (const auto k = doc.find("kind"); k != doc.end() && k->is_string()) {
      const std::string& list = k->get_ref<const std::string&>();
      if (list.size() > 4 && list.ends_with("List")) item_kind = list.substr(0, list.size() - 4);
    }
    for (auto& [pointer, item] : kindless) read_object(pointer, item, item_kind);
    for (auto it = doc.begin(); it != doc.end(); ++it)
      if (it.key() != "apiVersion" && it.key() != "kind" && it.key() != "metadata" && it.key() != "items") ++summary_.fields_not_read[it.key()];
  }

  /// The twin of the cluster. Throws: input_error on an `owned` entry that names no node.
  [[nodiscard]] import_result finish() && {
    build_nodes();
    for (std::size_t s = 0; s < sets_.size(); ++s) derive(s);  // grows while namespace admins are added
    add_implicit_memberships();
    mark_tier_zero();
    link_tier_zero_to_cluster();
    mark_entry_points();
    return build();
  }

 private:
  using key = std::pair<std::string, std::string>;  // (namespace, name); namespace "" when cluster-scoped
  struct pending_edge {
    std::size_t from, to;
    detail::k8s_attack attack;
  };
  struct permission_set {
    std::size_t node;
    const std::vector<detail::k8s_rule>* rules;
    std::string scope;  // "" = cluster-wide
    bool editable;      // a Role, which can edit itself with `escalate`
  };

  [[noreturn]] void fail(const std::string& pointer, std::string reason) const {
    throw input_error({.file = file_, .pointer = pointer}, std::move(reason));
  }

  static bool namespaced(std::string_view kind) {
    return kind == "Role" || kind == "RoleBinding" || kind == "ServiceAccount" || kind == "Pod" || kind == "EndpointSlice";
  }
  static bool known_kind(std::string_view kind) {
    return namespaced(kind) || kind == "ClusterRole" || kind == "ClusterRoleBinding" || kind == "Node";
  }

  void read_object(const std::string& pointer, const detail::json& j, const std::string& default_kind) {
    ++summary_.records;
    detail::json_object o(j, pointer, file_);
    const std::string kind = o.find("kind") != nullptr ? o.string("kind") : default_kind;
    if (kind.empty()) o.fail_at(pointer, "missing required member 'kind'");
    if (!known_kind(kind)) {
      ++summary_.unknown_types[kind];
      return;
    }
    detail::json_object meta(o.required("metadata"), o.pointer("metadata"), file_);
    std::string name = meta.string("name");
    if (name.empty()) meta.fail("name", "expected the name of the " + kind);
    std::string ns;
    if (namespaced(kind)) {
      ns = meta.string_or("namespace", "");
      if (ns.empty()) meta.fail("namespace", "expected the namespace of the " + kind + " (kubectl writes it)");
    }
    key k{std::move(ns), std::move(name)};
    // Read before the duplicate check: a malformed copy is an error too.
    bool added = false;
    if (kind == "Role" || kind == "ClusterRole") added = roles_.try_emplace(k, detail::read_k8s_rules(o, summary_.fields_not_read)).second;
    else if (kind == "RoleBinding" || kind == "ClusterRoleBinding") added = bindings_.try_emplace(k, detail::read_k8s_binding(o, k.first, k.second)).second;
    else if (kind == "Pod") added = pods_.try_emplace(k, detail::read_k8s_pod(o)).second;
    else if (kind == "Node") added = nodes_.try_emplace(k.second, detail::read_k8s_node(o, meta)).second;
    else if (kind == "ServiceAccount") {
      std::optional<bool> automount;
      if (o.find("automountServiceAccountToken") != nullptr) automount = o.boolean_or("automountServiceAccountToken", true);
      added = service_accounts_.try_emplace(k, automount).second;
    } else {  // EndpointSlice
      const auto pods = detail::read_k8s_endpoint_pods(o, k.first);
      added = endpoint_slices_.insert(k).second;
      if (added)
        for (const auto& pod : pods) exposed_by_slices_[pod].push_back("EndpointSlice " + k.first + "/" + k.second);
    }
    ++summary_.records_by_type[added ? kind : std::string("duplicates (first kept)")];
  }

  // --- graph -------------------------------------------------------------------------------

  // `placeholder`: the kind of object referenced but not read ("Node" for a pod's dangling nodeName).
  std::size_t add_node(std::string id, node n, std::string_view placeholder = {}) {
    if (const auto it = index_.find(id); it != index_.end()) return it->second;
    if (!placeholder.empty()) {
      n.properties["placeholder"] = true;
      ++summary_.placeholder_nodes;
      ++summary_.records_by_type["not read, referenced: " + std::string(placeholder)];
    }
    index_.emplace(id, ids_.size());
    ids_.push_back(std::move(id));
    nodes_out_.push_back(std::move(n));
    return ids_.size() - 1;
  }

  // One edge per (from, to): the most probable attack wins (TierZeroOf always); the same binding
  // twice is counted.
  void link(std::size_t from, std::size_t to, detail::k8s_attack a) {
    if (from == to) return;
    const std::uint64_t k = (static_cast<std::uint64_t>(from) << 32) | static_cast<std::uint64_t>(to);
    const auto [it, added] = edge_at_.try_emplace(k, edges_.size());
    if (added) {
      edges_.push_back({from, to, a});
      return;
    }
    pending_edge& e = edges_[it->second];
    if (!kubernetes_attacks[a].derived && e.attack == a) ++summary_.duplicate_edges;
    if (a == detail::k8s_tier_zero_of || (e.attack != detail::k8s_tier_zero_of && probability_[a] > probability_[e.attack])) e.attack = a;
  }

  std::size_t service_account(const std::string& ns, const std::string& name) {
    const std::string id = "k8s:sa/" + ns + "/" + name;
    if (const auto it = index_.find(id); it != index_.end()) return it->second;
    const std::size_t v = add_node(id, {.name = ns + "/" + name, .kind = node_kind::service_account,
                                        .properties = {{"namespace", ns}}}, service_accounts_.contains({ns, name}) ? "" : "ServiceAccount");
    sas_in_ns_[ns].push_back(v);
    return v;
  }

  std::size_t cluster_node(const std::string& name) {
    const std::string id = "k8s:node/" + name;
    if (const auto it = index_.find(id); it != index_.end()) return it->second;
    const auto n = nodes_.find(name);
    node data{.name = name, .kind = node_kind::host};
    if (n != nodes_.end()) data.properties = {{"addresses", n->second.addresses}, {"control_plane", n->second.control_plane}};
    const std::size_t v = add_node(id, std::move(data), n == nodes_.end() ? "Node" : "");
    node_positions_.push_back(v);
    if (n != nodes_.end() && n->second.control_plane) {
      nodes_out_[v].tier_zero = std::string("control-plane node (etcd, the cluster's keys)");  // TierZeroOf: link_tier_zero_to_cluster
    }
    return v;
  }

  std::size_t subject(const detail::k8s_subject& s) {
    using detail::k8s_subject_kind;
    if (s.kind == k8s_subject_kind::service_account) return service_account(s.ns, s.name);
    const bool user = s.kind == k8s_subject_kind::user;
    const std::size_t v = add_node((user ? "k8s:user/" : "k8s:group/") + s.name, {.name = s.name, .kind = user ? node_kind::user : node_kind::group});
    (user ? users_ : groups_).emplace(s.name, v);
    if (!user && s.name == "system:masters") nodes_out_[v].tier_zero = std::string("system:masters: the API server allows its members everything");
    return v;
  }

  // The permission set of role `role` (ClusterRole when `cluster_role`) acting in `scope`.
  std::size_t permission_set_of(bool cluster_role, const std::string& role, const std::string& scope) {
    const std::string id = cluster_role ? (scope.empty() ? "k8s:clusterrole/" + role : "k8s:clusterrole/" + scope + "/" + role)
                                        : "k8s:role/" + scope + "/" + role;
    if (const auto it = index_.find(id); it != index_.end()) return it->second;
    const auto r = roles_.find({cluster_role ? std::string() : scope, role});
    const std::vector<detail::k8s_rule>* rules = &no_rules_;
    node n{.name = (cluster_role ? "ClusterRole " : "Role ") + role + (cluster_role && !scope.empty() ? " in " + scope : std::string()),
           .kind = node_kind::role,
           .properties = {{"role", role}, {"scope", scope.empty() ? std::string("cluster") : scope}}};
    std::string_view placeholder;
    if (r != roles_.end()) {
      rules = &r->second;
    } else if (cluster_role && role == "cluster-admin") {  // built in: its rules are fixed by the API server's bootstrap policy
      rules = &cluster_admin_rules_;
      n.properties["builtin"] = true;
      ++summary_.assumptions["ClusterRole cluster-admin not read: the built-in one (* on *)"];
    } else {
      placeholder = cluster_role ? "ClusterRole" : "Role";
    }
    const std::size_t v = add_node(id, std::move(n), placeholder);
    sets_.push_back({v, rules, scope, !cluster_role});
    return v;
  }

  // A hub: node `id`, made once, `fill(v)` linking it to what it stands for.
  template <class Fill>
  std::size_t hub(std::string id, node n, Fill fill) {
    if (const auto it = index_.find(id); it != index_.end()) return it->second;
    const std::size_t v = add_node(std::move(id), std::move(n));
    fill(v);
    return v;
  }

  // The token of any service account of namespace `ns` ("": of every namespace); none when there is none.
  std::optional<std::size_t> tokens_hub(const std::string& ns) {
    if (ns.empty())
      return sas_in_ns_.empty() ? std::nullopt
                                : std::optional(hub("k8s:sa-tokens", {.name = "service account tokens in every namespace", .kind = node_kind::credential},
                                                    [&](std::size_t v) {
                                                      for (const auto& [each, sas] : sas_in_ns_) link(v, *tokens_hub(each), detail::k8s_sa_token);
                                                    }));
    const auto sas = sas_in_ns_.find(ns);
    if (sas == sas_in_ns_.end()) return std::nullopt;
    return hub("k8s:sa-tokens/" + ns, {.name = "service account tokens in " + ns, .kind = node_kind::credential, .properties = {{"namespace", ns}}},
               [&](std::size_t v) {
                 for (std::size_t sa : sas->second) link(v, sa, detail::k8s_sa_token);
               });
  }

  // Any pod of namespace `ns` ("": of every namespace); none when there is none.
  std::optional<std::size_t> pods_hub(const std::string& ns) {
    if (ns.empty())
      return pods_in_ns_.empty() ? std::nullopt
                                 : std::optional(hub("k8s:pods", {.name = "any pod in every namespace", .kind = node_kind::container}, [&](std::size_t v) {
                                     for (const auto& [each, pods] : pods_in_ns_) link(v, *pods_hub(each), detail::k8s_any_pod);
                                   }));
    const auto pods = pods_in_ns_.find(ns);
    if (pods == pods_in_ns_.end()) return std::nullopt;
    return hub("k8s:pods/" + ns, {.name = "any pod in " + ns, .kind = node_kind::container, .properties = {{"namespace", ns}}}, [&](std::size_t v) {
      for (const pod_ref& pod : pods->second) link(v, pod.node, detail::k8s_any_pod);
    });
  }

  std::size_t any_node() {
    if (const auto it = index_.find("k8s:any-node"); it != index_.end()) return it->second;
    const std::size_t v = add_node("k8s:any-node", {.name = "any node (a privileged pod scheduled there)", .kind = node_kind::host});
    for (std::size_t n : node_positions_) link(v, n, detail::k8s_schedule_on_node);
    return v;
  }

  std::size_t namespace_admin(const std::string& ns) {
    const std::string id = "k8s:namespace-admin/" + ns;
    if (const auto it = index_.find(id); it != index_.end()) return it->second;
    const std::size_t v = add_node(id, {.name = "any permission in " + ns + " (self-granted)", .kind = node_kind::role, .properties = {{"scope", ns}}});
    sets_.push_back({v, &cluster_admin_rules_, ns, false});
    return v;
  }

  void build_nodes() {
    cluster_ = add_node("k8s:cluster", {.name = options_.name.empty() ? "kubernetes" : options_.name, .kind = node_kind::kubernetes_cluster,
                                        .crown_jewel = true, .tier_zero = std::string("the cluster: control of the API server")});
    for (const auto& [name, n] : nodes_) cluster_node(name);
    for (const auto& [k, automount] : service_accounts_) service_account(k.first, k.second);
    for (const auto& [k, pod] : pods_) {
      node n{.name = k.first + "/" + k.second, .kind = node_kind::container,
             .properties = {{"namespace", k.first}, {"service_account", pod.service_account}, {"images", pod.images}}};
      std::vector<std::string> exposure = pod.exposure;
      if (const auto it = exposed_by_slices_.find(k); it != exposed_by_slices_.end()) exposure.insert(exposure.end(), it->second.begin(), it->second.end());
      if (!exposure.empty()) n.properties["exposed"] = exposure;
      if (!pod.node.empty()) n.properties["node"] = pod.node;
      const std::size_t v = add_node("k8s:pod/" + k.first + "/" + k.second, std::move(n));
      if (exposed_.size() <= v) exposed_.resize(v + 1);
      exposed_[v] = !exposure.empty();
      pods_in_ns_[k.first].push_back({v, &k.second, &pod});
      const std::size_t sa = service_account(k.first, pod.service_account);
      const auto described = service_accounts_.find({k.first, pod.service_account});
      const std::optional<bool> sa_automount = described == service_accounts_.end() ? std::nullopt : described->second;
      if (pod.automount.value_or(sa_automount.value_or(true)) || pod.projected_token) link(v, sa, detail::k8s_identity_assume);
      if (pod.node.empty()) continue;  // not scheduled
      const std::size_t host = cluster_node(pod.node);
      pods_on_node_[pod.node].push_back(v);
      link(host, v, detail::k8s_pod_attach);
      for (const std::string& e : pod.escapes) link(v, host, attack_named(e));
    }
    for (const auto& [k, b] : bindings_) {
      if (b.role_kind_invalid) ++summary_.assumptions["ClusterRoleBinding naming a Role read as the ClusterRole of that name"];
      const std::size_t set = permission_set_of(b.cluster_role, b.role, b.ns);
      for (const detail::k8s_subject& s : b.subjects) link(subject(s), set, b.ns.empty() ? detail::k8s_cluster_role_binding : detail::k8s_role_binding);
    }
    for (const auto& [ns, sas] : sas_in_ns_) namespaces_.push_back(ns);
    for (const auto& [ns, pods] : pods_in_ns_)
      if (!sas_in_ns_.contains(ns)) namespaces_.push_back(ns);
    std::sort(namespaces_.begin(), namespaces_.end());
  }

  static detail::k8s_attack attack_named(std::string_view name) {
    for (std::size_t i = 0; i < detail::k8s_attack_count; ++i)
      if (kubernetes_attacks[i].name == name) return static_cast<detail::k8s_attack>(i);
    return detail::k8s_host_pid;  // not reached: pods name attacks of the table
  }

  // The edges the rules of permission set `s` allow (the table in this header's comment).
  void derive(std::size_t s) {
    using namespace detail;
    const permission_set set = sets_[s];  // a copy: namespace_admin() may grow sets_
    const std::size_t p = set.node;
    const bool cluster = set.scope.empty();
    const std::vector<k8s_rule>& rules = *set.rules;
    if (cluster && k8s_allows_everything(rules)) {
      nodes_out_[p].tier_zero = std::string("allows everything cluster-wide (cluster-admin)");
      return;  // its edge is TierZeroOf (link_tier_zero_to_cluster): paths end where they enter tier zero
    }
    const auto grant = [&](std::initializer_list<std::string_view> verbs, std::string_view group, std::string_view resource) {
      return k8s_grant(rules, verbs, group, resource);
    };
    const auto granted = [&](std::initializer_list<std::string_view> verbs, std::string_view group, std::string_view resource) {
      return grant(verbs, group, resource).any;
    };
    constexpr std::string_view rbac = "rbac.authorization.k8s.io";
    const std::initializer_list<std::string_view> write = {"create", "update", "patch"}, modify = {"update", "patch"};
    const std::vector<std::string> just_scope{set.scope};
    const std::vector<std::string>& scopes = cluster ? namespaces_ : just_scope;

    // Granting oneself more: bind a stronger role, or escalate one's own.
    if (cluster && ((granted({"bind"}, rbac, "clusterroles") && granted(write, rbac, "clusterrolebindings")) ||
                    (granted({"escalate"}, rbac, "clusterroles") && granted(modify, rbac, "clusterroles")))) {
      link(p, cluster_, k8s_role_bind);
    } else if (!k8s_allows_everything(rules) &&  // a namespace's admin already
               (((granted({"bind"}, rbac, "roles") || granted({"bind"}, rbac, "clusterroles")) && granted(write, rbac, "rolebindings")) ||
                (set.editable && granted({"escalate"}, rbac, "roles") && granted(modify, rbac, "roles")))) {
      for (const std::string& ns : scopes) link(p, namespace_admin(ns), k8s_role_bind_namespace);
    }

    // Impersonation: users and groups are cluster-scoped; groups need a user to go with them.
    const k8s_name_grant as_sa = grant({"impersonate"}, "", "serviceaccounts");
    if (cluster) {
      const k8s_name_grant users = grant({"impersonate"}, "", "users"), groups = grant({"impersonate"}, "", "groups");
      if (!users.none())
        for (const auto& [name, v] : users_)
          if (users.allows(name)) link(p, v, k8s_impersonate);
      if (!users.none() || !as_sa.none()) {
        if (groups.allows("system:masters")) link(p, cluster_, k8s_impersonate_masters);
        else if (!groups.none())
          for (const auto& [name, v] : groups_)
            if (groups.allows(name)) link(p, v, k8s_impersonate);
      }
    }

    // Namespaced rights, in each namespace of the scope.
    const k8s_name_grant token = grant({"create"}, "", "serviceaccounts/token");
    const bool create_pods = granted({"create"}, "", "pods") || granted({"create"}, "", "replicationcontrollers") ||
                             granted({"create"}, "apps", "deployments") || granted({"create"}, "apps", "daemonsets") ||
                             granted({"create"}, "apps", "replicasets") || granted({"create"}, "apps", "statefulsets") ||
                             granted({"create"}, "batch", "jobs") || granted({"create"}, "batch", "cronjobs");
    const bool list_secrets = granted({"list", "watch"}, "", "secrets"), get_secrets = granted({"get"}, "", "secrets");
    const k8s_name_grant exec = grant({"create"}, "", "pods/exec"), attach = grant({"create"}, "", "pods/attach"),
                         debug = grant(modify, "", "pods/ephemeralcontainers"), patch = grant(modify, "", "pods");
    // Unrestricted rights reach a hub: every token, every pod of the scope at once.
    for (const auto& [any, attack] : {std::pair{create_pods, k8s_pod_create}, {token.any, k8s_token_request}, {list_secrets, k8s_token_list},
                                      {get_secrets, k8s_token_bruteforce}, {as_sa.any, k8s_impersonate}})
      if (const auto hub = any ? tokens_hub(set.scope) : std::nullopt) link(p, *hub, attack);
    for (const auto& [g, attack] : {std::pair{&exec, k8s_pod_exec}, {&debug, k8s_pod_debug}, {&patch, k8s_pod_patch}})
      if (const auto hub = g->any ? pods_hub(set.scope) : std::nullopt) link(p, *hub, attack);
    if (create_pods && !node_positions_.empty()) {
      link(p, any_node(), k8s_pod_create_privileged);
      ++summary_.assumptions["privileged pods admitted where pods may be created (Pod Security not read)"];
    }
    // Rights restricted to names, and attach (only to pods that keep stdin open): object by object.
    const bool by_name = !token.names.empty() || !as_sa.names.empty() || !exec.names.empty() || !debug.names.empty() ||
                         !patch.names.empty() || (!attach.none() && !exec.any);
    for (std::size_t i = 0; by_name && i < scopes.size(); ++i) {
      const std::string& ns = scopes[i];
      const auto link_named = [&](const char* prefix, const std::vector<std::string>& names, k8s_attack attack) {
        for (const std::string& name : names)
          if (const auto it = index_.find(prefix + ns + "/" + name); it != index_.end()) link(p, it->second, attack);
      };
      link_named("k8s:sa/", token.names, k8s_token_request);
      link_named("k8s:sa/", as_sa.names, k8s_impersonate);
      link_named("k8s:pod/", exec.names, k8s_pod_exec);
      link_named("k8s:pod/", debug.names, k8s_pod_debug);
      link_named("k8s:pod/", patch.names, k8s_pod_patch);
      if (const auto pods = pods_in_ns_.find(ns); !attach.none() && !exec.any && pods != pods_in_ns_.end())  // exec is the stronger
        for (const pod_ref& pod : pods->second)
          if (pod.data->stdin_open && attach.allows(*pod.name)) link(p, pod.node, k8s_pod_api_attach);
    }

    // The kubelet API through the API server's node proxy.
    if (cluster) {
      const k8s_name_grant proxy = grant({"get", "create"}, "", "nodes/proxy");
      if (const auto hub = proxy.any ? pods_hub("") : std::nullopt) link(p, *hub, k8s_nodes_proxy);
      for (const std::string& node_name : proxy.names)
        if (const auto pods = pods_on_node_.find(node_name); pods != pods_on_node_.end())
          for (std::size_t pod : pods->second) link(p, pod, k8s_nodes_proxy);
    }
  }

  // Groups every service account or user is in without a binding saying so.
  void add_implicit_memberships() {
    const auto group = [&](const std::string& name) -> std::optional<std::size_t> {
      const auto it = groups_.find(name);
      return it == groups_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    };
    const auto all_sas = group("system:serviceaccounts"), authenticated = group("system:authenticated");
    for (const auto& [ns, sas] : sas_in_ns_) {
      const auto in_ns = group("system:serviceaccounts:" + ns);
      for (std::size_t sa : sas)
        for (const auto& g : {all_sas, in_ns, authenticated})
          if (g) link(sa, *g, detail::k8s_member_of);
    }
    for (const auto& [name, v] : users_) {
      const auto g = name == "system:anonymous" ? group("system:unauthenticated") : authenticated;
      if (g) link(v, *g, detail::k8s_member_of);
    }
  }

  // Tier zero to a fixed point: whoever is bound to, or member of, a tier-zero node.
  void mark_tier_zero() {
    std::vector<std::vector<std::size_t>> into(ids_.size());  // target -> sources of binding and membership edges
    for (const pending_edge& e : edges_)
      if (kubernetes_attacks[e.attack].kind == edge_kind::can_assume_role && !kubernetes_attacks[e.attack].derived) into[e.to].push_back(e.from);
      else if (e.attack == detail::k8s_member_of) into[e.to].push_back(e.from);
    std::vector<std::size_t> work;
    for (std::size_t v = 0; v < ids_.size(); ++v)
      if (nodes_out_[v].tier_zero) work.push_back(v);
    while (!work.empty()) {
      const std::size_t v = work.back();
      work.pop_back();
      for (std::size_t u : into[v])
        if (!nodes_out_[u].tier_zero) {
          nodes_out_[u].tier_zero = (nodes_out_[v].kind == node_kind::group ? "member of " : "bound to ") + ids_[v];
          work.push_back(u);
        }
    }
  }

  // Control of a tier-zero node is control of the cluster: each but the cluster links to it
  // (TierZeroOf, replacing any other edge between them), so a path that enters tier zero still
  // reaches the crown jewel when the ways on inside tier zero are left out.
  void link_tier_zero_to_cluster() {
    for (std::size_t v = 0; v < ids_.size(); ++v)
      if (nodes_out_[v].tier_zero && !nodes_out_[v].crown_jewel) link(v, cluster_, detail::k8s_tier_zero_of);
  }

  void mark_entry_points() {
    exposed_.resize(ids_.size());
    if (options_.entry == kubernetes_entry_rule::owned) {
      const std::vector<char> owned = detail::mark_owned(
          options_.owned, ids_.size(), [&](std::size_t v) { return std::pair<std::string_view, std::string_view>(ids_[v], nodes_out_[v].name); },
          [](std::size_t) { return true; });
      for (std::size_t v = 0; v < ids_.size(); ++v) nodes_out_[v].entry_point = owned[v] != 0;
      return;
    }
    for (std::size_t v = 0; v < ids_.size(); ++v) {
      node& n = nodes_out_[v];
      bool entry = exposed_[v];
      if (options_.entry == kubernetes_entry_rule::exposed_pods_and_users)
        entry = entry || (n.kind == node_kind::user && (!n.name.starts_with("system:") || n.name == "system:anonymous")) ||
                (n.kind == node_kind::group && n.name == "system:unauthenticated");
      n.entry_point = entry && !n.tier_zero;
    }
  }

  import_result build() {
    twin_builder b;
    b.reserve(ids_.size(), edges_.size());
    for (std::size_t v = 0; v < ids_.size(); ++v) {
      const node& n = nodes_out_[v];
      summary_.entry_points += n.entry_point;
      summary_.crown_jewels += n.crown_jewel;
      summary_.tier_zero += n.tier_zero.has_value();
      summary_.tier_zero_principals += n.tier_zero && is_principal(n.kind);
    }
    for (std::size_t v = 0; v < ids_.size(); ++v) b.add_node(std::move(ids_[v]), std::move(nodes_out_[v]));
    for (const pending_edge& e : edges_) {
      const kubernetes_attack& a = kubernetes_attacks[e.attack];
      ++summary_.edges_by_kind[std::string(a.name)];
      summary_.default_probabilities[std::string(a.name)] = probability_[e.attack];
      if (a.derived) ++summary_.derived_by_kind[std::string(a.name)], ++summary_.derived_edges;
      b.add_edge(e.from, e.to, {.kind = a.kind, .probability = probability_[e.attack]});
    }
    summary_.nodes = b.num_nodes();
    summary_.edges = b.num_edges();
    b.set_name(options_.name.empty() ? "Kubernetes import" : options_.name);
    nlohmann::json metadata;
    metadata["import"] = nlohmann::json(summary_.to_json());
    b.set_metadata(std::move(metadata));
    return {std::move(b).build(), summary_};
  }

  struct pod_ref {
    std::size_t node;
    const std::string* name;
    const detail::k8s_pod* data;
  };

  kubernetes_options options_;
  double probability_[detail::k8s_attack_count]{};
  import_summary summary_;
  std::string file_;
  // Objects read, by (namespace, name).
  std::map<key, std::vector<detail::k8s_rule>> roles_;
  std::map<key, detail::k8s_binding> bindings_;
  std::map<key, detail::k8s_pod> pods_;
  std::map<key, std::optional<bool>> service_accounts_;  // automountServiceAccountToken
  std::map<std::string, detail::k8s_node> nodes_;
  std::set<key> endpoint_slices_;
  std::map<key, std::vector<std::string>> exposed_by_slices_;
  // The graph being built.
  std::vector<std::string> ids_;
  std::vector<node> nodes_out_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<pending_edge> edges_;
  std::unordered_map<std::uint64_t, std::size_t> edge_at_;
  std::vector<char> exposed_;  // by node position: a reachable pod
  std::size_t cluster_ = 0;
  std::vector<permission_set> sets_;
  std::map<std::string, std::vector<std::size_t>> sas_in_ns_;
  std::map<std::string, std::vector<pod_ref>> pods_in_ns_;
  std::map<std::string, std::vector<std::size_t>> pods_on_node_;
  std::vector<std::size_t> node_positions_;
  std::map<std::string, std::size_t, std::less<>> users_, groups_;
  std::vector<std::string> namespaces_;
  const std::vector<detail::k8s_rule> no_rules_{};
  const std::vector<detail::k8s_rule> cluster_admin_rules_{{.verbs = {"*"}, .groups = {"*"}, .resources = {"*"}}};
};

/// Imports Kubernetes objects from files, folders (their `.json` files) or both (see `kubernetes_importer`).
[[nodiscard]] inline import_result import_kubernetes(const std::vector<std::filesystem::path>& inputs, kubernetes_options options = {}) {
  kubernetes_importer importer(std::move(options));
  add_inputs(importer, inputs);
  return std::move(importer).finish();
}

}  // namespace twinrisk
