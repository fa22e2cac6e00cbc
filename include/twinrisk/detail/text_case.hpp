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

/// `text` made safe for a one-line message: at most `limit` bytes of it, then "..." when it is
/// longer; control and non-ASCII bytes as \n, \r, \t or \xNN (each escape stands for the one byte
/// it replaces), so a NUL does not end the line early and invalid UTF-8 does not break a JSON report.
[[nodiscard]] inline std::string printable_excerpt(std::string_view text, std::size_t limit) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (const char c : text.substr(0, limit)) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '\n') s += "\\n";
    else if (c == '\r') s += "\\r";
    else if (c == '\t') s += "\\t";
    else if (b < 0x20 || b >= 0x7f) {
      s += "\\x";
      s += hex[b >> 4];
      s += hex[b & 0xf];
    } else s += c;
  }
  if (text.size() > limit) s += "...";
  return s;
}

[[nodiscard]] inline bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && same_text_ignoring_case(text.substr(0, prefix.size()), prefix);
}

[[nodiscard]] inline bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && same_text_ignoring_case(text.substr(text.size() - suffix.size()), suffix);
}

}  // namespace twinrisk::detail
