#pragma once
/// The edge-list exchange format for large graphs: a folder holding
///   edges.tsv    "# nodes=N edges=M", then M lines "src<TAB>dst<TAB>prob" with ids 0..N-1
///   sources.txt  entry points, one id per line
///   targets.txt  crown jewels, one id per line
/// Node ids are the numbers as strings; kinds are `generic` (the format carries none).
///
///     twin t = read_edge_list("bench/data/medium");
///     write_edge_list(t, "out/");   // ids become vertex numbers

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "twinrisk/model/detail/bundle_checks.hpp"
#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

namespace detail {

/// Splits a text into lines, counting them from 1; accepts "\n" and "\r\n" endings.
class line_reader {
 public:
  explicit line_reader(std::string_view text) : text_(text) {}
  /// The next line without its ending; false at the end of the text.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = text_.find('\n', pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    line = text_.substr(pos_, stop - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = stop + 1;
    ++number_;
    return true;
  }
  [[nodiscard]] std::size_t number() const noexcept { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
};

/// Parses a whole field as an unsigned integer; false on anything else.
inline bool parse_index(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

/// Parses a whole field as a double (decimal or scientific); false on anything else.
inline bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

inline std::string shown(std::string_view s) {
  return "'" + std::string(s.substr(0, 40)) + (s.size() > 40 ? "...'" : "'");
}

/// The ids of a sources.txt / targets.txt text: one per line; blank lines and '#' comments skipped.
inline std::vector<std::size_t> parse_id_list(std::string_view text, const std::string& file, std::size_t n) {
  std::vector<std::size_t> ids;
  std::vector<bool> seen(n, false);
  line_reader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    if (line.empty() || line.front() == '#') continue;
    std::uint64_t id = 0;
    if (!parse_index(line, id))
      throw input_error({.file = file, .line = lines.number()}, "expected a node id (an integer), got " + shown(line));
    if (id >= n)
      throw input_error({.file = file, .line = lines.number()},
                        "node id " + std::to_string(id) + " out of range [0," + std::to_string(n) + ")");
    if (seen[id])
      throw input_error({.file = file, .line = lines.number()}, "duplicate node id " + std::to_string(id));
    seen[id] = true;
    ids.push_back(static_cast<std::size_t>(id));
  }
  return ids;
}

}  // namespace detail

/// Limits that keep a hostile or mistaken header from exhausting memory.
struct edge_list_options {
  std::size_t max_nodes = 50'000'000;  ///< a node costs about 350 bytes in a `twin`
  /// Nodes the header may declare beyond the 2 · edges that edges can touch: without this a
  /// one-line file could ask for max_nodes nodes (gigabytes) that no edge uses.
  std::size_t max_isolated_nodes = 1'000'000;
};

/// The texts of an edge-list folder: edges.tsv, and sources.txt / targets.txt when present.
struct edge_list_texts {
  std::string_view edges;
  std::string edges_file{"edges.tsv"};
  std::optional<std::string_view> sources{}, targets{};
  std::string sources_file{"sources.txt"}, targets_file{"targets.txt"};
};

