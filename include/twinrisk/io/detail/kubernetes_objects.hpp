#pragma once
/// The Kubernetes objects the importer (io/kubernetes.hpp) reads, as `kubectl get -o json`
/// writes them, and what it keeps of each: RBAC rules and bindings, pods' service account, host
/// access and exposure, nodes' role and addresses. Every type error is an input_error at the JSON
/// pointer of the value; fields not needed are not looked at.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/io/detail/kubernetes_rules.hpp"
#include "twinrisk/io/import_summary.hpp"

namespace twinrisk::detail {

enum class k8s_subject_kind : std::uint8_t { user, group, service_account };

/// A subject of a binding; `ns` only for service accounts.
struct k8s_subject {
  k8s_subject_kind kind = k8s_subject_kind::user;
  std::string name{}, ns{};
};

/// A RoleBinding (`ns` set) or ClusterRoleBinding (`ns` empty).
struct k8s_binding {
  std::string ns{}, name{};
  bool cluster_role = false;       ///< roleRef names a ClusterRole
  bool role_kind_invalid = false;  ///< a ClusterRoleBinding whose roleRef says Role (read as the ClusterRole)
  std::string role{};
  std::vector<k8s_subject> subjects{};
};

/// What the importer keeps of a pod.
struct k8s_pod {
  std::string node{}, service_account{};
  std::optional<bool> automount{};  ///< spec.automountServiceAccountToken
  bool projected_token = false;     ///< a projected volume requests a service account token
  bool stdin_open = false;          ///< a container keeps stdin open (attach gives a shell)
  std::vector<std::string> images{};
  std::vector<std::string> exposure{};  ///< "hostPort 9200/TCP", "hostNetwork 8080/TCP"
  std::vector<std::string> escapes{};   ///< ways out to the node (attack names, io/kubernetes.hpp's table)
};

struct k8s_node {
  bool control_plane = false;
  nlohmann::json addresses = nlohmann::json::array();  ///< ["InternalIP 192.168.1.10", ...]
};

/// The JSON pointer of element `i` of the array at `pointer`.
inline std::string k8s_element(const std::string& pointer, std::size_t i) { return pointer + "/" + std::to_string(i); }

/// The array member `key` of `o`; missing or null counts as empty (kubectl writes `null` for
/// empty lists of some objects). Throws: input_error when it is anything else.
inline const json& k8s_array(json_object& o, std::string_view key) {
  static const json empty = json::array();
  const json* v = o.find(key);
  if (v == nullptr || v->is_null()) return empty;
  if (!v->is_array()) o.fail(key, "expected an array, got " + describe(*v));
  return *v;
}

/// The strings of array member `key` (missing or null: none). Throws: input_error at the element
/// that is not a string.
inline std::vector<std::string> k8s_strings(json_object& o, std::string_view key) {
  const json& a = k8s_array(o, key);
  std::vector<std::string> out;
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string()) o.fail_at(k8s_element(o.pointer(key), i), "expected a string, got " + describe(a[i]));
    out.push_back(a[i].get<std::string>());
  }
  return out;
}

/// The object member `key` as a json_object, or nothing when missing or null.
inline std::optional<json_object> k8s_object(json_object& o, std::string_view key) {
  const json* v = o.find(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return json_object(*v, o.pointer(key), o.file());
}

/// The rules of a Role or ClusterRole. Non-resource URL rules are counted in `not_read`.
inline std::vector<k8s_rule> read_k8s_rules(json_object& role, name_counts& not_read) {
  const json& rules = k8s_array(role, "rules");
  std::vector<k8s_rule> out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    json_object r(rules[i], k8s_element(role.pointer("rules"), i), role.file());
    k8s_rule rule{.verbs = k8s_strings(r, "verbs"), .groups = k8s_strings(r, "apiGroups"),
                  .resources = k8s_strings(r, "resources"), .names = k8s_strings(r, "resourceNames")};
    if (!k8s_strings(r, "nonResourceURLs").empty()) ++not_read["rules/nonResourceURLs"];
    if (!rule.resources.empty()) out.push_back(std::move(rule));
  }
  if (role.find("aggregationRule") != nullptr) ++not_read["aggregationRule"];  // kubectl's rules already hold what it aggregates
  return out;
}

