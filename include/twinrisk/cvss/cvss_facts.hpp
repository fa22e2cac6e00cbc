#pragma once
/// What a CVSS vector says about how easy a vulnerability is to exploit — the inputs the
/// exploitability policies and filters use, for CVSS 3.0, 3.1 and 4.0 alike.

#include <algorithm>
#include <string_view>

#include "twinrisk/cvss/cvss31.hpp"
#include "twinrisk/cvss/cvss40.hpp"

namespace twinrisk {

/// Exploitability facts of one CVSS vector.
struct cvss_exploit_facts {
  double exploitability = 0.0;       ///< in [0,1]: the v3 exploitability subscore / 3.9, its maximum
  bool network = false;              ///< AV:N
  bool no_privileges = false;        ///< PR:N
  bool no_user_interaction = false;  ///< UI:N
  bool operator==(const cvss_exploit_facts&) const = default;
};

/// The facts of `vector`. CVSS 4.0 has no exploitability subscore: its AV, AC, PR and UI take
/// the v3.1 weights, with AT:P counting as AC:H and UI:P or UI:A as UI:R (an approximation,
/// documented in docs/api.md).
/// Throws: input_error as score_cvss on a malformed vector.
[[nodiscard]] inline cvss_exploit_facts cvss_exploit_facts_of(std::string_view vector) {
  cvss31_vector v3;
  if (vector.starts_with("CVSS:4.0/")) {
    const cvss40_vector v4 = parse_cvss40(vector);
    v3.av = v4.av;
    v3.ac = v4.ac == cvss_attack_complexity::high || v4.at == cvss40_attack_requirements::present
                ? cvss_attack_complexity::high
                : cvss_attack_complexity::low;
    v3.pr = v4.pr;
    v3.ui = v4.ui == cvss40_user_interaction::none ? cvss31_user_interaction::none : cvss31_user_interaction::required;
  } else {
    v3 = parse_cvss31(vector);
  }
  return {std::min(1.0, score_cvss31(v3).exploitability / 3.9), v3.av == cvss_attack_vector::network,
          v3.pr == cvss_privileges_required::none, v3.ui == cvss31_user_interaction::none};
}

}  // namespace twinrisk
