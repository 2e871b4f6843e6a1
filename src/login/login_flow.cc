#include "login/login_flow.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "accounts/validation.h"
#include "audit/audit_log.h"
#include "enrolment/totp_secret.h"
#include "login/backoff.h"
#include "login/refusal_sampler.h"
#include "login/totp_check.h"

namespace core::login {
namespace {

using common::Errc;
using common::make_error;

// Nominated or rejected: never approved (audit reason; the caller gets the
// account_suspended code with a message saying so).
constexpr const char* kAccountNotActive = "account_not_active";

common::Error invalid_credentials() {
  return make_error(Errc::invalid_credentials, "the username, password or code is wrong");
}

common::Error too_many_attempts(std::chrono::seconds wait) {
  auto error = make_error(Errc::too_many_attempts, "too many failed attempts; try again later");
  error.retry_after = std::max(wait, std::chrono::seconds(1));
  return error;
}

bool is_credential_failure(std::string_view reason) {
  return reason == kUnknownUser || reason == kBadPassword || reason == kBadOtp ||
         reason == kReplayedOtp || reason == kNoActiveToken;
}

// What the read phase found out.
struct Account {
  std::optional<store::UserRecord> user;
  std::vector<store::TokenRecord> active_tokens;
};

class LoginAttempt {
 public:
  LoginAttempt(Context& ctx, const LoginRequest& request)
      : ctx_(ctx),
        request_(request),
        now_(ctx.config.clock->now()),
        now_s_(common::unix_seconds(now_)),
        valid_name_(accounts::valid_username(request.username)),
        // Unknown names are throttled by hash: no attempted text (perhaps a
        // password typed in the wrong box) is kept in memory.
        name_key_(common::sha256_hex(request.username)) {}

  common::Result<LoginGrant> run();

 private:
  common::Result<Account> read_account();
  std::optional<common::Error> throttled(const Account& account);
  bool password_matches(const Account& account);
  const char* check_otp(const Account& account, std::optional<size_t>& token, OtpCheck& match);
  common::Result<LoginGrant> finish(const Account& account, std::string_view reason,
                                    std::optional<size_t> token, const OtpCheck& match);
  common::Result<void> audit_refusal(std::string_view reason, nlohmann::json detail);
  audit::Draft draft(std::string_view reason, bool success, nlohmann::json detail) const;

