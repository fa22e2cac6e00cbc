// The documents say what the code does: the node and edge kinds listed in docs/formats.md and in
// the twin format's JSON Schema are exactly model/kinds.hpp's, in its order.

#include <regex>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test_twins.hpp"
#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/model/kinds.hpp"

namespace {

/// The backquoted names of the paragraph that starts with `lead` in `text`, up to the blank line.
std::vector<std::string> listed_after(const std::string& text, const std::string& lead) {
  const auto start = text.find("\n" + lead);
  INFO("a paragraph starting with: ", lead);
  REQUIRE(start != std::string::npos);
  const auto end = text.find("\n\n", start + 1);
  const std::string paragraph = text.substr(start, end - start);
  std::vector<std::string> names;
  const std::regex quoted("`([a-z_0-9]+)`");
  for (auto it = std::sregex_iterator(paragraph.begin(), paragraph.end(), quoted); it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1]);
  return names;
}

template <class Table>
std::vector<std::string> names_of(const Table& table) {
  return {table.names.begin(), table.names.end()};
}

}  // namespace

TEST_CASE("docs: docs/formats.md and the twin schema list exactly the kinds of model/kinds.hpp") {
  const std::string formats = twinrisk::detail::read_file(twinrisk_test::source_dir() / "docs/formats.md");
  CHECK(listed_after(formats, "Node kinds:") == names_of(twinrisk::node_kind_names));
  CHECK(listed_after(formats, "Edge kinds:") == names_of(twinrisk::edge_kind_names));

  const auto schema = nlohmann::json::parse(twinrisk::detail::read_file(twinrisk_test::source_dir() / "examples/data/twin.schema.json"));
  CHECK(schema["$defs"]["node"]["properties"]["kind"]["enum"].get<std::vector<std::string>>() == names_of(twinrisk::node_kind_names));
  CHECK(schema["$defs"]["edge"]["properties"]["kind"]["enum"].get<std::vector<std::string>>() == names_of(twinrisk::edge_kind_names));

  SUBCASE("a name missing from the list is seen") {
    CHECK(listed_after("x\nEdge kinds: `generic`, `member_of`.\n\nmore `admin_to`", "Edge kinds:") ==
          std::vector<std::string>{"generic", "member_of"});
  }
}
