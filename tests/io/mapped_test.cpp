#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test_twins.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/io/mapped.hpp"

using namespace twinrisk;

namespace mapped_test {

// The twin of `mapping` (JSON text, read as "m.json") over `inputs` (file name, text).
import_result import(const std::string& mapping, const std::vector<std::pair<std::string, std::string>>& inputs) {
  mapped_importer importer(parse_mapping(mapping, "m.json"));
  for (const auto& [name, text] : inputs) {
    std::istringstream in(text);
    importer.add_stream(in, name);
  }
  return std::move(importer).finish();
}

// One CSV source with `rules` (the members "nodes" and "edges").
std::string csv_mapping(const std::string& rules, const std::string& extra = "") {
  return R"({"format": "csv", )" + extra + rules + "}";
}

const node& node_of(const import_result& r, std::string_view id) { return r.twin[r.twin.at(id)]; }

// "from->to kind p" for every edge, in edge order.
std::vector<std::string> edge_lines(const twin& t) {
  std::vector<std::string> out;
  for (auto uv : boost::make_iterator_range(edges(t))) {
    std::ostringstream s;
    s << t.id(source(uv, t.graph())) << "->" << t.id(target(uv, t.graph())) << " " << to_string(t.graph()[uv].kind) << " "
      << t.graph()[uv].probability;
    out.push_back(s.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> ids(const twin& t) {
  std::vector<std::string> out;
  for (std::size_t v = 0; v < t.num_nodes(); ++v) out.push_back(t.id(v));
  return out;
}

std::vector<std::string> tags(const node& n) { return n.tags.to_vector(); }

import_result sample(const std::string& mapping) {
  const auto dir = twinrisk_test::source_dir() / "examples/mappings";
  mapped_importer importer(read_mapping_file(dir / (mapping + ".json")));
  add_inputs(importer, {dir / "samples" / mapping}, {.extensions = {".csv", ".json", ".jsonl"}});
  return std::move(importer).finish();
}

void check_mapping_error(const std::string& mapping, const std::string& message) {
  CHECK_THROWS_WITH_AS((void)parse_mapping(mapping, "m.json"), message.c_str(), input_error);
}

void check_data_error(const std::string& mapping, const std::string& file, const std::string& text, const std::string& message) {
  CHECK_THROWS_WITH_AS((void)import(mapping, {{file, text}}), message.c_str(), input_error);
}

TEST_CASE("mapped: the ServiceNow CMDB sample joins configuration items and relationships by sys_id") {
  const import_result r = sample("servicenow-cmdb");
  const std::string web = "0a1f3c5e7b9d4f21a3c5e7f9b1d3f5a7", app = "1b2e4d6f8a0c4e62b4d6f8a0c2e4f6b8", db = "2c3f5e7a9b1d4f73c5e7a9b1d3f5a7c9",
                    sqlhost = "3d4a6f8b0c2e4a84d6f8b0c2e4a6b8d0", fw = "4e5b7a9c1d3f4b95e7a9c1d3f5b7c9e1", hr = "6a7d9c1e3f5b4db7a9c1e3f5b7d9e1a3",
                    hrvm = "7b8e0d2f4a6c4ec8b0d2f4a6c8e0f2b4", laptop = "8c9f1e3a5b7d4fd9c1e3a5b7d9f1a3c5", ldap = "9d0a2f4b6c8e4ae0d2f4b6c8e0a2b4d6";
  CHECK(ids(r.twin) == std::vector<std::string>{web, app, db, sqlhost, fw, hr, hrvm, laptop, ldap});
  CHECK(edge_lines(r.twin) == std::vector<std::string>{web + "->" + app + " admin_to 0.9", app + "->" + db + " can_access 0.6",
                                                       sqlhost + "->" + db + " admin_to 0.9", fw + "->" + web + " network_reach 0.3",
                                                       hr + "->" + ldap + " can_access 0.6", hrvm + "->" + hr + " admin_to 0.9",
                                                       laptop + "->" + web + " network_reach 0.3"});
  const node& w = node_of(r, web);
  CHECK(w.name == "crm-web-01");
  CHECK(w.kind == node_kind::server);
  CHECK(w.owner == "Dana Whitfield");
  CHECK(w.business_unit == "Sales");
  CHECK(w.rating == criticality::high);
  CHECK((w.entry_point && w.internet_exposed && !w.crown_jewel && w.sanctioned));
  CHECK(tags(w) == std::vector<std::string>{"env:Production", "data:Internal"});
  CHECK(w.properties == nlohmann::json{{"ip_address", "10.20.1.11"}, {"fqdn", "crm-web-01.acme.example"}, {"sys_class_name", "cmdb_ci_linux_server"},
                                       {"operational_status", "Operational"}, {"support_group", "Linux Ops"}});
  CHECK(node_of(r, app).kind == node_kind::application);
  CHECK((node_of(r, app).crown_jewel && node_of(r, app).rating == criticality::critical));
  CHECK(node_of(r, db).name == "CRMDB01\\MSSQLSERVER");
  CHECK((node_of(r, db).kind == node_kind::database && node_of(r, db).crown_jewel));
  CHECK(node_of(r, fw).owner == "Network Ops");  // owned_by empty: the support group
  CHECK(node_of(r, fw).kind == node_kind::network_device);
  CHECK(node_of(r, hr).name == "HR Portal, \"self-service\"");
  CHECK(node_of(r, hrvm).kind == node_kind::virtual_machine);
  CHECK((node_of(r, laptop).kind == node_kind::workstation && node_of(r, laptop).entry_point && !node_of(r, laptop).internet_exposed));
  CHECK(tags(node_of(r, laptop)) == std::vector<std::string>{"env:Production"});  // "NULL" is empty
  CHECK(node_of(r, ldap).properties == nlohmann::json{{"placeholder", true}});
  const import_summary& s = r.summary;
  CHECK(s.format == "mapped");
  CHECK(s.files == 2);
  CHECK(s.records == 16);
  CHECK((s.nodes == 9 && s.edges == 7 && s.placeholder_nodes == 1 && s.entry_points == 4 && s.crown_jewels == 2));
  CHECK(s.records_by_type == name_counts{{"Connects to::Connected by", 2}, {"Depends on::Used by", 2}, {"Hosted on::Hosts", 1},
                                         {"Runs on::Runs", 2}, {"cmdb_ci_appl", 2}, {"cmdb_ci_computer", 1},
                                         {"cmdb_ci_db_mssql_instance", 1}, {"cmdb_ci_ip_firewall", 1},
                                         {"cmdb_ci_linux_server", 1}, {"cmdb_ci_linux_server (skipped by the mapping)", 1},
                                         {"cmdb_ci_vmware_instance", 1}, {"cmdb_ci_win_server", 1}});
  CHECK(s.edges_by_kind == name_counts{{"admin_to", 3}, {"can_access", 2}, {"network_reach", 2}});
  CHECK((s.unknown_types.empty() && s.unknown_relationships.empty() && s.fields_not_read.empty() && s.assumptions.empty()));
  CHECK(r.twin.info().name == "ServiceNow CMDB");
  CHECK(r.twin.info().metadata["import"]["records"] == 16);
}

TEST_CASE("mapped: the discovered-apps sample flags shadow IT and shadow AI") {
  const import_result r = sample("discovered-apps");
  CHECK(ids(r.twin) == std::vector<std::string>{"app:ChatGPT", "employees", "app:Microsoft 365 Copilot", "app:DeepSeek", "app:NoteGenie AI",
                                                "app:Hugging Face", "app:Salesforce", "app:WeTransfer", "app:Dropbox, Inc."});
  std::vector<std::pair<std::string, double>> flows;
  for (auto uv : boost::make_iterator_range(edges(r.twin))) {
    CHECK(r.twin.id(source(uv, r.twin.graph())) == "employees");
    CHECK(r.twin.graph()[uv].kind == edge_kind::data_flow);
    flows.emplace_back(r.twin.id(target(uv, r.twin.graph())), r.twin.graph()[uv].probability);
  }
  REQUIRE(flows.size() == 8);
  const auto p = [&](const std::string& app) {
    return std::find_if(flows.begin(), flows.end(), [&](const auto& f) { return f.first == app; })->second;
  };
  CHECK(p("app:ChatGPT") == doctest::Approx(0.8 - 5 * 0.75 / 9));  // risk 6 of 1..10 -> 0.8..0.05
  CHECK(p("app:DeepSeek") == doctest::Approx(0.8 - 2 * 0.75 / 9));
  CHECK(p("app:Salesforce") == doctest::Approx(0.05));
  CHECK(p("app:Microsoft 365 Copilot") == doctest::Approx(0.05));
  const node& chatgpt = node_of(r, "app:ChatGPT");
  CHECK(chatgpt.kind == node_kind::ai_copilot);
  CHECK((!chatgpt.sanctioned && chatgpt.crown_jewel && chatgpt.internet_exposed));
  CHECK(tags(chatgpt) == std::vector<std::string>{"category:Generative AI", "shadow-it", "shadow-ai"});
  CHECK(chatgpt.properties == nlohmann::json{{"risk_score", "6"}, {"traffic", "1.2 GB"}, {"upload", "310 MB"}, {"users", "142"},
                                             {"ip_addresses", "88"}, {"last_seen", "2025-11-03"}});
  const node& copilot = node_of(r, "app:Microsoft 365 Copilot");
  CHECK((copilot.sanctioned && !copilot.crown_jewel));
  CHECK(tags(copilot) == std::vector<std::string>{"category:Generative AI"});
  CHECK(tags(node_of(r, "app:DeepSeek")) == std::vector<std::string>{"category:Generative AI", "shadow-it", "shadow-ai", "risky"});
  CHECK(node_of(r, "app:Hugging Face").kind == node_kind::ai_model);  // "Monitored" is not sanctioned
  CHECK(!node_of(r, "app:Hugging Face").sanctioned);
  CHECK(node_of(r, "app:Salesforce").kind == node_kind::saas_application);
  CHECK((!node_of(r, "app:WeTransfer").sanctioned && !node_of(r, "app:WeTransfer").crown_jewel));
  CHECK(tags(node_of(r, "app:Dropbox, Inc.")) == std::vector<std::string>{"category:Cloud storage", "shadow-it"});
  const node& employees = node_of(r, "employees");
  CHECK((employees.kind == node_kind::group && employees.entry_point && employees.name == "Employees (Cloud Discovery users)"));
  CHECK((r.summary.nodes == 9 && r.summary.edges == 8 && r.summary.entry_points == 1 && r.summary.crown_jewels == 4));
  CHECK(r.summary.records_by_type == name_counts{{"AI model provider", 1}, {"CRM", 1}, {"Cloud storage", 2}, {"Generative AI", 4}});
  CHECK((r.summary.unknown_types.empty() && r.summary.fields_not_read.empty() && r.summary.assumptions.empty()));
}

TEST_CASE("mapped: the Azure Resource Graph sample places resources in their subscription and behind the internet") {
  const import_result r = sample("azure-resource-graph");
  const std::string sub = "/subscriptions/3f2b8c1e-6d4a-4e8b-9c7f-1a2b3c4d5e6f";
  const std::string vm = sub + "/resourcegroups/rg-crm-prod/providers/microsoft.compute/virtualmachines/vm-crm-web-01",
                    web = sub + "/resourcegroups/rg-crm-prod/providers/microsoft.web/sites/app-crm-portal",
                    sql = sub + "/resourcegroups/rg-crm-prod/providers/microsoft.sql/servers/sql-crm-prod",
                    db = sql + "/databases/crmdb",
                    st = sub + "/resourcegroups/rg-data/providers/microsoft.storage/storageaccounts/stacmeexports01",
                    kv = sub + "/resourcegroups/rg-crm-prod/providers/microsoft.keyvault/vaults/kv-crm-prod",
                    oai = sub + "/resourcegroups/rg-ai-sandbox/providers/microsoft.cognitiveservices/accounts/oai-copilot-dev";
  CHECK(ids(r.twin) == std::vector<std::string>{vm, sub, "internet", web, sql, db, st, kv, oai});
  CHECK(edge_lines(r.twin) == sorted({
                                  sub + "->" + vm + " contains 1", sub + "->" + web + " contains 1", sub + "->" + sql + " contains 1",
                                  sub + "->" + db + " contains 1", sub + "->" + st + " contains 1", sub + "->" + kv + " contains 1",
                                  sub + "->" + oai + " contains 1", "internet->" + vm + " network_reach 0.3", "internet->" + web + " network_reach 0.3",
                                  "internet->" + st + " network_reach 0.5", "internet->" + oai + " network_reach 0.4"}));
  const node& v = node_of(r, vm);
  CHECK((v.kind == node_kind::virtual_machine && v.internet_exposed && !v.entry_point && v.rating == criticality::high));
  CHECK(v.owner == "dana.whitfield@acme.example");
  CHECK(v.business_unit == "Sales");
  CHECK(tags(v) == std::vector<std::string>{"business-unit:Sales", "criticality:high", "env:prod", "exposure:internet",
                                           "owner:dana.whitfield@acme.example", "region:westeurope"});
  CHECK(v.properties == nlohmann::json{{"azure_type", "microsoft.compute/virtualmachines"}, {"location", "westeurope"}, {"resource_group", "rg-crm-prod"}});
  CHECK(node_of(r, web).properties["host_name"] == "app-crm-portal.azurewebsites.net");
  CHECK((node_of(r, sql).kind == node_kind::database && node_of(r, sql).crown_jewel && !node_of(r, sql).internet_exposed));
  CHECK((node_of(r, db).crown_jewel && node_of(r, db).rating == criticality::critical));
  CHECK((node_of(r, st).kind == node_kind::storage && node_of(r, st).internet_exposed && node_of(r, st).crown_jewel));
  CHECK((node_of(r, kv).kind == node_kind::secret_store && !node_of(r, kv).internet_exposed));
  CHECK((node_of(r, oai).kind == node_kind::ai_model && node_of(r, oai).owner.empty()));
  CHECK(node_of(r, sub).kind == node_kind::cloud_account);
  CHECK((node_of(r, "internet").kind == node_kind::internet && node_of(r, "internet").entry_point));
  CHECK((r.summary.records == 8 && r.summary.nodes == 9 && r.summary.edges == 11 && r.summary.entry_points == 1 && r.summary.crown_jewels == 3));
  CHECK(r.summary.records_by_type.at("microsoft.network/networkinterfaces (skipped by the mapping)") == 1);
  CHECK((r.summary.unknown_types.empty() && r.summary.fields_not_read.empty() && r.summary.assumptions.empty()));
}

TEST_CASE("mapped: templates") {
  const std::string m = csv_mapping(R"("nodes": [{"id": "host:{fqdn|name}", "name": "{{{name}}} at {ip}", "kind": "host"}])");
  const import_result r = import(m, {{"d.csv", "fqdn,name,ip\nweb.example,web,10.0.0.1\n,db,10.0.0.2\n,,10.0.0.3\nx.example,x,\n"}});
  CHECK(ids(r.twin) == std::vector<std::string>{"host:web.example", "host:db", "host:x.example"});
  CHECK(node_of(r, "host:web.example").name == "{web} at 10.0.0.1");
  CHECK(node_of(r, "host:x.example").name == "host:x.example");  // a placeholder found nothing: the name is the id
  CHECK(r.summary.unknown_types == name_counts{{"records (empty id)", 1}});
}

TEST_CASE("mapped: kinds from a map, a name, a default, or counted as unknown") {
  const std::string rules = R"("nodes": [{"id": "{id}", "kind": {"column": "class", "map": {"Linux Server": "server"}, "default": "host"}}])";
  const import_result r = import(csv_mapping(rules), {{"d.csv", "id,class\na,linux server\nb,database\nc,printer\nd,\n"}});
  CHECK(node_of(r, "a").kind == node_kind::server);    // the map, ignoring case
  CHECK(node_of(r, "b").kind == node_kind::database);  // a kind's own name
  CHECK(node_of(r, "c").kind == node_kind::host);      // the default
  CHECK(node_of(r, "d").kind == node_kind::host);
  CHECK(r.summary.unknown_types.empty());
  const import_result u = import(csv_mapping(R"("nodes": [{"id": "{id}", "kind": {"column": "class", "map": {"srv": "server"}}}])"),
                                 {{"d.csv", "id,class\na,srv\nb,printer\nc,printer\n"}});
  CHECK(node_of(u, "b").kind == node_kind::generic);
  CHECK(u.summary.unknown_types == name_counts{{"class=printer", 2}});
  const import_result c = import(csv_mapping(R"("nodes": [{"id": "{id}", "kind": "host", "criticality": {"column": "c", "map": {"1": "critical"}}}])"),
                                 {{"d.csv", "id,c\na,1\nb,low\nc,9\nd,\n"}});
  CHECK(node_of(c, "a").rating == criticality::critical);
  CHECK(node_of(c, "b").rating == criticality::low);
  CHECK(node_of(c, "c").rating == criticality::unrated);
  CHECK(c.summary.unknown_types == name_counts{{"c=9", 1}});
}

TEST_CASE("mapped: conditions") {
  // Each flag holds for the ids the test names.
  const auto holds_for = [](const std::string& condition) {
    const std::string rules = R"("nodes": [{"id": "{id}", "kind": "host", "crown_jewel": )" + condition + "}]";
    const import_result r = import(csv_mapping(rules), {{"d.csv", "id,status,score\na,Active,9\nb,retired,3.5\nc,,\nd, ACTIVE ,10\n"}});
    std::string out;
    for (std::size_t v = 0; v < r.twin.num_nodes(); ++v)
      if (r.twin[v].crown_jewel) out += r.twin.id(v);
    return out;
  };
  CHECK(holds_for("true") == "abcd");
  CHECK(holds_for("false") == "");
  CHECK(holds_for(R"({"column": "status", "in": ["active"]})") == "ad");  // ignoring case, trimmed
  CHECK(holds_for(R"({"column": "status", "in": "Retired"})") == "b");
  CHECK(holds_for(R"({"column": "status", "not_in": ["Active"]})") == "bc");
  CHECK(holds_for(R"({"column": "status", "matches": ["ret*", "?CTIVE"]})") == "abd");
  CHECK(holds_for(R"({"column": "status", "present": true})") == "abd");
  CHECK(holds_for(R"({"column": "status", "present": false})") == "c");
  CHECK(holds_for(R"({"column": "score", "at_least": 9})") == "ad");
  CHECK(holds_for(R"({"column": "score", "above": 9})") == "d");
  CHECK(holds_for(R"({"column": "score", "at_most": 3.5})") == "b");
  CHECK(holds_for(R"({"column": "score", "below": 9})") == "b");
  CHECK(holds_for(R"({"all": [{"column": "status", "in": ["active"]}, {"column": "score", "below": 10}]})") == "a");
  CHECK(holds_for(R"({"any": [{"column": "status", "in": ["retired"]}, {"column": "score", "above": 9}]})") == "bd");
  CHECK(holds_for(R"({"not": {"column": "status", "present": true}})") == "c");
}

TEST_CASE("mapped: flags, owner, business unit, tags and properties") {
  const std::string rules = R"("nodes": [{"id": "{id}", "kind": "saas_application", "owner": "{owner}", "business_unit": "{bu}",
      "entry_point": {"column": "exposed", "in": ["yes"]}, "internet_exposed": {"column": "exposed", "in": ["yes"]},
      "sanctioned": {"column": "status", "not_in": ["Unsanctioned"]}, "privileged": {"column": "admin", "in": ["true"]},
      "tags": ["team:{owner}", {"value": "shadow", "when": {"column": "status", "in": ["Unsanctioned"]}}, {"column": "labels", "split": ";"}, "team:{owner}"],
      "properties": ["labels", "admin"]}])";
  const import_result r = import(csv_mapping(rules), {{"d.csv", "id,owner,bu,exposed,status,admin,labels\n"
                                                                "a,ops,IT,yes,Sanctioned,true,pci; prod\n"
                                                                "b,,,no,Unsanctioned,false,\n"}});
  const node& a = node_of(r, "a");
  CHECK((a.owner == "ops" && a.business_unit == "IT" && a.entry_point && a.internet_exposed && a.sanctioned && a.privileged));
  CHECK(tags(a) == std::vector<std::string>{"team:ops", "pci", "prod"});
  CHECK(a.properties == nlohmann::json{{"labels", "pci; prod"}, {"admin", "true"}});
  const node& b = node_of(r, "b");
  CHECK((b.owner.empty() && !b.entry_point && !b.internet_exposed && !b.sanctioned && !b.privileged));
  CHECK(tags(b) == std::vector<std::string>{"shadow"});
  CHECK(b.properties == nlohmann::json{{"admin", "false"}});
  CHECK(r.summary.entry_points == 1);
}

TEST_CASE("mapped: JSON records, pointers, and tags from lists and objects") {
  const std::string m = R"({"format": "json", "records": "/value", "ignore": ["etag"],
      "nodes": [{"id": "{id}", "name": "{/meta/name}", "kind": "cloud_resource", "tags": [{"column": "labels"}, {"column": "tags"}],
                 "properties": {"size": "/meta/size", "public": "/meta/public", "zone": "/meta/zones/0"}}]})";
  const import_result r = import(m, {{"d.json", R"({"value": [
      {"id": "r1", "meta": {"name": "one", "size": 3, "public": true, "zones": ["z1"]}, "labels": ["a", "b", 7], "tags": {"env": "prod", "x": null}, "etag": "1"},
      {"id": "r2", "meta": {"name": null}, "extra": 1, "more": "", "other": null}]})"}});
  const node& r1 = node_of(r, "r1");
  CHECK(r1.name == "one");
  CHECK(tags(r1) == std::vector<std::string>{"a", "b", "7", "env:prod", "x"});
  CHECK(r1.properties == nlohmann::json{{"size", 3}, {"public", true}, {"zone", "z1"}});
  CHECK(node_of(r, "r2").name == "r2");
  CHECK(node_of(r, "r2").properties.is_null());
  CHECK(r.summary.fields_not_read == name_counts{{"extra", 1}});
}

