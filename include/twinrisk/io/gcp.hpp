#pragma once
/// Google Cloud IAM into a twin: who holds which role on which resource, from Cloud Asset
/// Inventory exports (IAM-policy content) or `gcloud ... get-iam-policy` outputs.
///
///     gcp_importer importer;
///     add_inputs(importer, {"asset-export.json"});
///     auto [t, summary] = std::move(importer).finish();
///
/// Inputs, told apart by their shape: an asset export — a JSON array, or JSON Lines as
/// `gcloud asset export` writes it — of `{name, asset_type | assetType, iam_policy | iamPolicy,
/// ancestors?}`; one such asset; or a bare policy `{bindings: [{role, members, condition?}]}`,
/// whose resource `gcp_options::resource` names.
///
/// | edge | when | kind | probability |
/// |---|---|---|---|
/// | member -> resource | one per (member, role, resource), but not from a member to a container it is tier zero of (next row) | has_permission | roles/owner 1; roles/editor and roles named admin or owner 0.9; other roles 0.6; roles named viewer, reader, browser 0.3; the impersonation roles 0 (their edges follow) |
/// | tier-zero member -> project, folder, organisation | one per (member, container) where the member holds roles/owner, roles/editor or an IAM-admin role (below): control of it, in place of all its grants there | tier_zero_of | 1 |
/// | member -> service account | roles/iam.serviceAccountTokenCreator (0.95) or roles/iam.serviceAccountUser (0.7) on the account, or on its project, folder or organisation | can_assume_role | |
/// | parent -> child | organisation, folder, project, resource: from `ancestors`, else from the resource's name (`projects/P/...`) | contains | 1 (IAM policies inherit downwards) |
///
/// A binding with a `condition` keeps its edges at half their probability (the condition is
/// not evaluated) and is counted in `import_summary::assumptions`; so does a tier_zero_of edge
/// that only conditional bindings give (0.5). Projects, folders and organisations are crown
/// jewels and tier zero; the members with roles/owner, roles/editor or a role that sets their IAM
/// policy (organizationAdmin, folderAdmin, folderIamAdmin, projectIamAdmin, iam.securityAdmin)
/// on them are tier zero and never entry points. Each such member has one `tier_zero_of` edge to
/// each container it controls, its only edge there: `twinrisk paths` ends a path where it enters
/// tier zero and follows only `tier_zero_of` on (`edges_inside_tier_zero`), as in a directory, so
/// a way in through an owner (say, a user who can mint an owner service account's tokens) ends at
/// the project. Edges into tier zero from outside it (impersonation of a tier-zero service
/// account) stay as the table says. Entry points, unless `gcp_options::owned` names them: users,
/// groups and domains outside tier zero (their members can be phished) and the public principals
/// `allUsers` and `allAuthenticatedUsers`.

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// How a GCP IAM import names bare policies' resources and chooses entry points.
struct gcp_options {
  /// The resource of a bare policy (`gcloud projects get-iam-policy` output): "projects/my-project",
  /// "folders/123", "organizations/456", a full asset name, or a project id alone.
  std::string resource{};
  /// The entry points, by member ("user:alice@example.com") or name; empty: the rule above.
  std::vector<std::string> owned{};
  std::string name{};  ///< the twin's name; empty: "GCP IAM"
};

