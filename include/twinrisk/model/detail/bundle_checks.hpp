#pragma once
/// Checks of the library's own node and edge bundles, shared by the builder and the readers.
/// Each throws input_error located at a logical path ("/edges/17/probability"), which is only
/// spelt out when a check fails: valid items cost no string building.

#include <cmath>
#include <vector>
#include <string>
#include <string_view>

#include "twinrisk/detail/dates.hpp"
#include "twinrisk/detail/number_text.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/cvss/cvss.hpp"
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
  if (e.hours) check_distribution(*e.hours, at.str("/hours"));
  for (std::size_t i = 0; i < e.vulnerabilities.size(); ++i) {
    if (e.vulnerabilities[i].cvss.empty()) continue;
    try {
      (void)score_cvss(e.vulnerabilities[i].cvss);
    } catch (const input_error& bad) {  // the vector's own column, at the vector's place in the twin
      throw input_error({.pointer = at.str("/vulnerabilities/" + std::to_string(i) + "/cvss")}, bad.reason());
    }
  }
}

/// Bundles other than the library's own: a `probability` member, if any, must lie in [0,1].
template <class Data>
void check_bundle(const Data& data, const item_path& at) {
  if constexpr (requires { double(data.probability); }) check_unit_interval(double(data.probability), at, "/probability");
}

}  // namespace twinrisk::detail