TEST_CASE("mapped: JSON Lines") {
  const std::string m = R"({"format": "jsonl", "type": "{kind}", "nodes": [{"id": "{id}", "kind": {"column": "kind"}}]})";
  const import_result r = import(m, {{"d.jsonl", "{\"id\": \"a\", \"kind\": \"user\"}\n\n{\"id\": \"b\", \"kind\": \"group\"}\r\n"}});
  CHECK(ids(r.twin) == std::vector<std::string>{"a", "b"});
  CHECK(node_of(r, "b").kind == node_kind::group);
  CHECK(r.summary.records_by_type == name_counts{{"group", 1}, {"user", 1}});
}

TEST_CASE("mapped: edges, probabilities, placeholders and duplicates") {
  const std::string rules = R"("nodes": [{"when": {"column": "to", "present": false}, "id": "{from}", "kind": "host"}],
      "edges": [
        {"when": {"column": "how", "in": ["reach"]}, "from": "{from}", "to": "{to}", "kind": "network_reach", "probability": {"column": "p"}},
        {"when": {"column": "how", "in": ["admin"]}, "from": "{from}", "to": "{to}", "kind": "admin_to"},
        {"when": {"column": "how", "in": ["rel"]}, "from": "{from}", "to": "{to}", "kind": {"column": "kind", "map": {"uses": "uses_credential"}},
         "probability": {"column": "p", "map": {"high": 0.9, "low": 0.1}, "default": 0.5}},
        {"when": {"column": "how", "in": ["score"]}, "from": "{from}", "to": "{to}", "kind": "exploits", "probability": {"column": "p", "from": [0, 10], "to": [0, 1], "default": 0.2}}
      ])";
  const import_result r = import(csv_mapping(rules, R"("type": "{how}", )"),
                                 {{"d.csv", "from,to,how,kind,p\n"
                                            "a,,,,\n"
                                            "a,b,reach,,0.25\n"
                                            "a,b,reach,,0.75\n"  // the same edge again: kept once
                                            "b,a,admin,,\n"
                                            "a,c,rel,uses,high\n"
                                            "c,a,rel,uses,\n"
                                            "c,b,rel,owns,\n"
                                            "c,d,rel,mystery,low\n"
                                            "b,c,score,,7.5\n"
                                            "c,b,score,,\n"
                                            ",b,reach,,0.1\n"
                                            "a,,reach,,0.1\n"
                                            "x,y,other,,\n"}});
  CHECK(ids(r.twin) == std::vector<std::string>{"a", "b", "c"});
  CHECK(edge_lines(r.twin) == std::vector<std::string>{"a->b network_reach 0.25", "a->c uses_credential 0.9", "b->a admin_to 1", "b->c exploits 0.75",
                                                       "c->a uses_credential 0.5", "c->b exploits 0.2", "c->b owns 0.5"});
  CHECK(r.summary.placeholder_nodes == 2);
  CHECK(node_of(r, "b").properties == nlohmann::json{{"placeholder", true}});
  CHECK(node_of(r, "b").kind == node_kind::generic);
  CHECK(r.summary.duplicate_edges == 1);
  CHECK(r.summary.unknown_relationships == name_counts{{"kind=mystery", 1}, {"reach (empty from)", 1}, {"reach (empty to)", 1}});
  CHECK(r.summary.unknown_types == name_counts{{"other (no rule)", 1}});
  CHECK(r.summary.edges_by_kind == name_counts{{"admin_to", 1}, {"exploits", 2}, {"network_reach", 1}, {"owns", 1}, {"uses_credential", 2}});
}

