// BloodHound CE's post-processing on hand-built collections whose answers are known by
// construction (docs/design/bloodhound-tier-zero-and-ad-edges.md): tier zero with its reasons,
// entry points outside it, the well-known groups, roasting, delegation, GPO application with
// blocked inheritance and enforced links, trusts by type.

#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/io/bloodhound.hpp"

using namespace twinrisk;

// Named, and holding the test cases: unity batches put test files into one translation unit, and
// the names here (has_edge, ids) would collide with other files' own.
namespace bloodhound_post_tests {

// CORP.LOCAL (S-1-5-21-1-2-3): OU TIER0 (blocks inheritance, GPO-T0 linked) holds alice, a
// Domain Admin, and carol, who is not; OU STAFF holds dave (an SPN), erin (disabled), frank (no
// pre-authentication, GenericAll on HELPDESK ADMINS), svc-sql (an SPN, admin of DC1) and WS1
// (unconstrained delegation). HELPDESK ADMINS is nested in Domain Admins with bob in it. The
// domain links GPO-DEFAULT and, enforced, GPO-ENF; DC1 sits below the domain.
const std::string sid = "S-1-5-21-1-2-3";

std::string ref(const std::string& id, const char* type) {
  return R"({"ObjectIdentifier":")" + id + R"(","ObjectType":")" + type + R"("})";
}

std::string props(const std::string& name, const std::string& extra = "") {
  return R"("Properties":{"name":")" + name + R"(","domain":"CORP.LOCAL","domainsid":")" + sid + "\"" + extra + "}";
}

std::string user(const std::string& rid, const std::string& name, const std::string& extra, const std::string& more = "") {
  return R"({"ObjectIdentifier":")" + sid + "-" + rid + R"(","PrimaryGroupSID":")" + sid + R"(-513",)" +
         props(name + "@CORP.LOCAL", extra) + more + "}";
}

