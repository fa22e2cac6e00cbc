#pragma once
/// CVSS v4.0 vectors: a strict parser and the score of the FIRST MacroVector method
/// (https://www.first.org/cvss/v4.0/specification-document, section 8), computed as the official
/// calculator (cvss40.js of FIRSTdotorg/cvss-v4-calculator) computes it, with its nomenclature
/// (CVSS-B, CVSS-BT, CVSS-BE, CVSS-BTE), severity rating and MacroVector.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "twinrisk/detail/enum_names.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/cvss/cvss31.hpp"  // severity scale, shared metric values, the vector parser

namespace twinrisk {

// Metric values of v4.0 only (AV, AC, PR and the impacts share the v3.x enums of cvss/cvss31.hpp).

/// AT, MAT: Attack Requirements (N, P).
enum class cvss40_attack_requirements : std::uint8_t { none, present };
/// UI, MUI in v4.0: User Interaction (N, P, A).
enum class cvss40_user_interaction : std::uint8_t { none, passive, active };
/// MSI, MSA: Modified Subsequent System Integrity and Availability (N, L, H, S), where S is Safety.
enum class cvss40_subsequent_impact : std::uint8_t { none, low, high, safety };
/// E in v4.0: Exploit Maturity (U, P, A).
enum class cvss40_exploit_maturity : std::uint8_t { unreported, proof_of_concept, attacked };
/// S (supplemental): Safety (N, P).
enum class cvss40_safety : std::uint8_t { negligible, present };
/// AU: Automatable (N, Y).
enum class cvss40_automatable : std::uint8_t { no, yes };
/// R: Recovery (A, U, I).
enum class cvss40_recovery : std::uint8_t { automatic, user, irrecoverable };
/// V: Value Density (D, C).
enum class cvss40_value_density : std::uint8_t { diffuse, concentrated };
/// RE: Vulnerability Response Effort (L, M, H).
enum class cvss40_response_effort : std::uint8_t { low, moderate, high };
/// U: Provider Urgency (Clear, Green, Amber, Red).
enum class cvss40_urgency : std::uint8_t { clear, green, amber, red };

/// Which metric groups a v4.0 score takes into account (specification, section 1.3):
/// Base, Base + Threat, Base + Environmental, Base + Threat + Environmental.
enum class cvss40_nomenclature : std::uint8_t { cvss_b, cvss_bt, cvss_be, cvss_bte };

inline constexpr detail::enum_names<cvss40_nomenclature, 4> cvss40_nomenclature_names{
    "CVSS v4.0 nomenclature", {"CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE"}};

/// "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE".
[[nodiscard]] constexpr std::string_view to_string(cvss40_nomenclature n) noexcept {
  return cvss40_nomenclature_names.name(n);
}

/// A parsed CVSS v4.0 vector. Fields are named after the metric abbreviations of the specification.
/// An optional metric that the vector leaves out or sets to X (Not Defined) is empty.
/// Example: `v.av == cvss_attack_vector::network && v.ui == cvss40_user_interaction::none`.
struct cvss40_vector {
  // Base metrics: every vector gives them.
  cvss_attack_vector av = cvss_attack_vector::network;                 ///< Attack Vector
  cvss_attack_complexity ac = cvss_attack_complexity::low;             ///< Attack Complexity
  cvss40_attack_requirements at = cvss40_attack_requirements::none;    ///< Attack Requirements
  cvss_privileges_required pr = cvss_privileges_required::none;        ///< Privileges Required
  cvss40_user_interaction ui = cvss40_user_interaction::none;          ///< User Interaction
  cvss_impact vc = cvss_impact::none;  ///< Vulnerable System Confidentiality
  cvss_impact vi = cvss_impact::none;  ///< Vulnerable System Integrity
  cvss_impact va = cvss_impact::none;  ///< Vulnerable System Availability
  cvss_impact sc = cvss_impact::none;  ///< Subsequent System Confidentiality
  cvss_impact si = cvss_impact::none;  ///< Subsequent System Integrity
  cvss_impact sa = cvss_impact::none;  ///< Subsequent System Availability
  // Threat metric.
  std::optional<cvss40_exploit_maturity> e{};  ///< Exploit Maturity
  // Environmental metrics: security requirements, then the modified base metrics.
  std::optional<cvss_requirement> cr{};
  std::optional<cvss_requirement> ir{};
  std::optional<cvss_requirement> ar{};
  std::optional<cvss_attack_vector> mav{};
  std::optional<cvss_attack_complexity> mac{};
  std::optional<cvss40_attack_requirements> mat{};
  std::optional<cvss_privileges_required> mpr{};
  std::optional<cvss40_user_interaction> mui{};
  std::optional<cvss_impact> mvc{};
  std::optional<cvss_impact> mvi{};
  std::optional<cvss_impact> mva{};
  std::optional<cvss_impact> msc{};
  std::optional<cvss40_subsequent_impact> msi{};
  std::optional<cvss40_subsequent_impact> msa{};
  // Supplemental metrics: reported, never scored.
  std::optional<cvss40_safety> s{};
  std::optional<cvss40_automatable> au{};
  std::optional<cvss40_recovery> r{};
  std::optional<cvss40_value_density> v{};
  std::optional<cvss40_response_effort> re{};
  std::optional<cvss40_urgency> u{};

