#pragma once
// A Kubernetes cluster as `kubectl get clusterroles,clusterrolebindings,roles,rolebindings,
// serviceaccounts,pods,nodes,endpointslices -A -o json` writes it (one List, four-space indents),
// for the Kubernetes import benchmark: team namespaces of deployments whose pods carry the
// metadata, spec and status kubectl prints (owner references, probes, resources, the projected
// token volume, container statuses), their service accounts, Roles and RoleBindings, the
// EndpointSlices of their Services, and cluster-wide the built-in and operator ClusterRoles with
// their bindings. A few bindings give cluster-admin, some roles pods/exec or secrets, some pods
// are privileged, mount the runtime socket or a host folder, or use the host network.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "random_text.hpp"

namespace twinrisk_bench {

/// Writes `cluster.json`, a List of about `objects` objects, into `dir` (created); returns its size in bytes.
inline std::uintmax_t write_kubernetes_cluster(std::size_t objects, const std::filesystem::path& dir) {
  using nlohmann::json;
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "cluster.json";
  std::ofstream out(file, std::ios::binary);
  std::mt19937_64 rng(11);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto hex = [&](std::size_t n) { return random_hex(rng, n); };
  auto uid = [&] { return random_uuid(rng); };
  std::size_t version = 1000;
  auto meta = [&](const std::string& name, const std::string& ns) {
    json m{{"name", name}, {"uid", uid()}, {"resourceVersion", std::to_string(version++)}, {"creationTimestamp", "2024-03-01T10:00:00Z"}};
    if (!ns.empty()) m["namespace"] = ns;
    return m;
  };
  bool first = true;
  auto emit = [&](const json& item) {
    out << (first ? "\n" : ",\n") << item.dump(4);
    first = false;
  };
  out << "{\n    \"apiVersion\": \"v1\",\n    \"items\": [";

  // Sizes: a namespace holds ~45 objects (25 pods, 5 service accounts, 3 roles, 4 bindings, 8
  // slices); ClusterRoles and their bindings are 4% of the objects, nodes 0.4%.
  const std::size_t namespaces = std::max<std::size_t>(2, objects / 47);
  const std::size_t nodes = std::max<std::size_t>(3, objects / 250);
  const std::size_t cluster_roles = std::max<std::size_t>(20, objects / 50), cluster_bindings = cluster_roles;
  const char* verbs_read[] = {"get", "list", "watch"};
  const char* resources[] = {"configmaps", "services", "deployments", "replicasets", "ingresses", "jobs", "events", "persistentvolumeclaims",
                             "leases", "networkpolicies", "horizontalpodautoscalers", "statefulsets"};
  const char* groups[] = {"", "", "apps", "apps", "networking.k8s.io", "batch", "", "", "coordination.k8s.io", "networking.k8s.io",
                          "autoscaling", "apps"};
  auto rule = [&](json verbs, json api_groups, json res) { return json{{"apiGroups", api_groups}, {"resources", res}, {"verbs", verbs}}; };
  auto ordinary_rules = [&] {
    json rules = json::array();
    for (std::size_t r = 0, n = 2 + pick(5); r < n; ++r) {
      const std::size_t k = pick(12);
      rules.push_back(rule(pick(3) == 0 ? json{"get", "list", "watch", "create", "update", "patch", "delete"} : json(verbs_read), {groups[k]},
                           {resources[k]}));
    }
    return rules;
  };

  // ClusterRoles: the built-in ones, then operators' and teams'.
  std::vector<std::string> cluster_role_names;
  for (std::size_t i = 0; i < cluster_roles; ++i) {
    json rules;
    std::string name;
    if (i == 0) name = "cluster-admin", rules = json::array({rule({"*"}, {"*"}, {"*"})});
    else if (i == 1) name = "admin", rules = json::array({rule({"*"}, {""}, {"pods", "pods/exec", "pods/attach", "secrets", "serviceaccounts"}),
                                                         rule({"create", "update", "patch"}, {"rbac.authorization.k8s.io"}, {"rolebindings"}),
                                                         rule({"bind"}, {"rbac.authorization.k8s.io"}, {"clusterroles"})});
    else if (i == 2) name = "edit", rules = json::array({rule({"create", "delete", "patch", "update"}, {""}, {"pods", "pods/exec", "secrets"}),
                                                        rule({"create", "update", "patch"}, {"apps"}, {"deployments", "daemonsets"})});
    else if (i == 3) name = "view", rules = json::array({rule(verbs_read, {""}, {"pods", "services", "configmaps", "endpoints"})});
    else {
      name = (i % 3 == 0 ? "operator-" : i % 3 == 1 ? "system:controller:ctl-" : "team-reader-") + std::to_string(i);
      rules = ordinary_rules();
      if (pick(15) == 0) rules.push_back(rule({"get", "list"}, {""}, {"secrets"}));
      if (pick(25) == 0) rules.push_back(rule({"create"}, {""}, {"pods/exec"}));
      if (pick(40) == 0) rules.push_back(rule({"impersonate"}, {""}, {"serviceaccounts"}));
      if (pick(60) == 0) rules.push_back(rule({"get", "create"}, {""}, {"nodes/proxy"}));
    }
    json cr{{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRole"}, {"metadata", meta(name, "")}, {"rules", rules}};
    if (name.starts_with("system:")) cr["metadata"]["labels"] = {{"kubernetes.io/bootstrapping", "rbac-defaults"}};
    cr["metadata"]["annotations"] = {{"rbac.authorization.kubernetes.io/autoupdate", "true"}};
    emit(cr);
    cluster_role_names.push_back(name);
  }
  auto ns_name = [](std::size_t n) { return "team-" + std::to_string(n); };
  for (std::size_t i = 0; i < cluster_bindings; ++i) {
    json subjects = json::array();
    std::string role = cluster_role_names[3 + pick(cluster_roles - 3)];
    if (i < 3) {  // the few cluster-admin bindings of a real cluster
      role = "cluster-admin";
      subjects.push_back(i == 0 ? json{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Group"}, {"name", "system:masters"}}
                                : json{{"kind", "ServiceAccount"}, {"name", "admin-" + std::to_string(i)}, {"namespace", "kube-system"}});
    } else if (i % 4 == 0) {
      subjects.push_back({{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "User"}, {"name", "user" + std::to_string(pick(500)) + "@example.com"}});
    } else if (i % 4 == 1) {
      subjects.push_back({{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Group"}, {"name", "oidc:team-" + std::to_string(pick(100))}});
    } else {
      subjects.push_back({{"kind", "ServiceAccount"}, {"name", "operator"}, {"namespace", ns_name(pick(namespaces))}});
    }
    emit({{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRoleBinding"}, {"metadata", meta("binding-" + std::to_string(i), "")},
          {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", role}}}, {"subjects", subjects}});
  }

  // Namespaces: roles, bindings, service accounts, then the pods and slices.
  std::vector<std::string> node_names;
  for (std::size_t n = 0; n < nodes; ++n) node_names.push_back("ip-10-0-" + std::to_string(n / 250) + "-" + std::to_string(n % 250) + ".ec2.internal");
  const char* images[] = {"registry.example.com/api:1.4.2", "registry.example.com/web:2.0.1", "nginx:1.25.3", "redis:7.2", "postgres:16.1",
                          "registry.example.com/worker:0.9.8", "envoyproxy/envoy:v1.28.0", "grafana/promtail:2.9.2"};
  for (std::size_t n = 0; n < namespaces; ++n) {
    const std::string ns = ns_name(n);
    std::vector<std::string> sas{"default", "operator", "app", "ci", "monitoring"};
    for (std::size_t r = 0; r < 3; ++r) {
      json rules = ordinary_rules();
      if (r == 0 && pick(4) == 0) rules.push_back(rule({"create"}, {""}, {"pods/exec"}));
      if (r == 1 && pick(5) == 0) rules.push_back(rule({"get", "list"}, {""}, {"secrets"}));
      if (r == 2 && pick(10) == 0) rules.push_back(rule({"create"}, {""}, {"pods"}));
      emit({{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "Role"}, {"metadata", meta("role-" + std::to_string(r), ns)}, {"rules", rules}});
    }
    for (std::size_t b = 0; b < 4; ++b) {
      const bool cluster_role = b == 3;
      json subject = b == 2 ? json{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "User"}, {"name", "dev" + std::to_string(pick(2000)) + "@example.com"}}
                            : json{{"kind", "ServiceAccount"}, {"name", sas[1 + pick(4)]}, {"namespace", ns}};
      emit({{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "RoleBinding"}, {"metadata", meta("rb-" + std::to_string(b), ns)},
            {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", cluster_role ? "ClusterRole" : "Role"},
                         {"name", cluster_role ? cluster_role_names[1 + pick(3)] : "role-" + std::to_string(b)}}},
            {"subjects", {subject}}});
    }
    for (const std::string& sa : sas) {
      json item{{"apiVersion", "v1"}, {"kind", "ServiceAccount"}, {"metadata", meta(sa, ns)}};
      if (sa == "app") item["automountServiceAccountToken"] = false;
      emit(item);
    }
    std::vector<std::string> pods;
    for (std::size_t d = 0; d < 5; ++d) {
      const std::string deployment = "app-" + std::to_string(d), hash = hex(10);
      for (std::size_t p = 0; p < 5; ++p) {
        const std::string name = deployment + "-" + hash + "-" + hex(5), node = node_names[pick(nodes)];
        const std::string token_volume = "kube-api-access-" + hex(5);
        const std::size_t k = pick(8), rare = pick(200);
        json container{{"name", "main"}, {"image", images[k]}, {"imagePullPolicy", "IfNotPresent"},
                       {"ports", {{{"containerPort", 8080}, {"name", "http"}, {"protocol", "TCP"}}}},
                       {"env", {{{"name", "POD_NAMESPACE"}, {"valueFrom", {{"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", "metadata.namespace"}}}}}},
                                {{"name", "LOG_LEVEL"}, {"value", "info"}}}},
                       {"readinessProbe", {{"httpGet", {{"path", "/healthz"}, {"port", 8080}, {"scheme", "HTTP"}}}, {"periodSeconds", 10},
                                           {"failureThreshold", 3}, {"successThreshold", 1}, {"timeoutSeconds", 1}}},
                       {"resources", {{"limits", {{"cpu", "500m"}, {"memory", "512Mi"}}}, {"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}}}},
                       {"securityContext", {{"allowPrivilegeEscalation", false}, {"runAsNonRoot", true}}},
                       {"terminationMessagePath", "/dev/termination-log"}, {"terminationMessagePolicy", "File"},
                       {"volumeMounts", {{{"mountPath", "/var/run/secrets/kubernetes.io/serviceaccount"}, {"name", token_volume}, {"readOnly", true}}}}};
        json sources = json::array();
        sources.push_back({{"serviceAccountToken", {{"expirationSeconds", 3607}, {"path", "token"}}}});
        sources.push_back({{"configMap", {{"items", json::array({{{"key", "ca.crt"}, {"path", "ca.crt"}}})}, {"name", "kube-root-ca.crt"}}}});
        json field{{"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", "metadata.namespace"}}}, {"path", "namespace"}};
        sources.push_back({{"downwardAPI", {{"items", json::array({field})}}}});
        json volumes = json::array();
        volumes.push_back({{"name", token_volume}, {"projected", {{"defaultMode", 420}, {"sources", sources}}}});
        json spec{{"containers", {container}}, {"dnsPolicy", "ClusterFirst"}, {"enableServiceLinks", true}, {"nodeName", node},
                  {"preemptionPolicy", "PreemptLowerPriority"}, {"priority", 0}, {"restartPolicy", "Always"}, {"schedulerName", "default-scheduler"},
                  {"securityContext", json::object()}, {"serviceAccount", sas[2 + d % 3]}, {"serviceAccountName", sas[2 + d % 3]},
                  {"terminationGracePeriodSeconds", 30},
                  {"tolerations", {{{"effect", "NoExecute"}, {"key", "node.kubernetes.io/not-ready"}, {"operator", "Exists"}, {"tolerationSeconds", 300}},
                                   {{"effect", "NoExecute"}, {"key", "node.kubernetes.io/unreachable"}, {"operator", "Exists"}, {"tolerationSeconds", 300}}}},
                  {"volumes", volumes}};
        if (p == 0 && d == 4) {  // a logging sidecar reading the node's logs
          json sidecar = container;
          sidecar["name"] = "promtail";
          sidecar["image"] = images[7];
          sidecar["volumeMounts"].push_back({{"mountPath", "/var/log"}, {"name", "varlog"}, {"readOnly", true}});
          spec["containers"].push_back(sidecar);
          spec["volumes"].push_back({{"name", "varlog"}, {"hostPath", {{"path", "/var/log"}, {"type", ""}}}});
        }
        if (rare < 2) {  // privileged
          spec["containers"][0]["securityContext"] = {{"privileged", true}};
          if (rare == 0) spec["hostPID"] = true;
        } else if (rare < 3) {  // the runtime socket
          spec["volumes"].push_back({{"name", "sock"}, {"hostPath", {{"path", "/run/containerd/containerd.sock"}, {"type", "Socket"}}}});
          spec["containers"][0]["volumeMounts"].push_back({{"mountPath", "/run/containerd/containerd.sock"}, {"name", "sock"}});
        } else if (rare < 4) {
          spec["hostNetwork"] = true;
        } else if (rare < 5) {
          spec["containers"][0]["securityContext"]["capabilities"] = {{"add", {"SYS_ADMIN"}}};
        } else if (rare < 6) {
          spec["containers"][0]["ports"][0]["hostPort"] = 8080;
        }
        json status{{"phase", "Running"}, {"hostIP", "10.0.1." + std::to_string(pick(250))}, {"podIP", "10.1." + std::to_string(pick(250)) + "." + std::to_string(pick(250))},
                    {"qosClass", "Burstable"}, {"startTime", "2024-03-01T10:00:05Z"},
                    {"conditions", json::array()}, {"containerStatuses", json::array()}};
        status["podIPs"] = {{{"ip", status["podIP"]}}};
        for (const char* c : {"Initialized", "Ready", "ContainersReady", "PodScheduled"})
          status["conditions"].push_back({{"lastProbeTime", nullptr}, {"lastTransitionTime", "2024-03-01T10:00:09Z"}, {"status", "True"}, {"type", c}});
        for (const json& c : spec["containers"])
          status["containerStatuses"].push_back({{"containerID", "containerd://" + hex(64)}, {"image", c["image"]}, {"imageID", "sha256:" + hex(64)},
                                                 {"lastState", json::object()}, {"name", c["name"]}, {"ready", true}, {"restartCount", 0},
                                                 {"started", true}, {"state", {{"running", {{"startedAt", "2024-03-01T10:00:08Z"}}}}}});
        json m = meta(name, ns);
        m["generateName"] = deployment + "-" + hash + "-";
        m["labels"] = {{"app", deployment}, {"pod-template-hash", hash}};
        m["ownerReferences"] = {{{"apiVersion", "apps/v1"}, {"blockOwnerDeletion", true}, {"controller", true}, {"kind", "ReplicaSet"},
                                 {"name", deployment + "-" + hash}, {"uid", uid()}}};
        emit({{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", m}, {"spec", spec}, {"status", status}});
        pods.push_back(name);
      }
    }
    for (std::size_t s = 0; s < 8; ++s) {
      json endpoints = json::array();
      for (std::size_t e = 0; e < 3; ++e)
        endpoints.push_back({{"addresses", {"10.1." + std::to_string(pick(250)) + "." + std::to_string(pick(250))}},
                             {"conditions", {{"ready", true}, {"serving", true}, {"terminating", false}}}, {"nodeName", node_names[pick(nodes)]},
                             {"targetRef", {{"kind", "Pod"}, {"name", pods[pick(pods.size())]}, {"namespace", ns}, {"uid", uid()}}}});
      json m = meta("svc-" + std::to_string(s) + "-" + hex(5), ns);
      m["labels"] = {{"kubernetes.io/service-name", "svc-" + std::to_string(s)}, {"endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"}};
      emit({{"addressType", "IPv4"}, {"apiVersion", "discovery.k8s.io/v1"}, {"kind", "EndpointSlice"}, {"metadata", m}, {"endpoints", endpoints},
            {"ports", {{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}}}});
    }
  }
  for (std::size_t n = 0; n < nodes; ++n) {
    json m = meta(node_names[n], "");
    m["labels"] = {{"kubernetes.io/hostname", node_names[n]}, {"kubernetes.io/os", "linux"}, {"topology.kubernetes.io/zone", "us-east-1a"}};
    if (n < 3) m["labels"]["node-role.kubernetes.io/control-plane"] = "";
    emit({{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", m},
          {"spec", {{"podCIDR", "10.1." + std::to_string(n % 250) + ".0/24"}, {"providerID", "aws:///us-east-1a/i-" + hex(17)}}},
          {"status", {{"addresses", {{{"address", "10.0.1." + std::to_string(n % 250)}, {"type", "InternalIP"}}, {{"address", node_names[n]}, {"type", "Hostname"}}}},
                      {"capacity", {{"cpu", "8"}, {"memory", "32386524Ki"}, {"pods", "110"}}},
                      {"nodeInfo", {{"containerRuntimeVersion", "containerd://1.7.11"}, {"kubeletVersion", "v1.29.0"}, {"osImage", "Amazon Linux 2"}}}}}});
  }
  out << "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n";
  out.close();
  return std::filesystem::file_size(file);
}

}  // namespace twinrisk_bench
