#pragma once
/// CVSS v3.1 and v3.0 vectors: a strict parser and the base, temporal and environmental scores of the
/// FIRST specification (https://www.first.org/cvss/v3.1/specification-document), with the severity
/// scale and the metric values that CVSS v4.0 (cvss/cvss40.hpp) shares.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "twinrisk/detail/enum_names.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"

namespace twinrisk {

/// The CVSS version a vector states in its prefix ("CVSS:3.1/").
enum class cvss_version : std::uint8_t { v3_0, v3_1, v4_0 };

inline constexpr detail::enum_names<cvss_version, 3> cvss_version_names{"CVSS version", {"3.0", "3.1", "4.0"}};

/// "3.0", "3.1" or "4.0".
[[nodiscard]] constexpr std::string_view to_string(cvss_version v) noexcept { return cvss_version_names.name(v); }

/// Qualitative severity rating, the same scale in v3.x and v4.0: None 0.0, Low 0.1-3.9, Medium 4.0-6.9,
/// High 7.0-8.9, Critical 9.0-10.0.
enum class cvss_severity : std::uint8_t { none, low, medium, high, critical };

inline constexpr detail::enum_names<cvss_severity, 5> cvss_severity_names{
    "CVSS severity", {"None", "Low", "Medium", "High", "Critical"}};

/// "None", "Low", "Medium", "High" or "Critical", as the official calculators print them.
[[nodiscard]] constexpr std::string_view to_string(cvss_severity s) noexcept { return cvss_severity_names.name(s); }

/// The severity rating of a score (scores have one decimal, so the scale has no gaps).
/// Example: `cvss_severity_of(7.0) == cvss_severity::high`.
[[nodiscard]] constexpr cvss_severity cvss_severity_of(double score) noexcept {
  if (!(score > 0.0)) return cvss_severity::none;
  if (score < 4.0) return cvss_severity::low;
  if (score < 7.0) return cvss_severity::medium;
  if (score < 9.0) return cvss_severity::high;
  return cvss_severity::critical;
}

// Metric values shared by v3.x and v4.0. Enumerators run from the least to the most severe where the
// specification orders them, so `pr <= cvss_privileges_required::low` reads as "at most low".

/// AV, MAV: Attack Vector (N, A, L, P).
enum class cvss_attack_vector : std::uint8_t { network, adjacent, local, physical };
/// AC, MAC: Attack Complexity (L, H).
enum class cvss_attack_complexity : std::uint8_t { low, high };
/// PR, MPR: Privileges Required (N, L, H).
enum class cvss_privileges_required : std::uint8_t { none, low, high };
/// C, I, A and their modified forms in v3.x; VC, VI, VA, SC, SI, SA and MVC, MVI, MVA, MSC in v4.0 (N, L, H).
enum class cvss_impact : std::uint8_t { none, low, high };
/// CR, IR, AR: Confidentiality, Integrity, Availability Requirement (L, M, H).
enum class cvss_requirement : std::uint8_t { low, medium, high };

// Metric values of v3.x only.

/// UI, MUI in v3.x: User Interaction (N, R).
enum class cvss31_user_interaction : std::uint8_t { none, required };
/// S, MS: Scope (U, C).
enum class cvss31_scope : std::uint8_t { unchanged, changed };
/// E in v3.x: Exploit Code Maturity (U, P, F, H).
enum class cvss31_exploit_maturity : std::uint8_t { unproven, proof_of_concept, functional, high };
/// RL: Remediation Level (O, T, W, U).
enum class cvss31_remediation_level : std::uint8_t { official_fix, temporary_fix, workaround, unavailable };
/// RC: Report Confidence (U, R, C).
enum class cvss31_report_confidence : std::uint8_t { unknown, reasonable, confirmed };

/// A parsed CVSS v3.1 or v3.0 vector. Fields are named after the metric abbreviations of the
/// specification. An optional metric that the vector leaves out or sets to X (Not Defined) is empty.
/// Example: `v.av == cvss_attack_vector::network && v.pr == cvss_privileges_required::none`.
struct cvss31_vector {
  cvss_version version = cvss_version::v3_1;  ///< v3_0 or v3_1, from the prefix
  // Base metrics: every vector gives them.
  cvss_attack_vector av = cvss_attack_vector::network;           ///< Attack Vector
  cvss_attack_complexity ac = cvss_attack_complexity::low;       ///< Attack Complexity
  cvss_privileges_required pr = cvss_privileges_required::none;  ///< Privileges Required
  cvss31_user_interaction ui = cvss31_user_interaction::none;    ///< User Interaction
  cvss31_scope s = cvss31_scope::unchanged;                      ///< Scope
  cvss_impact c = cvss_impact::none;                             ///< Confidentiality
  cvss_impact i = cvss_impact::none;                             ///< Integrity
  cvss_impact a = cvss_impact::none;                             ///< Availability
  // Temporal metrics.
  std::optional<cvss31_exploit_maturity> e{};    ///< Exploit Code Maturity
  std::optional<cvss31_remediation_level> rl{};  ///< Remediation Level
  std::optional<cvss31_report_confidence> rc{};  ///< Report Confidence
  // Environmental metrics: security requirements, then the modified base metrics.
  std::optional<cvss_requirement> cr{};
  std::optional<cvss_requirement> ir{};
  std::optional<cvss_requirement> ar{};
  std::optional<cvss_attack_vector> mav{};
  std::optional<cvss_attack_complexity> mac{};
  std::optional<cvss_privileges_required> mpr{};
  std::optional<cvss31_user_interaction> mui{};
  std::optional<cvss31_scope> ms{};
  std::optional<cvss_impact> mc{};
  std::optional<cvss_impact> mi{};
  std::optional<cvss_impact> ma{};

