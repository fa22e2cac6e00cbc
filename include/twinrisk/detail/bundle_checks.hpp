#pragma once
/// Checks of the library's own node and edge bundles, shared by the builder and the readers.
/// Each throws input_error located at a logical path ("/edges/17/probability"), which is only
/// spelt out when a check fails: valid items cost no string building.

#include <cmath>
#include <vector>
#include <string>
#include <string_view>

#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/edge.hpp"
#include "twinrisk/model/node.hpp"
#include "twinrisk/model/scenario.hpp"

namespace twinrisk::detail {

/// Where an item of a twin sits: "/nodes/3", "/edges/17", spelt out only when needed.
struct item_path {
  std::string_view collection;  ///< "nodes", "edges", "threats"
  std::size_t index = 0;
  [[nodiscard]] std::string str(std::string_view suffix = {}) const {
    return "/" + std::string(collection) + "/" + std::to_string(index) + std::string(suffix);
  }
};

inline void check_unit_interval(double p, const item_path& at, std::string_view suffix) {
  if (!(p >= 0.0 && p <= 1.0))
    throw input_error({.pointer = at.str(suffix)}, "expected a number in [0,1], got " + show_number(p));
}

/// True for "YYYY-MM-DD" naming a real calendar day.
inline bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const int m = std::stoi(std::string(s.substr(5, 2)));
  const int d = std::stoi(std::string(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d <= days[m - 1];
}

inline void check_distribution(const distribution_spec& d, const std::string& path) {
  if (std::string why = d.invalid_reason(); !why.empty())
    throw input_error({.pointer = path}, why + " for a " +
                                             std::string(distribution_family_names.name(d.family)) +
                                             " distribution");
}

inline void check_annotations(const compact_vector<validation_evidence>& evidence,
                              const compact_vector<control>& controls, const item_path& at) {
  for (std::size_t i = 0; i < evidence.size(); ++i)
    if (!evidence[i].date.empty() && !is_iso_date(evidence[i].date))
      throw input_error({.pointer = at.str("/evidence/" + std::to_string(i) + "/date")},
                        "expected a date YYYY-MM-DD, got '" + evidence[i].date + "'");
  for (std::size_t i = 0; i < controls.size(); ++i)
    if (!(controls[i].effectiveness >= 0.0 && controls[i].effectiveness <= 1.0))
      check_unit_interval(controls[i].effectiveness, at, "/controls/" + std::to_string(i) + "/effectiveness");
}

/// Throws: input_error when a field of `n` is out of its domain.
inline void check_bundle(const node& n, const item_path& at) {
  if (n.loss) {
    check_distribution(n.loss->primary, at.str("/loss/primary"));
    if (n.loss->secondary) check_distribution(*n.loss->secondary, at.str("/loss/secondary"));
    check_unit_interval(n.loss->secondary_probability, at, "/loss/secondary_probability");
    if (n.loss->annual_cap && !(std::isfinite(*n.loss->annual_cap) && *n.loss->annual_cap >= 0.0))
      throw input_error({.pointer = at.str("/loss/annual_cap")},
                        "expected a finite amount >= 0, got " + show_number(*n.loss->annual_cap));
  }
  check_annotations(n.evidence, n.controls, at);
}

/// Throws: input_error when a field of `e` is out of its domain.
inline void check_bundle(const edge& e, const item_path& at) {
  check_unit_interval(e.probability, at, "/probability");
  check_annotations(e.evidence, e.controls, at);
}

/// Bundles other than the library's own: a `probability` member, if any, must lie in [0,1].
template <class Data>
void check_bundle(const Data& data, const item_path& at) {
  if constexpr (requires { double(data.probability); }) check_unit_interval(double(data.probability), at, "/probability");
}

}  // namespace twinrisk::detail
