// The second step of a security-key login: the assertion against the
// user's stored key, the counter moved by compare-and-set, and a session.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "login/login_flow.h"
#include "login/login_steps.h"
#include "tokens/webauthn.h"
#include "webauthn/ceremony.h"
#include "webauthn/clone_alert.h"
#include "webauthn/key_login.h"
#include "webauthn/options.h"
#include "webauthn/usable_keys.h"

namespace core::webauthn {
namespace {

using common::Errc;
using common::make_error;
namespace wa = tokens::webauthn;

constexpr std::string_view kAction = "login";

common::Error invalid_credentials() {
  return make_error(Errc::invalid_credentials, "the username, password or security key is wrong");
}

// What verification found, before anything is written.
struct Checked {
  std::string_view reason = login::kOk;
  nlohmann::json detail = nlohmann::json::object();
  std::optional<store::WebAuthnCredentialRecord> key;
  wa::VerifiedAssertion verified;
  uint32_t presented_count = 0;  // for a suspected clone
};

common::Result<Checked> check_assertion(Context& ctx, const store::CeremonyRecord& ceremony,
                                        int64_t user_id, std::string_view credential_json,
                                        int64_t now) {
  Checked out;
  auto refuse = [&](wa::Refusal why) {
    out.reason =
        why == wa::Refusal::counter_regressed ? login::kCloneSuspected : login::kBadKeyResponse;
    out.detail["refusal"] = wa::refusal_name(why);
    return common::Result<Checked>(std::move(out));
  };
  auto response = wa::parse_assertion_response(credential_json);
  if (!response) return refuse(response.refusal());
  std::vector<store::WebAuthnCredentialRecord> keys;
  {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = usable_keys(**tx, user_id, now);
    if (!found) return found.error();
    keys = std::move(*found);
  }
  auto key = std::find_if(keys.begin(), keys.end(),
                          [&](const auto& k) { return k.credential_id == response->raw_id; });
  if (key == keys.end()) return refuse(wa::Refusal::unknown_credential);
  out.detail["token_id"] = key->token_id;
  wa::StoredCredential stored{key->credential_id, key->algorithm, key->public_key,
                              static_cast<uint32_t>(key->sign_count)};
  auto verdict = wa::verify_assertion(*response, stored, assertion_expectation(ctx, ceremony));
  out.key = std::move(*key);
  if (!verdict) {
    if (verdict.refusal() == wa::Refusal::counter_regressed) {
      out.presented_count = wa::presented_sign_count(*response).value_or(0);
    }
    return refuse(verdict.refusal());
  }
  out.verified = *verdict;
  return out;
}

}  // namespace

common::Result<LoginGrant> finish_login(Context& ctx, std::string_view transaction,
                                        std::string_view credential_json,
                                        std::string_view source_address) {
  auto ceremony = take_ceremony(ctx, transaction, kLogin);
  if (!ceremony) return ceremony.error();
  const login::Attempt attempt(ctx, *ceremony ? (*ceremony)->username : "", source_address);
  if (!*ceremony) {
    auto tx = ctx.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    auto logged = audit::append(**tx, attempt.now,
                                attempt.draft(kAction, login::kUnknownCeremony, false, {}));
    if (!logged) return logged.error();
    auto committed = (*tx)->commit();
    if (!committed) return committed.error();
    ctx.address_throttle->record_failure(attempt.address_key, attempt.now_s);
    return invalid_credentials();
  }
  auto user = login::find_account(attempt);
  if (!user) return user.error();
  if (auto refused =
          login::throttled(attempt, *user, kAction, login::AccountBackoff::kFirstStepChecked)) {
    return *refused;
  }

  const bool decoy = !(*ceremony)->user_id || !*user || (*user)->id != *(*ceremony)->user_id;
  Checked checked;
  if (decoy) {
    // A wrong password's ceremony listed the user's real keys: do the same
    // work against them as a real finish would, so that timing does not tell
    // the two apart, and refuse whatever it finds.
    if (*user) {
      auto spent = check_assertion(ctx, **ceremony, (*user)->id, credential_json, attempt.now_s);
      if (!spent) return spent.error();
    }
    checked.reason = login::kDecoyCeremony;
  } else {
    auto result = check_assertion(ctx, **ceremony, (*user)->id, credential_json, attempt.now_s);
    if (!result) return result.error();
    checked = std::move(*result);
  }

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  std::optional<store::UserRecord> fresh;
  if (*user) {
    auto reread = (*tx)->find_user_by_id((*user)->id);
    if (!reread) return reread.error();
    fresh = std::move(*reread);
  }
  std::string_view reason = !decoy && !fresh ? login::kUnknownUser : checked.reason;
  auto& detail = checked.detail;
  if (reason == login::kOk) {
    auto moved = (*tx)->advance_sign_count(checked.key->token_id, checked.key->sign_count,
                                           checked.verified.sign_count, attempt.now_s);
    if (!moved) return moved.error();
    if (!*moved) {
      // Another login with the same key moved the counter first.
      reason = login::kBadKeyResponse;
      detail["refusal"] = "concurrent_use";
    }
  }
  if (reason == login::kOk) reason = login::account_refusal(ctx, *fresh, "pwd hwk");

  std::optional<sessions::SessionManager::Created> created;
  if (reason == login::kOk) {
    auto made = login::open_session(attempt, **tx, *fresh, "pwd hwk");
    if (!made) return made.error();
    created = std::move(*made);
    detail["methods"] = "pwd hwk";
    detail["user_verified"] = checked.verified.user_verified;
  } else if (reason == login::kCloneSuspected) {
    auto reported = report_suspected_clone(ctx, **tx, *fresh, *checked.key, checked.presented_count,
                                           attempt.source_address, attempt.now_s);
    if (!reported) return reported.error();
  }
  // No failure is counted against the account here: its first step already
  // was, real or decoy alike.
  auto logged = audit::append(**tx, attempt.now,
                              attempt.draft(kAction, reason, reason == login::kOk, detail));
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();

  if (reason == login::kOk) {
    // The address failure the first step counted was this login's own.
    ctx.address_throttle->withdraw_failure(attempt.address_key);
    return login::grant(attempt, std::move(*created), *fresh);
  }
  if (reason == login::kDecoyCeremony || reason == login::kCloneSuspected ||
      login::is_credential_failure(reason)) {
    // Counted against the account at the first step; only the address
    // moves, the same for a real ceremony as for a decoy.
    ctx.address_throttle->record_failure(attempt.address_key, attempt.now_s);
    return invalid_credentials();
  }
  return login::refusal(attempt, fresh ? &*fresh : nullptr, reason);
}

}  // namespace core::webauthn
