#pragma once
/// The report as one self-contained HTML file: inline CSS and SVG charts, no script, no
/// external asset (a Content-Security-Policy forbids loading any), readable on a laptop and
/// printable (charts and tables are not split across pages).
///
///     std::ofstream("report.html") << report_html(r, persona::ciso);

#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

#include "twinrisk/detail/markup.hpp"
#include "twinrisk/report/report_document.hpp"

namespace twinrisk {

namespace detail {

inline constexpr const char* report_css = R"(
:root { --ink: #1a2433; --muted: #5b6675; --line: #dfe4ea; --accent: #2f6fde; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f9; color: var(--ink); font: 15px/1.5 Helvetica, Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; background: #fff; min-height: 100vh; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 8px; padding-bottom: 10px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0; }
h2 { font-size: 20px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 8px 0; }
p.note { color: var(--muted); border-left: 3px solid var(--line); padding-left: 10px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr:nth-child(even) td { background: #fafbfc; }
ol, ul { padding-left: 24px; }
li { margin: 6px 0; }
li .detail { display: block; color: var(--muted); font-size: 14px; }
figure { margin: 14px 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.headline { display: inline-flex; align-items: baseline; gap: 14px; padding: 14px 22px; border-radius: 8px; color: #fff; }
.headline .value { font-size: 40px; font-weight: 700; }
.headline .band { font-size: 18px; text-transform: uppercase; letter-spacing: 1px; }
.band-low { background: #1e8449; } .band-moderate { background: #b7950b; }
.band-high { background: #d35400; } .band-critical { background: #c0392b; }
.band-none { background: var(--accent); }
@media print {
  body { background: #fff; } main { padding: 0; max-width: none; }
  figure, table, li, .headline { break-inside: avoid; } h2, h3 { break-after: avoid; }
}
)";

}  // namespace detail

/// `d` as a self-contained HTML page.
[[nodiscard]] inline std::string render_html(const report_document& d) {
  using detail::xml_escape;
  std::ostringstream s;
  s << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << xml_escape(d.title) << "</title>\n<style>"
    << detail::report_css << "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>" << xml_escape(d.title) << "</h1>\n<p class=\"subtitle\">"
    << xml_escape(d.subtitle) << "</p>\n</header>\n";
  for (const doc_block& block : d.blocks) {
    std::visit(
        [&](const auto& b) {
          using B = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<B, doc_heading>) {
            s << "<h" << b.level << ">" << xml_escape(b.text) << "</h" << b.level << ">\n";
          } else if constexpr (std::is_same_v<B, doc_paragraph>) {
            s << (b.note ? "<p class=\"note\">" : "<p>") << xml_escape(b.text) << "</p>\n";
          } else if constexpr (std::is_same_v<B, doc_headline>) {
            s << "<div class=\"headline band-" << (b.band.empty() ? "none" : xml_escape(b.band)) << "\"><span class=\"label\">"
              << xml_escape(b.label) << "</span><span class=\"value\">" << xml_escape(b.value) << "</span><span class=\"band\">"
              << xml_escape(b.band) << "</span></div>\n";
          } else if constexpr (std::is_same_v<B, doc_table>) {
            auto cls = [&](std::size_t i) { return i < b.numeric.size() && b.numeric[i] ? " class=\"num\"" : ""; };
            s << "<table>\n<thead><tr>";
            for (std::size_t i = 0; i < b.columns.size(); ++i) s << "<th" << cls(i) << ">" << xml_escape(b.columns[i]) << "</th>";
            s << "</tr></thead>\n<tbody>\n";
            for (const auto& row : b.rows) {
              s << "<tr>";
              for (std::size_t i = 0; i < row.size(); ++i) s << "<td" << cls(i) << ">" << xml_escape(row[i]) << "</td>";
              s << "</tr>\n";
            }
            s << "</tbody>\n</table>\n";
          } else if constexpr (std::is_same_v<B, doc_list>) {
            s << (b.ordered ? "<ol>\n" : "<ul>\n");
            for (const auto& item : b.items) {
              s << "<li>";
              for (std::size_t line = 0; line < item.size(); ++line)
                s << (line == 0 ? "<span>" : "<span class=\"detail\">") << xml_escape(item[line]) << "</span>";
              s << "</li>\n";
            }
            s << (b.ordered ? "</ol>\n" : "</ul>\n");
          } else if constexpr (std::is_same_v<B, doc_figure>) {
            s << "<figure>\n" << b.svg << "<figcaption>" << xml_escape(b.caption) << "</figcaption>\n</figure>\n";
          }
        },
        block);
  }
  s << "</main>\n</body>\n</html>\n";
  return s.str();
}

/// The report persona `who` reads, as one self-contained HTML page.
[[nodiscard]] inline std::string report_html(const risk_report& r, persona who) { return render_html(make_report_document(r, who)); }

}  // namespace twinrisk
