#pragma once
/// One entry point for CVSS vectors of every supported version (3.0, 3.1, 4.0): the score the official
/// calculator shows, its severity, and the version's own details.

#include <string_view>
#include <utility>
#include <variant>

#include "twinrisk/error.hpp"
#include "twinrisk/cvss/cvss31.hpp"
#include "twinrisk/cvss/cvss40.hpp"

namespace twinrisk {

/// A scored CVSS vector of any supported version.
struct cvss_score {
  cvss_version version = cvss_version::v3_1;
  /// v3.x: `cvss31_scores::overall()` (environmental, else temporal, else base); v4.0: the score
  /// (CVSS-B, -BT, -BE or -BTE, by the metrics the vector defines).
  double score = 0.0;
  cvss_severity severity = cvss_severity::none;
  std::variant<cvss31_scores, cvss40_score> details{};  ///< cvss31_scores for v3.0 and v3.1
};

/// Scores `vector`, dispatching on its prefix: "CVSS:3.0/", "CVSS:3.1/" or "CVSS:4.0/".
/// Throws: input_error as parse_cvss31 and parse_cvss40, or for another prefix, e.g.
/// `column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found 'AV:N/'` (CVSS v2 is not supported).
/// Example: `score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").score == 9.8`.
[[nodiscard]] inline cvss_score score_cvss(std::string_view vector) {
  if (vector.starts_with("CVSS:4.0/")) {
    cvss40_score s = score_cvss40(parse_cvss40(vector));
    return {cvss_version::v4_0, s.score, s.severity, std::move(s)};
  }
  if (vector.starts_with("CVSS:3.1/") || vector.starts_with("CVSS:3.0/")) {
    const cvss31_vector v = parse_cvss31(vector);
    const cvss31_scores s = score_cvss31(v);
    return {v.version, s.overall(), s.severity(), s};
  }
  throw detail::cvss_error(1, "expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found " +
                                  detail::cvss_found_prefix(vector));
}

}  // namespace twinrisk
