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