std::vector<std::pair<std::string, std::string>> corp_collection(const std::string& domain_extra = "") {
  const std::string u = sid + "-";
  return {
      {"domains.json", R"({"meta":{"type":"domains","version":6},"data":[{"ObjectIdentifier":")" + sid + R"(",)" +
                           props("CORP.LOCAL", R"(,"distinguishedname":"DC=CORP,DC=LOCAL")") +
                           R"(,"Links":[{"GUID":"GPO-DEFAULT","IsEnforced":false},{"GUID":"GPO-ENF","IsEnforced":true}],)" +
                           R"("ChildObjects":[)" + ref("OU-T0", "OU") + "," + ref("OU-STAFF", "OU") + "," + ref(u + "1000", "Computer") +
                           "]" + domain_extra + "}]}"},
      {"ous.json", R"({"meta":{"type":"ous","version":6},"data":[)"
                   R"({"ObjectIdentifier":"OU-T0",)" + props("TIER0@CORP.LOCAL", R"(,"blocksinheritance":true)") +
                   R"(,"Links":[{"GUID":"GPO-T0","IsEnforced":false}],"ChildObjects":[)" + ref(u + "1001", "User") + "," +
                   ref(u + "1003", "User") + "]},"
                   R"({"ObjectIdentifier":"OU-STAFF",)" + props("STAFF@CORP.LOCAL") + R"(,"ChildObjects":[)" +
                   ref(u + "1004", "User") + "," + ref(u + "1005", "User") + "," + ref(u + "1006", "User") + "," +
                   ref(u + "1007", "User") + "," + ref(u + "2001", "Computer") + "]}]}"},
      {"gpos.json", R"({"meta":{"type":"gpos","version":6},"data":[)"
                    R"({"ObjectIdentifier":"GPO-DEFAULT",)" + props("DEFAULT@CORP.LOCAL") + "}," +
                    R"({"ObjectIdentifier":"GPO-ENF",)" + props("ENFORCED@CORP.LOCAL") + "}," +
                    R"({"ObjectIdentifier":"GPO-T0",)" + props("TIER0 POLICY@CORP.LOCAL") + "}]}"},
      {"groups.json", R"({"meta":{"type":"groups","version":6},"data":[)"
                      R"({"ObjectIdentifier":")" + u + R"(512",)" + props("DOMAIN ADMINS@CORP.LOCAL") + R"(,"Members":[)" +
                      ref(u + "1001", "User") + "," + ref(u + "1100", "Group") + "]}," +
                      R"({"ObjectIdentifier":")" + u + R"(1100",)" + props("HELPDESK ADMINS@CORP.LOCAL") + R"(,"Members":[)" +
                      ref(u + "1002", "User") + R"(],"Aces":[{"PrincipalSID":")" + u +
                      R"(1006","PrincipalType":"User","RightName":"GenericAll"}]},)" +
                      R"({"ObjectIdentifier":")" + u + R"(513",)" + props("DOMAIN USERS@CORP.LOCAL") + "}," +
                      R"({"ObjectIdentifier":")" + u + R"(516",)" + props("DOMAIN CONTROLLERS@CORP.LOCAL") + "}]}"},
      {"users.json", R"({"meta":{"type":"users","version":6},"data":[)" + user("1001", "ALICE", R"(,"enabled":true)") + "," +
                         user("1002", "BOB", R"(,"enabled":true)") + "," + user("1003", "CAROL", R"(,"enabled":true)") + "," +
                         user("1004", "DAVE", R"(,"enabled":true,"hasspn":true)") + "," +
                         user("1005", "ERIN", R"(,"enabled":false)") + "," +
                         user("1006", "FRANK", R"(,"enabled":true,"dontreqpreauth":true)") + "," +
                         user("1007", "SVC-SQL", R"(,"enabled":true,"hasspn":true)") + "," +
                         user("502", "KRBTGT", R"(,"enabled":true,"hasspn":true)") + "]}"},
      {"computers.json", R"({"meta":{"type":"computers","version":6},"data":[)"
                         R"({"ObjectIdentifier":")" + u + R"(1000","PrimaryGroupSID":")" + u + R"(516","IsDC":true,)" +
                         props("DC1.CORP.LOCAL", R"(,"unconstraineddelegation":true)") + R"(,"LocalAdmins":[)" +
                         ref(u + "1007", "User") + "]}," +
                         R"({"ObjectIdentifier":")" + u + R"(2001","PrimaryGroupSID":")" + u + R"(515",)" +
                         props("WS1.CORP.LOCAL", R"(,"unconstraineddelegation":true,"enabled":true)") + "}]}"},
  };
}

import_result import_files(const std::vector<std::pair<std::string, std::string>>& files, bloodhound_options options = {}) {
  bloodhound_importer importer(std::move(options));
  for (const auto& [name, text] : files) {
    std::istringstream in(text);
    importer.add_stream(in, name);
  }
  return std::move(importer).finish();
}

using twinrisk_test::has_edge;

std::vector<std::string> ids(const twin& t, const std::vector<std::size_t>& vs) {
  std::vector<std::string> out;
  for (auto v : vs) out.push_back(t.id(v));
  return out;
}

std::string reason(const twin& t, const std::string& id) {
  const auto& z = t[t.at(id)].tier_zero;
  return z ? *z : std::string("(not tier zero)");
}

