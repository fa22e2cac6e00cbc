// Certificate services as BloodHound CE post-processes them (io/bloodhound_adcs.hpp), on a
// hand-built collection that reproduces its integration harnesses' situations: each escalation
// with the principals that must get it and those that must not (docs/design/bloodhound-adcs.md).

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "twinrisk/io/bloodhound.hpp"

using namespace twinrisk;

namespace bloodhound_adcs_tests {

// PKI.LOCAL (S-1-5-21-7-7-7). Root CA object R (thumbprint R) trusted by the domain. Enterprise
// CAs: CA1 (chain A <- R, in the NTAuth store, host H1 enabled, SAN flag on, agent restrictions
// collected and empty), CA2 (chain B <- R, NOT in the NTAuth store, host H2), CA3 (self-signed C,
// in the NTAuth store but not chained to R, host H3). DC1 maps certificates by UPN (methods 0x4)
// and binds weakly (enforcement 1).
// Templates (all published on CA1; T1 also on CA2 and CA3):
//   T1 ESC1: enrollee supplies subject, authentication, no approval; enrolled by G1 (U1, U2).
//   T2 approval required; G2 enrolls; OWN has WriteDacl and OWN2 owns it (ESC4).
//   T3 like T1 but schema 2 with one authorized signature (no ESC1).
//   T4 no security extension, client authentication, UPN in the SAN; G4 (U4) and G5 enroll; ATT can write U4.
//   TA an enrollment agent template (schema 1); G5 enrolls on TA and T4 (ESC3).
//   T5 carries issuance policy 1.2.3, linked to group GX; G6 enrolls (ESC13).
const std::string sid = "S-1-5-21-7-7-7";
const std::string au = "PKI.LOCAL-S-1-5-11";

std::string id(const std::string& rid) { return sid + "-" + rid; }
std::string ref(const std::string& i, const char* type) { return R"({"ObjectIdentifier":")" + i + R"(","ObjectType":")" + type + R"("})"; }
std::string ace(const std::string& principal, const char* type, const char* right) {
  return R"({"PrincipalSID":")" + principal + R"(","PrincipalType":")" + type + R"(","RightName":")" + right + R"(","IsInherited":false})";
}
std::string record(const std::string& i, const std::string& name, const std::string& props, const std::string& more = "") {
  return R"({"ObjectIdentifier":")" + i + R"(","Properties":{"name":")" + name + R"(@PKI.LOCAL","domainsid":")" + sid + "\"" +
         props + "}" + more + "}";
}
std::string file(const char* type, const std::vector<std::string>& records) {
  std::string out = R"({"meta":{"type":")" + std::string(type) + R"(","version":6},"data":[)";
  for (std::size_t i = 0; i < records.size(); ++i) out += (i ? "," : "") + records[i];
  return out + "]}";
}

// A template's properties: the flags every escalation reads, `overrides` (",\"key\":value...")
// replacing the defaults.
std::string template_props(const std::string& overrides) {
  nlohmann::json p = {{"requiresmanagerapproval", false}, {"authenticationenabled", true}, {"enrolleesuppliessubject", false},
                      {"schemaversion", 2}, {"authorizedsignatures", 0}, {"nosecurityextension", false},
                      {"subjectaltrequireupn", false}, {"subjectaltrequirespn", false}, {"subjectaltrequiredns", false},
                      {"subjectaltrequiredomaindns", false}, {"effectiveekus", {"1.3.6.1.5.5.7.3.4"}},
                      {"applicationpolicies", nlohmann::json::array()}};
  if (!overrides.empty()) p.update(nlohmann::json::parse("{" + overrides.substr(1) + "}"));
  const std::string text = p.dump();
  return "," + text.substr(1, text.size() - 2);
}

