#include <algorithm>
#include <fstream>
#include <ranges>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/nessus.hpp"

using namespace twinrisk;

namespace {

import_result import_text(const twin& base, const std::string& xml, scan_options options = {}) {
  nessus_importer importer(base, std::move(options));
  std::istringstream in(xml);
  importer.add_stream(in, "r.nessus");
  return std::move(importer).finish();
}

const char* const two_hosts = R"(<?xml version="1.0" ?>
<NessusClientData_v2>
<Report name="dmz">
<ReportHost name="10.0.0.5"><HostProperties>
  <tag name="host-ip">10.0.0.5</tag><tag name="host-fqdn">web.example.test</tag>
  <tag name="operating-system">Linux Kernel 5.4</tag></HostProperties>
  <ReportItem port="443" svc_name="www" protocol="tcp" severity="4" pluginID="1" pluginName="PHP CGI">
    <cve>CVE-2024-4577</cve><cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector></ReportItem>
  <ReportItem port="443" svc_name="www" protocol="tcp" severity="2" pluginID="2" pluginName="old TLS">
    <cve>CVE-2011-3389</cve></ReportItem>
  <ReportItem port="22" svc_name="ssh" protocol="tcp" severity="1" pluginID="3" pluginName="ssh banner">
    <cve>CVE-2023-48795</cve><cvss3_vector>AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N</cvss3_vector></ReportItem>
  <ReportItem port="0" protocol="tcp" severity="0" pluginID="4" pluginName="OS identification"/>
</ReportHost>
<ReportHost name="laptop"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
  <ReportItem port="80" protocol="tcp" severity="3" pluginID="5" pluginName="no CVE"/>
</ReportHost>
</Report>
</NessusClientData_v2>
)";

}  // namespace

