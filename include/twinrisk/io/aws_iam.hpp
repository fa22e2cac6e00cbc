#pragma once
/// AWS IAM into a twin: the output of `aws iam get-account-authorization-details`, one account a
/// file, as many files (folders, .zip) as accounts. Policies are evaluated as IAM does
/// (io/aws_policy.hpp); the edges are who can become whom, as PMapper derives them
/// (docs/importing.md, "AWS IAM"):
///
///     aws_iam_importer importer;
///     add_inputs(importer, {"org/"});
///     auto [t, summary] = std::move(importer).finish();
///
/// | edge | when | kind | probability |
/// |---|---|---|---|
/// | user -> group | the user is in the group | member_of | 1 |
/// | principal -> role | the trust policy names the principal (same account), or its account and an identity policy allows sts:AssumeRole | can_assume_role | 0.95 |
/// | any AWS principal / outside account / identity provider -> role | the trust policy names `*`, an account not imported, a SAML/OIDC provider | can_assume_role | 0.95 |
/// | principal -> user | iam:CreateAccessKey (0.9), iam:CreateLoginProfile / UpdateLoginProfile (0.8) on the user | create_credential | |
/// | principal -> role | iam:PassRole on a role a service trusts, with what launches that service (ec2:RunInstances, lambda:CreateFunction + InvokeFunction, cloudformation:CreateStack, codebuild:CreateProject + StartBuild, autoscaling launch configuration + group, sagemaker:CreateNotebookInstance + presigned URL, glue:CreateDevEndpoint) | pass_role | 0.8 |
/// | principal -> role | ssm:SendCommand or ssm:StartSession, onto instances of a role with an instance profile | run_command | 0.8 |
/// | principal -> role | iam:UpdateAssumeRolePolicy and sts:AssumeRole on the role | modify_policy | 0.9 |
/// | user -> group | iam:AddUserToGroup on a group the user is not in | add_member | 0.9 |
/// | principal -> account | attach or put a policy on itself or its groups, or a new version of a policy attached to it | modify_policy | 0.9 |
/// | principal -> account | iam:SetDefaultPolicyVersion on a policy attached to it that keeps other versions (an older one may grant more) | modify_policy | 0.5 |
/// | administrator (user, group or role) -> account | allowed every action on every resource: tier zero of the account (paths end where they enter tier zero, as in a directory) | tier_zero_of | 1 |
///
/// An Allow that rests on a condition the evaluator cannot decide lowers the edge's probability
/// (x0.5; x0.3 for MFA) and is counted in `import_summary::assumptions`. The account is the
/// crown jewel and tier zero; its administrators are tier zero and never entry points. Entry
/// points are, unless `aws_options::owned` names them, every user outside tier zero (long-term
/// credentials leak) and the principals outside the import that trust policies let in.
/// Administrators are not the source of escalation edges: they hold the account already.
///
/// Actions whose resource the authorization details do not list (instances, functions,
/// stacks) are checked on resource `*`, as PMapper does: a grant scoped to named instances is
/// not seen. Resource policies other than trust policies (S3 buckets, KMS keys) are not in the input.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <iterator>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_stream.hpp"
#include "twinrisk/error.hpp"
#include "twinrisk/io/aws_policy.hpp"
#include "twinrisk/io/import_summary.hpp"
#include "twinrisk/model/twin_builder.hpp"

