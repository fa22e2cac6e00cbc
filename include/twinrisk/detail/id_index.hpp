#pragma once
/// A hash index from string id to dense position that stores positions only, so the strings
/// live once (in the owner's vector) and copying the owner copies a valid index.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace twinrisk::detail {

/// Open-addressing (linear probing) table of positions into an external `std::vector<std::string>`.
/// Complexity: expected O(1) per lookup and insert; 8 bytes per slot, load factor <= 1/2.
class id_index {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// Position of `id` in `ids`, or npos.
  [[nodiscard]] std::size_t find(std::string_view id, const std::vector<std::string>& ids) const noexcept {
    if (slots_.empty()) return npos;
    for (std::size_t s = hash(id) & mask(); slots_[s] != 0; s = (s + 1) & mask()) {
      const std::size_t pos = slots_[s] - 1;
      if (ids[pos] == id) return pos;
    }
    return npos;
  }

  /// Records that `ids[pos]` is at `pos`; the caller checked it was absent.
  void insert(std::size_t pos, const std::vector<std::string>& ids) {
    if (2 * (size_ + 1) > slots_.size()) rehash(slots_.empty() ? 16 : 2 * slots_.size(), ids);
    place(pos, ids);
    ++size_;
  }

  /// Sizes the table for `n` entries ahead of inserts.
  void reserve(std::size_t n, const std::vector<std::string>& ids) {
    std::size_t want = 16;
    while (want < 2 * n) want *= 2;
    if (want > slots_.size()) rehash(want, ids);
  }

 private:
  static std::size_t hash(std::string_view s) noexcept { return std::hash<std::string_view>{}(s); }
  [[nodiscard]] std::size_t mask() const noexcept { return slots_.size() - 1; }

  void place(std::size_t pos, const std::vector<std::string>& ids) noexcept {
    std::size_t s = hash(ids[pos]) & mask();
    while (slots_[s] != 0) s = (s + 1) & mask();
    slots_[s] = static_cast<std::uint64_t>(pos) + 1;
  }

  void rehash(std::size_t new_size, const std::vector<std::string>& ids) {
    std::vector<std::uint64_t> old(new_size, 0);
    old.swap(slots_);
    for (std::uint64_t slot : old)
      if (slot != 0) place(static_cast<std::size_t>(slot - 1), ids);
  }

  std::vector<std::uint64_t> slots_;  // position + 1; 0 = empty
  std::size_t size_ = 0;
};

}  // namespace twinrisk::detail