TEST_CASE("mapped: records no rule takes, skipped records, columns not read") {
  const std::string rules = R"("ignore": ["note"], "skip": {"column": "state", "in": ["retired"]},
      "nodes": [{"when": {"column": "class", "in": ["server"]}, "id": "{id}", "kind": "server"}])";
  const import_result r = import(csv_mapping(rules, R"("type": "{class}", )"),
                                 {{"d.csv", "id,class,state,note,extra\na,server,live,n,x\nb,printer,live,,\nc,server,retired,,y\nd,,live,,\n"}});
  CHECK(ids(r.twin) == std::vector<std::string>{"a"});
  CHECK(r.summary.records == 4);
  CHECK(r.summary.records_by_type == name_counts{{"printer", 1}, {"records", 1}, {"server", 1}, {"server (skipped by the mapping)", 1}});
  CHECK(r.summary.unknown_types == name_counts{{"printer (no rule)", 1}, {"records (no rule)", 1}});
  CHECK(r.summary.fields_not_read == name_counts{{"extra", 2}});
  // An edges-only source counts what no rule takes as relationships.
  const import_result e = import(csv_mapping(R"("type": "{t}", "edges": [{"when": {"column": "t", "in": ["x"]}, "from": "{a}", "to": "{b}", "kind": "owns"}])"),
                                 {{"d.csv", "a,b,t\n1,2,x\n1,2,y\n"}});
  CHECK(e.summary.unknown_relationships == name_counts{{"y (no rule)", 1}});
}

