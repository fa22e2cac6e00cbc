// End-to-end tests of the `twinrisk` command-line tool: exit codes, messages and JSON output.

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test_twins.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/risk/money.hpp"

namespace {

struct result {
  int exit_code = -1;
  std::string out, err;
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs the CLI with `args` (already quoted where needed) and `input` on stdin, and captures everything.
result run_cli(const std::string& args, const std::string& input = "") {
  const auto dir = twinrisk_test::scratch_dir("cli_run");
  std::ofstream(dir / "in", std::ios::binary) << input;
  const std::string cmd = quoted(twinrisk_test::cli_path_c_str()) + " " + args + " >" + quoted((dir / "out").string()) + " 2>" +
                          quoted((dir / "err").string()) + " <" + quoted((dir / "in").string());
  const int status = std::system(cmd.c_str());
  result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

/// Runs `args --format json` with 1 and with 2 threads; checks both succeed and agree apart from
/// the timing object, and returns the output.
nlohmann::json same_json_for_1_and_2_threads(const std::string& args) {
  const result one = run_cli(args + " --format json --threads 1");
  const result two = run_cli(args + " --format json --threads 2");
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(two.out);
  a.erase("timing");
  b.erase("timing");
  CHECK(a == b);
  return a;
}

/// Runs `args --format json` once (all cores), checks it succeeds and returns the output. For the
/// commands whose thread independence the determinism case checks on 1, 2 and 8 threads.
nlohmann::json json_output(const std::string& args) {
  const result r = run_cli(args + " --format json");
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("twinrisk info on the bundled sample twin") {
  SUBCASE("text") {
    const result r = run_cli("info");
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("688 nodes (363 assets, 325 identities), 2889 edges") != std::string::npos);
    CHECK(r.out.find("crown jewels (6): DC01 domain controller, Customer database (PostgreSQL, 2.1 M records)") != std::string::npos);
  }
  SUBCASE("json, with the counts and the timing object") {
    const result r = run_cli("info --format json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("nodes").get<int>() == 688);
    CHECK(j.at("edges").get<int>() == 2889);
    CHECK(j.at("nodes").is_number_integer());
    CHECK(j.at("node_kinds").at("user").get<int>() == 300);
    CHECK(j.at("edge_kinds").at("phishing").get<int>() == 285);
    CHECK(j.at("crown_jewels").size() == 6);
    CHECK(j.at("entry_points") == nlohmann::json::array({"internet", "vendor-msp"}));
    CHECK(j.at("unsanctioned") == nlohmann::json::array({"notes-ai"}));
    CHECK(j.at("degree").at("out").at("max").get<int>() >= 285);
    CHECK(j.at("timing").at("load_s").get<double>() >= 0.0);
    CHECK(j.at("timing").at("compute_s").get<double>() >= 0.0);
    CHECK(j.at("timing").at("threads").get<int>() >= 1);
  }
  SUBCASE("the same file given by path") {
    const result r = run_cli("info " + quoted(twinrisk_test::sample_twin_path().string()) + " --format json");
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).at("edges").get<int>() == 2889);
  }
  SUBCASE("--threads limits parallelism and is reported") {
    const result r = run_cli("info --format json --threads 1");
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).at("timing").at("threads").get<int>() == 1);
  }
}

TEST_CASE("twinrisk info on an edge-list folder") {
  const auto dir = twinrisk_test::scratch_dir("cli_edge_list");
  twinrisk::write_edge_list(twinrisk_test::small_twin(), dir);
  const result r = run_cli("info " + quoted(dir.string()) + " --format json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("nodes").get<int>() == 4);
  CHECK(j.at("edges").get<int>() == 3);
  CHECK(j.at("node_kinds").at("generic").get<int>() == 4);
}

TEST_CASE("bad input: exit code 1 and one clear message on stderr") {
  const auto dir = twinrisk_test::scratch_dir("cli_bad");
  std::ofstream(dir / "bad.twin.json") << R"({"twinrisk":1,"nodes":[{"id":"a","kind":"host","name":"A"}],"edges":[{"from":"a","to":"a","kind":"admin_to","probability":1.7}]})";
  const result r = run_cli("info " + quoted((dir / "bad.twin.json").string()));
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "twinrisk: " + (dir / "bad.twin.json").string() + ": /edges/0/probability: expected a number in [0,1], got 1.7\n");

  const result missing = run_cli("info " + quoted((dir / "nope.twin.json").string()));
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "twinrisk: " + (dir / "nope.twin.json").string() + ": no such file or folder\n");
}

TEST_CASE("usage errors: an unknown command names the closest one") {
  const result top = run_cli("simulat");
  CHECK(top.exit_code == 2);
  CHECK(top.err == "twinrisk: unknown command 'simulat'; did you mean 'simulate'? (twinrisk --help lists them)\n");
  const result nested = run_cli("import bloodhund x -o y");
  CHECK(nested.exit_code == 2);
  CHECK(nested.err.rfind("twinrisk import: unknown command 'bloodhund'; did you mean 'bloodhound'?", 0) == 0);
}

TEST_CASE("usage errors: exit code 2") {
  CHECK(run_cli("").exit_code == 2);                           // no subcommand
  CHECK(run_cli("frobnicate").exit_code == 2);                 // unknown subcommand
  CHECK(run_cli("info --format xml").exit_code == 2);          // value not allowed
  CHECK(run_cli("info --threads 0").exit_code == 2);           // out of range
  CHECK(run_cli("info --threads many").exit_code == 2);        // not a number
  CHECK(run_cli("info --no-such-option").exit_code == 2);
  const result r = run_cli("info --format xml");
  CHECK(r.err.find("--format") != std::string::npos);
}

