#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/edge_list.hpp"

using namespace twinrisk;

namespace {

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::filesystem::path folder_with(const std::string& name, const std::string& edges, const std::string& sources = "",
                                  const std::string& targets = "") {
  const auto dir = twinrisk_test::scratch_dir("edge_list_" + name);
  write_text(dir / "edges.tsv", edges);
  if (!sources.empty()) write_text(dir / "sources.txt", sources);
  if (!targets.empty()) write_text(dir / "targets.txt", targets);
  return dir;
}

using edge_row = std::tuple<std::string, std::string, double>;
std::multiset<edge_row> rows(const twin& t) {
  std::multiset<edge_row> out;
  for (auto uv : t.edges()) out.emplace(t.id(t.source(uv)), t.id(t.target(uv)), t[uv].probability);
  return out;
}

}  // namespace

TEST_CASE("reading an edge-list folder") {
  const auto dir = folder_with("basic", "# nodes=4 edges=5\n0\t1\t0.5\n1\t2\t1\n2\t3\t0\n3\t0\t1e-3\n1\t2\t0.25\n", "0\n",
                               "# crown jewels\n3\n\n2\n");
  const twin t = read_edge_list(dir);
  CHECK(t.num_nodes() == 4);
  CHECK(t.num_edges() == 5);
  CHECK(rows(t) == std::multiset<edge_row>{{"0", "1", 0.5}, {"1", "2", 1.0}, {"2", "3", 0.0}, {"3", "0", 1e-3}, {"1", "2", 0.25}});
  CHECK(t.entry_points() == std::vector<std::size_t>{0});
  CHECK(t.crown_jewels() == std::vector<std::size_t>{2, 3});
  CHECK(t[t.at("1")].kind == node_kind::generic);
  // The path of edges.tsv itself works too; sources and targets are optional.
  CHECK(read_edge_list(dir / "edges.tsv").num_edges() == 5);
  const twin bare = read_edge_list(folder_with("bare", "# nodes=2 edges=1\r\n0\t1\t0.5\r\n"));  // CRLF
  CHECK(bare.entry_points().empty());
  CHECK(rows(bare) == std::multiset<edge_row>{{"0", "1", 0.5}});
  // Isolated nodes and no edges at all.
  CHECK(read_edge_list(folder_with("empty", "# nodes=3 edges=0\n")).num_nodes() == 3);
}

TEST_CASE("writing and reading back keeps structure, probabilities and flags exactly") {
  twin_builder b;
  for (int v = 0; v < 50; ++v) b.add_node(std::to_string(v), {.entry_point = v % 7 == 0, .crown_jewel = v % 11 == 3});
  std::uint64_t x = 88172645463325252ull;  // xorshift64: fixed test randomness
  auto next = [&x] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
  for (int i = 0; i < 400; ++i) {
    const double p = static_cast<double>(next() % 1000003) / 1000003.0;  // needs all 17 digits
    b.add_edge(next() % 50, next() % 50, {.probability = p});
  }
  b.add_edge(1, 2, {.probability = 0.1 + 0.2});
  const twin t = b.build();
  const auto dir = twinrisk_test::scratch_dir("edge_list_round_trip");
  write_edge_list(t, dir);
  const twin back = read_edge_list(dir);
  CHECK(rows(back) == rows(t));
  CHECK(back.entry_points() == t.entry_points());
  CHECK(back.crown_jewels() == t.crown_jewels());
}

TEST_CASE("writing a twin with string ids numbers its vertices") {
  const twin t = twinrisk_test::small_twin();
  const auto dir = twinrisk_test::scratch_dir("edge_list_small");
  write_edge_list(t, dir);
  const twin back = read_edge_list(dir);
  CHECK(back.num_nodes() == 4);
  std::multiset<edge_row> expected;
  for (auto uv : t.edges())
    expected.emplace(std::to_string(t.source(uv)), std::to_string(t.target(uv)), t[uv].probability);
  CHECK(rows(back) == expected);
  CHECK(back.entry_points() == t.entry_points());
  CHECK(back.crown_jewels() == t.crown_jewels());
}

