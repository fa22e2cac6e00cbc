#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/openvas.hpp"

using namespace twinrisk;

namespace openvas_test {

import_result import_text(const twin& base, const std::string& xml, scan_options options = {}) {
  openvas_importer importer(base, std::move(options));
  std::istringstream in(xml);
  importer.add_stream(in, "r.xml");
  return std::move(importer).finish();
}

const std::filesystem::path data = twinrisk_test::source_dir() / "tests/data/scanners/openvas";

std::vector<edge> edges_between(const twin& t, const std::string& from, const std::string& to) {
  std::vector<edge> out;
  for (auto uv : t.out_edges(t.at(from)))
    if (t.target(uv) == t.at(to)) out.push_back(t[uv]);
  return out;
}

// A GVM 22.4 report in the shape gvmd writes: host details, a modern result (refs, severities with
// a v3 vector), an older one (a <cve> list, a v2 vector in the tags), a log, a false positive, a
// low finding, and the summary counters saying something else.
const char* const gvm_report = R"(<?xml version="1.0"?>
<report id="r1" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5"><name>dmz-weekly</name><owner><name>admin</name></owner>
<report id="r1"><gmp><version>22.4</version></gmp>
<host><ip>10.20.0.5</ip><asset asset_id="a"/><detail><name>best_os_txt</name><value>Ubuntu 22.04 LTS (Linux)</value>
  <source><name>1.3.6.1.4.1.25623.1.0.105937</name></source></detail>
  <detail><name>hostname</name><value>web01.corp.example</value></detail></host>
<host><ip>10.20.0.9</ip><detail><name>hostname</name><value>LAPTOP</value></detail></host>
<ports start="1" max="-1"><count>1</count><port>443/tcp<host>10.20.0.5</host><severity>9.8</severity></port></ports>
<results start="1" max="-1">
<result id="a"><name>Modern NVT</name>
  <host>10.20.0.5<asset asset_id="a"/><hostname>web01.corp.example</hostname></host>
  <port>443/tcp</port>
  <nvt oid="1.3.6.1.4.1.25623.1.0.1"><type>nvt</type><name>Modern NVT</name><cvss_base>9.8</cvss_base>
    <severities score="9.8">
      <severity type="cvss_base_v2"><origin/><date/><score>7.5</score><value>AV:N/AC:L/Au:N/C:P/I:P/A:P</value></severity>
      <severity type="cvss_base_v3"><origin/><date/><score>9.8</score><value>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</value></severity>
    </severities>
    <refs><ref type="url" id="https://example.test/adv"/><ref type="cve" id="CVE-2024-4577"/><ref type="cve" id="CVE-2012-1823"/></refs>
    <tags>cvss_base_vector=AV:N/AC:L/Au:N/C:P/I:P/A:P|summary=bad</tags></nvt>
  <severity>9.8</severity><threat>High</threat>
  <detection><result id="d"><details><detail><name>product</name><value>cpe:/a:php:php:8.1.0</value></detail></details></result></detection>
</result>
<result id="b"><name>Older NVT</name><host>10.20.0.5</host><port>22/tcp</port>
  <nvt oid="1.3.6.1.4.1.25623.1.0.2"><cve>CVE-2023-48795, CVE-2023-51385</cve><tags>cvss_base_vector=AV:N/AC:M/Au:N/C:P/I:P/A:N</tags></nvt>
  <severity>5.9</severity><threat>Medium</threat></result>
<result id="c"><name>Same port, more CVEs</name><host>10.20.0.5</host><port>443/tcp</port>
  <nvt oid="3"><refs><ref type="cve" id="CVE-2012-1823"/><ref type="cve" id="CVE-2021-44228"/></refs>
  <tags>cvss_base_vector=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H|summary=log4shell</tags></nvt>
  <severity>10.0</severity><threat>High</threat></result>
<result id="d"><name>OS detection</name><host>10.20.0.5</host><port>general/tcp</port><nvt oid="4"/><severity>0.0</severity><threat>Log</threat></result>
<result id="e"><name>Overridden</name><host>10.20.0.9</host><port>445/tcp</port>
  <nvt oid="5"><refs><ref type="cve" id="CVE-2017-0144"/></refs></nvt><severity>-1.0</severity><threat>False Positive</threat></result>
<result id="f"><name>Weak thing</name><host>10.20.0.9</host><port>3389/tcp</port>
  <nvt oid="6"><refs><ref type="cve" id="CVE-2019-0708"/></refs></nvt><severity>2.6</severity><threat>Low</threat></result>
<result id="g"><name>No CVE</name><host>10.20.0.9</host><port>80/tcp</port><nvt oid="7"><refs/></nvt><severity>5.0</severity><threat>Medium</threat></result>
</results>
<result_count>0<full>0</full><hole><full>0</full></hole></result_count>
</report></report>
)";


