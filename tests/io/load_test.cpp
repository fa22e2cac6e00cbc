#include <fstream>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/load.hpp"

using namespace twinrisk;

TEST_CASE("load_twin picks the reader by path") {
  CHECK(load_twin(twinrisk_test::sample_twin_path()).num_nodes() == 688);
  const auto dir = twinrisk_test::scratch_dir("load_folder");
  write_edge_list(twinrisk_test::small_twin(), dir);
  CHECK(load_twin(dir).num_edges() == 3);
  CHECK(load_twin(dir / "edges.tsv").num_edges() == 3);
}

TEST_CASE("load_twin explains paths it cannot use") {
  const auto dir = twinrisk_test::scratch_dir("load_bad");
  CHECK_THROWS_WITH_AS((void)load_twin(dir / "missing.twin.json"),
                       ((dir / "missing.twin.json").string() + ": no such file or folder").c_str(), input_error);
  CHECK_THROWS_WITH_AS(
      (void)load_twin(dir),
      (dir.string() + ": expected a .twin.json file or a folder with edges.tsv; the folder has no edges.tsv").c_str(),
      input_error);
  std::ofstream(dir / "twin.xml") << "<twin/>";
  CHECK_THROWS_WITH_AS(
      (void)load_twin(dir / "twin.xml"),
      ((dir / "twin.xml").string() + ": expected a .twin.json file, an edges.tsv file or an edge-list folder").c_str(),
      input_error);
}

TEST_CASE("load_twin passes the readers' errors on, naming the full path") {
  const auto dir = twinrisk_test::scratch_dir("load_reader_errors");
  std::ofstream(dir / "edges.tsv") << "# nodes=2 edges=1\n0\t1\t2\n";
  CHECK_THROWS_WITH_AS((void)load_twin(dir), ((dir / "edges.tsv").string() + ":2:5: probability 2 not in [0,1]").c_str(), input_error);
  std::ofstream(dir / "t.twin.json") << "{\"twinrisk\":1,\"nodes\":[],\"edges\":[],\"metadata\":" << std::string(300, '[')
                                     << std::string(300, ']') << "}";
  CHECK_THROWS_WITH_AS(
      (void)load_twin(dir / "t.twin.json"),
      ((dir / "t.twin.json").string() + ":1:303: expected arrays and objects nested at most 256 levels deep, found more").c_str(),
      input_error);
}