namespace twinrisk {

/// How an AWS IAM import chooses entry points and which service control policies apply.
struct aws_options {
  /// The entry points, by ARN or name; empty: every user outside tier zero, and the principals
  /// outside the import that a trust policy lets in.
  std::vector<std::string> owned{};
  /// Organizations service control policies, applied to every account imported: an action must
  /// be allowed by them too (as `aws organizations describe-policy` returns them, or the documents).
  std::vector<iam_policy> service_control_policies{};
  std::string name{};  ///< the twin's name; empty: "AWS IAM (<accounts>)"
};

namespace detail {

enum class aws_type : std::uint8_t { user, group, role };

// A user, group or role as read, its policies compiled.
struct aws_principal {
  aws_type type = aws_type::user;
  std::string arn{}, name{}, account{};
  std::vector<std::string> managed{};        // attached managed policy ARNs
  std::vector<iam_policy> inline_policies{};
  std::vector<std::string> groups{};         // a user's group names
  std::string boundary{};                    // permissions boundary policy ARN
  iam_policy trust{};                        // a role's trust policy
  bool instance_profile = false;             // a role that EC2 instances can run as
};

// The actions the edges ask about, so that a principal's statements are matched against each once.
enum aws_action : std::uint8_t {
  sts_assume_role, iam_create_access_key, iam_create_login_profile, iam_update_login_profile, iam_pass_role,
  iam_update_assume_role_policy, iam_add_user_to_group, iam_put_user_policy, iam_attach_user_policy,
  iam_put_group_policy, iam_attach_group_policy, iam_put_role_policy, iam_attach_role_policy,
  iam_create_policy_version, iam_set_default_policy_version, ec2_run_instances, autoscaling_create_launch_configuration,
  autoscaling_create_auto_scaling_group, lambda_create_function, lambda_invoke_function,
  lambda_create_event_source_mapping, cloudformation_create_stack, codebuild_create_project, codebuild_start_build,
  sagemaker_create_notebook_instance, sagemaker_create_presigned_notebook_instance_url, glue_create_dev_endpoint,
  ssm_send_command, ssm_start_session, aws_action_count
};
inline constexpr std::string_view aws_action_names[aws_action_count] = {
    "sts:assumerole", "iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile", "iam:passrole",
    "iam:updateassumerolepolicy", "iam:addusertogroup", "iam:putuserpolicy", "iam:attachuserpolicy",
    "iam:putgrouppolicy", "iam:attachgrouppolicy", "iam:putrolepolicy", "iam:attachrolepolicy",
    "iam:createpolicyversion", "iam:setdefaultpolicyversion", "ec2:runinstances", "autoscaling:createlaunchconfiguration",
    "autoscaling:createautoscalinggroup", "lambda:createfunction", "lambda:invokefunction",
    "lambda:createeventsourcemapping", "cloudformation:createstack", "codebuild:createproject", "codebuild:startbuild",
    "sagemaker:createnotebookinstance", "sagemaker:createpresignednotebookinstanceurl", "glue:createdevendpoint",
    "ssm:sendcommand", "ssm:startsession"};

// An administrator is allowed these on every resource: AdministratorAccess is, PowerUserAccess
// (everything but IAM) and IAMFullAccess (IAM only: it reaches the account by attaching a policy to itself) are not.
inline constexpr std::string_view aws_admin_probes[] = {"iam:attachrolepolicy", "iam:createaccesskey", "sts:assumerole",
                                                        "ec2:runinstances", "s3:getobject", "kms:decrypt", "organizations:listaccounts"};

// The services a role can be passed to, and what launches each (all of one inner list, any list).
struct aws_launch {
  std::string_view service;
  std::string_view name;
  std::vector<std::vector<aws_action>> ways;
};
inline const std::vector<aws_launch>& aws_launches() {
  static const std::vector<aws_launch> launches = {
      {"ec2.amazonaws.com", "PassRole(ec2)", {{ec2_run_instances}, {autoscaling_create_launch_configuration, autoscaling_create_auto_scaling_group}}},
      {"lambda.amazonaws.com", "PassRole(lambda)", {{lambda_create_function, lambda_invoke_function}, {lambda_create_function, lambda_create_event_source_mapping}}},
      {"cloudformation.amazonaws.com", "PassRole(cloudformation)", {{cloudformation_create_stack}}},
      {"codebuild.amazonaws.com", "PassRole(codebuild)", {{codebuild_create_project, codebuild_start_build}}},
      {"sagemaker.amazonaws.com", "PassRole(sagemaker)", {{sagemaker_create_notebook_instance, sagemaker_create_presigned_notebook_instance_url}}},
      {"glue.amazonaws.com", "PassRole(glue)", {{glue_create_dev_endpoint}}},
  };
  return launches;
}

// The account of an ARN ("arn:aws:iam::123456789012:user/x" -> "123456789012"); empty when it has none.
[[nodiscard]] inline std::string arn_account(std::string_view arn) {
  std::size_t at = 0;
  for (int field = 0; field < 4; ++field) {
    at = arn.find(':', at);
    if (at == std::string_view::npos) return {};
    ++at;
  }
  const std::size_t end = arn.find(':', at);
  return end == std::string_view::npos ? std::string() : std::string(arn.substr(at, end - at));
}

[[nodiscard]] inline bool is_aws_account_id(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace detail

/// Reads service control policies: a policy document, an `aws organizations describe-policy`
/// output ({"Policy": {"Content": "..."}}), or an array of either.
/// Throws: input_error naming `file` and the JSON pointer of what is not a policy.
[[nodiscard]] inline std::vector<iam_policy> read_service_control_policies(std::istream& in, const std::string& file) {
  const detail::json j = detail::parse_json(std::string(std::istreambuf_iterator<char>(in), {}), file);
  std::vector<iam_policy> out;
  auto one = [&](const detail::json& x, const detail::lazy_pointer& at) {
    if (x.is_object() && x.contains("Policy")) {
      const detail::json& policy = x["Policy"];
      const detail::lazy_pointer policy_at = at / "Policy";
      if (!policy.is_object() || !policy.contains("Content"))
        throw input_error({.file = file, .pointer = policy_at.str()}, "expected an object with the policy's \"Content\"");
      const detail::lazy_pointer content_at = policy_at / "Content";
      out.push_back(read_iam_policy(policy["Content"], content_at, file));
    } else {
      out.push_back(read_iam_policy(x, at, file));
    }
  };
  const detail::lazy_pointer root("");
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) one(j[i], root / i);
  } else {
    one(j, root);
  }
  return out;
}

/// Reads `aws iam get-account-authorization-details` outputs into a twin.
class aws_iam_importer {
 public:
  explicit aws_iam_importer(aws_options options = {}) : options_(std::move(options)) { summary_.format = "aws"; }

  /// Streams one account's authorization details (the four lists are read one element at a time).
  /// Throws: input_error with file and JSON pointer on malformed JSON, a document that is not
  /// authorization details, a principal without its Arn or name, a malformed policy document.
  void add_stream(std::istream& in, const std::string& name) {
    const std::size_t first = principals_.size();
    const detail::json top = detail::stream_json(in, name, {"/UserDetailList", "/GroupDetailList", "/RoleDetailList", "/Policies"},
                                                 [&](std::string_view pointer, detail::json& e) { read_element(pointer, e, name); });
    if (!top.is_object() || (!top.contains("UserDetailList") && !top.contains("GroupDetailList") && !top.contains("RoleDetailList") &&
                             !top.contains("Policies")))
      throw input_error({.file = name}, "expected the output of 'aws iam get-account-authorization-details' (an object with "
                                        "UserDetailList, GroupDetailList, RoleDetailList or Policies)");
    for (auto it = top.begin(); it != top.end(); ++it) {
      if (it.key() == "IsTruncated" && it->is_boolean() && it->get<bool>()) ++summary_.assumptions["a truncated page (IsTruncated): principals or policies are missing"];
      if (it.key() != "UserDetailList" && it.key() != "GroupDetailList" && it.key() != "RoleDetailList" && it.key() != "Policies")
        ++summary_.fields_not_read[it.key()];
    }
    settle_accounts(first);
    ++summary_.files;
  }