TEST_CASE("mapped: nodes described by several records are merged by id") {
  const std::string rules = R"("nodes": [{"id": "{id}", "name": "{name}", "kind": {"column": "kind"}, "tags": ["{tag}"], "owner": "{owner}",
      "crown_jewel": {"column": "cj", "in": ["y"]}, "sanctioned": {"column": "ok", "in": ["y"]}, "criticality": {"column": "c"},
      "properties": ["p"]}])";
  const import_result r = import(csv_mapping(rules), {{"d.csv", "id,name,kind,tag,owner,cj,ok,c,p\n"
                                                                "a,first,,t1,,n,y,low,1\n"
                                                                "a,second,server,t2,ops,y,n,high,2\n"
                                                                "a,second,server,t2,ops,y,n,high,2\n"}});
  const node& a = node_of(r, "a");
  CHECK((a.name == "first" && a.kind == node_kind::server && a.owner == "ops" && a.crown_jewel && !a.sanctioned && a.rating == criticality::high));
  CHECK(tags(a) == std::vector<std::string>{"t1", "t2"});
  CHECK(a.properties == nlohmann::json{{"p", "1"}});
  CHECK(r.summary.assumptions == name_counts{{"nodes described differently by several records, merged by id (the first name and kind kept)", 2}});
  CHECK(r.summary.unknown_types == name_counts{{"kind=", 1}});
}

