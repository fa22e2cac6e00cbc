// What does this CVSS vector score? CVSS v3.0, v3.1 and v4.0 vectors scored as the FIRST
// calculators do (checked against them in tests/cvss), with the metrics a policy can ask about.

#include <iostream>
#include <variant>

#include "twinrisk/cvss/cvss.hpp"

int main() try {
  using namespace twinrisk;
  //! [score]
  cvss_score s = score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
  const auto& v3 = std::get<cvss31_scores>(s.details);  // base 9.8, temporal 7.8; impact 5.9, exploitability 3.9
  std::cout << to_string(s.version) << ' ' << s.score << ' ' << to_string(s.severity) << " (base " << v3.base << ")\n";

  cvss40_score v4 = score_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
  std::cout << to_string(v4.nomenclature) << ' ' << v4.score << " macrovector " << v4.macrovector << '\n';  // CVSS-BT 8.1 000220

  cvss31_vector v = parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  bool remote_no_auth = v.av == cvss_attack_vector::network && v.pr == cvss_privileges_required::none;
  //! [score]
  std::cout << "remote, no authentication: " << (remote_no_auth ? "yes" : "no") << '\n';

  //! [errors]
  try {
    (void)score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H");  // A: is missing
  } catch (const input_error& e) {
    std::cout << "rejected: " << e.what() << '\n';  // names the column and what was expected
  }
  //! [errors]
  return 0;
} catch (const twinrisk::error& e) {
  std::cerr << "cvss_scores: " << e.what() << "\n";
  return 1;
}