  /// The twin: accounts, principals and the edges between them.
  /// Throws: input_error when `owned` names no principal.
  [[nodiscard]] import_result finish() && {
    index_principals();
    compute_permissions();
    derive_edges();
    return build();
  }

 private:
  using json = detail::json;
  using aws_type = detail::aws_type;

  // ---- reading ----

  [[noreturn]] static void fail(const std::string& file, const detail::lazy_pointer& at, std::string reason) {
    throw input_error({.file = file, .pointer = at.str()}, std::move(reason));
  }
  static const std::string& string_member(const json& o, const char* key, const detail::lazy_pointer& at, const std::string& file) {
    const auto it = o.find(key);
    if (it == o.end()) fail(file, at, std::string("missing member '") + key + "'");
    if (!it->is_string()) {
      const detail::lazy_pointer here = at / key;
      fail(file, here, "expected a string, got " + detail::describe(*it));
    }
    return it->get_ref<const std::string&>();
  }
  static const json* array_member(const json& o, const char* key, const detail::lazy_pointer& at, const std::string& file) {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
      const detail::lazy_pointer here = at / key;
      fail(file, here, "expected an array, got " + detail::describe(*it));
    }
    return &*it;
  }

  // The members every element may carry that say nothing about access.
  static bool is_descriptive(std::string_view key) {
    static constexpr std::string_view keys[] = {"Path", "CreateDate", "UpdateDate", "UserId", "GroupId", "RoleId", "PolicyId",
                                                "Tags", "RoleLastUsed", "Description", "MaxSessionDuration", "AttachmentCount",
                                                "PermissionsBoundaryUsageCount", "IsAttachable", "DefaultVersionId"};
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
  }

  void read_element(std::string_view pointer, json& e, const std::string& file) {
    const detail::lazy_pointer at(pointer);
    if (!e.is_object()) fail(file, at, "expected an object, got " + detail::describe(e));
    ++summary_.records;
    if (pointer.starts_with("/Policies/")) return read_policy(e, at, file);
    detail::aws_principal p;
    const char* name_key = "UserName";
    const char* policies_key = "UserPolicyList";
    if (pointer.starts_with("/GroupDetailList/")) {
      p.type = aws_type::group, name_key = "GroupName", policies_key = "GroupPolicyList";
    } else if (pointer.starts_with("/RoleDetailList/")) {
      p.type = aws_type::role, name_key = "RoleName", policies_key = "RolePolicyList";
    }
    ++summary_.records_by_type[p.type == aws_type::user ? "users" : p.type == aws_type::group ? "groups" : "roles"];
    p.arn = string_member(e, "Arn", at, file);
    p.name = string_member(e, name_key, at, file);
    p.account = detail::arn_account(p.arn);
    std::vector<std::string_view> read = {"Arn", name_key, policies_key, "AttachedManagedPolicies"};
    if (const json* list = array_member(e, "AttachedManagedPolicies", at, file)) {
      const detail::lazy_pointer list_at = at / "AttachedManagedPolicies";
      for (std::size_t i = 0; i < list->size(); ++i) {
        const detail::lazy_pointer here = list_at / i;
        p.managed.push_back(string_member((*list)[i], "PolicyArn", here, file));
      }
    }
    if (const json* list = array_member(e, policies_key, at, file)) {
      const detail::lazy_pointer list_at = at / policies_key;
      for (std::size_t i = 0; i < list->size(); ++i) {
        const detail::lazy_pointer here = list_at / i;
        const auto doc = (*list)[i].find("PolicyDocument");
        if (!(*list)[i].is_object() || doc == (*list)[i].end()) fail(file, here, "missing member 'PolicyDocument'");
        const detail::lazy_pointer doc_at = here / "PolicyDocument";
        p.inline_policies.push_back(read_iam_policy(*doc, doc_at, file));
      }
    }
    if (const auto b = e.find("PermissionsBoundary"); b != e.end() && !b->is_null()) {
      read.push_back("PermissionsBoundary");
      const detail::lazy_pointer here = at / "PermissionsBoundary";
      p.boundary = string_member(*b, "PermissionsBoundaryArn", here, file);
    }
    if (p.type == aws_type::user) {
      read.push_back("GroupList");
      if (const json* list = array_member(e, "GroupList", at, file)) {
        const detail::lazy_pointer list_at = at / "GroupList";
        p.groups = detail::iam_strings(*list, list_at, file);
      }
    }
    if (p.type == aws_type::role) {
      read.push_back("AssumeRolePolicyDocument");
      read.push_back("InstanceProfileList");
      if (const auto t = e.find("AssumeRolePolicyDocument"); t != e.end()) {
        const detail::lazy_pointer here = at / "AssumeRolePolicyDocument";
        p.trust = read_iam_policy(*t, here, file);
      }
      if (const json* list = array_member(e, "InstanceProfileList", at, file)) p.instance_profile = !list->empty();
    }
    for (auto it = e.begin(); it != e.end(); ++it)
      if (std::find(read.begin(), read.end(), it.key()) == read.end() && !is_descriptive(it.key())) ++summary_.fields_not_read[it.key()];
    principals_.push_back(std::move(p));
  }

