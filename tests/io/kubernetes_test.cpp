#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/io/kubernetes.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

using namespace twinrisk;

// A namespace of its own: test files are compiled together in unity batches.
namespace kubernetes_test {

import_result import_k8s(const std::string& text, kubernetes_options options = {}) {
  kubernetes_importer importer(std::move(options));
  std::istringstream in(text);
  importer.add_stream(in, "k.json");
  return std::move(importer).finish();
}

// A `kubectl get -o json` List of the given objects.
std::string list(const std::vector<std::string>& items) {
  std::string s = R"({"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[)";
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + items[i];
  return s + "]}";
}

std::string rule(const std::string& verbs, const std::string& resources, const std::string& groups = R"("")",
                 const std::string& names = "") {
  return R"({"apiGroups":[)" + groups + R"(],"resources":[)" + resources + R"(],"verbs":[)" + verbs + "]" +
         (names.empty() ? "" : R"(,"resourceNames":[)" + names + "]") + "}";
}
std::string cluster_role(const std::string& name, const std::string& rules) {
  return R"({"kind":"ClusterRole","metadata":{"name":")" + name + R"("},"rules":[)" + rules + "]}";
}
std::string role(const std::string& ns, const std::string& name, const std::string& rules) {
  return R"({"kind":"Role","metadata":{"name":")" + name + R"(","namespace":")" + ns + R"("},"rules":[)" + rules + "]}";
}
std::string sa_subject(const std::string& ns, const std::string& name) {
  return R"({"kind":"ServiceAccount","name":")" + name + R"(","namespace":")" + ns + R"("})";
}
std::string user_subject(const std::string& name) { return R"({"kind":"User","name":")" + name + R"("})"; }
std::string group_subject(const std::string& name) { return R"({"kind":"Group","name":")" + name + R"("})"; }
std::string cluster_binding(const std::string& name, const std::string& role_name, const std::string& subjects) {
  return R"({"kind":"ClusterRoleBinding","metadata":{"name":")" + name + R"("},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":")" +
         role_name + R"("},"subjects":[)" + subjects + "]}";
}
std::string binding(const std::string& ns, const std::string& name, const std::string& role_kind, const std::string& role_name,
                    const std::string& subjects) {
  return R"({"kind":"RoleBinding","metadata":{"name":")" + name + R"(","namespace":")" + ns + R"("},"roleRef":{"kind":")" + role_kind +
         R"(","name":")" + role_name + R"("},"subjects":[)" + subjects + "]}";
}
std::string service_account(const std::string& ns, const std::string& name, const std::string& extra = "") {
  return R"({"kind":"ServiceAccount","metadata":{"name":")" + name + R"(","namespace":")" + ns + R"("})" + extra + "}";
}
// A pod on `node` running as service account `sa`; `spec` adds members to its spec.
std::string pod(const std::string& ns, const std::string& name, const std::string& node, const std::string& sa, const std::string& spec = "",
                const std::string& container = "") {
  return R"({"kind":"Pod","metadata":{"name":")" + name + R"(","namespace":")" + ns + R"("},"spec":{"nodeName":")" + node +
         R"(","serviceAccountName":")" + sa + R"(","containers":[{"name":"c","image":"img")" + container + "}]" + spec + "}}";
}
std::string k8s_node(const std::string& name, const std::string& labels = "{}") {
  return R"({"kind":"Node","metadata":{"name":")" + name + R"(","labels":)" + labels + "}}";
}

// The edge from `from` to `to` (ids), if any.
std::optional<edge> edge_between(const twin& t, const std::string& from, const std::string& to) {
  REQUIRE_MESSAGE(t.find(from), "no node " << from);
  REQUIRE_MESSAGE(t.find(to), "no node " << to);
  for (auto uv : t.out_edges(t.at(from)))
    if (t.id(t.target(uv)) == to) return t[uv];
  return std::nullopt;
}

// Checks the edge's kind and probability.
void check_edge(const twin& t, const std::string& from, const std::string& to, edge_kind kind, double p) {
  CAPTURE(from);
  CAPTURE(to);
  const auto e = edge_between(t, from, to);
  REQUIRE(e);
  CHECK(e->kind == kind);
  CHECK(e->probability == p);
}
void check_no_edge(const twin& t, const std::string& from, const std::string& to) {
  CAPTURE(from);
  CAPTURE(to);
  CHECK(!edge_between(t, from, to));
}

std::vector<std::string> out_ids(const twin& t, const std::string& from) {
  std::vector<std::string> out;
  for (auto uv : t.out_edges(t.at(from))) out.push_back(t.id(t.target(uv)));
  std::sort(out.begin(), out.end());
  return out;
}

// A namespace "app" with two service accounts and two pods on node n1, and namespace "other"
// with one of each; `rbac` adds roles and bindings. The subject under test is the user "mallory".
std::string cluster_with(const std::vector<std::string>& rbac) {
  std::vector<std::string> items{k8s_node("n1"),
                                 service_account("app", "web"),
                                 service_account("app", "db"),
                                 service_account("other", "ops"),
                                 pod("app", "web-1", "n1", "web"),
                                 pod("app", "db-1", "n1", "db", "", R"(,"stdin":true)"),
                                 pod("other", "ops-1", "n1", "ops")};
  items.insert(items.end(), rbac.begin(), rbac.end());
  return list(items);
}

// `rules` bound to mallory cluster-wide (`cluster`) or in namespace "app".
twin granted(const std::string& rules, bool cluster) {
  if (cluster) return import_k8s(cluster_with({cluster_role("r", rules), cluster_binding("b", "r", user_subject("mallory"))})).twin;
  return import_k8s(cluster_with({role("app", "r", rules), binding("app", "b", "Role", "r", user_subject("mallory"))})).twin;
}

