#pragma once
/// Strict JSON reading for twinrisk's readers: parsing that rejects duplicate keys and reports
/// line and column, and typed field access that reports the JSON pointer of what is wrong.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/closest_names.hpp"
#include "twinrisk/error.hpp"

namespace twinrisk::detail {

using json = nlohmann::json;

/// "/a~1b" for key "a/b": one reference token of a JSON pointer (RFC 6901).
inline std::string pointer_token(std::string_view key) {
  std::string s;
  for (char c : key) {
    if (c == '~') s += "~0";
    else if (c == '/') s += "~1";
    else s += c;
  }
  return s;
}

/// How a value looks in a message: `"high"`, `17`, `null`, `an object`; long values are cut.
inline std::string describe(const json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

/// 1-based line and column of byte `offset` in `text`.
inline std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; column = 1; } else { ++column; }
  }
  return {line, column};
}

/// Parses `text` as one JSON document. Throws: input_error with file, line and column on a
/// syntax error, and with the JSON pointer on a key repeated within one object (which
/// nlohmann/json would otherwise silently resolve to the last value).
inline json parse_json(std::string_view text, const std::string& file) {
  struct frame {
    bool is_array;
    std::size_t count = 0;          // elements seen so far (arrays)
    std::string key{};              // last key (objects)
    std::vector<std::string> keys{};  // keys seen (objects)
  };
  std::vector<frame> stack;
  auto path_of = [&stack](std::size_t depth) {
    std::string p;
    for (std::size_t i = 0; i < depth; ++i)
      p += "/" + (stack[i].is_array ? std::to_string(stack[i].count - 1) : pointer_token(stack[i].key));
    return p;
  };
  auto element_starts = [&stack] {
    if (!stack.empty() && stack.back().is_array) ++stack.back().count;
  };
  json::parser_callback_t track = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: element_starts(); stack.push_back({false}); break;
      case json::parse_event_t::array_start: element_starts(); stack.push_back({true}); break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end: stack.pop_back(); break;
      case json::parse_event_t::value: element_starts(); break;
      case json::parse_event_t::key: {
        frame& f = stack.back();
        const std::string& k = parsed.get_ref<const std::string&>();
        for (const std::string& seen : f.keys)
          if (seen == k)
            throw input_error({.file = file, .pointer = path_of(stack.size() - 1) + "/" + pointer_token(k)},
                              "duplicate key '" + k + "' in one object");
        f.keys.push_back(k);
        f.key = k;
        break;
      }
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), track);
  } catch (const json::parse_error& e) {
    auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    if (auto colon = what.find(": "); what.rfind("[json.exception", 0) == 0 && colon != std::string::npos)
      what = what.substr(colon + 2);  // drop nlohmann's "[json.exception.parse_error.101] parse error at ..."
    throw input_error({.file = file, .line = line, .column = column}, "malformed JSON: " + what);
  } catch (const json::exception& e) {  // e.g. out_of_range.406: a number too large for a double
    throw input_error({.file = file}, std::string("malformed JSON: ") + e.what());
  }
}

/// Typed, pointer-aware access to the members of one JSON object. Every key asked about, present
/// or not, counts as known; `finish()` then rejects any other key, naming the nearest known one.
class json_object {
 public:
  /// Throws: input_error unless `j` is an object.
  json_object(const json& j, std::string pointer, const std::string& file)
      : j_(j), pointer_(std::move(pointer)), file_(file) {
    if (!j.is_object()) fail_at(pointer_, "expected an object, got " + describe(j));
  }

  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  [[nodiscard]] std::string pointer(std::string_view key) const { return pointer_ + "/" + pointer_token(key); }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

  /// The member `key`, or nullptr.
  [[nodiscard]] const json* find(std::string_view key) {
    known_.emplace_back(key);
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }

  /// The member `key`. Throws: input_error when it is missing.
  [[nodiscard]] const json& required(std::string_view key) {
    if (const json* v = find(key)) return *v;
    fail_at(pointer_, "missing required member '" + std::string(key) + "'");
  }

  [[nodiscard]] std::string string(std::string_view key) { return as_string(required(key), key); }
  [[nodiscard]] std::string string_or(std::string_view key, std::string fallback) {
    const json* v = find(key);
    return v ? as_string(*v, key) : fallback;
  }
  [[nodiscard]] double number(std::string_view key) { return as_number(required(key), key); }
  [[nodiscard]] double number_or(std::string_view key, double fallback) {
    const json* v = find(key);
    return v ? as_number(*v, key) : fallback;
  }
  [[nodiscard]] bool boolean_or(std::string_view key, bool fallback) {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail(key, "expected true or false, got " + describe(*v));
    return v->get<bool>();
  }
  /// The array `key`, or an empty array when it is missing.
  [[nodiscard]] const json& array_or_empty(std::string_view key) {
    static const json empty = json::array();
    const json* v = find(key);
    if (v == nullptr) return empty;
    if (!v->is_array()) fail(key, "expected an array, got " + describe(*v));
    return *v;
  }
  /// The array `key`. Throws: input_error when missing or not an array.
  [[nodiscard]] const json& array(std::string_view key) {
    const json& v = required(key);
    if (!v.is_array()) fail(key, "expected an array, got " + describe(v));
    return v;
  }

  /// Throws: input_error on the first member that no accessor asked about.
  void finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      bool ok = false;
      for (const std::string& k : known_) ok = ok || k == it.key();
      if (!ok)
        fail_at(pointer(it.key()), "unknown member '" + it.key() + "'; expected " +
                                       quoted_list(closest_names(it.key(), known_)));
    }
  }

  /// Throws: input_error at member `key`.
  [[noreturn]] void fail(std::string_view key, std::string reason) const { fail_at(pointer(key), std::move(reason)); }
  [[noreturn]] void fail_at(const std::string& where, std::string reason) const {
    throw input_error({.file = file_, .pointer = where}, std::move(reason));
  }

 private:
  std::string as_string(const json& v, std::string_view key) const {
    if (!v.is_string()) fail(key, "expected a string, got " + describe(v));
    return v.get<std::string>();
  }
  double as_number(const json& v, std::string_view key) const {
    if (!v.is_number()) fail(key, "expected a number, got " + describe(v));
    return v.get<double>();
  }

  const json& j_;
  std::string pointer_;
  const std::string& file_;
  std::vector<std::string> known_;
};

}  // namespace twinrisk::detail