  // A managed policy: the document of its default version (the others are not in force).
  void read_policy(const json& e, const detail::lazy_pointer& at, const std::string& file) {
    ++summary_.records_by_type["policies"];
    const std::string& arn = string_member(e, "Arn", at, file);
    const json* versions = array_member(e, "PolicyVersionList", at, file);
    if (versions == nullptr) fail(file, at, "missing member 'PolicyVersionList'");
    const detail::lazy_pointer list_at = at / "PolicyVersionList";
    for (std::size_t i = 0; i < versions->size(); ++i) {
      const json& v = (*versions)[i];
      const detail::lazy_pointer here = list_at / i;
      if (!v.is_object()) fail(file, here, "expected an object, got " + detail::describe(v));
      const auto is_default = v.find("IsDefaultVersion");
      if (is_default == v.end() || !is_default->is_boolean() || !is_default->get<bool>()) continue;
      const auto doc = v.find("Document");
      if (doc == v.end()) fail(file, here, "missing member 'Document'");
      const detail::lazy_pointer doc_at = here / "Document";
      managed_[arn] = read_iam_policy(*doc, doc_at, file);
      if (versions->size() > 1) older_versions_.insert(arn);
      return;
    }
    fail(file, list_at, "expected a version with \"IsDefaultVersion\": true");
  }

  // Principals whose ARN names no account (some tools write "arn:aws:iam::aws:user/x") belong
  // to the account most of the file's principals name.
  void settle_accounts(std::size_t first) {
    std::map<std::string, std::size_t> votes;
    for (std::size_t i = first; i < principals_.size(); ++i)
      if (detail::is_aws_account_id(principals_[i].account)) ++votes[principals_[i].account];
    std::string account;
    std::size_t best = 0;
    for (const auto& [a, n] : votes)
      if (n > best) account = a, best = n;
    for (std::size_t i = first; i < principals_.size(); ++i) {
      if (detail::is_aws_account_id(principals_[i].account)) continue;
      if (account.empty()) account = "unknown";
      ++summary_.assumptions["principals whose ARN names no account id (given the file's account " + account + ")"];
      principals_[i].account = account;
    }
  }

  // ---- deriving ----

  struct node_rec {
    std::string id;
    node n;
  };
  struct edge_key {
    std::uint32_t from, to;
    edge_kind kind;
    bool operator==(const edge_key&) const = default;
  };
  struct edge_key_hash {
    std::size_t operator()(const edge_key& k) const noexcept {
      return std::hash<std::uint64_t>{}((std::uint64_t{k.from} << 32 | k.to) * 131 + static_cast<std::uint64_t>(k.kind));
    }
  };
  struct edge_rec {
    double probability;
    std::string relationship;
  };
  // What a principal may do: its policies, and which of the edges' actions any Allow could grant.
  struct permissions {
    std::vector<const iam_policy*> identity{}, boundary{};
    bool any[detail::aws_action_count] = {};
    bool admin = false;
    double admin_factor = 0.0;
  };

  std::uint32_t node_of(const std::string& id, node n) {
    const auto [it, inserted] = node_index_.try_emplace(id, static_cast<std::uint32_t>(nodes_.size()));
    if (inserted) nodes_.push_back({id, std::move(n)});
    return it->second;
  }
  std::uint32_t account_node(const std::string& account) {
    const std::string id = "arn:aws:iam::" + account + ":root";
    const auto it = node_index_.find(id);
    if (it != node_index_.end()) return it->second;
    const bool imported = accounts_.count(account) != 0;
    node n{.name = "AWS account " + account + (imported ? "" : " (outside the import)"),
           .kind = imported ? node_kind::cloud_account : node_kind::third_party};
    if (imported) {
      n.crown_jewel = true;
      n.tier_zero = std::string("the account: control of every identity and resource in it");
    } else {
      n.entry_point = true;  // a trusted outside account: where a supply-chain attacker starts
      ++summary_.assumptions["outside accounts trusted by a role (entry points)"];
    }
    return node_of(id, std::move(n));
  }

  void add_edge(std::uint32_t from, std::uint32_t to, edge_kind kind, double p, std::string_view relationship) {
    if (from == to) return;
    summary_.default_probabilities.try_emplace(std::string(relationship), p);  // before any condition lowers it
    auto [it, inserted] = edges_.try_emplace({from, to, kind}, edge_rec{p, std::string(relationship)});
    if (!inserted) {
      ++summary_.duplicate_edges;
      if (p > it->second.probability) it->second = {p, std::string(relationship)};
    }
  }
  // An edge that rests on a permission: its probability lowered by the permission's conditions, counted.
  void add_edge(std::uint32_t from, std::uint32_t to, edge_kind kind, double p, std::string_view relationship, const iam_permission& why) {
    if (why.mfa) ++summary_.assumptions["edges kept under an MFA condition (probability x0.3)"];
    else if (why.undecided) ++summary_.assumptions["edges kept under an undecided condition (probability x0.5)"];
    summary_.default_probabilities.try_emplace(std::string(relationship), p);
    add_edge(from, to, kind, p * why.factor, relationship);
  }