/// A RoleBinding (`ns` non-empty) or ClusterRoleBinding. A service account subject without a
/// namespace is in the binding's (as the API server defaults it); in a ClusterRoleBinding it is
/// an error. Throws: input_error at the bad member.
inline k8s_binding read_k8s_binding(json_object& o, std::string ns, std::string name) {
  k8s_binding b{.ns = std::move(ns), .name = std::move(name)};
  json_object ref(o.required("roleRef"), o.pointer("roleRef"), o.file());
  const std::string kind = ref.string("kind");
  if (kind != "Role" && kind != "ClusterRole") ref.fail("kind", "expected \"Role\" or \"ClusterRole\", got \"" + kind + "\"");
  b.role = ref.string("name");
  if (b.role.empty()) ref.fail("name", "expected the name of a role");
  b.cluster_role = kind == "ClusterRole" || b.ns.empty();
  b.role_kind_invalid = b.ns.empty() && kind == "Role";
  const json& subjects = k8s_array(o, "subjects");
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    json_object s(subjects[i], k8s_element(o.pointer("subjects"), i), o.file());
    const std::string k = s.string("kind");
    k8s_subject subject{.name = s.string("name")};
    if (subject.name.empty()) s.fail("name", "expected the name of the subject");
    if (k == "User") subject.kind = k8s_subject_kind::user;
    else if (k == "Group") subject.kind = k8s_subject_kind::group;
    else if (k == "ServiceAccount") {
      subject.kind = k8s_subject_kind::service_account;
      subject.ns = s.string_or("namespace", b.ns);
      if (subject.ns.empty()) s.fail("namespace", "expected the namespace of the service account (a ClusterRoleBinding must name it)");
    } else {
      s.fail("kind", "expected \"User\", \"Group\" or \"ServiceAccount\", got \"" + k + "\"");
    }
    b.subjects.push_back(std::move(subject));
  }
  return b;
}

/// Whether a host path gives the node: the root, a system folder, the kubelet's or the container
/// runtime's state, or a folder above one of them. /var/log and /dev are left out: without more
/// (pods/log rights, a privileged device cgroup) they do not give the node.
inline bool k8s_sensitive_host_path(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty()) return false;  // not a path the kubelet accepts
  if (path == "/") return true;
  static constexpr std::string_view sensitive[] = {"/etc", "/root", "/home", "/boot", "/usr", "/bin", "/sbin", "/lib", "/proc", "/sys",
                                                   "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/run", "/run"};
  for (std::string_view s : sensitive) {
    if (path == s || path.starts_with(std::string(s) + "/")) return true;
    if (s.starts_with(path + "/")) return true;  // /var holds /var/lib/kubelet
  }
  return false;
}

/// Whether a host path is a container runtime's socket (docker, containerd, CRI-O): who talks to
/// it starts privileged containers, even through a read-only mount.
inline bool k8s_runtime_socket(std::string_view path) {
  return path.ends_with("docker.sock") || path.ends_with("containerd.sock") || path.ends_with("crio.sock") ||
         path.ends_with("cri-dockerd.sock");
}

