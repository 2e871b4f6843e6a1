// Password reset by an administrator (2.4, 4.26): a generated one-time
// password, returned once and never stored or logged in clear; the user must
// change it at the next login. Every session of the user ends, since the
// reset usually means the old password may be known to someone else. The
// time is recorded (password_set_at): reactivation after a "password
// compromised" suspension needs a reset after the suspension.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"
#include "accounts/one_time_password.h"
#include "password/password.h"

namespace core::accounts {
namespace {

using common::Errc;

constexpr const char* kAction = "user.password_reset";

common::Result<void> store_reset(Context& ctx, const Principal& admin, std::string_view username,
                                 const std::string& phc, Refusals& refusals,
                                 std::vector<std::string>& ended) {
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
  auto set = (*tx)->set_password(user.id, phc, /*must_change_password=*/true);
  if (!set) return set.error();
  auto stamped = (*tx)->set_password_set_at(user.id, now);
  if (!stamped) return stamped.error();
  auto sessions = (*tx)->end_sessions_of(user.id, now, "password_reset");
  if (!sessions) return sessions.error();
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok",
                              nlohmann::json{{"sessions_ended", sessions->size()}}, now);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  ended = std::move(*sessions);
  return {};
}

}  // namespace

common::Result<std::string> reset_password(Context& ctx, const Principal& who,
                                           std::string_view username) {
  auto admin =
      require_permission(ctx, who, &policy::PermissionsPolicy::user_reset_password, kAction);
  if (!admin) return admin.error();
  std::string password = one_time_password(ctx.random());
  // Argon2id outside any transaction: the write lock is never held for it.
  // The alphabet is ASCII letters and digits, so the text is already in the
  // normal form password::hash expects.
  auto phc = password::hash(password, ctx.argon2, ctx.random());
  if (!phc) {
    common::wipe(password);
    return phc.error();
  }
  Refusals refusals;
  std::vector<std::string> ended;
  auto stored = store_reset(ctx, *admin, username, *phc, refusals, ended);
  forget_sessions(ctx, ended);
  stored = refusals.audited(ctx, *admin, kAction, subject_of(username), std::move(stored));
  if (!stored) {
    common::wipe(password);
    return stored.error();
  }
  return password;
}

}  // namespace core::accounts