namespace detail {

struct gcp_binding {
  std::string role{};
  std::vector<std::string> members{};
  bool conditional = false;
};

// One resource and its policy as read; `id` is canonical ("projects/123", or the full asset name).
struct gcp_asset {
  std::string id{}, type{};
  std::vector<std::string> ancestors{};  // canonical, nearest first, without the asset itself
  std::vector<gcp_binding> bindings{};
};

inline constexpr std::string_view gcp_crm = "//cloudresourcemanager.googleapis.com/";

/// "projects/123" for "//cloudresourcemanager.googleapis.com/projects/123"; other names as they are.
[[nodiscard]] inline std::string gcp_canonical(std::string_view name) {
  return std::string(name.starts_with(gcp_crm) ? name.substr(gcp_crm.size()) : name);
}

/// True for "projects/X", "folders/X", "organizations/X": the resource hierarchy's containers.
[[nodiscard]] inline bool gcp_is_container(std::string_view id) {
  const auto slash = id.find('/');
  if (slash == std::string_view::npos || slash + 1 == id.size() || id.find('/', slash + 1) != std::string_view::npos) return false;
  const std::string_view k = id.substr(0, slash);
  return k == "projects" || k == "folders" || k == "organizations";
}

/// The project a resource's name places it in ("//bigquery.googleapis.com/projects/p/datasets/d"
/// -> "projects/p"), or "".
[[nodiscard]] inline std::string gcp_project_in_name(std::string_view name) {
  const auto at = name.find("/projects/");
  if (at == std::string_view::npos) return {};
  const std::string_view rest = name.substr(at + 10);
  const std::string_view project = rest.substr(0, rest.find('/'));
  return project.empty() ? std::string() : "projects/" + std::string(project);
}

/// The has_permission probability of `role` (see the table in io/gcp.hpp).
[[nodiscard]] inline double gcp_role_probability(std::string_view role) {
  if (role == "roles/owner") return 1.0;
  if (role == "roles/iam.serviceAccountUser" || role == "roles/iam.serviceAccountTokenCreator") return 0.0;
  const std::string r = lower_case_ascii(role.substr(role.rfind('/') + 1));
  const auto has = [&](std::string_view w) { return r.find(w) != std::string::npos; };
  if (r == "editor" || has("admin") || has("owner")) return 0.9;
  if (has("viewer") || has("reader") || has("browser")) return 0.3;
  return 0.6;
}

/// True for the roles that control a project, folder or organisation: owner, editor, and the
/// roles that set its IAM policy (and so grant themselves anything).
[[nodiscard]] inline bool gcp_controls_container(std::string_view role) {
  for (std::string_view r : {"roles/owner", "roles/editor", "roles/resourcemanager.organizationAdmin", "roles/resourcemanager.folderAdmin",
                             "roles/resourcemanager.folderIamAdmin", "roles/resourcemanager.projectIamAdmin", "roles/iam.securityAdmin"})
    if (role == r) return true;
  return false;
}

/// The can_assume_role probability of an impersonation role, or 0 for other roles.
[[nodiscard]] inline double gcp_impersonation_probability(std::string_view role) {
  // Token Creator mints the account's tokens at once; Service Account User (actAs) needs compute
  // to run as the account too, which the grant alone does not give.
  return role == "roles/iam.serviceAccountTokenCreator" ? 0.95 : role == "roles/iam.serviceAccountUser" ? 0.7 : 0.0;
}

}  // namespace detail

/// Reads GCP IAM policies (asset exports, bare policies) and builds a twin of who can reach what.
class gcp_importer {
 public:
  explicit gcp_importer(gcp_options options = {}) : options_(std::move(options)) { summary_.format = "gcp"; }

  /// Reads one input: a JSON array of assets, JSON Lines of assets, one asset, or a bare policy.
  /// Throws: input_error with file and line, or JSON pointer, on malformed JSON, a record of another
  /// shape, a binding without a role or with members that are not strings, a bare policy when
  /// `gcp_options::resource` is empty.
  void add_stream(std::istream& in, const std::string& file) {
    in >> std::ws;
    const int first = in.peek();
    if (first == '[') {
      detail::stream_json(in, file, {""}, [&](std::string_view pointer, const detail::json& j) { add_record(j, std::string(pointer), file); });
    } else if (first == '{') {
      std::string line;
      std::getline(in, line);
      if (!detail::json::accept(line)) {  // one document over many lines
        add_record(detail::parse_json(line + '\n' + std::string(std::istreambuf_iterator<char>(in), {}), file), "", file);
      } else {
        for (std::size_t n = 1;; ++n) {  // JSON Lines: one asset a line
          if (line.find_first_not_of(" \t\r") != std::string::npos) add_line(line, n, file);
          if (!std::getline(in, line)) break;
        }
      }
    } else {
      throw input_error({.file = file}, "expected a JSON array or JSON Lines of Cloud Asset Inventory assets, or an IAM policy object");
    }
    ++summary_.files;
  }

  /// The twin. Throws: input_error as the builder does (it should not: ids are unique here).
  [[nodiscard]] import_result finish() && {
    build_nodes();
    twin_builder b;
    b.set_name(options_.name.empty() ? "GCP IAM" : options_.name);
    choose_entry_points();
    for (auto& [id, n] : nodes_) {
      summary_.crown_jewels += n.crown_jewel;
      summary_.placeholder_nodes += n.properties.contains("placeholder");
      summary_.entry_points += n.entry_point;
      if (n.tier_zero) ++summary_.tier_zero, summary_.tier_zero_principals += is_principal(n.kind);
      b.add_node(id, std::move(n));
    }
    add_edges(b);
    b.set_metadata(nlohmann::json{{"import", nlohmann::json(summary_.to_json())}});
    import_result r{std::move(b).build(), summary_};
    r.summary.nodes = r.twin.num_nodes();
    r.summary.edges = r.twin.num_edges();
    return r;
  }

