#include <doctest/doctest.h>

#include "twinrisk/model/node_names.hpp"
#include "twinrisk/model/twin_builder.hpp"

using namespace twinrisk;

namespace node_names_tests {

twin named() {
  twin_builder b;
  b.add_node("S-1-5-21-9-1105", {.name = "JON.SNOW@NORTH.LOCAL"});
  b.add_node("S-1-5-21-9-1106", {.name = "Ben Tanaka"});
  b.add_node("S-1-5-21-9-1107", {.name = "BEN TANAKA"});
  b.add_node("db", {});
  b.add_node("web", {.name = "web"});
  return b.build();
}

TEST_CASE("labels: names, the id where a name is missing, both where names collide") {
  const twin t = named();
  CHECK(node_labels(t) == std::vector<std::string>{"JON.SNOW@NORTH.LOCAL", "Ben Tanaka [S-1-5-21-9-1106]",
                                                   "BEN TANAKA [S-1-5-21-9-1107]", "db", "web"});
}

TEST_CASE("find_node: an id, else a name in any case; unknown and ambiguous names are errors saying so") {
  const twin t = named();
  CHECK(find_node(t, "db") == t.at("db"));
  CHECK(find_node(t, "jon.snow@north.local") == t.at("S-1-5-21-9-1105"));
  CHECK(find_node(t, "S-1-5-21-9-1106") == t.at("S-1-5-21-9-1106"));
  CHECK_THROWS_WITH_AS((void)find_node(t, "arya", {.pointer = "--from"}), "--from: no node has the id or name 'arya'", input_error);
  CHECK_THROWS_WITH_AS((void)find_node(t, "ben tanaka", {.pointer = "--to"}),
                       "--to: the name 'ben tanaka' is ambiguous: 2 nodes bear it (ids S-1-5-21-9-1106, S-1-5-21-9-1107); give an id",
                       input_error);
}

}  // namespace node_names_tests
