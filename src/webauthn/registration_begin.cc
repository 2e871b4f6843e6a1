// The first step of registering a security key: a challenge for the user's
// issued key, to a logged-in user or to one proving password + enrolment
// code.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/permissions.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "login/login_flow.h"
#include "login/login_steps.h"
#include "webauthn/ceremony.h"
#include "webauthn/key_registration.h"
#include "webauthn/options.h"
#include "webauthn/pending_key.h"

namespace core::webauthn {
namespace {

using common::Errc;
using common::make_error;

constexpr std::string_view kAction = "webauthn.register.begin";

// What a registration needs to know about the user, read in one go.
struct Enrollee {
  store::UserRecord user;
  std::optional<PendingKey> pending;
  std::vector<store::WebAuthnCredentialRecord> registered;
};

common::Result<Enrollee> read_enrollee(Context& ctx, store::UserRecord user) {
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  Enrollee out;
  auto pending = pending_key(**tx, user.id, ctx.now());
  if (!pending) return pending.error();
  auto registered = (*tx)->webauthn_credentials_of(user.id);
  if (!registered) return registered.error();
  out.user = std::move(user);
  out.pending = std::move(*pending);
  out.registered = std::move(*registered);
  return out;
}

// Stores the ceremony with its audit entry; `draft` describes the success.
common::Result<WebAuthnCeremony> open_ceremony(Context& ctx, const Enrollee& enrollee,
                                               std::string_view source_address,
                                               const audit::Draft& draft) {
  const int64_t now = ctx.now();
  auto ceremony = make_ceremony(ctx, kRegister, enrollee.user.id, enrollee.user.username,
                                enrollee.pending->token.id, source_address, now);
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto inserted = (*tx)->insert_ceremony(ceremony.record);
  if (!inserted) return inserted.error();
  auto logged = audit::append(**tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return WebAuthnCeremony{
      std::move(ceremony.transaction),
      creation_options(ctx, enrollee.user, ceremony.record, enrollee.registered)};
}

common::Result<WebAuthnCeremony> begin_logged_in(Context& ctx, const Principal& live,
                                                 accounts::Refusals& refusals) {
  store::UserRecord user;
  {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = (*tx)->find_user_by_id(live.user_id);
    if (!found) return found.error();
    if (!*found) return make_error(Errc::invalid_session, "the session's account is gone");
    user = std::move(**found);
  }
  if (auto ok = enrolment::may_hold_token(user, refusals); !ok) return ok.error();
  auto enrollee = read_enrollee(ctx, std::move(user));
  if (!enrollee) return enrollee.error();
  if (!enrollee->pending) {
    return refusals.refuse("no_issued_key", Errc::conflict,
                           "no security key is waiting to be registered for you (or its "
                           "enrolment code has expired): ask your user account administrator");
  }
  audit::Draft draft;
  draft.actor = live.username;
  draft.subject = live.username;
  draft.action = std::string(kAction);
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = live.source_address;
  draft.detail =
      nlohmann::json{{"token_id", enrollee->pending->token.id}, {"session", true}}.dump();
  return open_ceremony(ctx, *enrollee, live.source_address, draft);
}

// The reason an enrolment by password and code is refused, kOk otherwise.
// Called only for a user whose password was right.
std::string_view enrolment_refusal(const Enrollee& enrollee, std::string_view code) {
  const std::string given = common::sha256_hex(code);
  const bool pending = enrollee.pending.has_value();
  // Compared whether or not a key is pending, so the work is the same.
  const bool code_ok =
      common::constant_time_equal(given, pending ? enrollee.pending->enrolment.code_hash
                                                 : common::sha256_hex("no pending key"));
  if (!pending || !code_ok) return login::kBadEnrolmentCode;
  const auto& user = enrollee.user;
  if (user.locked) return login::kLocked;
  accounts::Refusals ignored;
  if (!enrolment::may_hold_token(user, ignored)) {
    return user.state == "closed"      ? login::kAccountClosed
           : user.state == "suspended" ? login::kAccountSuspended
                                       : login::kAccountNotActive;
  }
  return login::kOk;
}

}  // namespace

common::Result<WebAuthnCeremony> begin_registration(Context& ctx, const Principal& who) {
  auto live = accounts::require_full_rights(ctx, who, kAction);
  if (!live) return live.error();
  accounts::Refusals refusals;
  return refusals.audited(ctx, *live, kAction, live->username,
                          begin_logged_in(ctx, *live, refusals));
}

common::Result<WebAuthnCeremony> begin_registration(Context& ctx,
                                                    const KeyEnrolmentRequest& request) {
  const login::Attempt attempt(ctx, request.username, request.source_address);
  auto user = login::find_account(attempt);
  if (!user) return user.error();
  if (auto refused = login::throttled(attempt, *user, kAction)) return *refused;
  const bool password_ok = login::password_matches(ctx, request.password, *user);

  std::optional<Enrollee> enrollee;
  if (*user) {
    auto read = read_enrollee(ctx, **user);
    if (!read) return read.error();
    enrollee = std::move(*read);
  }
  const std::string_view reason = !enrollee ? login::kUnknownUser
                                  : !password_ok
                                      ? login::kBadPassword
                                      : enrolment_refusal(*enrollee, request.enrolment_code);

  nlohmann::json detail = nlohmann::json::object();
  if (reason == login::kOk) {
    detail["token_id"] = enrollee->pending->token.id;
    return open_ceremony(ctx, *enrollee, request.source_address,
                         attempt.draft(kAction, reason, true, detail));
  }
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  // The counters as they are now, not as read before the slow hash.
  std::optional<store::UserRecord> fresh;
  if (enrollee) {
    auto reread = (*tx)->find_user_by_id(enrollee->user.id);
    if (!reread) return reread.error();
    fresh = std::move(*reread);
  }
  const store::UserRecord* known = fresh ? &*fresh : nullptr;
  auto counted = login::count_failure(attempt, **tx, known, reason, detail);
  if (!counted) return counted.error();
  auto logged = audit::append(**tx, attempt.now, attempt.draft(kAction, reason, false, detail));
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return login::refusal(attempt, known, reason);
}

}  // namespace core::webauthn
