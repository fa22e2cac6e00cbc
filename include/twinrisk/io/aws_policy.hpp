#pragma once
/// AWS IAM policy documents, read and evaluated as IAM does (docs/importing.md, "AWS IAM"):
/// an explicit Deny anywhere wins over every Allow; otherwise something must Allow; `NotAction`
/// and `NotResource` match everything but what they list; `*` and `?` are wildcards in actions
/// (without case) and in ARNs (with case); identity policies, a permissions boundary and service
/// control policies must each allow.
///
/// What the evaluator cannot know — the request's context — it does not guess: a statement with
/// a `Condition` matches, and the answer says so (`iam_permission::factor` below 1), so that an
/// importer keeps the edge at a lower probability and counts it. Multi-factor conditions are told
/// apart: an attacker holding stolen keys has no MFA device.
///
///     const iam_policy p = read_iam_policy(document, "/Policies/0", "authz.json");
///     const iam_policy* policies[] = {&p};
///     if (evaluate_iam(policies, {.action = "iam:passrole", .resource = role_arn}).allowed()) ...

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twinrisk/detail/json_fields.hpp"
#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"

namespace twinrisk {

/// A condition the evaluator cannot decide, by how much it is likely to stop an attacker.
enum class iam_condition : std::uint8_t {
  none,   ///< no condition
  other,  ///< source IP, time, tags, ...: undecided
  mfa,    ///< aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge: stolen keys do not satisfy it
};

/// One statement, with its patterns normalised (actions lower-case).
struct iam_statement {
  bool allow = true;
  bool not_action = false, not_resource = false;
  bool has_resource = false;  ///< Resource or NotResource present (trust policies have neither)
  bool resource_variables = false;  ///< a resource pattern holds a policy variable (${aws:username})
  std::vector<std::string> actions{};    ///< "iam:pass*"
  std::vector<std::string> resources{};  ///< "arn:aws:iam::123456789012:role/*"
  // Principals (resource policies: a role's trust policy).
  bool has_principal = false, not_principal = false;
  std::vector<std::string> aws_principals{};  ///< "*", "123456789012", "arn:aws:iam::123456789012:root", an ARN
  std::vector<std::string> services{};        ///< "ec2.amazonaws.com" (lower-case)
  std::vector<std::string> federated{};       ///< a SAML/OIDC provider ARN or "accounts.google.com"
  iam_condition condition = iam_condition::none;
};

/// A policy document: its statements.
struct iam_policy {
  std::vector<iam_statement> statements{};
};

/// What a request asks: an action (lower-case, "iam:passrole") on a resource ARN, by a
/// principal whose name stands for ${aws:username}.
struct iam_request {
  std::string_view action{};
  std::string_view resource{};
  std::string_view principal_name{};
};

/// How likely a request is allowed: 0 when denied (explicitly or for want of an Allow), 1 when
/// allowed outright, in between when it rests on conditions the evaluator cannot decide.
struct iam_permission {
  double factor = 0.0;
  bool mfa = false;        ///< an Allow it rests on requires MFA
  bool undecided = false;  ///< an Allow it rests on, or a Deny that may apply, has another condition
  [[nodiscard]] bool allowed() const noexcept { return factor > 0.0; }
};

/// Probability factors of undecided conditions (docs/importing.md, "AWS IAM").
inline constexpr double iam_undecided_factor = 0.5;
inline constexpr double iam_mfa_factor = 0.3;

namespace detail {

/// `text` matches `pattern`, whose `*` matches any run of characters and `?` any one.
/// Linear in practice: the last `*` is the only backtracking point.
[[nodiscard]] inline bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1, t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

/// A resource pattern with its policy variables replaced: ${aws:username} by the principal's
/// name, the escapes ${*} ${?} ${$} by their character, any other variable by `*` (undecided).
[[nodiscard]] inline std::string expand_policy_variables(std::string_view pattern, std::string_view principal_name) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const std::size_t close = pattern.substr(i).starts_with("${") ? pattern.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += pattern[i];
      continue;
    }
    const std::string name = lower_case_ascii(pattern.substr(i + 2, close - i - 2));
    out += name == "aws:username" ? std::string(principal_name) : name == "$" ? "$" : name == "?" ? "?" : "*";
    i = close;
  }
  return out;
}

/// The strings of a member that is a string or an array of strings.
inline std::vector<std::string> iam_strings(const json& v, const lazy_pointer& at, const std::string& file) {
  std::vector<std::string> out;
  auto one = [&](const json& s, const lazy_pointer& here) {
    if (!s.is_string()) throw input_error({.file = file, .pointer = here.str()}, "expected a string, got " + describe(s));
    out.push_back(s.get<std::string>());
  };
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) one(v[i], at / i);
  } else {
    one(v, at);
  }
  return out;
}

