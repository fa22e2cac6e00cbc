#pragma once
/// `basic_twin_builder`: collects nodes, edges and threats by string id, validates, builds a twin.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/model/detail/bundle_checks.hpp"
#include "twinrisk/model/detail/csr_assembly.hpp"
#include "twinrisk/detail/id_index.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

/// An entry point of a threat named by node id, as given to the builder.
struct threat_entry_ref {
  std::string node;
  double weight = 1.0;
};

/// Builds a `basic_twin`. Every item is checked when added (ids, probabilities, money); endpoints
/// and threat entry points are resolved by `build()`, so nodes and edges may come in any order.
/// Errors are `input_error`s located at the item's logical path, the same as in the native JSON
/// format (`/nodes/3/id`, `/edges/17/to`), so readers only add the file name.
/// Exception safety: strong — a throwing call leaves the builder as it was.
///
///     twin_builder b;
///     b.add_node("vpn", {.name = "VPN", .kind = node_kind::vpn_gateway, .entry_point = true});
///     b.add_node("db", {.name = "Customer DB", .kind = node_kind::database, .crown_jewel = true});
///     b.add_edge("vpn", "db", {.kind = edge_kind::network_reach, .probability = 0.3});
///     twin t = b.build();
template <class NodeData, class EdgeData>
class basic_twin_builder {
 public:
  using twin_type = basic_twin<NodeData, EdgeData>;

  /// Reserves room for `nodes` nodes and `edges` edges (`edges` by id when `by_id`).
  void reserve(std::size_t nodes, std::size_t edges, bool by_id = false) {
    ids_.reserve(nodes);
    nodes_.reserve(nodes);
    index_.reserve(nodes, ids_);
    ends_.reserve(edges);
    edges_.reserve(edges);
    if (by_id) pending_.reserve(edges);
  }

  /// Adds a node. Throws: input_error on an empty or duplicate id or a field out of its domain.
  void add_node(std::string id, NodeData data) {
    const detail::item_path at{"nodes", nodes_.size()};
    if (id.empty()) throw input_error({.pointer = at.str("/id")}, "expected a non-empty id");
    if (const std::size_t first = index_.find(id, ids_); first != detail::id_index::npos)
      throw input_error({.pointer = at.str("/id")},
                        "duplicate node id '" + id + "' (first at /nodes/" + std::to_string(first) + ")");
    detail::check_bundle(data, at);
    make_room_for_one(ids_);
    make_room_for_one(nodes_);
    ids_.push_back(std::move(id));
    try {
      index_.insert(ids_.size() - 1, ids_);
    } catch (...) {
      ids_.pop_back();
      throw;
    }
    nodes_.push_back(std::move(data));
  }

  /// Adds an edge from node `from` to node `to`. Throws: input_error on an empty endpoint id or a
  /// field out of its domain (unknown endpoints are reported by `build()`).
  void add_edge(std::string from, std::string to, EdgeData data) {
    const detail::item_path at{"edges", edges_.size()};
    if (from.empty()) throw input_error({.pointer = at.str("/from")}, "expected a non-empty node id");
    if (to.empty()) throw input_error({.pointer = at.str("/to")}, "expected a non-empty node id");
    detail::check_bundle(data, at);
    make_room_for_one(pending_);
    push_edge(unresolved, unresolved, std::move(data));
    pending_.push_back({edges_.size() - 1, std::move(from), std::move(to)});
  }

  /// Adds an edge between the nodes added at positions `from` and `to` (0-based, in the order of
  /// `add_node`): the fast path for readers of numbered formats, with no id hashing.
  /// Throws: input_error on a field out of its domain (positions are checked by `build()`).
  void add_edge(std::size_t from, std::size_t to, EdgeData data) {
    detail::check_bundle(data, detail::item_path{"edges", edges_.size()});
    push_edge(from, to, std::move(data));
  }

  /// Adds a threat whose entry points are named by node id (`t.entry_points` is ignored).
  /// Throws: input_error on an empty id, a bad frequency, capability, detection time or weight.
  void add_threat(threat t, std::vector<threat_entry_ref> entries) {
    const std::string path = detail::item_path{"threats", threats_.size()}.str();
    if (t.id.empty()) throw input_error({.pointer = path + "/id"}, "expected a non-empty id");
    for (std::size_t i = 0; i < threats_.size(); ++i)
      if (threats_[i].first.id == t.id)
        throw input_error({.pointer = path + "/id"},
                          "duplicate threat id '" + t.id + "' (first at /threats/" + std::to_string(i) + ")");
    detail::check_distribution(t.frequency, path + "/frequency");
    if (t.detect_hours) detail::check_distribution(*t.detect_hours, path + "/detect_hours");
    if (!(t.capability > 0.0 && t.capability <= 1.0))
      throw input_error({.pointer = path + "/capability"},
                        "expected a number in (0,1], got " + detail::show_number(t.capability));
    if (entries.empty()) throw input_error({.pointer = path + "/entry_points"}, "expected at least one entry point");
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (!(entries[i].weight > 0.0 && std::isfinite(entries[i].weight)))
        throw input_error({.pointer = path + "/entry_points/" + std::to_string(i) + "/weight"},
                          "expected a finite weight > 0, got " + detail::show_number(entries[i].weight));
    t.entry_points.clear();
    threats_.emplace_back(std::move(t), std::move(entries));
  }