  Context& ctx_;
  const LoginRequest& request_;
  const common::TimePoint now_;
  const int64_t now_s_;
  const bool valid_name_;
  const std::string name_key_;
};

audit::Draft LoginAttempt::draft(std::string_view reason, bool success,
                                 nlohmann::json detail) const {
  audit::Draft d;
  d.actor = success ? request_.username : "-";
  d.subject = valid_name_ ? request_.username : "-";
  d.action = "login";
  d.outcome = success ? audit::kSuccess : audit::kFailure;
  d.reason = std::string(reason);
  d.source_address = request_.source_address;
  if (!valid_name_) detail["username_malformed"] = true;
  d.detail = detail.is_null() ? "{}" : detail.dump();
  return d;
}

common::Result<void> LoginAttempt::audit_refusal(std::string_view reason, nlohmann::json detail) {
  auto tx = ctx_.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto logged = audit::append(**tx, now_, draft(reason, false, std::move(detail)));
  if (!logged) return logged.error();
  return (*tx)->commit();
}

common::Result<Account> LoginAttempt::read_account() {
  Account account;
  if (!valid_name_) return account;
  auto tx = ctx_.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto user = (*tx)->find_user(request_.username);
  if (!user) return user.error();
  if (!*user) return account;
  auto tokens = (*tx)->tokens_of((*user)->id);
  if (!tokens) return tokens.error();
  for (auto& token : *tokens) {
    // Only an active token authenticates (tokens/lifecycle.h); a temporary
    // replacement stops at its expiry even before the sweep revokes it.
    const bool expired = token.temporary && token.expires_at && *token.expires_at <= now_s_;
    if (token.state == "active" && token.type == "totp" && !expired) {
      account.active_tokens.push_back(std::move(token));
    }
  }
  account.user = std::move(*user);
  return account;
}

std::optional<common::Error> LoginAttempt::throttled(const Account& account) {
  const auto& lockout = ctx_.policy().lockout;
  const char* reason = nullptr;
  std::chrono::seconds wait{0};
  nlohmann::json detail;
  if (auto by_address = ctx_.address_throttle->retry_after(request_.source_address, now_s_)) {
    reason = kThrottled;
    wait = *by_address;
    detail["scope"] = "address";
  } else if (account.user && account.user->locked) {
    reason = kLocked;
    wait = lockout.max_delay;
  } else if (account.user && account.user->throttle_until > now_s_) {
    reason = kThrottled;
    wait = std::chrono::seconds(account.user->throttle_until - now_s_);
    detail["scope"] = "account";
  } else if (!account.user) {
    // An unknown name answers exactly as an account would: throttled, and
    // at the lock threshold refused at the longest delay.
    if (ctx_.unknown_user_throttle->failures(name_key_) >=
        static_cast<int64_t>(lockout.lock_after_failures)) {
      reason = kThrottled;
      wait = lockout.max_delay;
    } else if (auto by_name = ctx_.unknown_user_throttle->retry_after(name_key_, now_s_)) {
      reason = kThrottled;
      wait = *by_name;
    }
    if (reason != nullptr) detail["scope"] = "unknown_user";
  }
  if (reason == nullptr) return std::nullopt;
  detail["retry_after"] = wait.count();
  const std::string key = std::string(reason) + '|' + name_key_ + '|' + request_.source_address;
  if (auto folded = ctx_.refusal_sampler->admit(key, now_s_)) {
    if (*folded > 0) detail["suppressed"] = *folded;
    auto logged = audit_refusal(reason, std::move(detail));
    if (!logged) return logged.error();
  }
  return too_many_attempts(wait);
}

bool LoginAttempt::password_matches(const Account& account) {
  auto normalised = password::normalise(request_.password);
  const std::string& phc =
      account.user ? account.user->password_hash : password::dummy_hash(ctx_.argon2);
  // Malformed input still costs a full verification, and never matches.
  const bool matches =
      password::verify(normalised ? std::string_view(*normalised) : std::string_view("\x01"),
                       phc) &&
      normalised.ok();
  if (normalised) common::wipe(*normalised);
  return matches && account.user.has_value();
}

const char* LoginAttempt::check_otp(const Account& account, std::optional<size_t>& token,
                                    OtpCheck& match) {
  const uint32_t window = ctx_.policy().totp.window_steps;
  if (account.active_tokens.empty()) {
    auto dummy = ctx_.vault->open(kDummySeedAad, ctx_.dummy_sealed_seed);
    if (!dummy) return kHsmUnavailable;
    (void)check_totp(*dummy, request_.otp, now_, ctx_.totp, window, -1);
    return kNoActiveToken;
  }
  bool replayed = false;
  bool undecryptable = false;
  for (size_t i = 0; i < account.active_tokens.size(); ++i) {
    const auto& t = account.active_tokens[i];
    auto seed = ctx_.vault->open(t);
    if (!seed) {
      if (seed.error().code == Errc::unavailable) return kHsmUnavailable;
      undecryptable = true;
      continue;
    }
    // Centred on the token's remembered offset (drift), see totp_check.h.
    const OtpCheck c =
        check_totp(*seed, request_.otp, now_, ctx_.totp, window, t.last_step, t.drift_offset);
    if (c.outcome == OtpOutcome::accepted && !token) {
      token = i;
      match = c;
    }
    replayed = replayed || c.outcome == OtpOutcome::replayed;
  }
  if (token) return kOk;
  if (replayed) return kReplayedOtp;
  return undecryptable ? kSeedUndecryptable : kBadOtp;
}

common::Result<LoginGrant> LoginAttempt::run() {
  auto account = read_account();
  if (!account) return account.error();
  if (auto refusal = throttled(*account)) return *refusal;

  const bool password_ok = password_matches(*account);
  std::optional<size_t> token;
  OtpCheck match;
  const char* otp_reason = check_otp(*account, token, match);

  // An HSM fault outranks everything: the answer must not depend on which
  // credential was wrong.
  const std::string_view reason = otp_reason == kHsmUnavailable ? kHsmUnavailable
                                  : !account->user              ? kUnknownUser
                                  : !password_ok                ? kBadPassword
                                                                : otp_reason;
  return finish(*account, reason, token, match);
}

common::Result<LoginGrant> LoginAttempt::finish(const Account& account, std::string_view reason,
                                                std::optional<size_t> token,
                                                const OtpCheck& match) {
  auto tx = ctx_.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  std::optional<store::UserRecord> user;
  if (account.user) {
    auto fresh = (*tx)->find_user_by_id(account.user->id);
    if (!fresh) return fresh.error();
    user = std::move(*fresh);
    if (!user) reason = kUnknownUser;  // removed meanwhile
  }
  if (reason == kOk) {
    const auto& t = account.active_tokens[*token];
    auto taken = (*tx)->accept_step(t.id, match.step, match.offset);
    if (!taken) return taken.error();
    if (!*taken) reason = kReplayedOtp;  // another request used this code first
  }
  if (reason == kOk && user->locked) reason = kLocked;
  // Only an active account logs in (account_lifecycle.h), told only after
  // both factors were right so the answer reveals nothing to a guesser.
  if (reason == kOk && user->state != "active") {
    reason = user->state == "closed"      ? kAccountClosed
             : user->state == "suspended" ? kAccountSuspended
                                          : kAccountNotActive;
  }

  nlohmann::json detail = nlohmann::json::object();
  std::optional<sessions::SessionManager::Created> created;
  if (reason == kOk) {
    if (user->failed_logins != 0 || user->throttle_until != 0) {
      auto reset = (*tx)->set_login_counters(user->id, store::LoginCounters{});
      if (!reset) return reset.error();
    }
    auto last = (*tx)->set_last_login(user->id, now_s_);
    if (!last) return last.error();
    auto made = ctx_.sessions->create(**tx, *user, request_.source_address, now_s_);
    if (!made) return made.error();
    created = std::move(*made);
    detail["token_id"] = account.active_tokens[*token].id;
  } else if (is_credential_failure(reason) && user) {
    const store::LoginCounters before{user->failed_logins, user->locked, user->throttle_until};
    const auto after = after_failure(before, now_s_, ctx_.policy().lockout);
    auto set = (*tx)->set_login_counters(user->id, after);
    if (!set) return set.error();
    detail["failures"] = after.failed_logins;
    if (after.locked && !before.locked) detail["locked_now"] = true;
  }
  auto logged = audit::append(**tx, now_, draft(reason, reason == kOk, std::move(detail)));
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();

  if (reason == kOk) {
    ctx_.sessions->remember(created->record, *user);
    ctx_.address_throttle->record_success(request_.source_address);
    LoginGrant grant;
    grant.session = std::move(created->token);
    grant.expires_at = common::from_unix_seconds(created->record.expires_at);
    grant.idle_timeout = ctx_.policy().session.idle_timeout;
    grant.must_change_password = user->must_change_password;
    return grant;
  }
  if (reason == kLocked) return too_many_attempts(ctx_.policy().lockout.max_delay);
  if (reason == kAccountClosed) {
    return make_error(Errc::account_closed, "the account is closed");
  }
  if (reason == kAccountSuspended) {
    return make_error(Errc::account_suspended, "the account is suspended");
  }
  if (reason == kAccountNotActive) {
    return make_error(Errc::account_suspended,
                      "the account is not active (" + user->state + "): it was never approved");
  }
  if (reason == kHsmUnavailable) {
    return make_error(Errc::unavailable, "the HSM is unavailable; try again later");
  }
  if (reason == kSeedUndecryptable) {
    return make_error(Errc::internal, "a stored TOTP secret cannot be read");
  }
  ctx_.address_throttle->record_failure(request_.source_address, now_s_);
  if (!user) ctx_.unknown_user_throttle->record_failure(name_key_, now_s_);
  return invalid_credentials();
}

}  // namespace

common::Result<LoginGrant> login(Context& ctx, const LoginRequest& request) {
  return LoginAttempt(ctx, request).run();
}

}  // namespace core::login