TEST_CASE("the KubeHound test cluster: objects keyed by what they say, read once") {
  const auto root = twinrisk_test::source_dir() / "tests/data/kubernetes/kubehound-test-cluster";
  kubernetes_importer importer;
  add_inputs(importer, {root, root / "namespace-1", root / "namespace-2"});  // folders are not walked into
  const auto [t, s] = std::move(importer).finish();
  CHECK(s.format == "kubernetes");
  CHECK(s.files == 11);
  CHECK(s.records == 10);
  CHECK(s.records_by_type == name_counts{{"ClusterRole", 1},
                                         {"ClusterRoleBinding", 1},
                                         {"EndpointSlice", 1},
                                         {"Node", 1},
                                         {"Pod", 1},
                                         {"Role", 1},
                                         {"RoleBinding", 1},
                                         {"duplicates (first kept)", 3},
                                         {"not read, referenced: Node", 1},
                                         {"not read, referenced: ServiceAccount", 1}});
  CHECK(s.nodes == 7);
  CHECK(s.edges == 4);
  CHECK(s.placeholder_nodes == 2);
  CHECK(s.edges_by_kind == name_counts{{"ClusterRoleBinding", 1}, {"IDENTITY_ASSUME", 1}, {"POD_ATTACH", 1}, {"RoleBinding", 1}});
  CHECK(s.derived_by_kind == name_counts{{"IDENTITY_ASSUME", 1}, {"POD_ATTACH", 1}});
  CHECK(s.default_probabilities.at("IDENTITY_ASSUME") == 1.0);
  CHECK(s.default_probabilities.at("POD_ATTACH") == 0.95);
  CHECK(s.derived_edges == 2);
  CHECK(s.unknown_types.empty());
  CHECK(s.fields_not_read.empty());
  CHECK(s.assumptions == name_counts{{"ClusterRoleBinding naming a Role read as the ClusterRole of that name", 1}});
  CHECK(s.entry_points == 1);
  CHECK(s.entry_rule == "exposed-pods-and-users");
  CHECK(s.crown_jewels == 1);
  CHECK(s.tier_zero == 1);

  const std::string pod_id = "k8s:pod/test-app/app-monitors-client-78cb6d7899-j2rjp", sa = "k8s:sa/test-app/app-monitors";
  const node& p = t[t.at(pod_id)];
  CHECK(p.kind == node_kind::container);
  CHECK(p.entry_point);
  CHECK(p.properties["exposed"] ==
        nlohmann::json{"hostPort 9200/TCP", "hostPort 9300/TCP", "EndpointSlice test-app/app-monitors-client-kmwfp"});
  CHECK(p.properties["node"] == "test-node.ec2.internal");
  SUBCASE("the invalid ClusterRoleBinding names the ClusterRole test-reader; the RoleBinding the Role") {
    check_edge(t, sa, "k8s:clusterrole/test-reader", edge_kind::can_assume_role, 1.0);
    check_edge(t, sa, "k8s:role/test-app/test-reader", edge_kind::can_assume_role, 1.0);
    CHECK(out_ids(t, "k8s:clusterrole/test-reader").empty());  // get/list pods, statefulsets, configmaps: no attack
    CHECK(out_ids(t, "k8s:role/test-app/test-reader").empty());
  }
  SUBCASE("the pod's token is its service account's; its node is a placeholder") {
    check_edge(t, pod_id, sa, edge_kind::uses_credential, 1.0);
    check_edge(t, "k8s:node/test-node.ec2.internal", pod_id, edge_kind::admin_to, 0.95);
    CHECK(t[t.at("k8s:node/test-node.ec2.internal")].properties["placeholder"] == true);
    CHECK(t[t.at(sa)].properties["placeholder"] == true);
    CHECK(out_ids(t, "k8s:node/node-1").empty());
    CHECK(t[t.at("k8s:node/node-1")].properties["addresses"] == nlohmann::json{"InternalIP 192.168.1.10", "Hostname node-1.example.com"});
    CHECK(t[t.at("k8s:cluster")].crown_jewel);
  }
  SUBCASE("the same folders read again add only duplicates") {
    kubernetes_importer twice;
    add_inputs(twice, {root, root / "namespace-1", root / "namespace-2", root, root / "namespace-1"});
    const auto [t2, s2] = std::move(twice).finish();
    CHECK(t2.num_nodes() == 7);
    CHECK(t2.num_edges() == 4);
    CHECK(s2.records_by_type.at("duplicates (first kept)") == 10);
  }
}

TEST_CASE("bindings: subjects reach permission sets, scoped by the binding") {
  const auto [t, s] = import_k8s(list({role("app", "reader", rule(R"("get")", R"("pods")")), cluster_role("viewer", rule(R"("get")", R"("pods")")),
                                       binding("app", "rb1", "Role", "reader", sa_subject("app", "web") + "," + R"({"kind":"ServiceAccount","name":"db"})"),
                                       binding("app", "rb2", "ClusterRole", "viewer", group_subject("devs")),
                                       cluster_binding("crb", "viewer", user_subject("alice")),
                                       binding("app", "rb3", "Role", "reader", sa_subject("app", "web")),
                                       binding("app", "rb4", "Role", "missing", user_subject("bob"))}));
  check_edge(t, "k8s:sa/app/web", "k8s:role/app/reader", edge_kind::can_assume_role, 1.0);
  check_edge(t, "k8s:sa/app/db", "k8s:role/app/reader", edge_kind::can_assume_role, 1.0);  // namespace from the binding
  check_edge(t, "k8s:group/devs", "k8s:clusterrole/app/viewer", edge_kind::can_assume_role, 1.0);  // a ClusterRole in one namespace
  check_edge(t, "k8s:user/alice", "k8s:clusterrole/viewer", edge_kind::can_assume_role, 1.0);
  check_edge(t, "k8s:user/bob", "k8s:role/app/missing", edge_kind::can_assume_role, 1.0);
  CHECK(t[t.at("k8s:role/app/missing")].properties["placeholder"] == true);
  CHECK(t[t.at("k8s:clusterrole/app/viewer")].name == "ClusterRole viewer in app");
  CHECK(s.duplicate_edges == 1);  // web bound to reader twice
  CHECK(s.edges_by_kind == name_counts{{"ClusterRoleBinding", 1}, {"RoleBinding", 4}});
  CHECK(s.records_by_type.at("not read, referenced: Role") == 1);
  CHECK(s.records_by_type.at("not read, referenced: ServiceAccount") == 2);
  CHECK(s.entry_points == 2);  // alice and bob: people named in bindings
}

