#pragma once
/// Actions files: the remediation options a team actually has, with their real costs, and
/// overrides of the default cost of fixing each edge kind.
///
///     {"actions": [{"kind": "patch_cve", "target": "CVE-2024-4577", "cost": 8000,
///                   "description": "emergency PHP upgrade"},
///                  {"kind": "require_mfa", "target": "u017", "effectiveness": 0.9, "cost": 150}],
///      "edge_kind_costs": {"has_session": 500, "network_reach": 4000}}
///
/// Every target is checked against the twin when the file is read, so a typo fails with the
/// file and the JSON pointer rather than later in the planner.

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/remediate/actions.hpp"

namespace twinrisk {

/// What an actions file holds.
struct action_catalog {
  std::vector<remediation_action> actions{};
  std::map<edge_kind, double> edge_kind_costs{};  ///< replace default_fix(kind).cost
};

/// Parses an actions file's JSON text against twin `t`; `file` names it in errors.
/// Throws: input_error with file and JSON pointer on malformed JSON, an unknown member, kind or
/// target, an effectiveness outside [0,1], or a cost that is negative or not finite.
template <class T>
[[nodiscard]] action_catalog parse_actions(const T& t, std::string_view text, const std::string& file = "") {
  const detail::json root = detail::parse_json(text, file);
  detail::json_object top(root, "", file);
  action_catalog out;
  const detail::json& actions = top.array_or_empty("actions");
  std::vector<double> scratch(t.num_edges(), 1.0);
  auto check_cost = [&](detail::json_object& o, std::string_view key, double cost) {
    if (!(cost >= 0.0 && std::isfinite(cost))) o.fail(key, "expected a finite cost >= 0, got " + detail::show_number(cost));
  };
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const std::string at = "/actions/" + std::to_string(i);
    detail::json_object o(actions[i], at, file);
    remediation_action a;
    a.kind = o.enumerator("kind", action_kind_names);
    a.target = o.string("target");
    a.effectiveness = o.number_or("effectiveness", 1.0);
    a.cost = o.number("cost");
    check_cost(o, "cost", a.cost);
    a.description = o.string_or("description", "");
    o.finish();
    try {
      apply_actions(t, {a}, scratch, "/actions");
    } catch (const input_error& e) {  // located at /actions/0: the file's index instead
      std::string pointer = e.where().pointer;
      pointer.replace(0, std::string("/actions/0").size(), at);
      throw input_error({.file = file, .pointer = pointer}, e.reason());
    }
    a.reason = approval_reason(t, a);
    a.requires_approval = !a.reason.empty();
    out.actions.push_back(std::move(a));
  }
  if (const detail::json* costs = top.find("edge_kind_costs")) {
    if (!costs->is_object()) top.fail("edge_kind_costs", "expected an object, got " + detail::describe(*costs));
    for (const auto& [name, value] : costs->items()) {
      const input_location at{.file = file, .pointer = "/edge_kind_costs/" + detail::pointer_token(name)};
      const edge_kind kind = edge_kind_names.parse(name, at);
      const double cost = value.is_number() ? value.template get<double>() : -1.0;
      if (!(cost >= 0.0 && std::isfinite(cost)))
        throw input_error(at, "expected a finite cost >= 0, got " + detail::describe(value));
      out.edge_kind_costs[kind] = cost;
    }
  }
  top.finish();
  return out;
}

/// Reads an actions file. Throws: input_error as parse_actions, or when the file cannot be read.
template <class T>
[[nodiscard]] action_catalog read_actions_file(const T& t, const std::filesystem::path& path) {
  return parse_actions(t, detail::read_file(path), path.string());
}

}  // namespace twinrisk
