#pragma once
// One network's scan as each supported scanner writes it, for the scan import benchmark: a
// credentialed Nessus scan (.nessus: host properties, informational plugins with their output,
// vulnerable services' findings with CVEs, CVSS v2 and v3 vectors and the prose around them), a
// GVM/OpenVAS XML report (a <result> per finding with its NVT's tags, CVE references and CVSS v3
// severities; log results; the host details after the results) and an Nmap version scan with the
// vulners script (`nmap -sV --script vulners -oX`: open, closed and filtered ports, CPEs, one
// vulners table per product with CVE and exploit entries). The same hosts in the three: each has
// 3 to 7 services, most of them with a few CVEs out of a pool of 600.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "random_text.hpp"

namespace twinrisk_bench {

enum class scan_format { nessus, openvas, nmap };

/// Writes a report of `hosts` hosts in `format` into `dir` (created); returns its size in bytes.
inline std::uintmax_t write_scan_report(scan_format format, std::size_t hosts, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::filesystem::path file =
      dir / (format == scan_format::nessus ? "scan.nessus" : format == scan_format::openvas ? "gvm-report.xml" : "nmap-sV.xml");
  std::ofstream out(file, std::ios::binary);
  std::mt19937_64 rng(23);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto hex = [&](std::size_t n) { return random_hex(rng, n); };

  // The CVE pool: id, CVSS v3.1 vector, v2 vector, score.
  struct cve_entry {
    std::string id, v3, v2, score;
  };
  std::vector<cve_entry> cves;
  for (std::size_t i = 0; i < 600; ++i) {
    const char* av[] = {"N", "N", "N", "A", "L"};
    const char* hl[] = {"H", "L", "N"};
    cve_entry c{.id = "CVE-20" + std::to_string(15 + i % 10) + "-" + std::to_string(10000 + i * 37), .v3 = {}, .v2 = {}, .score = {}};
    c.v3 = std::string("CVSS:3.1/AV:") + av[pick(5)] + "/AC:" + (pick(4) ? "L" : "H") + "/PR:" + hl[2 - pick(3)] + "/UI:" + (pick(3) ? "N" : "R") +
           "/S:" + (pick(5) ? "U" : "C") + "/C:" + hl[pick(2)] + "/I:" + hl[pick(3)] + "/A:" + hl[pick(3)];
    c.v2 = std::string("AV:N/AC:") + (pick(2) ? "L" : "M") + "/Au:N/C:P/I:P/A:" + (pick(2) ? "P" : "N");
    c.score = std::to_string(4 + pick(6)) + "." + std::to_string(pick(10));
    cves.push_back(std::move(c));
  }
  struct service {
    int port;
    const char* protocol;
    const char* name;
    const char* product;
    const char* version;
    const char* cpe;
  };
  static const service services[] = {
      {22, "tcp", "ssh", "OpenSSH", "8.2p1", "cpe:/a:openbsd:openssh:8.2p1"},
      {80, "tcp", "http", "nginx", "1.18.0", "cpe:/a:f5:nginx:1.18.0"},
      {443, "tcp", "https", "Apache httpd", "2.4.41", "cpe:/a:apache:http_server:2.4.41"},
      {445, "tcp", "microsoft-ds", "Microsoft Windows SMB", "", "cpe:/o:microsoft:windows"},
      {3389, "tcp", "ms-wbt-server", "Microsoft Terminal Services", "", "cpe:/o:microsoft:windows"},
      {3306, "tcp", "mysql", "MySQL", "5.7.33", "cpe:/a:mysql:mysql:5.7.33"},
      {5432, "tcp", "postgresql", "PostgreSQL DB", "12.4", "cpe:/a:postgresql:postgresql:12.4"},
      {8080, "tcp", "http-proxy", "Apache Tomcat", "9.0.37", "cpe:/a:apache:tomcat:9.0.37"},
      {25, "tcp", "smtp", "Postfix smtpd", "", "cpe:/a:postfix:postfix"},
      {53, "udp", "domain", "ISC BIND", "9.16.1", "cpe:/a:isc:bind:9.16.1"},
  };
  struct host_data {
    std::string ip, fqdn, netbios, mac, os;
    bool windows;
    std::vector<std::size_t> services;                 // into `services`
    std::vector<std::vector<std::size_t>> findings;    // per service: CVE positions (empty: none known)
  };
  auto host_at = [&](std::size_t i) {
    host_data h;
    h.ip = "10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256);
    h.windows = pick(3) == 0;
    h.netbios = (h.windows ? "WS" : "SRV") + std::to_string(i);
    h.fqdn = (h.windows ? "ws" : "srv") + std::to_string(i) + ".corp.example.com";
    h.mac = "00:50:56:" + hex(2) + ":" + hex(2) + ":" + hex(2);
    h.os = h.windows ? "Microsoft Windows Server 2019 Standard" : "Linux Kernel 5.4.0-91-generic on Ubuntu 20.04";
    std::vector<std::size_t> candidates = h.windows ? std::vector<std::size_t>{3, 4, 1, 2, 5, 7, 9} : std::vector<std::size_t>{0, 1, 2, 5, 6, 7, 8, 9};
    for (std::size_t k = 0, n = 3 + pick(5); k < n && k < candidates.size(); ++k) {
      h.services.push_back(candidates[k]);
      std::vector<std::size_t> found;
      if (pick(4) != 0)
        for (std::size_t c = 0, nc = 1 + pick(5); c < nc; ++c) found.push_back(candidates[k] * 60 + pick(60));
      h.findings.push_back(std::move(found));
    }
    return h;
  };
  static constexpr std::string_view prose =
      "The remote host is affected by multiple vulnerabilities as referenced in the vendor advisory. An unauthenticated, "
      "remote attacker can exploit these issues to execute arbitrary code, cause a denial of service or disclose sensitive "
      "information. Note that Nessus has not tested for these issues but has instead relied only on the application's "
      "self-reported version number.";

  if (format == scan_format::nessus) {
    out << "<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n<Policy><policyName>Credentialed Internal Scan</policyName></Policy>\n"
           "<Report name=\"internal-weekly\" xmlns:cm=\"http://www.nessus.org/cm\">\n";
    for (std::size_t i = 0; i < hosts; ++i) {
      const host_data h = host_at(i);
      std::string s = "<ReportHost name=\"" + h.ip + "\"><HostProperties>\n";
      auto tag = [&](std::string_view name, const std::string& v) { s += "<tag name=\"" + std::string(name) + "\">" + v + "</tag>\n"; };
      tag("HOST_END", "Mon Mar  4 10:22:31 2024");
      tag("patch-summary-total-cves", std::to_string(3 * h.services.size()));
      tag("cpe-0", h.windows ? "cpe:/o:microsoft:windows_server_2019" : "cpe:/o:canonical:ubuntu_linux:20.04");
      tag("system-type", "general-purpose");
      tag("operating-system", h.os);
      tag("mac-address", h.mac);
      tag("traceroute-hop-0", "10.0.0.1");
      tag("Credentialed_Scan", "true");
      tag("policy-used", "Credentialed Internal Scan");
      tag("host-fqdn", h.fqdn);
      tag("netbios-name", h.netbios);
      tag("host-ip", h.ip);
      tag("host-uuid", random_uuid(rng));
      tag("HOST_START", "Mon Mar  4 10:02:11 2024");
      s += "</HostProperties>\n";
      auto item = [&](int port, std::string_view protocol, std::string_view svc, int severity, std::string_view plugin, const std::string& body) {
        s += "<ReportItem port=\"" + std::to_string(port) + "\" svc_name=\"" + std::string(svc) + "\" protocol=\"" + std::string(protocol) +
             "\" severity=\"" + std::to_string(severity) + "\" pluginID=\"" + std::to_string(10000 + pick(150000)) + "\" pluginName=\"" +
             std::string(plugin) + "\" pluginFamily=\"General\">\n" + body + "</ReportItem>\n";
      };
      item(0, "tcp", "general", 0, "Nessus Scan Information",
           "<description>This plugin displays, for each tested host, information about the scan itself.</description>\n"
           "<plugin_output>Information about this scan : \n\nNessus version : 10.6.4\nPlugin feed version : 202403040521\n"
           "Scanner edition used : Nessus\nScan type : Normal\nScan name : internal-weekly\nScan policy used : Credentialed Internal Scan\n"
           "Port scanner(s) : nessus_syn_scanner \nPort range : default\nPing RTT : 1.234 ms\nThorough tests : no\n"
           "Credentialed checks : yes\nPatch management checks : None \nCGI scanning : disabled\nWeb application tests : disabled\n"
           "Max hosts : 30\nMax checks : 4\nRecv timeout : 5\nScan Start Date : 2024/3/4 10:02 UTC\nScan duration : 1220 sec\n</plugin_output>\n"
           "<risk_factor>None</risk_factor>\n<solution>n/a</solution>\n<synopsis>This plugin displays information about the Nessus scan.</synopsis>\n");
      item(0, "tcp", "general", 0, "OS Identification",
           "<description>Using a combination of remote probes, it is possible to guess the name of the remote operating system in use.</description>\n"
           "<plugin_output>\nRemote operating system : " + h.os + "\nConfidence level : 99\nMethod : LinuxDistribution\n</plugin_output>\n"
           "<risk_factor>None</risk_factor>\n<solution>n/a</solution>\n<synopsis>It is possible to guess the remote operating system.</synopsis>\n");
      for (std::size_t k = 0; k < h.services.size(); ++k) {
        const service& sv = services[h.services[k]];
        item(sv.port, sv.protocol, sv.name, 0, "Service Detection",
             "<description>Nessus was able to identify the remote service by its banner or by looking at the error message it sends.</description>\n"
             "<plugin_output>A " + std::string(sv.name) + " server is running on this port.</plugin_output>\n<risk_factor>None</risk_factor>\n"
             "<solution>n/a</solution>\n<synopsis>The remote service could be identified.</synopsis>\n");
        if (h.findings[k].empty()) continue;
        const cve_entry& lead = cves[h.findings[k].front()];
        std::string body = "<cvss3_base_score>" + lead.score + "</cvss3_base_score>\n<cvss3_vector>" + lead.v3.substr(0, 5) + "3.0" +
                           lead.v3.substr(8) + "</cvss3_vector>\n<cvss_base_score>7.5</cvss_base_score>\n<cvss_vector>" + lead.v2 +
                           "</cvss_vector>\n<description>" + std::string(prose) + "</description>\n"
                           "<exploit_available>" + (pick(3) == 0 ? "true" : "false") + "</exploit_available>\n"
                           "<patch_publication_date>2023/10/20</patch_publication_date>\n<plugin_modification_date>2024/02/01</plugin_modification_date>\n"
                           "<plugin_output>\n  Installed version : " + std::string(sv.version) + "\n  Fixed version     : 9.9.9\n</plugin_output>\n"
                           "<risk_factor>High</risk_factor>\n<see_also>https://www.example.com/advisories/" + hex(8) + "</see_also>\n"
                           "<solution>Upgrade to the latest version.</solution>\n<synopsis>The remote " + std::string(sv.name) +
                           " service is affected by multiple vulnerabilities.</synopsis>\n";
        for (std::size_t c : h.findings[k]) body += "<cve>" + cves[c].id + "</cve>\n";
        body += "<xref>IAVA:2023-A-0" + std::to_string(100 + pick(900)) + "</xref>\n";
        item(sv.port, sv.protocol, sv.name, 2 + static_cast<int>(pick(3)), std::string(sv.product) + " &lt; 9.9.9 Multiple Vulnerabilities", body);
      }
      s += "</ReportHost>\n";
      out << s;
    }
    out << "</Report>\n</NessusClientData_v2>\n";
  } else if (format == scan_format::openvas) {
    out << "<report id=\"" << hex(8) << "-0000-4000-8000-" << hex(12)
        << "\" format_id=\"a994b278-1f62-11e1-96ac-406186ea4fc5\" extension=\"xml\" content_type=\"text/xml\"><owner><name>admin</name></owner>"
           "<name>internal-weekly</name><comment></comment><creation_time>2024-03-04T10:00:00Z</creation_time><modification_time>2024-03-04T12:00:00Z"
           "</modification_time><writable>0</writable><in_use>0</in_use><task id=\"" << hex(8) << "\"><name>internal-weekly</name></task>"
           "<report_format id=\"a994b278-1f62-11e1-96ac-406186ea4fc5\"><name>XML</name></report_format>"
           "<report id=\"" << hex(8) << "\"><gmp><version>22.4</version></gmp><scan_run_status>Done</scan_run_status><hosts><count>" << hosts
        << "</count></hosts><results start=\"1\" max=\"-1\">\n";
    std::string tail;  // the <host> blocks, after the results
    for (std::size_t i = 0; i < hosts; ++i) {
      const host_data h = host_at(i);
      std::string s;
      auto result = [&](const std::string& port, const std::string& name, const std::string& severity, const char* threat,
                        const std::vector<std::size_t>& found) {
        s += "<result id=\"" + random_uuid(rng) + "\"><name>" + name +
             "</name><owner><name>admin</name></owner><modification_time>2024-03-04T11:00:00Z</modification_time><comment></comment>"
             "<creation_time>2024-03-04T11:00:00Z</creation_time><host>" + h.ip + "<asset asset_id=\"" + hex(8) + "\"/><hostname>" + h.fqdn +
             "</hostname></host><port>" + port + "</port><nvt oid=\"1.3.6.1.4.1.25623.1.0." + std::to_string(100000 + pick(800000)) +
             "\"><type>nvt</type><name>" + name + "</name><family>General</family><cvss_base>" + severity + "</cvss_base>";
        if (found.empty()) {
          s += "<severities score=\"0.0\"></severities><tags>cvss_base_vector=AV:N/AC:L/Au:N/C:N/I:N/A:N|summary=Reports what was detected.|"
               "qod_type=remote_banner</tags><solution type=\"\"></solution><refs></refs>";
        } else {
          const cve_entry& lead = cves[found.front()];
          s += "<severities score=\"" + severity + "\"><severity type=\"cvss_base_v3\"><origin></origin><date>2023-10-20T00:00:00Z</date><score>" +
               severity + "</score><value>" + lead.v3 + "</value></severity></severities><tags>cvss_base_vector=" + lead.v2 +
               "|summary=" + std::string(prose.substr(0, 120)) + "|insight=" + std::string(prose.substr(120, 150)) +
               "|affected=Versions before 9.9.9.|impact=" + std::string(prose.substr(120)) +
               "|solution=Update to version 9.9.9 or later.|vuldetect=Checks if a vulnerable version is present on the target host.|"
               "solution_type=VendorFix</tags><solution type=\"VendorFix\">Update to version 9.9.9 or later.</solution><refs>";
          for (std::size_t c : found) s += "<ref type=\"cve\" id=\"" + cves[c].id + "\"/>";
          s += "<ref type=\"url\" id=\"https://www.example.com/advisories/" + hex(8) + "\"/><ref type=\"cert-bund\" id=\"WID-SEC-2023-" +
               std::to_string(1000 + pick(8000)) + "\"/></refs>";
        }
        s += "</nvt><scan_nvt_version>2024-02-01T00:00:00Z</scan_nvt_version><threat>" + std::string(threat) + "</threat><severity>" + severity +
             "</severity><qod><value>" + (found.empty() ? "80" : "97") + "</value><type>remote_banner</type></qod><description>" +
             (found.empty() ? "Detected " + name : "Installed version: 1.0.0\nFixed version:     9.9.9\nInstallation\npath / port:       " + port) +
             "</description><original_threat>" + threat + "</original_threat><original_severity>" + severity + "</original_severity></result>\n";
      };
      result("general/tcp", "OS Detection Consolidation and Reporting", "0.0", "Log", {});
      result("general/tcp", "Traceroute", "0.0", "Log", {});
      for (std::size_t k = 0; k < h.services.size(); ++k) {
        const service& sv = services[h.services[k]];
        const std::string port = std::to_string(sv.port) + "/" + sv.protocol;
        result(port, std::string("Service Detection (") + sv.name + ")", "0.0", "Log", {});
        if (!h.findings[k].empty()) {
          const std::string& score = cves[h.findings[k].front()].score;
          result(port, std::string(sv.product) + " &lt; 9.9.9 Multiple Vulnerabilities", score, score >= "7" ? "High" : "Medium", h.findings[k]);
        }
      }
      out << s;
      tail += "<host><ip>" + h.ip + "</ip><asset asset_id=\"" + hex(8) + "\"/><start>2024-03-04T10:02:11Z</start><end>2024-03-04T10:22:31Z</end>"
              "<port_count><page>" + std::to_string(h.services.size()) + "</page></port_count><detail><name>hostname</name><value>" + h.fqdn +
              "</value><source><type>nvt</type><name>1.3.6.1.4.1.25623.1.0.103997</name><description>Host Details</description></source>"
              "</detail><detail><name>best_os_txt</name><value>" + h.os + "</value><source><type>nvt</type><name>1.3.6.1.4.1.25623.1.0.105937"
              "</name><description>OS Detection</description></source></detail><detail><name>best_os_cpe</name><value>" +
              (h.windows ? "cpe:/o:microsoft:windows_server_2019" : "cpe:/o:canonical:ubuntu_linux:20.04") +
              "</value></detail></host>\n";
    }
    out << "</results><result_count>0<full>0</full><filtered>0</filtered></result_count>\n" << tail
        << "<errors><count>0</count></errors><scan_end>2024-03-04T12:00:00Z</scan_end></report></report>\n";
  } else {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n<?xml-stylesheet href=\"file:///usr/bin/../share/nmap/nmap.xsl\" "
           "type=\"text/xsl\"?>\n<nmaprun scanner=\"nmap\" args=\"nmap -sV -&#45;script vulners -oX nmap-sV.xml 10.0.0.0/16\" start=\"1709546400\" "
           "startstr=\"Mon Mar  4 10:00:00 2024\" version=\"7.94\" xmloutputversion=\"1.05\">\n<scaninfo type=\"syn\" protocol=\"tcp\" "
           "numservices=\"1000\" services=\"1-1000\"/>\n<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n";
    for (std::size_t i = 0; i < hosts; ++i) {
      const host_data h = host_at(i);
      std::string s = "<host starttime=\"1709546400\" endtime=\"1709546460\"><status state=\"up\" reason=\"arp-response\" reason_ttl=\"0\"/>\n"
                      "<address addr=\"" + h.ip + "\" addrtype=\"ipv4\"/>\n<address addr=\"" + h.mac + "\" addrtype=\"mac\" vendor=\"VMware\"/>\n"
                      "<hostnames>\n<hostname name=\"" + h.fqdn + "\" type=\"PTR\"/>\n</hostnames>\n<ports><extraports state=\"closed\" count=\"" +
                      std::to_string(1000 - h.services.size() - 1) + "\">\n<extrareasons reason=\"reset\" count=\"" + std::to_string(1000 - h.services.size() - 1) +
                      "\" proto=\"tcp\" ports=\"1-21,23-79,81-442\"/>\n</extraports>\n";
      for (std::size_t k = 0; k < h.services.size(); ++k) {
        const service& sv = services[h.services[k]];
        s += "<port protocol=\"" + std::string(sv.protocol) + "\" portid=\"" + std::to_string(sv.port) +
             "\"><state state=\"open\" reason=\"syn-ack\" reason_ttl=\"64\"/><service name=\"" + sv.name + "\" product=\"" + sv.product + "\"" +
             (*sv.version ? " version=\"" + std::string(sv.version) + "\"" : std::string()) + " method=\"probed\" conf=\"10\"><cpe>" + sv.cpe +
             "</cpe></service>";
        if (!h.findings[k].empty()) {
          std::string output = "&#xa;  " + std::string(sv.cpe) + ": &#xa;", tables;
          auto entry = [&](const std::string& id, const std::string& score, const char* type, bool exploit) {
            output += "    &#x9;" + id + "&#x9;" + score + "&#x9;https://vulners.com/" + type + "/" + id + (exploit ? "&#x9;*EXPLOIT*" : "") + "&#xa;";
            tables += "<table>\n<elem key=\"is_exploit\">" + std::string(exploit ? "true" : "false") + "</elem>\n<elem key=\"cvss\">" + score +
                      "</elem>\n<elem key=\"id\">" + id + "</elem>\n<elem key=\"type\">" + type + "</elem>\n</table>\n";
          };
          for (std::size_t c : h.findings[k]) {
            entry(cves[c].id, cves[c].score, "cve", false);
            if (pick(3) == 0) entry("EDB-ID:" + std::to_string(40000 + pick(9000)), cves[c].score, "exploitdb", true);
            if (pick(3) == 0) entry("PACKETSTORM:" + std::to_string(100000 + pick(90000)), cves[c].score, "packetstorm", true);
          }
          s += "<script id=\"vulners\" output=\"" + output + "\"><table key=\"" + sv.cpe + "\">\n" + tables + "</table>\n</script>";
        }
        s += "</port>\n";
      }
      s += "<port protocol=\"tcp\" portid=\"8443\"><state state=\"filtered\" reason=\"no-response\" reason_ttl=\"0\"/><service name=\"https-alt\" "
           "method=\"table\" conf=\"3\"/></port>\n</ports>\n<os><portused state=\"open\" proto=\"tcp\" portid=\"" +
           std::to_string(services[h.services.front()].port) + "\"/>\n<osmatch name=\"" + (h.windows ? "Microsoft Windows Server 2019" : "Linux 4.15 - 5.8") +
           "\" accuracy=\"100\" line=\"65351\">\n<osclass type=\"general purpose\" vendor=\"" + (h.windows ? "Microsoft" : "Linux") + "\" osfamily=\"" +
           (h.windows ? "Windows" : "Linux") + "\" osgen=\"" + (h.windows ? "2019" : "4.X") + "\" accuracy=\"100\"><cpe>" +
           (h.windows ? "cpe:/o:microsoft:windows_server_2019" : "cpe:/o:linux:linux_kernel:4") + "</cpe></osclass>\n</osmatch>\n</os>\n"
           "<uptime seconds=\"" + std::to_string(pick(9000000)) + "\" lastboot=\"Mon Jan  1 00:00:00 2024\"/>\n"
           "<distance value=\"1\"/>\n<times srtt=\"412\" rttvar=\"120\" to=\"100000\"/>\n</host>\n";
      out << s;
    }
    out << "<runstats><finished time=\"1709550000\" timestr=\"Mon Mar  4 11:00:00 2024\" summary=\"Nmap done: " << hosts << " IP addresses ("
        << hosts << " hosts up)\" elapsed=\"3600.00\" exit=\"success\"/><hosts up=\"" << hosts << "\" down=\"0\" total=\"" << hosts
        << "\"/>\n</runstats>\n</nmaprun>\n";
  }
  out.close();
  return std::filesystem::file_size(file);
}

}  // namespace twinrisk_bench