  void index_principals() {
    // De-duplicate (the same account read twice): the first description of an ARN stands.
    std::set<std::string> seen;
    std::vector<detail::aws_principal> unique;
    for (detail::aws_principal& p : principals_) {
      if (seen.insert(p.arn).second) unique.push_back(std::move(p));
      else ++summary_.assumptions["principals described twice (the first description kept)"];
    }
    principals_ = std::move(unique);
    for (const detail::aws_principal& p : principals_) accounts_.insert(p.account);
    multi_account_ = accounts_.size() > 1;
    for (const std::string& a : accounts_) (void)account_node(a);
    for (std::size_t i = 0; i < principals_.size(); ++i) {
      const detail::aws_principal& p = principals_[i];
      const char* type = p.type == aws_type::user ? "user/" : p.type == aws_type::group ? "group/" : "role/";
      node n{.name = type + p.name + (multi_account_ ? "@" + p.account : std::string()),
             .kind = p.type == aws_type::user ? node_kind::user : p.type == aws_type::group ? node_kind::group : node_kind::role};
      n.properties = {{"arn", p.arn}, {"account", p.account}};
      principal_node_.push_back(node_of(p.arn, std::move(n)));
      by_arn_.emplace(p.arn, i);
      if (p.type == aws_type::group) group_by_name_.emplace(p.account + "/" + p.name, i);
    }
    // The services each role's trust policy lets in (what PassRole hands the role to).
    trusted_services_.resize(principals_.size());
    for (std::size_t i = 0; i < principals_.size(); ++i)
      for (const iam_statement& s : principals_[i].trust.statements)
        if (s.allow && s.has_principal && detail::iam_action_matches(s, "sts:assumerole"))
          trusted_services_[i].insert(trusted_services_[i].end(), s.services.begin(), s.services.end());
  }

  // The managed policy `arn`, or nullptr (counted) when the input does not describe it. The one
  // AWS managed policy whose meaning is fixed and universal, AdministratorAccess, is known.
  const iam_policy* managed_policy(const std::string& arn) {
    if (const auto it = managed_.find(arn); it != managed_.end()) return &it->second;
    const bool first = undescribed_.insert(arn).second;  // counted once a policy
    if (arn == "arn:aws:iam::aws:policy/AdministratorAccess") {
      if (first) ++summary_.assumptions["AdministratorAccess attached but not described (its public definition, * on *, used)"];
      static const iam_policy admin{{iam_statement{.has_resource = true, .actions = {"*"}, .resources = {"*"}}}};
      return &admin;
    }
    if (first) ++summary_.assumptions["managed policies attached but not described: left out"];
    return nullptr;
  }
  void add_policies(const detail::aws_principal& p, std::vector<const iam_policy*>& out) {
    for (const iam_policy& x : p.inline_policies) out.push_back(&x);
    for (const std::string& arn : p.managed)
      if (const iam_policy* x = managed_policy(arn)) out.push_back(x);
  }

  // The groups of user `p` that the input describes (others become placeholders, counted).
  std::vector<std::size_t> groups_of(const detail::aws_principal& p) {
    std::vector<std::size_t> out;
    for (const std::string& g : p.groups) {
      const auto it = group_by_name_.find(p.account + "/" + g);
      if (it != group_by_name_.end()) out.push_back(it->second);
    }
    return out;
  }

  iam_permission allowed(std::size_t i, detail::aws_action a, std::string_view resource) const {
    const permissions& pm = permissions_[i];
    if (!pm.any[a]) return {};
    return allowed(i, detail::aws_action_names[a], resource);
  }
  iam_permission allowed(std::size_t i, std::string_view action, std::string_view resource) const {
    const permissions& pm = permissions_[i];
    const iam_request r{.action = action, .resource = resource, .principal_name = principals_[i].name};
    iam_permission p = evaluate_iam(pm.identity, r);
    if (p.allowed() && !pm.boundary.empty()) p = both(p, evaluate_iam(pm.boundary, r));
    if (p.allowed() && !scps_.empty()) p = both(p, evaluate_iam(scps_, r));
    return p;
  }
  // All of `actions` allowed on `*`, as likely as all together.
  iam_permission all_allowed(std::size_t i, std::span<const detail::aws_action> actions) const {
    iam_permission p{.factor = 1.0};
    for (detail::aws_action a : actions) {
      p = both(p, allowed(i, a, "*"));
      if (!p.allowed()) return {};
    }
    return p;
  }

  void compute_permissions() {
    for (const iam_policy& s : options_.service_control_policies) scps_.push_back(&s);
    permissions_.resize(principals_.size());
    for (std::size_t i = 0; i < principals_.size(); ++i) {
      const detail::aws_principal& p = principals_[i];
      permissions& pm = permissions_[i];
      add_policies(p, pm.identity);
      if (p.type == aws_type::user)
        for (std::size_t g : groups_of(p)) add_policies(principals_[g], pm.identity);
      if (!p.boundary.empty())
        if (const iam_policy* b = managed_policy(p.boundary)) pm.boundary.push_back(b);
      for (std::size_t a = 0; a < detail::aws_action_count; ++a)
        for (const iam_policy* x : pm.identity)
          for (const iam_statement& s : x->statements)
            pm.any[a] = pm.any[a] || (s.allow && detail::iam_action_matches(s, detail::aws_action_names[a]));
      double f = 1.0;
      for (std::string_view probe : detail::aws_admin_probes) f = std::min(f, allowed(i, probe, "*").factor);
      pm.admin = f > 0.0;
      pm.admin_factor = f;
    }
  }

