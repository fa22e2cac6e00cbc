#pragma once
/// What the scan readers (Nessus, OpenVAS/GVM, Nmap) share: the options, the hosts a report
/// describes, and how they join a twin — matched to its nodes or added, with one edge per
/// vulnerable service from the scanner's vantage point.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/cve_ids.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/cvss/cvss.hpp"
#include "twinrisk/cvss/cvss31.hpp"
#include "twinrisk/io/edge_list.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// How scan findings join a twin.
struct scan_options {
  /// Id of the node that stands for where the scanner sat (e.g. "internet" for an external scan,
  /// a network segment for an internal one). Empty: a new `network_segment` node per report
  /// ("scan:<report name>"), marked as an entry point: what the scanner reached, an attacker there can.
  std::string from{};
  int min_severity = 1;  ///< findings below (0 info, 1 low, 2 medium, 3 high, 4 critical) are counted, not imported
  /// Base probability of the `network_reach` edge to a host whose open ports (Nmap) show no CVE:
  /// that weak credentials, a misconfiguration or an unpublished flaw in a reachable service lets
  /// an attacker in. A rule of thumb, not a measurement.
  double reach_probability = 0.05;
};

namespace detail {

/// One scanned host as a report describes it.
struct scan_host {
  std::string name{}, ip{}, fqdn{}, netbios{}, os{};
  std::vector<std::string> aliases{};  // more names it may have in the twin (host names, IPv6, MAC)
  nlohmann::json properties = nlohmann::json::object();  // more to keep on a node it adds (Nmap's services)
  std::map<std::string, std::vector<vulnerability>> services{};  // service -> CVEs (sorted, unique)
  std::set<std::string> reachable{};  // open services without CVEs: one network_reach edge
  std::string report{};               // names the vantage point; empty: the scanner's name
  const char* scanner = "Nessus";

  /// Adds `cves` with `vector` to `service`, keeping the list sorted and each CVE once.
  void add_vulnerabilities(const std::string& service, const std::vector<std::string>& cves, const std::string& vector) {
    auto& vulns = services[service];
    for (const std::string& cve : cves) {
      const auto same = [&](const vulnerability& x) { return x.cve == cve; };
      if (std::find_if(vulns.begin(), vulns.end(), same) == vulns.end()) vulns.push_back({cve, vector});
    }
    std::sort(vulns.begin(), vulns.end(), [](const auto& a, const auto& b) { return a.cve < b.cve; });
  }
};

/// The severity level (0 info, 1 low, 2 medium, 3 high, 4 critical) of a CVSS-like score in
/// [0, 10], by CVSS v3's qualitative bands (none, low < 4, medium < 7, high < 9, critical).
[[nodiscard]] inline int severity_level(double score) { return static_cast<int>(cvss_severity_of(score)); }

/// Parses a score in [`lo`, 10] ("7.5"); false on anything else.
[[nodiscard]] inline bool parse_score(std::string_view text, double& score, double lo = 0.0) {
  return parse_double(text, score) && score >= lo && score <= 10.0;
}

/// `v` checked as a CVSS v3 or v4 vector; the reason it is not, or "".
[[nodiscard]] inline std::string cvss_problem(const std::string& v) {
  try {
    (void)score_cvss(v);
  } catch (const input_error& bad) {
    return "bad CVSS v3 vector \"" + v + "\": " + bad.reason();
  }
  return {};
}

/// The error a reader reports for a CVE reference that is not a CVE id.
[[nodiscard]] inline std::string bad_cve(const std::string& v) {
  return "expected a CVE id such as CVE-2024-4577, got \"" + v + "\"";
}

/// The part of a report's file name that names its vantage point ("scans/dmz.xml" -> "dmz").
[[nodiscard]] inline std::string report_name_of_file(const std::string& file) {
  return std::filesystem::path(file.substr(file.rfind(':') == std::string::npos ? 0 : file.rfind(':') + 1)).stem().string();
}

/// The hosts of every report read, and the account of the reading; `finish` joins them to a twin.
class scan_collector {
 public:
  /// `format` names the summary when no report was read (else the formats read, "nessus+nmap").
  /// Throws: input_error when `options.from` names no node of `base`.
  scan_collector(const twin& base, scan_options options, std::string format)
      : base_(base), options_(std::move(options)), default_format_(std::move(format)) {
    summary_.format = default_format_;
    if (!options_.from.empty() && !base_.find(options_.from))
      throw input_error({.pointer = "from"}, "no node has the id '" + options_.from + "'");
    if (!(options_.reach_probability >= 0.0 && options_.reach_probability <= 1.0))
      throw input_error({.pointer = "reach_probability"}, "expected a probability in [0, 1]");
  }

  [[nodiscard]] const scan_options& options() const noexcept { return options_; }
  [[nodiscard]] import_summary& summary() noexcept { return summary_; }
  void add_host(scan_host h) { hosts_.push_back(std::move(h)); }

  /// Counts one report of `format` read.
  void report_read(const std::string& format) {
    ++summary_.files;
    if (std::find(formats_.begin(), formats_.end(), format) == formats_.end()) formats_.push_back(format);
  }

