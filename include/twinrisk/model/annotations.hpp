#pragma once
/// What the twin records about exploitability: vulnerabilities, validation evidence, controls.
/// The model stores them; the exploitability policies (exploit/) turn them into probabilities.

#include <cstdint>
#include <string>
#include <string_view>

#include "twinrisk/detail/enum_names.hpp"

namespace twinrisk {

/// A known vulnerability that an edge (usually `exploits`) relies on.
struct vulnerability {
  std::string cve{};   ///< "CVE-2024-4577"
  std::string cvss{};  ///< CVSS vector as published ("CVSS:3.1/AV:N/..." or "CVSS:4.0/..."), may be empty
  bool operator==(const vulnerability&) const = default;
};

/// The outcome of testing a step in a pentest or a breach-and-attack simulation.
enum class evidence_status : std::uint8_t { not_tested, validated, blocked };

inline constexpr detail::enum_names<evidence_status, 3> evidence_status_names{
    "evidence status", {"not_tested", "validated", "blocked"}};

/// One piece of validation evidence about a node or an edge.
struct validation_evidence {
  evidence_status status = evidence_status::not_tested;
  std::string date{};     ///< ISO date "YYYY-MM-DD" of the test; empty when unknown
  std::string source{};   ///< who or what produced it ("pentest-2026-q3", "bas:safebreach")
  std::string control{};  ///< with `blocked`: which control stopped it
  std::string note{};
  bool operator==(const validation_evidence&) const = default;
};

/// The families of compensating controls the default policies know about.
enum class control_kind : std::uint8_t {
  other, mfa, edr, segmentation, pam, patch_sla, waf, email_filtering, conditional_access,
  application_allowlisting, dlp, monitoring, ai_guardrail, backup,
};

inline constexpr detail::enum_names<control_kind, 14> control_kind_names{
    "control kind",
    {"other", "mfa", "edr", "segmentation", "pam", "patch_sla", "waf", "email_filtering",
     "conditional_access", "application_allowlisting", "dlp", "monitoring", "ai_guardrail",
     "backup"}};

/// A compensating control on a node or an edge, with the share of attempts it stops.
struct control {
  control_kind kind = control_kind::other;
  std::string name{};            ///< product or policy name
  double effectiveness = 0.0;  ///< in [0,1]: 1 stops every attempt
  bool operator==(const control&) const = default;
};

[[nodiscard]] constexpr std::string_view to_string(evidence_status s) noexcept { return evidence_status_names.name(s); }
[[nodiscard]] constexpr std::string_view to_string(control_kind k) noexcept { return control_kind_names.name(k); }

}  // namespace twinrisk