/// The spec of a pod. Throws: input_error at the member of the wrong type.
inline k8s_pod read_k8s_pod(json_object& o) {
  k8s_pod p;
  json_object spec(o.required("spec"), o.pointer("spec"), o.file());
  p.node = spec.string_or("nodeName", "");
  p.service_account = spec.string_or("serviceAccountName", "");
  if (p.service_account.empty()) p.service_account = spec.string_or("serviceAccount", "");  // the deprecated alias
  if (p.service_account.empty()) p.service_account = "default";
  if (spec.find("automountServiceAccountToken") != nullptr) p.automount = spec.boolean_or("automountServiceAccountToken", true);
  const bool host_network = spec.boolean_or("hostNetwork", false), host_pid = spec.boolean_or("hostPID", false);
  if (host_pid) p.escapes.emplace_back("HOST_PID");
  if (host_network) p.escapes.emplace_back("HOST_NETWORK");

  // Volumes: host paths (by volume name) and projected service account tokens.
  std::vector<std::pair<std::string, std::string>> host_paths;  // volume name -> host path
  const json& volumes = k8s_array(spec, "volumes");
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    json_object v(volumes[i], k8s_element(spec.pointer("volumes"), i), o.file());
    const std::string name = v.string_or("name", "");
    if (auto hp = k8s_object(v, "hostPath")) host_paths.emplace_back(name, hp->string("path"));
    if (auto pr = k8s_object(v, "projected")) {
      const json& sources = k8s_array(*pr, "sources");
      for (std::size_t k = 0; k < sources.size(); ++k)
        if (json_object src(sources[k], k8s_element(pr->pointer("sources"), k), o.file()); src.find("serviceAccountToken") != nullptr)
          p.projected_token = true;
    }
  }

  for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
    const json& containers = k8s_array(spec, list);
    const bool regular = std::string_view(list) == "containers";
    for (std::size_t i = 0; i < containers.size(); ++i) {
      json_object c(containers[i], k8s_element(spec.pointer(list), i), o.file());
      if (const std::string image = c.string_or("image", ""); !image.empty()) p.images.push_back(image);
      p.stdin_open = p.stdin_open || c.boolean_or("stdin", false);
      if (auto sc = k8s_object(c, "securityContext")) {
        if (sc->boolean_or("privileged", false)) p.escapes.emplace_back(host_pid ? "CE_NSENTER" : "CE_PRIV_MOUNT");
        if (auto caps = k8s_object(*sc, "capabilities")) {
          for (std::string cap : k8s_strings(*caps, "add")) {
            cap = upper_case_ascii(cap);
            if (cap.starts_with("CAP_")) cap.erase(0, 4);
            if (cap == "SYS_MODULE") p.escapes.emplace_back("CE_MODULE_LOAD");
            if (cap == "SYS_PTRACE" && host_pid) p.escapes.emplace_back("CE_SYS_PTRACE");
            if (cap == "SYS_ADMIN" || cap == "ALL") p.escapes.emplace_back("CE_SYS_ADMIN");
          }
        }
      }
      const json& ports = k8s_array(c, "ports");
      for (std::size_t k = 0; regular && k < ports.size(); ++k) {
        json_object port(ports[k], k8s_element(c.pointer("ports"), k), o.file());
        const double host_port = port.number_or("hostPort", 0), container_port = port.number_or("containerPort", 0);
        const std::string protocol = port.string_or("protocol", "TCP");
        if (host_port > 0) p.exposure.push_back("hostPort " + show_number(host_port) + "/" + protocol);
        else if (host_network && container_port > 0) p.exposure.push_back("hostNetwork " + show_number(container_port) + "/" + protocol);
      }
      const json& mounts = k8s_array(c, "volumeMounts");
      for (std::size_t k = 0; k < mounts.size(); ++k) {
        json_object m(mounts[k], k8s_element(c.pointer("volumeMounts"), k), o.file());
        const std::string name = m.string("name");
        const bool read_only = m.boolean_or("readOnly", false);
        for (const auto& [volume, path] : host_paths) {
          if (volume != name) continue;
          if (k8s_runtime_socket(path)) p.escapes.emplace_back("EXPLOIT_CONTAINERD_SOCK");
          else if (k8s_sensitive_host_path(path)) p.escapes.emplace_back(read_only ? "EXPLOIT_HOST_READ" : "EXPLOIT_HOST_WRITE");
        }
      }
    }
  }
  std::sort(p.escapes.begin(), p.escapes.end());
  p.escapes.erase(std::unique(p.escapes.begin(), p.escapes.end()), p.escapes.end());
  return p;
}

/// A node: control plane by its role labels, its addresses.
inline k8s_node read_k8s_node(json_object& o, json_object& metadata) {
  k8s_node n;
  if (auto labels = k8s_object(metadata, "labels"))
    n.control_plane = labels->find("node-role.kubernetes.io/control-plane") != nullptr || labels->find("node-role.kubernetes.io/master") != nullptr;
  if (auto status = k8s_object(o, "status")) {
    const json& addresses = k8s_array(*status, "addresses");
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      json_object a(addresses[i], k8s_element(status->pointer("addresses"), i), o.file());
      n.addresses.push_back(a.string_or("type", "") + " " + a.string("address"));
    }
  }
  return n;
}

/// The pods an EndpointSlice serves (namespace, name): they answer on the network.
inline std::vector<std::pair<std::string, std::string>> read_k8s_endpoint_pods(json_object& o, const std::string& ns) {
  std::vector<std::pair<std::string, std::string>> pods;
  const json& endpoints = k8s_array(o, "endpoints");
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    json_object e(endpoints[i], k8s_element(o.pointer("endpoints"), i), o.file());
    auto ref = k8s_object(e, "targetRef");
    if (!ref || ref->string_or("kind", "") != "Pod") continue;
    pods.emplace_back(ref->string_or("namespace", ns), ref->string("name"));
  }
  return pods;
}

}  // namespace twinrisk::detail