// The principals of a statement: "*" or {"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}.
inline void read_iam_principals(const json& p, const lazy_pointer& at, const std::string& file, iam_statement& s) {
  s.has_principal = true;
  if (p.is_string()) {
    if (p.get<std::string>() != "*") throw input_error({.file = file, .pointer = at.str()}, "expected \"*\" or an object of principals, got " + describe(p));
    s.aws_principals.emplace_back("*");
    return;
  }
  if (!p.is_object()) throw input_error({.file = file, .pointer = at.str()}, "expected \"*\" or an object of principals, got " + describe(p));
  for (auto it = p.begin(); it != p.end(); ++it) {
    const lazy_pointer here = at / it.key();
    if (it.key() == "AWS") s.aws_principals = iam_strings(*it, here, file);
    else if (it.key() == "Service")
      for (std::string& x : iam_strings(*it, here, file)) s.services.push_back(lower_case_ascii(x));
    else if (it.key() == "Federated") s.federated = iam_strings(*it, here, file);
    else if (it.key() != "CanonicalUser")  // S3 canonical ids: no IAM principal to join
      throw input_error({.file = file, .pointer = here.str()},
                        "unknown principal type '" + it.key() + "'; expected AWS, Service, Federated or CanonicalUser");
  }
}

// The condition class of a statement's Condition block: MFA when any key is an MFA key.
inline iam_condition read_iam_condition(const json& c, const lazy_pointer& at, const std::string& file) {
  if (!c.is_object()) throw input_error({.file = file, .pointer = at.str()}, "expected an object of condition operators, got " + describe(c));
  iam_condition out = iam_condition::none;
  for (auto op = c.begin(); op != c.end(); ++op) {
    if (!op->is_object())
      throw input_error({.file = file, .pointer = (at / op.key()).str()}, "expected an object of condition keys, got " + describe(*op));
    for (auto key = op->begin(); key != op->end(); ++key) {
      const std::string k = lower_case_ascii(key.key());
      // A SAML audience check is what every SAML trust has: it does not stop an attacker who holds the IdP.
      if (k == "saml:aud") continue;
      if (k.starts_with("aws:multifactorauth")) return iam_condition::mfa;
      out = iam_condition::other;
    }
  }
  return out;
}

inline iam_statement read_iam_statement(const json& j, const lazy_pointer& at, const std::string& file) {
  json_object o(j, at.str(), file);
  iam_statement s;
  const std::string effect = o.string("Effect");
  if (effect != "Allow" && effect != "Deny") o.fail("Effect", "expected \"Allow\" or \"Deny\", got " + describe(o.required("Effect")));
  s.allow = effect == "Allow";
  (void)o.find("Sid");
  const json* action = o.find("Action");
  const json* not_action = o.find("NotAction");
  if ((action == nullptr) == (not_action == nullptr)) o.fail_at(at.str(), "expected exactly one of Action and NotAction");
  s.not_action = not_action != nullptr;
  const lazy_pointer action_at = at / (s.not_action ? "NotAction" : "Action");
  for (const std::string& a : iam_strings(s.not_action ? *not_action : *action, action_at, file)) s.actions.push_back(lower_case_ascii(a));
  const json* resource = o.find("Resource");
  const json* not_resource = o.find("NotResource");
  if (resource != nullptr && not_resource != nullptr) o.fail_at(at.str(), "expected at most one of Resource and NotResource");
  s.has_resource = resource != nullptr || not_resource != nullptr;
  s.not_resource = not_resource != nullptr;
  if (s.has_resource) {
    const lazy_pointer resource_at = at / (s.not_resource ? "NotResource" : "Resource");
    s.resources = iam_strings(s.not_resource ? *not_resource : *resource, resource_at, file);
    s.resource_variables = std::any_of(s.resources.begin(), s.resources.end(), [](const std::string& r) { return r.find("${") != std::string::npos; });
  }
  const json* principal = o.find("Principal");
  const json* not_principal = o.find("NotPrincipal");
  if (principal != nullptr && not_principal != nullptr) o.fail_at(at.str(), "expected at most one of Principal and NotPrincipal");
  if (principal != nullptr || not_principal != nullptr) {
    s.not_principal = not_principal != nullptr;
    read_iam_principals(s.not_principal ? *not_principal : *principal, at / (s.not_principal ? "NotPrincipal" : "Principal"), file, s);
  }
  if (const json* c = o.find("Condition")) s.condition = read_iam_condition(*c, at / "Condition", file);
  o.finish();
  return s;
}

