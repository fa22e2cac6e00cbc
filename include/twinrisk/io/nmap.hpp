#pragma once
/// Network-scan findings into a twin: Nmap XML output (`nmap -oX`, root element `nmaprun`).
///
///     nmap_importer importer(t, {.from = "internet"});
///     add_file(importer, "external.xml");
///     auto [scanned, summary] = std::move(importer).finish();
///
/// Read: hosts whose `<status state="up">` (others are counted and skipped), their addresses
/// (IPv4, IPv6, MAC), host names (PTR and user-given), OS guess (the first `<osmatch>`, else the
/// first `<osclass>`), and their open ports (`<state state="open">`; closed, filtered and the
/// `<extraports>` summaries are counted, never imported) with the service's name, product, version
/// and CPEs. CVEs come from the `vulners` NSE script (`nmap -sV --script vulners`), whose structured
/// output is one `<table key="CPE">` per product holding a `<table>` per entry with
/// `<elem key="id">CVE-…</elem>`, `<elem key="cvss">` (a score), `type` and `is_exploit`; entries
/// that are not CVEs (exploit references) are counted, not imported.
///
/// Each host is matched to a node of the twin by id, name, host name, IP, IPv6 or MAC address (any
/// case), or added (`host:<ip>`, with the open services and their CPEs in its `services`
/// property). From the scanner's vantage point, as for Nessus (io/nessus.hpp): each open port whose
/// vulners CVEs reach `scan_options::min_severity` (by CVSS score: low < 4, medium < 7, high < 9,
/// critical) becomes one `exploits` edge with base probability 1 carrying its CVEs (vulners gives
/// scores, not vectors), for the exploitability policy to score from EPSS and KEV. A host's other
/// open ports become one `network_reach` edge of probability `scan_options::reach_probability`:
/// a reachable service no CVE is known for, which weak credentials, a misconfiguration or an
/// unpublished flaw may still open.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/detail/cve_ids.hpp"
#include "twinrisk/io/detail/scan_hosts.hpp"
#include "twinrisk/io/detail/xml_reader.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

namespace detail {

/// Reads one Nmap XML report into a scan collector.
class nmap_handler final : public xml_handler {
 public:
  static constexpr std::string_view root = "nmaprun";
  static constexpr const char* expected = "expected an Nmap report (root element nmaprun)";

  nmap_handler(scan_collector& scan, const std::string& file) : scan_(scan), report_(report_name_of_file(file)) {}

  void start(xml_reader& x, std::string_view e, const char** attrs) override {
    const std::size_t d = x.depth();
    if (e == "host" && host_ == 0) return start_host(d);
    if (host_ == 0) return;
    if (port_ == 0) {
      if (e == "status" && d == host_ + 1) status_ = xml_reader::attribute_text(attrs, "state");
      else if (e == "address" && d == host_ + 1) add_address(attrs);
      else if (e == "hostname" && d == host_ + 2) add_hostname(xml_reader::attribute_text(attrs, "name"));
      else if (e == "port" && d == host_ + 2) start_port(x, attrs);
      else if (e == "extraports" && d == host_ + 2) count_extraports(attrs);
      else if (e == "osmatch" && os_.empty()) os_ = xml_reader::attribute_text(attrs, "name");
      else if (e == "osclass" && d == host_ + 2 && os_.empty()) os_ = osclass_name(attrs);
      return;
    }
    if (e == "state" && d == port_ + 1) state_ = xml_reader::attribute_text(attrs, "state");
    else if (e == "service" && d == port_ + 1) start_service(attrs);
    else if (e == "cpe" && d == port_ + 2) x.begin_text();
    else if (e == "script" && d == port_ + 1 && xml_reader::attribute_text(attrs, "id") == "vulners") vulners_ = d;
    else if (vulners_ != 0 && e == "table" && d == vulners_ + 2) entry_ = {};
    else if (vulners_ != 0 && e == "elem" && d == vulners_ + 3) {
      elem_key_ = xml_reader::attribute_text(attrs, "key");
      x.begin_text();
    }
  }

