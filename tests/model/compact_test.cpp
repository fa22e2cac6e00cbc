#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "twinrisk/model/compact.hpp"
#include "twinrisk/model/edge.hpp"
#include "twinrisk/model/node.hpp"

using namespace twinrisk;

TEST_CASE("compact_vector is a pointer wide and behaves as a vector value") {
  static_assert(sizeof(compact_vector<std::string>) == sizeof(void*));
  compact_vector<std::string> a;
  CHECK(a.empty());
  CHECK(a.size() == 0);
  CHECK(a.begin() == a.end());
  a.push_back("x");
  a.emplace_back("y");
  CHECK(a.size() == 2);
  CHECK(a[1] == "y");
  compact_vector<std::string> b = a;  // deep copy
  b[0] = "changed";
  CHECK(a[0] == "x");
  CHECK_FALSE(a == b);
  b = a;
  CHECK(a == b);
  CHECK(a.to_vector() == std::vector<std::string>{"x", "y"});
  compact_vector<std::string> moved = std::move(b);
  CHECK(moved.size() == 2);
  const compact_vector<int> from_list{1, 2, 3};
  int sum = 0;
  for (int x : from_list) sum += x;
  CHECK(sum == 6);
  CHECK(compact_vector<int>{} == compact_vector<int>(std::vector<int>{}));  // empty equals empty
  a.clear();
  CHECK(a.empty());
}

TEST_CASE("boxed is a pointer wide and reads like std::optional") {
  static_assert(sizeof(boxed<loss_magnitude>) == sizeof(void*));
  boxed<int> none;
  CHECK_FALSE(none);
  CHECK_FALSE(none.has_value());
  boxed<int> five = 5;
  CHECK(*five == 5);
  boxed<int> copy = five;
  *copy = 6;
  CHECK(*five == 5);
  CHECK_FALSE(copy == five);
  CHECK(boxed<int>(std::nullopt) == none);
  copy.reset();
  CHECK(copy == none);
}

TEST_CASE("bundles stay small, so million-edge twins fit in memory") {
  // Regression guard for the layout chosen in model/compact.hpp (10M edges: 48 B each, not 128 B:
  // kind, probability and four one-pointer members — vulnerabilities, evidence, controls, hours).
  CHECK(sizeof(edge) <= 48);
  CHECK(sizeof(node) <= 176);  // 160 until tier_zero (one pointer) came: x86-64 pads it to 16
}
