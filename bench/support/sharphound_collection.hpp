#pragma once
// A SharpHound v6 collection (users.json, groups.json, computers.json) made from a synthetic
// enterprise twin, for the ingest benchmark: users and service accounts with their properties,
// groups with members, computers with local admins and sessions, and on every object the ACEs of
// the administrative groups that real directories carry (eight per object, as SharpHound reports
// inherited rights of Domain Admins, Enterprise Admins, Administrators, ...).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "twinrisk/model/twin.hpp"

namespace twinrisk_bench {

/// Writes the collection of `t` into `dir` (created); returns its size in bytes.
inline std::uintmax_t write_sharphound_collection(const twinrisk::twin& t, const std::filesystem::path& dir) {
  using nlohmann::json;
  using twinrisk::edge_kind;
  using twinrisk::node_kind;
  std::filesystem::create_directories(dir);
  const std::string domain = "S-1-5-21-1000-2000-3000";
  auto sid = [&](std::size_t v) { return domain + "-" + std::to_string(1000 + v); };
  const char* rights[] = {"GenericAll", "WriteDacl", "WriteOwner", "GenericWrite", "Owns", "AllExtendedRights", "GenericAll", "WriteDacl"};
  std::vector<std::size_t> admin_groups;
  for (auto v : t.nodes_of_kind(node_kind::group))
    if (admin_groups.size() < 8) admin_groups.push_back(v);
  auto aces = [&] {
    json a = json::array();
    for (std::size_t i = 0; i < admin_groups.size(); ++i)
      a.push_back({{"PrincipalSID", sid(admin_groups[i])}, {"PrincipalType", "Group"}, {"RightName", rights[i]}, {"IsInherited", i > 1}});
    return a;
  };
  auto open = [&](const char* name) {
    auto out = std::make_unique<std::ofstream>(dir / name, std::ios::binary);
    *out << "{\"data\":[\n";
    return out;
  };
  auto close = [](std::ofstream& out, const char* type, std::size_t count) {
    out << "\n],\"meta\":{\"methods\":46067,\"type\":\"" << type << "\",\"count\":" << count << ",\"version\":6}}\n";
  };
  auto users = open("users.json"), groups = open("groups.json"), computers = open("computers.json");
  std::size_t n_users = 0, n_groups = 0, n_computers = 0;
  for (auto v : t.vertices()) {
    const twinrisk::node& n = t[v];
    json o = {{"ObjectIdentifier", sid(v)},
              {"Properties", {{"domain", "CORP.LOCAL"}, {"name", n.name + "@CORP.LOCAL"}, {"domainsid", domain},
                              {"distinguishedname", "CN=" + n.name + ",OU=STAFF,DC=CORP,DC=LOCAL"},
                              {"whencreated", 1568630538}, {"description", nullptr}}},
              {"Aces", aces()},
              {"IsDeleted", false},
              {"IsACLProtected", false}};
    if (n.kind == node_kind::user || n.kind == node_kind::service_account) {
      o["Properties"]["enabled"] = true;
      o["Properties"]["lastlogon"] = 1637005123;
      o["Properties"]["pwdlastset"] = 1635350932;
      o["Properties"]["hasspn"] = n.kind == node_kind::service_account;
      o["PrimaryGroupSID"] = domain + "-513";
      o["AllowedToDelegate"] = json::array();
      o["HasSIDHistory"] = json::array();
      o["SpnTargets"] = json::array();
      *users << (n_users++ ? ",\n" : "") << o.dump();
    } else if (n.kind == node_kind::group) {
      json members = json::array();
      for (auto uv : t.in_edges(v))
        if (t[uv].kind == edge_kind::member_of)
          members.push_back({{"ObjectIdentifier", sid(t.source(uv))},
                             {"ObjectType", t[t.source(uv)].kind == node_kind::group ? "Group" : "User"}});
      o["Members"] = std::move(members);
      *groups << (n_groups++ ? ",\n" : "") << o.dump();
    } else if (n.kind == node_kind::workstation || n.kind == node_kind::server) {
      o["Properties"]["operatingsystem"] = n.kind == node_kind::server ? "Windows Server 2019 Standard" : "Windows 11 Enterprise";
      o["Properties"]["enabled"] = true;
      json admins = json::array(), sessions = json::array();
      for (auto uv : t.in_edges(v))
        if (t[uv].kind == edge_kind::admin_to)
          admins.push_back({{"ObjectIdentifier", sid(t.source(uv))},
                            {"ObjectType", t[t.source(uv)].kind == node_kind::group ? "Group" : "User"}});
      for (auto uv : t.out_edges(v))
        if (t[uv].kind == edge_kind::has_session) sessions.push_back({{"UserSID", sid(t.target(uv))}, {"ComputerSID", sid(v)}});
      o["LocalAdmins"] = {{"Results", std::move(admins)}, {"Collected", true}, {"FailureReason", nullptr}};
      o["Sessions"] = {{"Results", std::move(sessions)}, {"Collected", true}, {"FailureReason", nullptr}};
      o["PrimaryGroupSID"] = domain + "-515";
      *computers << (n_computers++ ? ",\n" : "") << o.dump();
    }
  }
  close(*users, "users", n_users);
  close(*groups, "groups", n_groups);
  close(*computers, "computers", n_computers);
  users.reset(), groups.reset(), computers.reset();
  std::uintmax_t bytes = 0;
  for (const char* f : {"users.json", "groups.json", "computers.json"}) bytes += std::filesystem::file_size(dir / f);
  return bytes;
}

}  // namespace twinrisk_bench