  /// Correlates the primary losses of assets `a` and `b` (node ids) by `correlation` (see
  /// `loss_correlation`). Whether the pairs form a positive-definite matrix is checked where
  /// the matrix is factorised, by the loss simulation (risk/loss_copula.hpp).
  /// Throws: input_error on a correlation outside [-1, 1] or an asset paired with itself;
  /// `build()` on an unknown id, a node without a loss, or a pair given twice.
  void add_loss_correlation(std::string a, std::string b, double correlation) {
    const std::string path = detail::item_path{"loss_correlations", correlations_.size()}.str();
    if (!(correlation >= -1.0 && correlation <= 1.0))
      throw input_error({.pointer = path + "/correlation"}, "expected a number in [-1, 1], got " + detail::show_number(correlation));
    if (a == b) throw input_error({.pointer = path + "/assets"}, "expected two different assets, got '" + a + "' twice");
    correlations_.push_back({std::move(a), std::move(b), correlation});
  }

  void set_name(std::string name) { info_.name = std::move(name); }
  /// Throws: input_error unless `code` is three upper-case letters (ISO 4217) or empty.
  void set_currency(std::string code) {
    const bool ok = code.empty() || (code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
                                       return c >= 'A' && c <= 'Z';
                                     }));
    if (!ok) throw input_error({.pointer = "/currency"}, "expected an ISO 4217 code such as \"USD\", got \"" + code + "\"");
    info_.currency = std::move(code);
  }
  void set_metadata(nlohmann::json metadata) { info_.metadata = std::move(metadata); }

  [[nodiscard]] std::size_t num_nodes() const noexcept { return nodes_.size(); }
  [[nodiscard]] std::size_t num_edges() const noexcept { return edges_.size(); }

  /// Builds the twin; the builder is left unchanged and may be built again.
  /// Throws: input_error on an edge endpoint or threat entry point that names no node, or on
  /// money without a currency. Complexity: O(V + E) plus hashing the ids.
  [[nodiscard]] twin_type build() const& {
    basic_twin_builder copy(*this);
    return std::move(copy).build();
  }

  /// Builds the twin, consuming the builder (no copy of the node and edge data).
  [[nodiscard]] twin_type build() && {
    basic_twin_builder& b = *this;
    // Every end is checked before any is written, so a failed build leaves the builder as it was;
    // then the ends are resolved in place (a copy of them would add to the peak of memory).
    std::vector<std::pair<std::size_t, std::size_t>> resolved;
    resolved.reserve(b.pending_.size());
    for (const pending_ends& p : b.pending_) {
      const detail::item_path at{"edges", p.edge};
      resolved.emplace_back(b.resolve(p.from, at, "/from"), b.resolve(p.to, at, "/to"));
    }
    for (std::size_t i = 0, next_pending = 0; i < b.ends_.size(); ++i) {
      if (next_pending < b.pending_.size() && b.pending_[next_pending].edge == i) {  // pending_ is in edge order
        ++next_pending;
        continue;
      }
      for (std::size_t end : {b.ends_[i].first, b.ends_[i].second})
        if (end >= b.nodes_.size())
          throw input_error({.pointer = "/edges/" + std::to_string(i)},
                            "node position " + std::to_string(end) + " out of range (" +
                                std::to_string(b.nodes_.size()) + " nodes)");
    }

    twin_type t;
    t.info_ = b.info_;
    for (std::size_t k = 0; k < b.threats_.size(); ++k) {
      threat th = b.threats_[k].first;
      const auto& entries = b.threats_[k].second;
      for (std::size_t i = 0; i < entries.size(); ++i)
        th.entry_points.push_back(
            {b.resolve(entries[i].node, {"threats", k}, "/entry_points/" + std::to_string(i) + "/node"),
             entries[i].weight});
      t.info_.threats.push_back(std::move(th));
    }
    b.resolve_correlations(t.info_.loss_correlations);
    if constexpr (requires(const NodeData& n) { n.loss.has_value(); }) {
      if (t.info_.currency.empty())
        for (std::size_t v = 0; v < b.nodes_.size(); ++v)
          if (b.nodes_[v].loss)
            throw input_error({.pointer = "/currency"},
                              "expected a currency: node '" + b.ids_[v] + "' states a loss in money");
    }

    for (std::size_t k = 0; k < resolved.size(); ++k) b.ends_[b.pending_[k].edge] = resolved[k];  // no input_error from here on
    detail::assemble_csr(t.g_, b.nodes_, b.ends_, b.edges_);  // the data moved in, not copied
    t.ids_ = std::move(b.ids_);
    t.index_ = std::move(b.index_);
    b = basic_twin_builder();
    return t;
  }

 private:
  // Grows `v` geometrically ahead of a push_back, so that the push_back cannot throw and a
  // failed add leaves every vector as it was (reserve(size() + 1) would grow by one: quadratic).
  template <class T>
  static void make_room_for_one(std::vector<T>& v) {
    if (v.size() == v.capacity()) v.reserve(std::max<std::size_t>(16, 2 * v.capacity()));
  }

  std::size_t resolve(const std::string& id, const detail::item_path& at, std::string_view suffix) const {
    const std::size_t v = index_.find(id, ids_);
    if (v == detail::id_index::npos) throw input_error({.pointer = at.str(suffix)}, "unknown node id '" + id + "'");
    return v;
  }

  /// The correlation pairs by vertex, each checked: known assets that state a loss, no pair twice.
  void resolve_correlations(std::vector<loss_correlation>& out) const {
    std::vector<std::pair<std::size_t, std::size_t>> seen;
    for (std::size_t i = 0; i < correlations_.size(); ++i) {
      const pending_correlation& c = correlations_[i];
      const detail::item_path at{"loss_correlations", i};
      const std::size_t a = resolve(c.a, at, "/assets/0"), b = resolve(c.b, at, "/assets/1");
      if constexpr (requires(const NodeData& n) { n.loss.has_value(); }) {
        for (const auto& [v, which] : {std::pair{a, "/assets/0"}, std::pair{b, "/assets/1"}})
          if (!nodes_[v].loss) throw input_error({.pointer = at.str(which)}, "node '" + ids_[v] + "' states no loss to correlate");
      }
      const std::pair<std::size_t, std::size_t> key{std::min(a, b), std::max(a, b)};
      if (const auto first = std::find(seen.begin(), seen.end(), key); first != seen.end())
        throw input_error({.pointer = at.str("/assets")}, "the pair '" + c.a + "', '" + c.b + "' is correlated twice (first at /loss_correlations/" +
                                                              std::to_string(first - seen.begin()) + ")");
      seen.push_back(key);
      out.push_back({a, b, c.correlation});
    }
  }

  std::vector<std::string> ids_;
  std::vector<NodeData> nodes_;
  detail::id_index index_;
  void push_edge(std::size_t from, std::size_t to, EdgeData&& data) {
    make_room_for_one(ends_);
    make_room_for_one(edges_);
    ends_.emplace_back(from, to);
    edges_.push_back(std::move(data));
  }

  static constexpr std::size_t unresolved = static_cast<std::size_t>(-1);
  struct pending_ends {  // an edge added by node ids, resolved by build()
    std::size_t edge;
    std::string from, to;
  };

  std::vector<std::pair<std::size_t, std::size_t>> ends_;  // node positions; `unresolved` until build()
  std::vector<pending_ends> pending_;
  std::vector<EdgeData> edges_;
  std::vector<std::pair<threat, std::vector<threat_entry_ref>>> threats_;
  struct pending_correlation {
    std::string a, b;
    double correlation;
  };
  std::vector<pending_correlation> correlations_;
  twin_info info_;
};