  /// True when E, RL or RC is defined (not X).
  [[nodiscard]] bool has_temporal() const noexcept { return e || rl || rc; }
  /// True when any environmental metric is defined (not X).
  [[nodiscard]] bool has_environmental() const noexcept {
    return cr || ir || ar || mav || mac || mpr || mui || ms || mc || mi || ma;
  }
  friend bool operator==(const cvss31_vector&, const cvss31_vector&) = default;
};

/// The scores of a v3.x vector, as the FIRST calculator computes them. Temporal and environmental
/// scores are computed even when their metrics are all Not Defined (the calculator shows them too);
/// `has_temporal` and `has_environmental` say whether the vector defines any.
/// The subscores are rounded to one decimal, half up (not with Roundup), and impacts below 0 show as 0,
/// as NVD and the metaeffekt calculator print them.
struct cvss31_scores {
  double base = 0.0;
  double temporal = 0.0;
  double environmental = 0.0;
  double impact = 0.0;                   ///< base impact subscore
  double exploitability = 0.0;           ///< base exploitability subscore
  double modified_impact = 0.0;          ///< environmental (modified) impact subscore
  double modified_exploitability = 0.0;  ///< environmental (modified) exploitability subscore
  bool has_temporal = false;
  bool has_environmental = false;

  /// The score to report: environmental if any environmental metric is defined, else temporal if any
  /// temporal metric is defined, else base (what the metaeffekt test data calls "overall").
  [[nodiscard]] double overall() const noexcept {
    return has_environmental ? environmental : has_temporal ? temporal : base;
  }
  /// The severity rating of `overall()`.
  [[nodiscard]] cvss_severity severity() const noexcept { return cvss_severity_of(overall()); }
};

namespace detail {

/// An input_error at `column` (1-based character position in the vector) whose reason starts with it.
[[nodiscard]] inline input_error cvss_error(std::size_t column, const std::string& what) {
  return input_error({.column = column}, "column " + std::to_string(column) + ": " + what);
}

/// Longest piece of a vector a message quotes: a longer one is cut and ends in "...".
inline constexpr std::size_t cvss_quote_limit = 20;

/// `text` quoted for a message ('AV', 'N\n', 'NNNNNNNNNNNNNNNNNNNN...'): at most `cvss_quote_limit`
/// bytes of it, then "..." when it is longer, so a megabyte of junk gives a one-line message; control
/// and non-ASCII bytes as \n, \r, \t or \xNN, so the message stays printable (a NUL does not end it
/// early, invalid UTF-8 does not break a JSON report of it) and each escape stands for the one byte,
/// one column, it replaces.
[[nodiscard]] inline std::string cvss_quote(std::string_view text) { return "'" + printable_excerpt(text, cvss_quote_limit) + "'"; }

/// What a vector starts with, for "expected prefix ..., found ..." messages: up to its first '/'
/// (quoted and cut as `cvss_quote` does).
[[nodiscard]] inline std::string cvss_found_prefix(std::string_view vector) {
  if (vector.empty()) return "an empty vector";
  const std::size_t slash = vector.find('/');
  return cvss_quote(vector.substr(0, slash == std::string_view::npos ? vector.size() : slash + 1));
}

/// One value of a metric: its text in vectors and the enumerator it stands for.
struct cvss_value {
  std::string_view text{};
  std::uint8_t code = 0;
};

/// One metric as the specification lists it: abbreviation, whether every vector must give it, and its
/// values in the specification's order. Optional metrics also take X (Not Defined), which is implied.
struct cvss_metric {
  std::string_view key{};
  bool mandatory = false;
  std::array<cvss_value, 5> values{};
};

/// "N, A, L, P" (with "X, " first for an optional metric).
[[nodiscard]] inline std::string cvss_value_list(const cvss_metric& m) {
  std::string s = m.mandatory ? "" : "X";
  for (const cvss_value& v : m.values)
    if (!v.text.empty()) s += (s.empty() ? "" : ", ") + std::string(v.text);
  return s;
}

/// The text of value `code` of metric `m`.
[[nodiscard]] constexpr std::string_view cvss_value_text(const cvss_metric& m, std::uint8_t code) noexcept {
  for (const cvss_value& v : m.values)
    if (!v.text.empty() && v.code == code) return v.text;
  return "?";
}

/// Reads the metrics of `vector` from `begin` (just after the prefix) into one code per entry of `table`
/// (-1: not given, or X). `ordered`: metrics must follow the table's order and the mandatory ones lead
/// (v4.0); otherwise any order (v3.x). Throws: input_error naming the column of the offending metric.
template <std::size_t N>
[[nodiscard]] std::array<std::int8_t, N> parse_cvss_metrics(std::string_view vector, std::size_t begin,
                                                            const std::array<cvss_metric, N>& table,
                                                            bool ordered) {
  std::size_t n_mandatory = 0;
  for (const cvss_metric& m : table) n_mandatory += m.mandatory ? 1 : 0;
  const auto keys_from = [&](std::size_t first) {
    std::string s;
    for (std::size_t k = first; k < N; ++k) s += (s.empty() ? "" : ", ") + std::string(table[k].key);
    return s;
  };
  std::array<std::int8_t, N> codes;
  codes.fill(-1);
  std::array<std::size_t, N> given_at{};  // column where each metric was given; 0: not given
  std::size_t next = 0;                   // ordered: the first metric that may still come
  for (std::size_t i = begin; i < vector.size();) {
    const std::size_t slash = vector.find('/', i);
    const std::size_t end = slash == std::string_view::npos ? vector.size() : slash;
    const std::string_view token = vector.substr(i, end - i);
    const std::size_t column = i + 1;
    if (token.empty()) throw cvss_error(column, "expected a metric, found '/'");
    const std::size_t colon = token.find(':');
    if (colon == std::string_view::npos)
      throw cvss_error(column, "expected METRIC:VALUE, found " + cvss_quote(token));
    const std::string_view key = token.substr(0, colon), text = token.substr(colon + 1);
    const std::string quoted_key = cvss_quote(key);

    std::size_t k = 0;
    while (k < N && table[k].key != key) ++k;
    if (k == N) {
      std::string expected = "one of " + keys_from(0);
      if (ordered && next < n_mandatory) expected = "'" + std::string(table[next].key) + "'";
      else if (ordered && next == N) expected = "the end of the vector";
      else if (ordered) expected = "one of " + keys_from(next);
      throw cvss_error(column, "unknown metric " + quoted_key + " (expected " + expected + ")");
    }
    if (given_at[k] != 0)
      throw cvss_error(column, "repeated metric " + quoted_key + " (first given at column " +
                                   std::to_string(given_at[k]) + ")");
    if (ordered && next < n_mandatory && k != next)
      throw cvss_error(column, "expected metric '" + std::string(table[next].key) + "', found " + quoted_key);
    if (ordered && k < next) {
      std::size_t later = k + 1;  // the first metric given so far that the order puts after this one
      while (given_at[later] == 0) ++later;
      throw cvss_error(column, "metric " + quoted_key + " out of order (expected before '" +
                                   std::string(table[later].key) + "' at column " +
                                   std::to_string(given_at[later]) + ")");
    }
    const cvss_metric& m = table[k];
    if (m.mandatory || text != "X") {
      const auto v = std::find_if(m.values.begin(), m.values.end(),
                                  [&](const cvss_value& x) { return !x.text.empty() && x.text == text; });
      if (v == m.values.end())
        throw cvss_error(column, "bad value " + cvss_quote(text) + " for metric " + quoted_key +
                                     " (expected one of " + cvss_value_list(m) + ")");
      codes[k] = static_cast<std::int8_t>(v->code);
    }
    given_at[k] = column;
    next = k + 1;
    if (end + 1 == vector.size()) throw cvss_error(end + 1, "unexpected '/' at the end of the vector");
    i = end + 1;
  }
  const std::size_t at_end = vector.size() + 1;
  if (ordered && next < n_mandatory)
    throw cvss_error(at_end, "expected metric '" + std::string(table[next].key) + "', found the end of the vector");
  std::string missing, all;
  std::size_t n_missing = 0;
  for (std::size_t k = 0; k < N; ++k) {
    if (!table[k].mandatory) continue;
    all += (all.empty() ? "" : ", ") + std::string(table[k].key);
    if (given_at[k] != 0) continue;
    missing += (missing.empty() ? "" : ", ") + std::string(table[k].key);
    ++n_missing;
  }
  if (n_missing == 1) throw cvss_error(at_end, "missing base metric '" + missing + "' (expected all of " + all + ")");
  if (n_missing > 1) throw cvss_error(at_end, "missing base metrics " + missing + " (expected all of " + all + ")");
  return codes;
}

// Codes <-> fields: a field is an enum (mandatory metric) or an optional enum (-1 when empty).
template <class E>
constexpr std::int8_t cvss_code(E e) noexcept {
  return static_cast<std::int8_t>(e);
}
template <class E>
constexpr std::int8_t cvss_code(const std::optional<E>& e) noexcept {
  return e ? static_cast<std::int8_t>(*e) : std::int8_t{-1};
}
template <class E>
constexpr void cvss_set(E& field, std::int8_t code) noexcept {
  field = static_cast<E>(code);
}
template <class E>
constexpr void cvss_set(std::optional<E>& field, std::int8_t code) noexcept {
  if (code < 0) field.reset();
  else field = static_cast<E>(code);
}

/// Fills the fields `tied` (a std::tie in table order) from `codes`.
template <class Tuple, std::size_t N>
constexpr void cvss_set_fields(Tuple tied, const std::array<std::int8_t, N>& codes) noexcept {
  static_assert(std::tuple_size_v<Tuple> == N, "one field per metric");
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (cvss_set(std::get<I>(tied), codes[I]), ...);
  }(std::make_index_sequence<N>{});
}

/// "CVSS:3.1/AV:N/..." from the fields `tied` (a std::tie in table order); Not Defined metrics left out.
template <class Tuple, std::size_t N>
[[nodiscard]] std::string cvss_vector_string(std::string_view prefix, Tuple tied,
                                             const std::array<cvss_metric, N>& table) {
  std::string s(prefix);
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    const auto add = [&](std::size_t k, std::int8_t code) {
      if (code < 0) return;
      if (s.size() > prefix.size()) s += '/';
      s += std::string(table[k].key) + ":" + std::string(cvss_value_text(table[k], static_cast<std::uint8_t>(code)));
    };
    (add(I, cvss_code(std::get<I>(tied))), ...);
  }(std::make_index_sequence<N>{});
  return s;
}

