#include "login/login_flow.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "enrolment/totp_secret.h"
#include "login/login_steps.h"
#include "login/totp_check.h"

namespace core::login {
namespace {

using common::Errc;

// What the read phase found out.
struct Account {
  std::optional<store::UserRecord> user;
  std::vector<store::TokenRecord> active_tokens;
};

class LoginAttempt {
 public:
  LoginAttempt(Context& ctx, const LoginRequest& request)
      : attempt_(ctx, request.username, request.source_address), request_(request) {}

  common::Result<LoginGrant> run();

 private:
  common::Result<Account> read_account();
  const char* check_otp(const Account& account, std::optional<size_t>& token, OtpCheck& match);
  common::Result<LoginGrant> finish(const Account& account, std::string_view reason,
                                    std::optional<size_t> token, const OtpCheck& match,
                                    const std::optional<std::string>& fresh_hash);

  Attempt attempt_;
  const LoginRequest& request_;
};

common::Result<Account> LoginAttempt::read_account() {
  Account account;
  auto user = find_account(attempt_);
  if (!user) return user.error();
  if (!*user) return account;
  auto tx = attempt_.ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto tokens = (*tx)->tokens_of((*user)->id);
  if (!tokens) return tokens.error();
  for (auto& token : *tokens) {
    // Only an active token authenticates (tokens/lifecycle.h); a temporary
    // replacement stops at its expiry even before the sweep revokes it.
    const bool expired = token.temporary && token.expires_at && *token.expires_at <= attempt_.now_s;
    if (token.state == "active" && token.type == "totp" && !expired) {
      account.active_tokens.push_back(std::move(token));
    }
  }
  account.user = std::move(*user);
  return account;
}

const char* LoginAttempt::check_otp(const Account& account, std::optional<size_t>& token,
                                    OtpCheck& match) {
  Context& ctx = attempt_.ctx;
  const uint32_t window = ctx.policy().totp.window_steps;
  if (account.active_tokens.empty()) {
    auto dummy = ctx.vault->open(kDummySeedAad, ctx.dummy_sealed_seed);
    if (!dummy) return kHsmUnavailable;
    (void)check_totp(*dummy, request_.otp, attempt_.now, ctx.totp, window, -1);
    return kNoActiveToken;
  }
  bool replayed = false;
  bool undecryptable = false;
  for (size_t i = 0; i < account.active_tokens.size(); ++i) {
    const auto& t = account.active_tokens[i];
    auto seed = ctx.vault->open(t);
    if (!seed) {
      if (seed.error().code == Errc::unavailable) return kHsmUnavailable;
      undecryptable = true;
      continue;
    }
    // Centred on the token's remembered offset (drift), see totp_check.h.
    const OtpCheck c = check_totp(*seed, request_.otp, attempt_.now, ctx.totp, window, t.last_step,
                                  t.drift_offset);
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
  if (auto refused = throttled(attempt_, account->user, "login")) return *refused;

  const bool password_ok = password_matches(attempt_.ctx, request_.password, account->user);
  std::optional<size_t> token;
  OtpCheck match;
  const char* otp_reason = check_otp(*account, token, match);

  // An HSM fault outranks everything: the answer must not depend on which
  // credential was wrong.
  const std::string_view reason = otp_reason == kHsmUnavailable ? kHsmUnavailable
                                  : !account->user              ? kUnknownUser
                                  : !password_ok                ? kBadPassword
                                                                : otp_reason;
  const auto fresh_hash = reason == kOk
                              ? fresh_hash_if_stale(attempt_.ctx, request_.password, *account->user)
                              : std::nullopt;
  return finish(*account, reason, token, match, fresh_hash);
}

common::Result<LoginGrant> LoginAttempt::finish(const Account& account, std::string_view reason,
                                                std::optional<size_t> token, const OtpCheck& match,
                                                const std::optional<std::string>& fresh_hash) {
  auto tx = attempt_.ctx.store->begin(store::Store::Mode::write);
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
  if (reason == kOk) reason = account_refusal(attempt_.ctx, *user, "pwd otp");

  nlohmann::json detail = nlohmann::json::object();
  std::optional<sessions::SessionManager::Created> created;
  if (reason == kOk) {
    auto made = open_session(attempt_, **tx, *user, "pwd otp");
    if (!made) return made.error();
    created = std::move(*made);
    auto rehashed = store_fresh_hash(**tx, *account.user, *user, fresh_hash, detail);
    if (!rehashed) return rehashed.error();
    detail["token_id"] = account.active_tokens[*token].id;
    detail["methods"] = "pwd otp";
  } else {
    auto counted = count_failure(attempt_, **tx, user ? &*user : nullptr, reason, detail);
    if (!counted) return counted.error();
  }
  auto logged =
      audit::append(**tx, attempt_.now, attempt_.draft("login", reason, reason == kOk, detail));
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();

  if (reason == kOk) return grant(attempt_, std::move(*created), *user);
  return refusal(attempt_, user ? &*user : nullptr, reason);
}

}  // namespace

common::Result<LoginGrant> login(Context& ctx, const LoginRequest& request) {
  return LoginAttempt(ctx, request).run();
}

}  // namespace core::login