TEST_CASE("usage errors: every bad option value exits 2 and stderr names the option") {
  const std::string nessus = quoted((twinrisk_test::source_dir() / "tests/data/nessus/pytenable-example.nessus").string());
  const auto dir = twinrisk_test::scratch_dir("cli_usage");
  const std::string out = quoted((dir / "never.twin.json").string());
  struct row {
    std::string args, err;  // the command line and a piece of its stderr
  };
  const std::vector<row> rows = {
      // subcommands, options and required arguments
      {"", "A subcommand is required"},
      {"import", "A subcommand is required"},
      {"info --no-such-option", "not expected: --no-such-option"},
      {"import bloodhound", "inputs is required"},
      {"export opengraph", "--output is required"},
      {"generate --nodes 1000", "--output is required"},
      {"fair", "--magnitude is required"},
      {"import scan " + quoted((dir / "nope.nessus").string()) + " -o " + out, "File does not exist: "},
      // values not in a set
      {"info --format xml", "--format"},
      {"loss --format html", "--format"},
      {"paths --view imagined", "--view"},
      {"report --persona boss", "--persona"},
      // out-of-range and non-numeric numbers
      {"info --threads 0", "--threads: Value 0 not in range 1 to 4096"},
      {"info --threads 4097", "--threads: Value 4097 not in range 1 to 4096"},
      {"info --threads many", "--threads"},
      {"paths --k 0", "--k: Value 0 not in range 1 to 1000000"},
      {"paths --k 1000001", "--k: Value 1000001 not in range"},
      {"paths --k ten", "--k: Value ten not in range"},
      {"paths --k -1", "--k: Value -1 not in range"},
      {"paths --max-hops 1001", "--max-hops: Value 1001 not in range 0 to 1000"},
      {"paths --min-probability 1.5", "--min-probability: Value 1.5 not in range"},
      {"simulate --trials 0", "--trials: Value 0 not in range"},
      {"simulate --time --horizons x", "--horizons"},
      {"loss --years 0", "--years: Value 0 not in range 1 to 4294967296"},
      {"loss --years 4294967297", "--years: Value 4294967297 not in range"},
      {"loss --target-rse 2", "--target-rse: Value 2 not in range"},
      {"fair --magnitude constant:1 --years 0", "--years: Value 0 not in range"},
      {"plan --years 100", "--years: Value 100 not in range 1024 to 1073741824"},
      {"plan --budget -1", "--budget: expected a number >= 0, got '-1'"},
      {"plan --budget lots", "--budget: expected a number >= 0, got 'lots'"},
      {"plan --max-actions 0", "--max-actions: Value 0 not in range 1 to 1000"},
      {"report --trials 10", "--trials: Value 10 not in range 64 to 4294967296"},
      {"report --years 100", "--years: Value 100 not in range"},
      {"report --plan-years 100", "--plan-years: Value 100 not in range"},
      {"report -k 0", "--paths: Value 0 not in range 1 to 1000"},
      {"report --radius 0", "--radius: Value 0 not in range 1 to 10"},
      {"report --radius 11", "--radius: Value 11 not in range 1 to 10"},
      {"report --appetite -5", "--appetite: expected a number > 0, got '-5'"},
      {"report --appetite 0", "--appetite: expected a number > 0, got '0'"},
      {"report --budget -1", "--budget: expected a number >= 0, got '-1'"},
      {"exposure --max-hops 13", "--max-hops: Value 13 not in range 1 to 12"},
      {"exposure --max-hops 0", "--max-hops: Value 0 not in range 1 to 12"},
      {"exposure --k 0", "--k: Value 0 not in range 1 to 1000"},
      {"generate --nodes 5 -o " + out, "--nodes: Value 5 not in range 100 to 100000000"},
      {"generate --nodes 100000001 -o " + out, "--nodes: Value 100000001 not in range"},
      {"generate --format xml -o " + out, "--format"},
      {"import scan " + nessus + " --min-severity 5 -o " + out, "--min-severity: Value 5 not in range 0 to 4"},
      {"import scan " + nessus + " --min-severity -1 -o " + out, "--min-severity: Value -1 not in range 0 to 4"},
      // NaN and infinities: CLI::Range alone lets NaN through
      {"paths --min-probability nan", "--min-probability: expected a finite number, got 'nan'"},
      {"paths --min-probability -inf", "--min-probability: expected a finite number, got '-inf'"},
      {"loss --target-rse nan", "--target-rse: expected a finite number, got 'nan'"},
      {"plan --budget nan", "--budget: expected a finite number, got 'nan'"},
      {"plan --budget inf", "--budget: expected a finite number, got 'inf'"},
      {"plan --budget 1e400", "--budget: expected a finite number, got '1e400'"},
      {"report --appetite inf", "--appetite: expected a finite number, got 'inf'"},
      {"report --appetite nan", "--appetite: expected a finite number, got 'nan'"},
      {"report --budget NaN", "--budget: expected a finite number, got 'NaN'"},
      {"simulate --time --horizons 24,nan", "--horizons: expected a finite number, got 'nan'"},
      // option dependencies
      {"paths --all", "--all: needs --max-hops H (H >= 1)"},
      {"paths --count --max-hops 3", "--count requires --all"},
      {"paths --limit 5", "--limit requires --all"},
      {"simulate --time --trials 268435457", "--trials: with --time at most 268435456 (2^28 kept times), got 268435457"},
      // --as-of is a calendar day; intel and evidence files need the validated view, which reads them
      {"exposure --as-of 2027-02-30", "--as-of: expected a date YYYY-MM-DD, got '2027-02-30'"},
      {"paths --view validated --as-of 26-01-01", "--as-of: expected a date YYYY-MM-DD, got '26-01-01'"},
      {"paths --epss scores.csv", "--epss: is used only with --view validated"},
      {"loss --kev kev.json", "--kev: is used only with --view validated"},
      {"plan --evidence pentest.json", "--evidence: is used only with --view validated"},
      {"simulate --as-of 2026-01-01", "--as-of: is used only with --view validated"},
      {"report --view theoretical --epss scores.csv", "--epss: is used only with --view validated"},
  };
  for (const row& x : rows) {
    CAPTURE(x.args);
    const result r = run_cli(x.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(x.err) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "never.twin.json"));
}

TEST_CASE("bad input: side files, archives, --entry, twins without threats and failed writes exit 1 with one line, "
          "leaving no output behind") {
  const auto dir = twinrisk_test::scratch_dir("cli_bad_files");
  const auto path = [&](const std::string& name) { return (dir / name).string(); };
  const auto arg = [&](const std::string& name) { return quoted(path(name)); };
  const std::string bloodhound = quoted((twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-testlab/v6").string());
  const std::string nessus = quoted((twinrisk_test::source_dir() / "tests/data/nessus/pytenable-example.nessus").string());
  std::ofstream(dir / "corrupt.zip") << "PK but not an archive";
  std::ofstream(dir / "readme.txt") << "no collection here\n";
  REQUIRE(std::system(("cd " + quoted(dir.string()) + " && zip -q no-json.zip readme.txt").c_str()) == 0);
  std::filesystem::create_directories(dir / "empty-folder");
  std::ofstream(dir / "empty.txt") << "# owned principals, none yet\n";
  std::ofstream(dir / "probabilities.json") << R"({"edges":{"HasSession":1.5}})";
  std::ofstream(dir / "truncated.json") << "{";
  std::ofstream(dir / "scores.csv") << "cve,epss,percentile\nCVE-2024-1,0.5,0.5\n";
  twinrisk::write_edge_list(twinrisk_test::small_twin(), dir / "edge-list");  // no threats, no losses
  const std::string quick = " --years 1024 --plan-years 1024 --trials 64";
  struct row {
    std::string args, err, output;  // the command line, a piece of its one stderr line, a file it must not leave
  };
  const std::vector<row> rows = {
      // BloodHound collections and OpenGraph files
      {"import bloodhound " + arg("corrupt.zip") + " -o " + arg("a.twin.json"), path("corrupt.zip") + ": cannot open the archive: ",
       "a.twin.json"},
      {"import bloodhound " + arg("no-json.zip") + " -o " + arg("a.twin.json"), path("no-json.zip") + ": the archive has no .json files",
       "a.twin.json"},
      {"import bloodhound " + arg("empty-folder") + " -o " + arg("a.twin.json"),
       path("empty-folder") + ": the folder has no .json or .zip files", "a.twin.json"},
      {"import bloodhound " + arg("nope.json") + " -o " + arg("a.twin.json"), path("nope.json") + ": cannot open: ", "a.twin.json"},
      {"import opengraph " + arg("truncated.json") + " -o " + arg("a.twin.json"), path("truncated.json") + ":1:2: malformed JSON",
       "a.twin.json"},
      {"import opengraph " + arg("nope.json") + " -o " + arg("a.twin.json"), path("nope.json") + ": cannot open: ", "a.twin.json"},
      // --entry and --probabilities
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --entry owned:", "twinrisk: --entry: no owned principal given",
       "a.twin.json"},
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --entry owned:,,", "twinrisk: --entry: no owned principal given",
       "a.twin.json"},
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --entry owned-file:" + arg("empty.txt"),
       "twinrisk: --entry: no owned principal given", "a.twin.json"},
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --entry owned-file:" + arg("nope.txt"),
       path("nope.txt") + ": cannot open: No such file or directory", "a.twin.json"},
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --entry owned:nobody",
       "owned: no object has the id or name 'nobody'", "a.twin.json"},
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --probabilities " + arg("nope.json"),
       path("nope.json") + ": cannot open: ", "a.twin.json"},
      {"import bloodhound " + bloodhound + " -o " + arg("a.twin.json") + " --probabilities " + arg("probabilities.json"),
       path("probabilities.json") + ": /edges/HasSession: expected a probability in [0,1], got 1.5", "a.twin.json"},
      {"import scan " + nessus + " --into " + arg("nope.twin.json") + " -o " + arg("a.twin.json"),
       path("nope.twin.json") + ": no such file or folder", "a.twin.json"},
      // intel, evidence and actions files
      {"exposure --epss " + arg("nope.csv"), path("nope.csv") + ": cannot open: ", ""},
      {"exposure --kev " + arg("nope.json"), path("nope.json") + ": cannot open: ", ""},
      {"exposure --evidence " + arg("nope.json"), path("nope.json") + ": cannot open: ", ""},
      {"exposure --epss " + arg("scores.csv"), path("scores.csv") + ":2:1: expected a CVE id like CVE-2024-4577, got 'CVE-2024-1'", ""},
      {"loss --view validated --years 1024 --epss " + arg("nope.csv"), path("nope.csv") + ": cannot open: ", ""},
      {"plan --years 1024 --actions " + arg("nope.json"), path("nope.json") + ": cannot open: ", ""},
      {"report" + quick + " --actions " + arg("nope.json") + " -o " + arg("r.html"), path("nope.json") + ": cannot open: ", "r.html"},
      // twins and inputs that say nothing to simulate, or not what the command needs
      {"loss " + arg("edge-list"), path("edge-list") + ": /threats: the twin states no threats (an imported twin has none: import it with --assume-scenario for stated assumptions, docs/importing.md)", ""},
      {"plan " + arg("edge-list"), path("edge-list") + ": /threats: the twin states no threats (an imported twin has none: import it with --assume-scenario for stated assumptions, docs/importing.md)", ""},
      {"info " + arg("empty-folder"), path("empty-folder") + ": expected a .twin.json file or a folder with edges.tsv", ""},
      {"info " + arg("readme.txt"), path("readme.txt") + ": expected a .twin.json file, an edges.tsv file or an edge-list folder", ""},
      {"fair --frequency x --magnitude constant:1", "twinrisk: --frequency: expected a number, got 'x'", ""},
      {"fair --magnitude constant:nan", "twinrisk: /magnitude/primary: expected a finite value >= 0", ""},
      // outputs that cannot be written: an error naming the file, no partial file, no temporary left
      {"generate --nodes 200 -o " + arg("missing/t.twin.json"), path("missing/t.twin.json") + ": cannot write: No such file or directory",
       "missing/t.twin.json"},
      {"generate --nodes 200 --format tsv -o " + arg("readme.txt/ent"), path("readme.txt/ent") + ": cannot create folder: ",
       "readme.txt/ent"},
      {"loss --years 1024 --svg " + arg("missing/x.svg"), path("missing/x.svg") + ": cannot write: No such file or directory",
       "missing/x.svg"},
      {"fair --magnitude constant:5 --years 1000 --svg " + arg("missing/f.svg"), path("missing/f.svg") + ": cannot write: ",
       "missing/f.svg"},
      {"report" + quick + " -o " + arg("missing/r.html"), path("missing/r.html") + ": cannot write: No such file or directory",
       "missing/r.html"},
      {"export opengraph -o " + arg("missing/o.json"), path("missing/o.json") + ": cannot write: ", "missing/o.json"},
      // onto a folder: the rename's own reason, not the cleanup's
      {"report" + quick + " -o " + arg("empty-folder"), path("empty-folder") + ": cannot replace: Is a directory", "empty-folder.tmp"},
      {"import bloodhound " + bloodhound + " -o " + arg("missing/a.twin.json"), path("missing/a.twin.json") + ": cannot write: ",
       "missing/a.twin.json"},
  };
  for (const row& x : rows) {
    CAPTURE(x.args);
    const result r = run_cli(x.args);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("twinrisk: ", 0) == 0);
    CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
    CHECK(r.err.find(x.err) != std::string::npos);
    if (!x.output.empty()) {
      CHECK_FALSE(std::filesystem::exists(path(x.output)));
      CHECK_FALSE(std::filesystem::exists(path(x.output + ".tmp")));
    }
  }
  CHECK_FALSE(std::filesystem::exists(dir / "missing"));
}

