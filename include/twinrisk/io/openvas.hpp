#pragma once
/// Vulnerability-scan findings into a twin: OpenVAS / Greenbone (GVM) XML reports.
///
///     openvas_importer importer(t, {.from = "internet"});
///     add_file(importer, "gvm-report.xml");
///     auto [scanned, summary] = std::move(importer).finish();
///
/// A GVM report (`<report><report>...<results><result>`, as gvmd's XML report format and GMP's
/// get_reports write it) lists one `<result>` per finding: its `<host>` (an IP, with its
/// `<hostname>`), `<port>` ("445/tcp", or a pseudo-port such as "general/tcp"), `<severity>` (0 to
/// 10, after overrides; negative for false positives, debug and error results) and `<threat>`, and
/// its NVT with CVE references (`<refs><ref type="cve">`, or the `<cve>` list of older reports)
/// and CVSS vectors (`<severities><severity type="cvss_base_v3"><value>`, or the `cvss_base_vector`
/// tag). The `<result>` elements are trusted, never the summary counters (`<result_count>`,
/// `<vulns>`), which exports are known to get wrong. A report without results imports no finding.
///
/// As for Nessus (io/nessus.hpp): each host is matched to a node of the twin by id, name, host name
/// or IP, or added; each service with findings that name CVEs becomes one `exploits` edge from the
/// scanner's vantage point with base probability 1, carrying the CVEs and the CVSS v3/v4 vector
/// (v2 vectors are not kept: the policies score v3 and v4), for the exploitability policy to score.
/// A finding's level is its severity in CVSS v3's bands (0 log, 1 low < 4, 2 medium < 7, 3 high < 9,
/// 4 critical), compared with `scan_options::min_severity`.

#include <cstddef>
#include <filesystem>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/cve_ids.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/io/detail/scan_hosts.hpp"
#include "twinrisk/io/detail/xml_reader.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

namespace detail {

/// Reads one GVM/OpenVAS report (root element `report`, or GMP's `get_reports_response`).
class openvas_handler final : public xml_handler {
 public:
  static constexpr const char* expected = "expected an OpenVAS/GVM report (root element report)";
  static bool reads(std::string_view root) { return root == "report" || root == "get_reports_response"; }

  openvas_handler(scan_collector& scan, const std::string& file) : scan_(scan), file_(file) {}

  void start(xml_reader& x, std::string_view e, const char** attrs) override {
    const std::size_t d = x.depth();
    if (result_ == 0) {
      if (e == "report" && report_ == 0) report_ = d;
      else if (e == "name" && d == report_ + 1 && name_.empty()) x.begin_text();
      else if (e == "result") start_result(d);
      else if (e == "host") host_block_ = d;  // a host's details (or the ports summary's host, which has no <ip>)
      else if (host_block_ != 0 && ((d == host_block_ + 1 && e == "ip") || (d == host_block_ + 2 && (e == "name" || e == "value"))))
        x.begin_text();
      return;
    }
    // Inside a result: its own children, its NVT's, and the NVT's references and severities.
    if (d == result_ + 1 && (e == "host" || e == "port" || e == "severity" || e == "threat")) x.begin_text();
    else if (d == result_ + 2 && e == "hostname" && in_result_host_) x.begin_text();
    else if (d == result_ + 1 && e == "nvt") nvt_ = d;
    else if (nvt_ != 0 && d == nvt_ + 1 && (e == "cve" || e == "tags")) x.begin_text();
    else if (nvt_ != 0 && d == nvt_ + 2 && e == "ref") add_ref(x, attrs);
    else if (nvt_ != 0 && d == nvt_ + 2 && e == "severity") vector_type_ = lower_case_ascii(xml_reader::attribute_text(attrs, "type"));
    else if (nvt_ != 0 && d == nvt_ + 3 && e == "value") x.begin_text();
    if (d == result_ + 1 && e == "host") in_result_host_ = true;
  }

