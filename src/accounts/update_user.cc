// Account details. A change of roles or job title raises the access-review
// flag (4.32: a change of position should trigger a review of whether access
// is still needed); clear_access_review.cc lowers it. A change of roles also
// ends the user's sessions, because a session carries the roles it was made
// with: the new rights (fewer, perhaps) apply from the next login on.
#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"
#include "accounts/role_grants.h"
#include "accounts/validation.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "user.update";

common::Result<void> check(const UserUpdate& u, const policy::AdminPolicy& policy) {
  if (u.display_name) {
    if (auto ok = check_display_text(*u.display_name, "display_name"); !ok) return ok;
  }
  for (const auto& [value, field] :
       {std::pair{&u.email, "email"}, std::pair{&u.manager_email, "manager_email"}}) {
    if (!*value || (*value)->empty()) continue;
    if (auto ok = check_email(**value, field); !ok) return ok;
  }
  for (const auto& [value, field] :
       {std::pair{&u.job_title, "job_title"}, std::pair{&u.manager_name, "manager_name"}}) {
    if (!*value || (*value)->empty()) continue;
    if (auto ok = check_display_text(**value, field); !ok) return ok;
  }
  if (u.roles) {
    if (auto ok = check_roles(*u.roles, policy); !ok) return ok;
  }
  return {};
}

common::Result<UserView> update(Context& ctx, const Principal& admin, std::string_view username,
                                const UserUpdate& u, Refusals& refusals,
                                std::vector<std::string>& ended) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  store::UserRecord user = target->user;
  if (user.state == "closed" || user.state == "rejected") {
    return refusals.refuse("illegal_transition", Errc::conflict,
                           "the account is " + user.state + "; its record is kept as it was");
  }
  std::vector<std::string> changed;
  const auto set = [&changed](const std::optional<std::string>& value, std::string& field,
                              const char* name) {
    if (value && *value != field) {
      field = *value;
      changed.push_back(name);
    }
  };
  set(u.display_name, user.display_name, "display_name");
  set(u.email, user.email, "email");
  set(u.job_title, user.job_title, "job_title");
  set(u.manager_name, user.manager_name, "manager_name");
  set(u.manager_email, user.manager_email, "manager_email");
  bool roles_changed = false;
  if (u.roles) {
    std::vector<std::string> roles = *u.roles;
    std::sort(roles.begin(), roles.end());
    if (roles != user.roles) {
      std::vector<std::string> added;
      std::set_difference(roles.begin(), roles.end(), user.roles.begin(), user.roles.end(),
                          std::back_inserter(added));
      if (auto ok = may_grant_roles(admin, added, refusals); !ok) return ok.error();
      user.roles = std::move(roles);
      roles_changed = true;
      changed.push_back("roles");
    }
  }
  const bool review = roles_changed || (u.job_title && *u.job_title != target->user.job_title);
  if (review) user.access_review_required = true;
  auto written = (*tx)->update_user_details(user);
  if (!written) return written.error();
  nlohmann::json detail{{"changed", changed}, {"access_review_required", review}};
  if (roles_changed) {
    auto sessions = (*tx)->end_sessions_of(user.id, now, "roles_changed");
    if (!sessions) return sessions.error();
    ended = std::move(*sessions);
    detail["roles"] = user.roles;
    detail["sessions_ended"] = ended.size();
  }
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok", detail, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) {
    ended.clear();
    return committed.error();
  }
  return view;
}

}  // namespace

common::Result<UserView> update_user(Context& ctx, const Principal& who,
                                     std::string_view username, const UserUpdate& u) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_update, kAction);
  if (!admin) return admin.error();
  if (auto ok = check(u, ctx.policy().admin); !ok) return ok.error();
  Refusals refusals;
  std::vector<std::string> ended;
  auto result = update(ctx, *admin, username, u, refusals, ended);
  forget_sessions(ctx, ended);
  return refusals.audited(ctx, *admin, kAction, subject_of(username), std::move(result));
}

}  // namespace core::accounts
