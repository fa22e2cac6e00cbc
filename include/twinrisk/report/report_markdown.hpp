#pragma once
/// The report as Markdown (GitHub-flavoured tables): what a persona reads, for tickets, wikis
/// and pull requests. Charts are left to the HTML report; text from the twin is escaped so a
/// node name cannot inject markup.
///
///     std::cout << report_markdown(r, persona::engineer);

#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

#include "twinrisk/detail/markup.hpp"
#include "twinrisk/report/report_document.hpp"

namespace twinrisk {

/// `d` as Markdown.
[[nodiscard]] inline std::string render_markdown(const report_document& d) {
  using detail::markdown_text;
  std::ostringstream s;
  s << "# " << markdown_text(d.title) << "\n\n_" << markdown_text(d.subtitle) << "_\n";
  for (const doc_block& block : d.blocks) {
    std::visit(
        [&](const auto& b) {
          using B = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<B, doc_heading>) {
            s << "\n" << std::string(static_cast<std::size_t>(b.level), '#') << " " << markdown_text(b.text) << "\n";
          } else if constexpr (std::is_same_v<B, doc_paragraph>) {
            s << "\n" << (b.note ? "> " : "") << markdown_text(b.text) << "\n";
          } else if constexpr (std::is_same_v<B, doc_headline>) {
            s << "\n**" << markdown_text(b.label) << ": " << markdown_text(b.value) << "**"
              << (b.band.empty() ? "" : " (" + markdown_text(b.band) + ")") << "\n";
          } else if constexpr (std::is_same_v<B, doc_table>) {
            s << "\n|";
            for (const std::string& c : b.columns) s << " " << markdown_text(c) << " |";
            s << "\n|";
            for (std::size_t i = 0; i < b.columns.size(); ++i) s << (i < b.numeric.size() && b.numeric[i] ? "---:|" : "---|");
            s << "\n";
            for (const auto& row : b.rows) {
              s << "|";
              for (const std::string& cell : row) s << " " << markdown_text(cell) << " |";
              s << "\n";
            }
          } else if constexpr (std::is_same_v<B, doc_list>) {
            s << "\n";
            for (std::size_t i = 0; i < b.items.size(); ++i) {
              const std::string marker = b.ordered ? std::to_string(i + 1) + ". " : "- ";
              for (std::size_t line = 0; line < b.items[i].size(); ++line)
                s << (line == 0 ? marker : std::string(marker.size(), ' ') + "- ") << markdown_text(b.items[i][line]) << "\n";
            }
          } else if constexpr (std::is_same_v<B, doc_figure>) {
            s << "\n_Chart: " << markdown_text(b.caption) << " (in the HTML report)_\n";
          }
        },
        block);
  }
  return s.str();
}

/// The report persona `who` reads, as Markdown.
[[nodiscard]] inline std::string report_markdown(const risk_report& r, persona who) {
  return render_markdown(make_report_document(r, who));
}

}  // namespace twinrisk