  void end(xml_reader& x, std::string_view e) override {
    const std::size_t d = x.depth();
    if (d == 1) return finish_report();
    if (result_ == 0) {
      if (e == "name" && d == report_ + 1 && name_.empty()) name_ = x.end_text();
      else if (host_block_ != 0 && d == host_block_ + 1 && e == "ip") block_ip_ = x.end_text();
      else if (host_block_ != 0 && d == host_block_ + 2 && e == "name") detail_name_ = x.end_text();
      else if (host_block_ != 0 && d == host_block_ + 2 && e == "value") host_detail(x.end_text());
      else if (host_block_ != 0 && d == host_block_ + 1 && e == "detail") detail_name_.clear();
      else if (d == host_block_ && e == "host") {
        if (!block_ip_.empty()) (void)host(block_ip_);
        host_block_ = 0;
        block_ip_.clear();
      }
      return;
    }
    if (d == result_ + 1) {
      if (e == "host") result_host_ = x.end_text(), in_result_host_ = false;
      else if (e == "port") port_ = x.end_text();
      else if (e == "severity") severity_ = x.end_text();
      else if (e == "threat") threat_ = x.end_text();
      else if (e == "nvt") nvt_ = 0;
    } else if (d == result_ + 2 && e == "hostname" && in_result_host_) {
      hostname_ = x.end_text();
    } else if (nvt_ != 0 && d == nvt_ + 1 && e == "cve") {
      for (const std::string& id : split_list(x.end_text()))
        if (id != "NOCVE" && !add_cve(x, id)) return;
    } else if (nvt_ != 0 && d == nvt_ + 1 && e == "tags") {
      const std::string tags = x.end_text();
      if (const auto at = tags.find("cvss_base_vector="); at != std::string::npos && tag_vector_.empty())
        tag_vector_ = tags.substr(at + 17, tags.find('|', at) == std::string::npos ? std::string::npos : tags.find('|', at) - at - 17);
    } else if (nvt_ != 0 && d == nvt_ + 3 && e == "value") {
      std::string v = x.end_text();
      if (vector_.empty() && (vector_type_ == "cvss_base_v3" || vector_type_ == "cvss_base_v4") && !v.empty()) vector_ = std::move(v);
    }
    if (d == result_ && e == "result") end_result(x);
  }

 private:
  void start_result(std::size_t d) {
    result_ = d;
    result_host_.clear(), hostname_.clear(), port_.clear(), severity_.clear(), threat_.clear();
    vector_.clear(), tag_vector_.clear(), vector_type_.clear();
    cves_.clear();
  }

  void add_ref(xml_reader& x, const char** attrs) {
    if (lower_case_ascii(xml_reader::attribute_text(attrs, "type")) == "cve") (void)add_cve(x, xml_reader::attribute_text(attrs, "id"));
  }
  bool add_cve(xml_reader& x, const std::string& id) {
    if (!is_cve_id(id)) {
      x.fail(bad_cve(id));
      return false;
    }
    cves_.push_back(id);
    return true;
  }
  static std::vector<std::string> split_list(const std::string& text) {  // "CVE-1, CVE-2"
    std::vector<std::string> out;
    std::string item;
    for (const char c : text + ",")
      if (c == ',' || c == ' ' || c == '\n' || c == '\t') {
        if (!item.empty()) out.push_back(std::move(item));
        item.clear();
      } else {
        item += c;
      }
    return out;
  }

  scan_host& host(const std::string& ip) {
    auto [it, added] = hosts_.try_emplace(ip);
    if (added) it->second = scan_host{.name = ip, .ip = ip, .report = report_name(), .scanner = "OpenVAS"};
    return it->second;
  }
  void host_detail(std::string value) {
    if (block_ip_.empty()) return;  // <ip> comes first in gvmd's output
    scan_host& h = host(block_ip_);
    if (detail_name_ == "hostname" && h.fqdn.empty()) h.fqdn = std::move(value);
    else if (detail_name_ == "best_os_txt") h.os = std::move(value);
  }
  std::string report_name() const { return name_.empty() ? report_name_of_file(file_) : name_; }

