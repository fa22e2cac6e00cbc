// The edge-list exchange format: edges.tsv, then optionally sources.txt and targets.txt after
// NUL separators. The node limit is lowered so a header cannot ask for gigabytes.
#include "fuzz_support.hpp"
#include "twinrisk/io/edge_list.hpp"

namespace {
void read(std::string_view input) {
  twinrisk::edge_list_texts in{.edges = input};
  if (const auto first = input.find('\0'); first != std::string_view::npos) {
    in.edges = input.substr(0, first);
    std::string_view rest = input.substr(first + 1);
    const auto second = rest.find('\0');
    in.sources = rest.substr(0, second);
    if (second != std::string_view::npos) in.targets = rest.substr(second + 1);
  }
  (void)twinrisk::parse_edge_list(in, {.max_nodes = 100'000});
}
}  // namespace

TWINRISK_FUZZ_TARGET(edge_list, read(input))