 private:
  void add_line(const std::string& line, std::size_t n, const std::string& file) {
    try {
      add_record(detail::parse_json(line, file), "", file);
    } catch (const input_error& e) {  // place it on its line of the file
      throw input_error({.file = file, .line = n, .column = e.where().line != 0 ? e.where().column : 0, .pointer = e.where().pointer},
                        e.reason());
    }
  }

  // An asset ({name, asset_type, iam_policy, ancestors}) or a bare policy ({bindings, etag, version}).
  void add_record(const detail::json& j, const std::string& pointer, const std::string& file) {
    detail::json_object o(j, pointer, file);
    ++summary_.records;
    detail::gcp_asset a;
    const detail::json* policy = nullptr;
    if (o.find("name") == nullptr && o.find("bindings") != nullptr) {
      if (options_.resource.empty())
        o.fail_at(pointer, "an IAM policy without its resource (a get-iam-policy output): name it with the resource option (--resource)");
      a.id = detail::gcp_canonical(options_.resource.find('/') == std::string::npos ? "projects/" + options_.resource : options_.resource);
      policy = &j;
      ++summary_.records_by_type["bare policies"];
    } else {
      a.id = detail::gcp_canonical(o.string("name"));
      a.type = o.find("asset_type") ? o.string("asset_type") : o.string_or("assetType", "");
      policy = o.find("iam_policy") ? o.find("iam_policy") : o.find("iamPolicy");
      for (const auto& x : o.array_or_empty("ancestors")) {
        if (!x.is_string()) o.fail("ancestors", "expected strings such as \"projects/123\", got " + detail::describe(x));
        if (std::string c = detail::gcp_canonical(x.get<std::string>()); c != a.id) a.ancestors.push_back(std::move(c));
      }
      ++summary_.records_by_type[a.type.empty() ? "assets without a type" : a.type];
      for (const auto& [k, v] : j.items())
        if (k != "name" && k != "asset_type" && k != "assetType" && k != "iam_policy" && k != "iamPolicy" && k != "ancestors")
          ++summary_.fields_not_read[k];
    }
    if (a.id.empty()) o.fail("name", "expected a resource name, got \"\"");
    if (policy != nullptr) read_bindings(*policy, policy == &j ? pointer : o.pointer(o.find("iam_policy") ? "iam_policy" : "iamPolicy"), file, a);
    assets_.push_back(std::move(a));
  }

  void read_bindings(const detail::json& policy, const std::string& pointer, const std::string& file, detail::gcp_asset& a) {
    detail::json_object p(policy, pointer, file);
    const detail::json& bindings = p.array_or_empty("bindings");
    for (std::size_t i = 0; i < bindings.size(); ++i) {
      detail::json_object bo(bindings[i], p.pointer("bindings") + "/" + std::to_string(i), file);
      detail::gcp_binding b{.role = bo.string("role"), .conditional = bo.find("condition") != nullptr};
      if (b.role.empty()) bo.fail("role", "expected a role such as \"roles/viewer\", got \"\"");
      const detail::json& members = bo.array_or_empty("members");
      for (std::size_t m = 0; m < members.size(); ++m) {
        if (!members[m].is_string())
          bo.fail_at(bo.pointer("members") + "/" + std::to_string(m), "expected a member such as \"user:alice@example.com\", got " +
                                                                        detail::describe(members[m]));
        b.members.push_back(members[m].get<std::string>());
      }
      ++summary_.records_by_type["bindings"];
      if (b.conditional) ++summary_.records_by_type["bindings with a condition"];
      a.bindings.push_back(std::move(b));
    }
  }

  // The node id of a member, creating its node; "" for members not imported (counted).
  std::string principal(const std::string& member) {
    if (nodes_.count(member) != 0) return member;
    const auto colon = member.find(':');
    const std::string prefix = colon == std::string::npos ? member : member.substr(0, colon);
    node n{.name = colon == std::string::npos ? member : member.substr(colon + 1)};
    if (member == "allUsers") n.kind = node_kind::internet;
    else if (member == "allAuthenticatedUsers") n.kind = node_kind::group;
    else if (prefix == "user") n.kind = node_kind::user;
    else if (prefix == "group" || prefix == "domain") n.kind = node_kind::group;
    else if (prefix == "serviceAccount") n.kind = node_kind::service_account;
    else {
      ++(prefix == "deleted" ? summary_.records_by_type["members deleted (not imported)"] : summary_.unknown_types["member " + prefix]);
      return {};
    }
    if (n.name.empty()) return ++summary_.unknown_types["member " + prefix], std::string();
    n.properties = nlohmann::json{{"gcp_member", member}};
    if (member == "allUsers" || member == "allAuthenticatedUsers") n.properties["public"] = true;
    nodes_.emplace(member, std::move(n));
    return member;
  }

