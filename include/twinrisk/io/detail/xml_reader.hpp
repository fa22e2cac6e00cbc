#pragma once
/// Streaming XML for the scan readers (Nessus, OpenVAS/GVM, Nmap): expat, with external entities
/// and DTDs refused, errors located by file, line and column, and the text of chosen elements.

#include <cstddef>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <expat.h>

#include "twinrisk/error.hpp"

namespace twinrisk::detail {

class xml_reader;

/// What a reader does with the elements of one document (the root element included).
class xml_handler {
 public:
  virtual ~xml_handler() = default;
  virtual void start(xml_reader& x, std::string_view element, const char** attrs) = 0;
  virtual void end(xml_reader& x, std::string_view element) = 0;
};

/// Parses one XML document from a stream and hands its elements to the handler chosen by the
/// root element. Memory: the chunk being parsed and the text of the open elements that asked for it.
class xml_reader {
 public:
  /// The handler for a root element, or nullptr when the root is not one the caller reads.
  using choose_handler = std::function<xml_handler*(std::string_view root)>;

  /// Reads `in` (named `file` in errors) to its end. `expected` says what a document must be,
  /// e.g. "expected a Nessus report (root element NessusClientData_v2)".
  /// Throws: input_error with file, line and column on malformed XML, an external entity or DTD,
  /// another root element, or what the handler reports with `fail`.
  static void read(std::istream& in, const std::string& file, const choose_handler& choose, const std::string& expected) {
    xml_reader x(file, choose, expected);
    x.parse(in);
  }

  /// Stops the parse: `read` throws input_error(`reason`) at the current position. The first
  /// failure wins. (Exceptions must not cross expat's C frames, hence this.)
  void fail(std::string reason) {
    if (pending_error_.empty()) {
      pending_where_ = where();
      pending_error_ = std::move(reason);
    }
    XML_StopParser(parser_.get(), XML_FALSE);
  }

  /// Collects the text directly inside the element just started, for `end_text` at its end.
  void begin_text() { texts_.push_back({depth_, {}}); }

  /// The text collected since `begin_text` for the element now ending, trimmed of white space;
  /// empty when none was asked for.
  [[nodiscard]] std::string end_text() {
    if (texts_.empty() || texts_.back().first != depth_) return {};
    std::string t = std::move(texts_.back().second);
    texts_.pop_back();
    const auto first = t.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return t.substr(first, t.find_last_not_of(" \t\r\n") - first + 1);
  }

  /// Depth of the element being started or ended: 1 for the root.
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }

  /// The value of attribute `name`, or nullptr.
  [[nodiscard]] static const char* attribute(const char** attrs, std::string_view name) {
    for (std::size_t i = 0; attrs[i] != nullptr; i += 2)
      if (name == attrs[i]) return attrs[i + 1];
    return nullptr;
  }
  /// The value of attribute `name`, or "".
  [[nodiscard]] static std::string attribute_text(const char** attrs, std::string_view name) {
    const char* v = attribute(attrs, name);
    return v ? v : "";
  }

 private:
  struct parser_deleter {
    void operator()(XML_Parser p) const { XML_ParserFree(p); }
  };

  xml_reader(const std::string& file, const choose_handler& choose, const std::string& expected)
      : file_(file), choose_(choose), expected_(expected), parser_(XML_ParserCreate(nullptr)) {
    if (!parser_) throw error("cannot create an XML parser (out of memory)");
  }

  void parse(std::istream& in) {
    XML_Parser p = parser_.get();
    XML_SetUserData(p, this);
    XML_SetElementHandler(p, &xml_reader::on_start, &xml_reader::on_end);
    XML_SetCharacterDataHandler(p, &xml_reader::on_text);
    // Expat never reads other files itself, but a reference to an external entity it does not
    // load would be skipped in silence: reject the declaration (XXE) and an external DTD.
    XML_SetEntityDeclHandler(p, &xml_reader::on_entity_decl);
    XML_SetStartDoctypeDeclHandler(p, &xml_reader::on_doctype);
    std::vector<char> buffer(1 << 16);
    bool done = false;
    while (!done) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto n = static_cast<int>(in.gcount());
      done = n == 0 || in.eof();
      if (XML_Parse(p, buffer.data(), n, done ? 1 : 0) == XML_STATUS_ERROR) {
        if (!pending_error_.empty()) throw input_error(pending_where_, pending_error_);
        throw input_error(where(), std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(p)));
      }
    }
    if (handler_ == nullptr) throw input_error({.file = file_}, expected_);
  }

  input_location where() const {
    return {.file = file_, .line = static_cast<std::size_t>(XML_GetCurrentLineNumber(parser_.get())),
            .column = static_cast<std::size_t>(XML_GetCurrentColumnNumber(parser_.get())) + 1};
  }

  static std::string external_id(const char* system_id, const char* public_id) {
    return public_id ? "PUBLIC \"" + std::string(public_id) + "\"" : "SYSTEM \"" + std::string(system_id ? system_id : "") + "\"";
  }
  static void on_entity_decl(void* self, const char* name, int, const char*, int, const char*, const char* system_id,
                             const char* public_id, const char*) {
    if (system_id == nullptr && public_id == nullptr) return;  // an internal entity (expat bounds their expansion)
    static_cast<xml_reader*>(self)->fail("external entity '" + std::string(name) + "' (" + external_id(system_id, public_id) +
                                         ") is not allowed: a scan report must not refer to other files");
  }
  static void on_doctype(void* self, const char*, const char* system_id, const char* public_id, int) {
    if (system_id == nullptr && public_id == nullptr) return;
    static_cast<xml_reader*>(self)->fail("external DTD (" + external_id(system_id, public_id) +
                                         ") is not allowed: a scan report must not refer to other files");
  }

  static void on_start(void* self, const char* element, const char** attrs) {
    auto& x = *static_cast<xml_reader*>(self);
    if (!x.pending_error_.empty()) return;
    ++x.depth_;
    if (x.handler_ == nullptr) {
      x.handler_ = x.choose_(element);
      if (x.handler_ == nullptr) return x.fail(x.expected_ + ", found <" + element + ">");
    }
    x.handler_->start(x, element, attrs);
  }
  static void on_end(void* self, const char* element) {
    auto& x = *static_cast<xml_reader*>(self);
    if (!x.pending_error_.empty()) return;
    x.handler_->end(x, element);
    if (!x.texts_.empty() && x.texts_.back().first == x.depth_) x.texts_.pop_back();  // asked for, not taken
    --x.depth_;
  }
  static void on_text(void* self, const char* s, int n) {
    auto& x = *static_cast<xml_reader*>(self);
    if (!x.texts_.empty() && x.texts_.back().first == x.depth_) x.texts_.back().second.append(s, static_cast<std::size_t>(n));
  }

  const std::string& file_;
  const choose_handler& choose_;
  const std::string& expected_;
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, parser_deleter> parser_;
  xml_handler* handler_ = nullptr;
  std::size_t depth_ = 0;
  std::vector<std::pair<std::size_t, std::string>> texts_;  // (depth, text) of the elements collecting text
  std::string pending_error_;
  input_location pending_where_;
};

}  // namespace twinrisk::detail