std::vector<std::pair<std::string, std::string>> pki_collection(const std::string& ca1_enroller = au, bool dc_registry = true) {
  const std::string registry =
      dc_registry ? R"(,"DCRegistryData":{"CertificateMappingMethods":{"Value":4,"Collected":true},)"
                    R"("StrongCertificateBindingEnforcement":{"Value":1,"Collected":true}})"
                  : R"(,"DCRegistryData":{"CertificateMappingMethods":null,"StrongCertificateBindingEnforcement":null})";
  const std::string everyone_enrolls = R"(,"Aces":[)" + ace(au, "Group", "Enroll") + "]";
  auto templ = [](const std::string& name, const std::string& overrides, const std::string& aces) {
    return record("T-" + name, name, template_props(overrides), R"(,"Aces":[)" + aces + "]");
  };
  auto ca = [&](const std::string& name, const std::string& thumb, const std::string& chain, const std::string& host,
                const std::string& templates, const std::string& aces, bool san) {
    return record("CA-" + name, name,
                  R"(,"certthumbprint":")" + thumb + R"(","certchain":[)" + chain + R"(],"enrollmentagentrestrictionscollected":true,)"
                  R"("isuserspecifiessanenabledcollected":true)",
                  R"(,"HostingComputer":")" + id(host) + R"(","EnabledCertTemplates":[)" + templates + R"(],"Aces":[)" + aces + "]" +
                      R"(,"CARegistryData":{"EnrollmentAgentRestrictions":{"Restrictions":[],"Collected":true},)"
                      R"("IsUserSpecifiesSanEnabled":{"Value":)" + (san ? "true" : "false") + R"(,"Collected":true},)"
                      R"("CASecurity":{"Data":[],"Collected":true}})");
  };
  const std::string all_templates = ref("T-T1", "CertTemplate") + "," + ref("T-T2", "CertTemplate") + "," + ref("T-T3", "CertTemplate") +
                                    "," + ref("T-T4", "CertTemplate") + "," + ref("T-TA", "CertTemplate") + "," + ref("T-T5", "CertTemplate");
  const std::string only_t1 = ref("T-T1", "CertTemplate");
  auto user = [](const std::string& rid, const std::string& name, const std::string& aces = "") {
    return record(id(rid), name, R"(,"enabled":true)", R"(,"Aces":[)" + aces + "]");
  };
  auto group = [](const std::string& rid, const std::string& name, const std::vector<std::string>& members) {
    std::string m;
    for (const std::string& x : members) m += (m.empty() ? "" : ",") + ref(id(x), "User");
    return record(id(rid), name, "", R"(,"Members":[)" + m + "]");
  };
  auto computer = [&](const std::string& rid, const std::string& name, const std::string& extra = "") {
    return record(id(rid), name, R"(,"enabled":true)", extra);
  };
  return {
      {"domains.json", file("domains", {R"({"ObjectIdentifier":")" + sid + R"(","Properties":{"name":"PKI.LOCAL","domainsid":")" + sid + R"("}})"})},
      {"users.json", file("users", {user("1101", "U1"), user("1102", "U2"), user("1104", "U4", ace(id("1199"), "User", "GenericWrite")),
                                    user("1199", "ATT"), user("1198", "OWN"), user("1197", "OWN2")})},
      {"groups.json", file("groups", {group("2001", "G1", {"1101", "1102"}), group("2002", "G2", {}), group("2004", "G4", {"1104"}),
                                      group("2005", "G5", {}), group("2006", "G6", {}), group("2099", "GX", {}),
                                      group("2098", "GCA", {"1101"})})},
      {"computers.json", file("computers", {computer("3001", "H1"), computer("3002", "H2"), computer("3003", "H3"),
                                            computer("3000", "DC1", R"(,"IsDC":true)" + registry)})},
      {"rootcas.json", file("rootcas", {record("ROOT-R", "R", R"(,"certthumbprint":"R","certchain":["R"])", R"(,"DomainSID":")" + sid + "\"")})},
      {"ntauthstores.json", file("ntauthstores", {record("NTAUTH", "NTAUTHCERTIFICATES", R"(,"certthumbprints":["A","C"])",
                                                         R"(,"DomainSID":")" + sid + "\"")})},
      {"enterprisecas.json",
       file("enterprisecas", {ca("CA1", "A", R"("A","R")", "3001", all_templates, ace(ca1_enroller, "Group", "Enroll"), true),
                              ca("CA2", "B", R"("B","R")", "3002", only_t1, ace(au, "Group", "Enroll"), true),
                              ca("CA3", "C", R"("C")", "3003", only_t1, ace(au, "Group", "Enroll"), true)})},
      {"certtemplates.json",
       file("certtemplates",
            {templ("T1", R"(,"enrolleesuppliessubject":true)", ace(id("2001"), "Group", "Enroll")),
             templ("T2", R"(,"enrolleesuppliessubject":true,"requiresmanagerapproval":true)",
                   ace(id("2002"), "Group", "Enroll") + "," + ace(id("1198"), "User", "WriteDacl") + "," + ace(id("1197"), "User", "Owns")),
             templ("T3", R"(,"enrolleesuppliessubject":true,"authorizedsignatures":1)", ace(id("2001"), "Group", "Enroll")),
             templ("T4", R"(,"nosecurityextension":true,"subjectaltrequireupn":true,"schemaversion":1,"effectiveekus":["1.3.6.1.5.5.7.3.2"])",
                   ace(id("2004"), "Group", "Enroll") + "," + ace(id("2005"), "Group", "Enroll")),
             templ("TA", R"(,"schemaversion":1,"authenticationenabled":false,"effectiveekus":["1.3.6.1.4.1.311.20.2.1"])",
                   ace(id("2005"), "Group", "Enroll")),
             templ("T5", R"(,"certificatepolicy":["1.2.3"])", ace(id("2006"), "Group", "Enroll"))})},
      {"issuancepolicies.json", file("issuancepolicies", {record("IP-1", "POLICY", R"(,"certtemplateoid":"1.2.3")",
                                                                 R"(,"GroupLink":)" + ref(id("2099"), "Group"))})},
  };
}

