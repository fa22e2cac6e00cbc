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
#include <bit>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/detail/gcp_records.hpp"
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

/// An index into gcp_importer's interned names: each member, role, type and resource name is
/// kept once, and everything else refers to it by this number.
using gcp_name = std::uint32_t;
inline constexpr gcp_name gcp_none = static_cast<gcp_name>(-1);

// One member of one binding: (member, role) on the asset whose range holds it.
struct gcp_grant {
  gcp_name member = gcp_none, role = gcp_none;
  bool conditional = false;
};

// One resource and its policy as read; `id` is canonical ("projects/123", or the full asset name).
struct gcp_asset {
  gcp_name id = gcp_none, type = gcp_none;
  gcp_name node = gcp_none;  // its node id: `id`, or "serviceAccount:EMAIL" for a service account
  std::vector<gcp_name> ancestors{};  // canonical, nearest first, without the asset itself
  std::size_t first_grant = 0, end_grant = 0;  // its bindings' members in gcp_importer::grants_
};

/// "projects/123" for "//cloudresourcemanager.googleapis.com/projects/123"; other names as they are.
[[nodiscard]] inline std::string gcp_canonical(std::string_view name) { return std::string(gcp_canonical_view(name)); }

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
  using name_id = detail::gcp_name;
  static constexpr name_id none = detail::gcp_none;

 public:
  explicit gcp_importer(gcp_options options = {}) : options_(std::move(options)) {
    summary_.format = "gcp";
  }

  /// Reads one input: a JSON array of assets, JSON Lines of assets, one asset, or a bare policy.
  /// Throws: input_error with file and line, or JSON pointer, on malformed JSON, a record of another
  /// shape, a binding without a role or with members that are not strings, a bare policy when
  /// `gcp_options::resource` is empty.
  void add_stream(std::istream& in, const std::string& file) {
    in >> std::ws;
    const int first = in.peek();
    if (first == '[') {
      detail::stream_json(in, file, {""}, [&](std::string_view pointer, const detail::json& j) {
        detail::read_gcp_record(j, std::string(pointer), file, options_.resource, record_);
        add_record(record_);
      });
    } else if (first == '{') {
      std::string line;
      std::getline(in, line);
      if (!detail::json::accept(line)) {  // one document over many lines
        detail::read_gcp_record(detail::parse_json(line + '\n' + std::string(std::istreambuf_iterator<char>(in), {}), file), "", file,
                                options_.resource, record_);
        add_record(record_);
      } else {
        for (std::size_t n = 1;; ++n) {  // JSON Lines: one asset a line, its DOM dropped after it
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
    count_records();
    build_nodes();
    twin_builder b;
    b.set_name(options_.name.empty() ? "GCP IAM" : options_.name);
    order_nodes();
    choose_entry_points();
    const auto impersonation = in_id_order(impersonations());
    // Room for every edge at once: growing the builder's arrays would hold two copies at the peak.
    b.reserve(0, grants_.size() + impersonation.size() + controls_.size() + parent_of_.size());
    // The edges first (by the positions the nodes will have; build() checks them), so that the
    // grants are gone before the nodes move into the builder, and its room for them is taken
    // only then (the peak of memory is here, with the importer's state and the builder's edges).
    add_edges(b, impersonation);
    release_grants();
    b.reserve(nodes_.size(), 0);
    for (const std::uint32_t i : order_) {
      node& n = nodes_[i];
      summary_.crown_jewels += n.crown_jewel;
      summary_.placeholder_nodes += n.properties.contains("placeholder");
      summary_.entry_points += n.entry_point;
      if (n.tier_zero) ++summary_.tier_zero, summary_.tier_zero_principals += is_principal(n.kind);
      b.add_node(name(node_name_[i]), std::move(n));
    }
    release_nodes();  // before the builder makes the twin: the peak of memory
    b.set_metadata(nlohmann::json{{"import", nlohmann::json(summary_.to_json())}});
    import_result r{std::move(b).build(), summary_};
    r.summary.nodes = r.twin.num_nodes();
    r.summary.edges = r.twin.num_edges();
    return r;
  }

 private:
  // Drops what the edges were made from, once the builder has them.
  void release_grants() {
    std::vector<name_slot>().swap(name_slots_);
    std::vector<std::uint32_t>().swap(node_of_);
    std::vector<detail::gcp_asset>().swap(assets_);
    std::vector<detail::gcp_grant>().swap(grants_);
    std::vector<std::size_t>().swap(position_);
    parent_of_ = {};
    sa_project_ = {};
    controls_ = {};
  }
  // Drops the nodes' shells and names, once moved into the builder.
  void release_nodes() {
    std::vector<node>().swap(nodes_);
    std::deque<std::string>().swap(names_);
    std::vector<name_id>().swap(node_name_);
    std::vector<std::uint32_t>().swap(order_);
  }

  // (from, to, dedup key) of an edge.
  struct edge_key {
    name_id from = none, to = none, key = none;
    bool operator==(const edge_key&) const = default;
  };
  // The edge keys added, flat (open addressing, at most 3/4 full): a node-based set costs three
  // times the memory and a cache miss more per edge.
  class edge_key_set {
   public:
    explicit edge_key_set(std::size_t expected) : slots_(std::bit_ceil(expected / 3 * 4 + 16)) {}
    bool insert(const edge_key& k) {  // false when it was there
      if (4 * (size_ + 1) > 3 * slots_.size()) grow();
      edge_key& slot = find(slots_, k);
      if (slot.from != none) return false;
      slot = k;
      ++size_;
      return true;
    }

   private:
    static edge_key& find(std::vector<edge_key>& slots, const edge_key& k) {
      const std::size_t mask = slots.size() - 1;
      std::size_t i = static_cast<std::size_t>(((std::uint64_t{k.from} << 32 | k.to) * 0x9e3779b97f4a7c15ULL ^ k.key) * 0xff51afd7ed558ccdULL >> 20) & mask;
      while (slots[i].from != none && !(slots[i] == k)) i = (i + 1) & mask;
      return slots[i];
    }
    void grow() {
      std::vector<edge_key> bigger(2 * slots_.size());
      for (const edge_key& k : slots_)
        if (k.from != none) find(bigger, k) = k;
      slots_.swap(bigger);
    }
    std::vector<edge_key> slots_;
    std::size_t size_ = 0;
  };
  [[nodiscard]] static std::uint64_t pair_key(name_id a, name_id b) { return std::uint64_t{a} << 32 | b; }

  // The id of `s`, adding it on first sight: names are kept once, however many grants use them.
  name_id intern(std::string_view s) {
    if (2 * (names_.size() + 1) > name_slots_.size()) grow_name_slots();
    const std::uint64_t h = std::hash<std::string_view>{}(s);
    name_slot& slot = name_slots_[find_slot(h, s)];
    if (slot.id != none) return slot.id;
    slot = {.hash = h, .id = static_cast<name_id>(names_.size())};
    names_.emplace_back(s);
    node_of_.push_back(none);
    return slot.id;
  }
  [[nodiscard]] const std::string& name(name_id id) const { return names_[id]; }
  [[nodiscard]] name_id find_name(std::string_view s) const {
    return name_slots_.empty() ? none : name_slots_[find_slot(std::hash<std::string_view>{}(s), s)].id;
  }
  // The slot of `s` in `name_slots_`, or the empty one where it would go (linear probing).
  [[nodiscard]] std::size_t find_slot(std::uint64_t h, std::string_view s) const {
    const std::size_t mask = name_slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (name_slots_[i].id != none && (name_slots_[i].hash != h || names_[name_slots_[i].id] != s)) i = (i + 1) & mask;
    return i;
  }
  void grow_name_slots() {
    std::vector<name_slot> old(std::max<std::size_t>(1024, 2 * name_slots_.size()));
    old.swap(name_slots_);
    const std::size_t mask = name_slots_.size() - 1;
    for (const name_slot& slot : old)
      if (slot.id != none) {
        std::size_t i = static_cast<std::size_t>(slot.hash) & mask;
        while (name_slots_[i].id != none) i = (i + 1) & mask;
        name_slots_[i] = slot;
      }
  }
  [[nodiscard]] bool is_node(name_id id) const { return id != none && node_of_[id] != none; }
  node& node_named(name_id id) { return nodes_[node_of_[id]]; }

  // One line of JSON Lines: by SAX when it is a well-formed asset, else through the DOM, whose
  // reader names what is wrong (or reads what the SAX reader leaves to it) with the line's number.
  void add_line(const std::string& line, std::size_t n, const std::string& file) {
    if (!line_reader_.read(line, record_)) {
      try {
        detail::read_gcp_record(detail::parse_json(line, file), "", file, options_.resource, record_);
      } catch (const input_error& e) {  // place it on its line of the file
        throw input_error({.file = file, .line = n, .column = e.where().line != 0 ? e.where().column : 0, .pointer = e.where().pointer},
                          e.reason());
      }
    }
    add_record(record_);
  }

  // An asset, or a bare policy on gcp_options::resource: its names interned, its members' grants kept.
  void add_record(const detail::gcp_record& r) {
    ++summary_.records;
    detail::gcp_asset a;
    std::string id;
    if (r.bare_policy) {
      id = detail::gcp_bare_policy_resource(options_.resource);
      ++summary_.records_by_type["bare policies"];
    } else {
      id = detail::gcp_canonical(r.name);
      for (const std::string& x : r.ancestors)
        if (const std::string_view c = detail::gcp_canonical_view(x); c != id) a.ancestors.push_back(intern(c));
      for (const std::string& k : r.other_fields) ++fields_not_read_[k];
    }
    a.id = intern(id);
    a.type = intern(r.type);
    if (!r.bare_policy) ++records_of_type_[a.type];
    // A service account's node is its member name, which its bindings' members use.
    const bool sa = r.type == "iam.googleapis.com/ServiceAccount" && id.find('@') != std::string::npos;
    a.node = sa ? intern("serviceAccount:" + id.substr(id.rfind('/') + 1)) : a.id;
    a.first_grant = grants_.size();
    for (const detail::gcp_binding_record& b : r.bindings()) {
      const name_id role = intern(b.role);
      for (const std::string& m : b.members) grants_.push_back({.member = intern(m), .role = role, .conditional = b.conditional});
      ++bindings_read_;
      conditional_bindings_read_ += b.conditional;
    }
    a.end_grant = grants_.size();
    assets_.push_back(std::move(a));
  }

  // The counts kept by number while reading, into the summary's maps by name.
  void count_records() {
    for (const auto& [type, count] : records_of_type_)
      summary_.records_by_type[name(type).empty() ? "assets without a type" : name(type)] += count;
    for (const auto& [field, count] : fields_not_read_) summary_.fields_not_read[field] += count;
    if (bindings_read_ != 0) summary_.records_by_type["bindings"] += bindings_read_;
    if (conditional_bindings_read_ != 0) summary_.records_by_type["bindings with a condition"] += conditional_bindings_read_;
    records_of_type_ = {};
    fields_not_read_ = {};
    bindings_read_ = conditional_bindings_read_ = 0;
  }

  void add_node(name_id id, node n) {
    node_of_[id] = static_cast<std::uint32_t>(nodes_.size());
    node_name_.push_back(id);
    nodes_.push_back(std::move(n));
  }

  // The member's node, creating it; false for members not imported (counted).
  bool principal(name_id id) {
    if (is_node(id)) return true;
    const std::string& member = name(id);
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
      return false;
    }
    if (n.name.empty()) return ++summary_.unknown_types["member " + prefix], false;
    n.properties = nlohmann::json{{"gcp_member", member}};
    if (member == "allUsers" || member == "allAuthenticatedUsers") n.properties["public"] = true;
    add_node(id, std::move(n));
    return true;
  }

  // A container or resource node; `described` false for one only named by others (a placeholder).
  void resource(name_id id_name, name_id type, bool described) {
    const bool added = !is_node(id_name);
    if (added) {
      const std::string& id = name(id_name);
      const bool container = detail::gcp_is_container(id);
      node n{.name = container ? id : id.substr(id.starts_with("//") ? id.find('/', 2) + 1 : 0)};
      n.kind = container ? node_kind::cloud_account : node_kind::cloud_resource;
      n.properties = nlohmann::json::object();
      if (container) {
        n.crown_jewel = true;
        n.tier_zero = "GCP " + id.substr(0, id.find('/') - 1) + ": IAM policies here hold every resource below";
      }
      add_node(id_name, std::move(n));
    }
    node& n = node_named(id_name);
    if (type != none && !name(type).empty()) n.properties["asset_type"] = name(type);
    if (described) n.properties.erase("placeholder");
    else if (added) n.properties["placeholder"] = true;
  }

  // "projects/P" of a name, interned, or none.
  name_id project_in_name(name_id id) {
    const std::string p = detail::gcp_project_in_name(name(id));
    return p.empty() ? none : intern(p);
  }

  void build_nodes() {
    nodes_.reserve(names_.size());  // at most one a name: no copies while the vector grows
    node_name_.reserve(names_.size());
    for (const detail::gcp_asset& a : assets_) {
      if (a.node != a.id) sa_project_[a.node] = project_in_name(a.id);
      else resource(a.id, a.type, true);
    }
    // The hierarchy: ancestors, else the project in the name; service accounts' projects.
    for (const detail::gcp_asset& a : assets_) {
      std::vector<name_id> implied;
      if (a.ancestors.empty())
        if (const name_id p = project_in_name(a.id); p != none && p != a.id) implied.push_back(p);
      name_id child = a.node;
      for (const name_id parent : a.ancestors.empty() ? implied : a.ancestors) {
        resource(parent, none, false);
        if (parent != child) parent_of_.try_emplace(child, parent);
        child = parent;
      }
    }
    for (const detail::gcp_grant& g : grants_)
      if (principal(g.member) && !sa_project_.contains(g.member)) note_service_account_project(g.member);
    for (const auto& [sa, project] : sa_project_) {
      (void)principal(sa);
      if (is_node(project)) parent_of_.try_emplace(sa, project);
    }
    mark_tier_zero();
  }

  // A service account member's project from its email: name@PROJECT.iam.gserviceaccount.com.
  void note_service_account_project(name_id member) {
    const std::string& id = name(member);
    if (!id.starts_with("serviceAccount:")) return;
    if (const auto at = id.find('@'), iam = id.find(".iam.gserviceaccount.com"); at != std::string::npos && iam != std::string::npos && iam > at + 1)
      sa_project_[member] = intern("projects/" + id.substr(at + 1, iam - at - 1));
  }

  // Tier zero: who controls a project, folder or organisation.
  void mark_tier_zero() {
    for (const detail::gcp_asset& a : assets_) {
      if (!detail::gcp_is_container(name(a.id))) continue;
      for (std::size_t i = a.first_grant; i < a.end_grant; ++i) {
        const detail::gcp_grant& g = grants_[i];
        if (!detail::gcp_controls_container(name(g.role)) || !is_node(g.member)) continue;
        double& p = controls_[pair_key(g.member, a.id)];
        p = std::max(p, g.conditional ? 0.5 : 1.0);
        node& n = node_named(g.member);
        if (n.tier_zero) continue;
        n.tier_zero = name(g.role) + " on " + name(a.id);
        n.privileged = true;
      }
    }
  }

  // The nodes in id order (the twin's), and each node's place in it.
  void order_nodes() {
    order_.resize(nodes_.size());
    for (std::uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), [&](std::uint32_t x, std::uint32_t y) { return name(node_name_[x]) < name(node_name_[y]); });
    position_.resize(nodes_.size());
    for (std::size_t p = 0; p < order_.size(); ++p) position_[order_[p]] = p;
  }

  // Id order of two names: by position for nodes (the same order, without comparing strings).
  [[nodiscard]] bool before(name_id x, name_id y) const {
    if (is_node(x) && is_node(y)) return position_[node_of_[x]] < position_[node_of_[y]];
    return name(x) < name(y);
  }

  // The service accounts at or below each resource: `id` -> those whose chain of parents holds it,
  // so that a grant on a container finds its service accounts without a scan.
  std::unordered_map<name_id, std::vector<name_id>> service_accounts_within() const {
    std::unordered_map<name_id, std::vector<name_id>> within;
    std::vector<name_id> chain;
    for (const auto& [sa, project] : sa_project_) {
      chain.clear();
      name_id id = sa;
      for (std::size_t hops = 0; hops <= parent_of_.size(); ++hops) {  // bounded, and a cycle ends the chain
        if (std::find(chain.begin(), chain.end(), id) != chain.end()) break;
        chain.push_back(id);
        within[id].push_back(sa);
        const auto it = parent_of_.find(id);
        if (it == parent_of_.end()) break;
        id = it->second;
      }
    }
    return within;
  }

  void choose_entry_points() {
    summary_.entry_rule = options_.owned.empty() ? "users-groups-public" : "owned";
    for (const std::string& o : options_.owned) {
      node* found = nullptr;
      if (const name_id id = find_name(o); is_node(id)) found = &node_named(id);
      for (std::size_t p = 0; found == nullptr && p < order_.size(); ++p)
        if (nodes_[order_[p]].name == o) found = &nodes_[order_[p]];
      if (found == nullptr) throw input_error({.pointer = "owned"}, "no GCP member or resource is '" + o + "'");
      found->entry_point = true;
    }
    if (!options_.owned.empty()) return;
    for (node& n : nodes_)
      n.entry_point = !n.tier_zero && (n.kind == node_kind::user || n.kind == node_kind::group || n.kind == node_kind::internet);
  }

  // Sorts (from, to) pairs into id order, as the edges of one kind are added.
  template <class Value>
  std::vector<std::pair<std::uint64_t, Value>> in_id_order(const std::unordered_map<std::uint64_t, Value>& m) const {
    std::vector<std::pair<std::uint64_t, Value>> v(m.begin(), m.end());
    std::sort(v.begin(), v.end(), [&](const auto& x, const auto& y) {
      const auto xf = static_cast<name_id>(x.first >> 32), yf = static_cast<name_id>(y.first >> 32);
      if (xf != yf) return before(xf, yf);
      return before(static_cast<name_id>(x.first), static_cast<name_id>(y.first));
    });
    return v;
  }

  // (member, service account) -> the best can_assume_role probability: the impersonation roles,
  // held on the account or above it.
  std::unordered_map<std::uint64_t, double> impersonations() const {
    std::unordered_map<std::uint64_t, double> impersonation;
    const auto within = service_accounts_within();
    for (const detail::gcp_asset& a : assets_) {
      const auto sas = within.find(a.node);
      if (sas == within.end()) continue;
      for (std::size_t i = a.first_grant; i < a.end_grant; ++i) {
        const detail::gcp_grant& g = grants_[i];
        const double impersonate = detail::gcp_impersonation_probability(name(g.role)) * (g.conditional ? 0.5 : 1.0);
        if (impersonate == 0.0 || !is_node(g.member)) continue;
        for (const name_id sa : sas->second)
          if (sa != g.member) {
            double& best = impersonation[pair_key(g.member, sa)];
            best = std::max(best, impersonate);
          }
      }
    }
    return impersonation;
  }

  void add_edges(twin_builder& b, const std::vector<std::pair<std::uint64_t, double>>& impersonation) {
    // (from, to, role or kind) already added: one edge each.
    edge_key_set seen(grants_.size() + impersonation.size() + controls_.size() + parent_of_.size());
    std::size_t counts[4]{};  // by kind, in `kinds` order
    constexpr edge_kind kinds[4] = {edge_kind::has_permission, edge_kind::can_assume_role, edge_kind::tier_zero_of, edge_kind::contains};
    auto add = [&](name_id from, name_id to, int kind, double p, name_id key) {
      if (!seen.insert({from, to, key})) return void(++summary_.duplicate_edges);
      const edge e{.kind = kinds[kind], .probability = p};
      if (is_node(from) && is_node(to)) b.add_edge(position_[node_of_[from]], position_[node_of_[to]], e);
      else b.add_edge(name(from), name(to), e);  // an unknown end: build() reports it
      ++counts[kind];
    };
    std::unordered_map<name_id, double> role_probability;  // cached: a few dozen roles, many grants
    for (const detail::gcp_asset& a : assets_) {
      const name_id target = a.node;
      const bool container = detail::gcp_is_container(name(target));  // controls_ holds containers only
      for (std::size_t i = a.first_grant; i < a.end_grant; ++i) {
        const detail::gcp_grant& g = grants_[i];
        if (!is_node(g.member)) continue;  // not imported (counted when read)
        const double scale = g.conditional ? 0.5 : 1.0;
        if (container && controls_.contains(pair_key(g.member, target))) {  // its tier_zero_of edge (below) stands for every grant there
          if (!seen.insert({g.member, target, g.role})) ++summary_.duplicate_edges;
        } else {
          auto [it, added] = role_probability.try_emplace(g.role);
          if (added) it->second = detail::gcp_role_probability(name(g.role));
          add(g.member, target, 0, it->second * scale, g.role);
        }
        if (g.conditional) ++summary_.assumptions["edges of conditional bindings (condition not evaluated; probability x0.5)"];
      }
    }
    for (const auto& [ends, p] : impersonation)
      add(static_cast<name_id>(ends >> 32), static_cast<name_id>(ends), 1, p, intern("impersonate"));
    // Control of a project, folder or organisation is tier zero of it: one edge each, probability
    // 1 (0.5 when only conditional bindings give it), the way on from tier zero that paths keep.
    for (const auto& [ends, p] : in_id_order(controls_))
      add(static_cast<name_id>(ends >> 32), static_cast<name_id>(ends), 2, p, intern("tier_zero_of"));
    std::vector<std::pair<name_id, name_id>> hierarchy(parent_of_.begin(), parent_of_.end());
    std::sort(hierarchy.begin(), hierarchy.end(), [&](const auto& x, const auto& y) { return before(x.first, y.first); });
    for (const auto& [child, parent] : hierarchy) add(parent, child, 3, 1.0, intern("contains"));
    for (int k = 0; k < 4; ++k)
      if (counts[k] != 0) summary_.edges_by_kind[std::string(to_string(kinds[k]))] += counts[k];
  }

  gcp_options options_;
  import_summary summary_;
  // Every name read, once: `names_[id]`, found through `name_slots_`; `node_of_[id]` its node, or none.
  struct name_slot {
    std::uint64_t hash = 0;
    name_id id = none;
  };
  std::deque<std::string> names_;
  std::vector<name_slot> name_slots_;  // an open-addressing index of names_, at most half full
  std::vector<std::uint32_t> node_of_;
  std::vector<detail::gcp_asset> assets_;
  std::vector<detail::gcp_grant> grants_;  // every binding's members, asset by asset
  std::vector<node> nodes_;                // in the order made; `order_` is the id order
  std::vector<name_id> node_name_;         // each node's id
  std::vector<std::uint32_t> order_;       // node indices in id order
  std::vector<std::size_t> position_;      // node index -> its place in `order_` (the builder's position)
  std::unordered_map<name_id, name_id> parent_of_;       // child -> parent in the hierarchy (service accounts: their project)
  std::unordered_map<name_id, name_id> sa_project_;      // service account node -> its project (none when unknown)
  std::unordered_map<std::uint64_t, double> controls_;   // (member, container it is tier zero of) -> tier_zero_of probability
  // Reading: the record being read (its strings reused from record to record) and the counts for
  // the summary, kept by number until finish().
  detail::gcp_record record_;
  detail::gcp_line_reader line_reader_;
  std::unordered_map<name_id, std::size_t> records_of_type_;
  std::unordered_map<std::string, std::size_t> fields_not_read_;
  std::size_t bindings_read_ = 0, conditional_bindings_read_ = 0;
};

}  // namespace twinrisk