// CVSS v3.x metric table (specification, Table 15), in the specification's order.
inline constexpr std::array<cvss_value, 5> cvss_av_values{{{"N", 0}, {"A", 1}, {"L", 2}, {"P", 3}}};
inline constexpr std::array<cvss_value, 5> cvss_ac_values{{{"L", 0}, {"H", 1}}};
inline constexpr std::array<cvss_value, 5> cvss_pr_values{{{"N", 0}, {"L", 1}, {"H", 2}}};
inline constexpr std::array<cvss_value, 5> cvss_impact_values{{{"H", 2}, {"L", 1}, {"N", 0}}};
inline constexpr std::array<cvss_value, 5> cvss_requirement_values{{{"H", 2}, {"M", 1}, {"L", 0}}};
inline constexpr std::array<cvss_value, 5> cvss31_ui_values{{{"N", 0}, {"R", 1}}};
inline constexpr std::array<cvss_value, 5> cvss31_scope_values{{{"U", 0}, {"C", 1}}};

inline constexpr std::array<cvss_metric, 22> cvss31_metrics{{
    {"AV", true, cvss_av_values},
    {"AC", true, cvss_ac_values},
    {"PR", true, cvss_pr_values},
    {"UI", true, cvss31_ui_values},
    {"S", true, cvss31_scope_values},
    {"C", true, cvss_impact_values},
    {"I", true, cvss_impact_values},
    {"A", true, cvss_impact_values},
    {"E", false, {{{"H", 3}, {"F", 2}, {"P", 1}, {"U", 0}}}},
    {"RL", false, {{{"U", 3}, {"W", 2}, {"T", 1}, {"O", 0}}}},
    {"RC", false, {{{"C", 2}, {"R", 1}, {"U", 0}}}},
    {"CR", false, cvss_requirement_values},
    {"IR", false, cvss_requirement_values},
    {"AR", false, cvss_requirement_values},
    {"MAV", false, cvss_av_values},
    {"MAC", false, cvss_ac_values},
    {"MPR", false, cvss_pr_values},
    {"MUI", false, cvss31_ui_values},
    {"MS", false, cvss31_scope_values},
    {"MC", false, cvss_impact_values},
    {"MI", false, cvss_impact_values},
    {"MA", false, cvss_impact_values},
}};

