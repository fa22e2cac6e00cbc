#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/scan.hpp"

using namespace twinrisk;

static_assert(importer<scan_importer>);
static_assert(importer<openvas_importer>);
static_assert(importer<nmap_importer>);

namespace scan_test {

const std::filesystem::path data = twinrisk_test::source_dir() / "tests/data";

void add_text(scan_importer& importer, const std::string& xml, const std::string& name) {
  std::istringstream in(xml);
  importer.add_stream(in, name);
}


TEST_CASE("one scan import reads Nessus, OpenVAS and Nmap reports, told apart by their root element") {
  const twin base = twinrisk_test::small_twin();
  SUBCASE("the real fixtures together") {
    scan_importer importer(base, {.from = "vpn"});
    add_inputs(importer, {data / "nessus/pytenable-example.nessus", data / "scanners/openvas/one_vuln.xml",
                          data / "scanners/openvas/no_vuln.xml", data / "scanners/nmap/vulners-handmade.xml"});
    const auto [t, s] = std::move(importer).finish();
    CHECK(s.format == "nessus+openvas+nmap");
    CHECK(s.files == 4);
    CHECK(t.num_nodes() == base.num_nodes() + 4);  // 172.26.103.174, 10.0.101.2, 192.0.2.10, 192.0.2.11
    CHECK(s.edges_by_kind == name_counts{{"exploits", 3}, {"network_reach", 2}});
    CHECK(s.records_by_type.at("hosts added") == 4);
  }
  SUBCASE("a host two scanners saw is one node; its service is one edge per kind of finding") {
    scan_importer importer(base);
    add_text(importer,
             "<NessusClientData_v2><Report name=\"lan\"><ReportHost name=\"10.0.0.5\"><HostProperties><tag name=\"host-ip\">10.0.0.5</tag>"
             "</HostProperties><ReportItem port=\"22\" protocol=\"tcp\" svc_name=\"ssh\" severity=\"2\"><cve>CVE-2023-48795</cve></ReportItem>"
             "</ReportHost></Report></NessusClientData_v2>",
             "a.nessus");
    add_text(importer,
             "<nmaprun><host><status state=\"up\"/><address addr=\"10.0.0.5\"/><hostnames><hostname name=\"web.test\"/></hostnames><ports>"
             "<port protocol=\"tcp\" portid=\"80\"><state state=\"open\"/><service name=\"http\"/></port></ports></host></nmaprun>",
             "lan.xml");
    const auto [t, s] = std::move(importer).finish();
    CHECK(s.format == "nessus+nmap");
    CHECK(t.num_nodes() == base.num_nodes() + 2);  // scan:lan (both reports are named "lan") and host:10.0.0.5
    CHECK(t.find("scan:lan"));
    CHECK(s.records_by_type.at("hosts added") == 1);
    CHECK(s.edges_by_kind == name_counts{{"exploits", 1}, {"network_reach", 1}});
  }
  SUBCASE("no report read: the summary is named after the importer") {
    const auto [t, s] = scan_importer(base).finish();
    CHECK(s.format == "scan");
    CHECK(t.num_nodes() == base.num_nodes());
  }
}

TEST_CASE("a document of no known scanner is an input error naming the roots read") {
  const twin base = twinrisk_test::small_twin();
  scan_importer importer(base);
  CHECK_THROWS_WITH_AS(add_text(importer, "<?xml version=\"1.0\"?>\n<html/>", "page.xml"),
                       "page.xml:2:1: expected a scan report: Nessus (root element NessusClientData_v2), OpenVAS/GVM (report) or Nmap "
                       "(nmaprun), found <html>",
                       input_error);
  CHECK_THROWS_WITH_AS(add_text(importer, "<nmaprun><host><status state=\"up\"/></host></nmaprun>", "n.xml"),
                       "n.xml:1:36: expected a host with an <address>", input_error);
  CHECK_THROWS_WITH_AS(add_text(importer, "{\"bindings\": []}", "iam.json"), "iam.json:1:1: malformed XML: not well-formed (invalid token)", input_error);
}

}  // namespace scan_test