/// Parses an edge list from its texts (`read_edge_list` reads them from a folder).
/// Throws: input_error with file and line on a bad or missing header, a count that does not
/// match the header (a truncated file is an error, not a smaller graph), a missing column, an id
/// out of range, a probability that is not a number in [0,1] (NaN included), or extra text.
/// Complexity: O(N + M); one pass over the text, no per-edge allocation.
[[nodiscard]] inline twin parse_edge_list(const edge_list_texts& in, const edge_list_options& options = {}) {
  const std::string& file = in.edges_file;
  const std::string_view text = in.edges;

  detail::line_reader lines(text);
  std::string_view line;
  unsigned long long n = 0, m = 0;
  {
    const bool has_line = lines.next(line);
    constexpr std::string_view nodes_key = "# nodes=", edges_key = " edges=";
    const std::size_t at = has_line ? line.find(edges_key) : std::string_view::npos;
    std::uint64_t nn = 0, mm = 0;
    if (!has_line || line.substr(0, nodes_key.size()) != nodes_key || at == std::string_view::npos ||
        !detail::parse_index(line.substr(nodes_key.size(), at - nodes_key.size()), nn) ||
        !detail::parse_index(line.substr(at + edges_key.size()), mm))
      throw input_error({.file = file, .line = 1},
                        "expected the header '# nodes=N edges=M', got " + detail::shown(has_line ? line : ""));
    n = nn;
    m = mm;
  }
  // Each edge line takes at least 6 bytes ("0\t0\t1\n"): a header claiming more is wrong, and
  // reserving for it would exhaust memory.
  if (m > text.size() / 6 + 1)
    throw input_error({.file = file, .line = 1}, "header says " + std::to_string(m) + " edges, but the file has only " +
                                                     std::to_string(text.size()) + " bytes");
  if (n > options.max_nodes)
    throw input_error({.file = file, .line = 1}, "header says " + std::to_string(n) + " nodes, more than the limit of " +
                                                     std::to_string(options.max_nodes) + " (edge_list_options::max_nodes)");
  if (n / 2 > m + options.max_isolated_nodes / 2)  // n > 2m + max_isolated_nodes, halved so it cannot overflow
    throw input_error({.file = file, .line = 1}, "header says " + std::to_string(n) + " nodes but only " + std::to_string(m) +
                                                     " edges: more than " + std::to_string(options.max_isolated_nodes) +
                                                     " nodes would have no edge (edge_list_options::max_isolated_nodes)");

  // Flags first, so each node is made once, in place.
  std::vector<char> entry(static_cast<std::size_t>(n), 0), jewel(static_cast<std::size_t>(n), 0);
  if (in.sources)
    for (std::size_t v : detail::parse_id_list(*in.sources, in.sources_file, entry.size())) entry[v] = 1;
  if (in.targets)
    for (std::size_t v : detail::parse_id_list(*in.targets, in.targets_file, jewel.size())) jewel[v] = 1;

  twin_builder b;
  b.reserve(static_cast<std::size_t>(n), static_cast<std::size_t>(m));
  for (std::size_t v = 0; v < n; ++v)
    b.add_node(std::to_string(v), node{.entry_point = entry[v] != 0, .crown_jewel = jewel[v] != 0});

  std::size_t count = 0;
  while (lines.next(line)) {
    const std::size_t at = lines.number();
    if (count == m) {  // only blank lines may follow the last edge
      if (line.empty()) continue;
      throw input_error({.file = file, .line = at}, "more edges than the header's " + std::to_string(m));
    }
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos || line.find('\t', t2 + 1) != std::string_view::npos)
      throw input_error({.file = file, .line = at},
                        "expected 3 tab-separated columns 'src dst prob', got " + detail::shown(line));
    std::uint64_t u = 0, v = 0;
    double p = 0.0;
    const std::string_view fu = line.substr(0, t1), fv = line.substr(t1 + 1, t2 - t1 - 1), fp = line.substr(t2 + 1);
    if (!detail::parse_index(fu, u))
      throw input_error({.file = file, .line = at, .column = 1}, "expected a source node id, got " + detail::shown(fu));
    if (!detail::parse_index(fv, v))
      throw input_error({.file = file, .line = at, .column = t1 + 2}, "expected a target node id, got " + detail::shown(fv));
    if (!detail::parse_double(fp, p))
      throw input_error({.file = file, .line = at, .column = t2 + 2}, "expected a probability, got " + detail::shown(fp));
    if (u >= n || v >= n)
      throw input_error({.file = file, .line = at}, "node id " + std::to_string(u >= n ? u : v) +
                                                        " out of range [0," + std::to_string(n) + ")");
    if (!(p >= 0.0 && p <= 1.0))
      throw input_error({.file = file, .line = at, .column = t2 + 2},
                        "probability " + detail::show_number(p) + " not in [0,1]");
    ++count;
    b.add_edge(static_cast<std::size_t>(u), static_cast<std::size_t>(v), edge{.probability = p});
  }
  if (count != m)
    throw input_error({.file = file, .line = lines.number()},
                      "header says " + std::to_string(m) + " edges, found " + std::to_string(count) + " (truncated file?)");

  return std::move(b).build();
}

/// Reads an edge-list folder (or the path of its edges.tsv). sources.txt and targets.txt are
/// optional; their ids become entry points and crown jewels.
/// Throws: input_error as `parse_edge_list`, or when a file cannot be read.
[[nodiscard]] inline twin read_edge_list(const std::filesystem::path& path, const edge_list_options& options = {}) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool is_folder = fs::is_directory(path, ec);
  const fs::path folder = is_folder ? path : path.parent_path();
  const fs::path edges_path = is_folder ? path / "edges.tsv" : path;
  const std::string edges = detail::read_file(edges_path);
  std::optional<std::string> sources, targets;
  if (fs::exists(folder / "sources.txt")) sources = detail::read_file(folder / "sources.txt");
  if (fs::exists(folder / "targets.txt")) targets = detail::read_file(folder / "targets.txt");
  edge_list_texts in{.edges = edges, .edges_file = edges_path.string(), .sources_file = (folder / "sources.txt").string(),
                     .targets_file = (folder / "targets.txt").string()};
  if (sources) in.sources = *sources;
  if (targets) in.targets = *targets;
  return parse_edge_list(in, options);
}

/// Writes `t` as an edge-list folder (created if needed): vertex numbers become the ids, and
/// only the structure, probabilities, entry points and crown jewels are kept. Each file is
/// written atomically. Throws: error when a file cannot be written.
inline void write_edge_list(const twin& t, const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw error(folder.string() + ": cannot create folder: " + ec.message());
  std::string out = "# nodes=" + std::to_string(t.num_nodes()) + " edges=" + std::to_string(t.num_edges()) + "\n";
  out.reserve(out.size() + 24 * t.num_edges());
  char buf[32];  // holds any size_t or double
  auto append = [&out, &buf](auto x, char end) {
    const auto r = std::to_chars(buf, buf + sizeof buf, x);  // doubles: the shortest exact form
    out.append(buf, r.ptr);
    out += end;
  };
  for (auto uv : t.edges()) {
    append(t.source(uv), '\t');
    append(t.target(uv), '\t');
    append(t[uv].probability, '\n');
  }
  detail::write_file_atomically(folder / "edges.tsv", out);
  auto id_list = [](const std::vector<std::size_t>& ids) {
    std::string s;
    for (std::size_t v : ids) s += std::to_string(v) + "\n";
    return s;
  };
  detail::write_file_atomically(folder / "sources.txt", id_list(t.entry_points()));
  detail::write_file_atomically(folder / "targets.txt", id_list(t.crown_jewels()));
}

}  // namespace twinrisk
