#pragma once
/// The report's small charts as self-contained SVG: each crown jewel's compromise probability
/// with its interval, and an attack path drawn as a chain of nodes. Written by hand like the
/// loss exceedance chart (report/exceedance_svg.hpp); text is XML-escaped.

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "twinrisk/detail/markup.hpp"
#include "twinrisk/report/report.hpp"
#include "twinrisk/report/exceedance_svg.hpp"

namespace twinrisk {

namespace detail {

/// `text` cut to at most `max` bytes at a UTF-8 character boundary, with "…" when cut.
inline std::string shortened(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
  return text.substr(0, end) + "\u2026";
}

}  // namespace detail

/// Horizontal bars: each crown jewel's compromise probability (at most `max_rows`, most likely
/// first) with its 95% interval as a whisker.
[[nodiscard]] inline std::string compromise_bars_svg(const risk_report& r, std::size_t max_rows = 15) {
  using detail::svg_number;
  using detail::xml_escape;
  const std::size_t rows = std::min(r.crown_jewels.size(), max_rows);
  const double width = 820, label_w = 300, value_w = 70, row_h = 28, top = 16, axis_h = 28;
  const double plot_w = width - label_w - value_w - 20;
  const double height = top + row_h * static_cast<double>(rows) + axis_h + (r.crown_jewels.size() > rows ? 20 : 0);
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width
    << " " << height << "\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" aria-label=\"Compromise probability of each crown jewel\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  const double x0 = label_w;
  for (int i = 0; i <= 4; ++i) {  // gridlines at 0, 25, 50, 75, 100%
    const double x = x0 + plot_w * i / 4.0;
    s << "<line x1=\"" << svg_number(x) << "\" y1=\"" << top - 4 << "\" x2=\"" << svg_number(x) << "\" y2=\""
      << svg_number(top + row_h * static_cast<double>(rows)) << "\" stroke=\"#e3e7ed\"/>\n<text x=\"" << svg_number(x) << "\" y=\""
      << svg_number(top + row_h * static_cast<double>(rows) + 18) << "\" font-size=\"12\" fill=\"#5b6675\" text-anchor=\"middle\">"
      << 25 * i << "%</text>\n";
  }
  for (std::size_t i = 0; i < rows; ++i) {
    const crown_jewel_risk& c = r.crown_jewels[i];
    const double y = top + row_h * static_cast<double>(i), mid = y + row_h / 2;
    const double hue = std::clamp(c.compromise.p, 0.0, 1.0);  // amber to red as it grows
    const std::string fill = hue >= 0.5 ? "#c0392b" : hue >= 0.2 ? "#d98a00" : "#2f6fde";
    s << "<text x=\"" << label_w - 10 << "\" y=\"" << svg_number(mid + 4) << "\" font-size=\"13\" fill=\"#1a2433\" text-anchor=\"end\">"
      << xml_escape(detail::shortened(c.node.name, 40)) << "</text>\n"
      << "<rect x=\"" << x0 << "\" y=\"" << svg_number(y + 5) << "\" width=\"" << svg_number(plot_w * hue) << "\" height=\""
      << row_h - 10 << "\" fill=\"" << fill << "\" fill-opacity=\"0.85\"/>\n"
      << "<line x1=\"" << svg_number(x0 + plot_w * c.compromise.lo) << "\" y1=\"" << svg_number(mid) << "\" x2=\""
      << svg_number(x0 + plot_w * c.compromise.hi) << "\" y2=\"" << svg_number(mid) << "\" stroke=\"#1a2433\" stroke-width=\"1.5\"/>\n"
      << "<text x=\"" << svg_number(x0 + plot_w + 10) << "\" y=\"" << svg_number(mid + 4) << "\" font-size=\"13\" fill=\"#1a2433\">"
      << std::lround(100 * c.compromise.p) << "%</text>\n";
  }
  if (r.crown_jewels.size() > rows)
    s << "<text x=\"" << x0 << "\" y=\"" << svg_number(height - 6) << "\" font-size=\"12\" fill=\"#5b6675\">and "
      << r.crown_jewels.size() - rows << " more (see the table)</text>\n";
  s << "</svg>\n";
  return s.str();
}

/// An attack path as a chain: the entry point (green), the nodes crossed (identities rounded,
/// assets square) and the crown jewel (red), each hop labelled with its edge kind and probability.
[[nodiscard]] inline std::string attack_path_svg(const report_path& p) {
  using detail::svg_number;
  using detail::xml_escape;
  const std::size_t n = p.steps.size() + 1;
  const double box_w = 164, box_h = 54, gap = 70, margin = 14, top = 34;
  const double width = margin * 2 + box_w * static_cast<double>(n) + gap * static_cast<double>(n - 1), height = top + box_h + 30;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width
    << " " << height << "\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\" aria-label=\"Attack path\">\n"
    << "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
    << "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5b6675\"/></marker></defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  auto box = [&](std::size_t i, const report_node& node) {
    const double x = margin + static_cast<double>(i) * (box_w + gap);
    const bool entry = i == 0, target = i + 1 == n;
    const std::string stroke = entry ? "#1e8449" : target ? "#c0392b" : "#5b6675";
    const std::string fill = entry ? "#e9f7ef" : target ? "#fdecea" : "#f4f6f9";
    s << "<rect x=\"" << svg_number(x) << "\" y=\"" << top << "\" width=\"" << box_w << "\" height=\"" << box_h << "\" rx=\""
      << (node.identity ? 24 : 4) << "\" fill=\"" << fill << "\" stroke=\"" << stroke
      << "\" stroke-width=\"2\"/>\n<text x=\"" << svg_number(x + box_w / 2) << "\" y=\"" << top + 23
      << "\" font-size=\"12\" font-weight=\"bold\" fill=\"#1a2433\" text-anchor=\"middle\">" << xml_escape(detail::shortened(node.name, 20))
      << "</text>\n<text x=\"" << svg_number(x + box_w / 2) << "\" y=\"" << top + 40 << "\" font-size=\"11\" fill=\"#5b6675\" text-anchor=\"middle\">"
      << xml_escape(detail::shortened(node.kind, 24)) << "</text>\n";
    if (entry || target)
      s << "<text x=\"" << svg_number(x + box_w / 2) << "\" y=\"" << top + box_h + 18 << "\" font-size=\"11\" fill=\"" << stroke
        << "\" text-anchor=\"middle\">" << (entry ? "entry point" : "crown jewel") << "</text>\n";
  };
  box(0, p.entry);
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const double x1 = margin + static_cast<double>(i) * (box_w + gap) + box_w, x2 = x1 + gap, y = top + box_h / 2;
    s << "<line x1=\"" << svg_number(x1) << "\" y1=\"" << y << "\" x2=\"" << svg_number(x2 - 2) << "\" y2=\"" << y
      << "\" stroke=\"#5b6675\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n<text x=\"" << svg_number((x1 + x2) / 2) << "\" y=\""
      << top - 16 << "\" font-size=\"10\" fill=\"#1a2433\" text-anchor=\"middle\">" << xml_escape(detail::shortened(p.steps[i].edge_kind, 14))
      << "</text>\n<text x=\"" << svg_number((x1 + x2) / 2) << "\" y=\"" << top - 4 << "\" font-size=\"10\" fill=\"#5b6675\" text-anchor=\"middle\">p "
      << svg_number(p.steps[i].probability * 100) << "%</text>\n";
    box(i + 1, p.steps[i].to);
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace twinrisk