TEST_CASE("tier zero: seeds, members, contents, OUs and GPOs above, each with its reason; no entry point in it") {
  const auto [t, s] = import_files(corp_collection());
  const std::string u = sid + "-";
  CHECK(reason(t, sid) == "domain head");
  CHECK(reason(t, u + "512") == "Domain Admins");
  CHECK(reason(t, u + "516") == "Domain Controllers");
  CHECK(reason(t, u + "1001") == "member of DOMAIN ADMINS@CORP.LOCAL");
  CHECK(reason(t, u + "1100") == "member of DOMAIN ADMINS@CORP.LOCAL");
  CHECK(reason(t, u + "1002") == "member of HELPDESK ADMINS@CORP.LOCAL");  // nested
  CHECK(reason(t, u + "1000") == "domain controller");
  CHECK(reason(t, u + "502") == "krbtgt, the key of every Kerberos ticket");
  CHECK(reason(t, "GPO-DEFAULT") == "GPO linked to CORP.LOCAL");
  CHECK(reason(t, "GPO-ENF") == "GPO linked to CORP.LOCAL");
  CHECK(reason(t, "OU-T0") == "OU above ALICE@CORP.LOCAL");
  CHECK(reason(t, "GPO-T0") == "GPO linked to TIER0@CORP.LOCAL, above ALICE@CORP.LOCAL");
  // Not tier zero: carol shares alice's OU (parents are not expanded to their contents), the
  // staff, Domain Users, the STAFF OU and its workstation.
  for (const std::string& id : std::vector<std::string>{u + "1003", u + "1004", u + "1005", u + "1006", u + "1007", u + "513", "OU-STAFF", u + "2001"}) {
    CAPTURE(id);
    CHECK(reason(t, id) == "(not tier zero)");
  }
  CHECK(s.tier_zero == 12);
  CHECK(s.tier_zero_principals == 7);  // alice, bob, krbtgt, DC1, Domain Admins, HELPDESK ADMINS, Domain Controllers
  // Enabled users outside tier zero start the attack; the domain is the one crown jewel.
  CHECK(ids(t, t.entry_points()) == std::vector<std::string>{u + "1003", u + "1004", u + "1006", u + "1007"});
  CHECK(ids(t, t.crown_jewels()) == std::vector<std::string>{sid});
  // Every other tier-zero object leads to its domain (DC1 through DCFor).
  CHECK(has_edge(t, u + "1100", sid, edge_kind::tier_zero_of));
  CHECK(has_edge(t, "GPO-T0", sid, edge_kind::tier_zero_of));
  CHECK(has_edge(t, u + "1000", sid, edge_kind::dc_for));
  CHECK_FALSE(has_edge(t, u + "1000", sid, edge_kind::tier_zero_of));
}

TEST_CASE("entry rules: domain-users is each domain's Domain Users group; owned may name tier zero") {
  const std::string u = sid + "-";
  const auto [t, s] = import_files(corp_collection(), {.entry = bloodhound_entry_rule::domain_users});
  CHECK(ids(t, t.entry_points()) == std::vector<std::string>{u + "513"});
  const auto [o, so] = import_files(corp_collection(), {.entry = bloodhound_entry_rule::owned, .owned = {"alice@corp.local"}});
  CHECK(ids(o, o.entry_points()) == std::vector<std::string>{u + "1001"});
  const auto [a, sa] = import_files(corp_collection(), {.entry = bloodhound_entry_rule::all_users});
  CHECK(ids(a, a.entry_points()) == std::vector<std::string>{u + "1003", u + "1004", u + "1005", u + "1006", u + "1007"});
}

TEST_CASE("derived edges: well-known groups, roasting, delegation, domain controllers") {
  const auto [t, s] = import_files(corp_collection());
  const std::string u = sid + "-", au = "CORP.LOCAL-S-1-5-11", everyone = "CORP.LOCAL-S-1-1-0";
  CHECK(t[t.at(au)].name == "AUTHENTICATED USERS@CORP.LOCAL");
  CHECK(has_edge(t, u + "513", au, edge_kind::member_of));
  CHECK(has_edge(t, au, everyone, edge_kind::member_of));
  CHECK(has_edge(t, u + "515", au, edge_kind::member_of));  // Domain Computers, only referenced: still linked
  // Kerberoasting: the enabled users with an SPN, not krbtgt; AS-REP roasting from Everyone.
  CHECK(has_edge(t, au, u + "1004", edge_kind::kerberoastable));
  CHECK(has_edge(t, au, u + "1007", edge_kind::kerberoastable));
  CHECK_FALSE(has_edge(t, au, u + "502", edge_kind::kerberoastable));
  CHECK(has_edge(t, everyone, u + "1006", edge_kind::asrep_roastable));
  CHECK_FALSE(has_edge(t, everyone, u + "1004", edge_kind::asrep_roastable));
  // Unconstrained delegation: the workstation coerces a DC; the DC itself does not count.
  CHECK(has_edge(t, u + "2001", sid, edge_kind::coerce_to_tgt));
  CHECK_FALSE(has_edge(t, u + "1000", sid, edge_kind::coerce_to_tgt));
  CHECK(s.derived_by_kind == name_counts{{"ASREPRoast", 1}, {"CoerceToTGT", 1}, {"DCFor", 1}, {"GPOAppliesTo", 16},
                                         {"Kerberoastable", 2}, {"MemberOf", 3}, {"TierZeroOf", 10}});
  // The attack: carol is a Domain User, hence an Authenticated User, who roasts svc-sql, an
  // administrator of the DC, which is the domain's.
  CHECK(has_edge(t, u + "1003", u + "513", edge_kind::member_of));
  CHECK(has_edge(t, u + "1007", u + "1000", edge_kind::admin_to));
  double roast = 0.0;
  for (auto uv : t.out_edges(t.at(au)))
    if (t.target(uv) == t.at(u + "1007")) roast = t[uv].probability;
  CHECK(roast == 0.35);
}

