// io/importer.hpp: the importers meet the contract, and add_inputs walks files, folders (in name
// order, only the wanted extensions) and archives (through the reader given) the same for all.

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/bloodhound.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/nessus.hpp"
#include "twinrisk/io/opengraph.hpp"

namespace fs = std::filesystem;

static_assert(twinrisk::importer<twinrisk::bloodhound_importer>);
static_assert(twinrisk::importer<twinrisk::opengraph_importer>);
static_assert(twinrisk::importer<twinrisk::nessus_importer>);
static_assert(!twinrisk::importer<twinrisk::twin>);

namespace {

/// Records what it was given: "name=content" per input.
struct recording_importer {
  std::vector<std::string> seen;
  void add_stream(std::istream& in, const std::string& name) {
    seen.push_back(fs::path(name).filename().string() + "=" + std::string(std::istreambuf_iterator<char>(in), {}));
  }
  twinrisk::import_result finish() && { return {}; }
};
static_assert(twinrisk::importer<recording_importer>);

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("add_inputs: files as given, folders in name order with the wanted extensions, archives through the reader") {
  const fs::path dir = twinrisk_test::scratch_dir("importer_inputs");
  fs::create_directories(dir / "folder");
  write(dir / "folder/b.json", "B");
  write(dir / "folder/a.json", "A");
  write(dir / "folder/notes.txt", "not read");
  write(dir / "folder/c.zip", "zipped");
  write(dir / "single.json", "S");

  recording_importer plain;
  twinrisk::add_inputs(plain, {dir / "single.json", dir / "folder"});
  CHECK(plain.seen == std::vector<std::string>{"single.json=S", "a.json=A", "b.json=B"});

  recording_importer with_archives;
  std::vector<std::string> asked;
  const twinrisk::input_options o{.read_archive = [&](const fs::path& archive, const std::vector<std::string>& extensions,
                                                      const std::function<void(std::istream&, const std::string&)>& visit) {
    asked.push_back(archive.filename().string() + ":" + extensions.front());
    std::istringstream entry("E");
    visit(entry, archive.string() + ":entry.json");
  }};
  twinrisk::add_inputs(with_archives, {dir / "folder"}, o);
  CHECK(with_archives.seen == std::vector<std::string>{"a.json=A", "b.json=B", "c.zip:entry.json=E"});
  CHECK(asked == std::vector<std::string>{"c.zip:.json"});

  recording_importer none;
  fs::create_directories(dir / "empty");
  write(dir / "empty/readme.md", "nothing to import");
  CHECK_THROWS_WITH_AS(twinrisk::add_inputs(none, {dir / "empty"}),
                       ((dir / "empty").string() + ": the folder has no .json files").c_str(), twinrisk::input_error);
  CHECK_THROWS_AS(twinrisk::add_inputs(none, {dir / "missing.json"}), twinrisk::input_error);
}
