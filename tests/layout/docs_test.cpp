// The documents say what the code does: the node and edge kinds listed in docs/formats.md are
// exactly model/kinds.hpp's, in its order; every C++ block of
// the README and docs/ is quoted from a compiled, tested example.

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

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

/// A C++ block of a document and what it says it quotes.
struct quoted_block {
  std::string document, quotes, text;  ///< quotes: "examples/03_attack_paths.cpp#top-paths", or empty
  std::size_t line = 0;
};

/// The ```cpp blocks of `text`, each with the `<!-- snippet: FILE#NAME -->` line right before it.
std::vector<quoted_block> cpp_blocks(const std::string& document, const std::string& text) {
  std::vector<quoted_block> blocks;
  std::istringstream in(text);
  std::string line, previous;
  std::size_t number = 0;
  const std::regex marker(R"(<!-- snippet: (\S+) -->)");
  while (std::getline(in, line)) {
    ++number;
    if (line == "```cpp") {
      quoted_block b{document, "", "", number};
      std::smatch m;
      if (std::regex_match(previous, m, marker)) b.quotes = m[1];
      while (std::getline(in, line) && line != "```") {
        ++number;
        b.text += line + "\n";
      }
      ++number;
      blocks.push_back(std::move(b));
    }
    previous = line;
  }
  return blocks;
}

/// The lines of `source` between its two `//! [name]` lines, less their common indentation.
std::string snippet(const std::string& source, const std::string& name) {
  std::istringstream in(source);
  std::vector<std::string> lines;
  int markers = 0;
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, std::string::npos, "//! [" + name + "]") == 0) {
      ++markers;
      continue;
    }
    if (markers == 1) lines.push_back(line);
  }
  if (markers != 2) return "(" + std::to_string(markers) + " markers //! [" + name + "])";
  std::size_t indent = std::string::npos;
  for (const std::string& l : lines)
    if (const auto first = l.find_first_not_of(' '); first != std::string::npos) indent = std::min(indent, first);
  std::string out;
  for (const std::string& l : lines) out += (l.size() > indent ? l.substr(indent) : std::string()) + "\n";
  return out;
}

}  // namespace

TEST_CASE("docs: every C++ block of the README and docs/ is quoted from an example that CI builds and runs") {
  const std::filesystem::path root = twinrisk_test::source_dir();
  std::vector<std::filesystem::path> documents{root / "README.md"};
  for (const auto& entry : std::filesystem::directory_iterator(root / "docs"))
    if (entry.path().extension() == ".md") documents.push_back(entry.path());
  std::size_t quoted = 0;
  for (const auto& path : documents)
    for (const quoted_block& b : cpp_blocks(path.filename().string(), twinrisk::detail::read_file(path))) {
      INFO(b.document, " line ", b.line, ": ", b.quotes);
      REQUIRE_MESSAGE(!b.quotes.empty(), "a C++ block without a <!-- snippet: examples/FILE.cpp#NAME --> line before it");
      const auto hash = b.quotes.find('#');
      REQUIRE(hash != std::string::npos);
      CHECK(b.text == snippet(twinrisk::detail::read_file(root / b.quotes.substr(0, hash)), b.quotes.substr(hash + 1)));
      ++quoted;
    }
  CHECK(quoted >= 10);

  SUBCASE("a block that drifted from its example is seen") {
    const std::string example = "int main() {\n  //! [x]\n  f(1);\n    g();\n  //! [x]\n}\n";
    CHECK(snippet(example, "x") == "f(1);\n  g();\n");
    CHECK(snippet(example, "y") == "(0 markers //! [y])");
    const auto blocks = cpp_blocks("d.md", "text\n<!-- snippet: examples/a.cpp#x -->\n```cpp\nf(2);\n```\n\n```cpp\nh();\n```\n");
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].quotes == "examples/a.cpp#x");
    CHECK(blocks[0].text == "f(2);\n");
    CHECK(blocks[1].quotes.empty());
  }
}

TEST_CASE("docs: docs/formats.md lists exactly the kinds of model/kinds.hpp (the schema: tests/io/twin_json_test.cpp)") {
  const std::string formats = twinrisk::detail::read_file(twinrisk_test::source_dir() / "docs/formats.md");
  CHECK(listed_after(formats, "Node kinds:") == names_of(twinrisk::node_kind_names));
  CHECK(listed_after(formats, "Edge kinds:") == names_of(twinrisk::edge_kind_names));


  SUBCASE("a name missing from the list is seen") {
    CHECK(listed_after("x\nEdge kinds: `generic`, `member_of`.\n\nmore `admin_to`", "Edge kinds:") ==
          std::vector<std::string>{"generic", "member_of"});
  }
}