  void end_result(xml_reader& x) {
    result_ = 0;
    import_summary& s = scan_.summary();
    ++s.records;
    if (result_host_.empty()) return x.fail("expected a result with a <host>");
    double score = 0.0;
    int level = 0;
    if (!severity_.empty()) {
      if (!parse_score(severity_, score, -3.0)) return x.fail("expected a severity from -3 to 10, got \"" + severity_ + "\"");
      level = severity_level(score);
    } else {
      const std::string t = lower_case_ascii(threat_);
      static const std::map<std::string, int, std::less<>> levels{{"log", 0}, {"low", 1}, {"medium", 2}, {"high", 3}, {"critical", 4}};
      const auto it = levels.find(t);
      if (it == levels.end()) return x.fail("expected a result with a <severity> or a <threat> of Log, Low, Medium, High or Critical");
      level = it->second;
    }
    scan_host& h = host(result_host_);
    if (h.fqdn.empty() && !hostname_.empty()) h.fqdn = hostname_;
    if (score < 0.0) {  // gvmd: -1 false positive, -2 debug, -3 error
      ++s.records_by_type["findings: " + (threat_.empty() ? std::string("negative severity") : lower_case_ascii(threat_))];
      return;
    }
    if (cves_.empty()) {
      ++s.records_by_type[level == 0 ? "findings: informational" : "findings without CVE"];
      return;
    }
    if (level < scan_.options().min_severity) {
      ++s.records_by_type["findings below min severity"];
      return;
    }
    std::string vector = !vector_.empty() ? vector_ : tag_vector_;
    if (!vector.starts_with("CVSS:3") && !vector.starts_with("CVSS:4")) vector.clear();  // CVSS v2: not scored here
    if (std::string bad = vector.empty() ? "" : cvss_problem(vector); !bad.empty()) return x.fail(std::move(bad));
    ++s.records_by_type["findings with CVE"];
    h.add_vulnerabilities(port_.empty() ? "general" : port_, cves_, vector);
  }

  void finish_report() {
    for (auto& [ip, h] : hosts_) {
      ++scan_.summary().records_by_type["hosts"];
      scan_.add_host(std::move(h));
    }
    hosts_.clear();
  }

  scan_collector& scan_;
  const std::string& file_;
  std::map<std::string, scan_host> hosts_;  // by IP, in IP order
  std::size_t report_ = 0, result_ = 0, nvt_ = 0, host_block_ = 0;  // depths of the open elements that matter (0: none)
  bool in_result_host_ = false;
  std::string name_, block_ip_, detail_name_;
  std::string result_host_, hostname_, port_, severity_, threat_, vector_, tag_vector_, vector_type_;
  std::vector<std::string> cves_;
};

}  // namespace detail

/// Reads OpenVAS/GVM XML reports and adds their hosts and findings to a copy of a twin.
class openvas_importer {
 public:
  /// Throws: input_error when `options.from` names no node of `base`.
  explicit openvas_importer(const twin& base, scan_options options = {}) : scan_(base, std::move(options), "openvas") {}

  /// Streams one report. Throws: input_error with file, line and column on malformed XML, a
  /// document that is not a GVM report, a result without host, a bad severity, CVE id or CVSS vector.
  void add_stream(std::istream& in, const std::string& name) {
    detail::openvas_handler handler(scan_, name);
    detail::xml_reader::read(
        in, name, [&](std::string_view root) { return handler.reads(root) ? &handler : nullptr; }, handler.expected);
    scan_.report_read("openvas");
  }

  /// The twin with the scanned hosts and their findings.
  /// Throws: input_error as the builder does (it should not: ids are made unique here).
  [[nodiscard]] import_result finish() && { return std::move(scan_).finish(); }

 private:
  detail::scan_collector scan_;
};

/// Adds the findings of OpenVAS/GVM reports to a copy of `base` (see `openvas_importer`).
[[nodiscard]] inline import_result import_openvas(const twin& base, const std::vector<std::filesystem::path>& reports,
                                                  scan_options options = {}) {
  openvas_importer importer(base, std::move(options));
  for (const auto& r : reports) add_file(importer, r);
  return std::move(importer).finish();
}

}  // namespace twinrisk