  /// True when E is defined (not X).
  [[nodiscard]] bool has_threat() const noexcept { return e.has_value(); }
  /// True when any environmental metric (CR ... MSA) is defined (not X).
  [[nodiscard]] bool has_environmental() const noexcept {
    return cr || ir || ar || mav || mac || mat || mpr || mui || mvc || mvi || mva || msc || msi || msa;
  }
  /// CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE, from the groups the vector defines (supplemental ones do not count).
  [[nodiscard]] cvss40_nomenclature nomenclature() const noexcept {
    if (has_threat()) return has_environmental() ? cvss40_nomenclature::cvss_bte : cvss40_nomenclature::cvss_bt;
    return has_environmental() ? cvss40_nomenclature::cvss_be : cvss40_nomenclature::cvss_b;
  }
  friend bool operator==(const cvss40_vector&, const cvss40_vector&) = default;
};

/// The score of a v4.0 vector with what the official calculator shows next to it.
struct cvss40_score {
  double score = 0.0;                          ///< 0.0 to 10.0, one decimal
  cvss_severity severity = cvss_severity::none;
  cvss40_nomenclature nomenclature = cvss40_nomenclature::cvss_b;
  std::string macrovector{};                   ///< EQ1..EQ6 as six digits, e.g. "000200"
};

namespace detail {

// CVSS v4.0 metric table (specification, section 7), in the specification's order, which vectors follow.
inline constexpr std::array<cvss_value, 5> cvss40_at_values{{{"N", 0}, {"P", 1}}};
inline constexpr std::array<cvss_value, 5> cvss40_ui_values{{{"N", 0}, {"P", 1}, {"A", 2}}};
inline constexpr std::array<cvss_value, 5> cvss40_subsequent_values{{{"S", 3}, {"H", 2}, {"L", 1}, {"N", 0}}};

inline constexpr std::array<cvss_metric, 32> cvss40_metrics{{
    {"AV", true, cvss_av_values},
    {"AC", true, cvss_ac_values},
    {"AT", true, cvss40_at_values},
    {"PR", true, cvss_pr_values},
    {"UI", true, cvss40_ui_values},
    {"VC", true, cvss_impact_values},
    {"VI", true, cvss_impact_values},
    {"VA", true, cvss_impact_values},
    {"SC", true, cvss_impact_values},
    {"SI", true, cvss_impact_values},
    {"SA", true, cvss_impact_values},
    {"E", false, {{{"A", 2}, {"P", 1}, {"U", 0}}}},
    {"CR", false, cvss_requirement_values},
    {"IR", false, cvss_requirement_values},
    {"AR", false, cvss_requirement_values},
    {"MAV", false, cvss_av_values},
    {"MAC", false, cvss_ac_values},
    {"MAT", false, cvss40_at_values},
    {"MPR", false, cvss_pr_values},
    {"MUI", false, cvss40_ui_values},
    {"MVC", false, cvss_impact_values},
    {"MVI", false, cvss_impact_values},
    {"MVA", false, cvss_impact_values},
    {"MSC", false, cvss_impact_values},
    {"MSI", false, cvss40_subsequent_values},
    {"MSA", false, cvss40_subsequent_values},
    {"S", false, {{{"N", 0}, {"P", 1}}}},
    {"AU", false, {{{"N", 0}, {"Y", 1}}}},
    {"R", false, {{{"A", 0}, {"U", 1}, {"I", 2}}}},
    {"V", false, {{{"D", 0}, {"C", 1}}}},
    {"RE", false, {{{"L", 0}, {"M", 1}, {"H", 2}}}},
    {"U", false, {{{"Clear", 0}, {"Green", 1}, {"Amber", 2}, {"Red", 3}}}},
}};

/// The fields of `v` in the order of `cvss40_metrics`.
template <class V>
constexpr auto cvss40_fields(V& v) noexcept {
  return std::tie(v.av, v.ac, v.at, v.pr, v.ui, v.vc, v.vi, v.va, v.sc, v.si, v.sa, v.e, v.cr, v.ir, v.ar, v.mav,
                  v.mac, v.mat, v.mpr, v.mui, v.mvc, v.mvi, v.mva, v.msc, v.msi, v.msa, v.s, v.au, v.r, v.v, v.re, v.u);
}

// The data tables of the official calculator, written out from the FIRST cvss-v4-calculator files
// cvss_lookup.js, max_composed.js and max_severity.js (commit c5b0d409ae9f57c44264c6ce5f27d89298e1d32a):
//
// Copyright (c) 2023 FIRST.ORG, Inc., Red Hat, and contributors
//
// Redistribution and use in source and binary forms, with or without
// modification, are permitted provided that the following conditions are met:
//
// 1. Redistributions of source code must retain the above copyright notice, this
//    list of conditions and the following disclaimer.
//
// 2. Redistributions in binary form must reproduce the above copyright notice,
//    this list of conditions and the following disclaimer in the documentation
//    and/or other materials provided with the distribution.
//
// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
// AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
// IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
// DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
// FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
// DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
// SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
// CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
// OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
// OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

/// One entry of cvss_lookup.js: a MacroVector and the score of its highest-severity vectors.
struct cvss40_macrovector_entry {
  std::string_view macrovector{};
  double score = 0.0;
};

/// cvss_lookup.js: the 270 MacroVectors that exist (EQ3 = 2 with EQ6 = 0 cannot happen).
inline constexpr std::array<cvss40_macrovector_entry, 270> cvss40_macrovector_scores{{
    {"000000", 10.0}, {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5}, {"000021", 9.2},
    {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7}, {"000120", 9.1}, {"000121", 8.1},
    {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9}, {"000211", 8.0}, {"000220", 8.1}, {"000221", 6.8},
    {"001000", 9.8}, {"001001", 9.5}, {"001010", 9.5}, {"001011", 9.2}, {"001020", 9.0}, {"001021", 8.4},
    {"001100", 9.3}, {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8.0}, {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9}, {"001221", 4.8},
    {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9}, {"002111", 6.9}, {"002121", 5.0},
    {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7}, {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5},
    {"010011", 9.2}, {"010020", 9.2}, {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9.0},
    {"010111", 8.3}, {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3}, {"011010", 9.2},
    {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2}, {"011101", 8.2}, {"011110", 8.0},
    {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9}, {"011200", 8.4}, {"011201", 7.0}, {"011210", 7.1},
    {"011211", 5.2}, {"011220", 5.0}, {"011221", 3.0}, {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2},
    {"012101", 7.1}, {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1}, {"100021", 8.1},
    {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4}, {"100120", 7.7}, {"100121", 6.4},
    {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4}, {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9},
    {"101000", 9.4}, {"101001", 8.9}, {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7},
    {"101100", 8.6}, {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2}, {"101221", 2.5},
    {"102001", 8.3}, {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5}, {"102111", 5.8}, {"102121", 2.6},
    {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3}, {"110000", 9.5}, {"110001", 9.0}, {"110010", 8.8},
    {"110011", 7.6}, {"110020", 7.6}, {"110021", 7.0}, {"110100", 9.0}, {"110101", 7.7}, {"110110", 7.5},
    {"110111", 6.2}, {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8}, {"111010", 7.6},
    {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4}, {"111101", 5.9}, {"111110", 5.7},
    {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3}, {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7},
    {"111211", 2.9}, {"111220", 2.4}, {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3.0},
    {"112101", 5.8}, {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5}, {"200021", 5.8},
    {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1}, {"200120", 5.6}, {"200121", 3.4},
    {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2}, {"200211", 4.0}, {"200220", 4.0}, {"200221", 2.2},
    {"201000", 8.5}, {"201001", 7.5}, {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1},
    {"201100", 7.2}, {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9}, {"201221", 0.8},
    {"202001", 6.4}, {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7}, {"202111", 2.1}, {"202121", 1.1},
    {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4}, {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3},
    {"210011", 5.3}, {"210020", 6.0}, {"210021", 5.0}, {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9},
    {"210111", 4.0}, {"210120", 4.1}, {"210121", 2.0}, {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2.0}, {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5}, {"211010", 5.8},
    {"211011", 4.5}, {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1}, {"211101", 5.1}, {"211110", 4.8},
    {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9}, {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7},
    {"211211", 0.7}, {"211220", 0.8}, {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4},
    {"212101", 2.4}, {"212111", 1.2}, {"212121", 0.5}, {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
}};

/// max_composed.js, EQ1: the highest-severity (AV, PR, UI) of each EQ1 level.
inline constexpr std::array<std::array<std::string_view, 3>, 3> cvss40_max_eq1{{
    {"AV:N/PR:N/UI:N/"},
    {"AV:A/PR:N/UI:N/", "AV:N/PR:L/UI:N/", "AV:N/PR:N/UI:P/"},
    {"AV:P/PR:N/UI:N/", "AV:A/PR:L/UI:P/"},
}};
/// max_composed.js, EQ2: the highest-severity (AC, AT) of each EQ2 level.
inline constexpr std::array<std::array<std::string_view, 2>, 2> cvss40_max_eq2{{
    {"AC:L/AT:N/"},
    {"AC:H/AT:N/", "AC:L/AT:P/"},
}};
/// max_composed.js, EQ3 and EQ6 together, indexed [EQ3][EQ6]: the highest-severity (VC, VI, VA, CR, IR, AR).
inline constexpr std::array<std::array<std::array<std::string_view, 5>, 2>, 3> cvss40_max_eq3_eq6{{
    {{{"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/"},
      {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/"}}},
    {{{"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/"},
      {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/",
       "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/"}}},
    {{{}, {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/"}}},
}};
/// max_composed.js, EQ4: the highest-severity (SC, SI, SA) of each EQ4 level. (EQ5's "E:A/", "E:P/",
/// "E:U/" are left out: a vector's E always equals that of its EQ5 level, so its distance is 0.)
inline constexpr std::array<std::string_view, 3> cvss40_max_eq4{
    "SC:H/SI:S/SA:S/", "SC:H/SI:H/SA:H/", "SC:L/SI:L/SA:L/"};

/// max_severity.js: the depth of each EQ level, in steps of 0.1 (EQ5's depths are all 1 and unused).
inline constexpr std::array<int, 3> cvss40_max_severity_eq1{1, 4, 5};
inline constexpr std::array<int, 2> cvss40_max_severity_eq2{1, 2};
inline constexpr std::array<std::array<int, 2>, 3> cvss40_max_severity_eq3_eq6{{{7, 6}, {8, 8}, {0, 10}}};
inline constexpr std::array<int, 3> cvss40_max_severity_eq4{6, 5, 4};

// End of the FIRST tables.

/// The macrovector table, dense: index ((((EQ1·2 + EQ2)·3 + EQ3)·3 + EQ4)·3 + EQ5)·2 + EQ6; NaN where none exists.
inline constexpr std::array<double, 324> cvss40_lookup = [] {
  std::array<double, 324> t{};
  t.fill(std::numeric_limits<double>::quiet_NaN());
  for (const cvss40_macrovector_entry& m : cvss40_macrovector_scores) {
    std::size_t i = 0;
    constexpr std::array<std::size_t, 6> radix{3, 2, 3, 3, 3, 2};
    for (std::size_t d = 0; d < 6; ++d) i = i * radix[d] + static_cast<std::size_t>(m.macrovector[d] - '0');
    t[i] = m.score;
  }
  return t;
}();

/// The score of MacroVector `eq` (EQ1..EQ6), or NaN when it does not exist (the calculator's `undefined`).
[[nodiscard]] inline double cvss40_lookup_score(const std::array<int, 6>& eq) noexcept {
  constexpr std::array<int, 6> radix{3, 2, 3, 3, 3, 2};
  std::size_t i = 0;
  for (std::size_t d = 0; d < 6; ++d) {
    if (eq[d] < 0 || eq[d] >= radix[d]) return std::numeric_limits<double>::quiet_NaN();
    i = i * static_cast<std::size_t>(radix[d]) + static_cast<std::size_t>(eq[d]);
  }
  return cvss40_lookup[i];
}

// Value letters of each enumerator, for the letter-based rules of the calculator.
constexpr char cvss40_letter(cvss_attack_vector x) noexcept { return "NALP"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss_attack_complexity x) noexcept { return "LH"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss40_attack_requirements x) noexcept { return "NP"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss_privileges_required x) noexcept { return "NLH"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss40_user_interaction x) noexcept { return "NPA"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss_impact x) noexcept { return "NLH"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss40_subsequent_impact x) noexcept { return "NLHS"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss_requirement x) noexcept { return "LMH"[static_cast<std::size_t>(x)]; }
constexpr char cvss40_letter(cvss40_exploit_maturity x) noexcept { return "UPA"[static_cast<std::size_t>(x)]; }

/// The modified metric where defined, else the base one (the calculator's getEffectiveMetricValue).
template <class B, class M>
constexpr char cvss40_effective(B base, const std::optional<M>& modified) noexcept {
  return modified ? cvss40_letter(*modified) : cvss40_letter(base);
}

/// The effective value letters of the metrics that the score depends on. E, CR, IR and AR that are
/// Not Defined count as their worst case (E:A, CR:H, IR:H, AR:H).
struct cvss40_effective_values {
  char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

[[nodiscard]] constexpr cvss40_effective_values cvss40_effective_of(const cvss40_vector& v) noexcept {
  return {cvss40_effective(v.av, v.mav), cvss40_effective(v.ac, v.mac), cvss40_effective(v.at, v.mat),
          cvss40_effective(v.pr, v.mpr), cvss40_effective(v.ui, v.mui), cvss40_effective(v.vc, v.mvc),
          cvss40_effective(v.vi, v.mvi), cvss40_effective(v.va, v.mva), cvss40_effective(v.sc, v.msc),
          cvss40_effective(v.si, v.msi), cvss40_effective(v.sa, v.msa), v.e ? cvss40_letter(*v.e) : 'A',
          v.cr ? cvss40_letter(*v.cr) : 'H', v.ir ? cvss40_letter(*v.ir) : 'H', v.ar ? cvss40_letter(*v.ar) : 'H'};
}

/// EQ1..EQ6 (specification, Table 24 to 29).
[[nodiscard]] constexpr std::array<int, 6> cvss40_equivalence_classes(const cvss40_effective_values& m) noexcept {
  std::array<int, 6> eq{};
  if (m.av == 'N' && m.pr == 'N' && m.ui == 'N') eq[0] = 0;
  else if ((m.av == 'N' || m.pr == 'N' || m.ui == 'N') && m.av != 'P') eq[0] = 1;
  else eq[0] = 2;
  eq[1] = m.ac == 'L' && m.at == 'N' ? 0 : 1;
  if (m.vc == 'H' && m.vi == 'H') eq[2] = 0;
  else if (m.vc == 'H' || m.vi == 'H' || m.va == 'H') eq[2] = 1;
  else eq[2] = 2;
  if (m.si == 'S' || m.sa == 'S') eq[3] = 0;  // MSI:S or MSA:S
  else if (m.sc == 'H' || m.si == 'H' || m.sa == 'H') eq[3] = 1;
  else eq[3] = 2;
  eq[4] = m.e == 'A' ? 0 : m.e == 'P' ? 1 : 2;
  eq[5] = (m.cr == 'H' && m.vc == 'H') || (m.ir == 'H' && m.vi == 'H') || (m.ar == 'H' && m.va == 'H') ? 0 : 1;
  return eq;
}

/// "000200": EQ1..EQ6 as digits.
[[nodiscard]] inline std::string cvss40_macrovector_text(const std::array<int, 6>& eq) {
  std::string s(6, '0');
  for (std::size_t d = 0; d < 6; ++d) s[d] = static_cast<char>('0' + eq[d]);
  return s;
}

/// The calculator's METRIC_LEVELS: 0.0 for the most severe value of a metric, then 0.1, 0.2, 0.3, in the
/// order `levels` lists the letters ("NALP" for AV). The same doubles as the calculator's literals.
[[nodiscard]] constexpr double cvss40_level(std::string_view levels, char letter) noexcept {
  constexpr std::array<double, 4> values{0.0, 0.1, 0.2, 0.3};
  return values[levels.find(letter)];
}

/// The value letter of `key` in a max_composed entry such as "AV:N/PR:N/UI:N/".
[[nodiscard]] constexpr char cvss40_max_letter(std::string_view entry, std::string_view key) noexcept {
  for (std::size_t i = 0; i < entry.size();) {
    const std::size_t colon = entry.find(':', i);
    if (entry.substr(i, colon - i) == key) return entry[colon + 1];
    i = entry.find('/', colon) + 1;
  }
  return '?';
}

/// Math.round((x + 1e-6) * 10) / 10: the calculator's roundToDecimalPlaces, whose epsilon stops an
/// x.x5 that the interpolation lands one ulp below (5.0499999999999998) from rounding down.
[[nodiscard]] inline double cvss40_round(double x) noexcept { return js_round((x + 1e-6) * 10.0) / 10.0; }

}  // namespace detail

/// Parses a CVSS v4.0 vector ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").
/// Strict, like the official calculator: the prefix, the base metrics AV AC AT PR UI VC VI VA SC SI SA
/// in this order, then optionally E, CR IR AR MAV MAC MAT MPR MUI MVC MVI MVA MSC MSI MSA and the
/// supplemental S AU R V RE U, each at most once and in this order, with values of the specification
/// only (X: Not Defined). No spaces, no empty metrics, no trailing '/'.
/// Throws: input_error whose location column and message give the 1-based position of the offending
/// metric, e.g. `column 15: expected metric 'AC', found 'AT'`.
/// Complexity: O(length of the vector).
[[nodiscard]] inline cvss40_vector parse_cvss40(std::string_view vector) {
  if (!vector.starts_with("CVSS:4.0/"))
    throw detail::cvss_error(1, "expected 'CVSS:4.0/', found " + detail::cvss_found_prefix(vector));
  cvss40_vector v;
  detail::cvss_set_fields(detail::cvss40_fields(v),
                          detail::parse_cvss_metrics(vector, 9, detail::cvss40_metrics, true));
  return v;
}

/// The vector in the specification's order, Not Defined metrics left out.
[[nodiscard]] inline std::string to_string(const cvss40_vector& v) {
  return detail::cvss_vector_string("CVSS:4.0/", detail::cvss40_fields(v), detail::cvss40_metrics);
}

/// The MacroVector of `v`: EQ1..EQ6 as six digits ("000200"), from the effective values (modified
/// metrics where defined; E, CR, IR, AR Not Defined count as A, H, H, H).
[[nodiscard]] inline std::string cvss40_macrovector(const cvss40_vector& v) {
  return detail::cvss40_macrovector_text(detail::cvss40_equivalence_classes(detail::cvss40_effective_of(v)));
}

/// The CVSS v4.0 score of `v` by the MacroVector method: the score of the vector's MacroVector, less the
/// mean over EQ1..EQ5 of (score gap to the next lower MacroVector) × (severity distance of the vector
/// from the highest-severity vectors of its MacroVector) / (depth of the MacroVector), rounded to one
/// decimal. Every floating-point step is the one of the official calculator (cvss40.js).
/// Example: `score_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").score == 9.3`.
/// Complexity: O(1).
[[nodiscard]] inline cvss40_score score_cvss40(const cvss40_vector& v) {
  using namespace detail;
  const cvss40_effective_values m = cvss40_effective_of(v);
  const std::array<int, 6> eq = cvss40_equivalence_classes(m);
  cvss40_score out{.nomenclature = v.nomenclature(), .macrovector = cvss40_macrovector_text(eq)};
  if (m.vc == 'N' && m.vi == 'N' && m.va == 'N' && m.sc == 'N' && m.si == 'N' && m.sa == 'N') return out;  // 0.0

  const double value = cvss40_lookup_score(eq);
  const auto lower = [&](std::size_t d1, std::size_t d2 = 6) {  // the MacroVector one step lower in EQ d1 (and d2)
    std::array<int, 6> next = eq;
    ++next[d1];
    if (d2 < 6) ++next[d2];
    return cvss40_lookup_score(next);
  };
  const double lower_eq1 = lower(0), lower_eq2 = lower(1), lower_eq4 = lower(3), lower_eq5 = lower(4);
  double lower_eq3_eq6 = 0.0;
  if (eq[2] == 0 && eq[5] == 0) {  // two ways down: take the higher (Math.max, NaN if either is NaN)
    const double left = lower(5), right = lower(2);
    lower_eq3_eq6 = std::isnan(left) || std::isnan(right) ? left + right : std::max(left, right);
  } else if (eq[2] == 1 && eq[5] == 0) {
    lower_eq3_eq6 = lower(5);
  } else if (eq[2] == 2) {
    lower_eq3_eq6 = lower(2, 5);  // 21 -> 32: does not exist
  } else {
    lower_eq3_eq6 = lower(2);  // 01 -> 11, 11 -> 21
  }

  // The severity distance from the first highest-severity vector of the MacroVector that the vector does
  // not exceed on any metric (if none qualifies, the calculator keeps the distances from the last one).
  struct distances {
    double av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar;
  } d{};
  const auto& eq3_eq6 = cvss40_max_eq3_eq6[static_cast<std::size_t>(eq[2])][static_cast<std::size_t>(eq[5])];
  const std::string_view max4 = cvss40_max_eq4[static_cast<std::size_t>(eq[3])];
  const auto dist = [](std::string_view levels, char letter, std::string_view max, std::string_view key) {
    return cvss40_level(levels, letter) - cvss40_level(levels, cvss40_max_letter(max, key));
  };
  bool found = false;
  for (std::string_view max1 : cvss40_max_eq1[static_cast<std::size_t>(eq[0])]) {
    for (std::string_view max2 : cvss40_max_eq2[static_cast<std::size_t>(eq[1])]) {
      for (std::string_view max3 : eq3_eq6) {
        if (found || max1.empty() || max2.empty() || max3.empty()) continue;
        d = {dist("NALP", m.av, max1, "AV"), dist("NLH", m.pr, max1, "PR"),   dist("NPA", m.ui, max1, "UI"),
             dist("LH", m.ac, max2, "AC"),   dist("NP", m.at, max2, "AT"),    dist("HLN", m.vc, max3, "VC"),
             dist("HLN", m.vi, max3, "VI"),  dist("HLN", m.va, max3, "VA"),   dist("SHLN", m.sc, max4, "SC"),
             dist("SHLN", m.si, max4, "SI"), dist("SHLN", m.sa, max4, "SA"),  dist("HML", m.cr, max3, "CR"),
             dist("HML", m.ir, max3, "IR"),  dist("HML", m.ar, max3, "AR")};
        found = d.av >= 0 && d.pr >= 0 && d.ui >= 0 && d.ac >= 0 && d.at >= 0 && d.vc >= 0 && d.vi >= 0 &&
                d.va >= 0 && d.sc >= 0 && d.si >= 0 && d.sa >= 0 && d.cr >= 0 && d.ir >= 0 && d.ar >= 0;
      }
    }
  }
  const double distance_eq1 = d.av + d.pr + d.ui;
  const double distance_eq2 = d.ac + d.at;
  const double distance_eq3_eq6 = d.vc + d.vi + d.va + d.cr + d.ir + d.ar;
  const double distance_eq4 = d.sc + d.si + d.sa;

  // Each existing lower MacroVector pulls the score down in proportion to the distance (EQ5: by 0).
  constexpr double step = 0.1;
  int n_lower = 0;
  const auto pull = [&](double lower_score, double distance, int depth) {
    const double available = value - lower_score;
    if (std::isnan(available)) return 0.0;
    ++n_lower;
    return available * (distance / (depth * step));
  };
  const double pull_eq1 = pull(lower_eq1, distance_eq1, cvss40_max_severity_eq1[static_cast<std::size_t>(eq[0])]);
  const double pull_eq2 = pull(lower_eq2, distance_eq2, cvss40_max_severity_eq2[static_cast<std::size_t>(eq[1])]);
  const double pull_eq3_eq6 =
      pull(lower_eq3_eq6, distance_eq3_eq6,
           cvss40_max_severity_eq3_eq6[static_cast<std::size_t>(eq[2])][static_cast<std::size_t>(eq[5])]);
  const double pull_eq4 = pull(lower_eq4, distance_eq4, cvss40_max_severity_eq4[static_cast<std::size_t>(eq[3])]);
  const double pull_eq5 = pull(lower_eq5, 0.0, 1);
  const double mean = n_lower == 0 ? 0.0 : (pull_eq1 + pull_eq2 + pull_eq3_eq6 + pull_eq4 + pull_eq5) / n_lower;

  out.score = cvss40_round(std::max(0.0, std::min(10.0, value - mean)));
  out.severity = cvss_severity_of(out.score);
  return out;
}

/// Parses and scores a v4.0 vector. Throws: input_error as parse_cvss40.
[[nodiscard]] inline cvss40_score score_cvss40(std::string_view vector) { return score_cvss40(parse_cvss40(vector)); }

}  // namespace twinrisk