TEST_CASE("help and version: exit code 0") {
  const result help = run_cli("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("info") != std::string::npos);
  const result info_help = run_cli("info --help");
  CHECK(info_help.exit_code == 0);
  CHECK(info_help.out.find("--format") != std::string::npos);
  const result version = run_cli("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("twinrisk 0.1.0") != std::string::npos);
}

TEST_CASE("twinrisk paths on the sample twin") {
  SUBCASE("top k as JSON, most probable first, from entry points to crown jewels") {
    const result r = run_cli("paths --k 5 --format json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    const auto& paths = j.at("paths");
    REQUIRE(paths.size() == 5);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const auto& p = paths[i];
      CHECK(p.at("hops").get<std::size_t>() + 1 == p.at("nodes").size());
      CHECK(p.at("edge_kinds").size() == p.at("hops").get<std::size_t>());
      const std::string first = p.at("nodes").front();
      CHECK((first == "internet" || first == "vendor-msp"));
      if (i > 0) CHECK(p.at("probability").get<double>() <= paths[i - 1].at("probability").get<double>());
    }
    CHECK(paths[0].at("nodes") == nlohmann::json::array({"internet", "web-portal", "gmsa-web", "customer-db"}));
    CHECK(paths[0].at("probability").get<double>() == 0.6 * 0.9 * 0.8);
    CHECK(j.at("timing").at("threads").get<int>() >= 1);
  }
  SUBCASE("--from and --to, --threads gives the same answer") {
    const result one = run_cli("paths --from vendor-msp --to dc01 --k 3 --format json --threads 1");
    const result two = run_cli("paths --from vendor-msp --to dc01 --k 3 --format json --threads 2");
    REQUIRE(one.exit_code == 0);
    auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(two.out);
    CHECK(a.at("paths") == b.at("paths"));
    CHECK(a.at("paths").at(0).at("nodes").front() == "vendor-msp");
    CHECK(a.at("paths").at(0).at("nodes").back() == "dc01");
  }
  SUBCASE("--all --count, and --all --limit") {
    const result count = run_cli("paths --all --max-hops 4 --count --format json");
    REQUIRE(count.exit_code == 0);
    const auto n = nlohmann::json::parse(count.out).at("count").get<std::size_t>();
    CHECK(n > 100);
    const result listed = run_cli("paths --all --max-hops 4 --limit 7 --format json");
    REQUIRE(listed.exit_code == 0);
    const auto j = nlohmann::json::parse(listed.out);
    CHECK(j.at("paths").size() == 7);
    CHECK(j.at("truncated").get<bool>());
  }
  SUBCASE("errors") {
    CHECK(run_cli("paths --all").exit_code == 2);               // --all needs --max-hops
    CHECK(run_cli("paths --count --max-hops 3").exit_code == 2);  // --count needs --all
    const result unknown = run_cli("paths --from nobody");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err == "twinrisk: --from: no node has the id or name 'nobody'\n");
    // Names are accepted in any case; a name two nodes bear is refused with their ids.
    const result by_name = run_cli("paths --from 'northwind it (managed-service provider)' --to dc01 --k 1 --format json");
    REQUIRE(by_name.exit_code == 0);
    CHECK(nlohmann::json::parse(by_name.out).at("paths").at(0).at("nodes").at(0) == "vendor-msp");
    const result ambiguous = run_cli("paths --from 'Eli Fischer'");
    CHECK(ambiguous.exit_code == 1);
    CHECK(ambiguous.err == "twinrisk: --from: the name 'Eli Fischer' is ambiguous: 2 nodes bear it (ids u002, u193); give an id\n");
  }
}

TEST_CASE("twinrisk generate writes a twin the other commands read") {
  const auto dir = twinrisk_test::scratch_dir("cli_generate");
  const std::string folder = quoted((dir / "ent").string()), file = quoted((dir / "ent.twin.json").string());
  SUBCASE("an exchange-format folder, the same for the same seed") {
    REQUIRE(run_cli("generate --nodes 2000 --seed 3 --format tsv -o " + folder).exit_code == 0);
    const std::string first = slurp(dir / "ent" / "edges.tsv");
    REQUIRE(run_cli("generate --nodes 2000 --seed 3 --format tsv -o " + folder).exit_code == 0);
    CHECK(slurp(dir / "ent" / "edges.tsv") == first);
    const result r = run_cli("paths " + folder + " --k 3 --format json");
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).at("paths").size() == 3);
  }
  SUBCASE("a JSON twin with node kinds and names") {
    REQUIRE(run_cli("generate --nodes 1000 -o " + file).exit_code == 0);
    const result r = run_cli("info " + file + " --format json");
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).at("nodes").get<std::size_t>() == 1000);
  }
  SUBCASE("bad sizes and formats are usage errors") {
    CHECK(run_cli("generate --nodes 5 -o " + file).exit_code == 2);
    CHECK(run_cli("generate --format xml -o " + file).exit_code == 2);
    CHECK(run_cli("generate --nodes 1000").exit_code == 2);  // -o is required
  }
}