  void end(xml_reader& x, std::string_view e) override {
    const std::size_t d = x.depth();
    if (host_ == 0) return;
    if (d == host_) return end_host(x);
    if (port_ == 0) return;
    if (d == port_) return end_port();
    if (e == "cpe" && d == port_ + 2) {
      if (std::string cpe = x.end_text(); !cpe.empty()) cpes_.push_back(std::move(cpe));
    } else if (vulners_ != 0 && e == "elem" && d == vulners_ + 3) {
      std::string v = x.end_text();
      if (elem_key_ == "id") entry_.id = std::move(v);
      else if (elem_key_ == "cvss") entry_.cvss = std::move(v);
      else if (elem_key_ == "type") entry_.type = std::move(v);
    } else if (vulners_ != 0 && e == "table" && d == vulners_ + 2) {
      end_vulners_entry(x);
    } else if (vulners_ != 0 && d == vulners_) {
      vulners_ = 0;
    }
  }

 private:
  struct vulners_entry {
    std::string id, cvss, type;
  };

  void start_host(std::size_t d) {
    host_ = d;
    status_.clear(), ipv4_.clear(), ipv6_.clear(), mac_.clear(), os_.clear();
    hostnames_.clear();
    services_ = nlohmann::json::array();
    vulnerable_.clear(), reachable_.clear();
  }
  void add_address(const char** attrs) {
    const std::string type = xml_reader::attribute_text(attrs, "addrtype");  // the DTD's default: ipv4
    std::string& slot = type == "ipv6" ? ipv6_ : type == "mac" ? mac_ : ipv4_;
    if (slot.empty()) slot = xml_reader::attribute_text(attrs, "addr");
  }
  void add_hostname(std::string name) {
    if (!name.empty() && std::find(hostnames_.begin(), hostnames_.end(), name) == hostnames_.end()) hostnames_.push_back(std::move(name));
  }
  static std::string osclass_name(const char** attrs) {  // Nmap before 6 had no <osmatch> around its classes
    std::string s;
    for (const char* a : {"vendor", "osfamily", "osgen"})
      if (const std::string v = xml_reader::attribute_text(attrs, a); !v.empty()) s += (s.empty() ? "" : " ") + v;
    return s;
  }
  void count_extraports(const char** attrs) {
    std::size_t n = 0;
    for (const char c : xml_reader::attribute_text(attrs, "count"))
      if (c >= '0' && c <= '9' && n < (std::size_t{1} << 40)) n = n * 10 + static_cast<std::size_t>(c - '0');
    scan_.summary().records_by_type["ports not listed (extraports): " + xml_reader::attribute_text(attrs, "state")] += n;
  }

  void start_port(xml_reader& x, const char** attrs) {
    const std::string id = xml_reader::attribute_text(attrs, "portid"), protocol = xml_reader::attribute_text(attrs, "protocol");
    if (id.empty() || protocol.empty()) return x.fail("expected a port with a portid and a protocol");
    port_ = x.depth();
    port_name_ = id + "/" + protocol;
    state_.clear(), service_.clear(), product_.clear(), version_.clear();
    cpes_.clear(), cves_.clear();
  }
  void start_service(const char** attrs) {
    service_ = xml_reader::attribute_text(attrs, "name");
    product_ = xml_reader::attribute_text(attrs, "product");
    version_ = xml_reader::attribute_text(attrs, "version");
  }

  void end_vulners_entry(xml_reader& x) {
    import_summary& s = scan_.summary();
    if (!entry_.id.starts_with("CVE-") && entry_.type != "cve") {
      ++s.records_by_type["vulners entries without CVE"];  // exploit references and vendor advisories
      return;
    }
    if (!is_cve_id(entry_.id)) return x.fail(bad_cve(entry_.id));
    double score = 10.0;  // no score: kept whatever the threshold
    if (!entry_.cvss.empty() && !parse_score(entry_.cvss, score))
      return x.fail("expected a CVSS score from 0 to 10, got \"" + entry_.cvss + "\"");
    if (severity_level(score) < scan_.options().min_severity) {
      ++s.records_by_type["vulners CVEs below min severity"];
      return;
    }
    ++s.records_by_type["vulners CVEs"];
    cves_.push_back(entry_.id);
  }

