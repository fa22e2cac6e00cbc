#pragma once
/// Scan reports of any supported scanner into one twin: Nessus (`.nessus`), OpenVAS/GVM XML and
/// Nmap XML, told apart by their root element, so that one import mixes them.
///
///     scan_importer importer(t, {.from = "internet"});
///     add_inputs(importer, {"external.nessus", "gvm-report.xml", "nmap-sV.xml"});
///     auto [scanned, summary] = std::move(importer).finish();  // summary.format "nessus+openvas+nmap"
///
/// Each report is read as its own reader reads it (io/nessus.hpp, io/openvas.hpp, io/nmap.hpp);
/// the hosts of all of them are matched and joined once, so a host two scanners saw is one node
/// and a service two reports list is one edge (counted in `duplicate_edges`).

#include <istream>
#include <string>
#include <string_view>
#include <utility>

#include "twinrisk/io/detail/scan_hosts.hpp"
#include "twinrisk/io/detail/xml_reader.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/nessus.hpp"
#include "twinrisk/io/nmap.hpp"
#include "twinrisk/io/openvas.hpp"
#include "twinrisk/model/twin.hpp"

namespace twinrisk {

/// Reads Nessus, OpenVAS/GVM and Nmap reports, each recognised by its root element, and adds their
/// hosts and findings to a copy of a twin.
class scan_importer {
 public:
  /// Throws: input_error when `options.from` names no node of `base`, or `reach_probability` is not in [0, 1].
  explicit scan_importer(const twin& base, scan_options options = {}) : scan_(base, std::move(options), "scan") {}

  /// Streams one report of any of the three formats.
  /// Throws: input_error with file, line and column on malformed XML, a root element of none of
  /// them, or what the format's reader rejects.
  void add_stream(std::istream& in, const std::string& name) {
    detail::nessus_handler nessus(scan_);
    detail::openvas_handler openvas(scan_, name);
    detail::nmap_handler nmap(scan_, name);
    const char* format = nullptr;
    detail::xml_reader::read(
        in, name,
        [&](std::string_view root) -> detail::xml_handler* {
          if (root == nessus.root) return format = "nessus", &nessus;
          if (openvas.reads(root)) return format = "openvas", &openvas;
          if (root == nmap.root) return format = "nmap", &nmap;
          return nullptr;
        },
        "expected a scan report: Nessus (root element NessusClientData_v2), OpenVAS/GVM (report) or Nmap (nmaprun)");
    scan_.report_read(format);
  }

  /// The twin with the scanned hosts and their findings.
  /// Throws: input_error as the builder does (it should not: ids are made unique here).
  [[nodiscard]] import_result finish() && { return std::move(scan_).finish(); }

 private:
  detail::scan_collector scan_;
};

}  // namespace twinrisk