TEST_CASE("twinrisk cvss scores vectors from the arguments or stdin") {
  const std::string base31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  const std::string temporal31 = base31 + "/E:U/RL:O/RC:U";
  const std::string threat40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U";
  SUBCASE("text from the arguments: vector, score, severity") {
    const result r = run_cli("cvss " + quoted(base31) + " " + quoted(threat40));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == base31 + "\t9.8\tCritical\n" + threat40 + "\t8.1\tHigh\n");
  }
  SUBCASE("stdin: one vector a line; blank lines, # lines and surrounding white space skipped") {
    const result r = run_cli("cvss", "# export of the scanner\n\n  " + temporal31 + " \r\n" + threat40 + "\n\t\n");
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == temporal31 + "\t7.8\tHigh\n" + threat40 + "\t8.1\tHigh\n");
    const result none = run_cli("cvss --format json");
    CHECK(none.exit_code == 0);
    CHECK(nlohmann::json::parse(none.out) == nlohmann::json::array());
  }
  SUBCASE("json: the score the official calculator shows, with the version's details") {
    const std::string v30 = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N/CR:L/MS:C";
    const result r = run_cli("cvss --format json " + quoted(temporal31) + " " + quoted(threat40) + " " + quoted(v30));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 3);
    CHECK(j[0] == nlohmann::json{{"vector", temporal31}, {"version", "3.1"}, {"score", 7.8}, {"severity", "High"},
                                 {"base", 9.8}, {"temporal", 7.8}, {"environmental", nullptr}});
    CHECK(j[1] == nlohmann::json{{"vector", threat40}, {"version", "4.0"}, {"score", 8.1}, {"severity", "High"},
                                 {"nomenclature", "CVSS-BT"}, {"macrovector", "000220"}});
    CHECK(j[2].at("version") == "3.0");
    CHECK(j[2].at("score").get<double>() == 9.6);
    CHECK(j[2].at("temporal").is_null());
    CHECK(j[2].at("environmental").get<double>() == 9.6);
    CHECK(r.out.find(R"("vector": ")") < r.out.find(R"("score": )"));  // fields in a stable order
  }
  SUBCASE("a bad vector: one message on stderr, the other vectors still scored, exit status 1") {
    const result r = run_cli("cvss", base31 + "\nCVSS:3.1/AV:N/AC:L\nnot a vector\n" + threat40 + "\n");
    CHECK(r.exit_code == 1);
    CHECK(r.out == base31 + "\t9.8\tCritical\n" + threat40 + "\t8.1\tHigh\n");
    CHECK(r.err ==
          "twinrisk: CVSS:3.1/AV:N/AC:L: column 19: missing base metrics PR, UI, S, C, I, A (expected all of AV, AC, "
          "PR, UI, S, C, I, A)\n"
          "twinrisk: not a vector: column 1: expected 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/', found 'not a vector'\n");
    const result j = run_cli("cvss --format json " + quoted(base31) + " " + quoted(base31 + "/"));
    CHECK(j.exit_code == 1);
    CHECK(nlohmann::json::parse(j.out).size() == 1);
    CHECK(j.err == "twinrisk: " + base31 + "/: column 45: unexpected '/' at the end of the vector\n");
    // A vector from a binary file: escaped and cut to one printable line.
    const result junk = run_cli("cvss", std::string("CVSS:3.1/\x01\x1b[2J") + std::string(200, 'A') + "\n");
    CHECK(junk.exit_code == 1);
    CHECK(junk.err.rfind("twinrisk: CVSS:3.1/\\x01\\x1b[2J" + std::string(66, 'A') + "...: column 10: ", 0) == 0);
  }
  SUBCASE("usage errors: exit code 2") {
    CHECK(run_cli("cvss --format xml " + quoted(base31)).exit_code == 2);
    CHECK(run_cli("cvss --no-such-option").exit_code == 2);
  }
}

TEST_CASE("twinrisk exposure and paths --view validated on the sample twin") {
  SUBCASE("the sample's KEV slice, EPSS scores and Q4 pentest are used, and the views differ") {
    const result r = run_cli("exposure --format json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("inputs").size() == 3);
    CHECK(j.at("theoretical").at("reachable_crown_jewels").size() == 6);
    CHECK(j.at("changed_edges").get<std::size_t>() > 100);
    const auto& first = j.at("differences").at(0);
    CHECK(first.at("edge") == "internet -exploits-> web-portal");
    CHECK(first.at("base").get<double>() == 0.6);
    CHECK(first.at("effective").get<double>() == 0.0);  // blocked by the WAF in the Q4 pentest: unusable
    CHECK(first.at("why").back().at("probability") == first.at("effective"));
    CHECK(j.at("theoretical").at("top_paths").at(0) != j.at("validated").at("top_paths").at(0));
  }
  SUBCASE("--view validated changes the top path; --view theoretical is the default") {
    const result theoretical = run_cli("paths --k 1 --format json");
    const result validated = run_cli("paths --k 1 --view validated --format json");
    REQUIRE(theoretical.exit_code == 0);
    REQUIRE(validated.exit_code == 0);
    const auto a = nlohmann::json::parse(theoretical.out), b = nlohmann::json::parse(validated.out);
    CHECK(a.at("view") == "theoretical");
    CHECK(b.at("view") == "validated");
    CHECK(a.at("paths").at(0).at("nodes").front() == "internet");
    CHECK(a.at("paths") != b.at("paths"));
  }
  SUBCASE("files given on the command line replace the sample's; bad files are input errors") {
    const std::string data = quoted((twinrisk_test::source_dir() / "examples/data").string());
    const result r = run_cli("exposure --kev " + data + "/acme.kev.json --format json");
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).at("inputs").size() == 1);
    const result bad = run_cli("exposure --evidence " + data + "/acme.kev.json");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("acme.kev.json: /catalogVersion: unknown member 'catalogVersion'") != std::string::npos);
    CHECK(run_cli("paths --view imagined").exit_code == 2);
  }
}

TEST_CASE("twinrisk simulate: the same seed gives the same output for any --threads") {
  const nlohmann::json a = same_json_for_1_and_2_threads("simulate --trials 3000 --seed 5");
  CHECK(a.at("trials") == 3000);
  CHECK(a.at("seed") == 5);
  REQUIRE(a.at("crown_jewels").size() == 6);
  for (const auto& j : a.at("crown_jewels")) {
    CHECK(j.at("lo").get<double>() <= j.at("p").get<double>());
    CHECK(j.at("p").get<double>() <= j.at("hi").get<double>());
  }
  CHECK(a.at("p_any_crown_jewel").get<double>() > 0.0);
  const result validated = run_cli("simulate --trials 3000 --seed 5 --format json --view validated");
  REQUIRE(validated.exit_code == 0);
  CHECK(nlohmann::json::parse(validated.out).at("crown_jewels") != a.at("crown_jewels"));
  CHECK(run_cli("simulate --trials 0").exit_code == 2);
}

TEST_CASE("twinrisk simulate --time: when each node falls, the same for any --threads") {
  const nlohmann::json a = same_json_for_1_and_2_threads("simulate --time --horizons 1,24 --trials 1000 --seed 3");
  REQUIRE(a.at("crown_jewels").size() == 6);
  for (const auto& j : a.at("crown_jewels")) {
    const auto& time = j.at("time");
    const auto& within = time.at("within");
    REQUIRE(within.size() == 2);
    CHECK(within[0].at("hours") == 1.0);
    CHECK(within[1].at("hours") == 24.0);
    // Falling within an hour implies within a day, which implies falling at all.
    CHECK(within[0].at("p").get<double>() <= within[1].at("p").get<double>());
    CHECK(within[1].at("p").get<double>() <= j.at("p").get<double>());
    if (!time.at("median_hours").is_null()) CHECK(time.at("median_hours").get<double>() >= 0.0);
    if (!time.at("p90_hours").is_null()) CHECK(time.at("p90_hours").get<double>() >= time.at("median_hours").get<double>());
    else CHECK(j.at("p").get<double>() < 0.95);  // never by p90 needs P(falls) below 0.9 (within sampling)
  }
  // Without --time the probabilities are the same worlds' (same seed).
  auto plain = nlohmann::json::parse(run_cli("simulate --trials 1000 --seed 3 --format json").out);
  for (std::size_t i = 0; i < 6; ++i) CHECK(plain.at("crown_jewels")[i].at("p") == a.at("crown_jewels")[i].at("p"));
  CHECK(run_cli("simulate --time --horizons -1").exit_code == 2);
  CHECK(run_cli("simulate --time --horizons x").exit_code == 2);
}

TEST_CASE("twinrisk loss: money figures on the sample twin, the same for any --threads") {
  const nlohmann::json a = same_json_for_1_and_2_threads("loss --years 2048 --seed 7");
  CHECK(a.at("currency") == "USD");
  CHECK(a.at("years") == 2048);
  const double ale = a.at("ale").get<double>();
  CHECK(ale > 0.0);
  double by_asset = 0.0, by_threat = 0.0;
  for (const auto& x : a.at("by_asset")) by_asset += x.at("ale").get<double>();
  for (const auto& x : a.at("by_threat")) by_threat += x.at("ale").get<double>();
  CHECK(by_asset == doctest::Approx(ale).epsilon(1e-9));
  CHECK(by_threat == doctest::Approx(ale).epsilon(1e-9));
  CHECK(a.at("by_threat").size() == 4);
  CHECK(a.at("p50").get<double>() <= a.at("p90").get<double>());
  CHECK(a.at("p90").get<double>() <= a.at("p99").get<double>());
  CHECK(a.at("var99").get<double>() <= a.at("tvar99").get<double>());
  const auto& lec = a.at("lec");
  REQUIRE(lec.size() == 40);
  for (std::size_t i = 1; i < lec.size(); ++i) CHECK(lec[i][1].get<double>() <= lec[i - 1][1].get<double>());
  const auto svg = twinrisk_test::scratch_dir("cli_svg") / "lec.svg";
  const result text = run_cli("loss --years 1024 --svg " + quoted(svg.string()));
  CHECK(text.exit_code == 0);
  CHECK(slurp(svg).find("<polyline") != std::string::npos);
  CHECK(text.out.find("ALE by threat:") != std::string::npos);
  // Markdown: the same figures as the JSON of the same run, a row per asset and per threat.
  const result md = run_cli("loss --years 1024 --seed 7 --format md");
  REQUIRE(md.exit_code == 0);
  const auto j = nlohmann::json::parse(run_cli("loss --years 1024 --seed 7 --format json").out);
  CHECK(md.out.rfind("# Loss exposure — Acme Payments", 0) == 0);
  // The report's loss section (report/loss_section.hpp), with the contributions the report leaves out.
  CHECK(md.out.find("| Annual loss expectancy (ALE) | " + twinrisk::format_money(j.at("ale").get<double>(), "USD") + " ± ") !=
        std::string::npos);
  CHECK(md.out.find("| 1-in-100 year (p99) | " + twinrisk::format_money(j.at("p99").get<double>(), "USD") + " |") !=
        std::string::npos);
  for (const auto& x : j.at("by_asset")) CHECK(md.out.find("| " + x.at("id").get<std::string>() + " | ") != std::string::npos);
  for (const auto& x : j.at("by_threat")) CHECK(md.out.find("| " + x.at("id").get<std::string>() + " | ") != std::string::npos);
  CHECK(md.out.find("### ALE by threat") != std::string::npos);
  CHECK(md.out.find("| annual loss at least | probability in a year |") != std::string::npos);
  CHECK(run_cli("loss --format html").exit_code == 2);
}

