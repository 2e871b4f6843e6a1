#include "login/login_steps.h"

#include <algorithm>

#include "accounts/validation.h"
#include "login/address_key.h"
#include "login/backoff.h"
#include "login/login_flow.h"
#include "login/refusal_sampler.h"

namespace core::login {

using common::Errc;
using common::make_error;

namespace {

common::Error too_many_attempts(std::chrono::seconds wait) {
  auto error = make_error(Errc::too_many_attempts, "too many failed attempts; try again later");
  error.retry_after = std::max(wait, std::chrono::seconds(1));
  return error;
}

common::Result<void> audit_alone(const Attempt& attempt, const audit::Draft& draft) {
  auto tx = attempt.ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto logged = audit::append(**tx, attempt.now, draft);
  if (!logged) return logged.error();
  return (*tx)->commit();
}

bool holds_any(const store::UserRecord& user, const std::vector<std::string>& roles) {
  return std::any_of(user.roles.begin(), user.roles.end(), [&](const std::string& role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  });
}

}  // namespace

Attempt::Attempt(Context& context, std::string_view name, std::string_view source)
    : ctx(context),
      username(name),
      source_address(source),
      now(context.config.clock->now()),
      now_s(common::unix_seconds(now)),
      valid_name(accounts::valid_username(name)),
      name_key(common::sha256_hex(name)),
      address_key(login::address_key(source)) {}

audit::Draft Attempt::draft(std::string_view action, std::string_view reason, bool success,
                            nlohmann::json detail) const {
  audit::Draft d;
  d.actor = success ? username : "-";
  d.subject = valid_name ? username : "-";
  d.action = std::string(action);
  d.outcome = success ? audit::kSuccess : audit::kFailure;
  d.reason = std::string(reason);
  d.source_address = source_address;
  if (!valid_name) detail["username_malformed"] = true;
  d.detail = detail.is_null() ? "{}" : detail.dump();
  return d;
}

common::Result<std::optional<store::UserRecord>> find_account(const Attempt& attempt) {
  if (!attempt.valid_name) return std::optional<store::UserRecord>{};
  auto tx = attempt.ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  return (*tx)->find_user(attempt.username);
}

std::optional<common::Error> throttled(const Attempt& attempt,
                                       const std::optional<store::UserRecord>& user,
                                       std::string_view action, AccountBackoff backoff) {
  Context& ctx = attempt.ctx;
  const auto& lockout = ctx.policy().lockout;
  const char* reason = nullptr;
  std::chrono::seconds wait{0};
  nlohmann::json detail;
  if (auto by_address = ctx.address_throttle->retry_after(attempt.address_key, attempt.now_s)) {
    reason = kThrottled;
    wait = *by_address;
    detail["scope"] = "address";
  } else if (user && user->locked) {
    reason = kLocked;
    wait = lockout.max_delay;
  } else if (user && backoff == AccountBackoff::kCheck && user->throttle_until > attempt.now_s) {
    reason = kThrottled;
    wait = std::chrono::seconds(user->throttle_until - attempt.now_s);
    detail["scope"] = "account";
  } else if (!user && backoff == AccountBackoff::kCheck) {
    // An unknown name answers exactly as an account would: throttled, and
    // at the lock threshold refused at the longest delay.
    if (ctx.unknown_user_throttle->failures(attempt.name_key) >=
        static_cast<int64_t>(lockout.lock_after_failures)) {
      reason = kThrottled;
      wait = lockout.max_delay;
    } else if (auto by_name =
                   ctx.unknown_user_throttle->retry_after(attempt.name_key, attempt.now_s)) {
      reason = kThrottled;
      wait = *by_name;
    }
    if (reason != nullptr) detail["scope"] = "unknown_user";
  }
  if (reason == nullptr) return std::nullopt;
  detail["retry_after"] = wait.count();
  // One sample per scope: an address throttle by address alone (a flood of
  // made-up names from one address must not write an entry per name), an
  // account's by name alone (nor one per address against a locked account).
  const bool by_address = detail.value("scope", "") == "address";
  const std::string key = std::string(reason) + (by_address ? "|address|" : "|name|") +
                          (by_address ? attempt.address_key : attempt.name_key);
  if (auto folded = ctx.refusal_sampler->admit(key, attempt.now_s)) {
    if (*folded > 0) detail["suppressed"] = *folded;
    auto logged = audit_alone(attempt, attempt.draft(action, reason, false, std::move(detail)));
    if (!logged) return logged.error();
  }
  return too_many_attempts(wait);
}

bool password_matches(Context& ctx, std::string_view password,
                      const std::optional<store::UserRecord>& user) {
  auto normalised = password::normalise(password);
  const std::string& phc = user ? user->password_hash : password::dummy_hash(ctx.argon2);
  // Malformed input still costs a full verification, and never matches.
  const bool matches =
      password::verify(normalised ? std::string_view(*normalised) : std::string_view("\x01"),
                       phc) &&
      normalised.ok();
  if (normalised) common::wipe(*normalised);
  return matches && user.has_value();
}

std::optional<std::string> fresh_hash_if_stale(Context& ctx, std::string_view password,
                                               const store::UserRecord& user) {
  if (!password::needs_rehash(user.password_hash, ctx.argon2)) return std::nullopt;
  auto normalised = password::normalise(password);
  if (!normalised) return std::nullopt;
  auto phc = password::hash(*normalised, ctx.argon2, ctx.random());
  common::wipe(*normalised);
  if (!phc) return std::nullopt;  // the old hash still works; the next login tries again
  return std::move(*phc);
}

common::Result<void> store_fresh_hash(store::StoreTx& tx, const store::UserRecord& read,
                                      const store::UserRecord& current,
                                      const std::optional<std::string>& fresh_hash,
                                      nlohmann::json& detail) {
  if (!fresh_hash || current.password_hash != read.password_hash) return {};
  auto set = tx.set_password(current.id, *fresh_hash, current.must_change_password);
  if (!set) return set.error();
  detail["password_rehashed"] = true;
  return {};
}

bool is_credential_failure(std::string_view reason) {
  return reason == kUnknownUser || reason == kBadPassword || reason == kBadOtp ||
         reason == kReplayedOtp || reason == kNoActiveToken || reason == kBadKeyResponse ||
         reason == kBadEnrolmentCode || reason == kSeedUndecryptable || reason == kAwaitingKey;
}

std::string_view account_refusal(Context& ctx, const store::UserRecord& user,
                                 std::string_view methods) {
  if (user.locked) return kLocked;
  // Only an active account logs in (account_lifecycle.h), told only after
  // both factors were right so the answer reveals nothing to a guesser.
  if (user.state != "active") {
    return user.state == "closed"      ? kAccountClosed
           : user.state == "suspended" ? kAccountSuspended
                                       : kAccountNotActive;
  }
  if (methods != "pwd hwk" && holds_any(user, ctx.policy().webauthn.required_for_roles)) {
    return kTokenTypeNotAllowed;
  }
  return kOk;
}

common::Result<void> count_failure(const Attempt& attempt, store::StoreTx& tx,
                                   const store::UserRecord* user, std::string_view reason,
                                   nlohmann::json& detail) {
  if (user == nullptr || !is_credential_failure(reason)) return {};
  const store::LoginCounters before{user->failed_logins, user->locked, user->throttle_until};
  const auto after = after_failure(before, attempt.now_s, attempt.ctx.policy().lockout);
  auto set = tx.set_login_counters(user->id, after);
  if (!set) return set.error();
  detail["failures"] = after.failed_logins;
  if (after.locked && !before.locked) detail["locked_now"] = true;
  return {};
}

common::Error refusal(const Attempt& attempt, const store::UserRecord* user,
                      std::string_view reason) {
  Context& ctx = attempt.ctx;
  if (reason == kLocked) return too_many_attempts(ctx.policy().lockout.max_delay);
  if (reason == kAccountClosed) return make_error(Errc::account_closed, "the account is closed");
  if (reason == kAccountSuspended) {
    return make_error(Errc::account_suspended, "the account is suspended");
  }
  if (reason == kAccountNotActive) {
    return make_error(Errc::account_suspended,
                      "the account is not active (" + user->state + "): it was never approved");
  }
  if (reason == kTokenTypeNotAllowed) {
    return make_error(Errc::forbidden,
                      "your role requires a security key: log in with it instead of a code");
  }
  if (reason == kHsmUnavailable) {
    return make_error(Errc::unavailable, "the HSM is unavailable; try again later");
  }
  ctx.address_throttle->record_failure(attempt.address_key, attempt.now_s);
  if (user == nullptr) ctx.unknown_user_throttle->record_failure(attempt.name_key, attempt.now_s);
  return make_error(Errc::invalid_credentials, "the username, password or code is wrong");
}

common::Result<sessions::SessionManager::Created> open_session(const Attempt& attempt,
                                                               store::StoreTx& tx,
                                                               const store::UserRecord& user,
                                                               std::string_view methods) {
  if (user.failed_logins != 0 || user.throttle_until != 0) {
    auto reset = tx.set_login_counters(user.id, store::LoginCounters{});
    if (!reset) return reset.error();
  }
  auto last = tx.set_last_login(user.id, attempt.now_s);
  if (!last) return last.error();
  return attempt.ctx.sessions->create(tx, user, attempt.source_address, attempt.now_s, methods);
}

LoginGrant grant(const Attempt& attempt, sessions::SessionManager::Created created,
                 const store::UserRecord& user) {
  attempt.ctx.sessions->remember(created.record, user);
  LoginGrant out;
  out.session = std::move(created.token);
  out.expires_at = common::from_unix_seconds(created.record.expires_at);
  out.idle_timeout = attempt.ctx.policy().session.idle_timeout;
  out.must_change_password = user.must_change_password;
  return out;
}

}  // namespace core::login
