// The include graph follows the layer order that docs/architecture.md states ("Layers"): a
// header includes headers of its own layer or lower, never higher; and the umbrella header
// includes every public header.

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/detail/file_io.hpp"

namespace fs = std::filesystem;

namespace {

/// The layers, lowest first, from the numbered list under "## Layers" in docs/architecture.md:
/// items start with the layer's name in backquotes (`base`, `cvss/`, `model/`, ...).
std::vector<std::string> documented_layers(const std::string& architecture) {
  const auto section = architecture.find("\n## Layers");
  REQUIRE_MESSAGE(section != std::string::npos, "docs/architecture.md has no \"## Layers\" section");
  const auto end = architecture.find("\n## ", section + 1);
  const std::string text = architecture.substr(section, end == std::string::npos ? std::string::npos : end - section);
  std::vector<std::string> layers;
  const std::regex item(R"(\n\d+\. `([a-z0-9_]+)/?`)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), item); it != std::sregex_iterator(); ++it)
    layers.push_back((*it)[1]);
  return layers;
}

/// The layer a header (path below include/, "twinrisk/...") belongs to: its folder under
/// twinrisk/, with twinrisk/detail/ and the top-level headers in `base`.
std::string layer_of(const std::string& header) {
  const auto rest = header.substr(std::string("twinrisk/").size());
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return "base";
  const std::string folder = rest.substr(0, slash);
  return folder == "detail" ? "base" : folder;
}

std::vector<std::string> twinrisk_includes(const std::string& text) {
  std::vector<std::string> out;
  const std::regex include(R"(#include ["<](twinrisk/[^">]+)[">])");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), include); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

/// "A includes B" lines for every include of a higher layer, given each header's text.
std::vector<std::string> upward_includes(const std::map<std::string, std::string>& headers, const std::vector<std::string>& layers) {
  const auto rank = [&](const std::string& header) {
    const auto it = std::find(layers.begin(), layers.end(), layer_of(header));
    return it == layers.end() ? -1 : static_cast<int>(it - layers.begin());
  };
  std::vector<std::string> bad;
  for (const auto& [header, text] : headers) {
    if (header == "twinrisk/twinrisk.hpp") continue;  // the umbrella is above every layer
    if (rank(header) < 0) {
      bad.push_back(header + " is in no documented layer");
      continue;
    }
    for (const std::string& included : twinrisk_includes(text))
      if (rank(included) > rank(header)) bad.push_back(header + " includes " + included);
  }
  return bad;
}

std::map<std::string, std::string> public_headers() {
  const fs::path include = twinrisk_test::source_dir() / "include";
  std::map<std::string, std::string> headers;
  for (const auto& entry : fs::recursive_directory_iterator(include / "twinrisk"))
    if (entry.is_regular_file() && entry.path().extension() == ".hpp")
      headers[entry.path().lexically_relative(include).generic_string()] = twinrisk::detail::read_file(entry.path());
  return headers;
}

}  // namespace

TEST_CASE("layers: no header includes a higher layer than its own (docs/architecture.md)") {
  const auto layers = documented_layers(twinrisk::detail::read_file(twinrisk_test::source_dir() / "docs/architecture.md"));
  REQUIRE(layers.size() >= 8);
  CHECK(layers.front() == "base");
  CHECK(layers.back() == "report");
  const auto headers = public_headers();
  REQUIRE(headers.size() > 50);
  const std::vector<std::string> none;
  CHECK(upward_includes(headers, layers) == none);

  SUBCASE("the check sees a violation and a header outside every layer") {
    const std::map<std::string, std::string> planted = {
        {"twinrisk/model/twin.hpp", "#include \"twinrisk/report/report.hpp\"\n#include \"twinrisk/detail/file_io.hpp\"\n"},
        {"twinrisk/detail/x.hpp", "#include <twinrisk/cvss/cvss.hpp>\n"},
        {"twinrisk/gui/window.hpp", ""}};
    CHECK(upward_includes(planted, layers) ==
          std::vector<std::string>{"twinrisk/detail/x.hpp includes twinrisk/cvss/cvss.hpp", "twinrisk/gui/window.hpp is in no documented layer",
                                   "twinrisk/model/twin.hpp includes twinrisk/report/report.hpp"});
  }
}

TEST_CASE("layers: the umbrella header includes every public header") {
  const auto headers = public_headers();
  const auto included = twinrisk_includes(headers.at("twinrisk/twinrisk.hpp"));
  for (const auto& [header, text] : headers) {
    if (header == "twinrisk/twinrisk.hpp" || header.find("/detail/") != std::string::npos) continue;
    CAPTURE(header);
    CHECK(std::find(included.begin(), included.end(), header) != included.end());
  }
}