import_result import_files(const std::vector<std::pair<std::string, std::string>>& files) {
  bloodhound_importer importer(bloodhound_options{});
  for (const auto& [name, text] : files) {
    std::istringstream in(text);
    importer.add_stream(in, name);
  }
  return std::move(importer).finish();
}

// The (source name, target name) pairs of the edges of `kind`.
std::set<std::pair<std::string, std::string>> edges(const twin& t, edge_kind kind) {
  std::set<std::pair<std::string, std::string>> out;
  for (std::size_t v = 0; v < t.num_nodes(); ++v)
    for (auto uv : t.out_edges(v))
      if (t[uv].kind == kind) out.insert({t[v].name, t[t.target(uv)].name});
  return out;
}
using pairs = std::set<std::pair<std::string, std::string>>;
const std::string domain = "PKI.LOCAL";
std::pair<std::string, std::string> to_domain(const std::string& who) { return {who + "@PKI.LOCAL", domain}; }

TEST_CASE("ADCS: chains and trust decide which CAs issue logon certificates for the domain") {
  const import_result r = import_files(pki_collection());
  const twin& t = r.twin;
  CHECK(edges(t, edge_kind::trusted_for_ntauth) == pairs{{"CA1@PKI.LOCAL", "NTAUTHCERTIFICATES@PKI.LOCAL"}, {"CA3@PKI.LOCAL", "NTAUTHCERTIFICATES@PKI.LOCAL"}});
  CHECK(edges(t, edge_kind::issued_signed_by) == pairs{{"CA1@PKI.LOCAL", "R@PKI.LOCAL"}, {"CA2@PKI.LOCAL", "R@PKI.LOCAL"}});
  CHECK(edges(t, edge_kind::root_ca_for) == pairs{{"R@PKI.LOCAL", domain}});
  CHECK(edges(t, edge_kind::ntauth_store_for) == pairs{{"NTAUTHCERTIFICATES@PKI.LOCAL", domain}});
  // Only CA1 is both chained to the domain's root and in its NTAuth store: its host alone holds
  // a key that forges logon certificates.
  CHECK(edges(t, edge_kind::golden_cert) == pairs{to_domain("H1")});
  CHECK(edges(t, edge_kind::published_to).size() == 8);
  // The agent template (schema 1, agent EKU) enrolls on behalf of every schema-1 template linked
  // to the domain: itself and T4.
  CHECK(edges(t, edge_kind::enroll_on_behalf_of) == pairs{{"TA@PKI.LOCAL", "T4@PKI.LOCAL"}, {"TA@PKI.LOCAL", "TA@PKI.LOCAL"}});
  CHECK(edges(t, edge_kind::extended_by_policy) == pairs{{"T5@PKI.LOCAL", "POLICY@PKI.LOCAL"}});
  CHECK(edges(t, edge_kind::oid_group_link) == pairs{{"POLICY@PKI.LOCAL", "GX@PKI.LOCAL"}});
}

