#pragma once
/// Error types thrown by twinrisk: `error`, and its two kinds `input_error` and `model_error`.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace twinrisk {

/// Base of every exception twinrisk throws on purpose.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where bad input was found: any of file, line (and column), JSON pointer; empty parts are left out.
struct input_location {
  std::string file{};
  std::size_t line = 0;    ///< 1-based; 0 = not a line-oriented place
  std::size_t column = 0;  ///< 1-based; 0 = unknown
  std::string pointer{};     ///< RFC 6901 JSON pointer, or a logical path such as "/edges/17/to"

  /// "file:line:column: pointer", leaving out what is unknown.
  [[nodiscard]] std::string to_string() const {
    // Appended piece by piece: GCC 12 misreads `"x" + std::string&&` as an overlapping copy (-Wrestrict).
    std::string s = file;
    if (line != 0) {
      s += s.empty() ? "line " : ":";
      s += std::to_string(line);
      if (column != 0) {
        s += ':';
        s += std::to_string(column);
      }
    }
    if (!pointer.empty()) {
      if (!s.empty()) s += ": ";
      s += pointer;
    }
    return s;
  }
};

/// Bad data: says where (file, line or JSON pointer) and what was expected and found.
/// Example message: `acme.twin.json: /edges/17/probability: expected a number in [0,1], got 1.7`.
class input_error : public error {
 public:
  input_error(input_location where, std::string reason)
      : error(compose(where, reason)), where_(std::move(where)), reason_(std::move(reason)) {}

  [[nodiscard]] const input_location& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

  /// The same error, located in `file` (readers add the file name to errors raised by the builder).
  [[nodiscard]] input_error in_file(std::string file) const {
    input_location w = where_;
    w.file = std::move(file);
    return {std::move(w), reason_};
  }

 private:
  static std::string compose(const input_location& where, const std::string& reason) {
    const std::string at = where.to_string();
    return at.empty() ? reason : at + ": " + reason;
  }
  input_location where_;
  std::string reason_{};
};

/// A well-formed request that the model cannot answer (unknown node id in a query, no entry points, ...).
class model_error : public error {
 public:
  using error::error;
};

namespace detail {

/// Throws: model_error "<what> N entries for M <of>" when an array kept beside the graph (one
/// entry per vertex or per edge) has the wrong size; `what` names it with its verb ("hours has").
inline void check_entry_count(std::size_t size, std::size_t expected, const std::string& what, const std::string& of) {
  if (size != expected)
    throw model_error(what + " " + std::to_string(size) + " entries for " + std::to_string(expected) + " " + of);
}

}  // namespace detail
}  // namespace twinrisk