TEST_CASE("GPO application: blocked inheritance keeps the OU's own links and the enforced ones from above") {
  const auto [t, s] = import_files(corp_collection());
  const std::string u = sid + "-";
  for (const std::string& staff : std::vector<std::string>{u + "1004", u + "1005", u + "1006", u + "1007", u + "2001"}) {
    CAPTURE(staff);
    CHECK(has_edge(t, "GPO-DEFAULT", staff, edge_kind::gpo_applies_to));
    CHECK(has_edge(t, "GPO-ENF", staff, edge_kind::gpo_applies_to));
    CHECK_FALSE(has_edge(t, "GPO-T0", staff, edge_kind::gpo_applies_to));
  }
  for (const std::string& blocked : std::vector<std::string>{u + "1001", u + "1003"}) {
    CAPTURE(blocked);
    CHECK(has_edge(t, "GPO-T0", blocked, edge_kind::gpo_applies_to));
    CHECK(has_edge(t, "GPO-ENF", blocked, edge_kind::gpo_applies_to));
    CHECK_FALSE(has_edge(t, "GPO-DEFAULT", blocked, edge_kind::gpo_applies_to));
  }
  CHECK(has_edge(t, "GPO-DEFAULT", u + "1000", edge_kind::gpo_applies_to));  // the DC, right below the domain
}

TEST_CASE("trusts by type: same forest both ways, across forests only SID-history spoofing or TGT delegation") {
  const std::string trusts = R"(,"Trusts":[
      {"TargetDomainSid":"S-CHILD","TargetDomainName":"CHILD.CORP.LOCAL","TrustDirection":"Bidirectional","TrustType":"ParentChild","SidFilteringEnabled":false},
      {"TargetDomainSid":"S-PARTNER","TargetDomainName":"PARTNER.COM","TrustDirection":"Outbound","TrustType":"External","SidFilteringEnabled":false},
      {"TargetDomainSid":"S-VENDOR","TargetDomainName":"VENDOR.COM","TrustDirection":"Inbound","TrustType":"Forest","SidFilteringEnabled":true,"TGTDelegationEnabled":true},
      {"TargetDomainSid":"S-SAFE","TargetDomainName":"SAFE.COM","TrustDirection":"Bidirectional","TrustType":"Forest","SidFilteringEnabled":true}])";
  const auto [t, s] = import_files(corp_collection(trusts));
  CHECK(has_edge(t, sid, "S-CHILD", edge_kind::same_forest_trust));
  CHECK(has_edge(t, "S-CHILD", sid, edge_kind::same_forest_trust));
  CHECK(has_edge(t, sid, "S-PARTNER", edge_kind::cross_forest_trust));        // CORP trusts PARTNER
  CHECK(has_edge(t, "S-PARTNER", sid, edge_kind::spoof_sid_history));         // no SID filtering: PARTNER can spoof into CORP
  CHECK(has_edge(t, "S-VENDOR", sid, edge_kind::cross_forest_trust));         // VENDOR trusts CORP
  CHECK(has_edge(t, "S-VENDOR", sid, edge_kind::abuse_tgt_delegation));       // and delegates TGTs to it
  CHECK_FALSE(has_edge(t, "S-SAFE", sid, edge_kind::spoof_sid_history));
  CHECK_FALSE(has_edge(t, sid, "S-SAFE", edge_kind::abuse_tgt_delegation));
  CHECK(t[*t.find("S-CHILD")].name == "CHILD.CORP.LOCAL");
  CHECK(reason(t, "S-CHILD") == "domain head");  // trusted domains are tier zero of their own
}