TEST_CASE("Nessus findings become exploits edges with their CVEs and CVSS vectors") {
  const twin base = twinrisk_test::small_twin();
  SUBCASE("a new vantage point and new hosts") {
    const auto [t, s] = import_text(base, two_hosts);
    REQUIRE(t.num_nodes() == base.num_nodes() + 2);  // scan:dmz, host:10.0.0.5; "laptop" is node ws ("Laptop")
    const auto web = t.at("host:10.0.0.5"), scan = t.at("scan:dmz");
    CHECK(t[web].name == "web.example.test");
    CHECK(t[web].kind == node_kind::server);
    CHECK(t[web].properties["operating-system"] == "Linux Kernel 5.4");
    CHECK(t[scan].kind == node_kind::network_segment);
    CHECK(t[scan].entry_point);
    REQUIRE(t.num_edges() == base.num_edges() + 2);  // 443/tcp and 22/tcp on web; the laptop has no CVE
    std::vector<std::vector<vulnerability>> found;
    for (auto uv : t.out_edges(scan)) {
      CHECK(t[uv].kind == edge_kind::exploits);
      CHECK(t[uv].probability == 1.0);
      CHECK(t.target(uv) == web);
      found.push_back(t[uv].vulnerabilities.to_vector());
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
    CHECK(found[0] == std::vector<vulnerability>{{"CVE-2023-48795", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N"}});
    CHECK(found[1] == std::vector<vulnerability>{{"CVE-2011-3389", ""},
                                                 {"CVE-2024-4577", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}});
    CHECK(s.records == 5);
    CHECK(s.records_by_type == name_counts{{"findings with CVE", 3}, {"findings without CVE", 1}, {"findings: informational", 1},
                                           {"hosts", 2}, {"hosts added", 1}, {"hosts matched", 1},
                                           {"vantage points added", 1}});
    CHECK(s.edges_by_kind == name_counts{{"exploits", 2}});
  }
  SUBCASE("hosts matched to twin nodes by name, findings from a given vantage point") {
    const auto [t, s] = import_text(base, two_hosts, {.from = "vpn", .min_severity = 2});
    (void)s;
    CHECK(t.num_nodes() == base.num_nodes() + 1);  // host:10.0.0.5 only: no scan node
    CHECK(std::ranges::distance(t.out_edges(t.at("vpn"))) == 2);  // vpn -> ws as before, vpn -> web (443 only: 22 is low)
  }
  SUBCASE("importing the same report twice adds nothing new") {
    nessus_importer importer(base);
    for (int i = 0; i < 2; ++i) {
      std::istringstream in(two_hosts);
      importer.add_stream(in, "r.nessus");
    }
    const auto [t, s] = std::move(importer).finish();
    CHECK(t.num_edges() == base.num_edges() + 2);
    CHECK(s.duplicate_edges == 2);
  }
}

TEST_CASE("bad scan reports are rejected with file, line and column") {
  const twin base = twinrisk_test::small_twin();
  auto fails_with = [&](const std::string& xml, const std::string& message) {
    CAPTURE(xml);
    CHECK_THROWS_WITH_AS((void)import_text(base, xml), message.c_str(), input_error);
  };
  fails_with("<NessusClientData_v2><Report>", "r.nessus:1:30: malformed XML: no element found");
  fails_with("<nmaprun/>", "r.nessus:1:1: expected a Nessus report (root element NessusClientData_v2), found <nmaprun>");
  fails_with("", "r.nessus:1:1: malformed XML: no element found");
  fails_with("<NessusClientData_v2><Report><ReportHost name=\"h\">\n<ReportItem severity=\"high\"/></ReportHost></Report></NessusClientData_v2>",
             "r.nessus:2:1: expected a severity from 0 to 4, got \"high\"");
  fails_with("<NessusClientData_v2><Report><ReportHost name=\"h\"><ReportItem severity=\"3\"><cve>CVE-24-1</cve>"
             "</ReportItem></ReportHost></Report></NessusClientData_v2>",
             "r.nessus:1:89: expected a CVE id such as CVE-2024-4577, got \"CVE-24-1\"");
  fails_with("<NessusClientData_v2><Report><ReportHost name=\"h\"><ReportItem severity=\"3\"><cve>CVE-2024-1234</cve>"
             "<cvss3_vector>CVSS:3.0/AV:Q</cvss3_vector></ReportItem></ReportHost></Report></NessusClientData_v2>",
             "r.nessus:1:127: bad CVSS v3 vector \"CVSS:3.0/AV:Q\": column 10: bad value 'Q' for metric 'AV' (expected one of N, A, L, P)");
  fails_with("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
             "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
             "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
             "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"
             "<NessusClientData_v2><Report name=\"&h;\"/></NessusClientData_v2>",
             "r.nessus:1:369: malformed XML: limit on input amplification factor (from DTD and entities) breached");
  CHECK_THROWS_WITH_AS((void)nessus_importer(base, {.from = "nowhere"}), "from: no node has the id 'nowhere'", input_error);
  // Hosts and findings without the attributes that place them.
  fails_with("<NessusClientData_v2><Report name=\"r\"><ReportHost><ReportItem severity=\"3\"/></ReportHost></Report></NessusClientData_v2>",
             "r.nessus:1:39: expected a ReportHost with a name");
  fails_with("<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"\"/></Report></NessusClientData_v2>",
             "r.nessus:1:39: expected a ReportHost with a name");
  fails_with("<NessusClientData_v2><Report><ReportHost name=\"h\">\n  <ReportItem port=\"80\" protocol=\"tcp\"><cve>CVE-2024-4577</cve></ReportItem>"
             "</ReportHost></Report></NessusClientData_v2>",
             "r.nessus:2:3: expected a severity from 0 to 4, found a ReportItem without one");
  fails_with("<NessusClientData_v2><Report><ReportHost name=\"h\">\n<ReportItem severity=\"10\"/></ReportHost></Report></NessusClientData_v2>",
             "r.nessus:2:1: expected a severity from 0 to 4, got \"10\"");
  fails_with("<NessusClientData_v2><Report><ReportHost name=\"h\">\n<ReportItem severity=\"-1\"/></ReportHost></Report></NessusClientData_v2>",
             "r.nessus:2:1: expected a severity from 0 to 4, got \"-1\"");
  // Malformed XML: mismatched tags, junk after the root, bad UTF-8.
  fails_with("<NessusClientData_v2><Report></ReportHost></NessusClientData_v2>", "r.nessus:1:32: malformed XML: mismatched tag");
  fails_with("<NessusClientData_v2/><NessusClientData_v2/>", "r.nessus:1:23: malformed XML: junk after document element");
  fails_with("<NessusClientData_v2><Report name=\"\xff\"/></NessusClientData_v2>",
             "r.nessus:1:36: malformed XML: not well-formed (invalid token)");
}

TEST_CASE("external entities (XXE) and external DTDs are rejected before anything is read") {
  const twin base = twinrisk_test::small_twin();
  const auto dir = twinrisk_test::scratch_dir("nessus_xxe");
  const auto secret = dir / "secret.txt";
  std::ofstream(secret) << "TOP-SECRET";
  const std::string url = "file://" + secret.string();
  auto message_for = [&](const std::string& xml) -> std::string {
    try {
      (void)import_text(base, xml);
    } catch (const input_error& e) {
      CHECK(std::string(e.what()).find("TOP-SECRET") == std::string::npos);
      return e.what();
    }
    return "no error";
  };
  // Referenced in an attribute, in text, or not at all: the declaration is the error.
  // The error points at the end of the declaration (the column depends on the scratch path).
  const auto rejected = [](const std::string& decl, const std::string& what) {
    return "r.nessus:1:" + std::to_string(decl.find('>') + 1) + ": " + what + " is not allowed: a scan report must not refer to other files";
  };
  const std::string decl = "<!DOCTYPE x [<!ENTITY e SYSTEM \"" + url + "\">]>\n";
  const std::string expected = rejected(decl, "external entity 'e' (SYSTEM \"" + url + "\")");
  CHECK(message_for(decl + "<NessusClientData_v2><Report name=\"&e;\"/></NessusClientData_v2>") == expected);
  CHECK(message_for(decl + "<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"h\"><HostProperties>"
                           "<tag name=\"host-ip\">&e;</tag></HostProperties></ReportHost></Report></NessusClientData_v2>") == expected);
  CHECK(message_for(decl + "<NessusClientData_v2/>") == expected);
  const std::string parameter = "<!DOCTYPE x [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>\n";
  CHECK(message_for(parameter + "<NessusClientData_v2/>") == rejected(parameter, "external entity 'p' (SYSTEM \"" + url + "\")"));
  const std::string dtd = "<!DOCTYPE x PUBLIC \"-//X//DTD X//EN\" \"" + url + "\">\n";
  CHECK(message_for(dtd + "<NessusClientData_v2/>") == rejected(dtd, "external DTD (PUBLIC \"-//X//DTD X//EN\")"));
  // Internal entities are plain XML and stay accepted (their expansion is bounded, see above).
  const auto [t, s] = import_text(base, "<!DOCTYPE x [<!ENTITY ip \"10.0.0.7\">]><NessusClientData_v2><Report name=\"r\">"
                                        "<ReportHost name=\"&ip;\"><ReportItem port=\"80\" protocol=\"tcp\" severity=\"3\">"
                                        "<cve>CVE-2024-4577</cve></ReportItem></ReportHost></Report></NessusClientData_v2>");
  (void)s;
  CHECK(t.find("host:10.0.0.7"));
}

TEST_CASE("a report file that cannot be read is an input error naming it") {
  const twin base = twinrisk_test::small_twin();
  CHECK_THROWS_WITH_AS((void)import_nessus(base, {"no/such/scan.nessus"}), "no/such/scan.nessus: cannot open: No such file or directory",
                       input_error);
  const auto dir = twinrisk_test::scratch_dir("nessus_dir");
  CHECK_THROWS_WITH_AS((void)import_nessus(base, {dir}), (dir.string() + ": expected a file, found a directory").c_str(), input_error);
}

TEST_CASE("a real Nessus export (Tenable's lab host, 45 findings, 161 CVEs)") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] =
      import_nessus(base, {twinrisk_test::source_dir() / "tests/data/nessus/pytenable-example.nessus"}, {.from = "ws"});
  const auto swat = t.at("host:172.26.103.174");
  CHECK(t[swat].name == "swat.lab.tenablesecurity.com");
  CHECK(t[swat].kind == node_kind::server);  // Linux
  CHECK(t[swat].properties["host-fqdn"] == "swat.lab.tenablesecurity.com");
  REQUIRE(t.num_edges() == base.num_edges() + 1);  // every finding is a local check on port 0/tcp
  for (auto uv : t.in_edges(swat)) {
    CHECK(t.source(uv) == t.at("ws"));
    CHECK(t[uv].vulnerabilities.size() == 161);
    for (const vulnerability& v : t[uv].vulnerabilities.to_vector()) {
      CHECK(detail::is_cve_id(v.cve));
      CHECK(v.cvss.starts_with("CVSS:3.0/"));  // prefixed, and scored by the builder's check
    }
  }
  CHECK(s.records == 45);
  CHECK(s.records_by_type == name_counts{{"findings with CVE", 45}, {"hosts", 1}, {"hosts added", 1}});
  CHECK(s.nodes == base.num_nodes() + 1);
}