TEST_CASE("a real GVM report (DefectDojo's one_vuln.xml): one result, 12 CVEs, counters that say 0") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] = import_openvas(base, {data / "one_vuln.xml"});
  REQUIRE(t.num_nodes() == base.num_nodes() + 2);
  const auto host = t.at("host:10.0.101.2"), scan = t.at("scan:dc01-testlab-scan");
  CHECK(t[host].name == "10.0.101.2");
  CHECK(t[host].kind == node_kind::host);
  CHECK(t[host].properties == nlohmann::json{{"host-ip", "10.0.101.2"}});
  CHECK(t[scan].name == "Scanner vantage point (dc01-testlab-scan)");
  CHECK(t[scan].entry_point);
  const auto e = edges_between(t, "scan:dc01-testlab-scan", "host:10.0.101.2");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == edge_kind::exploits);
  CHECK(e[0].probability == 1.0);
  std::vector<vulnerability> expected;
  for (int n : {4573, 4574, 4575, 4576, 4577, 4578, 4579, 4580, 4581, 4583, 4584, 4585})  // sorted, though the report is not
    expected.push_back({"CVE-2023-" + std::to_string(n), ""});                            // cvss_base 10.0 only: no vector
  CHECK(e[0].vulnerabilities.to_vector() == expected);
  CHECK(s.format == "openvas");
  CHECK(s.records == 1);
  CHECK(s.records_by_type == name_counts{{"findings with CVE", 1}, {"hosts", 1}, {"hosts added", 1}, {"vantage points added", 1}});
  CHECK(s.edges_by_kind == name_counts{{"exploits", 1}});
  SUBCASE("its severity is the result's (10.0, after overrides), not the original 5") {
    const auto [t4, s4] = import_openvas(base, {data / "one_vuln.xml"}, {.min_severity = 4});
    CHECK(t4.num_edges() == base.num_edges() + 1);
    CHECK(s4.records_by_type.at("findings with CVE") == 1);
  }
}

TEST_CASE("a real GVM report without results (no_vuln.xml) imports nothing and is no error") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] = import_openvas(base, {data / "no_vuln.xml"});
  CHECK(t.num_nodes() == base.num_nodes());
  CHECK(t.num_edges() == base.num_edges());
  CHECK(s.files == 1);
  CHECK(s.records == 0);
  CHECK(s.records_by_type.empty());
}

TEST_CASE("GVM results become exploits edges per host and port, with CVEs and v3 vectors") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] = import_text(base, gvm_report);
  REQUIRE(t.num_nodes() == base.num_nodes() + 2);  // scan:dmz-weekly, host:10.20.0.5; 10.20.0.9 is "LAPTOP" (ws)
  const auto web = t.at("host:10.20.0.5");
  CHECK(t[web].name == "web01.corp.example");
  CHECK(t[web].kind == node_kind::server);
  CHECK(t[web].properties == nlohmann::json{{"host-ip", "10.20.0.5"}, {"host-fqdn", "web01.corp.example"},
                                            {"operating-system", "Ubuntu 22.04 LTS (Linux)"}});
  auto e = edges_between(t, "scan:dmz-weekly", "host:10.20.0.5");
  REQUIRE(e.size() == 2);
  std::sort(e.begin(), e.end(), [](const edge& a, const edge& b) { return a.vulnerabilities.size() < b.vulnerabilities.size(); });
  CHECK(e[0].vulnerabilities.to_vector() == std::vector<vulnerability>{{"CVE-2023-48795", ""}, {"CVE-2023-51385", ""}});  // v2 only
  const std::string v31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", log4j = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H";
  CHECK(e[1].vulnerabilities.to_vector() ==
        std::vector<vulnerability>{{"CVE-2012-1823", v31}, {"CVE-2021-44228", log4j}, {"CVE-2024-4577", v31}});
  const auto laptop = edges_between(t, "scan:dmz-weekly", "ws");  // the low finding; not the false positive
  REQUIRE(laptop.size() == 1);
  CHECK(laptop[0].vulnerabilities.to_vector() == std::vector<vulnerability>{{"CVE-2019-0708", ""}});
  CHECK(s.records == 7);
  CHECK(s.records_by_type == name_counts{{"findings with CVE", 4},
                                         {"findings without CVE", 1},
                                         {"findings: false positive", 1},
                                         {"findings: informational", 1},
                                         {"hosts", 2},
                                         {"hosts added", 1},
                                         {"hosts matched", 1},
                                         {"vantage points added", 1}});
}

