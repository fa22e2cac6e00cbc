#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_twins.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/io/gcp.hpp"
#include "twinrisk/io/twin_json.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

using namespace twinrisk;

static_assert(importer<gcp_importer>);

namespace gcp_test {

const std::filesystem::path data = twinrisk_test::source_dir() / "tests/data/gcp";

import_result import_text(const std::string& text, gcp_options options = {}, const std::string& file = "iam.json") {
  gcp_importer importer(std::move(options));
  std::istringstream in(text);
  importer.add_stream(in, file);
  return std::move(importer).finish();
}

// The probability of the edge from -> to of kind k; -1 when there is none.
double edge_p(const twin& t, const std::string& from, const std::string& to, edge_kind k) {
  for (auto uv : t.out_edges(t.at(from)))
    if (t.target(uv) == t.at(to) && t[uv].kind == k) return t[uv].probability;
  return -1.0;
}

// How many edges lead from -> to, of any kind.
std::size_t gcp_edges_between(const twin& t, const std::string& from, const std::string& to) {
  std::size_t n = 0;
  for (auto uv : t.out_edges(t.at(from))) n += t.target(uv) == t.at(to);
  return n;
}


TEST_CASE("a real Cloud Asset Inventory export (policy-library's iam_allowed_bindings): one edge per member, role and asset") {
  gcp_importer importer;
  add_file(importer, data / "iam_allowed_bindings-assets-data.json");
  const auto [t, s] = std::move(importer).finish();
  CHECK(s.records == 6);
  CHECK(s.records_by_type == name_counts{{"bigquery.googleapis.com/Dataset", 4}, {"bindings", 13},
                                         {"cloudresourcemanager.googleapis.com/Project", 1}, {"storage.googleapis.com/Bucket", 1}});
  // 19 member entries; the 3 owners' of the project are their tier_zero_of edges; datasets named under the project
  CHECK(s.edges_by_kind == name_counts{{"contains", 4}, {"has_permission", 16}, {"tier_zero_of", 3}});
  CHECK(t.num_nodes() == 18);  // 6 assets, 12 distinct members
  const auto project = t.at("projects/12345");
  CHECK(t[project].kind == node_kind::cloud_account);
  CHECK(t[project].crown_jewel);
  CHECK(t[project].properties["asset_type"] == "cloudresourcemanager.googleapis.com/Project");
  CHECK(t[t.at("//storage.googleapis.com/forseti-cai-export-23775711")].kind == node_kind::cloud_resource);
  CHECK(t[t.at("//storage.googleapis.com/forseti-cai-export-23775711")].name == "forseti-cai-export-23775711");
  // Owners of the project are tier zero, never entry points; the public principals are entry points.
  for (const char* owner : {"user:powerful@google.com", "group:admins@google.com", "user:evil@notgoogle.com"}) {
    CAPTURE(owner);
    CHECK(*t[t.at(owner)].tier_zero == "roles/owner on projects/12345");
    CHECK_FALSE(t[t.at(owner)].entry_point);
    CHECK(edge_p(t, owner, "projects/12345", edge_kind::tier_zero_of) == 1.0);
    CHECK(gcp_edges_between(t, owner, "projects/12345") == 1);  // no has_permission beside it
  }
  CHECK(edge_p(t, "user:powerful@google.com", "//storage.googleapis.com/forseti-cai-export-23775711", edge_kind::has_permission) ==
        1.0);  // owner of a bucket: not tier zero of it
  CHECK(t[t.at("allUsers")].kind == node_kind::internet);
  CHECK(t[t.at("allUsers")].entry_point);
  CHECK(t[t.at("allAuthenticatedUsers")].kind == node_kind::group);
  CHECK(t[t.at("allAuthenticatedUsers")].properties["public"] == true);
  CHECK(edge_p(t, "allUsers", "projects/12345", edge_kind::has_permission) == 0.3);  // roles/viewer
  CHECK(edge_p(t, "user:admin@gmail.com", "//bigquery.googleapis.com/projects/12345/datasets/testdataset1", edge_kind::has_permission) ==
        0.9);  // bigquery.dataOwner
  CHECK(edge_p(t, "projects/12345", "//bigquery.googleapis.com/projects/12345/datasets/testdataset1", edge_kind::contains) == 1.0);
  // Service Account User on the project, whose service accounts the export does not list: no impersonation.
  CHECK(edge_p(t, "user:bad@notgoogle.com", "projects/12345", edge_kind::has_permission) == 0.0);
  CHECK(s.edges_by_kind.count("can_assume_role") == 0);
  CHECK(s.entry_points == 8);  // 6 users outside tier zero and the 2 public principals
  CHECK(s.entry_rule == "users-groups-public");
  CHECK(s.tier_zero == 4);     // the project and its 3 owners
  CHECK(s.crown_jewels == 1);
}

TEST_CASE("both real exports together: the shared assets are one node, their grants one edge each") {
  gcp_importer importer;
  add_inputs(importer, {data / "iam_allowed_bindings-assets-data.json", data / "iam_required_bindings-assets-data.json"});
  const auto [t, s] = std::move(importer).finish();
  CHECK(s.files == 2);
  CHECK(s.records == 9);
  CHECK(s.duplicate_edges == 11);  // project 12345 (8 entries) and the bucket (3) again
  // 19 + the 8 of project 12345-2, of which the 3 owners' of each project are tier_zero_of
  CHECK(s.edges_by_kind == name_counts{{"contains", 4}, {"has_permission", 21}, {"tier_zero_of", 6}});
  CHECK(s.crown_jewels == 2);
  CHECK(*t[t.at("user:evil@notgoogle.com")].tier_zero == "roles/owner on projects/12345");
  CHECK(edge_p(t, "user:evil@notgoogle.com", "projects/12345", edge_kind::tier_zero_of) == 1.0);  // one per project it controls
  CHECK(edge_p(t, "user:evil@notgoogle.com", "projects/12345-2", edge_kind::tier_zero_of) == 1.0);
  CHECK(edge_p(t, "user:evil@notgoogle.com", "projects/12345-2", edge_kind::has_permission) == -1.0);
}

TEST_CASE("a hand-made asset export (JSON Lines): hierarchy, impersonation, conditions, tier zero") {
  gcp_importer importer;
  add_file(importer, data / "cai-export-handmade.jsonl");
  const auto [t, s] = std::move(importer).finish();
  CHECK(t.num_nodes() == 12);
  CHECK(s.records == 6);
  CHECK(s.edges_by_kind == name_counts{{"can_assume_role", 2}, {"contains", 5}, {"has_permission", 5}, {"tier_zero_of", 2}});
  const std::string ci = "serviceAccount:ci@prod-app.iam.gserviceaccount.com";
  SUBCASE("the resource hierarchy from ancestors, service accounts under their project") {
    CHECK(edge_p(t, "organizations/100", "folders/200", edge_kind::contains) == 1.0);
    CHECK(edge_p(t, "folders/200", "projects/300", edge_kind::contains) == 1.0);
    CHECK(edge_p(t, "projects/300", "//storage.googleapis.com/prod-app-public", edge_kind::contains) == 1.0);
    CHECK(edge_p(t, "projects/300", ci, edge_kind::contains) == 1.0);
    CHECK(t[t.at("//secretmanager.googleapis.com/projects/300/secrets/db-password")].properties["asset_type"] ==
          "secretmanager.googleapis.com/Secret");  // no policy: a node, no grant
  }
  SUBCASE("impersonation: Token Creator on the account, Service Account User on its folder") {
    CHECK(edge_p(t, "user:intern@example.test", ci, edge_kind::can_assume_role) == 0.95);
    CHECK(edge_p(t, "user:dev@example.test", ci, edge_kind::can_assume_role) == 0.7);
    CHECK(edge_p(t, "user:intern@example.test", ci, edge_kind::has_permission) == 0.0);  // context: the grant itself
    CHECK(*t[t.at(ci)].tier_zero == "roles/editor on projects/300");
    CHECK(edge_p(t, ci, "projects/300", edge_kind::tier_zero_of) == 1.0);
    CHECK(edge_p(t, ci, "projects/300", edge_kind::has_permission) == -1.0);
  }
  SUBCASE("tier zero: owners, editors and IAM administrators of containers; the containers are crown jewels") {
    CHECK(*t[t.at("group:gcp-admins@example.test")].tier_zero == "roles/resourcemanager.organizationAdmin on organizations/100");
    CHECK(edge_p(t, "group:gcp-admins@example.test", "organizations/100", edge_kind::tier_zero_of) == 1.0);
    CHECK(gcp_edges_between(t, "group:gcp-admins@example.test", "organizations/100") == 1);
    CHECK(*t[t.at("projects/300")].tier_zero == "GCP project: IAM policies here hold every resource below");
    CHECK(s.crown_jewels == 3);
    CHECK(s.tier_zero == 5);
    CHECK(s.tier_zero_principals == 2);
  }
  SUBCASE("a conditional binding is kept at half its probability and counted") {
    CHECK(edge_p(t, "user:ops@example.test", "projects/300", edge_kind::has_permission) == 0.45);  // storage.admin 0.9 x 0.5
    CHECK(s.records_by_type.at("bindings with a condition") == 1);
    CHECK(s.assumptions == name_counts{{"edges of conditional bindings (condition not evaluated; probability x0.5)", 1}});
  }
  SUBCASE("members: domains are groups, deleted members are counted, unknown fields too") {
    CHECK(t[t.at("domain:example.test")].kind == node_kind::group);
    CHECK(t[t.at("domain:example.test")].entry_point);
    CHECK_FALSE(t.find("deleted:user:old@example.test?uid=123"));
    CHECK(s.records_by_type.at("members deleted (not imported)") == 1);
    CHECK(s.fields_not_read == name_counts{{"updateTime", 1}});
    CHECK(s.entry_points == 5);  // dev, ops, intern, the domain, allUsers
  }
}

TEST_CASE("a bare get-iam-policy output needs its resource; owned principals replace the entry rule") {
  const std::string policy = R"json({
  "bindings": [
    {"role": "roles/owner", "members": ["user:alice@example.test"]},
    {"role": "roles/iam.serviceAccountTokenCreator", "members": ["user:bob@example.test"],
     "condition": {"title": "temp", "expression": "request.time < timestamp('2027-01-01T00:00:00Z')"}},
    {"role": "roles/run.invoker", "members": ["serviceAccount:app@my-proj.iam.gserviceaccount.com", "principalSet://iam.googleapis.com/x"]}
  ],
  "etag": "BwXyz=",
  "version": 3
})json";
  SUBCASE("a project id") {
    const auto [t, s] = import_text(policy, {.resource = "my-proj"});
    CHECK(t.find("projects/my-proj"));
    CHECK(edge_p(t, "user:alice@example.test", "projects/my-proj", edge_kind::tier_zero_of) == 1.0);
    CHECK(gcp_edges_between(t, "user:alice@example.test", "projects/my-proj") == 1);
    CHECK(edge_p(t, "serviceAccount:app@my-proj.iam.gserviceaccount.com", "projects/my-proj", edge_kind::has_permission) == 0.6);
    // The account's e-mail names its project: Token Creator on the project reaches it, conditionally.
    CHECK(edge_p(t, "user:bob@example.test", "serviceAccount:app@my-proj.iam.gserviceaccount.com", edge_kind::can_assume_role) == 0.475);
    CHECK(edge_p(t, "projects/my-proj", "serviceAccount:app@my-proj.iam.gserviceaccount.com", edge_kind::contains) == 1.0);
    CHECK(s.records_by_type.at("bare policies") == 1);
    CHECK(s.unknown_types == name_counts{{"member principalSet", 1}});
    CHECK(s.assumptions.begin()->second == 1);
  }
  SUBCASE("a full name, and owned principals") {
    const auto [t, s] = import_text(policy, {.resource = "//cloudresourcemanager.googleapis.com/folders/7", .owned = {"bob@example.test"}});
    CHECK(t.find("folders/7"));
    CHECK(t[t.at("user:bob@example.test")].entry_point);
    CHECK_FALSE(t[t.at("serviceAccount:app@my-proj.iam.gserviceaccount.com")].entry_point);
    CHECK(s.entry_points == 1);
    CHECK(s.entry_rule == "owned");
  }
  CHECK_THROWS_WITH_AS((void)import_text(policy), "iam.json: an IAM policy without its resource (a get-iam-policy output): "
                                                  "name it with the resource option (--resource)",
                       input_error);
  CHECK_THROWS_WITH_AS((void)import_text(policy, {.resource = "p", .owned = {"mallory"}}), "owned: no GCP member or resource is 'mallory'",
                       input_error);
}