/// The fields of `v` in the order of `cvss31_metrics`.
template <class V>
constexpr auto cvss31_fields(V& v) noexcept {
  return std::tie(v.av, v.ac, v.pr, v.ui, v.s, v.c, v.i, v.a, v.e, v.rl, v.rc, v.cr, v.ir, v.ar, v.mav, v.mac,
                  v.mpr, v.mui, v.ms, v.mc, v.mi, v.ma);
}

/// JavaScript's Math.round: the nearest integer, halves up. Exact for |x| < 2^52.
[[nodiscard]] inline double js_round(double x) noexcept {
  const double f = std::floor(x);
  return x - f >= 0.5 ? f + 1.0 : f;
}

/// Subscores as calculators print them: one decimal, halves up.
[[nodiscard]] inline double round_one_decimal(double x) noexcept { return js_round(x * 10.0) / 10.0; }

// Metric weights of the v3.x specification (Table 16), indexed by enumerator.
inline constexpr std::array<double, 4> cvss31_av_weight{0.85, 0.62, 0.55, 0.2};
inline constexpr std::array<double, 2> cvss31_ac_weight{0.77, 0.44};
inline constexpr std::array<double, 3> cvss31_pr_weight_unchanged{0.85, 0.62, 0.27};
inline constexpr std::array<double, 3> cvss31_pr_weight_changed{0.85, 0.68, 0.5};
inline constexpr std::array<double, 2> cvss31_ui_weight{0.85, 0.62};
inline constexpr std::array<double, 3> cvss31_impact_weight{0.0, 0.22, 0.56};
inline constexpr std::array<double, 4> cvss31_e_weight{0.91, 0.94, 0.97, 1.0};
inline constexpr std::array<double, 4> cvss31_rl_weight{0.95, 0.96, 0.97, 1.0};
inline constexpr std::array<double, 3> cvss31_rc_weight{0.92, 0.96, 1.0};
inline constexpr std::array<double, 3> cvss31_requirement_weight{0.5, 1.0, 1.5};