  // A container or resource node; `described` false for one only named by others (a placeholder).
  void resource(const std::string& id, const std::string& type, bool described) {
    auto [it, added] = nodes_.try_emplace(id);
    node& n = it->second;
    if (added) {
      const bool container = detail::gcp_is_container(id);
      n.name = container ? id : id.substr(id.starts_with("//") ? id.find('/', 2) + 1 : 0);
      n.kind = container ? node_kind::cloud_account : node_kind::cloud_resource;
      n.properties = nlohmann::json::object();
      if (container) {
        n.crown_jewel = true;
        n.tier_zero = "GCP " + id.substr(0, id.find('/') - 1) + ": IAM policies here hold every resource below";
      }
    }
    if (!type.empty()) n.properties["asset_type"] = type;
    if (described) n.properties.erase("placeholder");
    else if (added) n.properties["placeholder"] = true;
  }

  void build_nodes() {
    for (const detail::gcp_asset& a : assets_) {
      if (a.type == "iam.googleapis.com/ServiceAccount" && a.id.find('@') != std::string::npos)
        sa_project_["serviceAccount:" + a.id.substr(a.id.rfind('/') + 1)] = detail::gcp_project_in_name(a.id);
      else resource(a.id, a.type, true);
    }
    // The hierarchy: ancestors, else the project in the name; service accounts' projects.
    for (const detail::gcp_asset& a : assets_) {
      const std::string self = node_id_of(a);
      std::vector<std::string> chain = a.ancestors;
      if (chain.empty())
        if (std::string p = detail::gcp_project_in_name(a.id); !p.empty() && p != a.id) chain.push_back(std::move(p));
      std::string child = self;
      for (const std::string& parent : chain) {
        resource(parent, "", false);
        if (parent != child) parent_of_.emplace(child, parent);
        child = parent;
      }
    }
    for (const detail::gcp_asset& a : assets_)
      for (const detail::gcp_binding& b : a.bindings)
        for (const std::string& m : b.members)
          if (std::string id = principal(m); !id.empty() && id.starts_with("serviceAccount:") && sa_project_.count(id) == 0)
            if (const auto at = id.find('@'), iam = id.find(".iam.gserviceaccount.com"); at != std::string::npos && iam != std::string::npos && iam > at + 1)
              sa_project_[id] = "projects/" + id.substr(at + 1, iam - at - 1);  // name@PROJECT.iam.gserviceaccount.com
    for (auto& [sa, project] : sa_project_) {
      (void)principal(sa);
      if (!project.empty() && nodes_.count(project) != 0) parent_of_.emplace(sa, project);
    }
    // Tier zero: who controls a project, folder or organisation.
    for (const detail::gcp_asset& a : assets_)
      for (const detail::gcp_binding& b : a.bindings)
        if (detail::gcp_is_container(a.id) && detail::gcp_controls_container(b.role))
          for (const std::string& m : b.members)
            if (auto it = nodes_.find(m); it != nodes_.end()) {
              double& p = controls_[{m, a.id}];
              p = std::max(p, b.conditional ? 0.5 : 1.0);
              if (it->second.tier_zero) continue;
              it->second.tier_zero = b.role + " on " + a.id;
              it->second.privileged = true;
            }
  }

  std::string node_id_of(const detail::gcp_asset& a) const {
    const bool sa = a.type == "iam.googleapis.com/ServiceAccount" && a.id.find('@') != std::string::npos;
    return sa ? "serviceAccount:" + a.id.substr(a.id.rfind('/') + 1) : a.id;
  }

  // The service accounts at or below each resource: `id` -> those whose chain of parents holds it
  // (in id order), so that a grant on a container finds its service accounts without a scan.
  std::map<std::string, std::vector<const std::string*>, std::less<>> service_accounts_within() const {
    std::map<std::string, std::vector<const std::string*>, std::less<>> within;
    std::vector<const std::string*> chain;
    for (const auto& [sa, project] : sa_project_) {
      chain.clear();
      const std::string* id = &sa;
      for (std::size_t hops = 0; hops <= parent_of_.size(); ++hops) {  // bounded, and a cycle ends the chain
        if (std::find_if(chain.begin(), chain.end(), [&](const std::string* c) { return *c == *id; }) != chain.end()) break;
        chain.push_back(id);
        within[*id].push_back(&sa);
        const auto it = parent_of_.find(*id);
        if (it == parent_of_.end()) break;
        id = &it->second;
      }
    }
    return within;
  }