TEST_CASE("mapped: normalisation") {
  const std::string m = csv_mapping(R"("nodes": [{"id": "{id}", "name": "{name}", "owner": "{owner}", "kind": "host", "tags": ["{tag}"]}])",
                                    R"("normalise": {"trim": false, "lower_case": ["id"], "upper_case": ["name"], "empty": ["N/A", "-"]}, "delimiter": ";", )");
  const import_result r = import(m, {{"d.csv", "\xEF\xBB\xBFid;name;owner;tag\r\nWEB-01;web ; n/a ;-\r\n"}});
  const node& n = node_of(r, "web-01");
  CHECK(n.name == "WEB ");
  CHECK(n.owner == " n/a ");  // not trimmed: not the empty value "N/A"
  CHECK(n.tags.empty());
}

TEST_CASE("mapped: CSV quoting") {
  const std::string m = csv_mapping(R"("nodes": [{"id": "{id}", "name": "{name}", "kind": "host"}])");
  const import_result r = import(m, {{"d.csv", "id,name\n\"a\",\"two\nlines, \"\"quoted\"\"\"\nb,5\" disk\n\n\"c\",\"\"\n"}});
  CHECK(node_of(r, "a").name == "two\nlines, \"quoted\"");
  CHECK(node_of(r, "b").name == "5\" disk");
  CHECK(node_of(r, "c").name == "c");
  check_data_error(m, "d.csv", "id,name\na,\"one\nb,\"x\"\n", "d.csv:3:4: expected ',' or a line end after a closing quote, got 'x'");
}

