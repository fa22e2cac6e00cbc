#pragma once
/// Strict JSON reading for twinrisk's readers: parsing that rejects duplicate keys and reports
/// line and column, and typed field access that reports the JSON pointer of what is wrong.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
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

/// A JSON pointer that is spelled out only when a message needs it: readers pass one down to
/// every value they look at, and building strings for the values that are fine would cost more
/// than reading them. A pointer refers to its parent, so it must not outlive it.
class lazy_pointer {
 public:
  explicit lazy_pointer(std::string_view root) : root_(root) {}
  /// The member `key` of `parent` (an empty key adds no token).
  lazy_pointer(const lazy_pointer& parent, std::string_view key) : parent_(&parent), key_(key) {}
  /// The element `index` of `parent`.
  lazy_pointer(const lazy_pointer& parent, std::size_t index) : parent_(&parent), index_(index), is_index_(true) {}

  [[nodiscard]] lazy_pointer operator/(std::string_view key) const& { return {*this, key}; }
  [[nodiscard]] lazy_pointer operator/(std::size_t index) const& { return {*this, index}; }
  // A chain `at / "a" / i` would refer to the temporary `at / "a"` after it is gone: name each level.
  lazy_pointer operator/(std::string_view key) const&& = delete;
  lazy_pointer operator/(std::size_t index) const&& = delete;

  [[nodiscard]] std::string str() const {
    std::string s = parent_ ? parent_->str() : std::string(root_);
    if (is_index_) {
      s += '/';
      s += std::to_string(index_);
    } else if (parent_ && !key_.empty()) {
      s += '/';
      s += pointer_token(key_);
    }
    return s;
  }

 private:
  const lazy_pointer* parent_ = nullptr;
  std::string_view root_{}, key_{};
  std::size_t index_ = 0;
  bool is_index_ = false;
};

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

/// The line and column in a nlohmann/json parse error message ("... at line 3, column 7: ..."),
/// or {0, 0} when it names none.
inline std::pair<std::size_t, std::size_t> line_and_column_in_message(std::string_view what) {
  const std::size_t at = what.find(" at line ");
  if (at == std::string_view::npos) return {0, 0};
  std::size_t line = 0, column = 0, i = at + 9;
  for (; i < what.size() && what[i] >= '0' && what[i] <= '9'; ++i) line = line * 10 + static_cast<std::size_t>(what[i] - '0');
  if (what.substr(i, 9) == ", column ")
    for (i += 9; i < what.size() && what[i] >= '0' && what[i] <= '9'; ++i)
      column = column * 10 + static_cast<std::size_t>(what[i] - '0');
  return {line, column};
}

/// Strings kept from one object or record to the next: `clear()` forgets them but keeps their
/// memory, so reading a stream of them allocates only while they grow.
class reused_strings {
 public:
  void clear() noexcept { size_ = 0; }
  std::string& add(std::string_view s) {
    if (size_ == items_.size()) items_.emplace_back();
    std::string& x = items_[size_++];
    x.assign(s);
    return x;
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const std::string& back() const { return items_[size_ - 1]; }
  [[nodiscard]] bool contains(std::string_view s) const { return std::find(begin(), end(), s) != end(); }
  [[nodiscard]] const std::string* begin() const noexcept { return items_.data(); }
  [[nodiscard]] const std::string* end() const noexcept { return items_.data() + size_; }

 private:
  std::vector<std::string> items_;
  std::size_t size_ = 0;
};

/// Builds a DOM through nlohmann/json's SAX interface, rejecting a key repeated within one object
/// (which nlohmann/json would otherwise resolve silently to the last value) and reporting syntax
/// errors with line and column. Tracks the JSON pointer of the current value for messages.
class strict_dom_builder {
 public:
  /// `prefix`: the JSON pointer of `root` within a larger document (streamed elements).
  strict_dom_builder(json& root, std::string_view text, const std::string& file, std::string prefix = {})
      : dom_(std::in_place, root, true), text_(text), file_(file), prefix_(std::move(prefix)) {}

  /// Starts over on a new root, reusing the frames' storage.
  void reset(json& root, std::string prefix) {
    dom_.emplace(root, true);
    prefix_ = std::move(prefix);
    depth_ = 0;
  }

  bool null() { element(); return dom_->null(); }
  bool boolean(bool b) { element(); return dom_->boolean(b); }
  bool number_integer(json::number_integer_t x) { element(); return dom_->number_integer(x); }
  bool number_unsigned(json::number_unsigned_t x) { element(); return dom_->number_unsigned(x); }
  bool number_float(json::number_float_t x, const std::string& s) { element(); return dom_->number_float(x, s); }
  bool string(std::string& s) { element(); return dom_->string(s); }
  bool binary(json::binary_t& b) { element(); return dom_->binary(b); }
  bool start_object(std::size_t n) { element(); push(false); return dom_->start_object(n); }
  bool end_object() { --depth_; return dom_->end_object(); }
  bool start_array(std::size_t n) { element(); push(true); return dom_->start_array(n); }
  bool end_array() { --depth_; return dom_->end_array(); }