  void choose_entry_points() {
    summary_.entry_rule = options_.owned.empty() ? "users-groups-public" : "owned";
    for (const std::string& o : options_.owned) {
      auto it = nodes_.find(o);
      if (it == nodes_.end())
        it = std::find_if(nodes_.begin(), nodes_.end(), [&](const auto& x) { return x.second.name == o; });
      if (it == nodes_.end()) throw input_error({.pointer = "owned"}, "no GCP member or resource is '" + o + "'");
      it->second.entry_point = true;
    }
    if (!options_.owned.empty()) return;
    for (auto& [id, n] : nodes_)
      n.entry_point = !n.tier_zero && (n.kind == node_kind::user || n.kind == node_kind::group || n.kind == node_kind::internet);
  }

  void add_edges(twin_builder& b) {
    std::map<std::pair<std::string, std::string>, double> impersonation;  // (member, service account) -> best probability
    // The (from, to, key) already added, as views of strings that outlive this function's loops
    // (assets_, the maps, `targets`, literals): a hash set asked only whether one is there.
    using edge_key = std::tuple<std::string_view, std::string_view, std::string_view>;
    struct edge_key_hash {
      std::size_t operator()(const edge_key& k) const noexcept {
        const std::hash<std::string_view> h;
        return (h(std::get<0>(k)) * 31 + h(std::get<1>(k))) * 31 + h(std::get<2>(k));
      }
    };
    std::unordered_set<edge_key, edge_key_hash> seen;
    seen.reserve(2 * assets_.size() + controls_.size() + parent_of_.size());
    std::deque<std::string> targets;  // node ids of the assets, kept for `seen`
    const auto within = service_accounts_within();
    auto add = [&](const std::string& from, const std::string& to, edge_kind k, double p, std::string_view key) {
      if (!seen.emplace(from, to, key).second) return void(++summary_.duplicate_edges);
      b.add_edge(from, to, {.kind = k, .probability = p});
      ++summary_.edges_by_kind[std::string(to_string(k))];
    };
    for (const detail::gcp_asset& a : assets_) {
      const std::string& target = targets.emplace_back(node_id_of(a));
      const bool container = detail::gcp_is_container(target);  // controls_ holds containers only
      for (const detail::gcp_binding& binding : a.bindings) {
        const double scale = binding.conditional ? 0.5 : 1.0;
        const double impersonate = detail::gcp_impersonation_probability(binding.role) * scale;
        for (const std::string& m : binding.members) {
          if (nodes_.count(m) == 0) continue;  // not imported (counted when read)
          if (container && controls_.count({m, target}) != 0) {  // its tier_zero_of edge (below) stands for every grant there
            if (!seen.emplace(m, target, binding.role).second) ++summary_.duplicate_edges;
          } else {
            add(m, target, edge_kind::has_permission, detail::gcp_role_probability(binding.role) * scale, binding.role);
          }
          if (binding.conditional) ++summary_.assumptions["edges of conditional bindings (condition not evaluated; probability x0.5)"];
          if (impersonate == 0.0) continue;
          if (const auto sas = within.find(target); sas != within.end())
            for (const std::string* sa : sas->second)
              if (*sa != m) {
                double& best = impersonation[{m, *sa}];
                best = std::max(best, impersonate);
              }
        }
      }
    }
    for (const auto& [ends, p] : impersonation) add(ends.first, ends.second, edge_kind::can_assume_role, p, "impersonate");
    // Control of a project, folder or organisation is tier zero of it: one edge each, probability
    // 1 (0.5 when only conditional bindings give it), the way on from tier zero that paths keep.
    for (const auto& [ends, p] : controls_) add(ends.first, ends.second, edge_kind::tier_zero_of, p, "tier_zero_of");
    for (const auto& [child, parent] : parent_of_) add(parent, child, edge_kind::contains, 1.0, "contains");
  }

  gcp_options options_;
  import_summary summary_;
  std::vector<detail::gcp_asset> assets_;
  std::map<std::string, node> nodes_;                  // by id, in id order
  std::map<std::string, std::string> parent_of_;       // child -> parent in the hierarchy (service accounts: their project)
  std::map<std::string, std::string> sa_project_;      // service account node -> its project ("" when unknown)
  std::map<std::pair<std::string, std::string>, double> controls_;  // (member, container it is tier zero of) -> tier_zero_of probability
};

}  // namespace twinrisk