TEST_CASE("GCP: the way in runs through a tier-zero service account into the project, as `twinrisk paths` asks") {
  // `twinrisk paths` ends a path where it enters tier zero (edges_inside_tier_zero left out): the
  // owner service account reaches the project through its tier_zero_of edge.
  const std::string owner = "serviceAccount:deployer@prod.iam.gserviceaccount.com";
  const std::string assets =
      R"({"name":"//cloudresourcemanager.googleapis.com/projects/prod","asset_type":"cloudresourcemanager.googleapis.com/Project",)"
      R"("iam_policy":{"bindings":[{"role":"roles/owner","members":["serviceAccount:deployer@prod.iam.gserviceaccount.com"]},)"
      R"({"role":"roles/viewer","members":["serviceAccount:deployer@prod.iam.gserviceaccount.com"]}]}})"
      "\n"
      R"({"name":"//iam.googleapis.com/projects/prod/serviceAccounts/deployer@prod.iam.gserviceaccount.com","asset_type":"iam.googleapis.com/ServiceAccount",)"
      R"("iam_policy":{"bindings":[{"role":"roles/iam.serviceAccountTokenCreator","members":["user:helpdesk@example.test"]}]},)"
      R"("ancestors":["projects/prod"]})"
      "\n";
  const auto [t, s] = import_text(assets);
  CHECK(s.edges_by_kind == name_counts{{"can_assume_role", 1}, {"contains", 1}, {"has_permission", 1}, {"tier_zero_of", 1}});
  CHECK(gcp_edges_between(t, owner, "projects/prod") == 1);  // owner and viewer: one tier_zero_of edge
  REQUIRE(t.entry_points().size() == 1);
  const paths_result found = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t),
                                                   {.k = 5, .excluded_edges = edges_inside_tier_zero(t)});
  REQUIRE(found.paths.size() == 1);
  std::vector<std::string> ids;
  for (std::size_t v : found.paths[0].vertices) ids.push_back(t.id(v));
  CHECK(ids == std::vector<std::string>{"user:helpdesk@example.test", owner, "projects/prod"});
  CHECK(found.paths[0].probability == doctest::Approx(0.95).epsilon(1e-12));
  std::vector<edge_kind> last;  // the edge into the project
  for (auto uv : t.in_edges(t.at("projects/prod")))
    if (t.edge_index(uv) == found.paths[0].edges.back()) last.push_back(t[uv].kind);
  CHECK(last == std::vector<edge_kind>{edge_kind::tier_zero_of});
  SUBCASE("the hand-made export: the intern mints the tokens of the project's editor") {
    gcp_importer importer;
    add_file(importer, data / "cai-export-handmade.jsonl");
    const auto [h, hs] = std::move(importer).finish();
    const paths_result in = k_most_probable_paths(h, h.entry_points(), h.crown_jewels(), get(&edge::probability, h),
                                                  {.k = 10, .excluded_edges = edges_inside_tier_zero(h)});
    std::vector<std::string> first;
    for (const attack_path& p : in.paths) {
      std::string line;
      for (std::size_t v : p.vertices) line += (line.empty() ? "" : " > ") + h.id(v);
      first.push_back(line);
    }
    CHECK(std::find(first.begin(), first.end(), "user:intern@example.test > serviceAccount:ci@prod-app.iam.gserviceaccount.com > projects/300") !=
          first.end());
  }
}