template <std::size_t N, class E>
[[nodiscard]] constexpr double cvss31_weight(const std::array<double, N>& w, E e) noexcept {
  return w[static_cast<std::size_t>(e)];
}
template <std::size_t N, class E>
[[nodiscard]] constexpr double cvss31_weight(const std::array<double, N>& w, const std::optional<E>& e) noexcept {
  return e ? w[static_cast<std::size_t>(*e)] : 1.0;  // X: Not Defined weighs 1
}

}  // namespace detail

/// The Roundup function of the specification: the smallest one-decimal number >= x (x >= 0).
/// v3.1 (Appendix A) first rounds x to 5 decimals, so floating-point noise below 0.00001 does not
/// round up: Roundup(4.000001) is 4.0 and Roundup(4.00001) is 4.1. v3.0 rounds up whatever it gets
/// (ceil(x * 10) / 10, as the FIRST v3.0 calculator does): Roundup(4.000001) is 4.1.
[[nodiscard]] inline double cvss3_roundup(double x, cvss_version version = cvss_version::v3_1) noexcept {
  if (version == cvss_version::v3_0) return std::ceil(x * 10.0) / 10.0;
  const auto scaled = static_cast<long long>(detail::js_round(x * 100000.0));
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return static_cast<double>(scaled / 10000 + 1) / 10.0;  // non-negative scores: division floors
}

