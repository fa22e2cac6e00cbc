#pragma once
/// Calendar dates as the feeds write them ("YYYY-MM-DD"): validation and day arithmetic.

#include <cstdint>
#include <string>
#include <string_view>

namespace twinrisk::detail {

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

/// Days from 1970-01-01 to the date `s` (Howard Hinnant's days_from_civil).
/// Precondition: is_iso_date(s).
inline std::int64_t days_from_civil(std::string_view s) {
  std::int64_t y = std::stoi(std::string(s.substr(0, 4)));
  const std::int64_t m = std::stoi(std::string(s.substr(5, 2)));
  const std::int64_t d = std::stoi(std::string(s.substr(8, 2)));
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace twinrisk::detail
