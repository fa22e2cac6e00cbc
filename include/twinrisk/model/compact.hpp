#pragma once
/// Value types that take 8 bytes when empty, for bundle members that most nodes and edges leave
/// empty (annotations, loss). A twin holds millions of bundles: a `std::vector` costs 24 bytes
/// and a `std::optional<loss_magnitude>` over 100, even when unused, and first-touching that
/// memory dominated load time at 10M edges. Both behave as values: copies are deep.

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace twinrisk {

/// A vector that is one pointer wide; empty costs no allocation. Supports what bundles need:
/// iteration, size, indexing, push_back/emplace_back, comparison.
template <class T>
class compact_vector {
 public:
  using value_type = T;
  using size_type = std::size_t;
  using iterator = T*;
  using const_iterator = const T*;

  compact_vector() noexcept = default;
  compact_vector(std::initializer_list<T> items) { assign(std::vector<T>(items)); }
  compact_vector(std::vector<T> items) { assign(std::move(items)); }  // NOLINT: converts like a vector
  compact_vector(const compact_vector& o) : p_(o.empty() ? nullptr : std::make_unique<std::vector<T>>(*o.p_)) {}
  compact_vector(compact_vector&&) noexcept = default;
  compact_vector& operator=(const compact_vector& o) {
    compact_vector copy(o);
    p_.swap(copy.p_);
    return *this;
  }
  compact_vector& operator=(compact_vector&&) noexcept = default;
  ~compact_vector() = default;

  [[nodiscard]] bool empty() const noexcept { return !p_ || p_->empty(); }
  [[nodiscard]] size_type size() const noexcept { return p_ ? p_->size() : 0; }
  [[nodiscard]] iterator begin() noexcept { return p_ ? p_->data() : nullptr; }
  [[nodiscard]] iterator end() noexcept { return p_ ? p_->data() + p_->size() : nullptr; }
  [[nodiscard]] const_iterator begin() const noexcept { return p_ ? p_->data() : nullptr; }
  [[nodiscard]] const_iterator end() const noexcept { return p_ ? p_->data() + p_->size() : nullptr; }
  [[nodiscard]] T& operator[](size_type i) { return (*p_)[i]; }
  [[nodiscard]] const T& operator[](size_type i) const { return (*p_)[i]; }
  [[nodiscard]] const T& front() const { return p_->front(); }
  [[nodiscard]] const T& back() const { return p_->back(); }

  void push_back(T item) { emplace_back(std::move(item)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (!p_) p_ = std::make_unique<std::vector<T>>();
    return p_->emplace_back(std::forward<Args>(args)...);
  }
  void clear() noexcept { p_.reset(); }

  /// A plain vector with the same items.
  [[nodiscard]] std::vector<T> to_vector() const { return p_ ? *p_ : std::vector<T>{}; }

  friend bool operator==(const compact_vector& a, const compact_vector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  void assign(std::vector<T> items) {
    if (!items.empty()) p_ = std::make_unique<std::vector<T>>(std::move(items));
  }
  std::unique_ptr<std::vector<T>> p_;
};

/// An optional value kept on the heap: one pointer wide when absent. Reads like `std::optional`
/// (`if (x)`, `*x`, `x->member`, `has_value()`), and is assigned from a `T` or `std::nullopt`.
template <class T>
class boxed {
 public:
  boxed() noexcept = default;
  boxed(std::nullopt_t) noexcept {}                           // NOLINT: converts like optional
  boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT: converts like optional
  boxed(const boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& o) {
    boxed copy(o);
    p_.swap(copy.p_);
    return *this;
  }
  boxed& operator=(boxed&&) noexcept = default;
  ~boxed() = default;

  [[nodiscard]] bool has_value() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] T& operator*() { return *p_; }
  [[nodiscard]] const T& operator*() const { return *p_; }
  [[nodiscard]] T* operator->() { return p_.get(); }
  [[nodiscard]] const T* operator->() const { return p_.get(); }
  void reset() noexcept { p_.reset(); }

  friend bool operator==(const boxed& a, const boxed& b) {
    return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace twinrisk