TEST_CASE("twinrisk fair: the no-graph mode against the closed form; bad distributions are named") {
  const result r = run_cli("fair --frequency 0.3 --magnitude lognormal:50000:2000000 --years 200000 --format json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const double mu = (std::log(5e4) + std::log(2e6)) / 2, sigma = (std::log(2e6) - std::log(5e4)) / (2 * 1.6448536269514722);
  const double mean = std::exp(mu + sigma * sigma / 2), second = std::exp(2 * mu + 2 * sigma * sigma);
  CHECK(std::abs(j.at("ale").get<double>() - 0.3 * mean) < 4 * std::sqrt(0.3 * second / 200000.0));
  const result bad = run_cli("fair --magnitude lognormal:5:1");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("/magnitude/primary: expected finite 0 < low < high") != std::string::npos);
  CHECK(run_cli("fair --magnitude lognormal:1").exit_code == 1);
  CHECK(run_cli("fair --magnitude weibull:1:2").err.find("expected constant:X, lognormal:LO:HI") != std::string::npos);
  CHECK(run_cli("fair --magnitude constant:x").err.find("expected a number, got 'x'") != std::string::npos);
}

TEST_CASE("twinrisk plan: a budgeted plan, a cut and choke points on the sample twin") {
  const nlohmann::json a = json_output("plan --years 2048 --budget 5000 --max-actions 4");
  CHECK(a.at("currency") == "USD");
  const double ale = a.at("baseline").at("ale").get<double>();
  CHECK(ale > 0.0);
  const auto& steps = a.at("actions");
  REQUIRE(!steps.empty());
  CHECK(steps.size() <= 4);
  double previous = ale;
  for (const auto& s : steps) {
    CHECK(s.at("cumulative_cost").get<double>() <= 5000.0);
    CHECK(s.at("ale_after").get<double>() < previous);  // every step saves money on top of the earlier ones
    CHECK(s.at("ci")[0].get<double>() > 0.0);
    CHECK(s.at("delta_ale").get<double>() == doctest::Approx(previous - s.at("ale_after").get<double>()).epsilon(1e-9));
    CHECK(s.at("requires_approval").get<bool>() == !s.at("reason").get<std::string>().empty());
    previous = s.at("ale_after").get<double>();
  }
  CHECK(a.at("min_cut").at("cost").get<double>() > 0.0);
  CHECK(!a.at("min_cut").at("edges").empty());
  CHECK(!a.at("choke_points").empty());
  CHECK(a.at("choke_points")[0].at("path_share").get<double>() > 0.0);
  CHECK(run_cli("plan --years 1024").out.find("Minimum-cost cut") != std::string::npos);
}

TEST_CASE("twinrisk plan --actions: the team's own actions and costs; bad files are named") {
  const auto dir = twinrisk_test::scratch_dir("cli_plan");
  {
    std::ofstream f(dir / "actions.json");
    f << R"({"actions":[{"kind":"remove_edge","target":"svc-deploy->role-ci-deploy","cost":800},
                        {"kind":"isolate_node","target":"web-portal","cost":90000,"description":"take the portal offline"}],
             "edge_kind_costs":{"network_reach":4000}})";
  }
  const result r = run_cli("plan --years 1024 --budget 1000 --format json --actions " + quoted((dir / "actions.json").string()));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("candidates") == 2);
  REQUIRE(j.at("actions").size() == 1);  // the portal's isolation is over budget
  CHECK(j.at("actions")[0].at("target") == "svc-deploy->role-ci-deploy");
  CHECK(j.at("actions")[0].at("cost") == 800.0);
  {
    std::ofstream f(dir / "bad.json");
    f << R"({"actions":[{"kind":"remove_edge","target":"svc-deploy->nowhere","cost":1}]})";
  }
  const result bad = run_cli("plan --actions " + quoted((dir / "bad.json").string()));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("bad.json: /actions/0/target: no edge 'svc-deploy->nowhere' in the twin") != std::string::npos);
  {
    std::ofstream f(dir / "bad_kind.json");
    f << R"({"edge_kind_costs":{"phishng":1}})";
  }
  const result bad_kind = run_cli("plan --actions " + quoted((dir / "bad_kind.json").string()));
  CHECK(bad_kind.exit_code == 1);
  CHECK(bad_kind.err.find("/edge_kind_costs/phishng: unknown edge kind 'phishng'; did you mean") != std::string::npos);
}

TEST_CASE("twinrisk import bloodhound: folders, files and .zip archives; paths on the result") {
  const auto data = twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-testlab";
  const auto dir = twinrisk_test::scratch_dir("cli_import");
  const std::string out = quoted((dir / "tl.twin.json").string());
  const result r = run_cli("import bloodhound " + quoted((data / "v6").string()) + " -o " + out +
                           " --format json --entry owned:S-1-5-21-3130019616-2776909439-2417379446-1105 --assume-scenario");
  REQUIRE(r.exit_code == 0);
  const auto s = nlohmann::json::parse(r.out);
  CHECK(s.at("nodes") == 96);
  CHECK(s.at("edges") == 748);  // 721 read, 27 derived (tests/io/bloodhound_test.cpp)
  CHECK(s.at("entry_points") == 1);
  CHECK(s.at("edges_by_kind").at("DCSync") == 3);
  // The owned user reaches the domain through WIN10's local admins and the session of the
  // Administrator, who is tier zero.
  const result p = run_cli("paths " + out + " --k 1 --format json");
  REQUIRE(p.exit_code == 0);
  const auto path = nlohmann::json::parse(p.out).at("paths").at(0);
  CHECK(path.at("nodes") == nlohmann::json::array({"S-1-5-21-3130019616-2776909439-2417379446-1105",
                                                   "S-1-5-21-3130019616-2776909439-2417379446-1104",
                                                   "S-1-5-21-3130019616-2776909439-2417379446-500",
                                                   "S-1-5-21-3130019616-2776909439-2417379446"}));
  CHECK(path.at("names") == nlohmann::json::array({"DFM@TESTLAB.LOCAL", "WIN10.TESTLAB.LOCAL", "ADMINISTRATOR@TESTLAB.LOCAL", "TESTLAB.LOCAL"}));
  CHECK(path.at("edge_kinds") == nlohmann::json::array({"admin_to", "has_session", "tier_zero_of"}));
  const result loss = run_cli("loss " + out + " --years 2000 --format json");
  CHECK(loss.exit_code == 0);
  // The same collection as separate files, and as a .zip archive when this build reads them.
  std::string files;
  for (const char* f : {"users.json", "groups.json", "computers.json", "domains.json", "gpos.json", "ous.json",
                        "containers.json", "sessions.json", "deleted.json"})
    files += " " + quoted((data / "v6" / f).string());
  const result by_files = run_cli("import bloodhound" + files + " -o " + quoted((dir / "f.twin.json").string()) + " --format json");
  REQUIRE(by_files.exit_code == 0);
  CHECK(nlohmann::json::parse(by_files.out).at("edges") == 748);
  // setup-debian.sh installs zip and libzip-dev, so this build reads archives.
  REQUIRE(std::system(("cd " + quoted((data / "v6").string()) + " && zip -q " + quoted((dir / "v6.zip").string()) + " *.json").c_str()) == 0);
  const result z = run_cli("import bloodhound " + quoted((dir / "v6.zip").string()) + " -o " + quoted((dir / "z.twin.json").string()) +
                           " --format json");
  REQUIRE(z.exit_code == 0);
  CHECK(nlohmann::json::parse(z.out).at("edges") == 748);
  CHECK(nlohmann::json::parse(z.out).at("files") == 9);
}