  /// The twin with the scanned hosts and their findings.
  /// Throws: input_error as the builder does (it should not: ids are made unique here).
  [[nodiscard]] import_result finish() && {
    if (!formats_.empty()) {
      summary_.format.clear();
      for (const std::string& f : formats_) summary_.format += (summary_.format.empty() ? "" : "+") + f;
    }
    twin_builder b = builder_from(base_);
    // Names by which a scanned host may already be in the twin.
    std::map<std::string, std::size_t, std::less<>> known;
    for (auto v : base_.vertices()) {
      known.emplace(lower_case_ascii(base_.id(v)), v);
      if (!base_[v].name.empty()) known.emplace(lower_case_ascii(base_[v].name), v);
    }
    std::map<std::string, std::string> vantage;  // report name -> node id
    auto vantage_of = [&](const scan_host& h) {
      if (!options_.from.empty()) return options_.from;
      const std::string report = h.report.empty() ? lower_case_ascii(h.scanner) : h.report;
      auto it = vantage.find(report);
      if (it != vantage.end()) return it->second;
      std::string id = "scan:" + report;
      if (!base_.find(id) && added_.count(id) == 0) {
        b.add_node(id, {.name = "Scanner vantage point (" + (h.report.empty() ? std::string(h.scanner) : h.report) + ")",
                        .kind = node_kind::network_segment, .entry_point = true});
        added_.insert(id);
        ++summary_.records_by_type["vantage points added"];
      }
      return vantage.emplace(report, id).first->second;
    };
    for (scan_host& h : hosts_) {
      const std::string id = node_of(h, known, b);
      const std::string from = vantage_of(h);
      for (auto& [service, vulns] : h.services) {
        if (!edges_added_.insert(from + '\n' + id + '\n' + service).second) {
          ++summary_.duplicate_edges;  // the same service of the same host in another report
          continue;
        }
        b.add_edge(from, id, {.kind = edge_kind::exploits, .probability = 1.0, .vulnerabilities = std::move(vulns)});
        ++summary_.edges_by_kind["exploits"];
        summary_.default_probabilities["exploits"] = 1.0;  // no estimate: the exploitability policy scores the CVEs
      }
      if (!h.reachable.empty()) {
        if (!edges_added_.insert(from + '\n' + id + '\n').second) {
          ++summary_.duplicate_edges;
          continue;
        }
        b.add_edge(from, id, {.kind = edge_kind::network_reach, .probability = options_.reach_probability});
        ++summary_.edges_by_kind["network_reach"];
        summary_.default_probabilities["network_reach"] = options_.reach_probability;
      }
    }
    b.set_metadata([&] {
      nlohmann::json m = base_.info().metadata.is_object() ? base_.info().metadata : nlohmann::json::object();
      m["scan_import"] = nlohmann::json(summary_.to_json());
      return m;
    }());
    import_result r{std::move(b).build(), summary_};
    r.summary.nodes = r.twin.num_nodes();
    r.summary.edges = r.twin.num_edges();
    r.summary.entry_points = r.twin.entry_points().size();
    r.summary.crown_jewels = r.twin.crown_jewels().size();
    return r;
  }

 private:
  // The twin's node for `h`, matched by FQDN, name, NetBIOS name, IP, then its aliases (any case),
  // or added as "host:<ip>".
  std::string node_of(const scan_host& h, const std::map<std::string, std::size_t, std::less<>>& known, twin_builder& b) {
    std::vector<std::string> keys{h.fqdn, h.name, h.netbios, h.ip};
    keys.insert(keys.end(), h.aliases.begin(), h.aliases.end());
    for (const std::string& key : keys) {
      if (key.empty()) continue;
      if (const auto it = known.find(lower_case_ascii(key)); it != known.end()) {
        ++summary_.records_by_type["hosts matched"];
        return base_.id(it->second);
      }
    }
    std::string id = "host:" + (h.ip.empty() ? h.name : h.ip);
    if (added_.count(id) == 0) {
      node n{.name = !h.fqdn.empty() ? h.fqdn : h.name, .kind = kind_of(h.os)};
      n.properties = nlohmann::json::object();
      for (const auto& [k, v] :
           {std::pair{"host-ip", h.ip}, {"host-fqdn", h.fqdn}, {"netbios-name", h.netbios}, {"operating-system", h.os}})
        if (!v.empty()) n.properties[k] = v;
      n.properties.update(h.properties);
      b.add_node(id, std::move(n));
      added_.insert(id);
      ++summary_.records_by_type["hosts added"];
    }
    return id;
  }

  static node_kind kind_of(const std::string& os) {
    const std::string s = lower_case_ascii(os);
    if (s.empty()) return node_kind::host;
    if (s.find("server") != std::string::npos || s.find("linux") != std::string::npos || s.find("unix") != std::string::npos ||
        s.find("bsd") != std::string::npos)
      return node_kind::server;
    if (s.find("windows") != std::string::npos || s.find("mac os") != std::string::npos) return node_kind::workstation;
    return node_kind::host;
  }

  const twin& base_;
  scan_options options_;
  std::string default_format_;
  std::vector<std::string> formats_;  // the formats read, in order
  import_summary summary_;
  std::vector<scan_host> hosts_;
  std::set<std::string> added_;  // ids of the nodes this import added
  std::set<std::string> edges_added_;
};

}  // namespace detail
}  // namespace twinrisk
