#pragma once
/// A document as plain blocks — headings, paragraphs, tables, lists, a headline figure, charts —
/// written once by the report and loss sections and turned into markup by the Markdown and HTML
/// renderers. Text in blocks is plain (renderers escape it); charts are SVG that only HTML embeds.

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

namespace twinrisk {

/// Blocks of a report document.
struct doc_heading {
  int level = 2;
  std::string text{};
};
struct doc_paragraph {
  std::string text{};
  bool note = false;  ///< a side remark (assumptions, caveats), set apart
};
struct doc_table {
  std::vector<std::string> columns{};
  std::vector<bool> numeric{};  ///< right-aligned columns
  std::vector<std::vector<std::string>> rows{};
};
struct doc_list {
  bool ordered = true;
  std::vector<std::vector<std::string>> items{};  ///< each item: its first line, then indented detail lines
};
struct doc_headline {  ///< the one figure the page is about
  std::string label{}, value{}, detail{}, band{};
};
struct doc_figure {
  std::string svg{}, caption{};
};
using doc_block = std::variant<doc_heading, doc_paragraph, doc_table, doc_list, doc_headline, doc_figure>;

/// A document: a title, a subtitle and its blocks.
struct report_document {
  std::string title{}, subtitle{};
  std::vector<doc_block> blocks{};
};

namespace detail {

/// `p` as a percentage with `digits` decimals: "12.5%".
inline std::string percent_text(double p, int digits = 1) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f%%", digits, 100.0 * p);
  return buffer;
}

}  // namespace detail

}  // namespace twinrisk