/// A builder holding everything of `t` (nodes, edges in edge-index order, threats, name, currency,
/// metadata), to extend a twin with more nodes and edges: `builder_from(t).build()` equals `t`.
/// `change_node(NodeData&)` may edit each node on the way in.
template <class NodeData, class EdgeData, class ChangeNode = void (*)(NodeData&)>
[[nodiscard]] basic_twin_builder<NodeData, EdgeData> builder_from(const basic_twin<NodeData, EdgeData>& t,
                                                                  ChangeNode change_node = [](NodeData&) {}) {
  basic_twin_builder<NodeData, EdgeData> b;
  b.reserve(t.num_nodes(), t.num_edges());
  for (auto v : t.vertices()) {
    NodeData n = t[v];
    change_node(n);
    b.add_node(t.id(v), std::move(n));
  }
  std::vector<typename basic_twin<NodeData, EdgeData>::edge_descriptor> by_index(t.num_edges());
  for (auto uv : t.edges()) by_index[t.edge_index(uv)] = uv;
  for (auto uv : by_index) b.add_edge(std::size_t{t.source(uv)}, std::size_t{t.target(uv)}, EdgeData(t[uv]));
  for (const threat& th : t.info().threats) {
    std::vector<threat_entry_ref> entries;
    for (const threat_entry& e : th.entry_points) entries.push_back({t.id(e.vertex), e.weight});
    b.add_threat(th, std::move(entries));
  }
  for (const loss_correlation& c : t.info().loss_correlations) b.add_loss_correlation(t.id(c.a), t.id(c.b), c.correlation);
  b.set_name(t.info().name);
  b.set_currency(t.info().currency);
  b.set_metadata(t.info().metadata);
  return b;
}

/// The builder of the library's own `twin`.
using twin_builder = basic_twin_builder<node, edge>;

}  // namespace twinrisk
