#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test_twins.hpp"
#include "twinrisk/io/aws_iam.hpp"
#include "twinrisk/exploit/tier_zero_exposure.hpp"
#include "twinrisk/io/importer.hpp"
#include "twinrisk/paths/k_most_probable_paths.hpp"

using namespace twinrisk;
using nlohmann::json;

namespace aws_test {

iam_policy policy(const json& document) { return read_iam_policy(document, detail::lazy_pointer(""), "p.json"); }

json allow(json actions, json resources = "*") {
  return {{"Effect", "Allow"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
}
json deny(json actions, json resources = "*") {
  return {{"Effect", "Deny"}, {"Action", std::move(actions)}, {"Resource", std::move(resources)}};
}
json document(std::vector<json> statements) { return {{"Version", "2012-10-17"}, {"Statement", std::move(statements)}}; }

// The factor of `action` on `resource` under identity policies `docs` (and a boundary, and SCPs).
double factor(const std::vector<json>& docs, std::string_view action, std::string_view resource, const std::vector<json>& boundary = {},
              std::string_view name = "alice") {
  std::vector<iam_policy> ps, bs;
  for (const json& d : docs) ps.push_back(policy(d));
  for (const json& d : boundary) bs.push_back(policy(d));
  std::vector<const iam_policy*> pp, bp;
  for (const iam_policy& p : ps) pp.push_back(&p);
  for (const iam_policy& p : bs) bp.push_back(&p);
  const iam_request r{.action = action, .resource = resource, .principal_name = name};
  iam_permission out = evaluate_iam(pp, r);
  if (!boundary.empty()) out = both(out, evaluate_iam(bp, r));
  return out.factor;
}

const std::string acct = "111111111111";
std::string arn(const std::string& type, const std::string& name, const std::string& account = acct) {
  return "arn:aws:iam::" + account + ":" + type + "/" + name;
}

// One account's authorization details, built from its parts.
struct account_details {
  json users = json::array(), groups = json::array(), roles = json::array(), policies = json::array();
  std::string account = acct;

  account_details& user(const std::string& name, std::vector<json> inline_docs = {}, std::vector<std::string> groups_in = {},
                        std::vector<std::string> managed = {}, std::string boundary = {}) {
    json u{{"UserName", name}, {"Arn", arn("user", name, account)}, {"GroupList", groups_in}, {"UserPolicyList", json::array()},
           {"AttachedManagedPolicies", json::array()}};
    for (std::size_t i = 0; i < inline_docs.size(); ++i)
      u["UserPolicyList"].push_back({{"PolicyName", "p" + std::to_string(i)}, {"PolicyDocument", inline_docs[i]}});
    for (const std::string& m : managed) u["AttachedManagedPolicies"].push_back({{"PolicyArn", m}, {"PolicyName", "m"}});
    if (!boundary.empty()) u["PermissionsBoundary"] = {{"PermissionsBoundaryType", "Policy"}, {"PermissionsBoundaryArn", boundary}};
    users.push_back(u);
    return *this;
  }
  account_details& group(const std::string& name, std::vector<json> inline_docs = {}, std::vector<std::string> managed = {}) {
    json g{{"GroupName", name}, {"Arn", arn("group", name, account)}, {"GroupPolicyList", json::array()}, {"AttachedManagedPolicies", json::array()}};
    for (std::size_t i = 0; i < inline_docs.size(); ++i)
      g["GroupPolicyList"].push_back({{"PolicyName", "p" + std::to_string(i)}, {"PolicyDocument", inline_docs[i]}});
    for (const std::string& m : managed) g["AttachedManagedPolicies"].push_back({{"PolicyArn", m}, {"PolicyName", "m"}});
    groups.push_back(g);
    return *this;
  }
  account_details& role(const std::string& name, json trust, std::vector<json> inline_docs = {}, bool instance_profile = false) {
    json r{{"RoleName", name}, {"Arn", arn("role", name, account)}, {"AssumeRolePolicyDocument", std::move(trust)},
           {"RolePolicyList", json::array()}, {"AttachedManagedPolicies", json::array()}, {"InstanceProfileList", json::array()}};
    for (std::size_t i = 0; i < inline_docs.size(); ++i)
      r["RolePolicyList"].push_back({{"PolicyName", "p" + std::to_string(i)}, {"PolicyDocument", inline_docs[i]}});
    if (instance_profile) r["InstanceProfileList"].push_back({{"InstanceProfileName", name}});
    roles.push_back(r);
    return *this;
  }
  account_details& managed(const std::string& policy_arn, json doc) {
    policies.push_back({{"Arn", policy_arn}, {"PolicyName", "m"}, {"DefaultVersionId", "v1"},
                        {"PolicyVersionList", {{{"Document", std::move(doc)}, {"VersionId", "v1"}, {"IsDefaultVersion", true}}}}});
    return *this;
  }
  [[nodiscard]] std::string text() const {
    return json{{"UserDetailList", users}, {"GroupDetailList", groups}, {"RoleDetailList", roles}, {"Policies", policies}}.dump();
  }
};

json trust_service(const std::string& service) {
  return document({{{"Effect", "Allow"}, {"Principal", {{"Service", service}}}, {"Action", "sts:AssumeRole"}}});
}
json trust_aws(json who) { return document({{{"Effect", "Allow"}, {"Principal", {{"AWS", std::move(who)}}}, {"Action", "sts:AssumeRole"}}}); }

import_result import_accounts(const std::vector<account_details>& accounts, aws_options options = {}) {
  aws_iam_importer importer(std::move(options));
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    std::istringstream in(accounts[i].text());
    importer.add_stream(in, "a" + std::to_string(i) + ".json");
  }
  return std::move(importer).finish();
}

// Edges as "from -kind p-> to" with node names, sorted.
std::vector<std::string> edges_of(const twin& t) {
  std::vector<std::string> out;
  for (auto uv : t.edges()) {
    std::ostringstream s;
    s << t[t.source(uv)].name << " -" << to_string(t[uv].kind) << " " << t[uv].probability << "-> " << t[t.target(uv)].name;
    out.push_back(s.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}
std::vector<std::string> edges_of(const account_details& a, aws_options options = {}) {
  return edges_of(import_accounts({a}, std::move(options)).twin);
}

}  // namespace aws_test

using namespace aws_test;

TEST_CASE("IAM wildcards: * and ? in actions without case, in ARNs with case") {
  using detail::glob_match;
  CHECK(glob_match("iam:pass*", "iam:passrole"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("iam:?assrole", "iam:passrole"));
  CHECK_FALSE(glob_match("iam:?assrole", "iam:assrole"));
  CHECK(glob_match("arn:aws:iam::*:role/*-admin", "arn:aws:iam::1:role/a/b-admin"));
  CHECK_FALSE(glob_match("arn:aws:iam::*:role/*-admin", "arn:aws:iam::1:role/a/b-Admin"));
  CHECK(glob_match("a*b*c", "aXbYbZc"));
  CHECK_FALSE(glob_match("a*b*c", "aXbYbZ"));
  // Actions are compared without case, resources with it.
  CHECK(factor({document({allow("IAM:PassRole")})}, "iam:passrole", "x") == 1.0);
  CHECK(factor({document({allow("iam:passrole", "arn:aws:iam::1:role/Admin")})}, "iam:passrole", "arn:aws:iam::1:role/admin") == 0.0);
}

TEST_CASE("IAM evaluation: explicit Deny wins, NotAction and NotResource, boundaries, conditions, variables") {
  const json admin = document({allow("*")});
  CHECK(factor({admin}, "iam:createaccesskey", "arn:aws:iam::1:user/bob") == 1.0);
  CHECK(factor({}, "iam:createaccesskey", "arn:aws:iam::1:user/bob") == 0.0);  // no Allow: implicit deny
  // A Deny in any policy of the set wins over an Allow in another.
  CHECK(factor({admin, document({deny("iam:*")})}, "iam:createaccesskey", "x") == 0.0);
  CHECK(factor({admin, document({deny("iam:*")})}, "s3:getobject", "x") == 1.0);
  // PowerUserAccess: everything but IAM.
  const json power = document({{{"Effect", "Allow"}, {"NotAction", json::array({"iam:*", "organizations:*"})}, {"Resource", "*"}}});
  CHECK(factor({power}, "ec2:runinstances", "*") == 1.0);
  CHECK(factor({power}, "iam:passrole", "*") == 0.0);
  // NotResource: everything but the listed resources.
  const json not_admins = document({{{"Effect", "Allow"}, {"Action", "iam:createaccesskey"}, {"NotResource", "arn:aws:iam::1:user/admin-*"}}});
  CHECK(factor({not_admins}, "iam:createaccesskey", "arn:aws:iam::1:user/bob") == 1.0);
  CHECK(factor({not_admins}, "iam:createaccesskey", "arn:aws:iam::1:user/admin-eve") == 0.0);
  // A Deny with NotResource denies everything else.
  CHECK(factor({admin, document({{{"Effect", "Deny"}, {"Action", "*"}, {"NotResource", "arn:aws:s3:::logs/*"}}})}, "s3:getobject",
               "arn:aws:s3:::data/x") == 0.0);
  // A permissions boundary intersects: both must allow.
  CHECK(factor({admin}, "iam:passrole", "r", {document({allow("s3:*")})}) == 0.0);
  CHECK(factor({admin}, "s3:getobject", "r", {document({allow("s3:*")})}) == 1.0);
  CHECK(factor({document({allow("s3:getobject")})}, "s3:putobject", "r", {document({allow("s3:*")})}) == 0.0);
  // Conditions the evaluator cannot decide lower the factor; MFA lowers it more.
  json conditional = allow("iam:passrole");
  conditional["Condition"] = {{"IpAddress", {{"aws:SourceIp", "10.0.0.0/8"}}}};
  CHECK(factor({document({conditional})}, "iam:passrole", "r") == iam_undecided_factor);
  json mfa = allow("iam:passrole");
  mfa["Condition"] = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  CHECK(factor({document({mfa})}, "iam:passrole", "r") == iam_mfa_factor);
  CHECK(factor({document({mfa, allow("iam:passrole")})}, "iam:passrole", "r") == 1.0);  // the best Allow decides
  json conditional_deny = deny("iam:passrole");
  conditional_deny["Condition"] = {{"StringNotEquals", {{"aws:RequestedRegion", "eu-west-1"}}}};
  CHECK(factor({admin, document({conditional_deny})}, "iam:passrole", "r") == iam_undecided_factor);
  // ${aws:username} stands for the principal's name.
  const json own_keys = document({allow("iam:createaccesskey", "arn:aws:iam::1:user/${aws:username}")});
  CHECK(factor({own_keys}, "iam:createaccesskey", "arn:aws:iam::1:user/alice", {}, "alice") == 1.0);
  CHECK(factor({own_keys}, "iam:createaccesskey", "arn:aws:iam::1:user/bob", {}, "alice") == 0.0);
}

TEST_CASE("IAM policy documents: objects, JSON strings and URL-encoded strings read alike; bad ones name their pointer") {
  const json doc = document({allow(json::array({"iam:PassRole", "ec2:RunInstances"}), "arn:aws:iam::1:role/x")});
  const iam_policy a = policy(doc);
  const iam_policy b = policy(json(doc.dump()));
  const iam_policy c = policy(json("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C"
                                   "%22Action%22%3A%5B%22iam%3APassRole%22%2C%22ec2%3ARunInstances%22%5D%2C%22Resource%22%3A"
                                   "%22arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx%22%7D%5D%7D"));
  for (const iam_policy* p : {&a, &b, &c}) {
    REQUIRE(p->statements.size() == 1);
    CHECK(p->statements[0].actions == std::vector<std::string>{"iam:passrole", "ec2:runinstances"});
    CHECK(p->statements[0].resources == std::vector<std::string>{"arn:aws:iam::1:role/x"});
  }
  auto fails_with = [](const json& d, const char* message) { CHECK_THROWS_WITH_AS((void)policy(d), message, input_error); };
  fails_with(document({{{"Effect", "Permit"}, {"Action", "*"}, {"Resource", "*"}}}),
             "p.json: /Statement/0/Effect: expected \"Allow\" or \"Deny\", got \"Permit\"");
  fails_with(document({{{"Effect", "Allow"}, {"Resource", "*"}}}), "p.json: /Statement/0: expected exactly one of Action and NotAction");
  fails_with(document({{{"Effect", "Allow"}, {"Action", 3}, {"Resource", "*"}}}), "p.json: /Statement/0/Action: expected a string, got 3");
  fails_with(document({{{"Effect", "Allow"}, {"Action", "*"}, {"Resourse", "*"}}}),
             "p.json: /Statement/0/Resourse: unknown member 'Resourse'; expected 'Resource' or 'NotResource'");
  fails_with(json{{"Version", "2012-10-17"}}, "p.json: missing required member 'Statement'");
  fails_with(json("{\"Statement\": ["), "p.json: expected a policy document in the string: p.json:1:16: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
}

TEST_CASE("AWS IAM: who can become whom, each escalation with its negative") {
  const std::string admin_policy = "arn:aws:iam::aws:policy/AdministratorAccess";
  SUBCASE("membership; administrators, through their group too, reach the account each by its own edge") {
    account_details a;
    a.group("admins", {}, {admin_policy}).user("root-ish", {}, {"admins"}).user("bob", {}, {"devs"}).group("devs");
    CHECK(edges_of(a) == std::vector<std::string>{"group/admins -tier_zero_of 1-> AWS account 111111111111",
                                                  "user/bob -member_of 1-> group/devs", "user/root-ish -member_of 1-> group/admins",
                                                  "user/root-ish -tier_zero_of 1-> AWS account 111111111111"});
    const auto [t, s] = import_accounts({a});
    CHECK(t[t.at(arn("user", "root-ish"))].tier_zero);
    CHECK_FALSE(t[t.at(arn("user", "root-ish"))].entry_point);  // tier zero is never an entry point
    CHECK(t[t.at(arn("user", "bob"))].entry_point);
    CHECK(t[t.at("arn:aws:iam::111111111111:root")].crown_jewel);
    CHECK(s.assumptions.at("AdministratorAccess attached but not described (its public definition, * on *, used)") == 1);
  }
  SUBCASE("role assumption: by ARN in the same account without an identity policy, through the account root only with one") {
    account_details a;
    a.user("alice").user("bob", {document({allow("sts:AssumeRole", arn("role", "ops"))})}).user("carol");
    a.role("named", trust_aws(arn("user", "alice"))).role("ops", trust_aws("arn:aws:iam::111111111111:root"));
    CHECK(edges_of(a) == std::vector<std::string>{"user/alice -can_assume_role 0.95-> role/named", "user/bob -can_assume_role 0.95-> role/ops"});
    account_details denied = a;
    denied.users[0]["UserPolicyList"].push_back({{"PolicyName", "d"}, {"PolicyDocument", document({deny("sts:*")})}});
    CHECK(edges_of(denied) == std::vector<std::string>{"user/bob -can_assume_role 0.95-> role/ops"});
  }
  SUBCASE("role assumption from anyone, an outside account, an identity provider; MFA lowers it") {
    account_details a;
    json mfa_trust = trust_aws("arn:aws:iam::222222222222:root");
    mfa_trust["Statement"][0]["Condition"] = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
    a.role("public", trust_aws("*")).role("partner", mfa_trust);
    a.role("sso", document({{{"Effect", "Allow"}, {"Principal", {{"Federated", "arn:aws:iam::111111111111:saml-provider/Okta"}}},
                             {"Action", "sts:AssumeRoleWithSAML"}, {"Condition", {{"StringEquals", {{"SAML:aud", "https://signin.aws.amazon.com/saml"}}}}}}}));
    const auto [t, s] = import_accounts({a});
    CHECK(edges_of(t) == std::vector<std::string>{"AWS account 222222222222 (outside the import) -can_assume_role 0.285-> role/partner",
                                                  "Any AWS principal (any account) -can_assume_role 0.95-> role/public",
                                                  "Identity provider Okta -can_assume_role 0.95-> role/sso"});
    CHECK(t[t.at("aws:any-principal")].entry_point);
    CHECK(t[t.at("arn:aws:iam::222222222222:root")].entry_point);
    CHECK_FALSE(t[t.at("arn:aws:iam::111111111111:saml-provider/Okta")].entry_point);
    CHECK(s.assumptions.at("edges kept under an MFA condition (probability x0.3)") == 1);
    CHECK(s.default_probabilities.at("AssumeRole") == 0.95);  // the table's, not the MFA-lowered 0.285
  }
  SUBCASE("credentials: CreateAccessKey, login profiles; a boundary or a Deny removes them") {
    account_details a;
    a.user("helpdesk", {document({allow(json::array({"iam:CreateAccessKey", "iam:UpdateLoginProfile"}), arn("user", "*")),
                                  deny("iam:CreateAccessKey", arn("user", "ceo"))})});
    a.user("ceo").user("dev");
    CHECK(edges_of(a) == std::vector<std::string>{"user/helpdesk -create_credential 0.8-> user/ceo",
                                                  "user/helpdesk -create_credential 0.9-> user/dev"});
    account_details bounded = a;
    bounded.managed("arn:aws:iam::111111111111:policy/readonly", document({allow("s3:Get*")}));
    bounded.users[0]["PermissionsBoundary"] = {{"PermissionsBoundaryArn", "arn:aws:iam::111111111111:policy/readonly"}};
    CHECK(edges_of(bounded).empty());
  }
  SUBCASE("PassRole with each service's launch actions, and without them") {
    account_details a;
    a.role("ec2-role", trust_service("ec2.amazonaws.com")).role("fn-role", trust_service("lambda.amazonaws.com"));
    a.role("cfn-role", trust_service("cloudformation.amazonaws.com")).role("build-role", trust_service("codebuild.amazonaws.com"));
    a.role("nb-role", trust_service("sagemaker.amazonaws.com")).role("glue-role", trust_service("glue.amazonaws.com"));
    a.user("launcher", {document({allow("iam:PassRole"), allow(json::array({"ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction",
                                                                           "cloudformation:CreateStack", "codebuild:CreateProject"}))})});
    a.user("passer-only", {document({allow("iam:PassRole")})});
    a.user("scaler", {document({allow("iam:PassRole", arn("role", "ec2-*")),
                                allow(json::array({"autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"}))})});
    CHECK(edges_of(a) == std::vector<std::string>{"user/launcher -pass_role 0.8-> role/cfn-role", "user/launcher -pass_role 0.8-> role/ec2-role",
                                                  "user/launcher -pass_role 0.8-> role/fn-role", "user/scaler -pass_role 0.8-> role/ec2-role"});
  }
  SUBCASE("SSM commands onto instances of roles with an instance profile") {
    account_details a;
    a.role("web", trust_service("ec2.amazonaws.com"), {}, true).role("idle", trust_service("ec2.amazonaws.com"), {}, false);
    a.role("fn", trust_service("lambda.amazonaws.com"), {}, true);
    a.user("operator", {document({allow("ssm:SendCommand")})}).user("reader", {document({allow("ssm:Describe*")})});
    CHECK(edges_of(a) == std::vector<std::string>{"user/operator -run_command 0.8-> role/web"});
  }
  SUBCASE("rewriting a trust policy needs sts:AssumeRole too") {
    account_details a;
    a.role("target", trust_service("ec2.amazonaws.com"));
    a.user("both", {document({allow(json::array({"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}))})});
    a.user("half", {document({allow("iam:UpdateAssumeRolePolicy")})});
    CHECK(edges_of(a) == std::vector<std::string>{"user/both -modify_policy 0.9-> role/target"});
  }
  SUBCASE("AddUserToGroup, and policy changes on oneself make an administrator") {
    account_details a;
    a.managed("arn:aws:iam::111111111111:policy/team", document({allow("s3:GetObject")}));
    a.group("admins", {document({allow("*")})}).group("team", {}, {"arn:aws:iam::111111111111:policy/team"});
    a.user("joiner", {document({allow("iam:AddUserToGroup", arn("group", "admins"))})});
    a.user("self", {document({allow("iam:PutUserPolicy", arn("user", "${aws:username}"))})});
    a.user("other", {document({allow("iam:PutUserPolicy", arn("user", "self"))})});  // another user's policy: no edge here
    a.user("versioner", {document({allow("iam:CreatePolicyVersion")})}, {"team"});
    // Rolling back: only a policy that keeps another version beside its default gives an edge.
    a.managed("arn:aws:iam::111111111111:policy/versioned", document({allow("s3:GetObject")}));
    a.policies.back()["PolicyVersionList"].push_back({{"Document", document({allow("*")})}, {"VersionId", "v0"}, {"IsDefaultVersion", false}});
    a.user("roller", {document({allow("iam:SetDefaultPolicyVersion")})}, {}, {"arn:aws:iam::111111111111:policy/versioned"});
    a.user("roller-single", {document({allow("iam:SetDefaultPolicyVersion")})}, {}, {"arn:aws:iam::111111111111:policy/team"});
    a.user("grouper", {document({allow("iam:AttachGroupPolicy", arn("group", "team"))})}, {"team"});
    a.role("self-role", trust_service("ec2.amazonaws.com"), {document({allow("iam:AttachRolePolicy", arn("role", "self-role"))})});
    CHECK(edges_of(a) == std::vector<std::string>{
                             "group/admins -tier_zero_of 1-> AWS account 111111111111",
                             "role/self-role -modify_policy 0.9-> AWS account 111111111111",
                             "user/grouper -member_of 1-> group/team",
                             "user/grouper -modify_policy 0.9-> AWS account 111111111111",
                             "user/joiner -add_member 0.9-> group/admins",
                             "user/roller -modify_policy 0.5-> AWS account 111111111111",
                             "user/self -modify_policy 0.9-> AWS account 111111111111",
                             "user/versioner -member_of 1-> group/team",
                             "user/versioner -modify_policy 0.9-> AWS account 111111111111",
                         });
  }
  SUBCASE("service control policies bound every account") {
    account_details a;
    a.user("helpdesk", {document({allow("iam:CreateAccessKey")})}).user("dev");
    CHECK(edges_of(a).size() == 1);
    CHECK(edges_of(a, {.service_control_policies = {policy(document({allow("*"), deny("iam:CreateAccessKey")}))}}).empty());
    CHECK(edges_of(a, {.service_control_policies = {policy(document({allow("s3:*")}))}}).empty());  // an allow-list without IAM
    CHECK(edges_of(a, {.service_control_policies = {policy(document({allow("*")}))}}).size() == 1);
  }
}

TEST_CASE("AWS IAM: the way in runs through a tier-zero administrator into the account, as `twinrisk paths` asks") {
  // `twinrisk paths` ends a path where it enters tier zero: every administrator has its own
  // edge into the account, so minting keys for one that is an administrator through its group
  // is still a path.
  account_details a;
  a.group("admins", {document({allow("*")})}).user("ops-admin", {}, {"admins"});
  a.user("helpdesk", {document({allow("iam:CreateAccessKey", arn("user", "ops-*"))})});
  const auto [t, s] = import_accounts({a});
  const paths_result found = k_most_probable_paths(t, t.entry_points(), t.crown_jewels(), get(&edge::probability, t),
                                                   {.k = 5, .excluded_edges = edges_inside_tier_zero(t)});
  REQUIRE(found.paths.size() == 1);
  std::vector<std::string> names;
  for (std::size_t v : found.paths[0].vertices) names.push_back(t[v].name);
  CHECK(names == std::vector<std::string>{"user/helpdesk", "user/ops-admin", "AWS account 111111111111"});
  CHECK(found.paths[0].probability == doctest::Approx(0.9).epsilon(1e-12));
}

TEST_CASE("AWS IAM across accounts: a role trusting another account's root, reached with that account's identity policy") {
  account_details prod, dev;
  prod.account = "333333333333";
  prod.role("deploy", trust_aws("arn:aws:iam::111111111111:root"), {document({allow("*")})});
  dev.user("ci", {document({allow("sts:AssumeRole", "arn:aws:iam::333333333333:role/deploy")})}).user("intern");
  const auto [t, s] = import_accounts({dev, prod});
  CHECK(edges_of(t) == std::vector<std::string>{"role/deploy@333333333333 -tier_zero_of 1-> AWS account 333333333333",
                                                "user/ci@111111111111 -can_assume_role 0.95-> role/deploy@333333333333"});
  CHECK(s.crown_jewels == 2);
  CHECK(s.files == 2);
}

TEST_CASE("AWS IAM: the public authorization details import as their READMEs count them") {
  const auto dir = twinrisk_test::source_dir() / "tests/data/aws-iam";
  auto import_file = [&](const char* name) {
    aws_iam_importer importer;
    add_file(importer, dir / name);
    return std::move(importer).finish();
  };
  SUBCASE("cloudmapper demo: a role anyone may assume is an administrator") {
    const auto [t, s] = import_file("cloudmapper-demo-iam-get-account-authorization-details.json");
    CHECK(s.records_by_type == name_counts{{"groups", 1}, {"policies", 2}, {"roles", 4}, {"users", 2}});
    CHECK(edges_of(t) == std::vector<std::string>{"Any AWS principal (any account) -can_assume_role 0.95-> role/bad_role",
                                                  "role/bad_role -tier_zero_of 1-> AWS account 123456789012",
                                                  "user/USER -member_of 1-> group/GROUP_WITH_BAD_INLINE_POLICY"});
    // Its users' ARNs name the account "aws": they join the file's account.
    CHECK(s.assumptions.at("principals whose ARN names no account id (given the file's account 123456789012)") == 3);
  }
  SUBCASE("cloudsplaining example: an EC2 role that can mint keys for the administrators") {
    const auto [t, s] = import_file("cloudsplaining-example-authz-details.json");
    CHECK(s.records_by_type == name_counts{{"groups", 2}, {"policies", 32}, {"roles", 3}, {"users", 3}});
    CHECK(s.edges_by_kind.at("MemberOf") == 3);
    CHECK(edges_of(t) == std::vector<std::string>{"group/admin -tier_zero_of 1-> AWS account 012345678901",
                                                  "role/OverprivilegedEC2 -create_credential 0.9-> user/biden",
                                                  "role/OverprivilegedEC2 -create_credential 0.9-> user/obama",
                                                  "role/OverprivilegedEC2 -create_credential 0.9-> user/userwithlotsofpermissions",
                                                  "user/biden -member_of 1-> group/biden",
                                                  "user/obama -member_of 1-> group/admin",
                                                  "user/obama -tier_zero_of 1-> AWS account 012345678901",
                                                  "user/userwithlotsofpermissions -member_of 1-> group/admin",
                                                  "user/userwithlotsofpermissions -tier_zero_of 1-> AWS account 012345678901"});
    CHECK(s.tier_zero_principals == 3);  // admin group, obama, userwithlotsofpermissions
  }
  SUBCASE("a group and a role with one name are two principals; the dangling AdministratorAccess is the public one") {
    const auto [t, s] = import_file("cloudsplaining-example_authz_v2.json");
    CHECK(t.find("arn:aws:iam::012345678901:group/GOAT"));
    CHECK(t.find("arn:aws:iam::012345678901:role/GOAT"));
    CHECK(s.assumptions == name_counts{{"AdministratorAccess attached but not described (its public definition, * on *, used)", 1}});
    const auto [t2, s2] = import_file("cloudsplaining-example_authz_details_for_overrides_complete.json");
    CHECK(s2.assumptions.empty());
    CHECK(s2.edges_by_kind == name_counts{{"Administrator", 3}, {"MemberOf", 1}});  // the group, its member, the role
    CHECK(s2.default_probabilities == std::map<std::string, double, std::less<>>{{"Administrator", 1.0}, {"MemberOf", 1.0}});
  }
}

TEST_CASE("AWS IAM: bad input names the file and the JSON pointer") {
  auto fails_with = [](const std::string& text, const char* message) {
    aws_iam_importer importer;
    std::istringstream in(text);
    CHECK_THROWS_WITH_AS(importer.add_stream(in, "a.json"), message, input_error);
  };
  fails_with("{\"Users\": []}", "a.json: expected the output of 'aws iam get-account-authorization-details' (an object with "
                                "UserDetailList, GroupDetailList, RoleDetailList or Policies)");
  fails_with("{\"UserDetailList\": [{\"UserName\": \"x\"}]}", "a.json: /UserDetailList/0: missing member 'Arn'");
  fails_with("{\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::1:role/r\", \"AssumeRolePolicyDocument\": "
             "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"Robot\": \"x\"}, \"Action\": \"sts:AssumeRole\"}}}]}",
             "a.json: /RoleDetailList/0/AssumeRolePolicyDocument/Statement/Principal/Robot: unknown principal type 'Robot'; expected AWS, "
             "Service, Federated or CanonicalUser");
  fails_with("{\"Policies\": [{\"Arn\": \"p\", \"PolicyVersionList\": [{\"IsDefaultVersion\": false, \"Document\": {}}]}]}",
             "a.json: /Policies/0/PolicyVersionList: expected a version with \"IsDefaultVersion\": true");
  fails_with("{\"UserDetailList\": [{\"UserName\": \"x\", \"Arn\": \"a\", \"GroupList\": \"admins\"}]}",
             "a.json: /UserDetailList/0/GroupList: expected an array, got \"admins\"");
  fails_with("{\"UserDetailList\": [", "a.json:1:21: malformed JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  aws_iam_importer importer({.owned = {"nobody"}});
  CHECK_THROWS_WITH_AS((void)std::move(importer).finish(), "owned: no principal has the ARN or name 'nobody'", input_error);
}
