#pragma once
// A Google Cloud organisation's IAM policies as Cloud Asset Inventory exports them
// (`gcloud asset export --content-type=iam-policy`: JSON Lines of {name, asset_type, iam_policy,
// ancestors, update_time}), or the same assets as one pretty-printed JSON array, for the GCP
// import benchmark: the organisation, two levels of folders, projects (owners, editors, the
// default compute service account, viewers, a few project-wide Service Account Users), their
// service accounts (Token Creator and actAs for CI and on-call groups), buckets, BigQuery
// datasets, Pub/Sub topics, secrets and KMS keys with their own bindings; some conditional
// bindings, public buckets and deleted members, as real exports have.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twinrisk_bench {

/// Writes `assets` assets (with about twice as many bindings) into `dir` (created), as `export.jsonl` or,
/// with `array`, `export.json`; returns the file's size in bytes.
inline std::uintmax_t write_gcp_organisation(std::size_t assets, bool array, const std::filesystem::path& dir) {
  using nlohmann::json;
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / (array ? "export.json" : "export.jsonl");
  std::ofstream out(file, std::ios::binary);
  std::mt19937_64 rng(31);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::string org = "organizations/406521987312", domain = "example.com";
  bool first = true;
  if (array) out << "[";
  auto emit = [&](const std::string& name, const std::string& type, json bindings, const std::vector<std::string>& ancestors) {
    json a{{"name", name}, {"asset_type", type},
           {"iam_policy", {{"version", 1}, {"etag", "BwYH" + std::to_string(rng() % 100000000) + "="}, {"bindings", std::move(bindings)}}},
           {"ancestors", ancestors}, {"update_time", "2024-03-01T10:00:00.000000Z"}};
    if (array) out << (first ? "\n" : ",\n") << a.dump(4);
    else out << a.dump() << '\n';
    first = false;
  };
  auto binding = [](std::string role, std::vector<std::string> members) { return json{{"role", std::move(role)}, {"members", std::move(members)}}; };
  auto user = [&] { return "user:person" + std::to_string(pick(20000)) + "@" + domain; };
  auto group = [&](const std::string& g) { return "group:" + g + "@" + domain; };

  // ~50 assets a project: itself, 12 service accounts, 37 resources; a folder per 20 projects.
  const std::size_t projects = std::max<std::size_t>(2, assets / 50), top_folders = std::max<std::size_t>(2, projects / 200),
                    folders = std::max<std::size_t>(top_folders + 1, projects / 20);
  emit("//cloudresourcemanager.googleapis.com/" + org, "cloudresourcemanager.googleapis.com/Organization",
       {binding("roles/resourcemanager.organizationAdmin", {group("gcp-org-admins")}), binding("roles/billing.admin", {group("billing-admins")}),
        binding("roles/iam.securityReviewer", {group("security")}), binding("roles/resourcemanager.projectCreator", {"domain:" + domain}),
        binding("roles/browser", {"domain:" + domain})},
       {org});
  std::vector<std::vector<std::string>> folder_chain;  // ancestors of each folder, itself first
  for (std::size_t f = 0; f < folders; ++f) {
    const std::string id = "folders/" + std::to_string(300000000000 + f);
    std::vector<std::string> chain{id};
    if (f >= top_folders) chain.insert(chain.end(), folder_chain[f % top_folders].begin(), folder_chain[f % top_folders].end());
    else chain.push_back(org);
    emit("//cloudresourcemanager.googleapis.com/" + id, "cloudresourcemanager.googleapis.com/Folder",
         {binding("roles/resourcemanager.folderViewer", {group("folder-" + std::to_string(f) + "-viewers")}),
          binding("roles/resourcemanager.folderAdmin", {group("folder-" + std::to_string(f) + "-admins")})},
         chain);
    folder_chain.push_back(std::move(chain));
  }
  const char* sa_names[] = {"ci-deployer", "app-runtime", "dataflow-worker", "gke-nodes", "cloud-function", "backup", "monitoring", "etl",
                            "api-gateway", "scheduler", "terraform", "batch"};
  struct resource_kind {
    const char* type;
    const char* service;
    const char* path;  // after projects/P/ ("" : global name)
    const char* roles[3];
  };
  const resource_kind kinds[] = {
      {"storage.googleapis.com/Bucket", "storage", "", {"roles/storage.objectViewer", "roles/storage.objectAdmin", "roles/storage.legacyBucketReader"}},
      {"bigquery.googleapis.com/Dataset", "bigquery", "datasets/", {"roles/bigquery.dataViewer", "roles/bigquery.dataEditor", "roles/bigquery.dataOwner"}},
      {"pubsub.googleapis.com/Topic", "pubsub", "topics/", {"roles/pubsub.publisher", "roles/pubsub.subscriber", "roles/pubsub.viewer"}},
      {"secretmanager.googleapis.com/Secret", "secretmanager", "secrets/", {"roles/secretmanager.secretAccessor", "roles/secretmanager.viewer", "roles/secretmanager.admin"}},
      {"cloudkms.googleapis.com/CryptoKey", "cloudkms", "locations/us/keyRings/main/cryptoKeys/", {"roles/cloudkms.cryptoKeyEncrypterDecrypter", "roles/cloudkms.viewer", "roles/cloudkms.admin"}},
  };
  for (std::size_t p = 0; p < projects; ++p) {
    const std::string pid = "app-" + std::to_string(p) + "-prod", number = std::to_string(700000000000 + p);
    std::vector<std::string> chain{"projects/" + number};
    const auto& parent = folder_chain[top_folders + p % (folders - top_folders)];
    chain.insert(chain.end(), parent.begin(), parent.end());
    const std::string sa_domain = "@" + pid + ".iam.gserviceaccount.com", team = "team-" + std::to_string(p % 300);
    json bindings = {binding("roles/owner", {group(team + "-leads"), user()}),
                     binding("roles/editor", {"serviceAccount:" + number + "-compute@developer.gserviceaccount.com", "serviceAccount:ci-deployer" + sa_domain}),
                     binding("roles/viewer", {group(team), group("sre"), user(), user()}),
                     binding("roles/logging.viewer", {group(team), group("sre")}),
                     binding("roles/monitoring.editor", {"serviceAccount:monitoring" + sa_domain})};
    if (pick(4) == 0) bindings.push_back(binding("roles/iam.serviceAccountUser", {group(team + "-developers")}));
    if (pick(10) == 0) bindings.push_back(binding("roles/iam.serviceAccountTokenCreator", {user()}));
    if (pick(6) == 0) {
      json b = binding("roles/compute.instanceAdmin.v1", {user()});
      b["condition"] = {{"title", "expires"}, {"expression", "request.time < timestamp(\"2024-12-31T00:00:00Z\")"}};
      bindings.push_back(b);
    }
    if (pick(20) == 0) bindings[2]["members"].push_back("deleted:user:former" + std::to_string(p) + "@" + domain + "?uid=" + std::to_string(rng() % 1000000));
    emit("//cloudresourcemanager.googleapis.com/projects/" + number, "cloudresourcemanager.googleapis.com/Project", bindings, chain);
    std::vector<std::string> in_project = chain;
    for (const char* sa : sa_names) {
      const std::string email = std::string(sa) + sa_domain;
      json b = json::array();
      b.push_back(binding("roles/iam.serviceAccountUser", {"serviceAccount:ci-deployer" + sa_domain, group(team + "-oncall")}));
      if (pick(3) == 0) b.push_back(binding("roles/iam.serviceAccountTokenCreator", {group(team + "-leads")}));
      if (pick(15) == 0) b.push_back(binding("roles/iam.workloadIdentityUser", {"serviceAccount:" + pid + ".svc.id.goog[default/" + sa + "]"}));
      emit("//iam.googleapis.com/projects/" + pid + "/serviceAccounts/" + email, "iam.googleapis.com/ServiceAccount", b, in_project);
    }
    for (std::size_t r = 0; r < 37; ++r) {
      const resource_kind& k = kinds[r % 5];
      const std::string rid = std::string(k.path).empty() ? pid + "-bucket-" + std::to_string(r)
                                                          : "projects/" + pid + "/" + k.path + "res_" + std::to_string(r);
      json b = {binding(k.roles[pick(3)], {"serviceAccount:" + std::string(sa_names[pick(12)]) + sa_domain}),
                binding(k.roles[pick(3)], {group(team), user()})};
      if (r % 5 == 0 && pick(50) == 0) b.push_back(binding("roles/storage.objectViewer", {"allUsers"}));
      emit("//" + std::string(k.service) + ".googleapis.com/" + rid, k.type, b, in_project);
    }
  }
  if (array) out << "\n]\n";
  out.close();
  return std::filesystem::file_size(file);
}

}  // namespace twinrisk_bench