TEST_CASE("GVM hosts join the twin's nodes; min severity filters by score") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] = import_text(base, gvm_report, {.from = "vpn", .min_severity = 3});
  CHECK(t.num_nodes() == base.num_nodes() + 1);
  CHECK(edges_between(t, "vpn", "host:10.20.0.5").size() == 1);  // 443/tcp (9.8, 10.0); 22/tcp is medium
  CHECK(edges_between(t, "vpn", "ws").size() == 1);               // the twin's own edge only: 3389/tcp is low
  CHECK(s.records_by_type.at("findings below min severity") == 2);
}

TEST_CASE("bad GVM reports are rejected with file, line and column") {
  const twin base = twinrisk_test::small_twin();
  auto fails_with = [&](const std::string& xml, const std::string& message) {
    CAPTURE(xml);
    CHECK_THROWS_WITH_AS((void)import_text(base, xml), message.c_str(), input_error);
  };
  fails_with("", "r.xml:1:1: malformed XML: no element found");
  fails_with("<nmaprun/>", "r.xml:1:1: expected an OpenVAS/GVM report (root element report), found <nmaprun>");
  fails_with("<report><report><results>\n<result><port>22/tcp</port><severity>5</severity></result>",
             "r.xml:2:50: expected a result with a <host>");
  fails_with("<report><results>\n<result><host>h</host><severity>high</severity></result></results></report>",
             "r.xml:2:48: expected a severity from -3 to 10, got \"high\"");
  fails_with("<report><results>\n<result><host>h</host><severity>12</severity></result></results></report>",
             "r.xml:2:46: expected a severity from -3 to 10, got \"12\"");
  fails_with("<report><results>\n<result><host>h</host><threat>Urgent</threat></result></results></report>",
             "r.xml:2:46: expected a result with a <severity> or a <threat> of Log, Low, Medium, High or Critical");
  fails_with("<report><results><result><host>h</host>\n<nvt><refs><ref type=\"cve\" id=\"CVE-1\"/></refs></nvt></result></results></report>",
             "r.xml:2:12: expected a CVE id such as CVE-2024-4577, got \"CVE-1\"");
  fails_with("<report><results><result><host>h</host>\n<nvt><cve>CVE-2024-4577 CVE-x</cve></nvt></result></results></report>",
             "r.xml:2:30: expected a CVE id such as CVE-2024-4577, got \"CVE-x\"");
  fails_with("<report><results><result><host>h</host><nvt><refs><ref type=\"cve\" id=\"CVE-2024-4577\"/></refs>\n"
             "<tags>cvss_base_vector=CVSS:3.1/AV:Q</tags></nvt><severity>9</severity></result></results></report>",
             "r.xml:2:72: bad CVSS v3 vector \"CVSS:3.1/AV:Q\": column 10: bad value 'Q' for metric 'AV' (expected one of N, A, L, P)");
  fails_with("<report><results></report>", "r.xml:1:20: malformed XML: mismatched tag");
  fails_with("<!DOCTYPE report [<!ENTITY e SYSTEM \"http://example.test/x\">]><report/>",
             "r.xml:1:60: external entity 'e' (SYSTEM \"http://example.test/x\") is not allowed: a scan report must not refer to other files");
}

}  // namespace openvas_test