  void end_port() {
    port_ = 0;
    vulners_ = 0;
    import_summary& s = scan_.summary();
    if (state_ != "open") {
      ++s.records_by_type["ports not open: " + (state_.empty() ? std::string("unknown") : state_)];
      return;
    }
    ++s.records_by_type["ports open"];
    nlohmann::json service = {{"port", port_name_}};
    for (const auto& [k, v] : {std::pair{"service", &service_}, {"product", &product_}, {"version", &version_}})
      if (!v->empty()) service[k] = *v;
    if (!cpes_.empty()) service["cpe"] = cpes_;
    services_.push_back(std::move(service));
    const std::string key = port_name_ + (service_.empty() ? "" : " (" + service_ + ")");
    if (cves_.empty()) reachable_.push_back(key);
    else vulnerable_.emplace_back(key, cves_);
  }

  void end_host(xml_reader& x) {
    host_ = 0;
    import_summary& s = scan_.summary();
    ++s.records;
    if (status_.empty()) return x.fail("expected a host with a <status>");
    if (status_ != "up") {
      ++s.records_by_type["hosts " + status_ + " (skipped)"];
      return;
    }
    const std::string& address = !ipv4_.empty() ? ipv4_ : !ipv6_.empty() ? ipv6_ : mac_;
    if (address.empty()) return x.fail("expected a host with an <address>");
    scan_host h{.name = address, .ip = address, .os = os_, .report = report_, .scanner = "Nmap"};
    if (!hostnames_.empty()) h.fqdn = hostnames_.front();
    for (const std::string* a : {&ipv6_, &mac_})
      if (!a->empty() && *a != address) h.aliases.push_back(*a);
    h.aliases.insert(h.aliases.end(), hostnames_.begin(), hostnames_.end());
    if (!ipv6_.empty() && ipv6_ != address) h.properties["host-ipv6"] = ipv6_;
    if (!mac_.empty() && mac_ != address) h.properties["mac-address"] = mac_;
    if (hostnames_.size() > 1) h.properties["hostnames"] = hostnames_;
    if (!services_.empty()) h.properties["services"] = std::move(services_);
    for (const auto& [service, cves] : vulnerable_) h.add_vulnerabilities(service, cves, "");
    h.reachable.insert(reachable_.begin(), reachable_.end());
    ++s.records_by_type["hosts"];
    scan_.add_host(std::move(h));
  }

  scan_collector& scan_;
  std::string report_;
  std::size_t host_ = 0, port_ = 0, vulners_ = 0;  // depths of the open elements that matter (0: none)
  // The host being read.
  std::string status_, ipv4_, ipv6_, mac_, os_;
  std::vector<std::string> hostnames_;
  nlohmann::json services_ = nlohmann::json::array();
  std::vector<std::pair<std::string, std::vector<std::string>>> vulnerable_;  // service -> CVEs
  std::vector<std::string> reachable_;
  // The port being read.
  std::string port_name_, state_, service_, product_, version_, elem_key_;
  std::vector<std::string> cpes_, cves_;
  vulners_entry entry_;
};

}  // namespace detail

/// Reads Nmap XML reports and adds their hosts, open services and vulners CVEs to a copy of a twin.
class nmap_importer {
 public:
  /// Throws: input_error when `options.from` names no node of `base`, or `reach_probability` is not in [0, 1].
  explicit nmap_importer(const twin& base, scan_options options = {}) : scan_(base, std::move(options), "nmap") {}

  /// Streams one report. Throws: input_error with file, line and column on malformed XML, a
  /// document that is not nmaprun, a host without status or address, a port without id or
  /// protocol, a bad CVE id or CVSS score.
  void add_stream(std::istream& in, const std::string& name) {
    detail::nmap_handler handler(scan_, name);
    detail::xml_reader::read(
        in, name, [&](std::string_view root) { return root == handler.root ? &handler : nullptr; }, handler.expected);
    scan_.report_read("nmap");
  }

  /// The twin with the scanned hosts and their services.
  /// Throws: input_error as the builder does (it should not: ids are made unique here).
  [[nodiscard]] import_result finish() && { return std::move(scan_).finish(); }

 private:
  detail::scan_collector scan_;
};

/// Adds the hosts and services of Nmap reports to a copy of `base` (see `nmap_importer`).
[[nodiscard]] inline import_result import_nmap(const twin& base, const std::vector<std::filesystem::path>& reports,
                                               scan_options options = {}) {
  nmap_importer importer(base, std::move(options));
  for (const auto& r : reports) add_file(importer, r);
  return std::move(importer).finish();
}

}  // namespace twinrisk
