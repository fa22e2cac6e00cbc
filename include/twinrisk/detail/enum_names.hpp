#pragma once
/// Stable string names for twinrisk's enums: one table per enum serves printing and parsing.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/closest_names.hpp"
#include "twinrisk/error.hpp"

namespace twinrisk::detail {

/// A table of names in enumerator order: `names[static_cast<size_t>(e)]` is the name of `e`.
template <class Enum, std::size_t N>
struct enum_names {
  std::string_view what;  ///< what the enum is, for messages ("node kind")
  std::array<std::string_view, N> names;

  [[nodiscard]] constexpr std::string_view name(Enum e) const noexcept {
    const auto i = static_cast<std::size_t>(e);
    return i < N ? names[i] : std::string_view("?");
  }

  /// Sets `out` to the enumerator called `text`; false when there is none.
  [[nodiscard]] constexpr bool find(std::string_view text, Enum& out) const noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == text) {
        out = static_cast<Enum>(i);
        return true;
      }
    }
    return false;
  }

  /// Throws: input_error (at `where`) naming the closest valid names when `text` is not a name.
  [[nodiscard]] Enum parse(std::string_view text, const input_location& where = {}) const {
    Enum e{};
    if (find(text, e)) return e;
    throw input_error(where, "unknown " + std::string(what) + " '" + std::string(text) +
                                 "'; did you mean " + quoted_list(closest_names(text, names)) + "?");
  }
};

}  // namespace twinrisk::detail
