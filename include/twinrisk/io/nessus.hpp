#pragma once
/// Vulnerability-scan findings into a twin: Tenable Nessus reports (`.nessus`, NessusClientData_v2).
///
///     nessus_importer importer(t, {.from = "internet"});
///     add_file(importer, "external-scan.nessus");
///     auto [scanned, summary] = std::move(importer).finish();
///
/// Why Nessus: it is the most widely used scanner, its report carries per finding the CVEs and the
/// CVSS v3 vector that the exploitability policies score, and Tenable.io exports it too. OpenVAS/GVM
/// and Nmap reports have readers of their own (io/openvas.hpp, io/nmap.hpp); io/scan.hpp reads all three.
///
/// Each scanned host becomes a node, or is matched to a node of the twin by id, name, FQDN,
/// NetBIOS name or IP (any case). Each service (port/protocol) with findings that name CVEs
/// becomes one `exploits` edge from the scanner's vantage point to the host, carrying the CVEs
/// and their CVSS v3 vectors, with base probability 1 so that the exploitability policy scores it
/// (EPSS, CVSS, KEV). The XML is streamed with expat: memory grows with the findings kept, not
/// with the report's size. Host matching and edges are shared with the other scan readers
/// (io/detail/scan_hosts.hpp).

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/cve_ids.hpp"
#include "twinrisk/io/detail/scan_hosts.hpp"
#include "twinrisk/io/detail/xml_reader.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

namespace detail {

/// Reads one Nessus report (NessusClientData_v2) into a scan collector.
class nessus_handler final : public xml_handler {
 public:
  static constexpr std::string_view root = "NessusClientData_v2";
  static constexpr const char* expected = "expected a Nessus report (root element NessusClientData_v2)";

  explicit nessus_handler(scan_collector& scan) : scan_(scan) {}

  void start(xml_reader& x, std::string_view e, const char** attrs) override {
    if (e == "Report") {
      report_ = xml_reader::attribute_text(attrs, "name");
    } else if (e == "ReportHost") {
      const char* n = xml_reader::attribute(attrs, "name");
      if (n == nullptr || *n == '\0') return x.fail("expected a ReportHost with a name");
      host_ = scan_host{.name = n, .report = report_};
      in_host_ = true;
    } else if (e == "tag" && in_host_) {
      tag_ = xml_reader::attribute_text(attrs, "name");
      x.begin_text();
    } else if (e == "ReportItem" && in_host_) {
      in_item_ = true;
      item_cves_.clear();
      item_vector_.clear();
      const char* sev = xml_reader::attribute(attrs, "severity");
      if (sev == nullptr) return x.fail("expected a severity from 0 to 4, found a ReportItem without one");
      const std::string s = sev;
      if (s.size() != 1 || s[0] < '0' || s[0] > '4') return x.fail("expected a severity from 0 to 4, got \"" + s + "\"");
      item_severity_ = s[0] - '0';
      const char* port = xml_reader::attribute(attrs, "port");
      const char* protocol = xml_reader::attribute(attrs, "protocol");
      const char* svc = xml_reader::attribute(attrs, "svc_name");
      item_service_ = std::string(port ? port : "0") + "/" + (protocol ? protocol : "") + (svc && *svc ? " (" + std::string(svc) + ")" : "");
    } else if (in_item_ && (e == "cve" || e == "cvss3_vector")) {
      x.begin_text();
    }
  }

  void end(xml_reader& x, std::string_view e) override {
    if (e == "ReportHost") {
      in_host_ = false;
      ++scan_.summary().records_by_type["hosts"];
      scan_.add_host(std::move(host_));
    } else if (e == "tag" && in_host_) {
      std::string v = x.end_text();
      if (tag_ == "host-ip") host_.ip = std::move(v);
      else if (tag_ == "host-fqdn") host_.fqdn = std::move(v);
      else if (tag_ == "netbios-name") host_.netbios = std::move(v);
      else if (tag_ == "operating-system") host_.os = std::move(v);
    } else if (e == "cve" && in_item_) {
      std::string v = x.end_text();
      if (!is_cve_id(v)) return x.fail(bad_cve(v));
      item_cves_.push_back(std::move(v));
    } else if (e == "cvss3_vector" && in_item_) {
      std::string v = x.end_text();
      // Nessus writes "CVSS:3.0/AV:N/..."; older plugins omit the prefix.
      if (!v.starts_with("CVSS:")) v = "CVSS:3.0/" + v;
      if (std::string bad = cvss_problem(v); !bad.empty()) return x.fail(std::move(bad));
      item_vector_ = std::move(v);
    } else if (e == "ReportItem" && in_item_) {
      in_item_ = false;
      import_summary& s = scan_.summary();
      ++s.records;
      if (item_cves_.empty()) {
        ++s.records_by_type[item_severity_ == 0 ? "findings: informational" : "findings without CVE"];
      } else if (item_severity_ < scan_.options().min_severity) {
        ++s.records_by_type["findings below min severity"];
      } else {
        ++s.records_by_type["findings with CVE"];
        host_.add_vulnerabilities(item_service_, item_cves_, item_vector_);
      }
    }
  }

 private:
  scan_collector& scan_;
  bool in_host_ = false, in_item_ = false;
  std::string report_, tag_, item_service_, item_vector_;
  std::vector<std::string> item_cves_;
  int item_severity_ = 0;
  scan_host host_;
};

}  // namespace detail

/// Reads Nessus reports and adds their hosts and findings to a copy of a twin.
class nessus_importer {
 public:
  /// Throws: input_error when `options.from` names no node of `base`.
  explicit nessus_importer(const twin& base, scan_options options = {}) : scan_(base, std::move(options), "nessus") {}

  /// Streams one report. Throws: input_error with file, line and column on malformed XML, a
  /// report that is not NessusClientData_v2, a bad severity, CVE id or CVSS vector.
  void add_stream(std::istream& in, const std::string& name) {
    detail::nessus_handler handler(scan_);
    detail::xml_reader::read(
        in, name, [&](std::string_view root) { return root == handler.root ? &handler : nullptr; }, handler.expected);
    scan_.report_read("nessus");
  }

  /// The twin with the scanned hosts and their findings.
  /// Throws: input_error as the builder does (it should not: ids are made unique here).
  [[nodiscard]] import_result finish() && { return std::move(scan_).finish(); }

 private:
  detail::scan_collector scan_;
};

/// Adds the findings of Nessus reports to a copy of `base` (see `nessus_importer`).
[[nodiscard]] inline import_result import_nessus(const twin& base, const std::vector<std::filesystem::path>& reports,
                                                 scan_options options = {}) {
  nessus_importer importer(base, std::move(options));
  for (const auto& r : reports) add_file(importer, r);
  return std::move(importer).finish();
}

}  // namespace twinrisk
