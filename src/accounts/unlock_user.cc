// Clears a lockout (lockout.lock_after_failures reached) and the failure
// counters, after the administrator satisfied themselves it was the user.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"

namespace core::accounts {
namespace {

using common::Errc;

constexpr const char* kAction = "user.unlock";

common::Result<UserView> unlock(Context& ctx, const Principal& admin, std::string_view username,
                                Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  const auto& user = target->user;
  if (user.state == "closed" || user.state == "rejected") {
    return refusals.refuse("illegal_transition", Errc::conflict,
                           "the account is " + user.state + "; it cannot log in again");
  }
  if (!user.locked && user.failed_logins == 0 && user.throttle_until <= now) {
    return refusals.refuse("not_locked", Errc::conflict, "the account is not locked");
  }
  auto cleared = (*tx)->set_login_counters(user.id, store::LoginCounters{});
  if (!cleared) return cleared.error();
  auto logged = audit_success(
      **tx, admin, kAction, user.username, "ok",
      nlohmann::json{{"was_locked", user.locked}, {"failures", user.failed_logins}}, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> unlock_user(Context& ctx, const Principal& who,
                                     std::string_view username) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_unlock, kAction);
  if (!admin) return admin.error();
  Refusals refusals;
  return refusals.audited(ctx, *admin, kAction, subject_of(username),
                          unlock(ctx, *admin, username, refusals));
}

}  // namespace core::accounts
