#pragma once
/// Vulnerability-scan findings into a twin: Tenable Nessus reports (`.nessus`, NessusClientData_v2).
///
///     nessus_importer importer(t, {.from = "internet"});
///     add_file(importer, "external-scan.nessus");
///     auto [scanned, summary] = std::move(importer).finish();
///
/// Why Nessus: it is the most widely used scanner, its report carries per finding the CVEs and the
/// CVSS v3 vector that the exploitability policies score (Nmap XML has no CVEs; OpenVAS reports
/// carry CVEs but no CVSS v3 vector per finding), and OpenVAS/Greenbone and Tenable.io export it too.
///
/// Each scanned host becomes a node, or is matched to a node of the twin by id, name, FQDN,
/// NetBIOS name or IP (any case). Each service (port/protocol) with findings that name CVEs
/// becomes one `exploits` edge from the scanner's vantage point to the host, carrying the CVEs
/// and their CVSS v3 vectors, with base probability 1 so that the exploitability policy scores it
/// (EPSS, CVSS, KEV). The XML is streamed with expat: memory grows with the findings kept, not
/// with the report's size.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <expat.h>

#include "twinrisk/detail/file_io.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/detail/cve_ids.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/cvss/cvss.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// How scan findings join a twin.
struct scan_options {
  /// Id of the node that stands for where the scanner sat (e.g. "internet" for an external scan,
  /// a network segment for an internal one). Empty: a new `network_segment` node per report
  /// ("scan:<report name>"), marked as an entry point: what the scanner reached, an attacker there can.
  std::string from{};
  int min_severity = 1;  ///< findings below (0 info, 1 low, 2 medium, 3 high, 4 critical) are counted, not imported
};

namespace detail {

// One finding kept: the service it is on, its CVEs and CVSS vector.
struct scan_finding {
  std::string service;  // "445/tcp (cifs)"
  std::vector<vulnerability> vulnerabilities;
};

struct scan_host {
  std::string name{}, ip{}, fqdn{}, netbios{}, os{};
  std::map<std::string, std::vector<vulnerability>> services{};  // service -> CVEs (sorted, unique)
  std::string report{};
};

}  // namespace detail

/// Reads Nessus reports and adds their hosts and findings to a copy of a twin.
class nessus_importer {
 public:
  /// Throws: input_error when `options.from` names no node of `base`.
  explicit nessus_importer(const twin& base, scan_options options = {}) : base_(base), options_(std::move(options)) {
    summary_.format = "nessus";
    if (!options_.from.empty() && !base_.find(options_.from))
      throw input_error({.pointer = "from"}, "no node has the id '" + options_.from + "'");
  }

