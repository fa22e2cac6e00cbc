#pragma once
/// GCP asset records as read, before gcp_importer interns their names: from a parsed JSON value
/// (every error with its JSON pointer), or straight from one line of JSON Lines through
/// nlohmann/json's SAX interface, without a document tree. The SAX reader accepts only what the
/// DOM reader would accept the same way and gives up on anything else; the caller then reads the
/// line through the DOM, which names the error, so both paths agree by construction.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/json_fields.hpp"

namespace twinrisk::detail {

inline constexpr std::string_view gcp_crm = "//cloudresourcemanager.googleapis.com/";

/// "projects/123" for "//cloudresourcemanager.googleapis.com/projects/123"; other names as they are.
[[nodiscard]] inline std::string_view gcp_canonical_view(std::string_view name) {
  return name.starts_with(gcp_crm) ? name.substr(gcp_crm.size()) : name;
}

/// The canonical id of the resource a bare policy is on: `resource` (gcp_options::resource), a
/// project id alone meaning "projects/ID".
[[nodiscard]] inline std::string gcp_bare_policy_resource(std::string_view resource) {
  const std::string named = resource.find('/') == std::string_view::npos ? "projects/" + std::string(resource) : std::string(resource);
  return std::string(gcp_canonical_view(named));
}

/// One binding of a policy: a role and its members.
struct gcp_binding_record {
  std::string role;
  reused_strings members;
  bool conditional = false;  // it has a `condition` (not evaluated)
};

/// One asset, or one bare policy, as written.
struct gcp_record {
  bool bare_policy = false;     // {bindings, ...} without a name: its resource is gcp_options::resource
  std::string name;             // the asset's name as written (not canonical)
  std::string type;             // asset_type / assetType; "" when absent
  reused_strings ancestors;     // as written, nearest first
  reused_strings other_fields;  // the asset's keys the importer does not read

  void clear() noexcept {
    bare_policy = false;
    name.clear();
    type.clear();
    ancestors.clear();
    other_fields.clear();
    binding_count_ = 0;
  }
  gcp_binding_record& add_binding() {
    if (binding_count_ == bindings_.size()) bindings_.emplace_back();
    gcp_binding_record& b = bindings_[binding_count_++];
    b.role.clear();
    b.members.clear();
    b.conditional = false;
    return b;
  }
  [[nodiscard]] std::span<const gcp_binding_record> bindings() const noexcept { return {bindings_.data(), binding_count_}; }

 private:
  std::vector<gcp_binding_record> bindings_;
  std::size_t binding_count_ = 0;
};

/// The bindings of `policy` (at `pointer`) into `r`. Throws: input_error on a policy that is not
/// an object, bindings that are not an array of objects, a binding without a role, members that
/// are not strings.
inline void read_gcp_bindings(const json& policy, const std::string& pointer, const std::string& file, gcp_record& r) {
  json_object p(policy, pointer, file);
  const json& bindings = p.array_or_empty("bindings");
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    json_object bo(bindings[i], p.pointer("bindings") + "/" + std::to_string(i), file);
    const std::string& role = bo.string("role");
    if (role.empty()) bo.fail("role", "expected a role such as \"roles/viewer\", got \"\"");
    const json& members = bo.array_or_empty("members");
    gcp_binding_record& b = r.add_binding();
    b.role = role;
    b.conditional = bo.find("condition") != nullptr;
    for (std::size_t m = 0; m < members.size(); ++m) {
      if (!members[m].is_string())
        bo.fail_at(bo.pointer("members") + "/" + std::to_string(m),
                   "expected a member such as \"user:alice@example.com\", got " + describe(members[m]));
      b.members.add(members[m].get_ref<const std::string&>());
    }
  }
}

