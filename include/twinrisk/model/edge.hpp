#pragma once
/// The edge bundle of `twin`: one trust relation an attacker may abuse.

#include <vector>

#include "twinrisk/model/annotations.hpp"
#include "twinrisk/model/compact.hpp"
#include "twinrisk/model/kinds.hpp"
#include "twinrisk/model/scenario.hpp"

namespace twinrisk {

/// A directed trust relation from the node that acts to the node it acts on.
struct edge {
  edge_kind kind = edge_kind::generic;
  double probability = 1.0;  ///< base success probability in [0,1], before exploitability policies
  compact_vector<vulnerability> vulnerabilities{};
  compact_vector<validation_evidence> evidence{};
  compact_vector<control> controls{};
  /// Hours an attacker needs to cross this edge once its source is held (time-to-compromise
  /// simulation); absent: the default of its kind (sim/time_to_compromise.hpp).
  boxed<distribution_spec> hours{};
  bool operator==(const edge&) const = default;
};

}  // namespace twinrisk