  void derive_edges() {
    // Roles by account, and which services and principals their trust policies let in.
    std::map<std::string, std::vector<std::size_t>> users_of, roles_of, groups_in;
    for (std::size_t i = 0; i < principals_.size(); ++i) {
      const detail::aws_principal& p = principals_[i];
      (p.type == aws_type::user ? users_of : p.type == aws_type::role ? roles_of : groups_in)[p.account].push_back(i);
    }
    for (std::size_t i = 0; i < principals_.size(); ++i) {
      const detail::aws_principal& p = principals_[i];
      const std::uint32_t v = principal_node_[i];
      const permissions& pm = permissions_[i];
      if (p.type == aws_type::user) {
        for (const std::string& g : p.groups) {
          const auto it = group_by_name_.find(p.account + "/" + g);
          std::uint32_t gv = 0;
          if (it != group_by_name_.end()) {
            gv = principal_node_[it->second];
          } else {
            ++summary_.placeholder_nodes;
            gv = node_of("arn:aws:iam::" + p.account + ":group/" + g,
                         {.name = "group/" + g + (multi_account_ ? "@" + p.account : std::string()), .kind = node_kind::group});
          }
          add_edge(v, gv, edge_kind::member_of, 1.0, "MemberOf");
        }
      }
      if (pm.admin) {
        // Every administrator has its own edge, as every tier-zero object of a directory has:
        // paths end where they enter tier zero and reach the account through it.
        add_edge(v, account_node(p.account), edge_kind::tier_zero_of, 1.0, "Administrator", {.factor = pm.admin_factor});
        continue;  // an administrator escalates to nothing more
      }
      if (p.type == aws_type::group) continue;  // groups do not act: their members do
      derive_self_escalation(i);
      derive_credential_edges(i, users_of[p.account]);
      derive_role_edges(i, roles_of[p.account]);
      if (p.type == aws_type::user) derive_group_edges(i, groups_in[p.account]);
    }
    derive_trust_edges(users_of, roles_of);
  }

  // Attach or put a policy on itself or its groups, or a new version of a policy attached to it:
  // it can make itself an administrator.
  void derive_self_escalation(std::size_t i) {
    const detail::aws_principal& p = principals_[i];
    const std::uint32_t account = account_node(p.account);
    const bool user = p.type == aws_type::user;
    for (auto [a, name] : {std::pair{user ? detail::iam_put_user_policy : detail::iam_put_role_policy, user ? "PutUserPolicy" : "PutRolePolicy"},
                           {user ? detail::iam_attach_user_policy : detail::iam_attach_role_policy, user ? "AttachUserPolicy" : "AttachRolePolicy"}})
      if (const iam_permission ok = allowed(i, a, p.arn); ok.allowed()) add_edge(principal_node_[i], account, edge_kind::modify_policy, 0.9, name, ok);
    std::vector<std::string> attached = p.managed;
    if (user)
      for (std::size_t g : groups_of(p)) {
        const std::string& garn = principals_[g].arn;
        for (auto [a, name] : {std::pair{detail::iam_put_group_policy, "PutGroupPolicy"}, {detail::iam_attach_group_policy, "AttachGroupPolicy"}})
          if (const iam_permission ok = allowed(i, a, garn); ok.allowed()) add_edge(principal_node_[i], account, edge_kind::modify_policy, 0.9, name, ok);
        attached.insert(attached.end(), principals_[g].managed.begin(), principals_[g].managed.end());
      }
    for (const std::string& arn : attached) {
      if (arn.starts_with("arn:aws:iam::aws:")) continue;  // AWS managed policies cannot be changed
      if (const iam_permission ok = allowed(i, detail::iam_create_policy_version, arn); ok.allowed()) {
        add_edge(principal_node_[i], account, edge_kind::modify_policy, 0.9, "CreatePolicyVersion", ok);
      } else if (older_versions_.count(arn) != 0) {  // rolling back to a version kept beside: it may grant more, or less
        if (const iam_permission back = allowed(i, detail::iam_set_default_policy_version, arn); back.allowed())
          add_edge(principal_node_[i], account, edge_kind::modify_policy, 0.5, "SetDefaultPolicyVersion", back);
      }
    }
  }

  void derive_credential_edges(std::size_t i, const std::vector<std::size_t>& users) {
    const permissions& pm = permissions_[i];
    if (!pm.any[detail::iam_create_access_key] && !pm.any[detail::iam_create_login_profile] && !pm.any[detail::iam_update_login_profile]) return;
    for (std::size_t u : users) {
      if (u == i) continue;
      const std::string& arn = principals_[u].arn;
      if (const iam_permission ok = allowed(i, detail::iam_create_access_key, arn); ok.allowed())
        add_edge(principal_node_[i], principal_node_[u], edge_kind::create_credential, 0.9, "CreateAccessKey", ok);
      for (auto [a, name] : {std::pair{detail::iam_create_login_profile, "CreateLoginProfile"}, {detail::iam_update_login_profile, "UpdateLoginProfile"}})
        if (const iam_permission ok = allowed(i, a, arn); ok.allowed())
          add_edge(principal_node_[i], principal_node_[u], edge_kind::create_credential, 0.8, name, ok);
    }
  }