TEST_CASE("twinrisk import bloodhound on SpecterOps' AD sample: tier zero, ADCS escalations, real chains") {
  const auto zip = twinrisk_test::source_dir() / "tests/data/bloodhound/specterops-ad-sample/ad_sampledata.zip";
  const auto dir = twinrisk_test::scratch_dir("cli_ad_sample");
  const std::string out = quoted((dir / "ad.twin.json").string());
  const result r = run_cli("import bloodhound " + quoted(zip.string()) + " -o " + out + " --format json");
  REQUIRE(r.exit_code == 0);
  const auto s = nlohmann::json::parse(r.out);
  CHECK(s.at("tier_zero") == 132);
  CHECK(s.at("entry_points") == 45);
  // The certificate services escalations, as docs/design/adcs_edges.py (the Python oracle of
  // BloodHound CE's post-processing, in its integration-test mode) counts them on this sample.
  const auto& derived = s.at("derived_by_kind");
  const std::vector<std::pair<const char*, int>> expected = {
      {"TrustedForNTAuth", 4}, {"IssuedSignedBy", 12}, {"EnterpriseCAFor", 6}, {"RootCAFor", 5}, {"NTAuthStoreFor", 2},
      {"EnrollOnBehalfOf", 177}, {"GoldenCert", 4}, {"ADCSESC1", 7}, {"ADCSESC3", 12}, {"ADCSESC4", 7}, {"ADCSESC6a", 5},
      {"ADCSESC6b", 12}, {"ADCSESC9a", 17}, {"ADCSESC9b", 12}, {"ADCSESC10a", 9}, {"ADCSESC10b", 10}};
  for (const auto& [kind, n] : expected) CHECK_MESSAGE(derived.value(kind, 0) == n, kind);
  CHECK_FALSE(derived.contains("ADCSESC13"));  // the sample has no issuance policies
  // From the default entries (enabled users outside tier zero), the most probable way in is
  // a chain, and ESC1 through Authenticated Users is among the top paths.
  const result p = run_cli("paths " + out + " --k 10 --format json");
  REQUIRE(p.exit_code == 0);
  bool esc1 = false;
  const auto paths = nlohmann::json::parse(p.out);
  for (const auto& path : paths.at("paths")) {
    const auto kinds = path.at("edge_kinds").get<std::vector<std::string>>();
    esc1 = esc1 || std::find(kinds.begin(), kinds.end(), "adcs_esc1") != kinds.end();
  }
  CHECK(esc1);
}

TEST_CASE("twinrisk import/export: OpenGraph round trip, scan findings, clear errors") {
  const auto dir = twinrisk_test::scratch_dir("cli_opengraph");
  const result e = run_cli("export opengraph -o " + quoted((dir / "acme.og.json").string()));
  REQUIRE(e.exit_code == 0);
  const result i = run_cli("import opengraph " + quoted((dir / "acme.og.json").string()) + " -o " +
                           quoted((dir / "acme.twin.json").string()) + " --format json");
  REQUIRE(i.exit_code == 0);
  CHECK(nlohmann::json::parse(i.out).at("nodes") == 688);
  const std::string nessus = quoted((twinrisk_test::source_dir() / "tests/data/nessus/pytenable-example.nessus").string());
  // Without --into, the findings make a twin of their own: the scanner's segment and the hosts.
  const result alone = run_cli("import scan " + nessus + " -o " + quoted((dir / "alone.twin.json").string()) + " --format json");
  REQUIRE(alone.exit_code == 0);
  const nlohmann::json alone_summary = nlohmann::json::parse(alone.out);
  CHECK(alone_summary.at("nodes").get<int>() < 10);
  CHECK(alone_summary.at("edges_by_kind").at("exploits") == 1);
  const result scan = run_cli("import scan " + nessus + " --into " + quoted((dir / "acme.twin.json").string()) +
                              " --from internet -o " + quoted((dir / "scanned.twin.json").string()) + " --format json");
  REQUIRE(scan.exit_code == 0);
  CHECK(nlohmann::json::parse(scan.out).at("edges_by_kind").at("exploits") == 1);
  const result ex = run_cli("exposure " + quoted((dir / "scanned.twin.json").string()) + " --format json");
  CHECK(ex.exit_code == 0);
  // Nessus, OpenVAS and Nmap reports mixed in one run, told apart by their root element.
  const std::string scanners = (twinrisk_test::source_dir() / "tests/data/scanners").string();
  const result mixed = run_cli("import scan " + nessus + " " + quoted(scanners + "/openvas/one_vuln.xml") + " " +
                               quoted(scanners + "/nmap/vulners-handmade.xml") + " -o " + quoted((dir / "mixed.twin.json").string()) +
                               " --format json");
  REQUIRE(mixed.exit_code == 0);
  const nlohmann::json mixed_summary = nlohmann::json::parse(mixed.out);
  CHECK(mixed_summary.at("format") == "nessus+openvas+nmap");
  CHECK(mixed_summary.at("edges_by_kind").at("exploits") == 3);
  CHECK(mixed_summary.at("edges_by_kind").at("network_reach") == 2);
  std::ofstream(dir / "bad.json") << R"({"data":[{"ObjectIdentifier":5}],"meta":{"type":"users"}})";
  const result bad = run_cli("import bloodhound " + quoted((dir / "bad.json").string()) + " -o " + quoted((dir / "x.twin.json").string()));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "twinrisk: " + (dir / "bad.json").string() +
                       ": /data/0/ObjectIdentifier: expected an object identifier (a non-empty string), got 5\n");
  CHECK(!std::filesystem::exists(dir / "x.twin.json"));
  const result entry = run_cli("import bloodhound " + quoted((dir / "bad.json").string()) + " -o x --entry admins");
  CHECK(entry.exit_code == 1);
  CHECK(entry.err.find("--entry: expected enabled-users, all-users, domain-users, owned:ID[,ID...] or owned-file:PATH, got 'admins'") !=
        std::string::npos);
}

TEST_CASE("twinrisk import aws: the public role anyone may assume is the way in; SCPs and owned entries") {
  const auto dir = twinrisk_test::scratch_dir("cli_aws");
  const std::string demo = quoted((twinrisk_test::source_dir() / "tests/data/aws-iam/cloudmapper-demo-iam-get-account-authorization-details.json").string());
  const std::string out = quoted((dir / "aws.twin.json").string());
  const result i = run_cli("import aws " + demo + " -o " + out + " --format json");
  REQUIRE(i.exit_code == 0);
  CHECK(nlohmann::json::parse(i.out).at("edges_by_kind").at("AssumeRole(*)") == 1);
  const result p = run_cli("paths " + out + " --k 5 --format json");
  REQUIRE(p.exit_code == 0);
  const auto paths = nlohmann::json::parse(p.out).at("paths");
  REQUIRE(paths.size() == 1);
  CHECK(paths[0].at("nodes") == nlohmann::json::array({"aws:any-principal", "arn:aws:iam::123456789012:role/bad_role",
                                                       "arn:aws:iam::123456789012:root"}));
  // An SCP that denies role assumption outright leaves the outside principal nowhere to go.
  std::ofstream(dir / "scp.json") << R"({"Policy": {"Content": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"},)"
                                     R"( {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}"}})";
  const result scp = run_cli("import aws " + demo + " --scp " + quoted((dir / "scp.json").string()) + " -o " + out + " --format json");
  REQUIRE(scp.exit_code == 0);
  CHECK_FALSE(nlohmann::json::parse(scp.out).at("edges_by_kind").contains("Administrator"));  // s3 denied: nobody is an administrator
  const result owned = run_cli("import aws " + demo + " --entry owned:USER -o " + out + " --format json");
  REQUIRE(owned.exit_code == 0);
  CHECK(nlohmann::json::parse(owned.out).at("entry_points") == 1);
  const result bad = run_cli("import aws " + demo + " --entry admins -o " + out);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "twinrisk: --entry: expected users, owned:ARN[,ARN...] or owned-file:PATH, got 'admins'\n");
}

