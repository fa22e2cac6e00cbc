#pragma once
/// The loss exceedance curve as a self-contained SVG chart — the picture a CISO puts on a slide:
/// P(annual loss > x) against x on a log money axis, with the ALE, p90 and p99 marked and
/// labelled. Written by hand (no plotting dependency); text is XML-escaped.
///
///     std::ofstream("lec.svg") << loss_exceedance_svg(r, {.title = "Acme Payments"});

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "twinrisk/detail/markup.hpp"
#include "twinrisk/risk/annual_losses.hpp"
#include "twinrisk/risk/money.hpp"

namespace twinrisk {

/// Options of `loss_exceedance_svg`.
struct exceedance_chart_options {
  std::string title = "Loss exceedance curve";
  std::string subtitle{};  ///< default: currency, simulated years, P(any loss)
  int width = 820, height = 500;
  std::size_t points = 120;  ///< curve resolution
  double appetite = 0.0;     ///< > 0: the risk appetite, a vertical line labelled with P(annual loss > appetite)
};

namespace detail {

/// 1000000 as "1,000,000".
inline std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

inline std::string svg_number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", x);
  return buffer;
}

}  // namespace detail

/// The chart of `r`'s loss exceedance curve; a chart saying "no loss in any simulated year"
/// when there is none.
[[nodiscard]] inline std::string loss_exceedance_svg(const annual_losses& r, const exceedance_chart_options& o = {}) {
  using detail::svg_number;
  using detail::xml_escape;
  const double left = 90, right = 40, top = 78, bottom = 70;
  const double plot_w = o.width - left - right, plot_h = o.height - top - bottom;
  const std::vector<std::pair<double, double>> curve = r.exceedance_curve(o.points);
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << o.width << "\" height=\"" << o.height << "\" viewBox=\"0 0 "
    << o.width << " " << o.height << "\" font-family=\"Helvetica, Arial, sans-serif\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  std::string subtitle = o.subtitle;
  if (subtitle.empty()) {
    std::ostringstream d;
    d << (r.currency.empty() ? std::string("money") : r.currency) << " · " << detail::grouped(r.years()) << " simulated years · ALE "
      << format_money(r.ale(), r.currency) << " · P(any loss in a year) " << std::lround(100 * r.p_any_loss()) << "%";
    subtitle = d.str();
  }
  s << "<text x=\"" << left << "\" y=\"34\" font-size=\"22\" font-weight=\"bold\" fill=\"#1a2433\">" << xml_escape(o.title)
    << "</text>\n<text x=\"" << left << "\" y=\"58\" font-size=\"14\" fill=\"#5b6675\">" << xml_escape(subtitle) << "</text>\n";
  if (curve.empty()) {
    s << "<text x=\"" << o.width / 2 << "\" y=\"" << o.height / 2 << "\" font-size=\"16\" text-anchor=\"middle\" fill=\"#5b6675\">"
      << "No loss in any simulated year</text>\n</svg>\n";
    return s.str();
  }
  // Axes: decades of money across, probability up to the next 10% above the curve.
  const double lo_decade = std::floor(std::log10(curve.front().first)), hi_decade = std::ceil(std::log10(curve.back().first));
  const double decades = std::max(1.0, hi_decade - lo_decade);
  const double y_max = std::min(1.0, std::ceil(curve.front().second * 10.0 + 1e-9) / 10.0);
  auto x_of = [&](double money) { return left + plot_w * (std::log10(money) - lo_decade) / decades; };
  auto y_of = [&](double p) { return top + plot_h * (1.0 - p / y_max); };
  s << "<g font-size=\"12\" fill=\"#5b6675\">\n";
  for (int i = 0; i <= 10; ++i) {  // horizontal grid every 10% of the axis
    const double p = y_max * i / 10.0, y = y_of(p);
    s << "<line x1=\"" << left << "\" y1=\"" << svg_number(y) << "\" x2=\"" << left + plot_w << "\" y2=\"" << svg_number(y)
      << "\" stroke=\"#e3e7ed\"/>\n<text x=\"" << left - 10 << "\" y=\"" << svg_number(y + 4) << "\" text-anchor=\"end\">"
      << std::lround(100 * p) << "%</text>\n";
  }
  for (double d = lo_decade; d <= lo_decade + decades + 1e-9; ++d) {  // a gridline and label per decade
    const double x = x_of(std::pow(10.0, d));
    s << "<line x1=\"" << svg_number(x) << "\" y1=\"" << top << "\" x2=\"" << svg_number(x) << "\" y2=\"" << top + plot_h
      << "\" stroke=\"#e3e7ed\"/>\n<text x=\"" << svg_number(x) << "\" y=\"" << top + plot_h + 20 << "\" text-anchor=\"middle\">"
      << xml_escape(format_money(std::pow(10.0, d), "", 0)) << "</text>\n";
  }
  s << "</g>\n<text x=\"" << left + plot_w / 2 << "\" y=\"" << o.height - 18 << "\" font-size=\"13\" text-anchor=\"middle\" fill=\"#1a2433\">"
    << "Annual loss" << (r.currency.empty() ? "" : " (" + xml_escape(r.currency) + ")") << ", log scale</text>\n"
    << "<text transform=\"translate(22 " << top + plot_h / 2 << ") rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" "
    << "fill=\"#1a2433\">Probability the year's loss is higher</text>\n";
  // The curve, with the area under it shaded.
  std::ostringstream line;
  for (const auto& [money, p] : curve) line << svg_number(x_of(money)) << "," << svg_number(y_of(p)) << " ";
  s << "<polygon points=\"" << svg_number(x_of(curve.front().first)) << "," << svg_number(y_of(0)) << " " << line.str()
    << svg_number(x_of(curve.back().first)) << "," << svg_number(y_of(0)) << "\" fill=\"#2f6fde\" fill-opacity=\"0.10\"/>\n"
    << "<polyline points=\"" << line.str() << "\" fill=\"none\" stroke=\"#2f6fde\" stroke-width=\"2.5\"/>\n";
  // Markers: where the ALE, p90 and p99 fall on the curve.
  struct marker {
    const char* name;
    double money;
    const char* colour;
  };
  const marker markers[] = {{"ALE", r.ale(), "#1a2433"}, {"p90", r.quantile(0.9), "#d98a00"}, {"p99", r.quantile(0.99), "#c0392b"}};
  int row = 0;
  for (const marker& m : markers) {
    if (!(m.money >= curve.front().first && m.money <= curve.back().first)) continue;
    const double x = x_of(m.money), y = y_of(r.exceedance(m.money));
    s << "<line x1=\"" << svg_number(x) << "\" y1=\"" << svg_number(y) << "\" x2=\"" << svg_number(x) << "\" y2=\"" << top + plot_h
      << "\" stroke=\"" << m.colour << "\" stroke-dasharray=\"5 4\"/>\n<circle cx=\"" << svg_number(x) << "\" cy=\"" << svg_number(y)
      << "\" r=\"4.5\" fill=\"" << m.colour << "\"/>\n<text x=\"" << svg_number(x + 8) << "\" y=\"" << svg_number(y - 8 - 16 * row)
      << "\" font-size=\"13\" font-weight=\"bold\" fill=\"" << m.colour << "\">" << m.name << " "
      << xml_escape(format_money(m.money, r.currency)) << "</text>\n";
    ++row;
  }
  if (o.appetite > 0.0) {  // the appetite, clamped to the plot when the curve lies wholly on one side
    const double x = std::clamp(x_of(o.appetite), left, left + plot_w);
    const bool label_left = x > left + plot_w * 0.6;
    s << "<line x1=\"" << svg_number(x) << "\" y1=\"" << top << "\" x2=\"" << svg_number(x) << "\" y2=\"" << top + plot_h
      << "\" stroke=\"#7b3fb8\" stroke-width=\"2\" stroke-dasharray=\"8 5\"/>\n<text x=\"" << svg_number(label_left ? x - 8 : x + 8)
      << "\" y=\"" << top + plot_h - 30 << "\" font-size=\"13\" font-weight=\"bold\" fill=\"#7b3fb8\" text-anchor=\""
      << (label_left ? "end" : "start") << "\">risk appetite " << xml_escape(format_money(o.appetite, r.currency)) << "</text>\n<text x=\""
      << svg_number(label_left ? x - 8 : x + 8) << "\" y=\"" << top + plot_h - 12 << "\" font-size=\"12\" fill=\"#7b3fb8\" text-anchor=\""
      << (label_left ? "end" : "start") << "\">P(loss above) " << std::lround(100 * r.exceedance(o.appetite)) << "%</text>\n";
  }
  s << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plot_w << "\" height=\"" << plot_h
    << "\" fill=\"none\" stroke=\"#9aa5b4\"/>\n</svg>\n";
  return s.str();
}

}  // namespace twinrisk