  /// Streams one report. Throws: input_error with file, line and column on malformed XML, a
  /// report that is not NessusClientData_v2, a bad severity, CVE id or CVSS vector.
  void add_stream(std::istream& in, const std::string& name) {
    file_ = name;
    parser p;
    XML_SetUserData(p.get(), this);
    XML_SetElementHandler(p.get(), &nessus_importer::on_start, &nessus_importer::on_end);
    XML_SetCharacterDataHandler(p.get(), &nessus_importer::on_text);
    // Expat never reads other files itself, but a reference to an external entity it does not
    // load would be skipped in silence: reject the declaration (XXE) and an external DTD.
    XML_SetEntityDeclHandler(p.get(), &nessus_importer::on_entity_decl);
    XML_SetStartDoctypeDeclHandler(p.get(), &nessus_importer::on_doctype);
    parser_ = p.get();
    root_seen_ = false;
    std::vector<char> buffer(1 << 16);
    bool done = false;
    while (!done) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto n = static_cast<int>(in.gcount());
      done = n == 0 || in.eof();
      if (XML_Parse(p.get(), buffer.data(), n, done ? 1 : 0) == XML_STATUS_ERROR) {
        if (!pending_error_.empty()) throw input_error(pending_where_, pending_error_);
        throw input_error(where(), std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(p.get())));
      }
    }
    if (!root_seen_) throw input_error({.file = name}, "expected a Nessus report (root element NessusClientData_v2)");
    ++summary_.files;
  }

  /// The twin with the scanned hosts and their findings.
  /// Throws: input_error as the builder does (it should not: ids are made unique here).
  [[nodiscard]] import_result finish() && {
    twin_builder b = builder_from(base_);
    // Names by which a scanned host may already be in the twin.
    std::map<std::string, std::size_t, std::less<>> known;
    for (auto v : base_.vertices()) {
      known.emplace(detail::lower_case_ascii(base_.id(v)), v);
      if (!base_[v].name.empty()) known.emplace(detail::lower_case_ascii(base_[v].name), v);
    }
    std::map<std::string, std::string> vantage;  // report name -> node id
    auto vantage_of = [&](const std::string& report) {
      if (!options_.from.empty()) return options_.from;
      auto it = vantage.find(report);
      if (it != vantage.end()) return it->second;
      std::string id = "scan:" + (report.empty() ? std::string("nessus") : report);
      if (!base_.find(id)) {
        b.add_node(id, {.name = "Scanner vantage point (" + (report.empty() ? std::string("Nessus") : report) + ")",
                        .kind = node_kind::network_segment, .entry_point = true});
        ++summary_.records_by_type["vantage points added"];
      }
      return vantage.emplace(report, id).first->second;
    };
    for (detail::scan_host& h : hosts_) {
      std::string id;
      for (const std::string& key : {h.fqdn, h.name, h.netbios, h.ip}) {
        if (key.empty()) continue;
        if (const auto it = known.find(detail::lower_case_ascii(key)); it != known.end()) {
          id = base_.id(it->second);
          break;
        }
      }
      if (id.empty()) {
        id = "host:" + (h.ip.empty() ? h.name : h.ip);
        if (added_.count(id) == 0) {
          node n{.name = !h.fqdn.empty() ? h.fqdn : h.name, .kind = kind_of(h.os)};
          n.properties = nlohmann::json::object();
          for (const auto& [k, v] : {std::pair{"host-ip", h.ip}, {"host-fqdn", h.fqdn}, {"netbios-name", h.netbios},
                                     {"operating-system", h.os}})
            if (!v.empty()) n.properties[k] = v;
          b.add_node(id, std::move(n));
          added_.insert(id);
          ++summary_.records_by_type["hosts added"];
        }
      } else {
        ++summary_.records_by_type["hosts matched"];
      }
      const std::string from = vantage_of(h.report);
      for (auto& [service, vulns] : h.services) {
        if (!edges_added_.insert(from + '\n' + id + '\n' + service).second) {
          ++summary_.duplicate_edges;  // the same service of the same host in another report
          continue;
        }
        b.add_edge(from, id, {.kind = edge_kind::exploits, .probability = 1.0, .vulnerabilities = std::move(vulns)});
        ++summary_.edges_by_kind["exploits"];
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
  struct parser_deleter {
    void operator()(XML_Parser p) const { XML_ParserFree(p); }
  };
  struct parser : std::unique_ptr<std::remove_pointer_t<XML_Parser>, parser_deleter> {
    parser() : unique_ptr(XML_ParserCreate(nullptr)) {
      if (!get()) throw error("cannot create an XML parser (out of memory)");
    }
  };

  static node_kind kind_of(const std::string& os) {
    const std::string s = detail::lower_case_ascii(os);
    if (s.empty()) return node_kind::host;
    if (s.find("server") != std::string::npos || s.find("linux") != std::string::npos || s.find("unix") != std::string::npos ||
        s.find("bsd") != std::string::npos)
      return node_kind::server;
    if (s.find("windows") != std::string::npos || s.find("mac os") != std::string::npos) return node_kind::workstation;
    return node_kind::host;
  }

  input_location where() const {
    return {.file = file_, .line = static_cast<std::size_t>(XML_GetCurrentLineNumber(parser_)),
            .column = static_cast<std::size_t>(XML_GetCurrentColumnNumber(parser_)) + 1};
  }
  // Errors raised inside expat callbacks stop the parser and are thrown once it returns
  // (exceptions must not cross expat's C frames).
  void fail(std::string reason) {
    if (pending_error_.empty()) {
      pending_where_ = where();
      pending_error_ = std::move(reason);
    }
    XML_StopParser(parser_, XML_FALSE);
  }

  static const char* attribute(const char** attrs, std::string_view name) {
    for (std::size_t i = 0; attrs[i] != nullptr; i += 2)
      if (name == attrs[i]) return attrs[i + 1];
    return nullptr;
  }

  static void on_start(void* self, const char* element, const char** attrs) {
    static_cast<nessus_importer*>(self)->start(element, attrs);
  }
  static void on_end(void* self, const char* element) { static_cast<nessus_importer*>(self)->end(element); }
  static std::string external_id(const char* system_id, const char* public_id) {
    return public_id ? "PUBLIC \"" + std::string(public_id) + "\"" : "SYSTEM \"" + std::string(system_id ? system_id : "") + "\"";
  }
  static void on_entity_decl(void* self, const char* name, int, const char*, int, const char*, const char* system_id,
                             const char* public_id, const char*) {
    if (system_id == nullptr && public_id == nullptr) return;  // an internal entity (expat bounds their expansion)
    static_cast<nessus_importer*>(self)->fail("external entity '" + std::string(name) + "' (" + external_id(system_id, public_id) +
                                              ") is not allowed: a scan report must not refer to other files");
  }
  static void on_doctype(void* self, const char*, const char* system_id, const char* public_id, int) {
    if (system_id == nullptr && public_id == nullptr) return;
    static_cast<nessus_importer*>(self)->fail("external DTD (" + external_id(system_id, public_id) +
                                              ") is not allowed: a scan report must not refer to other files");
  }
  static void on_text(void* self, const char* s, int n) {
    auto* me = static_cast<nessus_importer*>(self);
    if (me->collecting_) me->text_.append(s, static_cast<std::size_t>(n));
  }

  void start(std::string_view e, const char** attrs) {
    if (!pending_error_.empty()) return;
    if (!root_seen_) {
      if (e != "NessusClientData_v2") return fail("expected a Nessus report (root element NessusClientData_v2), found <" + std::string(e) + ">");
      root_seen_ = true;
      return;
    }
    if (e == "Report") {
      const char* n = attribute(attrs, "name");
      report_ = n ? n : "";
    } else if (e == "ReportHost") {
      const char* n = attribute(attrs, "name");
      if (n == nullptr || *n == '\0') return fail("expected a ReportHost with a name");
      host_ = detail::scan_host{.name = n, .report = report_};
      in_host_ = true;
    } else if (e == "tag" && in_host_) {
      const char* n = attribute(attrs, "name");
      tag_ = n ? n : "";
      begin_text();
    } else if (e == "ReportItem" && in_host_) {
      in_item_ = true;
      item_cves_.clear();
      item_vector_.clear();
      const char* sev = attribute(attrs, "severity");
      if (sev == nullptr) return fail("expected a severity from 0 to 4, found a ReportItem without one");
      const std::string s = sev;
      if (s.size() != 1 || s[0] < '0' || s[0] > '4') return fail("expected a severity from 0 to 4, got \"" + s + "\"");
      item_severity_ = s[0] - '0';
      const char* port = attribute(attrs, "port");
      const char* protocol = attribute(attrs, "protocol");
      const char* svc = attribute(attrs, "svc_name");
      item_service_ = std::string(port ? port : "0") + "/" + (protocol ? protocol : "") + (svc && *svc ? " (" + std::string(svc) + ")" : "");
    } else if (in_item_ && (e == "cve" || e == "cvss3_vector")) {
      begin_text();
    }
  }

  void end(std::string_view e) {
    if (!pending_error_.empty()) return;
    if (e == "ReportHost") {
      in_host_ = false;
      ++summary_.records_by_type["hosts"];
      hosts_.push_back(std::move(host_));
    } else if (e == "tag" && in_host_ && collecting_) {
      std::string v = end_text();
      if (tag_ == "host-ip") host_.ip = std::move(v);
      else if (tag_ == "host-fqdn") host_.fqdn = std::move(v);
      else if (tag_ == "netbios-name") host_.netbios = std::move(v);
      else if (tag_ == "operating-system") host_.os = std::move(v);
    } else if (e == "cve" && in_item_) {
      std::string v = end_text();
      if (!detail::is_cve_id(v)) return fail("expected a CVE id such as CVE-2024-4577, got \"" + v + "\"");
      item_cves_.push_back(std::move(v));
    } else if (e == "cvss3_vector" && in_item_) {
      std::string v = end_text();
      // Nessus writes "CVSS:3.0/AV:N/..."; older plugins omit the prefix.
      if (!v.starts_with("CVSS:")) v = "CVSS:3.0/" + v;
      try {
        (void)score_cvss(v);
      } catch (const input_error& bad) {
        return fail("bad CVSS v3 vector \"" + v + "\": " + bad.reason());
      }
      item_vector_ = std::move(v);
    } else if (e == "ReportItem" && in_item_) {
      in_item_ = false;
      ++summary_.records;
      if (item_cves_.empty()) {
        ++summary_.records_by_type[item_severity_ == 0 ? "findings: informational" : "findings without CVE"];
      } else if (item_severity_ < options_.min_severity) {
        ++summary_.records_by_type["findings below min severity"];
      } else {
        ++summary_.records_by_type["findings with CVE"];
        auto& vulns = host_.services[item_service_];
        for (const std::string& cve : item_cves_) {
          const auto same = [&](const vulnerability& x) { return x.cve == cve; };
          if (std::find_if(vulns.begin(), vulns.end(), same) == vulns.end()) vulns.push_back({cve, item_vector_});
        }
        std::sort(vulns.begin(), vulns.end(), [](const auto& a, const auto& b) { return a.cve < b.cve; });
      }
    }
  }

  void begin_text() {
    collecting_ = true;
    text_.clear();
  }
  std::string end_text() {
    collecting_ = false;
    const auto first = text_.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text_.substr(first, text_.find_last_not_of(" \t\r\n") - first + 1);
  }

  const twin& base_;
  scan_options options_;
  import_summary summary_;
  std::vector<detail::scan_host> hosts_;
  std::set<std::string> added_;  // ids of the hosts this import added
  std::set<std::string> edges_added_;
  // Parser state.
  std::string file_;
  XML_Parser parser_ = nullptr;
  bool root_seen_ = false, in_host_ = false, in_item_ = false, collecting_ = false;
  std::string report_, tag_, text_, item_service_, item_vector_;
  std::vector<std::string> item_cves_;
  int item_severity_ = 0;
  detail::scan_host host_;
  std::string pending_error_;
  input_location pending_where_;
};

/// Adds the findings of Nessus reports to a copy of `base` (see `nessus_importer`).
[[nodiscard]] inline import_result import_nessus(const twin& base, const std::vector<std::filesystem::path>& reports,
                                                 scan_options options = {}) {
  nessus_importer importer(base, std::move(options));
  for (const auto& r : reports) add_file(importer, r);
  return std::move(importer).finish();
}

}  // namespace twinrisk