TEST_CASE("twinrisk import mapped: each shipped mapping imports its sample under --strict; errors name the mapping's pointer") {
  const auto dir = twinrisk_test::scratch_dir("cli_mapped");
  const auto mappings = twinrisk_test::source_dir() / "examples/mappings";
  struct expected_import {
    const char* name;
    int nodes, edges, entry_points, crown_jewels;
  };
  for (const expected_import& e : {expected_import{"servicenow-cmdb", 9, 7, 4, 2}, expected_import{"discovered-apps", 9, 8, 1, 4},
                                   expected_import{"azure-resource-graph", 9, 11, 1, 3}}) {
    CAPTURE(e.name);
    const std::string out = quoted((dir / (std::string(e.name) + ".twin.json")).string());
    const result r = run_cli("import mapped --mapping " + quoted((mappings / (std::string(e.name) + ".json")).string()) + " " +
                             quoted((mappings / "samples" / e.name).string()) + " -o " + out + " --strict --format json");
    REQUIRE(r.exit_code == 0);
    const auto s = nlohmann::json::parse(r.out);
    CHECK(s.at("format") == "mapped");
    CHECK(s.at("nodes") == e.nodes);
    CHECK(s.at("edges") == e.edges);
    CHECK(s.at("entry_points") == e.entry_points);
    CHECK(s.at("crown_jewels") == e.crown_jewels);
    CHECK(run_cli("info " + out).exit_code == 0);
  }
  // The CMDB twin's most probable path: from the internet-facing web server to the CRM application it runs.
  const result p = run_cli("paths " + quoted((dir / "servicenow-cmdb.twin.json").string()) + " --k 1 --format json");
  REQUIRE(p.exit_code == 0);
  CHECK(nlohmann::json::parse(p.out).at("paths")[0].at("nodes") ==
        nlohmann::json::array({"0a1f3c5e7b9d4f21a3c5e7f9b1d3f5a7", "1b2e4d6f8a0c4e62b4d6f8a0c2e4f6b8"}));
  // A misspelt kind in the mapping: its file and JSON pointer, and the closest name.
  std::ofstream(dir / "bad.json") << R"({"format": "csv", "nodes": [{"id": "{id}", "kind": "sever"}]})";
  std::ofstream(dir / "hosts.csv") << "id,extra\nweb,x\n";
  const std::string bad = (dir / "bad.json").string(), hosts = quoted((dir / "hosts.csv").string());
  const result e = run_cli("import mapped --mapping " + quoted(bad) + " " + hosts + " -o " + quoted((dir / "x.twin.json").string()));
  CHECK(e.exit_code == 1);
  CHECK(e.err == "twinrisk: " + bad + ": /nodes/0/kind: unknown node kind 'sever'; did you mean 'server'?\n");
  // --strict refuses a column no rule reads.
  std::ofstream(dir / "good.json") << R"({"format": "csv", "nodes": [{"id": "{id}", "kind": "server"}]})";
  const std::string good = quoted((dir / "good.json").string());
  CHECK(run_cli("import mapped --mapping " + good + " " + hosts + " -o " + quoted((dir / "x.twin.json").string())).exit_code == 0);
  const result strict = run_cli("import mapped --mapping " + good + " " + hosts + " -o " + quoted((dir / "x.twin.json").string()) + " --strict");
  CHECK(strict.exit_code == 1);
  CHECK(strict.err == "twinrisk: --strict: the import left unmapped: field not read extra (1)\n");
}

TEST_CASE("one twin from AD, AWS, Kubernetes and a scan: merged with --into, joined with --join, a path across them") {
  const auto dir = twinrisk_test::scratch_dir("cli_sources");
  auto at = [&](const char* name) { return quoted((dir / name).string()); };
  const auto data = twinrisk_test::source_dir() / "tests/data";
  REQUIRE(run_cli("import bloodhound " + quoted((data / "bloodhound/specterops-testlab/v6").string()) + " -o " + at("ad.twin.json")).exit_code == 0);
  // An AWS account where a developer can launch an instance as the role the EKS cluster maps to its administrators.
  std::ofstream(dir / "aws.json") << R"({"UserDetailList": [{"UserName": "dev", "Arn": "arn:aws:iam::111111111111:user/dev",
    "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
      {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]}}]}],
    "RoleDetailList": [{"RoleName": "eks-deployer", "Arn": "arn:aws:iam::111111111111:role/eks-deployer",
      "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
      "InstanceProfileList": [{"InstanceProfileName": "eks-deployer"}],
      "RolePolicyList": [{"PolicyName": "eks", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "eks:*", "Resource": "*"}]}}]}]})";
  // What no export says: DFM is the developer, and the cluster's aws-auth maps the role to system:masters.
  std::ofstream(dir / "joins.json") << R"({"same": [{"a": "DFM@TESTLAB.LOCAL", "b": "arn:aws:iam::111111111111:user/dev", "why": "one person"}],
    "links": [{"from": "arn:aws:iam::111111111111:role/eks-deployer", "to": "k8s:cluster", "kind": "authenticates_to",
               "why": "aws-auth maps the role to system:masters"}]})";
  const result aws = run_cli("import aws " + at("aws.json") + " --into " + at("ad.twin.json") + " -o " + at("ad-aws.twin.json") + " --format json");
  REQUIRE(aws.exit_code == 0);
  CHECK(nlohmann::json::parse(aws.out).at("merge").at("added_nodes") == 3);  // dev, eks-deployer, the account
  const auto k8s = data / "kubernetes/kubehound-test-cluster";
  const result cluster = run_cli("import kubernetes " + quoted(k8s.string()) + " " + quoted((k8s / "namespace-1").string()) + " " +
                                 quoted((k8s / "namespace-2").string()) + " --into " + at("ad-aws.twin.json") + " --join " + at("joins.json") +
                                 " --review " + at("review.json") + " -o " + at("all.twin.json"));
  REQUIRE(cluster.exit_code == 0);
  const auto review = nlohmann::json::parse(std::ifstream(dir / "review.json"));
  CHECK(review.at("import").at("assumptions").at("identities joined across sources (--join)") == 1);
  CHECK(review.at("merge").at("matched_nodes") == 0);
  const std::string nessus = quoted((data / "nessus/pytenable-example.nessus").string());
  const result scan = run_cli("import scan " + nessus + " --into " + at("all.twin.json") + " --from k8s:cluster -o " + at("all.twin.json"));
  REQUIRE(scan.exit_code == 0);
  // From the phished AD user, through AWS, into the cluster.
  const result p = run_cli("paths " + at("all.twin.json") + " --to k8s:cluster --k 5 --format json");
  REQUIRE(p.exit_code == 0);
  const nlohmann::json across = nlohmann::json::array({"DFM@TESTLAB.LOCAL", "user/dev", "role/eks-deployer", "kubernetes"});
  bool found = false;
  const nlohmann::json found_paths = nlohmann::json::parse(p.out);
  for (const auto& path : found_paths.at("paths")) found = found || path.at("names") == across;
  CHECK(found);
  // --strict refuses what the import could not map; nothing is written.
  std::ofstream(dir / "extra.json") << R"({"UserDetailList": [], "Marker": "x"})";
  const result strict = run_cli("import aws " + at("extra.json") + " --strict -o " + at("strict.twin.json"));
  CHECK(strict.exit_code == 1);
  CHECK(strict.err == "twinrisk: --strict: the import left unmapped: field not read Marker (1)\n");
  CHECK_FALSE(std::filesystem::exists(dir / "strict.twin.json"));
}

