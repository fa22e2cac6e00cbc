// Tests of cvss/cvss31.hpp, cvss/cvss40.hpp and cvss/cvss.hpp: every vector of the golden files
// of two independent implementations (tests/data/cvss/README.md), the rounding rules of the
// specifications, and every class of malformed vector with its exact message.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/cvss/cvss.hpp"
#include "twinrisk/cvss/cvss31.hpp"
#include "twinrisk/cvss/cvss40.hpp"

using namespace twinrisk;

namespace {

const std::filesystem::path data_dir = twinrisk_test::source_dir() / "tests/data/cvss";

/// The data lines of a golden file: not blank, not a '#' comment. The file must exist.
std::vector<std::string> data_lines(const std::string& name) {
  std::ifstream in(data_dir / name);
  REQUIRE_MESSAGE(in.good(), "cannot open " << (data_dir / name).string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  return lines;
}

/// "9.8" -> 9.8; "None" and "NaN" (not defined) -> NaN.
double number(std::string_view s) {
  if (s == "None" || s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  double x = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
  REQUIRE_MESSAGE((r.ec == std::errc() && r.ptr == s.data() + s.size()), "not a number: " << s);
  return x;
}

std::vector<std::string_view> split(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i <= s.size();) {
    const std::size_t end = std::min(s.find_first_of(separators, i), s.size());
    if (end > i) out.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

/// A RedHat line "VECTOR - (base, temporal, environmental)" or "VECTOR - 7.3": the vector and the numbers.
std::pair<std::string, std::vector<double>> redhat_line(const std::string& line) {
  const std::size_t dash = line.find(" - ");
  REQUIRE(dash != std::string::npos);
  std::vector<double> numbers;
  for (std::string_view field : split(std::string_view(line).substr(dash + 3), "(), ")) numbers.push_back(number(field));
  return {line.substr(0, dash), numbers};
}

/// Same number, or both not defined.
bool same(double expected, double got) { return std::isnan(expected) ? std::isnan(got) : expected == got; }

/// Counts the mismatches of one golden file; reports the first few.
struct tally {
  std::size_t compared = 0, mismatches = 0;
  void check(bool ok, const std::string& line, const std::string& got) {
    ++compared;
    if (ok) return;
    if (++mismatches <= 5) FAIL_CHECK(line << "\n  got: " << got);
  }
};

std::string show(const cvss31_scores& s) {
  std::ostringstream o;
  o << "overall " << s.overall() << " base " << s.base << " impact " << s.impact << " exploitability "
    << s.exploitability << " temporal " << s.temporal << (s.has_temporal ? "" : " (undefined)") << " environmental "
    << s.environmental << (s.has_environmental ? "" : " (undefined)") << " modified impact " << s.modified_impact;
  return o.str();
}

std::string show(const cvss40_score& s) {
  std::ostringstream o;
  o << s.macrovector << " " << s.score;
  return o.str();
}

/// A v4.0 vector with its metrics put in the specification's order (test-side, independent of the parser).
std::string in_spec_order(std::string_view vector) {
  static const std::vector<std::string_view> order = {"AV",  "AC",  "AT",  "PR",  "UI",  "VC",  "VI",  "VA",
                                                      "SC",  "SI",  "SA",  "E",   "CR",  "IR",  "AR",  "MAV",
                                                      "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC",
                                                      "MSI", "MSA", "S",   "AU",  "R",   "V",   "RE",  "U"};
  const auto rank = [&](std::string_view metric) {
    return std::find(order.begin(), order.end(), metric.substr(0, metric.find(':'))) - order.begin();
  };
  std::vector<std::string_view> metrics = split(vector.substr(9), "/");
  std::stable_sort(metrics.begin(), metrics.end(), [&](auto x, auto y) { return rank(x) < rank(y); });
  std::string out = "CVSS:4.0";
  for (std::string_view m : metrics) out += "/" + std::string(m);
  return out;
}

/// The message of the input_error that `f` throws ("" if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const input_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Golden files

TEST_CASE("CVSS 3.1: every base vector matches RedHat (vectors_simple31)") {
  const auto lines = data_lines("redhat-cvss/vectors_simple31.txt");
  tally t;
  for (const std::string& line : lines) {
    const auto [vector, expected] = redhat_line(line);
    REQUIRE(expected.size() == 3);
    const cvss31_scores s = score_cvss31(vector);
    t.check(s.base == expected[0] && s.temporal == expected[1] && s.environmental == expected[2] &&
                !s.has_temporal && !s.has_environmental && s.overall() == s.base,
            line, show(s));
  }
  CHECK(lines.size() == 2592);
  CHECK(t.compared == lines.size());
  CHECK(t.mismatches == 0);
}

TEST_CASE("CVSS 3.1: base, subscores, temporal and environmental match metaeffekt on 10000 vectors") {
  const auto lines = data_lines("metaeffekt/cvss-3.1-validation-vectors-001.txt");
  tally t;
  std::size_t with_temporal = 0, with_environmental = 0;
  for (const std::string& line : lines) {
    const auto fields = split(line, " ");
    REQUIRE(fields.size() == 8);  // vector overall base impact exploitability temporal environmental modifiedImpact
    const cvss31_scores s = score_cvss31(fields[0]);
    with_temporal += s.has_temporal ? 1 : 0;
    with_environmental += s.has_environmental ? 1 : 0;
    const double undefined = std::numeric_limits<double>::quiet_NaN();
    t.check(s.overall() == number(fields[1]) && s.base == number(fields[2]) && s.impact == number(fields[3]) &&
                s.exploitability == number(fields[4]) &&
                same(number(fields[5]), s.has_temporal ? s.temporal : undefined) &&
                same(number(fields[6]), s.has_environmental ? s.environmental : undefined) &&
                same(number(fields[7]), s.has_environmental ? s.modified_impact : undefined),
            line, show(s));
  }
  CHECK(lines.size() == 10000);
  CHECK(t.compared == lines.size());
  CHECK(t.mismatches == 0);
  CHECK(with_temporal > 1000);  // the file exercises every score, not only base
  CHECK(with_environmental > 1000);
}

TEST_CASE("CVSS 3.0: base, temporal and environmental match RedHat (simple, FIRST calculator, cvsslib)") {
  struct file {
    const char* name;
    std::size_t lines;
  };
  for (const file f : {file{"redhat-cvss/vectors_simple3.txt", 2592}, file{"redhat-cvss/vectors_calculator3.txt", 2},
                       file{"redhat-cvss/vectors_cvsslib3.txt", 29}}) {
    CAPTURE(f.name);
    const auto lines = data_lines(f.name);
    tally t;
    for (const std::string& line : lines) {
      const auto [vector, expected] = redhat_line(line);
      REQUIRE(expected.size() == 3);
      const cvss31_vector v = parse_cvss31(vector);
      const cvss31_scores s = score_cvss31(v);
      t.check(v.version == cvss_version::v3_0 && s.base == expected[0] && s.temporal == expected[1] &&
                  s.environmental == expected[2],
              line, show(s));
    }
    CHECK(lines.size() == f.lines);
    CHECK(t.compared == lines.size());
    CHECK(t.mismatches == 0);
  }
}

TEST_CASE("CVSS 4.0: scores match RedHat (base, security requirements, supplemental, threat)") {
  struct file {
    const char* name;
    std::size_t lines;
  };
  for (const file f : {file{"redhat-cvss/vectors_simple4.txt", 1058}, file{"redhat-cvss/vectors_security4.txt", 54},
                       file{"redhat-cvss/vectors_supplemental4.txt", 576}, file{"redhat-cvss/vectors_threat4.txt", 6}}) {
    CAPTURE(f.name);
    const auto lines = data_lines(f.name);
    tally t;
    for (const std::string& line : lines) {
      const auto [vector, expected] = redhat_line(line);
      REQUIRE(expected.size() == 1);
      const cvss40_score s = score_cvss40(vector);
      t.check(s.score == expected[0] && s.severity == cvss_severity_of(expected[0]), line, show(s));
    }
    CHECK(lines.size() == f.lines);
    CHECK(t.compared == lines.size());
    CHECK(t.mismatches == 0);
  }
}

TEST_CASE("CVSS 4.0: MacroVector and score match metaeffekt on 10340 vectors") {
  SUBCASE("file 002: 10000 vectors with every metric group") {
    const auto lines = data_lines("metaeffekt/cvss-4.0-validation-vectors-002.txt");
    tally t;
    for (const std::string& line : lines) {
      const auto fields = split(line, " ");
      REQUIRE(fields.size() == 3);  // vector macroVector score
      const cvss40_score s = score_cvss40(fields[0]);
      t.check(s.macrovector == fields[1] && s.score == number(fields[2]), line, show(s));
    }
    CHECK(lines.size() == 10000);
    CHECK(t.compared == lines.size());
    CHECK(t.mismatches == 0);
  }
  SUBCASE("file 001: 340 vectors; those out of the specification's order are rejected, then scored in order") {
    const auto lines = data_lines("metaeffekt/cvss-4.0-validation-vectors-001.txt");
    tally t;
    std::size_t in_order = 0, rejected = 0;
    for (const std::string& line : lines) {
      const auto fields = split(line, " ");
      REQUIRE(fields.size() == 3);
      const std::string vector(fields[0]), ordered = in_spec_order(fields[0]);
      if (vector == ordered) {
        ++in_order;
      } else {
        const std::string message = error_of([&] { (void)parse_cvss40(vector); });
        CHECK_MESSAGE(message.find(" out of order (expected before '") != std::string::npos, vector << ": " << message);
        ++rejected;
      }
      const cvss40_score s = score_cvss40(ordered);
      t.check(s.macrovector == fields[1] && s.score == number(fields[2]), line, show(s));
    }
    CHECK(lines.size() == 340);
    CHECK(t.compared == lines.size());
    CHECK(t.mismatches == 0);
    CHECK(in_order == 46);
    CHECK(rejected == 294);
  }
}

// ---------------------------------------------------------------------------------------------------
// Rounding and formulas

TEST_CASE("Roundup: v3.1 ignores floating-point noise below 0.00001, v3.0 rounds up everything") {
  CHECK(cvss3_roundup(4.0) == 4.0);
  CHECK(cvss3_roundup(4.02) == 4.1);      // the specification's example
  CHECK(cvss3_roundup(4.00001) == 4.1);   // a real excess rounds up
  CHECK(cvss3_roundup(4.000001) == 4.0);  // Appendix A: rounded to 5 decimals first, so this is 4.0
  CHECK(cvss3_roundup(4.000000000000001) == 4.0);
  CHECK(cvss3_roundup(0.0) == 0.0);
  CHECK(cvss3_roundup(9.99) == 10.0);
  CHECK(cvss3_roundup(4.000001, cvss_version::v3_0) == 4.1);  // v3.0: ceil(x * 10) / 10
  CHECK(cvss3_roundup(4.02, cvss_version::v3_0) == 4.1);
  CHECK(cvss3_roundup(4.0, cvss_version::v3_0) == 4.0);
  for (int k = 0; k <= 100; ++k) {  // a score rounds up to itself
    CHECK(cvss3_roundup(k / 10.0) == k / 10.0);
    CHECK(cvss3_roundup(k / 10.0, cvss_version::v3_0) == k / 10.0);
  }
}

TEST_CASE("CVSS 3.1: subscores are rounded half up, scores with Roundup") {
  const cvss31_scores s = score_cvss31("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
  CHECK(s.base == 7.8);
  CHECK(s.impact == 5.9);          // 6.42 × 0.914816 = 5.873
  CHECK(s.exploitability == 1.8);  // 8.22 × 0.55 × 0.77 × 0.62 × 0.85 = 1.8345: 1.8, not Roundup's 1.9
  CHECK(s.severity() == cvss_severity::high);
}

TEST_CASE("CVSS 3.1: scope changed caps the base score at 10 and clamps a negative impact to 0") {
  const cvss31_scores all = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
  CHECK(all.base == 10.0);  // 1.08 × (6.048 + 3.887) = 10.73, capped
  CHECK(all.impact == 6.0);
  CHECK(all.exploitability == 3.9);
  const cvss31_scores none = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:N/I:N/A:N");
  CHECK(none.base == 0.0);  // 7.52 × (0 − 0.029) < 0: no impact, no score
  CHECK(none.impact == 0.0);
  CHECK(none.exploitability == 2.3);  // PR:L weighs 0.68 when the scope changes
  CHECK(none.severity() == cvss_severity::none);
}

TEST_CASE("CVSS 3.x: the environmental score caps the modified impact and follows the modified scope") {
  SUBCASE("MISS is capped at 0.915") {
    const cvss31_scores s = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H/IR:H/AR:H");
    CHECK(s.modified_impact == 5.9);  // 6.42 × 0.915; uncapped it would be 6.42 × 0.9959 = 6.4
    CHECK(s.environmental == 9.8);
    CHECK(s.has_environmental);
  }
  SUBCASE("MPR weighs as PR under the modified scope") {
    const cvss31_scores changed = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C");
    CHECK(changed.base == 8.8);
    CHECK(changed.exploitability == 2.8);           // PR:L = 0.62, scope unchanged
    CHECK(changed.modified_exploitability == 3.1);  // PR:L = 0.68, modified scope changed
    CHECK(changed.modified_impact == 6.1);
    CHECK(changed.environmental == 10.0);
    CHECK(score_cvss31("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:U").modified_exploitability == 2.8);
  }
  SUBCASE("v3.0 and v3.1 differ in the modified impact when the modified scope is changed") {
    const std::string metrics = "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H/MS:C";
    CHECK(score_cvss31("CVSS:3.1/" + metrics).modified_impact == 6.1);  // 3.25 × (MISS × 0.9731 − 0.02)^13
    CHECK(score_cvss31("CVSS:3.0/" + metrics).modified_impact == 6.0);  // 3.25 × (MISS − 0.02)^15
    const std::string low = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N/CR:L/MS:C";
    CHECK(score_cvss31("CVSS:3.1/" + low).environmental == 9.5);
    CHECK(score_cvss31("CVSS:3.0/" + low).environmental == 9.6);
  }
  SUBCASE("modified metrics replace the base ones, temporal metrics weigh on the environmental score") {
    const cvss31_scores s = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/MAV:P");
    CHECK(s.base == 9.8);
    CHECK(s.temporal == 7.8);  // 9.8 × 0.91 × 0.95 × 0.92 = 7.79
    CHECK(s.modified_exploitability == 0.9);
    CHECK(s.environmental == 5.5);
    CHECK(s.overall() == 5.5);
  }
}

TEST_CASE("CVSS 3.1: X is Not Defined, and overall is environmental, else temporal, else base") {
  const cvss31_scores undefined = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/MAV:X");
  CHECK_FALSE(undefined.has_temporal);
  CHECK_FALSE(undefined.has_environmental);
  CHECK(undefined.overall() == 9.8);
  const cvss31_scores temporal = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
  CHECK(temporal.has_temporal);
  CHECK_FALSE(temporal.has_environmental);
  CHECK(temporal.overall() == 7.8);
  CHECK(temporal.severity() == cvss_severity::high);
  // A base-only scope-changed vector: the environmental formula differs from the base one (it gives
  // 10.0 here with a modified impact of 6.1), so overall must not use it.
  const cvss31_scores base_only = score_cvss31("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:L");
  CHECK(base_only.overall() == base_only.base);
}

TEST_CASE("severity rating scale") {
  CHECK(cvss_severity_of(0.0) == cvss_severity::none);
  CHECK(cvss_severity_of(0.1) == cvss_severity::low);
  CHECK(cvss_severity_of(3.9) == cvss_severity::low);
  CHECK(cvss_severity_of(4.0) == cvss_severity::medium);
  CHECK(cvss_severity_of(6.9) == cvss_severity::medium);
  CHECK(cvss_severity_of(7.0) == cvss_severity::high);
  CHECK(cvss_severity_of(8.9) == cvss_severity::high);
  CHECK(cvss_severity_of(9.0) == cvss_severity::critical);
  CHECK(cvss_severity_of(10.0) == cvss_severity::critical);
  CHECK(to_string(cvss_severity::none) == "None");
  CHECK(to_string(cvss_severity::critical) == "Critical");
  CHECK(to_string(cvss_version::v3_0) == "3.0");
  CHECK(to_string(cvss_version::v4_0) == "4.0");
}

TEST_CASE("CVSS 3.1: the parsed metrics are exposed as enums, and the vector prints back in order") {
  const cvss31_vector v = parse_cvss31("CVSS:3.1/S:C/AV:A/AC:H/PR:N/UI:R/C:L/I:N/A:H/RC:R/E:X/MPR:H/CR:M");
  CHECK(v.version == cvss_version::v3_1);
  CHECK(v.av == cvss_attack_vector::adjacent);
  CHECK(v.ac == cvss_attack_complexity::high);
  CHECK(v.pr == cvss_privileges_required::none);
  CHECK(v.ui == cvss31_user_interaction::required);
  CHECK(v.s == cvss31_scope::changed);
  CHECK(v.c == cvss_impact::low);
  CHECK(v.i == cvss_impact::none);
  CHECK(v.a == cvss_impact::high);
  CHECK_FALSE(v.e.has_value());  // E:X
  CHECK(v.rc == cvss31_report_confidence::reasonable);
  CHECK(v.mpr == cvss_privileges_required::high);
  CHECK(v.cr == cvss_requirement::medium);
  CHECK_FALSE(v.mav.has_value());
  CHECK(to_string(v) == "CVSS:3.1/AV:A/AC:H/PR:N/UI:R/S:C/C:L/I:N/A:H/RC:R/CR:M/MPR:H");
  CHECK(parse_cvss31(to_string(v)) == v);
  const cvss31_vector old = parse_cvss31("CVSS:3.0/AV:P/AC:L/PR:H/UI:N/S:U/C:N/I:L/A:N");
  CHECK(old.version == cvss_version::v3_0);
  CHECK(old.av == cvss_attack_vector::physical);
  CHECK(to_string(old) == "CVSS:3.0/AV:P/AC:L/PR:H/UI:N/S:U/C:N/I:L/A:N");
}

TEST_CASE("CVSS 4.0: nomenclature, MacroVector and the parsed metrics") {
  const std::string base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  SUBCASE("CVSS-B, -BT, -BE, -BTE by the groups defined; X and supplemental metrics do not count") {
    const cvss40_score b = score_cvss40(base);
    CHECK(b.nomenclature == cvss40_nomenclature::cvss_b);
    CHECK(b.score == 9.3);
    CHECK(b.macrovector == "000200");
    CHECK(b.severity == cvss_severity::critical);
    CHECK(score_cvss40(base + "/E:U").nomenclature == cvss40_nomenclature::cvss_bt);
    CHECK(score_cvss40(base + "/E:U").score == 8.1);
    CHECK(score_cvss40(base + "/CR:L/IR:L/AR:L").nomenclature == cvss40_nomenclature::cvss_be);
    CHECK(score_cvss40(base + "/CR:L/IR:L/AR:L").score == 8.9);
    CHECK(score_cvss40(base + "/E:P/CR:L").nomenclature == cvss40_nomenclature::cvss_bte);
    CHECK(score_cvss40(base + "/E:P/CR:L").macrovector == "000210");
    CHECK(score_cvss40(base + "/E:X/CR:X/U:Clear").nomenclature == cvss40_nomenclature::cvss_b);
    CHECK(to_string(cvss40_nomenclature::cvss_bte) == "CVSS-BTE");
  }
  SUBCASE("supplemental metrics never change the score") {
    const cvss40_score s = score_cvss40(base + "/S:P/AU:Y/R:I/V:C/RE:H/U:Red");
    CHECK(s.score == 9.3);
    CHECK(s.macrovector == "000200");
  }
  SUBCASE("the official calculator's documented example") {
    const cvss40_score s = score_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A");
    CHECK(s.score == 8.7);
    CHECK(s.severity == cvss_severity::high);
    CHECK(s.nomenclature == cvss40_nomenclature::cvss_bte);
    CHECK(s.macrovector == "100200");
  }
  SUBCASE("no impact anywhere scores 0.0; a Safety impact (MSI:S, MSA:S) is EQ4 level 0") {
    const cvss40_score none = score_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N");
    CHECK(none.score == 0.0);
    CHECK(none.severity == cvss_severity::none);
    CHECK(none.macrovector == "002201");
    const cvss40_score safety = score_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSA:S");
    CHECK(safety.macrovector == "002001");
    CHECK(safety.score == 8.9);
    CHECK(score_cvss40(base + "/MSI:S").score == 10.0);
  }
  SUBCASE("rounding lifts an x.x5 that the arithmetic lands one ulp below (the calculator's epsilon)") {
    // value − mean distance is 5.0499999999999998 here; a bare round half up would give 5.0.
    CHECK(score_cvss40("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:H/SI:L/SA:L").score == 5.1);
  }
  SUBCASE("the parsed metrics are exposed as enums, and the vector prints back") {
    const cvss40_vector v = parse_cvss40(
        "CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:H/VI:L/VA:N/SC:L/SI:H/SA:N/E:P/CR:X/AR:L/MAV:N/MSI:S/AU:Y/U:Amber");
    CHECK(v.av == cvss_attack_vector::local);
    CHECK(v.ac == cvss_attack_complexity::high);
    CHECK(v.at == cvss40_attack_requirements::present);
    CHECK(v.pr == cvss_privileges_required::low);
    CHECK(v.ui == cvss40_user_interaction::active);
    CHECK(v.vc == cvss_impact::high);
    CHECK(v.vi == cvss_impact::low);
    CHECK(v.si == cvss_impact::high);
    CHECK(v.e == cvss40_exploit_maturity::proof_of_concept);
    CHECK_FALSE(v.cr.has_value());
    CHECK(v.ar == cvss_requirement::low);
    CHECK(v.mav == cvss_attack_vector::network);
    CHECK(v.msi == cvss40_subsequent_impact::safety);
    CHECK(v.au == cvss40_automatable::yes);
    CHECK(v.u == cvss40_urgency::amber);
    CHECK_FALSE(v.s.has_value());
    CHECK(v.has_threat());
    CHECK(v.has_environmental());
    CHECK(to_string(v) ==
          "CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:H/VI:L/VA:N/SC:L/SI:H/SA:N/E:P/AR:L/MAV:N/MSI:S/AU:Y/U:Amber");
    CHECK(parse_cvss40(to_string(v)) == v);
    CHECK(cvss40_macrovector(v) == score_cvss40(v).macrovector);
  }
}

TEST_CASE("score_cvss dispatches on the prefix and reports what the official calculator shows") {
  const cvss_score v31 = score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
  CHECK(v31.version == cvss_version::v3_1);
  CHECK(v31.score == 7.8);  // temporal
  CHECK(v31.severity == cvss_severity::high);
  REQUIRE(std::holds_alternative<cvss31_scores>(v31.details));
  CHECK(std::get<cvss31_scores>(v31.details).base == 9.8);
  const cvss_score v30 = score_cvss("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N/CR:L/MS:C");
  CHECK(v30.version == cvss_version::v3_0);
  CHECK(v30.score == 9.6);
  const cvss_score v40 = score_cvss("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
  CHECK(v40.version == cvss_version::v4_0);
  CHECK(v40.score == 8.1);
  REQUIRE(std::holds_alternative<cvss40_score>(v40.details));
  CHECK(std::get<cvss40_score>(v40.details).nomenclature == cvss40_nomenclature::cvss_bt);
  CHECK_THROWS_WITH_AS((void)score_cvss("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
                       "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found 'AV:N/'", input_error);
  CHECK_THROWS_WITH_AS((void)score_cvss("CVSS:2.0/AV:N"),
                       "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found 'CVSS:2.0/'", input_error);
  CHECK_THROWS_WITH_AS((void)score_cvss(""),
                       "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found an empty vector", input_error);
  CHECK_THROWS_WITH_AS((void)score_cvss("CVSS:3.1/AV:N"),
                       "column 14: missing base metrics AC, PR, UI, S, C, I, A (expected all of AV, AC, PR, UI, S, C, "
                       "I, A)",
                       input_error);
}

// ---------------------------------------------------------------------------------------------------
// Malformed vectors: type, message and column

TEST_CASE("CVSS 3.x: a malformed vector is an input error naming the column, what was expected and found") {
  const std::string base = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";  // columns: AV 10, AC 15, ..., A 42
  SUBCASE("wrong or missing prefix") {
    CHECK_THROWS_WITH_AS((void)parse_cvss31(""), "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found an empty vector",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found 'AV:N/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
                         "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found 'CVSS:4.0/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found 'cvss:3.1/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(" " + base), "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found ' CVSS:3.1/'",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1"), "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found 'CVSS:3.1'",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("not a vector at all, just words"),
                         "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found 'not a vector at all,...'", input_error);
  }
  SUBCASE("unknown metric") {
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N/XX:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 15: unknown metric 'XX' (expected one of AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, "
                         "AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/Au:N"),
                         "column 46: unknown metric 'Au' (expected one of AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, "
                         "AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/av:n"),
                         "column 10: unknown metric 'av' (expected one of AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, "
                         "AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA)",
                         input_error);
  }
  SUBCASE("repeated metric") {
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/AV:L"), "column 46: repeated metric 'AV' (first given at column 10)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/E:X/E:X"), "column 50: repeated metric 'E' (first given at column 46)",
                         input_error);
  }
  SUBCASE("missing base metric") {
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
                         "column 41: missing base metric 'A' (expected all of AV, AC, PR, UI, S, C, I, A)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/A:H/E:H"),
                         "column 41: missing base metrics S, I (expected all of AV, AC, PR, UI, S, C, I, A)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/"),
                         "column 10: missing base metrics AV, AC, PR, UI, S, C, I, A (expected all of AV, AC, PR, UI, S, "
                         "C, I, A)",
                         input_error);
  }
  SUBCASE("bad value") {
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"),
                         "column 42: bad value 'Q' for metric 'A' (expected one of H, L, N)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 10: bad value 'X' for metric 'AV' (expected one of N, A, L, P)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/E:A"),
                         "column 46: bad value 'A' for metric 'E' (expected one of X, H, F, P, U)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/MS:"),
                         "column 46: bad value '' for metric 'MS' (expected one of X, U, C)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/RL:O:X"),
                         "column 46: bad value 'O:X' for metric 'RL' (expected one of X, U, W, T, O)", input_error);
  }
  SUBCASE("spaces, empty metrics, trailing '/' and other junk") {
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + " "), "column 42: bad value 'H ' for metric 'A' (expected one of H, L, N)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 10: bad value 'N ' for metric 'AV' (expected one of N, A, L, P)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31(base + "/"), "column 45: unexpected '/' at the end of the vector", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 15: expected a metric, found '/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1//AV:N"), "column 10: expected a metric, found '/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss31("CVSS:3.1/AV:N/ACL/PR:N"), "column 15: expected METRIC:VALUE, found 'ACL'",
                         input_error);
  }
  SUBCASE("the location carries the column") {
    try {
      (void)parse_cvss31(base + "/AV:L");
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(e.where().column == 46);
      CHECK(e.reason() == "column 46: repeated metric 'AV' (first given at column 10)");
    }
  }
}

