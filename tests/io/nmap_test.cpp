#include <map>
#include <ranges>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/nmap.hpp"

using namespace twinrisk;

namespace nmap_test {

import_result import_text(const twin& base, const std::string& xml, scan_options options = {}) {
  nmap_importer importer(base, std::move(options));
  std::istringstream in(xml);
  importer.add_stream(in, "r.xml");
  return std::move(importer).finish();
}

const std::filesystem::path data = twinrisk_test::source_dir() / "tests/data/scanners/nmap";

// The edges from `from` to `to`, by kind.
std::vector<edge> edges_between(const twin& t, const std::string& from, const std::string& to) {
  std::vector<edge> out;
  for (auto uv : t.out_edges(t.at(from)))
    if (t.target(uv) == t.at(to)) out.push_back(t[uv]);
  return out;
}


TEST_CASE("a real Nmap scan without -sV: one open port, a network_reach edge") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] = import_nmap(base, {data / "nmap_1port.xml"});
  REQUIRE(t.num_nodes() == base.num_nodes() + 2);  // scan:nmap_1port and host:127.0.0.1
  const auto host = t.at("host:127.0.0.1"), scan = t.at("scan:nmap_1port");
  CHECK(t[host].name == "localhost.localdomain");
  CHECK(t[host].kind == node_kind::host);  // no OS detection
  CHECK(t[host].properties == nlohmann::json{{"host-ip", "127.0.0.1"},
                                             {"host-fqdn", "localhost.localdomain"},
                                             {"services", {{{"port", "5432/tcp"}, {"service", "postgresql"}}}}});
  CHECK(t[scan].name == "Scanner vantage point (nmap_1port)");
  CHECK(t[scan].entry_point);
  const auto e = edges_between(t, "scan:nmap_1port", "host:127.0.0.1");
  REQUIRE(e.size() == 1);
  CHECK(e[0].kind == edge_kind::network_reach);
  CHECK(e[0].probability == 0.05);
  CHECK(e[0].vulnerabilities.empty());
  CHECK(s.format == "nmap");
  CHECK(s.files == 1);
  CHECK(s.records == 1);
  CHECK(s.records_by_type == name_counts{{"hosts", 1}, {"hosts added", 1}, {"ports not listed (extraports): closed", 997},
                                         {"ports open", 1}, {"vantage points added", 1}});
  CHECK(s.edges_by_kind == name_counts{{"network_reach", 1}});
  CHECK(s.default_probabilities == std::map<std::string, double, std::less<>>{{"network_reach", 0.05}});
}

TEST_CASE("a real Nmap -sV -O scan with scripts (python-libnmap's fixture): services, OS, no CVE") {
  const twin base = twinrisk_test::small_twin();
  const auto [t, s] = import_nmap(base, {data / "libnmap-1_os_banner_scripts.xml"}, {.from = "vpn", .reach_probability = 0.2});
  REQUIRE(t.num_nodes() == base.num_nodes() + 1);
  const auto host = t.at("host:127.0.0.1");
  CHECK(t[host].name == "localhost");
  CHECK(t[host].properties["operating-system"] == "Netgear embedded");  // Nmap 5.51: the first <osclass>, no <osmatch>
  CHECK(t[host].kind == node_kind::host);
  const nlohmann::json& services = t[host].properties["services"];
  REQUIRE(services.size() == 8);
  CHECK(services[0] == nlohmann::json{{"port", "22/tcp"}, {"service", "ssh"}, {"product", "OpenSSH"}, {"version", "5.3"}});
  CHECK(services[3] == nlohmann::json{{"port", "111/tcp"}, {"service", "rpcbind"}, {"version", "2-4"}});
  CHECK(services[7] == nlohmann::json{{"port", "8080/tcp"}, {"service", "tcpwrapped"}});
  const auto e = edges_between(t, "vpn", "host:127.0.0.1");
  REQUIRE(e.size() == 1);  // eight open ports, none with a CVE: one reach edge
  CHECK(e[0].kind == edge_kind::network_reach);
  CHECK(e[0].probability == 0.2);
  CHECK(s.records_by_type == name_counts{{"hosts", 1}, {"hosts added", 1}, {"ports not listed (extraports): closed", 992},
                                         {"ports open", 8}});
}