/// `j` (at `pointer`) into `r`: an asset {name, asset_type | assetType, iam_policy | iamPolicy,
/// ancestors}, or a bare policy {bindings, ...} when `resource` (gcp_options::resource) names its
/// resource. Throws: input_error, with the JSON pointer, on anything else.
inline void read_gcp_record(const json& j, const std::string& pointer, const std::string& file, std::string_view resource,
                            gcp_record& r) {
  r.clear();
  json_object o(j, pointer, file);
  const json* policy = nullptr;
  std::string policy_pointer;
  if (o.find("name") == nullptr && o.find("bindings") != nullptr) {
    if (resource.empty())
      o.fail_at(pointer, "an IAM policy without its resource (a get-iam-policy output): name it with the resource option (--resource)");
    if (gcp_bare_policy_resource(resource).empty()) o.fail("name", "expected a resource name, got \"\"");
    r.bare_policy = true;
    policy = &j;
    policy_pointer = pointer;
  } else {
    r.name = o.string("name");
    r.type = o.find("asset_type") ? o.string("asset_type") : o.string_or("assetType", "");
    const char* policy_key = o.find("iam_policy") ? "iam_policy" : "iamPolicy";
    if ((policy = o.find(policy_key)) != nullptr) policy_pointer = o.pointer(policy_key);
    for (const auto& x : o.array_or_empty("ancestors")) {
      if (!x.is_string()) o.fail("ancestors", "expected strings such as \"projects/123\", got " + describe(x));
      r.ancestors.add(x.get_ref<const std::string&>());
    }
    for (const auto& [k, v] : j.items())
      if (k != "name" && k != "asset_type" && k != "assetType" && k != "iam_policy" && k != "iamPolicy" && k != "ancestors")
        r.other_fields.add(k);
    if (gcp_canonical_view(r.name).empty()) o.fail("name", "expected a resource name, got \"\"");
  }
  if (policy != nullptr) read_gcp_bindings(*policy, policy_pointer, file, r);
}

/// Reads one line of a JSON Lines asset export into a gcp_record by SAX: no document tree, and
/// the record's strings reuse their memory from line to line. `read` is false for anything but
/// a well-formed asset as read_gcp_record reads it (malformed JSON, a repeated key, a field of
/// another type, a bare policy, both spellings of a field): read such a line with
/// read_gcp_record, which names what is wrong or reads what is unusual.
class gcp_line_reader {
 public:
  [[nodiscard]] bool read(std::string_view line, gcp_record& r) {
    record_ = &r;
    r.clear();
    depth_ = 0;
    seen_ = 0;
    if (!json::sax_parse(line.begin(), line.end(), this)) return false;
    return (seen_ & seen_name) != 0 && !gcp_canonical_view(r.name).empty();
  }