TEST_CASE("SQL admin from SPNTargets in either spelling") {
  for (const char* key : {"SPNTargets", "SpnTargets"}) {
    CAPTURE(key);
    const std::string users = R"({"meta":{"type":"users","version":6},"data":[{"ObjectIdentifier":"U",)"
                              R"("Properties":{"name":"SQLSVC@CORP.LOCAL"},")" + std::string(key) +
                              R"(":[{"ComputerSID":"C","Port":1433,"Service":"SQLAdmin"}]}]})";
    const auto [t, s] = import_files({{"users.json", users}});
    CHECK(has_edge(t, "U", "C", edge_kind::sql_admin));
  }
}

TEST_CASE("constrained delegation: near certain with protocol transition, less likely without") {
  const std::string computers = R"({"meta":{"type":"computers","version":6},"data":[)"
                                R"({"ObjectIdentifier":"T2A","Properties":{"name":"WEB1","trustedtoauth":true},"AllowedToDelegate":[{"ObjectIdentifier":"DB","ObjectType":"Computer"}]},)"
                                R"({"ObjectIdentifier":"KO","Properties":{"name":"WEB2","trustedtoauth":false},"AllowedToDelegate":[{"ObjectIdentifier":"DB","ObjectType":"Computer"}]},)"
                                R"({"ObjectIdentifier":"DB","Properties":{"name":"DB1"}}]})";
  const auto [t, s] = import_files({{"computers.json", computers}});
  auto probability = [&](const char* from) {
    for (auto uv : t.out_edges(*t.find(from)))
      if (t[uv].kind == edge_kind::allowed_to_delegate) return t[uv].probability;
    return -1.0;
  };
  CHECK(probability("T2A") == 0.85);
  CHECK(probability("KO") == 0.45);
  CHECK(s.edges_by_kind.at("AllowedToDelegate") == 1);
  CHECK(s.edges_by_kind.at("AllowedToDelegateKerberosOnly") == 1);
}

TEST_CASE("SyncLAPSPassword: GetChanges with GetChangesInFilteredSet reads the LAPS passwords of the domain's computers") {
  // U holds both rights; V combines GetChanges through G with its own GetChangesInFilteredSet;
  // W holds GetChanges only. C has LAPS, D does not.
  const std::string d = "S-1-5-21-5-5-5";
  auto ace = [](const std::string& who, const char* type, const char* right) {
    return R"({"PrincipalSID":")" + who + R"(","PrincipalType":")" + type + R"(","RightName":")" + right + R"("})";
  };
  const std::string domains = R"({"meta":{"type":"domains","version":6},"data":[{"ObjectIdentifier":")" + d +
                              R"(","Properties":{"name":"LAPS.LOCAL","domainsid":")" + d + R"("},"Aces":[)" +
                              ace(d + "-1001", "User", "GetChanges") + "," + ace(d + "-1001", "User", "GetChangesInFilteredSet") + "," +
                              ace(d + "-2001", "Group", "GetChanges") + "," + ace(d + "-1002", "User", "GetChangesInFilteredSet") + "," +
                              ace(d + "-1003", "User", "GetChanges") + "]}]}";
  const std::string groups = R"({"meta":{"type":"groups","version":6},"data":[{"ObjectIdentifier":")" + d +
                             R"(-2001","Properties":{"name":"G@LAPS.LOCAL","domainsid":")" + d + R"("},"Members":[{"ObjectIdentifier":")" +
                             d + R"(-1002","ObjectType":"User"}]}]})";
  auto computer = [&](const char* rid, const char* name, bool laps) {
    return R"({"ObjectIdentifier":")" + d + "-" + rid + R"(","Properties":{"name":")" + name + R"(","domainsid":")" + d +
           R"(","haslaps":)" + (laps ? "true" : "false") + "}}";
  };
  const std::string computers = R"({"meta":{"type":"computers","version":6},"data":[)" + computer("3001", "C.LAPS.LOCAL", true) + "," +
                                computer("3002", "D.LAPS.LOCAL", false) + "]}";
  const auto [t, s] = import_files({{"domains.json", domains}, {"groups.json", groups}, {"computers.json", computers}});
  CHECK(has_edge(t, d + "-1001", d + "-3001", edge_kind::sync_laps_password));
  CHECK(has_edge(t, d + "-1002", d + "-3001", edge_kind::sync_laps_password));
  CHECK_FALSE(has_edge(t, d + "-1003", d + "-3001", edge_kind::sync_laps_password));  // one right only
  CHECK_FALSE(has_edge(t, d + "-2001", d + "-3001", edge_kind::sync_laps_password));  // the group holds one right
  CHECK_FALSE(has_edge(t, d + "-1001", d + "-3002", edge_kind::sync_laps_password));  // no LAPS
  CHECK(s.derived_by_kind.at("SyncLAPSPassword") == 2);
  CHECK_FALSE(s.derived_by_kind.contains("DCSync"));
}