TEST_CASE("outputs: - is standard output; a device or a FIFO is written in place, never replaced by a file") {
  const auto dir = twinrisk_test::scratch_dir("cli_outputs");
  const std::string quick = " --trials 64 --years 1024 --plan-years 1024";
  SUBCASE("- writes the twin, the OpenGraph file or the report to stdout and the summary to stderr") {
    const result g = run_cli("generate --nodes 200 --seed 5 -o -");
    REQUIRE(g.exit_code == 0);
    CHECK(nlohmann::json::parse(g.out).at("nodes").size() == 200);
    const result og = run_cli("export opengraph -o -");
    REQUIRE(og.exit_code == 0);
    CHECK(nlohmann::json::parse(og.out).at("graph").at("nodes").size() == 688);
    CHECK(og.err.find("wrote 688 nodes") == 0);
    std::ofstream(dir / "acme.og.json") << og.out;
    const result i = run_cli("import opengraph " + quoted((dir / "acme.og.json").string()) + " -o - --format json");
    REQUIRE(i.exit_code == 0);
    CHECK(nlohmann::json::parse(i.out).at("nodes").size() == 688);
    CHECK(nlohmann::json::parse(i.err).at("output") == "-");
    const result r = run_cli("report" + quick + " --format json --persona ciso -o -");
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).contains("score"));
  }
  SUBCASE("a FIFO receives the output and stays a FIFO") {
    REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
    for (const std::string command : {"generate --nodes 200 -o ", "export opengraph -o "}) {
      CAPTURE(command);
      const std::string script = "cat " + quoted((dir / "pipe").string()) + " >" + quoted((dir / "read").string()) + " & " +
                                 quoted(twinrisk_test::cli_path_c_str()) + " " + command + quoted((dir / "pipe").string()) +
                                 " >/dev/null 2>&1; status=$?; wait; exit $status";
      const int status = std::system(("bash -c " + quoted(script)).c_str());
      CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
      CHECK(std::filesystem::is_fifo(std::filesystem::symlink_status(dir / "pipe")));
      CHECK(nlohmann::json::parse(slurp(dir / "read")).is_object());
      CHECK_FALSE(std::filesystem::exists(dir / "pipe.tmp"));
    }
  }
  SUBCASE("a null device made with mknod (as root) stays a device for every writer") {
    if (::geteuid() != 0) {
      MESSAGE("skipped: mknod needs root");
      return;
    }
    const std::filesystem::path null_device = dir / "null";  // the device of /dev/null; /dev/null itself is never touched
    REQUIRE(::mknod(null_device.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
    const std::string to = quoted(null_device.string());
    std::ofstream(dir / "acme.og.json") << run_cli("export opengraph -o -").out;
    for (const std::string& command :
         {"report" + quick + " --persona ciso -o " + to, "loss --years 1024 --svg " + to, "fair --magnitude constant:5 --years 1000 --svg " + to,
          "export opengraph -o " + to, "generate --nodes 200 -o " + to,
          "import opengraph " + quoted((dir / "acme.og.json").string()) + " -o " + to}) {
      CAPTURE(command);
      CHECK(run_cli(command).exit_code == 0);
      CHECK(std::filesystem::is_character_file(std::filesystem::symlink_status(null_device)));
      CHECK_FALSE(std::filesystem::exists(dir / "null.tmp"));
    }
  }
}

TEST_CASE("twinrisk report: personas and formats on the sample twin, files, DOT; errors") {
  const std::string quick = " --years 2048 --plan-years 1024 --trials 1024";
  const nlohmann::json ciso = json_output("report --persona ciso --appetite 1e7" + quick);
  CHECK(ciso["schema"] == "twinrisk-report");
  CHECK(ciso["persona"] == "ciso");
  CHECK(ciso["score"]["appetite"] == 1e7);
  CHECK(ciso["score"]["appetite_assumed"] == false);
  CHECK(ciso["decisions"].size() <= 3);
  CHECK(ciso["parameters"]["view"] == "validated");
  CHECK_FALSE(ciso["parameters"]["inputs"].empty());  // the sample's KEV, EPSS and pentest
  CHECK_FALSE(ciso.contains("remediation"));

  const result md = run_cli("report --persona engineer --format md --view theoretical" + quick);
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("## Fixes in order of value") != std::string::npos);
  CHECK(md.out.find("theoretical probabilities") != std::string::npos);

  const auto dir = twinrisk_test::scratch_dir("cli_report");
  const std::string html_path = (dir / "r.html").string();
  const result html = run_cli("report --persona all" + quick + " -o " + quoted(html_path));
  REQUIRE(html.exit_code == 0);
  CHECK(html.out == "Report written to " + html_path + "\n");
  CHECK(slurp(html_path).rfind("<!DOCTYPE html>", 0) == 0);

  // Without --format, the file's extension chooses it; --format overrides the extension.
  const std::string md_path = (dir / "r.md").string();
  REQUIRE(run_cli("report --persona engineer" + quick + " -o " + quoted(md_path)).exit_code == 0);
  CHECK(slurp(md_path).rfind("# ", 0) == 0);
  REQUIRE(run_cli("report --persona engineer --format html" + quick + " -o " + quoted(md_path)).exit_code == 0);
  CHECK(slurp(md_path).rfind("<!DOCTYPE html>", 0) == 0);

  const result dot = run_cli("report --format dot" + quick);
  REQUIRE(dot.exit_code == 0);
  CHECK(dot.out.rfind("digraph ", 0) == 0);
  const result around = run_cli("report --format dot --around web-portal --radius 2");
  REQUIRE(around.exit_code == 0);
  CHECK(around.out.find("\"web-portal\" [") != std::string::npos);

  const result unknown = run_cli("report --format dot --around nope");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("--around: no node has the id or name 'nope'") != std::string::npos);
  const result not_dot = run_cli("report --around web-portal");
  CHECK(not_dot.exit_code == 1);
  CHECK(not_dot.err.find("use it with --format dot") != std::string::npos);
  CHECK(run_cli("report --persona boss").exit_code == 2);
  CHECK(run_cli("report --appetite -5").exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(dir / "never.html"));
  const result bad_twin = run_cli("report " + quoted((dir / "missing.twin.json").string()) + " -o " + quoted((dir / "never.html").string()));
  CHECK(bad_twin.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(dir / "never.html"));
}

TEST_CASE("determinism: the CLI's paths, simulate, loss, plan and report JSON is identical on 1, 2 and 8 threads") {
  // The sample twin end to end (the library suite twinrisk_parallel_tests adds a synthetic twin).
  // Sizes are the least that take every parallel path: loss's 16 tasks of 1,024 years run as
  // tasks, fewer run each task's events in parallel (the report's and plan's runs). 8 threads on
  // CI's 2 cores oversubscribe: tasks finish in orders 2 threads do not produce.
  const std::vector<std::string> commands = {
      "paths --k 50", "paths --all --max-hops 3 --count", "simulate --trials 20000 --time --view validated",
      "loss --years 16384 --view validated", "plan --years 2048 --max-actions 3",
      "report --persona all --years 2048 --plan-years 1024 --trials 2048"};
  for (const std::string& command : commands) {
    CAPTURE(command);
    std::string first;
    for (int threads : {1, 2, 8}) {
      const result r = run_cli(command + " --format json --threads " + std::to_string(threads));
      REQUIRE(r.exit_code == 0);
      nlohmann::json j = nlohmann::json::parse(r.out);
      j.erase("timing");
      if (threads == 1) first = j.dump();
      else CHECK(j.dump() == first);  // the whole output, every digit
    }
  }
}

TEST_CASE("Ctrl-C: a long analysis stops cleanly, prints what it has marked cancelled, says so, exits 130") {
  const auto dir = twinrisk_test::scratch_dir("cli_interrupt");
  const std::string synthetic = quoted((dir / "synthetic.twin.json").string());  // billions of paths within 14 hops
  REQUIRE(run_cli("generate --nodes 3000 --seed 11 -o " + synthetic).exit_code == 0);
  for (const std::string& command : {std::string("loss --years 1073741824 --format json"),
                                     std::string("simulate --trials 4294967296 --format json"),
                                     std::string("plan --years 1073741824 --format json"),
                                     std::string("report --years 1073741824 --format json"),
                                     "paths " + synthetic + " --all --max-hops 14 --count --format json"}) {
    CAPTURE(command);
    const std::string out = (dir / "out").string(), err = (dir / "err").string(), code = (dir / "code").string();
    // Start it, let it run, interrupt it as a terminal would, and collect the exit status.
    const std::string script = quoted(twinrisk_test::cli_path_c_str()) + " " + command + " >" + quoted(out) + " 2>" + quoted(err) +
                               " & pid=$!; sleep 3; kill -INT $pid; wait $pid; echo $? >" + quoted(code);
    REQUIRE(std::system(("bash -c " + quoted(script)).c_str()) == 0);
    CHECK(slurp(code) == "130\n");
    CHECK(slurp(err).find("twinrisk: interrupted; the output covers the work done before the stop") != std::string::npos);
    const nlohmann::json j = nlohmann::json::parse(slurp(out));
    CHECK(j["cancelled"] == true);
  }
}

TEST_CASE("--time-limit: a long analysis stops at the limit, prints what it has marked cancelled, says so, exits 124") {
  for (const std::string& command : {std::string("simulate --trials 4294967296 --format json --time-limit 1"),
                                     std::string("--time-limit 1 loss --years 1073741824 --format json")}) {
    CAPTURE(command);
    const result r = run_cli(command);
    CHECK(r.exit_code == 124);
    CHECK(r.err == "twinrisk: time limit of 1 s reached; the output covers the work done before the stop\n");
    const nlohmann::json j = nlohmann::json::parse(r.out);
    CHECK(j["cancelled"] == true);
  }
  // A limit that is not reached changes nothing.
  const result quick = run_cli("paths --k 3 --format json --time-limit 600");
  CHECK(quick.exit_code == 0);
  CHECK_FALSE(nlohmann::json::parse(quick.out).contains("cancelled"));
}
