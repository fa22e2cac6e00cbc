// What do I hand to the CISO, the engineers and the incident responders? One analysis of the
// twin — score, money, crown jewels, paths, a budgeted plan, AI reach — written for each reader
// as HTML, Markdown or JSON (docs/schemas/report.schema.json), and the paths as a Graphviz graph.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "example_twin.hpp"
#include "twinrisk/report/build_report.hpp"
#include "twinrisk/report/report_dot.hpp"
#include "twinrisk/report/report_html.hpp"
#include "twinrisk/report/report_json.hpp"
#include "twinrisk/report/report_markdown.hpp"
#include "twinrisk/risk/money.hpp"

int main(int argc, char** argv) try {
  using namespace twinrisk;
  const twin t = twinrisk_examples::example_twin(argc, argv);
  const auto folder = std::filesystem::temp_directory_path() / "twinrisk-example-report";
  std::filesystem::create_directories(folder);
  //! [report]
  risk_report r = build_report(t, nullptr, {.trials = 1'024, .years = 4'096, .plan_years = 1'024, .max_actions = 2, .candidate_paths = 3});
  // nullptr: base probabilities; &ex: validated
  std::cout << "risk score " << r.score.score << " (" << r.score.band << "), ALE " << format_money(r.losses->ale(), t.info().currency)
            << ", " << r.remediation.plan.size() << " planned fixes\n";
  std::ofstream(folder / "ciso.html") << report_html(r, persona::ciso);  // engineer | responder | ciso | all
  std::ofstream(folder / "engineer.md") << report_markdown(r, persona::engineer);
  std::ofstream(folder / "report.json") << report_json(r, persona::all).dump(2);
  std::ofstream(folder / "paths.dot") << attack_paths_dot(r);  // dot -Tsvg paths.dot
  //! [report]
  for (const char* name : {"ciso.html", "engineer.md", "report.json", "paths.dot"}) {
    std::cout << "  " << name << ": " << std::filesystem::file_size(folder / name) << " bytes\n";
  }
  std::filesystem::remove_all(folder);
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "report: " << e.what() << "\n";
  return 1;
}