  bool key(std::string& k) {
    frame& f = frames_[depth_ - 1];
    if (f.keys.contains(k))
      throw input_error({.file = file_, .pointer = path(depth_ - 1) + "/" + pointer_token(k)},
                        "duplicate key '" + k + "' in one object");
    f.keys.add(k);
    return dom_->key(k);
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    fail_parse(position, e, stopped_at());
  }

  /// Throws: input_error for the parse error `e` at byte `position`, with line and column; when
  /// those are unknown (a streamed document whose error has no line, such as a number overflow),
  /// with `pointer`, where reading stopped, instead.
  [[noreturn]] void fail_parse(std::size_t position, const nlohmann::detail::exception& e, std::string pointer) const {
    std::string what = e.what();
    // A streamed document has no text here: nlohmann's lexer counted lines itself.
    auto [line, column] = text_.empty() ? line_and_column_in_message(what)
                                        : line_and_column(text_, position == 0 ? 0 : position - 1);
    // Keep nlohmann's reason, without its "[json.exception.parse_error.101] parse error at line 1,
    // column 5: " prefix: the location is ours.
    if (what.rfind("[json.exception.", 0) == 0) what = what.substr(what.find("] ") + 2);
    if (what.rfind("parse error", 0) == 0 && what.find(": ") != std::string::npos) what = what.substr(what.find(": ") + 2);
    input_location where{.file = file_, .line = line, .column = column};
    if (line == 0) where.pointer = std::move(pointer);
    throw input_error(std::move(where), "malformed JSON: " + what);
  }

  /// The JSON pointer of the value the parser was reading when it stopped: the member whose key
  /// came last, or the element after the last one begun.
  [[nodiscard]] std::string stopped_at() const {
    if (depth_ == 0) return prefix_;
    std::string p = path(depth_ - 1);
    const frame& f = frames_[depth_ - 1];
    if (f.is_array || !f.keys.empty()) {
      p += '/';
      p += f.is_array ? std::to_string(f.count) : pointer_token(f.keys.back());
    }
    return p;
  }

  /// The JSON pointer of the value being read (for callers that stream).
  [[nodiscard]] std::string current_pointer() const { return path(depth_); }

 private:
  struct frame {
    bool is_array = false;
    std::size_t count = 0;               // elements begun so far (arrays)
    reused_strings keys = {};  // keys seen so far (objects); the last is the current one
  };

  void element() {
    if (depth_ != 0 && frames_[depth_ - 1].is_array) ++frames_[depth_ - 1].count;
  }
  void push(bool is_array) {
    if (frames_.size() == depth_) frames_.emplace_back();
    frame& f = frames_[depth_++];
    f.is_array = is_array;
    f.count = 0;
    f.keys.clear();  // frames are reused: their keys keep their memory
  }
  // The JSON pointer of the value being read at `depth` (the containers above it).
  std::string path(std::size_t depth) const {
    std::string p = prefix_;
    for (std::size_t i = 0; i < depth; ++i) {
      p += '/';  // appended piecewise: GCC 12 misreads "/" + string&& as an overlapping copy (-Wrestrict)
      p += frames_[i].is_array ? std::to_string(frames_[i].count - 1) : pointer_token(frames_[i].keys.back());
    }
    return p;
  }

  std::optional<nlohmann::detail::json_sax_dom_parser<json>> dom_;
  std::string_view text_;
  const std::string& file_;
  std::string prefix_;
  std::vector<frame> frames_;
  std::size_t depth_ = 0;
};

/// Parses `text` as one JSON document. Throws: input_error with file, line and column on a
/// syntax error or a number out of range, and with the JSON pointer on a key repeated within
/// one object. Complexity: linear, as nlohmann/json's own parser.
inline json parse_json(std::string_view text, const std::string& file) {
  json root;
  strict_dom_builder builder(root, text, file);
  json::sax_parse(text.begin(), text.end(), &builder);
  return root;
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

  /// The member `key`, or nullptr. `key` must outlive this object (callers pass literals).
  [[nodiscard]] const json* find(std::string_view key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);  // once, for hints
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
  /// The enumerator named by the string member `key`, looked up in `names` (an enum_names table).
  /// Throws: input_error when missing, not a string, or not a name, listing the closest names.
  template <class Names>
  [[nodiscard]] auto enumerator(std::string_view key, const Names& names) {
    return as_enumerator(required(key), key, names);
  }
  /// As `enumerator`, or `fallback` when the member is missing.
  template <class Names, class Enum>
  [[nodiscard]] Enum enumerator_or(std::string_view key, const Names& names, Enum fallback) {
    const json* v = find(key);
    return v ? as_enumerator(*v, key, names) : fallback;
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
      for (std::string_view k : known_) ok = ok || k == it.key();
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
  template <class Names>
  auto as_enumerator(const json& v, std::string_view key, const Names& names) const {
    const std::string* text = v.get_ptr<const std::string*>();
    if (text == nullptr) {
      const bool vowel = std::string_view("aeiou").find(names.what.front()) != std::string_view::npos;
      fail(key, std::string("expected the name of ") + (vowel ? "an " : "a ") + std::string(names.what) + ", got " + describe(v));
    }
    decltype(names.parse("")) e{};
    if (!names.find(*text, e)) e = names.parse(*text, {.file = file_, .pointer = pointer(key)});  // throws
    return e;
  }

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
  std::vector<std::string_view> known_;
};

}  // namespace twinrisk::detail