// The outcome of one import: the twin and summary as JSON, or the error without where it was
// (JSON Lines name the line, an array the element's pointer).
std::string outcome(const std::string& text) {
  try {
    const auto [t, s] = import_text(text, {.resource = "p"});
    return write_twin_json(t) + s.to_json().dump();
  } catch (const input_error& e) {
    std::string where = e.where().pointer;
    if (where.starts_with("/1")) where = where.substr(2);
    return "error at '" + where + "': " + e.reason();
  }
}

// One asset mutated at random: a value replaced by one of another type, a member removed, or a
// field renamed to its other spelling or to an unknown name.
void mutate(nlohmann::json& j, std::mt19937& rng) {
  nlohmann::json* at = &j;
  while (true) {  // walk down to a random value
    if (!at->is_structured() || at->empty() || rng() % 3 == 0) break;
    auto it = at->begin();
    std::advance(it, static_cast<long>(rng() % at->size()));
    at = &*it;
  }
  const nlohmann::json replacements[] = {nullptr, 7, "", "roles/viewer", nlohmann::json::array(), nlohmann::json::object(),
                                         nlohmann::json::array({"user:x@example.test", 3}), {{"bindings", 1}}, true};
  switch (rng() % 3) {
    case 0: *at = replacements[rng() % std::size(replacements)]; break;
    case 1:
      if (at->is_object() && !at->empty()) at->erase(at->begin());
      break;
    default:
      if (at->is_object() && !at->empty()) {
        const std::string k = at->begin().key();
        const std::string other = k == "asset_type" ? "assetType" : k == "assetType" ? "asset_type" : k == "iam_policy" ? "iamPolicy"
                                : k == "iamPolicy"  ? "iam_policy" : k == "role" ? "name" : "condition";
        (*at)[other] = at->begin().value();
      }
  }
}