TEST_CASE("Nmap with the vulners script: CVEs on exploits edges, other open ports reachable, down hosts skipped") {
  const twin base = twinrisk_test::small_twin();
  SUBCASE("every CVE of at least low severity") {
    const auto [t, s] = import_nmap(base, {data / "vulners-handmade.xml"});
    REQUIRE(t.num_nodes() == base.num_nodes() + 3);  // the vantage point, .10, .11; .12 is down
    CHECK_FALSE(t.find("host:192.0.2.12"));
    const auto web = t.at("host:192.0.2.10");
    CHECK(t[web].name == "web.example.test");
    CHECK(t[web].kind == node_kind::server);  // Linux
    CHECK(t[web].properties["host-ipv6"] == "2001:db8::10");
    CHECK(t[web].properties["mac-address"] == "00:00:5E:00:53:10");
    CHECK(t[web].properties["hostnames"] == nlohmann::json{"web.example.test", "web01.example.test"});
    CHECK(t[web].properties["services"] ==
          nlohmann::json{{{"port", "22/tcp"}, {"service", "ssh"}, {"product", "OpenSSH"}, {"version", "7.4"},
                          {"cpe", {"cpe:/a:openbsd:openssh:7.4", "cpe:/o:linux:linux_kernel"}}},
                         {{"port", "80/tcp"}, {"service", "http"}, {"product", "nginx"}, {"version", "1.25.3"},
                          {"cpe", {"cpe:/a:f5:nginx:1.25.3"}}}});
    auto e = edges_between(t, "scan:vulners-handmade", "host:192.0.2.10");
    REQUIRE(e.size() == 2);
    if (e[0].kind != edge_kind::exploits) std::swap(e[0], e[1]);
    CHECK(e[0].kind == edge_kind::exploits);
    CHECK(e[0].probability == 1.0);
    CHECK(e[0].vulnerabilities.to_vector() == std::vector<vulnerability>{{"CVE-2018-15473", ""}, {"CVE-2020-15778", ""},
                                                                         {"CVE-2021-36368", ""}, {"CVE-2023-38408", ""}});
    CHECK(e[1].kind == edge_kind::network_reach);  // 80/tcp: no CVE
    const auto files = t.at("host:192.0.2.11");
    CHECK(t[files].kind == node_kind::server);  // Windows Server
    CHECK(edges_between(t, "scan:vulners-handmade", "host:192.0.2.11").size() == 1);
    CHECK(s.records == 3);
    CHECK(s.records_by_type == name_counts{{"hosts", 2},
                                           {"hosts added", 2},
                                           {"hosts down (skipped)", 1},
                                           {"ports not listed (extraports): closed", 996},
                                           {"ports not listed (extraports): filtered", 998},
                                           {"ports not open: closed", 1},
                                           {"ports not open: filtered", 1},
                                           {"ports open", 4},
                                           {"vantage points added", 1},
                                           {"vulners CVEs", 4},
                                           {"vulners entries without CVE", 1}});
    CHECK(s.edges_by_kind == name_counts{{"exploits", 1}, {"network_reach", 2}});
  }
  SUBCASE("min severity high: CVEs scored below 7 are counted, not imported") {
    const auto [t, s] = import_nmap(base, {data / "vulners-handmade.xml"}, {.min_severity = 3});
    const auto e = edges_between(t, "scan:vulners-handmade", "host:192.0.2.10");
    REQUIRE(e.size() == 2);
    for (const edge& x : e)
      if (x.kind == edge_kind::exploits)
        CHECK(x.vulnerabilities.to_vector() == std::vector<vulnerability>{{"CVE-2020-15778", ""}, {"CVE-2023-38408", ""}});
    CHECK(s.records_by_type.at("vulners CVEs") == 2);
    CHECK(s.records_by_type.at("vulners CVEs below min severity") == 2);
  }
  SUBCASE("min severity critical on a port whose CVEs all fall below it: the port is only reachable") {
    const auto [t, s] = import_text(base, R"(<nmaprun><host><status state="up"/><address addr="10.1.1.1"/><ports>
<port protocol="tcp" portid="22"><state state="open"/><service name="ssh"/><script id="vulners"><table key="cpe:/a:x:y:1">
<table><elem key="cvss">5.0</elem><elem key="id">CVE-2020-0001</elem><elem key="type">cve</elem></table></table></script></port>
</ports></host></nmaprun>)",
                                    {.min_severity = 4});
    (void)s;
    const auto e = edges_between(t, "scan:r", "host:10.1.1.1");
    REQUIRE(e.size() == 1);
    CHECK(e[0].kind == edge_kind::network_reach);
  }
}

