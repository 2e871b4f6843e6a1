#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/permissions.h"
#include "accounts/scope.h"
#include "accounts/validation.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "enrolment/totp_secret.h"
#include "tokens/qr.h"
#include "tokens/totp.h"

namespace core::enrolment {

using common::Errc;
using common::make_error;

namespace {

// An issue refused because the HSM failed is on record too (the store may
// still work); if it does not, the refusal stands all the same.
void audit_hsm_failure(Context& ctx, const Principal& admin, std::string_view username) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return;
  audit::Draft draft;
  draft.actor = admin.username;
  draft.subject = accounts::valid_username(username) ? std::string(username) : "-";
  draft.action = "token.issue";
  draft.outcome = audit::kFailure;
  draft.reason = "hsm_unavailable";
  draft.source_address = admin.source_address;
  if (audit::append(**tx, ctx.config.clock->now(), draft)) (void)(*tx)->commit();
}

}  // namespace

std::string new_token_id(common::Random& random) {
  return "tok_" + common::to_hex(random.bytes(16));
}

tokens::TotpParams totp_params(const policy::TotpPolicy& policy) {
  tokens::TotpParams params;
  auto algorithm = tokens::parse_totp_algorithm(policy.algorithm);
  // The policy loader has validated the name; SHA1 is the RFC 6238 default.
  params.algorithm = algorithm ? *algorithm : tokens::TotpAlgorithm::sha1;
  params.digits = policy.digits;
  params.period = std::chrono::seconds(policy.period_seconds);
  return params;
}

common::Result<PreparedToken> prepare_totp_token(Context& ctx, bool active) {
  const int64_t now = ctx.now();
  PreparedToken out;
  out.seed =
      common::SecretBytes(tokens::new_totp_secret(ctx.random(), ctx.policy().totp.secret_bytes));
  auto& r = out.record;
  r.id = new_token_id(ctx.random());
  r.type = "totp";
  r.state = active ? "active" : "issued";
  r.issued_at = now;
  r.state_changed_at = now;
  if (active) r.activated_at = now;
  auto sealed = ctx.vault->seal(r.id, out.seed);
  if (!sealed) return sealed.error();
  r.sealed_secret = std::move(sealed->blob);
  r.secret_key = std::move(sealed->key_id);
  return out;
}

common::Result<NewToken> add_totp_token(Context& ctx, store::StoreTx& tx,
                                        const store::UserRecord& user, PreparedToken prepared,
                                        const std::string& actor,
                                        const std::string& source_address) {
  const int64_t now = prepared.record.issued_at;
  const bool active = prepared.record.state == "active";
  NewToken out;
  out.record = std::move(prepared.record);
  auto& r = out.record;
  r.user_id = user.id;
  auto inserted = tx.insert_token(r);
  if (!inserted) return inserted.error();

  audit::Draft draft;
  draft.actor = actor;
  draft.subject = user.username;
  draft.action = "token.issue";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = source_address;
  draft.detail = nlohmann::json{{"token_id", r.id}, {"type", r.type}}.dump();
  auto logged = audit::append(tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  if (active) {
    draft.action = "token.activate";
    draft.detail = nlohmann::json{{"token_id", r.id}, {"bootstrap", true}}.dump();
    logged = audit::append(tx, common::from_unix_seconds(now), draft);
    if (!logged) return logged.error();
  }
  out.otpauth_uri =
      tokens::otpauth_uri(ctx.policy().totp.issuer, user.username, prepared.seed.view(), ctx.totp);
  return out;
}

// Tokens go to active accounts (4.33), and to an account suspended for a
// lost token or a compromised password: the replacement that must come
// before reactivation (2.6).
common::Result<void> may_hold_token(const store::UserRecord& user, accounts::Refusals& refusals) {
  if (user.state == "active") return {};
  const std::string reason = user.last_change ? user.last_change->reason : "";
  if (user.state == "suspended" && (reason == "token_lost" || reason == "password_compromised")) {
    return {};
  }
  return refusals.refuse("account_not_active", Errc::conflict,
                         "the account is " + user.state +
                             "; tokens are issued only to active accounts (or to replace a lost "
                             "token before reactivation)");
}

namespace {

common::Result<IssuedTotp> record_token(Context& ctx, const Principal& admin,
                                        std::string_view username, PreparedToken prepared,
                                        accounts::Refusals& refusals) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = accounts::find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  if (auto ok = may_hold_token(target->user, refusals); !ok) return ok.error();
  auto token = add_totp_token(ctx, **tx, target->user, std::move(prepared), admin.username,
                              admin.source_address);
  if (!token) return token.error();
  IssuedTotp issued;
  issued.token_id = token->record.id;
  issued.otpauth_uri = std::move(token->otpauth_uri);
  // Drawn before commit: if it fails, no token exists that nobody could enrol.
  auto svg = tokens::qr_svg(issued.otpauth_uri);
  if (!svg) {
    common::wipe(issued.otpauth_uri);
    return svg.error();
  }
  issued.qr_svg = std::move(*svg);
  auto committed = (*tx)->commit();
  if (!committed) {
    common::wipe(issued.otpauth_uri);
    return committed.error();
  }
  return issued;
}

}  // namespace

common::Result<IssuedTotp> issue_token(Context& ctx, const Principal& who,
                                       std::string_view username, std::string_view type) {
  auto admin = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::token_issue,
                                            "token.issue");
  if (!admin) return admin.error();
  if (type != "totp") {
    return make_error(Errc::bad_request, "type must be \"totp\" or \"fido2\"", "type");
  }
  if (!accounts::valid_username(username)) return make_error(Errc::not_found, "no such user");

  auto prepared = prepare_totp_token(ctx, /*active=*/false);
  if (!prepared) {
    audit_hsm_failure(ctx, *admin, username);
    return prepared.error();
  }
  accounts::Refusals refusals;
  return refusals.audited(ctx, *admin, "token.issue", accounts::subject_of(username),
                          record_token(ctx, *admin, username, std::move(*prepared), refusals));
}

}  // namespace core::enrolment
