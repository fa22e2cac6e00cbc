#pragma once
/// Streaming JSON: the elements of a document's big arrays are built one at a time, so a
/// multi-gigabyte collection needs memory for one element, not for the whole document.

#include <algorithm>
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_fields.hpp"

namespace twinrisk::detail {

/// A nlohmann/json SAX handler. The elements of the arrays whose JSON pointers are in `streamed`
/// ("/data", "/graph/nodes") are built one at a time and handed to
/// `on_element(std::string_view pointer, json& element)` (pointer "/data/17"); everything else
/// builds `skeleton`, in which the streamed arrays stay empty. Keys repeated within one object
/// are errors, as in `parse_json`.
template <class OnElement>
class streaming_handler {
 public:
  streaming_handler(json& skeleton, std::vector<std::string> streamed, const std::string& file, OnElement& on_element)
      : skeleton_(skeleton, {}, file), element_builder_(element_, {}, file), streamed_(std::move(streamed)),
        on_element_(on_element) {}

  bool null() { return value([&](auto& b) { return b.null(); }); }
  bool boolean(bool x) { return value([&](auto& b) { return b.boolean(x); }); }
  bool number_integer(json::number_integer_t x) { return value([&](auto& b) { return b.number_integer(x); }); }
  bool number_unsigned(json::number_unsigned_t x) { return value([&](auto& b) { return b.number_unsigned(x); }); }
  bool number_float(json::number_float_t x, const std::string& s) {
    return value([&](auto& b) { return b.number_float(x, s); });
  }
  bool string(std::string& x) { return value([&](auto& b) { return b.string(x); }); }
  bool binary(json::binary_t& x) { return value([&](auto& b) { return b.binary(x); }); }

  bool start_object(std::size_t n) { return open(false, [&](auto& b) { return b.start_object(n); }); }
  bool start_array(std::size_t n) { return open(true, [&](auto& b) { return b.start_array(n); }); }
  bool end_object() { return close([](auto& b) { return b.end_object(); }); }
  bool end_array() { return close([](auto& b) { return b.end_array(); }); }

  bool key(std::string& k) {
    if (inner_depth_ > 0) return element_builder_.key(k);
    frames_.back().key = k;
    return skeleton_.key(k);
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // Line and column when nlohmann's message has them, else the pointer where reading stopped.
    if (inner_depth_ > 0) element_builder_.fail_parse(position, e, element_builder_.stopped_at());
    skeleton_.fail_parse(position, e, at_streamed_element() ? next_element_pointer() : skeleton_.stopped_at());
  }

 private:
  struct frame {
    bool is_array = false;
    bool streamed = false;
    std::size_t count = 0;
    std::string key{};
  };

  // True when the next value is an element of a streamed array (outside any element).
  bool at_streamed_element() const { return inner_depth_ == 0 && !frames_.empty() && frames_.back().streamed; }

  // The JSON pointer of the next element of the innermost array.
  std::string next_element_pointer() const { return pointer_of(frames_.size()) + "/" + std::to_string(frames_.back().count); }

  // True when the next value begins an element of a streamed array; starts building it.
  bool element_begins() {
    if (!at_streamed_element()) return false;
    element_builder_.reset(element_, next_element_pointer());
    ++frames_.back().count;
    return true;
  }

  template <class Event>
  bool value(Event&& event) {
    if (inner_depth_ > 0) return event(element_builder_);
    if (element_begins()) {
      event(element_builder_);
      deliver();
      return true;
    }
    count_in_parent();
    return event(skeleton_);
  }

  template <class Event>
  bool open(bool is_array, Event&& event) {
    if (inner_depth_ > 0 || element_begins()) {
      ++inner_depth_;
      return event(element_builder_);
    }
    count_in_parent();
    frames_.push_back({.is_array = is_array});
    if (is_array) frames_.back().streamed = is_streamed(frames_.size());
    return event(skeleton_);
  }

  template <class Event>
  bool close(Event&& event) {
    if (inner_depth_ > 0) {
      const bool ok = event(element_builder_);
      if (--inner_depth_ == 0) deliver();
      return ok;
    }
    frames_.pop_back();
    return event(skeleton_);
  }

  void count_in_parent() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().count;
  }

  // True when the array at frames_[depth - 1] is one of `streamed_`. Its pointer is built only at
  // the depth of a streamed pointer: building it at every level made deep nesting quadratic.
  bool is_streamed(std::size_t depth) const {
    for (const std::string& s : streamed_)
      if (static_cast<std::size_t>(std::count(s.begin(), s.end(), '/')) + 1 == depth && s == pointer_of(depth)) return true;
    return false;
  }

  // The JSON pointer of the container at frames_[depth - 1] ("" for the root).
  std::string pointer_of(std::size_t depth) const {
    std::string p;
    for (std::size_t i = 0; i + 1 < depth; ++i) {
      p += '/';
      p += frames_[i].is_array ? std::to_string(frames_[i].count - 1) : pointer_token(frames_[i].key);
    }
    return p;
  }

  void deliver() {
    on_element_(std::string_view(element_builder_.current_pointer()), element_);
    element_ = json();
  }

  strict_dom_builder skeleton_;
  json element_;
  strict_dom_builder element_builder_;
  std::vector<std::string> streamed_;
  OnElement& on_element_;
  std::vector<frame> frames_;
  std::size_t inner_depth_ = 0;
};

/// Parses the JSON document in `in`, streaming the elements of the arrays at the pointers in
/// `streamed` to `on_element(pointer, element)`; returns the rest of the document.
/// Throws: input_error naming `file` with line and column on a syntax error, with the JSON
/// pointer on a repeated key; whatever `on_element` throws. Memory: the skeleton and one element.
template <class OnElement>
json stream_json(std::istream& in, const std::string& file, std::vector<std::string> streamed, OnElement&& on_element) {
  json skeleton;
  streaming_handler<std::remove_reference_t<OnElement>> handler(skeleton, std::move(streamed), file, on_element);
  json::sax_parse(in, &handler);
  return skeleton;
}

}  // namespace twinrisk::detail