TEST_CASE("Nmap hosts join the twin's nodes by name or address") {
  const twin base = twinrisk_test::small_twin();
  const char* const xml = R"(<nmaprun>
<host><status state="up"/><address addr="10.0.0.9"/><hostnames><hostname name="LAPTOP" type="PTR"/></hostnames>
<ports><port protocol="tcp" portid="3389"><state state="open"/><service name="ms-wbt-server"/></port></ports></host>
<host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/><address addr="AA:BB:CC:DD:EE:FF" addrtype="mac"/>
<ports><port protocol="udp" portid="500"><state state="open|filtered"/></port></ports></host>
<host><status state="unknown"/><address addr="10.0.0.2"/></host>
</nmaprun>)";
  SUBCASE("by host name, any case; a host with no open port is a node without edges") {
    const auto [t, s] = import_text(base, xml, {.from = "vpn"});
    CHECK(t.num_nodes() == base.num_nodes() + 1);  // host:10.0.0.1; 10.0.0.9 is ws ("Laptop")
    CHECK(edges_between(t, "vpn", "ws").size() == 2);  // the twin's own reach edge, and the scan's
    CHECK(std::ranges::distance(t.in_edges(t.at("host:10.0.0.1"))) == 0);
    CHECK(t[t.at("host:10.0.0.1")].properties == nlohmann::json{{"host-ip", "10.0.0.1"}, {"mac-address", "AA:BB:CC:DD:EE:FF"}});
    CHECK(s.records_by_type == name_counts{{"hosts", 2}, {"hosts added", 1}, {"hosts matched", 1}, {"hosts unknown (skipped)", 1},
                                           {"ports not open: open|filtered", 1}, {"ports open", 1}});
  }
  SUBCASE("by address, and the same report twice adds nothing new") {
    twin_builder b = builder_from(base);
    b.add_node("fw", {.name = "aa:bb:cc:dd:ee:ff", .kind = node_kind::network_device});
    const twin with_fw = std::move(b).build();
    nmap_importer importer(with_fw);
    for (int i = 0; i < 2; ++i) {
      std::istringstream in(xml);
      importer.add_stream(in, "dir/r.xml");
    }
    const auto [t, s] = std::move(importer).finish();
    CHECK(t.num_nodes() == with_fw.num_nodes() + 1);  // scan:r only: both hosts matched
    CHECK(t.find("scan:r"));
    CHECK(s.duplicate_edges == 1);
    CHECK(s.files == 2);
    CHECK(s.records_by_type.at("hosts matched") == 4);
  }
}

TEST_CASE("bad Nmap reports are rejected with file, line and column") {
  const twin base = twinrisk_test::small_twin();
  auto fails_with = [&](const std::string& xml, const std::string& message) {
    CAPTURE(xml);
    CHECK_THROWS_WITH_AS((void)import_text(base, xml), message.c_str(), input_error);
  };
  fails_with("", "r.xml:1:1: malformed XML: no element found");
  fails_with("<nmaprun><host>", "r.xml:1:16: malformed XML: no element found");
  fails_with("<NessusClientData_v2/>", "r.xml:1:1: expected an Nmap report (root element nmaprun), found <NessusClientData_v2>");
  fails_with("<nmaprun>\n<host><address addr=\"10.0.0.1\"/></host></nmaprun>", "r.xml:2:33: expected a host with a <status>");
  fails_with("<nmaprun>\n<host><status state=\"up\"/></host></nmaprun>", "r.xml:2:27: expected a host with an <address>");
  fails_with("<nmaprun><host><status state=\"up\"/><ports>\n  <port portid=\"22\"/></ports></host></nmaprun>",
             "r.xml:2:3: expected a port with a portid and a protocol");
  const std::string port = "<nmaprun><host><status state=\"up\"/><address addr=\"10.0.0.1\"/><ports><port protocol=\"tcp\" portid=\"22\">"
                           "<state state=\"open\"/><script id=\"vulners\"><table key=\"cpe:/a:x\">\n<table>";
  const std::string rest = "</table></table></script></port></ports></host></nmaprun>";
  fails_with(port + "<elem key=\"id\">CVE-12-1</elem><elem key=\"type\">cve</elem>" + rest,
             "r.xml:2:65: expected a CVE id such as CVE-2024-4577, got \"CVE-12-1\"");
  fails_with(port + "<elem key=\"id\">CVE-2024-4577</elem><elem key=\"cvss\">high</elem>" + rest,
             "r.xml:2:71: expected a CVSS score from 0 to 10, got \"high\"");
  fails_with(port + "<elem key=\"id\">CVE-2024-4577</elem><elem key=\"cvss\">11</elem>" + rest,
             "r.xml:2:69: expected a CVSS score from 0 to 10, got \"11\"");
  fails_with("<nmaprun><host></nmaprun>", "r.xml:1:18: malformed XML: mismatched tag");
  fails_with("<!DOCTYPE nmaprun SYSTEM \"file:///etc/passwd\"><nmaprun/>",
             "r.xml:1:46: external DTD (SYSTEM \"file:///etc/passwd\") is not allowed: a scan report must not refer to other files");
  fails_with("<!DOCTYPE n [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><nmaprun args=\"&e;\"/>",
             "r.xml:1:52: external entity 'e' (SYSTEM \"file:///etc/passwd\") is not allowed: a scan report must not refer to other files");
  CHECK_THROWS_WITH_AS((void)nmap_importer(base, {.from = "nowhere"}), "from: no node has the id 'nowhere'", input_error);
  CHECK_THROWS_WITH_AS((void)nmap_importer(base, {.reach_probability = 1.5}), "reach_probability: expected a probability in [0, 1]",
                       input_error);
}

}  // namespace nmap_test