TEST_CASE("CVSS 4.0: a malformed vector is an input error naming the column, what was expected and found") {
  const std::string base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";  // 63 characters
  SUBCASE("wrong or missing prefix") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40(""), "column 1: expected 'CVSS:4.0/', found an empty vector", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("cvss:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
                         "column 1: expected 'CVSS:4.0/', found 'cvss:4.0/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(" " + base), "column 1: expected 'CVSS:4.0/', found ' CVSS:4.0/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0"), "column 1: expected 'CVSS:4.0/', found 'CVSS:4.0'", input_error);
    CHECK_THROWS_WITH_AS((void)score_cvss("cvss:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
                         "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found 'cvss:4.0/'", input_error);
    CHECK_THROWS_WITH_AS((void)score_cvss(" " + base),
                         "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found ' CVSS:4.0/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                         "column 1: expected 'CVSS:4.0/', found 'CVSS:3.1/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
                         "column 1: expected 'CVSS:4.0/', found 'AV:N/'", input_error);
  }
  SUBCASE("base metrics out of order or missing") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/AV:N/AT:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
                         "column 15: expected metric 'AC', found 'AT'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
                         "column 59: expected metric 'SA', found the end of the vector", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/"), "column 10: expected metric 'AV', found the end of the vector",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/E:A"),
                         "column 50: expected metric 'SC', found 'E'", input_error);
  }
  SUBCASE("optional metrics out of order") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/CR:H/E:A"),
                         "column 70: metric 'E' out of order (expected before 'CR' at column 65)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/S:P/MAC:L"),
                         "column 69: metric 'MAC' out of order (expected before 'S' at column 65)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/E:A/U:Red/AU:N"),
                         "column 75: metric 'AU' out of order (expected before 'U' at column 69)", input_error);
  }
  SUBCASE("unknown metric: the message lists what may come at that place") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/AV:N/XX:L"), "column 15: unknown metric 'XX' (expected 'AC')",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/RL:O"),
                         "column 65: unknown metric 'RL' (expected one of E, CR, IR, AR, MAV, MAC, MAT, MPR, MUI, MVC, MVI, "
                         "MVA, MSC, MSI, MSA, S, AU, R, V, RE, U)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/RE:L/XX:Y"),
                         "column 70: unknown metric 'XX' (expected one of U)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/U:Red/XX:Y"),
                         "column 71: unknown metric 'XX' (expected the end of the vector)", input_error);
  }
  SUBCASE("repeated metric") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/AV:N"), "column 65: repeated metric 'AV' (first given at column 10)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/E:A/E:A"), "column 69: repeated metric 'E' (first given at column 65)",
                         input_error);
  }
  SUBCASE("bad value") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/U:red"),
                         "column 65: bad value 'red' for metric 'U' (expected one of X, Clear, Green, Amber, Red)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N"),
                         "column 55: bad value 'S' for metric 'SI' (expected one of H, L, N)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
                         "column 30: bad value 'R' for metric 'UI' (expected one of N, P, A)", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/MSI:Q"),
                         "column 65: bad value 'Q' for metric 'MSI' (expected one of X, S, H, L, N)", input_error);
  }
  SUBCASE("spaces, empty metrics, trailing '/'") {
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/"), "column 64: unexpected '/' at the end of the vector", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "//E:A"), "column 65: expected a metric, found '/'", input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "\n"), "column 60: bad value 'N\\n' for metric 'SA' (expected one of H, L, N)",
                         input_error);
    CHECK_THROWS_WITH_AS((void)parse_cvss40(base + "/E"), "column 65: expected METRIC:VALUE, found 'E'", input_error);
  }
}