TEST_CASE("cluster-admin is tier zero; bound in one namespace it is that namespace's admin") {
  SUBCASE("cluster-wide") {
    const auto [t, s] = import_k8s(cluster_with({cluster_role("everything", rule(R"("*")", R"("*")", R"("*")")),
                                                 cluster_binding("b", "everything", user_subject("root") + "," + group_subject("admins")),
                                                 cluster_binding("b2", "cluster-admin", sa_subject("app", "web"))}));
    check_edge(t, "k8s:clusterrole/everything", "k8s:cluster", edge_kind::tier_zero_of, 1.0);
    CHECK(out_ids(t, "k8s:clusterrole/everything") == std::vector<std::string>{"k8s:cluster"});  // paths end in tier zero
    CHECK(*t[t.at("k8s:clusterrole/everything")].tier_zero == "allows everything cluster-wide (cluster-admin)");
    CHECK(*t[t.at("k8s:user/root")].tier_zero == "bound to k8s:clusterrole/everything");
    CHECK(!t[t.at("k8s:user/root")].entry_point);  // never an entry point
    CHECK(t[t.at("k8s:group/admins")].tier_zero);
    // The built-in cluster-admin, known without its object.
    check_edge(t, "k8s:clusterrole/cluster-admin", "k8s:cluster", edge_kind::tier_zero_of, 1.0);
    CHECK(t[t.at("k8s:clusterrole/cluster-admin")].properties["builtin"] == true);
    CHECK(s.assumptions == name_counts{{"ClusterRole cluster-admin not read: the built-in one (* on *)", 1}});
    CHECK(t[t.at("k8s:sa/app/web")].tier_zero);
    CHECK(!t[t.at("k8s:pod/app/web-1")].tier_zero);
    CHECK(s.tier_zero == 6);  // cluster, 2 sets, root, admins, web
    CHECK(s.tier_zero_principals == 5);  // all but the cluster
    // Each tier-zero node but the cluster has its one edge to it, the only one between them.
    for (const char* v : {"k8s:clusterrole/everything", "k8s:clusterrole/cluster-admin", "k8s:user/root", "k8s:group/admins", "k8s:sa/app/web"}) {
      CAPTURE(v);
      check_edge(t, v, "k8s:cluster", edge_kind::tier_zero_of, 1.0);
      std::size_t to_cluster = 0;
      for (auto uv : t.out_edges(t.at(v))) to_cluster += t.id(t.target(uv)) == "k8s:cluster";
      CHECK(to_cluster == 1);
    }
    check_edge(t, "k8s:user/root", "k8s:clusterrole/everything", edge_kind::can_assume_role, 1.0);  // the binding stays
    CHECK(out_ids(t, "k8s:cluster").empty());
    CHECK(s.derived_by_kind.at("TierZeroOf") == 5);
    CHECK(s.edges_by_kind.at("TierZeroOf") == 5);
  }
  SUBCASE("in one namespace") {
    const twin t = import_k8s(cluster_with({binding("app", "b", "ClusterRole", "cluster-admin", user_subject("mallory"))})).twin;
    const std::string set = "k8s:clusterrole/app/cluster-admin";
    CHECK(!t[t.at(set)].tier_zero);
    check_no_edge(t, set, "k8s:cluster");
    CHECK(out_ids(t, set) == std::vector<std::string>{"k8s:any-node", "k8s:pods/app", "k8s:sa-tokens/app"});  // no self-granting: it has all
    CHECK(t[t.at("k8s:user/mallory")].entry_point);
  }
  SUBCASE("system:masters") {
    const twin t = import_k8s(list({cluster_binding("b", "view", group_subject("system:masters"))})).twin;
    check_edge(t, "k8s:group/system:masters", "k8s:cluster", edge_kind::tier_zero_of, 1.0);
    CHECK(out_ids(t, "k8s:group/system:masters") == std::vector<std::string>{"k8s:cluster", "k8s:clusterrole/view"});
    CHECK(t[t.at("k8s:group/system:masters")].tier_zero);
  }
}

TEST_CASE("the way in runs through a tier-zero service account into the cluster, as `twinrisk paths` asks") {
  // `twinrisk paths` ends a path where it enters tier zero (edges_inside_tier_zero left out): the
  // service account bound to cluster-admin reaches the cluster through its own TierZeroOf edge,
  // not through its binding.
  const auto [t, s] = import_k8s(list({k8s_node("n1"), service_account("app", "web"), service_account("app", "admin"),
                                       pod("app", "web-1", "n1", "web", "", R"(,"ports":[{"containerPort":80,"hostPort":8080}])"),
                                       role("app", "deployer", rule(R"("create")", R"("pods")")),
                                       binding("app", "deploy", "Role", "deployer", sa_subject("app", "web")),
                                       cluster_binding("admin", "cluster-admin", sa_subject("app", "admin"))}));
  REQUIRE(t.entry_points().size() == 1);
  const std::vector<std::size_t> inside = edges_inside_tier_zero(t);
  CHECK(inside.size() == 1);  // admin -> its cluster-admin set
  const paths_result found = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t),
                                                   {.k = 5, .excluded_edges = inside});
  REQUIRE(found.paths.size() == 1);
  std::vector<std::string> ids;
  for (std::size_t v : found.paths[0].vertices) ids.push_back(t.id(v));
  CHECK(ids == std::vector<std::string>{"k8s:pod/app/web-1", "k8s:sa/app/web", "k8s:role/app/deployer", "k8s:sa-tokens/app", "k8s:sa/app/admin",
                                        "k8s:cluster"});
  CHECK(found.paths[0].probability == doctest::Approx(0.95).epsilon(1e-12));  // POD_CREATE; the rest 1
  std::vector<edge_kind> last;  // the edge into the cluster
  for (auto uv : t.in_edges(t.at("k8s:cluster")))
    if (t.edge_index(uv) == found.paths[0].edges.back()) last.push_back(t[uv].kind);
  CHECK(last == std::vector<edge_kind>{edge_kind::tier_zero_of});
}

