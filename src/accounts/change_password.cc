// The holder's own password change (POST /v1/password). Allowed to a session
// that must change its one-time password; clears that flag, after which the
// same session has full rights. A wrong current password counts as a failed
// login for the account's back-off, so a stolen session cannot be used to
// guess the password faster than the login form allows.
#include "accounts/accounts.h"
#include "audit/audit_log.h"
#include "login/backoff.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

common::Result<void> record(Context& ctx, const Principal& who, const char* outcome,
                            const char* reason, bool count_failure) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  if (count_failure) {
    auto fresh = (*tx)->find_user_by_id(who.user_id);
    if (!fresh) return fresh.error();
    if (*fresh) {
      const store::LoginCounters now_counters{(*fresh)->failed_logins, (*fresh)->locked,
                                              (*fresh)->throttle_until};
      auto set = (*tx)->set_login_counters(
          who.user_id, login::after_failure(now_counters, now, ctx.policy().lockout));
      if (!set) return set.error();
    }
  }
  audit::Draft draft;
  draft.actor = who.username;
  draft.subject = who.username;
  draft.action = "password.change";
  draft.outcome = outcome;
  draft.reason = reason;
  draft.source_address = who.source_address;
  auto logged = audit::append(**tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  return (*tx)->commit();
}

}  // namespace

common::Result<void> change_password(Context& ctx, const Principal& who,
                                     std::string_view current_password,
                                     std::string_view new_password) {
  auto live = ctx.sessions->current(who);
  if (!live) return live.error();

  store::UserRecord user;
  {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = (*tx)->find_user_by_id(live->user_id);
    if (!found) return found.error();
    if (!*found) return make_error(Errc::invalid_session, "the session's account is gone");
    user = std::move(**found);
  }
  const int64_t now = ctx.now();
  if (user.locked || user.throttle_until > now) {
    common::Error error =
        make_error(Errc::too_many_attempts, "too many failed attempts; try again later");
    error.retry_after = std::chrono::seconds(user.locked ? ctx.policy().lockout.max_delay.count()
                                                         : user.throttle_until - now);
    return error;
  }

  auto current = password::normalise(current_password, "current_password");
  // Argon2id outside any transaction; the full work even for malformed input.
  const bool current_ok =
      password::verify(current ? std::string_view(*current) : std::string_view("\x01"),
                       user.password_hash) &&
      current.ok();
  if (!current_ok) {
    if (current) common::wipe(*current);
    auto logged = record(ctx, *live, audit::kFailure, "bad_password", /*count_failure=*/true);
    if (!logged) return logged.error();
    return make_error(Errc::invalid_credentials, "the current password is wrong");
  }

  auto fresh = password::normalise(new_password, "new_password");
  if (!fresh) {
    common::wipe(*current);
    return fresh.error();
  }
  auto rules = ctx.rules->check(*fresh, user.username);
  const bool same = common::constant_time_equal(*fresh, *current);
  common::wipe(*current);
  if (!rules || same) {
    common::wipe(*fresh);
    auto logged = record(ctx, *live, audit::kFailure, "weak_password", /*count_failure=*/false);
    if (!logged) return logged.error();
    if (!rules) return rules.error();
    return make_error(Errc::weak_password, "the new password must differ from the current one");
  }
  auto phc = password::hash(*fresh, ctx.argon2, ctx.random());
  common::wipe(*fresh);
  if (!phc) return phc.error();

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto set = (*tx)->set_password(user.id, *phc, /*must_change_password=*/false);
  if (!set) return set.error();
  auto stamped = (*tx)->set_password_set_at(user.id, ctx.now());
  if (!stamped) return stamped.error();
  // Whoever else holds a session of this user (the reason to change a
  // password is often that someone might) is logged out; this one goes on.
  auto ended =
      (*tx)->end_other_sessions_of(user.id, live->session_hash, ctx.now(), "password_changed");
  if (!ended) return ended.error();
  audit::Draft draft;
  draft.actor = live->username;
  draft.subject = live->username;
  draft.action = "password.change";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = live->source_address;
  auto logged = audit::append(**tx, common::from_unix_seconds(ctx.now()), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  ctx.sessions->forget(*ended);
  ctx.sessions->password_changed(user.id);
  return {};
}

}  // namespace core::accounts
