#pragma once
/// ASCII case helpers for ids and names that formats compare without case (SIDs, GUIDs, host names).

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace twinrisk::detail {

[[nodiscard]] inline std::string lower_case_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

[[nodiscard]] inline std::string upper_case_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

[[nodiscard]] inline bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](unsigned char x, unsigned char y) { return std::toupper(x) == std::toupper(y); });
}

}  // namespace twinrisk::detail