TEST_CASE("ROLE_BIND: bind or escalate lets a role grant itself anything") {
  const std::string rbac = R"("rbac.authorization.k8s.io")";
  SUBCASE("cluster-wide bind on clusterroles and create clusterrolebindings: the cluster") {
    const twin t = granted(rule(R"("bind")", R"("clusterroles")", rbac) + "," + rule(R"("create")", R"("clusterrolebindings")", rbac), true);
    check_edge(t, "k8s:clusterrole/r", "k8s:cluster", edge_kind::modify_policy, 0.9);
  }
  SUBCASE("cluster-wide escalate and update on clusterroles: the cluster") {
    const twin t = granted(rule(R"("escalate","update")", R"("clusterroles")", rbac), true);
    check_edge(t, "k8s:clusterrole/r", "k8s:cluster", edge_kind::modify_policy, 0.9);
  }
  SUBCASE("bind without a binding to write, or only on some roles: nothing") {
    CHECK(out_ids(granted(rule(R"("bind")", R"("clusterroles")", rbac), true), "k8s:clusterrole/r").empty());
    CHECK(out_ids(granted(rule(R"("bind")", R"("clusterroles")", rbac, R"("view")") + "," + rule(R"("create")", R"("clusterrolebindings")", rbac), true),
                  "k8s:clusterrole/r")
              .empty());
  }
  SUBCASE("in a namespace: that namespace's admin, which reaches what anything in it reaches") {
    const twin t = granted(rule(R"("bind")", R"("roles")", rbac) + "," + rule(R"("create")", R"("rolebindings")", rbac), false);
    check_edge(t, "k8s:role/app/r", "k8s:namespace-admin/app", edge_kind::modify_policy, 0.9);
    CHECK(out_ids(t, "k8s:role/app/r") == std::vector<std::string>{"k8s:namespace-admin/app"});
    CHECK(out_ids(t, "k8s:namespace-admin/app") == std::vector<std::string>{"k8s:any-node", "k8s:pods/app", "k8s:sa-tokens/app"});
    check_edge(t, "k8s:namespace-admin/app", "k8s:pods/app", edge_kind::run_command, 0.95);
    CHECK(out_ids(t, "k8s:pods/app") == std::vector<std::string>{"k8s:pod/app/db-1", "k8s:pod/app/web-1"});
    check_edge(t, "k8s:pods/app", "k8s:pod/app/db-1", edge_kind::admin_to, 1.0);
  }
  SUBCASE("cluster-wide bind with rolebindings only: every namespace's admin") {
    const twin t = granted(rule(R"("bind")", R"("clusterroles")", rbac) + "," + rule(R"("create")", R"("rolebindings")", rbac), true);
    CHECK(out_ids(t, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:namespace-admin/app", "k8s:namespace-admin/other"});
  }
  SUBCASE("a Role escalates itself; a ClusterRole bound in a namespace cannot edit itself") {
    const std::string rules = rule(R"("escalate","patch")", R"("roles")", rbac);
    check_edge(granted(rules, false), "k8s:role/app/r", "k8s:namespace-admin/app", edge_kind::modify_policy, 0.9);
    const twin t = import_k8s(cluster_with({cluster_role("r", rules), binding("app", "b", "ClusterRole", "r", user_subject("mallory"))})).twin;
    CHECK(out_ids(t, "k8s:clusterrole/app/r").empty());
  }
}

TEST_CASE("IDENTITY_IMPERSONATE: users, groups (with a user), service accounts") {
  const std::string others = "," + cluster_binding("x", "view", user_subject("alice") + "," + user_subject("bob") + "," + group_subject("ops") + "," +
                                                              group_subject("system:masters"));
  auto with = [&](const std::string& rules, bool cluster) {
    const std::string bound = cluster ? cluster_role("r", rules) + "," + cluster_binding("b", "r", user_subject("mallory"))
                                      : role("app", "r", rules) + "," + binding("app", "b", "Role", "r", user_subject("mallory"));
    return import_k8s(cluster_with({bound + others})).twin;
  };
  SUBCASE("any user; only the users named") {
    const twin t = with(rule(R"("impersonate")", R"("users")"), true);
    for (const char* u : {"k8s:user/alice", "k8s:user/bob"}) check_edge(t, "k8s:clusterrole/r", u, edge_kind::can_assume_role, 0.95);
    check_no_edge(t, "k8s:clusterrole/r", "k8s:cluster");  // no group impersonation
    const twin named = with(rule(R"("impersonate")", R"("users")", R"("")", R"("bob")"), true);
    CHECK(out_ids(named, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:user/bob"});
  }
  SUBCASE("groups with a user: system:masters, so the cluster; without a user, nothing") {
    const twin t = with(rule(R"("impersonate")", R"("users","groups")"), true);
    check_edge(t, "k8s:clusterrole/r", "k8s:cluster", edge_kind::generic_all, 0.95);
    CHECK(out_ids(with(rule(R"("impersonate")", R"("groups")"), true), "k8s:clusterrole/r").empty());
    const twin ops = with(rule(R"("impersonate")", R"("users")", R"("")", R"("bob")") + "," + rule(R"("impersonate")", R"("groups")", R"("")", R"("ops")"), true);
    CHECK(out_ids(ops, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:group/ops", "k8s:user/bob"});
  }
  SUBCASE("users are cluster-scoped: a Role's impersonate users does nothing") {
    CHECK(out_ids(with(rule(R"("impersonate")", R"("users","groups")"), false), "k8s:role/app/r").empty());
  }
  SUBCASE("service accounts of the namespace: any, or the named") {
    const twin t = with(rule(R"("impersonate")", R"("serviceaccounts")"), false);
    check_edge(t, "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::can_assume_role, 0.95);
    check_edge(t, "k8s:sa-tokens/app", "k8s:sa/app/db", edge_kind::uses_credential, 1.0);
    const twin named = with(rule(R"("impersonate")", R"("serviceaccounts")", R"("")", R"("db")"), false);
    CHECK(out_ids(named, "k8s:role/app/r") == std::vector<std::string>{"k8s:sa/app/db"});
  }
}

TEST_CASE("POD_CREATE, TOKEN_REQUEST, TOKEN_LIST, TOKEN_BRUTEFORCE: the namespace's service account tokens") {
  SUBCASE("create pods: every token of the namespace, and any node through a privileged pod") {
    const twin t = granted(rule(R"("create")", R"("pods")"), false);
    CHECK(out_ids(t, "k8s:role/app/r") == std::vector<std::string>{"k8s:any-node", "k8s:sa-tokens/app"});
    check_edge(t, "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::pass_role, 0.95);
    check_edge(t, "k8s:role/app/r", "k8s:any-node", edge_kind::admin_to, 0.8);
    CHECK(out_ids(t, "k8s:sa-tokens/app") == std::vector<std::string>{"k8s:sa/app/db", "k8s:sa/app/web"});
    check_edge(t, "k8s:any-node", "k8s:node/n1", edge_kind::admin_to, 1.0);
    CHECK(t[t.at("k8s:sa-tokens/app")].kind == node_kind::credential);
    CHECK(t.info().metadata["import"]["assumptions"] ==
          nlohmann::json{{"privileged pods admitted where pods may be created (Pod Security not read)", 1}});
  }
  SUBCASE("workloads make pods: apps deployments, batch cronjobs; not in the wrong API group") {
    CHECK(out_ids(granted(rule(R"("create")", R"("deployments")", R"("apps")"), false), "k8s:role/app/r").size() == 2);
    CHECK(out_ids(granted(rule(R"("create")", R"("cronjobs")", R"("batch")"), false), "k8s:role/app/r").size() == 2);
    CHECK(out_ids(granted(rule(R"("create")", R"("deployments")"), false), "k8s:role/app/r").empty());
    CHECK(out_ids(granted(rule(R"("get","list","watch")", R"("pods")"), false), "k8s:role/app/r").empty());
  }
  SUBCASE("cluster-wide: every namespace, through the cluster-wide hub") {
    const twin t = granted(rule(R"("create")", R"("pods")"), true);
    CHECK(out_ids(t, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:any-node", "k8s:sa-tokens"});
    CHECK(out_ids(t, "k8s:sa-tokens") == std::vector<std::string>{"k8s:sa-tokens/app", "k8s:sa-tokens/other"});
    check_edge(t, "k8s:sa-tokens", "k8s:sa-tokens/other", edge_kind::uses_credential, 1.0);
  }
  SUBCASE("token requests: any, or the named service account") {
    check_edge(granted(rule(R"("create")", R"("serviceaccounts/token")"), false), "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::create_credential, 0.95);
    const twin named = granted(rule(R"("create")", R"("serviceaccounts/token")", R"("")", R"("web")"), false);
    CHECK(out_ids(named, "k8s:role/app/r") == std::vector<std::string>{"k8s:sa/app/web"});
    check_edge(named, "k8s:role/app/r", "k8s:sa/app/web", edge_kind::create_credential, 0.95);
    CHECK(out_ids(granted(rule(R"("create")", R"("serviceaccounts")"), false), "k8s:role/app/r").empty());
  }
  SUBCASE("secrets: list 0.6, get 0.3, both the higher; named secrets nothing") {
    check_edge(granted(rule(R"("list")", R"("secrets")"), false), "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::can_access, 0.6);
    check_edge(granted(rule(R"("watch")", R"("secrets")"), false), "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::can_access, 0.6);
    check_edge(granted(rule(R"("get")", R"("secrets")"), false), "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::can_access, 0.3);
    check_edge(granted(rule(R"("get","list")", R"("secrets")"), false), "k8s:role/app/r", "k8s:sa-tokens/app", edge_kind::can_access, 0.6);
    CHECK(out_ids(granted(rule(R"("get")", R"("secrets")", R"("")", R"("tls")"), false), "k8s:role/app/r").empty());
    CHECK(out_ids(granted(rule(R"("list")", R"("configmaps")"), false), "k8s:role/app/r").empty());
  }
}

TEST_CASE("POD_EXEC, POD_API_ATTACH, POD_DEBUG, POD_PATCH, NODES_PROXY: running pods") {
  SUBCASE("exec: every pod of the namespace; by name; by */exec; not with get") {
    const twin t = granted(rule(R"("create")", R"("pods/exec")"), false);
    CHECK(out_ids(t, "k8s:role/app/r") == std::vector<std::string>{"k8s:pods/app"});
    check_edge(t, "k8s:role/app/r", "k8s:pods/app", edge_kind::run_command, 0.95);
    CHECK(out_ids(t, "k8s:pods/app") == std::vector<std::string>{"k8s:pod/app/db-1", "k8s:pod/app/web-1"});
    const twin named = granted(rule(R"("create")", R"("pods/exec")", R"("")", R"("web-1","gone")"), false);
    CHECK(out_ids(named, "k8s:role/app/r") == std::vector<std::string>{"k8s:pod/app/web-1"});
    check_edge(named, "k8s:role/app/r", "k8s:pod/app/web-1", edge_kind::run_command, 0.95);
    CHECK(out_ids(granted(rule(R"("*")", R"("*/exec")"), false), "k8s:role/app/r") == std::vector<std::string>{"k8s:pods/app"});
    CHECK(out_ids(granted(rule(R"("get")", R"("pods/exec")"), false), "k8s:role/app/r").empty());
    CHECK(out_ids(granted(rule(R"("create")", R"("pods/*")"), false), "k8s:role/app/r").empty());  // not RBAC syntax
    const twin cluster = granted(rule(R"("create")", R"("pods/exec")"), true);
    CHECK(out_ids(cluster, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:pods"});
    CHECK(out_ids(cluster, "k8s:pods") == std::vector<std::string>{"k8s:pods/app", "k8s:pods/other"});
  }
  SUBCASE("attach only where a container keeps stdin open, and exec does not reach it already") {
    const twin t = granted(rule(R"("create")", R"("pods/attach")"), false);
    CHECK(out_ids(t, "k8s:role/app/r") == std::vector<std::string>{"k8s:pod/app/db-1"});
    check_edge(t, "k8s:role/app/r", "k8s:pod/app/db-1", edge_kind::run_command, 0.9);
    CHECK(out_ids(granted(rule(R"("create")", R"("pods/attach","pods/exec")"), false), "k8s:role/app/r") == std::vector<std::string>{"k8s:pods/app"});
  }
  SUBCASE("ephemeral containers and patch") {
    check_edge(granted(rule(R"("patch")", R"("pods/ephemeralcontainers")"), false), "k8s:role/app/r", "k8s:pods/app", edge_kind::run_command, 0.85);
    check_edge(granted(rule(R"("update")", R"("pods")"), false), "k8s:role/app/r", "k8s:pods/app", edge_kind::run_command, 0.6);
    check_edge(granted(rule(R"("patch")", R"("pods")", R"("")", R"("db-1")"), false), "k8s:role/app/r", "k8s:pod/app/db-1", edge_kind::run_command, 0.6);
    check_edge(granted(rule(R"("create")", R"("pods/exec")") + "," + rule(R"("patch")", R"("pods")"), false), "k8s:role/app/r",
               "k8s:pods/app", edge_kind::run_command, 0.95);  // the stronger right
  }
  SUBCASE("nodes/proxy: every pod of the allowed nodes, cluster-wide only") {
    const twin t = granted(rule(R"("get")", R"("nodes/proxy")"), true);
    CHECK(out_ids(t, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:pods"});
    check_edge(t, "k8s:clusterrole/r", "k8s:pods", edge_kind::run_command, 0.9);
    const twin named = granted(rule(R"("get")", R"("nodes/proxy")", R"("")", R"("n1")"), true);
    CHECK(out_ids(named, "k8s:clusterrole/r") == std::vector<std::string>{"k8s:pod/app/db-1", "k8s:pod/app/web-1", "k8s:pod/other/ops-1"});
    check_edge(named, "k8s:clusterrole/r", "k8s:pod/other/ops-1", edge_kind::run_command, 0.9);
    CHECK(out_ids(granted(rule(R"("get")", R"("nodes/proxy")", R"("")", R"("n2")"), true), "k8s:clusterrole/r").empty());
    CHECK(out_ids(granted(rule(R"("get")", R"("nodes/proxy")"), false), "k8s:role/app/r").empty());
  }
}

TEST_CASE("pods: their service account's token, their node, the node's pods") {
  const std::string sa_off = service_account("app", "quiet", R"(,"automountServiceAccountToken":false)");
  const auto [t, s] = import_k8s(list({k8s_node("n1"), k8s_node("cp", R"({"node-role.kubernetes.io/control-plane":""})"), sa_off,
                                       pod("app", "plain", "n1", "web"), pod("app", "no-token", "n1", "web", R"(,"automountServiceAccountToken":false)"),
                                       pod("app", "sa-off", "n1", "quiet"), pod("app", "sa-off-pod-on", "n1", "quiet", R"(,"automountServiceAccountToken":true)"),
                                       pod("app", "projected", "n1", "quiet",
                                           R"(,"volumes":[{"name":"t","projected":{"sources":[{"serviceAccountToken":{"path":"token"}}]}}])"),
                                       pod("app", "on-cp", "cp", "web")}));
  check_edge(t, "k8s:pod/app/plain", "k8s:sa/app/web", edge_kind::uses_credential, 1.0);
  check_no_edge(t, "k8s:pod/app/no-token", "k8s:sa/app/web");
  check_no_edge(t, "k8s:pod/app/sa-off", "k8s:sa/app/quiet");
  check_edge(t, "k8s:pod/app/sa-off-pod-on", "k8s:sa/app/quiet", edge_kind::uses_credential, 1.0);
  check_edge(t, "k8s:pod/app/projected", "k8s:sa/app/quiet", edge_kind::uses_credential, 1.0);
  check_edge(t, "k8s:node/n1", "k8s:pod/app/plain", edge_kind::admin_to, 0.95);
  check_no_edge(t, "k8s:pod/app/plain", "k8s:node/n1");  // no way out
  check_edge(t, "k8s:node/cp", "k8s:cluster", edge_kind::tier_zero_of, 1.0);
  check_edge(t, "k8s:pod/app/on-cp", "k8s:sa/app/web", edge_kind::uses_credential, 1.0);
  CHECK(!t[t.at("k8s:pod/app/on-cp")].tier_zero);  // runs on a tier-zero node, is not tier zero itself
  CHECK(*t[t.at("k8s:node/cp")].tier_zero == "control-plane node (etcd, the cluster's keys)");
  CHECK(!t[t.at("k8s:node/n1")].tier_zero);
  CHECK(s.entry_points == 0);  // nothing exposed, no users
}

TEST_CASE("container escapes: the most probable way out to the node") {
  auto escape = [](const std::string& spec, const std::string& container) -> std::optional<edge> {
    const twin t = import_k8s(list({pod("app", "p", "n1", "web", spec, container)})).twin;
    return edge_between(t, "k8s:pod/app/p", "k8s:node/n1");
  };
  auto p = [&](const std::string& spec, const std::string& container = "") {
    const auto e = escape(spec, container);
    if (e) CHECK(e->kind == edge_kind::admin_to);
    return e ? e->probability : 0.0;
  };
  const std::string privileged = R"(,"securityContext":{"privileged":true})";
  auto host_path = [](const std::string& path) {
    return R"(,"volumes":[{"name":"h","hostPath":{"path":")" + path + R"("}}])";
  };
  auto mount = [](bool read_only) { return std::string(R"(,"volumeMounts":[{"name":"h","mountPath":"/h","readOnly":)") + (read_only ? "true" : "false") + "}]"; };
  CHECK(p("") == 0.0);
  CHECK(p("", privileged) == 0.95);
  CHECK(p(R"(,"hostPID":true)", privileged) == 0.95);
  CHECK(p(R"(,"hostPID":true)") == 0.2);
  CHECK(p(R"(,"hostNetwork":true)") == 0.2);
  CHECK(p(R"(,"hostPID":true)", R"(,"securityContext":{"capabilities":{"add":["SYS_PTRACE"]}})") == 0.9);
  CHECK(p("", R"(,"securityContext":{"capabilities":{"add":["SYS_PTRACE"]}})") == 0.0);  // no host PIDs to trace
  CHECK(p("", R"(,"securityContext":{"capabilities":{"add":["CAP_SYS_MODULE"]}})") == 0.9);
  CHECK(p("", R"(,"securityContext":{"capabilities":{"add":["sys_admin"]}})") == 0.6);
  CHECK(p(host_path("/"), mount(false)) == 0.9);
  CHECK(p(host_path("/var/lib/kubelet/pods/"), mount(true)) == 0.6);
  CHECK(p(host_path("/var"), mount(true)) == 0.6);  // above the kubelet's state
  CHECK(p(host_path("/var/log"), mount(false)) == 0.0);
  CHECK(p(host_path("/data/cache"), mount(false)) == 0.0);
  CHECK(p(host_path("/run/containerd/containerd.sock"), mount(true)) == 0.95);
  CHECK(p(host_path("/"), "") == 0.0);  // a volume no container mounts
  const twin t = import_k8s(list({pod("app", "p", "n1", "web", R"(,"hostPID":true)", privileged)})).twin;
  CHECK(t.num_edges() == 3);  // node -> pod, pod -> node, pod -> sa
  const auto s = import_k8s(list({pod("app", "p", "n1", "web", R"(,"hostPID":true)", privileged)})).summary;
  CHECK(s.derived_by_kind == name_counts{{"CE_NSENTER", 1}, {"IDENTITY_ASSUME", 1}, {"POD_ATTACH", 1}});
}

TEST_CASE("implicit groups: service accounts and users are members without a binding") {
  const twin t = import_k8s(list({service_account("app", "web"), service_account("other", "ops"),
                                  cluster_binding("b", "view", group_subject("system:serviceaccounts:app") + "," + group_subject("system:authenticated") + "," +
                                                                   group_subject("system:unauthenticated") + "," + user_subject("system:anonymous") + "," +
                                                                   user_subject("alice"))}))
                      .twin;
  check_edge(t, "k8s:sa/app/web", "k8s:group/system:serviceaccounts:app", edge_kind::member_of, 1.0);
  check_no_edge(t, "k8s:sa/other/ops", "k8s:group/system:serviceaccounts:app");
  check_edge(t, "k8s:sa/other/ops", "k8s:group/system:authenticated", edge_kind::member_of, 1.0);
  check_edge(t, "k8s:user/alice", "k8s:group/system:authenticated", edge_kind::member_of, 1.0);
  check_edge(t, "k8s:user/system:anonymous", "k8s:group/system:unauthenticated", edge_kind::member_of, 1.0);
  SUBCASE("a tier-zero group makes its implicit members tier zero") {
    const twin t0 = import_k8s(list({service_account("app", "web"), cluster_binding("b", "cluster-admin", group_subject("system:serviceaccounts"))})).twin;
    CHECK(*t0[t0.at("k8s:sa/app/web")].tier_zero == "member of k8s:group/system:serviceaccounts");
  }
}

TEST_CASE("entry points: reachable pods, people, anonymous access; never tier zero") {
  const std::string items = list({pod("app", "host-port", "n1", "web", "", R"(,"ports":[{"containerPort":80,"hostPort":8080}])"),
                                  pod("app", "host-net", "n1", "web", R"(,"hostNetwork":true)", R"(,"ports":[{"containerPort":53,"protocol":"UDP"}])"),
                                  pod("app", "served", "n1", "web"), pod("app", "internal", "n1", "web", "", R"(,"ports":[{"containerPort":80}])"),
                                  R"({"kind":"EndpointSlice","metadata":{"name":"s","namespace":"app"},"endpoints":[{"addresses":["10.0.0.1"],"targetRef":{"kind":"Pod","name":"served"}}]})",
                                  cluster_binding("b", "view", user_subject("alice") + "," + user_subject("system:kube-proxy") + "," +
                                                                   user_subject("system:anonymous") + "," + group_subject("devs")),
                                  cluster_binding("a", "cluster-admin", user_subject("root"))});
  SUBCASE("the default rule") {
    const auto [t, s] = import_k8s(items);
    std::vector<std::string> entries;
    for (auto v : t.entry_points()) entries.push_back(t.id(v));
    std::sort(entries.begin(), entries.end());
    CHECK(entries == std::vector<std::string>{"k8s:pod/app/host-net", "k8s:pod/app/host-port", "k8s:pod/app/served", "k8s:user/alice",
                                              "k8s:user/system:anonymous"});
    CHECK(t[t.at("k8s:pod/app/host-net")].properties["exposed"] == nlohmann::json{"hostNetwork 53/UDP"});
    CHECK(entries_are_alternatives(t.info().metadata));
  }
  SUBCASE("exposed pods only") {
    const auto [t, s] = import_k8s(items, {.entry = kubernetes_entry_rule::exposed_pods});
    CHECK(s.entry_points == 3);
    CHECK(s.entry_rule == "exposed-pods");
  }
  SUBCASE("owned, by id or name, tier zero included") {
    const auto [t, s] = import_k8s(items, {.entry = kubernetes_entry_rule::owned, .owned = {"k8s:user/root", "APP/INTERNAL"}});
    CHECK(s.entry_points == 2);
    CHECK(t[t.at("k8s:pod/app/internal")].entry_point);
    CHECK(!entries_are_alternatives(t.info().metadata));
    CHECK_THROWS_WITH_AS((void)import_k8s(items, {.entry = kubernetes_entry_rule::owned, .owned = {"nobody"}}),
                         "owned: no object has the id or name 'nobody'", input_error);
  }
}

TEST_CASE("probabilities: overridden by attack name") {
  const twin t = import_k8s(cluster_with({role("app", "r", rule(R"("create")", R"("pods")")), binding("app", "b", "Role", "r", user_subject("mallory"))}),
                            {.probabilities = {{"POD_CREATE_PRIVILEGED", 0.1}, {"SA_TOKEN", 0.5}}})
                     .twin;
  check_edge(t, "k8s:role/app/r", "k8s:any-node", edge_kind::admin_to, 0.1);
  check_edge(t, "k8s:sa-tokens/app", "k8s:sa/app/web", edge_kind::uses_credential, 0.5);
  CHECK_THROWS_WITH_AS(kubernetes_importer({.probabilities = {{"POD_EXECUTE", 0.5}}}),
                       "probabilities/POD_EXECUTE: unknown attack 'POD_EXECUTE'; expected 'POD_EXEC', 'POD_CREATE' or 'POD_DEBUG'", input_error);
  CHECK_THROWS_WITH_AS(kubernetes_importer({.probabilities = {{"POD_EXEC", 1.5}}}), "probabilities/POD_EXEC: expected a probability in [0,1], got 1.5",
                       input_error);
}

TEST_CASE("inputs: one object, a typed list without item kinds, unknown kinds, fields not read") {
  SUBCASE("one object") {
    const auto [t, s] = import_k8s(pod("app", "p", "n1", "web"));
    CHECK(s.records_by_type.at("Pod") == 1);
    CHECK(t.find("k8s:pod/app/p"));
  }
  SUBCASE("the API's PodList: items without kind") {
    const auto [t, s] = import_k8s(R"({"items":[{"metadata":{"name":"p","namespace":"app"},"spec":{}}],"kind":"PodList","apiVersion":"v1","extra":1})");
    CHECK(t.find("k8s:pod/app/p"));
    CHECK(s.fields_not_read == name_counts{{"extra", 1}});
    CHECK(t[t.at("k8s:pod/app/p")].properties["service_account"] == "default");
  }
  SUBCASE("kinds not read, non-resource URLs and aggregation rules") {
    const auto [t, s] = import_k8s(list({R"({"kind":"ConfigMap","metadata":{"name":"c","namespace":"app"}})", R"({"kind":"Secret","metadata":{}})",
                                         R"({"kind":"ClusterRole","metadata":{"name":"agg"},"aggregationRule":{},"rules":null})",
                                         R"({"kind":"ClusterRole","metadata":{"name":"health"},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]})"}));
    CHECK(s.records == 4);
    CHECK(s.unknown_types == name_counts{{"ConfigMap", 1}, {"Secret", 1}});
    CHECK(s.fields_not_read == name_counts{{"aggregationRule", 1}, {"rules/nonResourceURLs", 1}});
  }
}

TEST_CASE("malformed input: the file, the JSON pointer and what was expected") {
  auto fails_with = [](const std::string& text, const std::string& message) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS((void)import_k8s(text), message.c_str(), input_error);
  };
  fails_with("{\"items\": [\n  {\"kind\": }", "k.json:2:12: malformed JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal");
  fails_with("", "k.json:1:1: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  fails_with("[1]", "k.json: expected a Kubernetes object or a List of them (an object with \"items\"), got an array");
  fails_with("{\"apiVersion\":\"v1\"}", "k.json: expected a Kubernetes object (with \"kind\") or a List of them (with \"items\")");
  fails_with("{\"items\":{}}", "k.json: /items: expected an array of objects, got an object");
  fails_with(list({"7"}), "k.json: /items/0: expected an object, got 7");
  fails_with(list({R"({"metadata":{"name":"x"}})"}), "k.json: /items/0: missing required member 'kind'");
  fails_with(list({R"({"kind":"Pod","spec":{}})"}), "k.json: /items/0: missing required member 'metadata'");
  fails_with(list({R"({"kind":"Pod","metadata":{"name":""},"spec":{}})"}), "k.json: /items/0/metadata/name: expected the name of the Pod");
  fails_with(list({R"({"kind":"Role","metadata":{"name":"r"}})"}),
             "k.json: /items/0/metadata/namespace: expected the namespace of the Role (kubectl writes it)");
  fails_with(list({R"({"kind":"Pod","metadata":{"name":"p","namespace":"a"}})"}), "k.json: /items/0: missing required member 'spec'");
  fails_with(list({role("a", "r", R"({"apiGroups":[""],"resources":["pods"],"verbs":["get",7]})")}),
             "k.json: /items/0/rules/0/verbs/1: expected a string, got 7");
  fails_with(list({role("a", "r", R"({"apiGroups":[""],"resources":"pods","verbs":["get"]})")}),
             "k.json: /items/0/rules/0/resources: expected an array, got \"pods\"");
  fails_with(list({R"({"kind":"RoleBinding","metadata":{"name":"b","namespace":"a"},"subjects":[]})"}),
             "k.json: /items/0: missing required member 'roleRef'");
  fails_with(list({binding("a", "b", "Group", "r", "")}), "k.json: /items/0/roleRef/kind: expected \"Role\" or \"ClusterRole\", got \"Group\"");
  fails_with(list({binding("a", "b", "Role", "r", R"({"kind":"Robot","name":"x"})")}),
             "k.json: /items/0/subjects/0/kind: expected \"User\", \"Group\" or \"ServiceAccount\", got \"Robot\"");
  fails_with(list({cluster_binding("b", "r", R"({"kind":"ServiceAccount","name":"x"})")}),
             "k.json: /items/0/subjects/0/namespace: expected the namespace of the service account (a ClusterRoleBinding must name it)");
  fails_with(list({pod("a", "p", "n", "s", "", R"(,"securityContext":{"privileged":"yes"})")}),
             "k.json: /items/0/spec/containers/0/securityContext/privileged: expected true or false, got \"yes\"");
  fails_with(list({pod("a", "p", "n", "s", R"(,"volumes":[{"name":"h","hostPath":{"path":1}}])")}),
             "k.json: /items/0/spec/volumes/0/hostPath/path: expected a string, got 1");
  fails_with(list({pod("a", "p", "n", "s", "", R"(,"ports":[{"hostPort":"80"}])")}),
             "k.json: /items/0/spec/containers/0/ports/0/hostPort: expected a number, got \"80\"");
  fails_with(list({R"({"kind":"EndpointSlice","metadata":{"name":"s","namespace":"a"},"endpoints":[{"targetRef":{"kind":"Pod"}}]})"}),
             "k.json: /items/0/endpoints/0/targetRef: missing required member 'name'");
  fails_with(list({R"({"kind":"Pod","metadata":{"name":"p","namespace":"a","name":"q"},"spec":{}})"}),
             "k.json: /items/0/metadata/name: duplicate key 'name' in one object");
}

TEST_CASE("scale: permission sets are evaluated per namespace, not per subject and pod") {
  // N namespaces, each with 5 service accounts, 10 pods, a Role that can exec and create pods bound
  // to every service account, and one ClusterRoleBinding of a reader to all of them.
  const std::size_t n = twinrisk_test::full_or_sanitized<std::size_t>(1000, 100);
  std::string text = R"({"kind":"List","items":[)" + k8s_node("n1") + "," + cluster_role("reader", rule(R"("get")", R"("pods")")) + "," +
                     role("x", "unused", "");
  std::string crb_subjects;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string ns = "ns" + std::to_string(i);
    std::string subjects;
    for (int k = 0; k < 5; ++k) {
      text += "," + service_account(ns, "sa" + std::to_string(k));
      subjects += (k ? "," : "") + sa_subject(ns, "sa" + std::to_string(k));
    }
    for (int k = 0; k < 10; ++k) text += "," + pod(ns, "p" + std::to_string(k), "n1", "sa" + std::to_string(k % 5));
    text += "," + role(ns, "dev", rule(R"("create")", R"("pods","pods/exec")")) + "," + binding(ns, "dev", "Role", "dev", subjects);
    crb_subjects += (i ? "," : "") + sa_subject(ns, "sa0");
  }
  text += "," + cluster_binding("readers", "reader", crb_subjects) + "]}";
  const auto start = std::chrono::steady_clock::now();
  const auto [t, s] = import_k8s(text);
  MESSAGE("imported " << s.records << " objects, " << s.edges << " edges in "
                      << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");
  CHECK(s.records == 4 + 17 * n);
  CHECK(s.nodes == 4 + n * (5 + 10 + 1 + 2));  // cluster, node, any-node, reader; per namespace SAs, pods, role, 2 hubs
  // per namespace: 5 + 1 bindings, 10 pod -> sa, 10 node -> pod, role -> 2 hubs and any node, 5 tokens hub -> sa, 10 pods hub -> pod
  CHECK(s.edges == n * (6 + 10 + 10 + 3 + 5 + 10) + 1);  // + any node -> n1
}

}  // namespace kubernetes_test
