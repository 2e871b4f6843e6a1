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

namespace {

// Valid UTF-8, no control or unassigned characters (newlines only where
// `newlines`), 1..max code points, not blank.
common::Result<void> check_text(std::string_view text, std::string_view field, size_t max,
                                bool newlines) {
  const std::string name(field);
  size_t code_points = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return make_error(Errc::bad_request, name + " is not valid UTF-8", name);
    const auto category = utf8proc_category(cp);
    const bool allowed_newline = newlines && cp == '\n';
    if (!allowed_newline &&
        (category == UTF8PROC_CATEGORY_CC || category == UTF8PROC_CATEGORY_CS ||
         category == UTF8PROC_CATEGORY_CN)) {
      return make_error(Errc::bad_request, name + " contains a control or unassigned character",
                        name);
    }
    p += n;
    left -= n;
    ++code_points;
  }
  if (code_points < 1 || code_points > max) {
    return make_error(Errc::bad_request,
                      name + " must be 1 to " + std::to_string(max) + " characters", name);
  }
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n'; })) {
    return make_error(Errc::bad_request, name + " must not be blank", name);
  }
  return {};
}

}  // namespace

common::Result<void> check_display_text(std::string_view text, std::string_view field) {
  return check_text(text, field, 200, /*newlines=*/false);
}

common::Result<void> check_free_text(std::string_view text, std::string_view field, size_t max) {
  return check_text(text, field, max, /*newlines=*/true);
}

common::Result<void> check_email(std::string_view text, std::string_view field) {
  const std::string name(field);
  const auto at = text.find('@');
  const bool shape = text.size() <= 254 && at != std::string_view::npos && at > 0 &&
                     at + 1 < text.size() && text.find('@', at + 1) == std::string_view::npos;
  // Printable ASCII without spaces: the address goes into mail headers and
  // an SMTP envelope, where CR, LF or a space would change its meaning.
  const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
    return c > ' ' && c < 127 && c != '<' && c != '>' && c != ',' && c != ';' && c != '"';
  });
  if (!shape || !printable) {
    return make_error(Errc::bad_request,
                      name + " must be an email address (up to 254 characters, one '@')", name);
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

bool valid_organisation_id(std::string_view id) {
  const auto id_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  return id.size() >= 2 && id.size() <= 32 && std::all_of(id.begin(), id.end(), id_char);
}

common::Result<void> check_organisation(const Organisation& org) {
  if (!valid_organisation_id(org.id)) {
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