/// Parses a CVSS v3.1 vector ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), or a v3.0 one
/// ("CVSS:3.0/..."). Strict: after the prefix, every base metric (AV AC PR UI S C I A) exactly once and
/// any temporal (E RL RC) and environmental (CR IR AR MAV MAC MPR MUI MS MC MI MA) metric at most once,
/// in any order (as the specification allows), with values of the specification only (X: Not Defined).
/// No spaces, no empty metrics, no trailing '/'.
/// Throws: input_error whose location column and message give the 1-based position of the offending
/// metric, e.g. `column 15: unknown metric 'XX' (expected one of AV, AC, ...)`.
/// Complexity: O(length of the vector).
[[nodiscard]] inline cvss31_vector parse_cvss31(std::string_view vector) {
  cvss31_vector v;
  if (vector.starts_with("CVSS:3.0/")) v.version = cvss_version::v3_0;
  else if (!vector.starts_with("CVSS:3.1/"))
    throw detail::cvss_error(1, "expected 'CVSS:3.1/' or 'CVSS:3.0/', found " + detail::cvss_found_prefix(vector));
  detail::cvss_set_fields(detail::cvss31_fields(v),
                          detail::parse_cvss_metrics(vector, 9, detail::cvss31_metrics, false));
  return v;
}

/// The vector in the specification's order, Not Defined metrics left out:
/// `to_string(parse_cvss31("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X"))` is
/// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".
[[nodiscard]] inline std::string to_string(const cvss31_vector& v) {
  return detail::cvss_vector_string(v.version == cvss_version::v3_0 ? "CVSS:3.0/" : "CVSS:3.1/",
                                    detail::cvss31_fields(v), detail::cvss31_metrics);
}

