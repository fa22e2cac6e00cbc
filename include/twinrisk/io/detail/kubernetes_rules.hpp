#pragma once
/// Kubernetes RBAC rule evaluation: does a role's list of PolicyRules allow a verb on a resource,
/// and for which object names. Used by the Kubernetes importer (io/kubernetes.hpp).
///
/// Matching follows the API server's own evaluator (k8s.io/kubernetes
/// pkg/apis/rbac/v1/evaluation_helpers.go): `*` in verbs, apiGroups and resources matches all;
/// a resource `*/exec` matches the subresource `exec` of every resource; an empty `resourceNames`
/// matches every name, otherwise only the names listed (a `*` there is a name like any other,
/// as in the API server). A request without a name (create, list) is allowed only by rules
/// without `resourceNames`.

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace twinrisk::detail {

/// One PolicyRule of a Role or ClusterRole (non-resource URLs are not kept).
struct k8s_rule {
  std::vector<std::string> verbs{}, groups{}, resources{}, names{};
};

/// The names of the objects a set of rules allows a request on: all of them (`any`) or `names`.
struct k8s_name_grant {
  bool any = false;
  std::vector<std::string> names{};  ///< sorted, unique; empty when `any`
  [[nodiscard]] bool none() const noexcept { return !any && names.empty(); }
  [[nodiscard]] bool allows(std::string_view name) const {
    return any || std::binary_search(names.begin(), names.end(), name, std::less<>{});
  }
};

/// Whether `list` holds `x` or `*`.
[[nodiscard]] inline bool k8s_matches(const std::vector<std::string>& list, std::string_view x) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return s == "*" || s == x; });
}

/// Whether a rule's `resources` match `resource` ("pods" or "pods/exec"): `*`, the same name, or
/// `*/exec` for the subresource.
[[nodiscard]] inline bool k8s_resource_matches(const std::vector<std::string>& resources, std::string_view resource) {
  const std::size_t slash = resource.find('/');
  for (const std::string& r : resources) {
    if (r == "*" || r == resource) return true;
    if (slash != std::string_view::npos && r.size() == resource.size() - slash + 1 && r.starts_with("*/") &&
        std::string_view(r).substr(1) == resource.substr(slash))
      return true;
  }
  return false;
}

/// The names `rules` allow any of `verbs` on `resource` of API group `group` ("" is the core group).
/// Complexity: O(rules x (verbs + resources + names)).
[[nodiscard]] inline k8s_name_grant k8s_grant(const std::vector<k8s_rule>& rules, std::initializer_list<std::string_view> verbs,
                                              std::string_view group, std::string_view resource) {
  k8s_name_grant g;
  for (const k8s_rule& r : rules) {
    if (!k8s_matches(r.groups, group) || !k8s_resource_matches(r.resources, resource)) continue;
    if (std::none_of(verbs.begin(), verbs.end(), [&](std::string_view v) { return k8s_matches(r.verbs, v); })) continue;
    if (r.names.empty()) return {.any = true};
    g.names.insert(g.names.end(), r.names.begin(), r.names.end());
  }
  std::sort(g.names.begin(), g.names.end());
  g.names.erase(std::unique(g.names.begin(), g.names.end()), g.names.end());
  return g;
}

/// Whether one rule allows everything: every verb on every resource of every group, any name
/// (cluster-admin's `*`/`*`/`*`).
[[nodiscard]] inline bool k8s_allows_everything(const std::vector<k8s_rule>& rules) {
  const auto star = [](const std::vector<std::string>& l) { return std::find(l.begin(), l.end(), "*") != l.end(); };
  return std::any_of(rules.begin(), rules.end(),
                     [&](const k8s_rule& r) { return star(r.verbs) && star(r.groups) && star(r.resources) && r.names.empty(); });
}

}  // namespace twinrisk::detail
