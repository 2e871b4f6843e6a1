// The second step of registering a security key: verify what the browser
// sent against the ceremony and the policy, then bind the key to the issued
// token and activate it, all in one transaction with the audit entry.
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/admin_action.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "tokens/webauthn.h"
#include "webauthn/ceremony.h"
#include "webauthn/key_registration.h"
#include "webauthn/options.h"

namespace core::webauthn {
namespace {

using common::Errc;
using common::make_error;
namespace wa = tokens::webauthn;

constexpr std::string_view kAction = "webauthn.register.finish";

common::Error refused_response() {
  return make_error(Errc::bad_request,
                    "the security key's response was refused; start the registration again",
                    "credential");
}

// The caller as the audit trail names it: the session's user, or the
// enrolling holder who proved password and code at begin.
Principal actor_of(const Principal* who, const store::CeremonyRecord& ceremony,
                   std::string_view source_address) {
  if (who != nullptr) return *who;
  Principal holder;
  holder.user_id = ceremony.user_id.value_or(0);
  holder.username = ceremony.username;
  holder.source_address = std::string(source_address);
  return holder;
}

store::WebAuthnCredentialRecord record_of(const wa::RegisteredCredential& key,
                                          const std::string& token_id, int64_t now) {
  store::WebAuthnCredentialRecord r;
  r.token_id = token_id;
  r.credential_id = key.credential_id;
  r.algorithm = key.algorithm;
  r.public_key = key.public_key;
  r.sign_count = key.sign_count;
  r.aaguid = wa::aaguid_string(key.aaguid);
  r.format = key.format;
  r.attestation_trust = key.attestation_trust;
  r.transports = key.transports;
  r.created_at = now;
  return r;
}

common::Result<TokenView> bind_key(Context& ctx, const Principal& actor,
                                   const store::CeremonyRecord& ceremony,
                                   const wa::RegisteredCredential& key,
                                   accounts::Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto user = (*tx)->find_user_by_id(*ceremony.user_id);
  if (!user) return user.error();
  auto token = (*tx)->find_token(ceremony.token_id);
  if (!token) return token.error();
  auto enrolment = (*tx)->find_enrolment(ceremony.token_id);
  if (!enrolment) return enrolment.error();
  // Revoked, or registered by a parallel ceremony, since begin.
  if (!*user || !*token || (*token)->state != "issued" || !*enrolment || (*enrolment)->used_at ||
      (*enrolment)->expires_at <= now) {
    return refusals.refuse("key_no_longer_issued", Errc::conflict,
                           "the security key is no longer waiting to be registered");
  }
  if (auto ok = enrolment::may_hold_token(**user, refusals); !ok) return ok.error();
  auto room = enrolment::make_room(ctx, **tx, actor, **token, (*user)->username, now, refusals);
  if (!room) return room.error();
  auto inserted = (*tx)->insert_webauthn_credential(record_of(key, (*token)->id, now));
  if (!inserted) {
    if (inserted.error().code != Errc::conflict) return inserted.error();
    return refusals.refuse("credential_exists", Errc::conflict,
                           "this security key is already registered");
  }
  // The TOTP step columns mean nothing for a key; step 0 just satisfies the
  // store's "later than the last step" rule for activation.
  auto activated = (*tx)->activate_token((*token)->id, 0, 0, now);
  if (!activated) return activated.error();
  auto used = (*tx)->use_enrolment((*token)->id, now);
  if (!used) return used.error();
  if (!*activated || !*used) {
    return refusals.refuse("key_no_longer_issued", Errc::conflict,
                           "the security key is no longer waiting to be registered");
  }
  auto logged = accounts::audit_success(**tx, actor, "token.activate", (*user)->username, "ok",
                                        nlohmann::json{{"token_id", (*token)->id},
                                                       {"type", "fido2"},
                                                       {"aaguid", wa::aaguid_string(key.aaguid)},
                                                       {"format", key.format},
                                                       {"attestation_trust", key.attestation_trust},
                                                       {"algorithm", key.algorithm},
                                                       {"user_verified", key.user_verified}},
                                        now);
  if (!logged) return logged.error();
  auto fresh = (*tx)->find_token((*token)->id);
  if (!fresh) return fresh.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return accounts::token_view(**fresh);
}

}  // namespace

common::Result<TokenView> finish_registration(Context& ctx, const Principal* who,
                                              std::string_view transaction,
                                              std::string_view credential_json,
                                              std::string_view source_address) {
  Principal anonymous;
  // assign(), not = "-": GCC 12 with the sanitizers reports a false
  // -Wrestrict on the literal assignment here.
  anonymous.username.assign(1, '-');
  anonymous.source_address = std::string(source_address);
  const Principal& caller = who != nullptr ? *who : anonymous;

  auto ceremony = take_ceremony(ctx, transaction, kRegister);
  if (!ceremony) return ceremony.error();
  if (!*ceremony || !(*ceremony)->user_id ||
      (who != nullptr && who->user_id != *(*ceremony)->user_id)) {
    accounts::audit_refusal(ctx, caller, kAction, "-", "unknown_ceremony");
    return make_error(Errc::invalid_credentials,
                      "the registration is unknown, was already used or has expired");
  }
  const Principal actor = actor_of(who, **ceremony, source_address);
  auto response = wa::parse_registration_response(credential_json);
  auto verdict = response
                     ? wa::verify_registration(*response, registration_expectation(ctx, **ceremony))
                     : wa::Verdict<wa::RegisteredCredential>(response.refusal());
  if (!verdict) {
    accounts::audit_refusal(ctx, actor, kAction, (*ceremony)->username, "bad_key_response",
                            nlohmann::json{{"refusal", wa::refusal_name(verdict.refusal())},
                                           {"token_id", (*ceremony)->token_id}});
    return refused_response();
  }
  accounts::Refusals refusals;
  return refusals.audited(ctx, actor, kAction, (*ceremony)->username,
                          bind_key(ctx, actor, **ceremony, *verdict, refusals));
}

}  // namespace core::webauthn