  // PassRole to a service that runs as the role, commands on its instances, rewriting its trust.
  void derive_role_edges(std::size_t i, const std::vector<std::size_t>& roles) {
    const permissions& pm = permissions_[i];
    // What launches each service, allowed on "*" (computed once for this principal).
    std::vector<iam_permission> launch(detail::aws_launches().size());
    if (pm.any[detail::iam_pass_role])
      for (std::size_t s = 0; s < launch.size(); ++s)
        for (const auto& way : detail::aws_launches()[s].ways) {
          const iam_permission w = all_allowed(i, way);
          if (w.factor > launch[s].factor) launch[s] = w;
        }
    iam_permission command;
    for (detail::aws_action a : {detail::ssm_send_command, detail::ssm_start_session}) {
      const iam_permission c = allowed(i, a, "*");
      if (c.factor > command.factor) command = c;
    }
    for (std::size_t r : roles) {
      if (r == i) continue;
      const detail::aws_principal& role = principals_[r];
      const std::vector<std::string>& services = trusted_services_[r];
      auto trusts = [&](std::string_view s) { return std::find(services.begin(), services.end(), s) != services.end(); };
      if (pm.any[detail::iam_pass_role]) {
        const iam_permission pass = allowed(i, detail::iam_pass_role, role.arn);
        for (std::size_t s = 0; pass.allowed() && s < launch.size(); ++s)
          if (launch[s].allowed() && trusts(detail::aws_launches()[s].service))
            add_edge(principal_node_[i], principal_node_[r], edge_kind::pass_role, 0.8, detail::aws_launches()[s].name, both(pass, launch[s]));
      }
      if (command.allowed() && role.instance_profile && trusts("ec2.amazonaws.com"))
        add_edge(principal_node_[i], principal_node_[r], edge_kind::run_command, 0.8, "SSMSendCommand", command);
      if (pm.any[detail::iam_update_assume_role_policy])
        if (const iam_permission ok = both(allowed(i, detail::iam_update_assume_role_policy, role.arn), allowed(i, detail::sts_assume_role, role.arn)); ok.allowed())
          add_edge(principal_node_[i], principal_node_[r], edge_kind::modify_policy, 0.9, "UpdateAssumeRolePolicy", ok);
    }
  }

  void derive_group_edges(std::size_t i, const std::vector<std::size_t>& groups) {
    if (!permissions_[i].any[detail::iam_add_user_to_group]) return;
    const std::vector<std::size_t> mine = groups_of(principals_[i]);
    for (std::size_t g : groups)
      if (std::find(mine.begin(), mine.end(), g) == mine.end())
        if (const iam_permission ok = allowed(i, detail::iam_add_user_to_group, principals_[g].arn); ok.allowed())
          add_edge(principal_node_[i], principal_node_[g], edge_kind::add_member, 0.9, "AddUserToGroup", ok);
  }

