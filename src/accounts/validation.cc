#include "accounts/validation.h"

#include <utf8proc.h>

#include <algorithm>
#include <set>

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool valid_username(std::string_view u) {
  if (u.size() < 3 || u.size() > 64 || !lower_alnum(u.front())) return false;
  return std::all_of(u.begin(), u.end(),
                     [](char c) { return lower_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

common::Result<void> check_username(std::string_view username, std::string_view field) {
  if (valid_username(username)) return {};
  return make_error(Errc::bad_request,
                    std::string(field) +
                        " must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with "
                        "a letter or digit",
                    std::string(field));
}

common::Result<void> check_display_text(std::string_view text, std::string_view field) {
  const std::string name(field);
  size_t code_points = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return make_error(Errc::bad_request, name + " is not valid UTF-8", name);
    const auto category = utf8proc_category(cp);
    if (category == UTF8PROC_CATEGORY_CC || category == UTF8PROC_CATEGORY_CS ||
        category == UTF8PROC_CATEGORY_CN) {
      return make_error(Errc::bad_request, name + " contains a control or unassigned character",
                        name);
    }
    p += n;
    left -= n;
    ++code_points;
  }
  if (code_points < 1 || code_points > 200) {
    return make_error(Errc::bad_request, name + " must be 1 to 200 characters", name);
  }
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; })) {
    return make_error(Errc::bad_request, name + " must not be blank", name);
  }
  return {};
}

common::Result<void> check_roles(const std::vector<std::string>& roles,
                                 const policy::AdminPolicy& policy) {
  if (roles.empty()) return make_error(Errc::bad_request, "roles must not be empty", "roles");
  std::set<std::string> seen;
  for (const auto& role : roles) {
    if (std::find(policy.known_roles.begin(), policy.known_roles.end(), role) ==
        policy.known_roles.end()) {
      return make_error(Errc::bad_request, "roles contains a role the policy does not know",
                        "roles");
    }
    if (!seen.insert(role).second) {
      return make_error(Errc::bad_request, "roles names a role twice", "roles");
    }
  }
  return {};
}

common::Result<void> check_organisation(const Organisation& org) {
  const auto id_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  if (org.id.size() < 2 || org.id.size() > 32 ||
      !std::all_of(org.id.begin(), org.id.end(), id_char)) {
    return make_error(Errc::bad_request, "id must be 2 to 32 characters of A-Z, a-z, 0-9 or '-'",
                      "id");
  }
  auto name = check_display_text(org.name, "name");
  if (!name) return name;
  const bool partner = org.kind == "partner";
  if (!partner && org.kind != "local_authority" && org.kind != "national_partner") {
    return make_error(Errc::bad_request,
                      "kind must be local_authority, partner or national_partner", "kind");
  }
  if (partner && org.parent.empty()) {
    return make_error(Errc::bad_request, "a partner needs its local authority as parent", "parent");
  }
  if (!partner && !org.parent.empty()) {
    return make_error(Errc::bad_request, "only a partner has a parent", "parent");
  }
  return {};
}

}  // namespace core::accounts