TEST_CASE("mapped: sources are chosen by file name") {
  const std::string m = R"({"name": "two files", "sources": [
      {"files": "*hosts*.csv", "format": "csv", "nodes": [{"id": "{name}", "kind": "server"}]},
      {"files": "links.json", "format": "json", "edges": [{"from": "{a}", "to": "{b}", "kind": "network_reach", "probability": 0.4}]}]})";
  const import_result r = import(m, {{"in/HOSTS-2025.csv", "name\nweb\ndb\n"}, {"archive.zip:exports/links.json", R"([{"a": "web", "b": "db"}])"}});
  CHECK(edge_lines(r.twin) == std::vector<std::string>{"web->db network_reach 0.4"});
  CHECK(r.summary.files == 2);
  CHECK(r.twin.info().name == "two files");
  check_data_error(m, "dir/links.csv", "",
                   "dir/links.csv: no source of the mapping m.json takes this file (their files: '*hosts*.csv', 'links.json')");
  CHECK(detail::glob_matches("a*b?c", "AxxbYc"));
  CHECK(!detail::glob_matches("a*b?c", "axxbc"));
  CHECK(detail::glob_matches("*", ""));
}

TEST_CASE("mapped: mapping errors name the file, the JSON pointer and the closest names") {
  check_mapping_error(R"({"format": "csv", "nodez": []})", "m.json: /nodez: unknown member 'nodez'; expected 'nodes'");
  check_mapping_error(R"({"format": "xml", "nodes": []})", "m.json: /format: unknown format 'xml'; did you mean 'csv'?");
  check_mapping_error(R"({"format": "csv"})", "m.json: a source without rules: give it \"nodes\" or \"edges\"");
  check_mapping_error(R"({"nodes": [{"id": "{a}", "kind": "host"}]})", "m.json: missing required member 'format'");
  check_mapping_error(R"({"sources": []})", "m.json: /sources: expected at least one source");
  check_mapping_error(R"({"sources": [{"format": "csv", "nodes": [{"id": "{a}", "kind": "host"}]}], "format": "csv"})",
                      "m.json: /format: a mapping with sources states 'format' in each source");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "sever"}]})", "m.json: /nodes/0/kind: unknown node kind 'sever'; did you mean 'server'?");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "knd": "server"}]})", "m.json: /nodes/0: missing required member 'kind'");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "host", "crown_jewl": true}]})",
                      "m.json: /nodes/0/crown_jewl: unknown member 'crown_jewl'; expected 'crown_jewel'");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a", "kind": "server"}]})", "m.json: /nodes/0/id: a '{' without its '}' at character 1");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "a}", "kind": "server"}]})",
                      "m.json: /nodes/0/id: a '}' without its '{' at character 2 (write '}}' for a brace)");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a|}", "kind": "server"}]})",
                      "m.json: /nodes/0/id: an empty placeholder in \"{a|}\": name a column, such as {name}");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "", "kind": "server"}]})", "m.json: /nodes/0/id: expected a template such as \"{sys_id}\", got \"\"");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{/a}", "kind": "server"}]})",
                      "m.json: /nodes/0/id: a JSON pointer ('/a') needs JSON records: CSV columns are named by their header");
  check_mapping_error(R"({"format": "json", "nodes": [{"id": "{/a~2}", "kind": "server"}]})",
                      "m.json: /nodes/0/id: expected a JSON pointer such as \"/result\", got \"/a~2\"");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"column": "x", "in": ["a"], "not_in": ["b"]}}]})",
                      "m.json: /nodes/0/crown_jewel: expected one test, got both 'in' and 'not_in' (combine them with 'all')");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"column": "x"}}]})",
                      "m.json: /nodes/0/crown_jewel: expected one test: 'in', 'not_in', 'matches', 'present', 'at_least', 'above', 'at_most', 'below', "
                      "'all', 'any' or 'not'");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"column": "x", "in": ["a"], "ni": 1}}]})",
                      "m.json: /nodes/0/crown_jewel/ni: unknown member 'ni'; expected 'in'");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"all": [], "column": "x"}}]})",
                      "m.json: /nodes/0/crown_jewel/column: 'all' combines conditions: it reads no column itself");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"any": []}}]})",
                      "m.json: /nodes/0/crown_jewel/any: expected at least one condition");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"column": "x", "at_least": "7"}}]})",
                      "m.json: /nodes/0/crown_jewel/at_least: expected a number, got \"7\"");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "crown_jewel": {"column": "x", "in": [{}]}}]})",
                      "m.json: /nodes/0/crown_jewel/in/0: expected a text, number or boolean to compare with, got an object");
  check_mapping_error(R"({"sources": [{"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "sanctioned": "yes"}]}]})",
                      "m.json: /sources/0/nodes/0/sanctioned: expected a condition: true, false or an object such as {\"column\": \"status\", \"in\": "
                      "[\"Active\"]}, got \"yes\"");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "criticality": "urgent"}]})",
                      "m.json: /nodes/0/criticality: unknown criticality 'urgent'; did you mean 'unrated'?");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "tags": [{"value": "x", "column": "y"}]}]})",
                      "m.json: /nodes/0/tags/0/value: a tag takes either a template (value) or every value of a column (column), not both");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "properties": "a"}]})",
                      "m.json: /nodes/0/properties: expected a list of columns, or an object from property names to columns, got \"a\"");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "to": "{b}", "kind": "admin_to", "probability": 1.5}]})",
                      "m.json: /edges/0/probability: expected a probability in [0,1], got 1.5");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "to": "{b}", "kind": {"column": "t", "map": {"x": "admin"}}}]})",
                      "m.json: /edges/0/kind/map/x: unknown edge kind 'admin'; did you mean 'admin_to' or 'sql_admin'?");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "to": "{b}", "kind": "admin_to", "probability": {"column": "r", "from": [1, 1], "to": [0, 1]}}]})",
                      "m.json: /edges/0/probability/from: expected two different numbers, got [1,1]");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "to": "{b}", "kind": "admin_to", "probability": {"column": "r", "from": [1, 2]}}]})",
                      "m.json: /edges/0/probability: a range needs both 'from' and 'to' (missing 'to')");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "to": "{b}", "kind": "admin_to", "probability": {"column": "r", "from": [0, 10], "to": [0, 2]}}]})",
                      "m.json: /edges/0/probability/to/1: expected a probability in [0,1], got 2");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "to": "{b}", "kind": "admin_to", "probability": {"column": "r", "map": {"a": 0.1}, "from": [1, 2], "to": [0, 1]}}]})",
                      "m.json: /edges/0/probability/from: give either a map or a range (from, to), not both");
  check_mapping_error(R"({"format": "csv", "edges": [{"from": "{a}", "kind": "owns"}]})", "m.json: /edges/0: missing required member 'to'");
  check_mapping_error(R"({"format": "csv", "records": "/data", "nodes": [{"id": "{a}", "kind": "server"}]})",
                      "m.json: /records: only a JSON document (format json) has a records pointer");
  check_mapping_error(R"({"format": "json", "records": "data", "nodes": [{"id": "{a}", "kind": "server"}]})",
                      "m.json: /records: expected a JSON pointer such as \"/result\", got \"data\"");
  check_mapping_error(R"({"format": "csv", "delimiter": ";;", "nodes": [{"id": "{a}", "kind": "server"}]})",
                      "m.json: /delimiter: expected one character such as \",\", \";\" or \"\\t\", got \";;\"");
  check_mapping_error(R"({"format": "json", "delimiter": ";", "nodes": [{"id": "{a}", "kind": "server"}]})",
                      "m.json: /delimiter: only CSV (format csv) has a delimiter");
  check_mapping_error(R"({"format": "csv", "normalise": {"lower_case": ["a"], "upper_case": ["a"]}, "nodes": [{"id": "{a}", "kind": "server"}]})",
                      "m.json: /normalise/upper_case: column 'a' is also in lower_case");
  check_mapping_error(R"({"format": "csv", "normalise": {"lowercase": ["a"]}, "nodes": [{"id": "{a}", "kind": "server"}]})",
                      "m.json: /normalise/lowercase: unknown member 'lowercase'; expected 'lower_case' or 'upper_case'");
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "server", "name": "{a}", "name": "{b}"}]})",
                      "m.json: /nodes/0/name: duplicate key 'name' in one object");
  std::string nested = "true", pointer = "/nodes/0/crown_jewel";
  for (int i = 0; i < 34; ++i) nested = R"({"not": )" + nested + "}", pointer += i < 33 ? "/not" : "";
  check_mapping_error(R"({"format": "csv", "nodes": [{"id": "{a}", "kind": "host", "crown_jewel": )" + nested + "}]}",
                      "m.json: " + pointer + ": conditions nested more than 32 deep");
  check_mapping_error("{\"format\": \"csv\",\n \"nodes\": [}", "m.json:2:12: malformed JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal");
}

