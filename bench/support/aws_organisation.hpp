#pragma once
// An AWS organisation's `aws iam get-account-authorization-details` outputs, one file an account,
// for the AWS import benchmark: users in groups, roles trusted by services, by their account and
// by other roles, customer policies of a few scoped statements (some with conditions, some
// denying), AWS managed policies as long as the real ones (ReadOnlyAccess lists hundreds of
// actions), a few administrators, PassRole and key-minting rights that make escalation edges.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twinrisk_bench {

/// Writes `accounts` files with `principals` users, groups and roles and `policies` managed
/// policies in all into `dir` (created); returns their size in bytes.
inline std::uintmax_t write_aws_organisation(std::size_t principals, std::size_t policies, std::size_t accounts,
                                             const std::filesystem::path& dir) {
  using nlohmann::json;
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(7);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const char* services[] = {"s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "kms", "logs", "cloudwatch", "rds", "ecr", "ssm"};
  const char* verbs[] = {"Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Tag"};
  const char* nouns[] = {"Object", "Bucket", "Instances", "Function", "Table", "Queue", "Topic", "Key", "LogGroup", "Alarm", "Snapshot", "Image"};
  auto action = [&] { return std::string(services[pick(12)]) + ":" + verbs[pick(8)] + nouns[pick(12)]; };
  // The AWS managed policies every account uses, long as the real ones.
  std::vector<json> aws_managed;
  for (int i = 0; i < 24; ++i) {
    json actions = json::array();
    for (int k = 0; k < 150; ++k) actions.push_back(action());
    json doc{{"Version", "2012-10-17"}, {"Statement", {{{"Effect", "Allow"}, {"Action", actions}, {"Resource", "*"}}}}};
    aws_managed.push_back({{"PolicyName", "AWSManaged" + std::to_string(i)}, {"Arn", "arn:aws:iam::aws:policy/AWSManaged" + std::to_string(i)},
                           {"Path", "/"}, {"DefaultVersionId", "v3"}, {"AttachmentCount", 10}, {"IsAttachable", true},
                           {"PolicyVersionList", {{{"Document", doc}, {"VersionId", "v3"}, {"IsDefaultVersion", true},
                                                   {"CreateDate", "2020-01-01T00:00:00Z"}}}}});
  }
  std::uintmax_t bytes = 0;
  for (std::size_t a = 0; a < accounts; ++a) {
    const std::string account = std::to_string(100000000000 + a);
    const std::string iam = "arn:aws:iam::" + account + ":";
    const std::size_t n = principals / accounts, m = policies / accounts;
    const std::size_t users = n * 4 / 10, groups = n / 10, roles = n - users - groups;
    json policy_list = aws_managed;
    std::vector<std::string> attachable;
    for (const json& p : aws_managed) attachable.push_back(p["Arn"]);
    for (std::size_t i = 0; i < m; ++i) {
      json statements = json::array();
      const std::size_t k = 2 + pick(5);
      for (std::size_t s = 0; s < k; ++s) {
        json actions = json::array();
        for (std::size_t x = 0, nx = 1 + pick(6); x < nx; ++x) actions.push_back(action());
        json st{{"Effect", pick(12) == 0 ? "Deny" : "Allow"}, {"Action", actions},
                {"Resource", "arn:aws:" + std::string(services[pick(12)]) + ":us-east-1:" + account + ":app-" + std::to_string(pick(50)) + "/*"}};
        if (pick(8) == 0) st["Condition"] = {{"IpAddress", {{"aws:SourceIp", "10.0.0.0/8"}}}};
        statements.push_back(st);
      }
      if (pick(20) == 0) statements.push_back({{"Effect", "Allow"}, {"Action", {"iam:PassRole", "ec2:RunInstances"}}, {"Resource", iam + "role/app-*"}});
      if (pick(40) == 0) statements.push_back({{"Effect", "Allow"}, {"Action", "iam:CreateAccessKey"}, {"Resource", iam + "user/svc-*"}});
      if (pick(30) == 0) statements.push_back({{"Effect", "Allow"}, {"Action", "sts:AssumeRole"}, {"Resource", iam + "role/ops-*"}});
      const std::string arn = iam + "policy/team-" + std::to_string(i);
      attachable.push_back(arn);
      policy_list.push_back({{"PolicyName", "team-" + std::to_string(i)}, {"Arn", arn}, {"Path", "/"}, {"DefaultVersionId", "v1"},
                             {"AttachmentCount", 1}, {"IsAttachable", true},
                             {"PolicyVersionList", {{{"Document", {{"Version", "2012-10-17"}, {"Statement", statements}}}, {"VersionId", "v1"},
                                                     {"IsDefaultVersion", true}, {"CreateDate", "2021-01-01T00:00:00Z"}}}}});
    }
    auto attached = [&] {
      json list = json::array();
      for (std::size_t i = 0, k = 1 + pick(3); i < k; ++i) {
        const std::string& arn = attachable[pick(attachable.size())];
        list.push_back({{"PolicyName", arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
      }
      return list;
    };
    auto inline_policies = [&] {
      json list = json::array();
      if (pick(3) == 0)
        list.push_back({{"PolicyName", "inline"},
                        {"PolicyDocument", {{"Version", "2012-10-17"}, {"Statement", {{{"Effect", "Allow"}, {"Action", {action(), action()}}, {"Resource", "*"}}}}}}});
      return list;
    };
    json group_list = json::array(), user_list = json::array(), role_list = json::array();
    for (std::size_t g = 0; g < groups; ++g) {
      json managed = attached();
      if (g == 0) managed.push_back({{"PolicyName", "AdministratorAccess"}, {"PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"}});
      group_list.push_back({{"GroupName", "group-" + std::to_string(g)}, {"Arn", iam + "group/group-" + std::to_string(g)}, {"Path", "/"},
                            {"GroupId", "AGPA" + std::to_string(g)}, {"CreateDate", "2020-01-01T00:00:00Z"},
                            {"GroupPolicyList", inline_policies()}, {"AttachedManagedPolicies", managed}});
    }
    for (std::size_t u = 0; u < users; ++u) {
      json in = json::array();
      for (std::size_t k = 0, nk = 1 + pick(3); k < nk; ++k) in.push_back("group-" + std::to_string(1 + pick(groups - 1)));
      if (u % 50 == 0) in.push_back("group-0");  // administrators
      const std::string name = (u % 5 == 0 ? "svc-" : "user-") + std::to_string(u);
      user_list.push_back({{"UserName", name}, {"Arn", iam + "user/" + name}, {"Path", "/"}, {"UserId", "AIDA" + std::to_string(u)},
                           {"CreateDate", "2020-01-01T00:00:00Z"}, {"GroupList", in}, {"UserPolicyList", inline_policies()},
                           {"AttachedManagedPolicies", attached()}, {"Tags", json::array()}});
    }
    const char* trusted[] = {"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "codebuild.amazonaws.com"};
    for (std::size_t r = 0; r < roles; ++r) {
      const std::string name = (r % 3 == 0 ? "app-" : r % 3 == 1 ? "ops-" : "svc-role-") + std::to_string(r);
      json principal = r % 3 == 1 ? json{{"AWS", iam + "root"}} : json{{"Service", trusted[pick(4)]}};
      role_list.push_back({{"RoleName", name}, {"Arn", iam + "role/" + name}, {"Path", "/"}, {"RoleId", "AROA" + std::to_string(r)},
                           {"CreateDate", "2020-01-01T00:00:00Z"},
                           {"AssumeRolePolicyDocument", {{"Version", "2012-10-17"}, {"Statement", {{{"Effect", "Allow"}, {"Principal", principal}, {"Action", "sts:AssumeRole"}}}}}},
                           {"InstanceProfileList", r % 3 == 0 ? json::array({{{"InstanceProfileName", name}}}) : json::array()},
                           {"RolePolicyList", inline_policies()}, {"AttachedManagedPolicies", attached()}, {"Tags", json::array()},
                           {"RoleLastUsed", {{"LastUsedDate", "2024-01-01T00:00:00Z"}, {"Region", "us-east-1"}}}});
    }
    const json out{{"UserDetailList", user_list}, {"GroupDetailList", group_list}, {"RoleDetailList", role_list}, {"Policies", policy_list}};
    const std::filesystem::path file = dir / ("account-" + account + ".json");
    std::ofstream(file, std::ios::binary) << out.dump(2);
    bytes += std::filesystem::file_size(file);
  }
  return bytes;
}

}  // namespace twinrisk_bench
