#pragma once
/// The node bundle of `twin`: what the library knows about an asset or an identity.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/enum_names.hpp"
#include "twinrisk/model/annotations.hpp"
#include "twinrisk/model/compact.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/scenario.hpp"

namespace twinrisk {

/// Business criticality of an asset as its owner rates it.
enum class criticality : std::uint8_t { unrated, low, medium, high, critical };

inline constexpr detail::enum_names<criticality, 5> criticality_names{
    "criticality", {"unrated", "low", "medium", "high", "critical"}};

/// How a node falls: `any` live in-edge from a compromised node suffices (OR, the default);
/// `all` needs every in-edge's source compromised (AND prerequisites, as in MulVAL and MAL).
enum class node_gate : std::uint8_t { any, all };

inline constexpr detail::enum_names<node_gate, 2> node_gate_names{"gate", {"any", "all"}};

[[nodiscard]] constexpr std::string_view to_string(criticality c) noexcept { return criticality_names.name(c); }
[[nodiscard]] constexpr std::string_view to_string(node_gate g) noexcept { return node_gate_names.name(g); }

/// An asset or identity. Its string id is kept by the twin (`basic_twin::id(v)`), not here, so
/// that any node bundle, not only this one, can be looked up by id.
struct node {
  std::string name{};
  node_kind kind = node_kind::generic;
  compact_vector<std::string> tags{};
  std::string owner{};          ///< accountable person or team
  std::string business_unit{};
  bool entry_point = false;       ///< where attackers start (phishable users, exposed services, ...)
  bool internet_exposed = false;  ///< reachable from the internet
  bool crown_jewel = false;       ///< an asset whose compromise is the loss that matters
  bool sanctioned = true;         ///< false marks shadow IT / shadow AI
  bool privileged = false;        ///< tier zero, administrators, executives
  boxed<std::string> tier_zero{};  ///< in tier zero (control of it is control of a domain or tenant), with the reason
  criticality rating = criticality::unrated;
  node_gate gate = node_gate::any;
  boxed<loss_magnitude> loss{};  ///< money lost when it is compromised
  compact_vector<validation_evidence> evidence{};
  compact_vector<control> controls{};
  nlohmann::json properties{};  ///< free source-specific properties (null when none)
  bool operator==(const node&) const = default;
};

}  // namespace twinrisk