/// The %XX escapes of a URL-encoded policy decoded (RFC 3986, as the raw IAM API returns documents).
[[nodiscard]] inline std::string url_decoded(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace detail

/// Reads a policy document: a JSON object (AWS CLI output) or a string holding one, plain or
/// URL-encoded (the raw API). `at` is the document's JSON pointer in `file`.
/// Throws: input_error naming file and pointer: not a policy document, an Effect other than
/// Allow/Deny, both or neither of Action/NotAction, an unknown member or principal type.
[[nodiscard]] inline iam_policy read_iam_policy(const detail::json& document, const detail::lazy_pointer& at, const std::string& file) {
  if (document.is_string()) {
    const std::string& text = document.get_ref<const std::string&>();
    const std::string decoded = text.find('%') != std::string::npos ? detail::url_decoded(text) : text;
    detail::json parsed;
    try {
      parsed = detail::parse_json(decoded, file);
    } catch (const input_error& e) {
      throw input_error({.file = file, .pointer = at.str()}, std::string("expected a policy document in the string: ") + e.what());
    }
    return read_iam_policy(parsed, at, file);
  }
  detail::json_object o(document, at.str(), file);
  (void)o.find("Version");
  (void)o.find("Id");
  iam_policy p;
  const detail::json& statements = o.required("Statement");
  const detail::lazy_pointer st = at / "Statement";
  if (statements.is_array()) {
    p.statements.reserve(statements.size());
    for (std::size_t i = 0; i < statements.size(); ++i) p.statements.push_back(detail::read_iam_statement(statements[i], st / i, file));
  } else {
    p.statements.push_back(detail::read_iam_statement(statements, st, file));
  }
  o.finish();
  return p;
}

namespace detail {

[[nodiscard]] inline bool iam_action_matches(const iam_statement& s, std::string_view action) noexcept {
  const bool listed = std::any_of(s.actions.begin(), s.actions.end(), [&](const std::string& p) { return glob_match(p, action); });
  return listed != s.not_action;
}

[[nodiscard]] inline bool iam_resource_matches(const iam_statement& s, const iam_request& r) {
  if (!s.has_resource) return true;  // a resource policy's statements are about the resource itself
  bool listed = false;
  for (const std::string& p : s.resources) {
    listed = s.resource_variables && p.find("${") != std::string::npos ? glob_match(expand_policy_variables(p, r.principal_name), r.resource)
                                                                         : glob_match(p, r.resource);
    if (listed) break;
  }
  return listed != s.not_resource;
}

[[nodiscard]] inline double iam_condition_factor(iam_condition c) noexcept {
  return c == iam_condition::none ? 1.0 : c == iam_condition::mfa ? iam_mfa_factor : iam_undecided_factor;
}

}  // namespace detail

/// Evaluates `request` against one set of policies (a principal's identity policies, or its
/// permissions boundary, or the service control policies of its account): an unconditional
/// Deny that matches denies; else the best matching Allow decides, lowered by a conditional
/// Deny that may apply. Statements with a Principal are left out (they belong to resource policies).
[[nodiscard]] inline iam_permission evaluate_iam(std::span<const iam_policy* const> policies, const iam_request& request) {
  iam_permission best;
  bool deny_may_apply = false;
  for (const iam_policy* p : policies)
    for (const iam_statement& s : p->statements) {
      if (s.has_principal || !detail::iam_action_matches(s, request.action) || !detail::iam_resource_matches(s, request)) continue;
      if (!s.allow) {
        if (s.condition == iam_condition::none) return {};
        deny_may_apply = true;
        continue;
      }
      const double f = detail::iam_condition_factor(s.condition);
      if (f > best.factor) best = {.factor = f, .mfa = s.condition == iam_condition::mfa, .undecided = s.condition == iam_condition::other};
    }
  if (deny_may_apply && best.allowed()) {
    best.factor *= iam_undecided_factor;
    best.undecided = true;
  }
  return best;
}

/// Both permissions at once (identity and boundary, or identity and SCPs): allowed only when
/// both allow, as likely as both together.
[[nodiscard]] inline iam_permission both(const iam_permission& a, const iam_permission& b) noexcept {
  if (!a.allowed() || !b.allowed()) return {};
  return {.factor = a.factor * b.factor, .mfa = a.mfa || b.mfa, .undecided = a.undecided || b.undecided};
}

}  // namespace twinrisk