TEST_CASE("CVSS: huge, control and non-ASCII input gives a short, printable message") {
  // A value, metric or token quoted in a message is cut after 20 bytes (as the prefix is), so a
  // megabyte of junk gives one short line; control and non-ASCII bytes are escaped, one escape per
  // byte (columns count bytes), so a NUL cannot end the message early.
  const std::string base31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  const std::string base40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  const std::string junk(1'000'000, 'N');
  auto message_of = [](auto&& parse) {
    try {
      (void)parse();
    } catch (const input_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  SUBCASE("a huge bad value, unknown metric, token or prefix is cut with '...'") {
    const std::string value = message_of([&] { return parse_cvss31("CVSS:3.1/AV:" + junk); });
    CHECK(value == "column 10: bad value 'NNNNNNNNNNNNNNNNNNNN...' for metric 'AV' (expected one of N, A, L, P)");
    CHECK(value.size() < 100);
    const std::string metric = message_of([&] { return parse_cvss31("CVSS:3.1/" + junk + ":N"); });
    CHECK(metric == "column 10: unknown metric 'NNNNNNNNNNNNNNNNNNNN...' (expected one of AV, AC, PR, UI, S, C, I, A, E, RL, "
                    "RC, CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA)");
    CHECK(metric.size() < 200);
    const std::string token = message_of([&] { return parse_cvss31("CVSS:3.1/AV:N/" + junk); });
    CHECK(token == "column 15: expected METRIC:VALUE, found 'NNNNNNNNNNNNNNNNNNNN...'");
    const std::string prefix = message_of([&] { return score_cvss(junk); });
    CHECK(prefix == "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found 'NNNNNNNNNNNNNNNNNNNN...'");
    // Exactly 20 bytes are shown whole; 21 are cut.
    CHECK(message_of([&] { return parse_cvss31("CVSS:3.1/AV:" + std::string(20, 'Q')); }) ==
          "column 10: bad value 'QQQQQQQQQQQQQQQQQQQQ' for metric 'AV' (expected one of N, A, L, P)");
    CHECK(message_of([&] { return parse_cvss31("CVSS:3.1/AV:" + std::string(21, 'Q')); }) ==
          "column 10: bad value 'QQQQQQQQQQQQQQQQQQQQ...' for metric 'AV' (expected one of N, A, L, P)");
    const std::string v4 = message_of([&] { return parse_cvss40(base40 + "/U:" + junk); });
    CHECK(v4 == "column 65: bad value 'NNNNNNNNNNNNNNNNNNNN...' for metric 'U' (expected one of X, Clear, Green, Amber, Red)");
    CHECK(message_of([&] { return score_cvss("CVSS:4.0/AV:N/" + junk + ":L"); }) ==
          "column 15: unknown metric 'NNNNNNNNNNNNNNNNNNNN...' (expected 'AC')");
  }
  SUBCASE("a huge vector of repeated metrics stops at the first repeat") {
    std::string repeated = base31;
    for (int i = 0; i < 100'000; ++i) repeated += "/E:X";
    CHECK(message_of([&] { return parse_cvss31(repeated); }) == "column 50: repeated metric 'E' (first given at column 46)");
  }
  SUBCASE("control bytes are escaped; a NUL does not cut the message") {
    using namespace std::string_literals;
    const std::string nul = message_of([] { return parse_cvss31("CVSS:3.1/AV:N\0/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"s); });
    CHECK(nul == "column 10: bad value 'N\\x00' for metric 'AV' (expected one of N, A, L, P)");
    CHECK(nul.size() == std::string_view(nul.c_str()).size());
    CHECK(message_of([] { return parse_cvss31("\0CVSS:3.1/AV:N"s); }) ==
          "column 1: expected 'CVSS:3.1/' or 'CVSS:3.0/', found '\\x00CVSS:3.1/'");
    CHECK(message_of([&] { return parse_cvss31(base31 + "\r\n"); }) ==
          "column 42: bad value 'H\\r\\n' for metric 'A' (expected one of H, L, N)");
    CHECK(message_of([&] { return parse_cvss31("CVSS:3.1/AV:\tN"); }) ==
          "column 10: bad value '\\tN' for metric 'AV' (expected one of N, A, L, P)");
    CHECK(message_of([&] { return parse_cvss31("CVSS:3.1/A\x1bV:N"); }) ==
          "column 10: unknown metric 'A\\x1bV' (expected one of AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, AR, MAV, MAC, "
          "MPR, MUI, MS, MC, MI, MA)");
    CHECK(message_of([&] { return parse_cvss40(base40 + "/E:A\x7f"); }) ==
          "column 65: bad value 'A\\x7f' for metric 'E' (expected one of X, A, P, U)");
  }
  SUBCASE("non-ASCII bytes (UTF-8 or not) are shown byte by byte") {
    CHECK(message_of([] { return parse_cvss31("CVSS:3.1/AV:\xc3\x91/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"); }) ==
          "column 10: bad value '\\xc3\\x91' for metric 'AV' (expected one of N, A, L, P)");  // AV:Ñ
    CHECK(message_of([] { return parse_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:\xff/VI:H/VA:H/SC:N/SI:N/SA:N"); }) ==
          "column 35: bad value '\\xff' for metric 'VC' (expected one of H, L, N)");
    CHECK(message_of([] { return score_cvss("\xef\xbb\xbf" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"); }) ==
          "column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found '\\xef\\xbb\\xbfCVSS:3.1/'");  // a BOM
    // A cut never splits an escape: 20 bytes, then "...".
    std::string wide;
    for (int i = 0; i < 15; ++i) wide += "\xc3\xa9";  // 30 bytes of 'é'
    CHECK(message_of([&] { return parse_cvss31("CVSS:3.1/AV:" + wide); }) ==
          "column 10: bad value '" + [] {
            std::string shown;
            for (int i = 0; i < 10; ++i) shown += "\\xc3\\xa9";
            return shown;
          }() + "...' for metric 'AV' (expected one of N, A, L, P)");
  }
}