TEST_CASE("malformed edge lists name the file, the line and the problem") {
  struct bad {
    const char* name;
    std::string edges, sources, message, targets = "";
  };
  const std::vector<bad> cases = {
      {"empty file", "", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got ''"},
      {"no header", "0\t1\t0.5\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '0\t1\t0.5'"},
      {"header count not a number", "# nodes=x edges=1\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=x edges=1'"},
      {"negative count", "# nodes=-2 edges=1\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=-2 edges=1'"},
      {"truncated", "# nodes=3 edges=3\n0\t1\t0.5\n1\t2\t0.5\n", "", "edges.tsv:3: header says 3 edges, found 2 (truncated file?)"},
      {"too many edges", "# nodes=3 edges=1\n0\t1\t0.5\n1\t2\t0.5\n", "", "edges.tsv:3: more edges than the header's 1"},
      {"missing column", "# nodes=3 edges=1\n0\t1\n", "", "edges.tsv:2: expected 3 tab-separated columns 'src dst prob', got '0\t1'"},
      {"extra column", "# nodes=3 edges=1\n0\t1\t0.5\tx\n", "", "edges.tsv:2: expected 3 tab-separated columns 'src dst prob', got '0\t1\t0.5\tx'"},
      {"spaces not tabs", "# nodes=3 edges=1\n0 1 0.5\n", "", "edges.tsv:2: expected 3 tab-separated columns 'src dst prob', got '0 1 0.5'"},
      {"blank line inside", "# nodes=3 edges=2\n0\t1\t0.5\n\n1\t2\t0.5\n", "", "edges.tsv:3: expected 3 tab-separated columns 'src dst prob', got ''"},
      {"id not a number", "# nodes=3 edges=1\na\t1\t0.5\n", "", "edges.tsv:2:1: expected a source node id, got 'a'"},
      {"negative id", "# nodes=3 edges=1\n0\t-1\t0.5\n", "", "edges.tsv:2:3: expected a target node id, got '-1'"},
      {"id out of range", "# nodes=3 edges=1\n0\t3\t0.5\n", "", "edges.tsv:2: node id 3 out of range [0,3)"},
      {"huge id", "# nodes=3 edges=1\n99999999999999999999999\t0\t0.5\n", "", "edges.tsv:2:1: expected a source node id, got '99999999999999999999999'"},
      {"probability too large", "# nodes=3 edges=1\n0\t1\t1.3\n", "", "edges.tsv:2:5: probability 1.3 not in [0,1]"},
      {"probability NaN", "# nodes=3 edges=1\n0\t1\tnan\n", "", "edges.tsv:2:5: probability NaN not in [0,1]"},
      {"probability inf", "# nodes=3 edges=1\n0\t1\tinf\n", "", "edges.tsv:2:5: probability inf not in [0,1]"},
      {"probability junk", "# nodes=3 edges=1\n0\t1\t0.5x\n", "", "edges.tsv:2:5: expected a probability, got '0.5x'"},
      {"probability empty", "# nodes=3 edges=1\n0\t1\t\n", "", "edges.tsv:2:5: expected a probability, got ''"},
      {"header claims more edges than bytes allow", "# nodes=3 edges=99999999999\n", "", "edges.tsv:1: header says 99999999999 edges, but the file has only 28 bytes"},
      {"header claims too many nodes", "# nodes=99999999999 edges=0\n", "", "edges.tsv:1: header says 99999999999 nodes, more than the limit of 50000000 (edge_list_options::max_nodes)"},
      {"header claims nodes no edge can touch", "# nodes=40000000 edges=1\n0\t1\t0.5\n", "",
       "edges.tsv:1: header says 40000000 nodes but only 1 edges: more than 1000000 nodes would have no edge (edge_list_options::max_isolated_nodes)"},
      {"source out of range", "# nodes=3 edges=0\n", "0\n5\n", "sources.txt:2: node id 5 out of range [0,3)"},
      {"source not a number", "# nodes=3 edges=0\n", "zero\n", "sources.txt:1: expected a node id (an integer), got 'zero'"},
      {"duplicate source", "# nodes=3 edges=0\n", "1\n1\n", "sources.txt:2: duplicate node id 1"},
      {"target out of range", "# nodes=3 edges=0\n", "", "targets.txt:1: node id 7 out of range [0,3)", "7\n"},
      {"target not a number", "# nodes=3 edges=0\n", "", "targets.txt:2: expected a node id (an integer), got '-1'", "# jewels\n-1\n"},
      {"duplicate target", "# nodes=3 edges=0\n", "", "targets.txt:3: duplicate node id 2", "2\n\n2\n"},
      {"target id overflows", "# nodes=3 edges=0\n", "", "targets.txt:1: expected a node id (an integer), got '18446744073709551616'", "18446744073709551616\n"},
      {"node count overflows", "# nodes=18446744073709551616 edges=0\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=18446744073709551616 edges=0'"},
      {"edge count overflows", "# nodes=3 edges=18446744073709551616\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=3 edges=18446744073709551616'"},
      {"largest node count", "# nodes=18446744073709551615 edges=0\n", "", "edges.tsv:1: header says 18446744073709551615 nodes, more than the limit of 50000000 (edge_list_options::max_nodes)"},
      {"largest edge count", "# nodes=3 edges=18446744073709551615\n", "", "edges.tsv:1: header says 18446744073709551615 edges, but the file has only 37 bytes"},
      {"trailing junk in header", "# nodes=3 edges=1 x\n0\t1\t0.5\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=3 edges=1 x'"},
      {"header keys repeated", "# nodes=3 edges=1 edges=1\n0\t1\t0.5\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=3 edges=1 edges=1'"},
      {"plus sign in header", "# nodes=+3 edges=1\n0\t1\t0.5\n", "", "edges.tsv:1: expected the header '# nodes=N edges=M', got '# nodes=+3 edges=1'"},
      {"long field is cut", "# nodes=3 edges=1\n" + std::string(100, '7') + "\t1\t0.5\n", "", "edges.tsv:2:1: expected a source node id, got '" + std::string(40, '7') + "...'"},
  };
  for (const bad& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    const auto dir = folder_with("bad", c.edges, c.sources, c.targets);
    try {
      (void)read_edge_list(dir);
      FAIL("no error");
    } catch (const input_error& e) {
      // Messages start with the file's full path; compare from its name on.
      const std::string what = e.what();
      const std::string file_name = c.message.substr(0, c.message.find(':'));
      CHECK(what.substr(what.find(file_name)) == c.message);
      CHECK(e.where().file.ends_with(file_name));
    }
  }
}

TEST_CASE("self-loops and cycles are edges like any other") {
  // A self-loop cannot lengthen a simple path, but it is data the writer produced: kept, not dropped.
  const twin t = read_edge_list(folder_with("self_loop", "# nodes=2 edges=3\n0\t0\t0.5\n0\t1\t1\n1\t0\t0.25\n"));
  CHECK(t.num_edges() == 3);
  CHECK(rows(t) == std::multiset<edge_row>{{"0", "0", 0.5}, {"0", "1", 1.0}, {"1", "0", 0.25}});
}

TEST_CASE("a folder or path without edges.tsv names the file it looked for") {
  const auto dir = twinrisk_test::scratch_dir("edge_list_no_edges");
  write_text(dir / "sources.txt", "0\n");
  CHECK_THROWS_WITH_AS((void)read_edge_list(dir), ((dir / "edges.tsv").string() + ": cannot open: No such file or directory").c_str(),
                       input_error);
  CHECK_THROWS_WITH_AS((void)read_edge_list(dir / "missing.tsv"),
                       ((dir / "missing.tsv").string() + ": cannot open: No such file or directory").c_str(), input_error);
}

TEST_CASE("the node limit can be raised or lowered") {
  const auto dir = folder_with("limit", "# nodes=10 edges=0\n");
  CHECK_THROWS_AS((void)read_edge_list(dir, {.max_nodes = 5}), input_error);
  CHECK(read_edge_list(dir, {.max_nodes = 10}).num_nodes() == 10);
  // Isolated nodes: 10 nodes, no edge, allowed up to max_isolated_nodes.
  CHECK_THROWS_WITH_AS((void)read_edge_list(dir, {.max_isolated_nodes = 8}), doctest::Contains("more than 8 nodes would have no edge"), input_error);
  CHECK(read_edge_list(dir, {.max_isolated_nodes = 10}).num_nodes() == 10);
}