TEST_CASE("roasting: the cracking probability follows the password's age and the ticket's encryption") {
  // Collected when ANY last logged on (1,700,000,000 s). OLD's password is 6 years old, MID's 3,
  // NEW's half a year and AES-only, NOAGE's unknown; MID also needs no pre-authentication.
  const std::string d = "S-1-5-21-6-6-6";
  const double year = 31'557'600.0, now = 1'700'000'000.0;
  auto user = [&](const char* rid, const char* name, const std::string& extra) {
    return R"({"ObjectIdentifier":")" + d + "-" + rid + R"(","Properties":{"name":")" + name + R"(@ROAST.LOCAL","domainsid":")" + d +
           R"(","enabled":true)" + extra + "}}";
  };
  auto set = [&](double years_ago) { return R"(,"pwdlastset":)" + std::to_string(static_cast<long long>(now - years_ago * year)); };
  const std::string users = R"({"meta":{"type":"users","version":6},"data":[)" +
                            user("1000", "ANY", R"(,"lastlogontimestamp":1700000000)") + "," +
                            user("1001", "OLD", R"(,"hasspn":true)" + set(6)) + "," +
                            user("1002", "MID", R"(,"hasspn":true,"dontreqpreauth":true)" + set(3)) + "," +
                            user("1003", "NEW", R"(,"hasspn":true,"supportedencryptiontypes":["AES128-CTS-HMAC-SHA1-96","AES256-CTS-HMAC-SHA1-96"])" + set(0.5)) + "," +
                            user("1004", "NOAGE", R"(,"hasspn":true)") + "]}";
  const std::string domains = R"({"meta":{"type":"domains","version":6},"data":[{"ObjectIdentifier":")" + d +
                              R"(","Properties":{"name":"ROAST.LOCAL","domainsid":")" + d + R"("}}]})";
  const auto [t, s] = import_files({{"domains.json", domains}, {"users.json", users}});
  auto probability = [&](const std::string& from, const char* rid, edge_kind kind) {
    for (auto uv : t.out_edges(*t.find(from)))
      if (t.id(t.target(uv)) == d + "-" + rid && t[uv].kind == kind) return t[uv].probability;
    return -1.0;
  };
  const std::string au = "ROAST.LOCAL-S-1-5-11", everyone = "ROAST.LOCAL-S-1-1-0";
  CHECK(probability(au, "1001", edge_kind::kerberoastable) == 0.6);
  CHECK(probability(au, "1002", edge_kind::kerberoastable) == 0.45);
  CHECK(probability(au, "1003", edge_kind::kerberoastable) == doctest::Approx(0.25 * 0.3));
  CHECK(probability(au, "1004", edge_kind::kerberoastable) == 0.35);
  CHECK(probability(everyone, "1002", edge_kind::asrep_roastable) == 0.45);
  // A probabilities file that states the relationship wins over the facts.
  bloodhound_options o;
  o.relationships = parse_relationship_overrides(R"({"edges":{"Kerberoastable":0.2}})", "p.json");
  const auto [t2, s2] = import_files({{"domains.json", domains}, {"users.json", users}}, o);
  for (auto uv : t2.out_edges(*t2.find(au)))
    if (t2[uv].kind == edge_kind::kerberoastable) CHECK(t2[uv].probability == 0.2);
}

}  // namespace bloodhound_post_tests
