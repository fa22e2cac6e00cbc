// `twinrisk cvss`: CVSS v3.0, v3.1 and v4.0 scores of vectors given as arguments, or read from stdin one
// per line. A bad vector is reported on stderr and the others are still scored; the exit status is then 1.

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli_common.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/cvss/cvss.hpp"

namespace twinrisk_cli {
namespace {

struct cvss_options {
  std::vector<std::string> vectors;
  std::string format = "text";
};

/// "9.8", "10.0": a score as the calculators print it.
std::string one_decimal(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

ordered_json score_json(const std::string& vector, const twinrisk::cvss_score& s) {
  ordered_json j = {{"vector", vector},
                    {"version", twinrisk::to_string(s.version)},
                    {"score", s.score},
                    {"severity", twinrisk::to_string(s.severity)}};
  if (const auto* v3 = std::get_if<twinrisk::cvss31_scores>(&s.details)) {
    j["base"] = v3->base;
    j["temporal"] = v3->has_temporal ? ordered_json(v3->temporal) : ordered_json(nullptr);
    j["environmental"] = v3->has_environmental ? ordered_json(v3->environmental) : ordered_json(nullptr);
  } else {
    const auto& v4 = std::get<twinrisk::cvss40_score>(s.details);
    j["nomenclature"] = twinrisk::to_string(v4.nomenclature);
    j["macrovector"] = v4.macrovector;
  }
  return j;
}

/// Scores every vector (the arguments, else the lines of stdin without blank and '#' lines, surrounding
/// white space removed). Returns the exit status: 1 if any vector was bad.
int run_cvss(const cvss_options& o) {
  const bool json = o.format == "json";
  ordered_json out = ordered_json::array();
  int status = 0;
  const auto score = [&](const std::string& vector) {
    try {
      const twinrisk::cvss_score s = twinrisk::score_cvss(vector);
      if (json) out.push_back(score_json(vector, s));
      else std::cout << vector << '\t' << one_decimal(s.score) << '\t' << twinrisk::to_string(s.severity) << '\n';
    } catch (const twinrisk::input_error& e) {
      // The vector as the line shows it: escaped, at most 80 bytes (a binary file must not garble the terminal).
      std::cerr << "twinrisk: " << twinrisk::detail::printable_excerpt(vector, 80) << ": " << e.what() << '\n';
      status = 1;
    }
  };
  if (!o.vectors.empty()) {
    for (const std::string& vector : o.vectors) score(vector);
  } else {
    constexpr std::string_view space = " \t\r\n\f\v";
    for (std::string line; std::getline(std::cin, line);) {
      const std::size_t first = line.find_first_not_of(space);
      if (first == std::string::npos || line[first] == '#') continue;
      score(line.substr(first, line.find_last_not_of(space) - first + 1));
    }
  }
  if (json) std::cout << out.dump(2) << '\n';
  return status;
}

}  // namespace

command add_cvss_command(CLI::App& app) {
  auto o = std::make_shared<cvss_options>();
  auto status = std::make_shared<int>(0);
  CLI::App* cmd = app.add_subcommand("cvss", "Score CVSS v3.0, v3.1 and v4.0 vectors as the official calculators do");
  cmd->add_option("vectors", o->vectors,
                  "Vectors such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H; default: one per line on stdin "
                  "(blank lines and lines starting with # skipped)");
  cmd->add_option("--format", o->format, "Output format: text (vector, score, severity; tab-separated) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return {cmd, [o, status] { *status = run_cvss(*o); }, status};
}

}  // namespace twinrisk_cli