  // Who a role's trust policy lets assume it. An explicit Deny in the trust policy for the
  // principal wins; a principal named by ARN in the role's own account needs no identity policy,
  // one named through its account (root or id) or from another account does.
  void derive_trust_edges(const std::map<std::string, std::vector<std::size_t>>& users_of,
                          const std::map<std::string, std::vector<std::size_t>>& roles_of) {
    for (std::size_t r = 0; r < principals_.size(); ++r) {
      const detail::aws_principal& role = principals_[r];
      if (role.type != aws_type::role) continue;
      const std::uint32_t rv = principal_node_[r];
      for (const iam_statement& s : role.trust.statements) {
        if (!s.allow || !s.has_principal) continue;
        const iam_permission cond{.factor = detail::iam_condition_factor(s.condition), .mfa = s.condition == iam_condition::mfa,
                                  .undecided = s.condition == iam_condition::other};
        if (detail::iam_action_matches(s, "sts:assumerolewithsaml") || detail::iam_action_matches(s, "sts:assumerolewithwebidentity"))
          for (const std::string& f : s.federated) {
            node n{.name = "Identity provider " + f.substr(f.find_last_of('/') + 1), .kind = node_kind::third_party};
            add_edge(node_of(f, std::move(n)), rv, edge_kind::can_assume_role, 0.95, "AssumeRoleWithFederation", cond);
          }
        if (!detail::iam_action_matches(s, "sts:assumerole")) continue;
        for (const std::string& who : s.aws_principals) {
          if (s.not_principal || who == "*") {
            const std::uint32_t any = node_of("aws:any-principal", {.name = "Any AWS principal (any account)", .kind = node_kind::internet,
                                                                    .entry_point = true, .internet_exposed = true});
            add_edge(any, rv, edge_kind::can_assume_role, 0.95, "AssumeRole(*)", cond);
            continue;
          }
          const std::string account = detail::is_aws_account_id(who) ? who : detail::arn_account(who);
          const bool whole_account = detail::is_aws_account_id(who) || who.ends_with(":root");
          if (accounts_.count(account) == 0) {  // outside the import
            add_edge(account_node(account), rv, edge_kind::can_assume_role, 0.95, "AssumeRole", cond);
            continue;
          }
          std::vector<std::size_t> candidates;
          if (whole_account) {
            for (const auto* list : {&users_of, &roles_of})
              if (const auto it = list->find(account); it != list->end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
          } else if (const auto it = by_arn_.find(who); it != by_arn_.end()) {
            candidates.push_back(it->second);
          } else {
            ++summary_.assumptions["trust policies naming a principal not in the input: left out"];
          }
          for (std::size_t c : candidates) {
            if (c == r || permissions_[c].admin || denied_by_trust(role, principals_[c])) continue;
            iam_permission ok = allowed(c, detail::sts_assume_role, role.arn);
            if (!whole_account && principals_[c].account == role.account && !ok.allowed() && !explicitly_denied(c, role.arn)) ok = {.factor = 1.0};
            if (ok.allowed()) add_edge(principal_node_[c], rv, edge_kind::can_assume_role, 0.95, "AssumeRole", both(ok, cond));
          }
        }
      }
    }
  }
  bool denied_by_trust(const detail::aws_principal& role, const detail::aws_principal& who) const {
    for (const iam_statement& s : role.trust.statements) {
      if (s.allow || s.condition != iam_condition::none || !detail::iam_action_matches(s, "sts:assumerole")) continue;
      for (const std::string& x : s.aws_principals)
        if (x == "*" || x == who.arn || x == who.account || x == "arn:aws:iam::" + who.account + ":root") return true;
    }
    return false;
  }
  // An unconditional Deny of sts:AssumeRole on the role in the principal's own policies.
  bool explicitly_denied(std::size_t c, const std::string& role_arn) const {
    const iam_request r{.action = "sts:assumerole", .resource = role_arn, .principal_name = principals_[c].name};
    for (const iam_policy* p : permissions_[c].identity)
      for (const iam_statement& s : p->statements)
        if (!s.allow && s.condition == iam_condition::none && detail::iam_action_matches(s, r.action) && detail::iam_resource_matches(s, r)) return true;
    return false;
  }

  // ---- building ----

  import_result build() {
    // Tier zero: administrators (and groups that make their members so).
    for (std::size_t i = 0; i < principals_.size(); ++i)
      if (permissions_[i].admin) {
        nodes_[principal_node_[i]].n.tier_zero = std::string("administrator of AWS account " + principals_[i].account);
        nodes_[principal_node_[i]].n.privileged = true;
      }
    std::vector<char> owned(nodes_.size(), 0);
    for (const std::string& o : options_.owned) {
      bool found = false;
      for (std::size_t v = 0; v < nodes_.size(); ++v)
        if (nodes_[v].id == o || nodes_[v].n.name == o) owned[v] = 1, found = true;
      for (std::size_t i = 0; i < principals_.size(); ++i)
        if (principals_[i].name == o) owned[principal_node_[i]] = 1, found = true;
      if (!found) throw input_error({.pointer = "owned"}, "no principal has the ARN or name '" + o + "'");
    }
    summary_.entry_rule = options_.owned.empty() ? "all-users" : "owned";
    twin_builder b;
    b.reserve(nodes_.size(), edges_.size());
    for (std::size_t v = 0; v < nodes_.size(); ++v) {
      node& n = nodes_[v].n;
      if (!options_.owned.empty()) n.entry_point = owned[v] != 0;
      else if (n.kind == node_kind::user && !n.tier_zero) n.entry_point = true;
      summary_.entry_points += n.entry_point;
      summary_.crown_jewels += n.crown_jewel;
      if (n.tier_zero) ++summary_.tier_zero, summary_.tier_zero_principals += is_principal(n.kind);
      b.add_node(std::move(nodes_[v].id), std::move(n));
    }
    // Edges in a stable order: by source, target, kind.
    std::vector<std::pair<edge_key, edge_rec>> sorted(edges_.begin(), edges_.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
      return std::tie(x.first.from, x.first.to, x.first.kind) < std::tie(y.first.from, y.first.to, y.first.kind);
    });
    for (auto& [k, e] : sorted) {
      b.add_edge(std::size_t{k.from}, std::size_t{k.to}, {.kind = k.kind, .probability = e.probability});
      ++summary_.edges_by_kind[e.relationship];
      if (k.kind != edge_kind::member_of) ++summary_.derived_by_kind[e.relationship], ++summary_.derived_edges;
    }
    summary_.nodes = b.num_nodes();
    summary_.edges = b.num_edges();
    std::string name = options_.name;
    if (name.empty()) {
      name = "AWS IAM";
      for (auto it = accounts_.begin(); it != accounts_.end(); ++it) name += (it == accounts_.begin() ? " (" : ", ") + *it;
      if (!accounts_.empty()) name += ")";
    }
    b.set_name(std::move(name));
    nlohmann::json metadata;
    metadata["import"] = nlohmann::json(summary_.to_json());
    b.set_metadata(std::move(metadata));
    return {std::move(b).build(), summary_};
  }

  aws_options options_;
  import_summary summary_{};
  std::vector<detail::aws_principal> principals_{};
  std::unordered_map<std::string, iam_policy> managed_{};
  std::set<std::string> undescribed_{};  // managed policies attached but not in the input
  std::set<std::string> older_versions_{};  // customer policies with versions beside the default
  std::set<std::string> accounts_{};
  bool multi_account_ = false;
  std::vector<node_rec> nodes_{};
  std::unordered_map<std::string, std::uint32_t> node_index_{};
  std::vector<std::uint32_t> principal_node_{};
  std::unordered_map<std::string, std::size_t> by_arn_{}, group_by_name_{};
  std::vector<permissions> permissions_{};
  std::vector<const iam_policy*> scps_{};
  std::vector<std::vector<std::string>> trusted_services_{};
  std::unordered_map<edge_key, edge_rec, edge_key_hash> edges_{};
};

}  // namespace twinrisk
