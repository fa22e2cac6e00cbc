#pragma once
/// Escaping plain text for the markup the report writers produce: XML (SVG and HTML), Markdown
/// and Graphviz DOT. One place, so every writer treats text from the twin the same way.

#include <string>

namespace twinrisk::detail {

/// Text for XML content or a double-quoted attribute.
inline std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Plain text as Markdown: markup characters backslash-escaped, HTML's specials as entities,
/// line breaks flattened (a cell or list item stays one line).
inline std::string markdown_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#': case '~':
        out += '\\';
        out += c;
        break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

/// A DOT double-quoted string.
inline std::string dot_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r') out += "\\n";
    else out += c;
  }
  return out + "\"";
}

}  // namespace twinrisk::detail
