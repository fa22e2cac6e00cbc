#pragma once
/// Error types thrown by twinrisk: `error`, and its two kinds `input_error` and `model_error`.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace twinrisk {

namespace detail {

/// `s` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
/// Error messages quote what they found, and a message that is not UTF-8 would make a caller
/// that writes it into JSON (or a terminal) fail in turn. Complexity: one pass over `s`.
inline std::string valid_utf8(std::string s) {
  const auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
  const auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  // Length of the well-formed sequence at i (Unicode Table 3-7), or 0.
  const auto sequence = [&](std::size_t i) -> std::size_t {
    const unsigned b0 = byte(i), b1 = byte(i + 1), b2 = byte(i + 2), b3 = byte(i + 3);
    if (b0 < 0x80) return 1;
    if (in(b0, 0xC2, 0xDF)) return in(b1, 0x80, 0xBF) ? 2 : 0;
    const unsigned lo1 = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi1 = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
    if (in(b0, 0xE0, 0xEF)) return in(b1, lo1, hi1) && in(b2, 0x80, 0xBF) ? 3 : 0;
    if (in(b0, 0xF0, 0xF4)) return in(b1, lo1, hi1) && in(b2, 0x80, 0xBF) && in(b3, 0x80, 0xBF) ? 4 : 0;
    return 0;
  };
  std::size_t i = 0, n = 0;
  while (i < s.size() && (n = sequence(i)) != 0) i += n;
  if (i == s.size()) return s;  // the usual case: nothing to replace
  std::string out = s.substr(0, i);
  while (i < s.size()) {
    n = sequence(i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace detail

/// Base of every exception twinrisk throws on purpose. Its message is always valid UTF-8: bytes
/// that are not (quoted from a binary or mis-encoded file) become U+FFFD, so that a message can
/// be written anywhere text goes, JSON included.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& what) : std::runtime_error(detail::valid_utf8(what)) {}
  explicit error(const char* what) : error(std::string(what)) {}
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
  /// Bytes of `where` and `reason` that are not UTF-8 become U+FFFD, as in the message.
  input_error(input_location where, std::string reason)
      : error(compose(where, reason)), where_(std::move(where)), reason_(detail::valid_utf8(std::move(reason))) {
    where_.file = detail::valid_utf8(std::move(where_.file));
    where_.pointer = detail::valid_utf8(std::move(where_.pointer));
  }

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