TEST_CASE("ADCS escalations: who gets each, and who must not") {
  const import_result r = import_files(pki_collection());
  const twin& t = r.twin;
  // ESC1 through CA1 only (CA2 is not trusted for logon, CA3 not chained). Authenticated Users
  // enrolls on the CA, so the template's own enroller G1 gets the edge, not its members; T2
  // (approval) and T3 (a signature) give none.
  CHECK(edges(t, edge_kind::adcs_esc1) == pairs{to_domain("G1")});
  // ESC3: G5 enrolls on the agent template and on T4.
  CHECK(edges(t, edge_kind::adcs_esc3) == pairs{to_domain("G5")});
  // ESC4: whoever controls T2's ACL (WriteDacl, and its owner).
  CHECK(edges(t, edge_kind::adcs_esc4) == pairs{to_domain("OWN"), to_domain("OWN2")});
  // ESC6: CA1 lets requests name their SAN. T4 (enrolled by G4 and G5) lacks the security
  // extension (a) and authenticates over Schannel where DCs map by UPN (b).
  CHECK(edges(t, edge_kind::adcs_esc6a) == pairs{to_domain("G4"), to_domain("G5")});
  CHECK(edges(t, edge_kind::adcs_esc6b) == pairs{to_domain("G4"), to_domain("G5")});
  // ESC9a/ESC10a: ATT can write U4, who may enroll on T4 (UPN in the SAN, weak binding, UPN
  // mapping). No template requires a DNS name, so no scenario b.
  CHECK(edges(t, edge_kind::adcs_esc9a) == pairs{to_domain("ATT")});
  CHECK(edges(t, edge_kind::adcs_esc10a) == pairs{to_domain("ATT")});
  CHECK(edges(t, edge_kind::adcs_esc9b).empty());
  CHECK(edges(t, edge_kind::adcs_esc10b).empty());
  // ESC13: a certificate of T5 carries the policy linked to GX.
  CHECK(edges(t, edge_kind::adcs_esc13) == pairs{{"G6@PKI.LOCAL", "GX@PKI.LOCAL"}});
  CHECK(r.summary.derived_by_kind.at("ADCSESC1") == 1);
  // The escalations are attack steps, the context edges are not.
  for (auto uv : t.out_edges(*t.find(id("2001"))))
    if (t[uv].kind == edge_kind::adcs_esc1) CHECK(t[uv].probability > 0.5);
  for (auto uv : t.out_edges(*t.find("T-T1"))) CHECK(t[uv].probability == 0.0);
}

TEST_CASE("ADCS: the cross product names the principals that hold every right") {
  // CA1's enrollers are GCA (U1 only): of T1's enrollers G1 (U1, U2), only U1 holds both rights.
  const import_result r = import_files(pki_collection(id("2098")));
  const twin& t = r.twin;
  CHECK(edges(t, edge_kind::adcs_esc1) == pairs{to_domain("U1")});
  CHECK(edges(t, edge_kind::adcs_esc6a).empty());  // neither G4's U4 nor G5 may enroll on CA1
  CHECK(edges(t, edge_kind::adcs_esc9a).empty());  // so U4 is no victim
  CHECK(edges(t, edge_kind::adcs_esc3).empty());   // nor G5
}

TEST_CASE("ADCS: without the domain controllers' registry, no mapping-dependent escalation") {
  const import_result r = import_files(pki_collection(au, false));
  const twin& t = r.twin;
  CHECK(edges(t, edge_kind::adcs_esc6a) == pairs{to_domain("G4"), to_domain("G5")});  // needs no DC setting
  CHECK(edges(t, edge_kind::adcs_esc6b).empty());
  CHECK(edges(t, edge_kind::adcs_esc9a).empty());
  CHECK(edges(t, edge_kind::adcs_esc10a).empty());
}

TEST_CASE("ADCS: malformed registry data is an error at its pointer") {
  auto files = pki_collection();
  auto& cas = std::find_if(files.begin(), files.end(), [](const auto& f) { return f.first == "enterprisecas.json"; })->second;
  const std::string from = R"("IsUserSpecifiesSanEnabled":{"Value":true,)";
  cas.replace(cas.find(from), from.size(), R"("IsUserSpecifiesSanEnabled":{"Value":"yes",)");
  try {
    (void)import_files(files);
    FAIL("expected an input_error");
  } catch (const input_error& e) {
    CHECK(std::string(e.what()) == "enterprisecas.json: /data/0/CARegistryData/IsUserSpecifiesSanEnabled/Value: expected true or false, got \"yes\"");
  }
}

}  // namespace bloodhound_adcs_tests
