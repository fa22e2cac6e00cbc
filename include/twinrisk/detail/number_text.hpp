#pragma once
/// Numbers as error messages show them.

#include <charconv>
#include <cmath>
#include <string>

namespace twinrisk::detail {

/// "1.7", "NaN": a number as a message shows it.
inline std::string show_number(double x) {
  if (std::isnan(x)) return "NaN";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);  // shortest form that reads back the same
  return std::string(buf, r.ptr);
}

}  // namespace twinrisk::detail
