#pragma once
/// CVE identifiers: "CVE-YYYY-NNNN..." (four-digit year, four or more digits).

#include <string_view>

namespace twinrisk::detail {

/// True for "CVE-" followed by four digits, '-', and four or more digits.
inline bool is_cve_id(std::string_view s) {
  if (s.size() < 13 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  for (std::size_t i = 4; i < s.size(); ++i)
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

}  // namespace twinrisk::detail