TEST_CASE("mapped: data errors name the file, the line or JSON pointer, and the column") {
  const std::string csv = csv_mapping(R"("nodes": [{"id": "{id}", "kind": "server", "crown_jewel": {"column": "score", "at_least": 7}}],
      "edges": [{"when": {"column": "id", "not_in": ["m"]}, "from": "{id}", "to": "x", "kind": "admin_to", "probability": {"column": "p"}},
                {"when": {"column": "score", "present": true}, "from": "x", "to": "{id}", "kind": "owns", "probability": {"column": "score", "from": [0, 10], "to": [0, 1]}},
                {"when": {"column": "id", "in": ["m"]}, "from": "x", "to": "{id}", "kind": "owns", "probability": {"column": "p", "map": {"h": 1}}}])");
  check_data_error(csv, "d.csv", "id,score,p\na,9,0.5\nb,high,0.5\n", "d.csv:3: column 'score': expected a number to compare with 7, got \"high\"");
  check_data_error(csv, "d.csv", "id,scor,p\n", "d.csv:1: no column 'score' in the header, which the mapping reads; did you mean 'scor'?");
  check_data_error(csv, "d.csv", "id,score,p\na,9\n", "d.csv:2: expected 3 fields, as the header has, got 2");
  check_data_error(csv, "d.csv", "id,score,p\n\"a,9,0.5\n", "d.csv:2:1: a quoted field is never closed (expected '\"' before the end of the file)");
  check_data_error(csv, "d.csv", "id,score,p\n\"a\"x,9,0.5\n", "d.csv:2:4: expected ',' or a line end after a closing quote, got 'x'");
  check_data_error(csv, "d.csv", "id,score,p\na,9,1.5\n", "d.csv:2: column 'p': expected a probability in [0,1], got \"1.5\"");
  check_data_error(csv, "d.csv", "id,score,p\na,9,\n",
                   "d.csv:2: column 'p': expected a number for the probability, got an empty value (the mapping gives no default)");
  check_data_error(csv, "d.csv", "id,score,p\na,9,x\n", "d.csv:2: column 'p': expected a number for the probability, got \"x\"");
  check_data_error(csv, "d.csv", "id,score,p\na,11,0.5\n", "d.csv:2: column 'score': expected a number in [0, 10], got \"11\"");
  check_data_error(csv, "d.csv", "id,score,p\nm,,l\n", "d.csv:2: column 'p': no probability for \"l\": the mapping's map has none and no default");
  check_data_error(csv, "d.csv", "", "d.csv: expected a header line naming the columns, got an empty file");
  check_data_error(csv, "d.csv", "id,score,id\n", "d.csv:1: column 'id' appears twice in the header");
  const std::string json = R"({"format": "json", "records": "/data", "nodes": [{"id": "{id}", "name": "{tags}", "kind": "server"}]})";
  check_data_error(json, "d.json", R"({"data": [{"id": "a", "tags": {"x": 1}}]})",
                   "d.json: /data/0/tags: expected a text, number or boolean, got an object (name a member with a JSON pointer, such as {/tags/value})");
  check_data_error(json, "d.json", R"({"data": [1]})", "d.json: /data/0: expected a record (a JSON object), got 1");
  check_data_error(json, "d.json", R"({"value": []})", "d.json: /data: expected the array of records here (the mapping's records: \"/data\"), got nothing");
  check_data_error(json, "d.json", R"({"data": {}})", "d.json: /data: expected the array of records here (the mapping's records: \"/data\"), got an object");
  check_data_error(json, "d.json", R"({"data": [)",
                   "d.json:1:11: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  const std::string jsonl = R"({"format": "jsonl", "nodes": [{"id": "{id}", "kind": "server", "crown_jewel": {"column": "/x/score", "above": 3}}]})";
  check_data_error(jsonl, "d.jsonl", "{\"id\": \"a\"}\n\n{\"id\": \"b\", \"x\": {\"score\": \"n/a\"}}\n",
                   "d.jsonl:3: /x/score: expected a number to compare with 3, got \"n/a\"");
  check_data_error(jsonl, "d.jsonl", "{\"id\": \"a\"}\n{\"id\": \"b\",, }\n",
                   "d.jsonl:2:12: malformed JSON: syntax error while parsing object key - unexpected ','; expected string literal");
  check_data_error(jsonl, "d.jsonl", "{\"id\": \"a\"}\n[1]\n", "d.jsonl:2: expected a record (a JSON object), got an array");
}

TEST_CASE("mapped: every shipped mapping reads") {
  for (const auto& entry : std::filesystem::directory_iterator(twinrisk_test::source_dir() / "examples/mappings"))
    if (entry.path().extension() == ".json") {
      CAPTURE(entry.path().string());
      CHECK_NOTHROW((void)read_mapping_file(entry.path()));
    }
}

}  // namespace mapped_test