TEST_CASE("JSON Lines, read without a document tree, give what the same assets give as an array, errors too") {
  std::ifstream in(data / "cai-export-handmade.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  REQUIRE(lines.size() >= 6);
  const auto as_lines = [&](const std::string& second) { return lines[0] + "\n" + second + "\n"; };
  const auto as_array = [&](const std::string& second) { return "[" + lines[0] + ",\n" + second + "]"; };
  // Every line of the real file, then what only the document tree reads the same way: both
  // spellings of a field, a repeated key deep in a field not read, values of other types, a bare
  // policy between assets, escapes.
  std::vector<std::string> seconds(lines.begin() + 1, lines.end());
  for (const char* s : {R"({"name":"b","asset_type":"t1","assetType":"t2","iam_policy":{"bindings":[{"role":"r","members":["user:a@x"]}]},"iamPolicy":7})",
                        R"({"name":"b","update_time":{"seconds":1,"nanos":{"a":[1,{"z":2,"z":3}]}}})",
                        R"({"name":"b","iam_policy":{"bindings":[{"role":"r","members":["user:a@x"],"role":"s"}]}})",
                        R"({"name":"b","iam_policy":{"bindings":[{"role":"r","members":["user:a@x"],"condition":null}],"etag":{"x":[]}}})",
                        R"({"name":"b","iam_policy":null})", R"({"name":"b","ancestors":null})", R"({"name":"b","iam_policy":{"bindings":[{"role":""}]}})",
                        R"({"name":"//cloudresourcemanager.googleapis.com/"})", R"({"bindings":[{"role":"roles/owner","members":["user:o@x"]}]})",
                        R"({"name":"\u0062\ud83d\ude00","ancestors":["projects\/1"],"iam_policy":{"bindings":[{"members":["user:\u00e9@x"],"role":"roles/editor"}]}})",
                        R"([{"name":"b"}])", R"("b")", R"({"name":"b","iam_policy":{"bindings":[[]]}})", R"({"name":"b","iam_policy":{"bindings":[{"role":"r","members":[[]]}]}})"})
    seconds.emplace_back(s);
  std::mt19937 rng(2026);
  for (int i = 0; i < 600; ++i) {
    nlohmann::json j = nlohmann::json::parse(lines[1 + rng() % (lines.size() - 1)]);
    for (std::uint32_t k = 0, n = 1 + static_cast<std::uint32_t>(rng() % 3); k < n; ++k) mutate(j, rng);
    seconds.push_back(j.dump());
  }
  std::size_t errors = 0;
  for (const std::string& second : seconds) {
    CAPTURE(second);
    const std::string by_lines = outcome(as_lines(second));
    CHECK(by_lines == outcome(as_array(second)));
    errors += by_lines.starts_with("error");
  }
  CHECK(errors > seconds.size() / 10);  // the mutations reach the errors, not only what is ignored
  CHECK(errors < seconds.size() * 9 / 10);
}

TEST_CASE("bad GCP IAM inputs are rejected with file and line or JSON pointer") {
  auto fails_with = [&](const std::string& text, const std::string& message) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS((void)import_text(text, {.resource = "p"}), message.c_str(), input_error);
  };
  fails_with("", "iam.json: expected a JSON array or JSON Lines of Cloud Asset Inventory assets, or an IAM policy object");
  fails_with("<report/>", "iam.json: expected a JSON array or JSON Lines of Cloud Asset Inventory assets, or an IAM policy object");
  fails_with("[{\"name\": \"//storage.googleapis.com/b\"},\n {\"name\": 5}]", "iam.json: /1/name: expected a string, got 5");
  fails_with("[{\"asset_type\": \"x\"}]", "iam.json: /0: missing required member 'name'");
  fails_with("[{\"name\": \"b\", \"iam_policy\": {\"bindings\": [{\"members\": [\"user:a@b\"]}]}}]",
             "iam.json: /0/iam_policy/bindings/0: missing required member 'role'");
  fails_with("[{\"name\": \"b\", \"iamPolicy\": {\"bindings\": [{\"role\": \"roles/viewer\", \"members\": [\"user:a@b\", 7]}]}}]",
             "iam.json: /0/iamPolicy/bindings/0/members/1: expected a member such as \"user:alice@example.com\", got 7");
  fails_with("[{\"name\": \"b\", \"ancestors\": [1]}]", "iam.json: /0/ancestors: expected strings such as \"projects/123\", got 1");
  fails_with("[{\"name\": \"b\"}, ]", "iam.json:1:17: malformed JSON: syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal");
  fails_with("{\"name\": \"a\"}\n{\"name\": \"b\", \"iam_policy\": {\"bindings\": {}}}",
             "iam.json:2: /iam_policy/bindings: expected an array, got an object");
  fails_with("{\"name\": \"a\"}\n{\"name\": \"b\",}", "iam.json:2:14: malformed JSON: syntax error while parsing object key - unexpected '}'; expected string literal");
  fails_with("{\"bindings\": [], \"bindings\": []}", "iam.json:1: /bindings: duplicate key 'bindings' in one object");
}

}  // namespace gcp_test
