#pragma once
/// Suggestions for a misspelt name: the valid names nearest by edit distance.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace twinrisk::detail {

/// Levenshtein distance, case-insensitive. Complexity: O(|a|·|b|) time, O(|b|) space.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      const std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

/// Up to `count` names of `candidates` closest to `wanted`, nearest first (ties keep table order).
/// Names that share less than half their letters with `wanted` are left out, except the nearest.
template <class Range>
std::vector<std::string_view> closest_names(std::string_view wanted, const Range& candidates,
                                            std::size_t count = 3) {
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (std::string_view c : candidates) scored.emplace_back(edit_distance(wanted, c), c);
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < scored.size() && i < count; ++i) {
    const std::size_t longer = std::max(wanted.size(), scored[i].second.size());
    if (i > 0 && 2 * scored[i].first > longer) break;
    out.push_back(scored[i].second);
  }
  return out;
}

/// "'a', 'b' or 'c'" for messages.
inline std::string quoted_list(const std::vector<std::string_view>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) s += (i + 1 == names.size()) ? " or " : ", ";
    s += "'";
    s += names[i];
    s += "'";
  }
  return s;
}

}  // namespace twinrisk::detail