  // nlohmann/json's SAX interface: false stops the parse.
  bool null() { return scalar(false, {}); }
  bool boolean(bool) { return scalar(false, {}); }
  bool number_integer(json::number_integer_t) { return scalar(false, {}); }
  bool number_unsigned(json::number_unsigned_t) { return scalar(false, {}); }
  bool number_float(json::number_float_t, const std::string&) { return scalar(false, {}); }
  bool string(std::string& s) { return scalar(true, s); }
  bool binary(json::binary_t&) { return scalar(false, {}); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool end_object() {
    const frame& f = frames_[--depth_];
    return f.at != where::binding || role_seen_;
  }
  bool end_array() { return --depth_, true; }
  bool key(std::string& k) {
    frame& f = frames_[depth_ - 1];
    if (f.keys.contains(k)) return false;  // the DOM reader rejects it, naming it
    f.keys.add(k);
    f.next = slot::other;
    switch (f.at) {
      case where::record:
        if (k == "name") f.next = slot::name;
        else if (k == "asset_type" || k == "assetType") f.next = slot::type, seen_ |= k == "assetType" ? seen_asset_type_camel : seen_asset_type;
        else if (k == "iam_policy" || k == "iamPolicy") f.next = slot::policy, seen_ |= k == "iamPolicy" ? seen_policy_camel : seen_policy;
        else if (k == "ancestors") f.next = slot::ancestors;
        else record_->other_fields.add(k);
        // Both spellings of one field: the DOM reader's choice between them is its own.
        return (seen_ & both_types) != both_types && (seen_ & both_policies) != both_policies;
      case where::policy:
        if (k == "bindings") f.next = slot::bindings;
        return true;
      case where::binding:
        if (k == "role") f.next = slot::role;
        else if (k == "members") f.next = slot::members;
        else if (k == "condition") binding_->conditional = true;
        return true;
      default:
        return true;
    }
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  enum class where : unsigned char { record, policy, bindings, binding, ancestors, members, skipped };
  enum class slot : unsigned char { other, name, type, policy, ancestors, bindings, role, members };
  static constexpr unsigned seen_name = 1, seen_asset_type = 2, seen_asset_type_camel = 4, seen_policy = 8, seen_policy_camel = 16;
  static constexpr unsigned both_types = seen_asset_type | seen_asset_type_camel, both_policies = seen_policy | seen_policy_camel;
  struct frame {
    where at = where::record;
    slot next = slot::other;  // what the value after the last key is (objects)
    reused_strings keys{};  // seen so far: a repeated one is the DOM reader's to report
  };

  bool scalar(bool is_string, std::string_view s) {
    if (depth_ == 0) return false;  // a line that is not an object
    const frame& f = frames_[depth_ - 1];
    switch (f.at) {
      case where::skipped: return true;
      case where::ancestors: return is_string && (record_->ancestors.add(s), true);
      case where::members: return is_string && (binding_->members.add(s), true);
      case where::bindings: return false;  // a binding that is not an object
      case where::policy: return f.next != slot::bindings;
      case where::record:
        switch (f.next) {
          case slot::other: return true;
          case slot::name:
            if (!is_string) return false;
            record_->name.assign(s);
            seen_ |= seen_name;
            return true;
          case slot::type: return is_string && (record_->type.assign(s), true);
          default: return false;  // a policy or ancestors that are not containers
        }
      case where::binding:
        switch (f.next) {
          case slot::other: return true;
          case slot::role:
            if (!is_string || s.empty()) return false;
            binding_->role.assign(s);
            role_seen_ = true;
            return true;
          default: return false;  // members that are not an array
        }
    }
    return false;
  }

  bool open(bool is_array) {
    where w = where::skipped;
    if (depth_ == 0) {
      if (is_array) return false;
      w = where::record;
    } else {
      const frame& parent = frames_[depth_ - 1];
      switch (parent.at) {
        case where::skipped: break;
        case where::ancestors:
        case where::members: return false;  // a container where a string belongs
        case where::bindings:
          if (is_array) return false;
          w = where::binding;
          binding_ = &record_->add_binding();
          role_seen_ = false;
          break;
        case where::record:
          if (parent.next == slot::policy) {
            if (is_array) return false;
            w = where::policy;
          } else if (parent.next == slot::ancestors) {
            if (!is_array) return false;
            w = where::ancestors;
          } else if (parent.next != slot::other) {
            return false;  // name and type are strings
          }
          break;
        case where::policy:
          if (parent.next == slot::bindings) {
            if (!is_array) return false;
            w = where::bindings;
          }
          break;
        case where::binding:
          if (parent.next == slot::members) {
            if (!is_array) return false;
            w = where::members;
          } else if (parent.next != slot::other) {
            return false;  // the role is a string
          }
          break;
      }
    }
    if (depth_ == frames_.size()) frames_.emplace_back();
    frame& f = frames_[depth_++];
    f.at = w;
    f.next = slot::other;
    f.keys.clear();
    return true;
  }

  gcp_record* record_ = nullptr;
  gcp_binding_record* binding_ = nullptr;
  bool role_seen_ = false;
  unsigned seen_ = 0;
  std::vector<frame> frames_;  // reused: their key lists keep their memory
  std::size_t depth_ = 0;
};

}  // namespace twinrisk::detail