/// The base, temporal and environmental scores and the subscores of a v3.x vector, with the formulas
/// of its version (section 7 of the v3.1 specification; v3.0 differs in Roundup and in the modified
/// impact when the modified scope is changed). Floating-point steps follow the FIRST calculators.
/// Example: `score_cvss31(parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).base == 9.8`.
/// Complexity: O(1).
[[nodiscard]] inline cvss31_scores score_cvss31(const cvss31_vector& v) {
  using namespace detail;
  const auto roundup = [&](double x) { return cvss3_roundup(x, v.version); };
  cvss31_scores out{.has_temporal = v.has_temporal(), .has_environmental = v.has_environmental()};

  const auto cia = [](cvss_impact x) { return cvss31_weight(cvss31_impact_weight, x); };
  const bool changed = v.s == cvss31_scope::changed;
  const double iss = 1 - ((1 - cia(v.c)) * (1 - cia(v.i)) * (1 - cia(v.a)));
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability =
      8.22 * cvss31_weight(cvss31_av_weight, v.av) * cvss31_weight(cvss31_ac_weight, v.ac) *
      cvss31_weight(changed ? cvss31_pr_weight_changed : cvss31_pr_weight_unchanged, v.pr) *
      cvss31_weight(cvss31_ui_weight, v.ui);
  if (impact > 0)
    out.base = roundup(std::min(changed ? (exploitability + impact) * 1.08 : exploitability + impact, 10.0));
  const double e = cvss31_weight(cvss31_e_weight, v.e), rl = cvss31_weight(cvss31_rl_weight, v.rl),
               rc = cvss31_weight(cvss31_rc_weight, v.rc);
  out.temporal = roundup(out.base * e * rl * rc);

  // Environmental: the modified metrics replace the base ones where defined.
  const bool m_changed = v.ms.value_or(v.s) == cvss31_scope::changed;
  const auto req = [](const std::optional<cvss_requirement>& x) { return cvss31_weight(cvss31_requirement_weight, x); };
  const double miss = std::min(1 - ((1 - cia(v.mc.value_or(v.c)) * req(v.cr)) *
                                    (1 - cia(v.mi.value_or(v.i)) * req(v.ir)) *
                                    (1 - cia(v.ma.value_or(v.a)) * req(v.ar))),
                               0.915);
  double m_impact = 6.42 * miss;
  if (m_changed && v.version == cvss_version::v3_0)
    m_impact = 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15);
  else if (m_changed)
    m_impact = 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13);
  const double m_exploitability =
      8.22 * cvss31_weight(cvss31_av_weight, v.mav.value_or(v.av)) *
      cvss31_weight(cvss31_ac_weight, v.mac.value_or(v.ac)) *
      cvss31_weight(m_changed ? cvss31_pr_weight_changed : cvss31_pr_weight_unchanged, v.mpr.value_or(v.pr)) *
      cvss31_weight(cvss31_ui_weight, v.mui.value_or(v.ui));
  if (m_impact > 0) {
    const double sum = m_changed ? 1.08 * (m_impact + m_exploitability) : m_impact + m_exploitability;
    out.environmental = roundup(roundup(std::min(sum, 10.0)) * e * rl * rc);
  }

  out.impact = round_one_decimal(std::max(impact, 0.0));
  out.exploitability = round_one_decimal(exploitability);
  out.modified_impact = round_one_decimal(std::max(m_impact, 0.0));
  out.modified_exploitability = round_one_decimal(m_exploitability);
  return out;
}

/// Parses and scores a v3.x vector. Throws: input_error as parse_cvss31.
[[nodiscard]] inline cvss31_scores score_cvss31(std::string_view vector) { return score_cvss31(parse_cvss31(vector)); }

}  // namespace twinrisk
