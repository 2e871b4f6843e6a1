// The first step of a security-key login: throttles and the password, then
// the options. What they list depends on the username alone (the user's keys
// when it has any, a stable decoy otherwise), never on the password: a
// different answer for the right password would let anyone test passwords
// without the key.
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "login/login_flow.h"
#include "login/login_steps.h"
#include "webauthn/ceremony.h"
#include "webauthn/key_login.h"
#include "webauthn/options.h"
#include "webauthn/usable_keys.h"

namespace core::webauthn {
namespace {

constexpr std::string_view kAction = "login.begin";

}  // namespace

common::Result<WebAuthnCeremony> begin_login(Context& ctx, const KeyLoginRequest& request) {
  const login::Attempt attempt(ctx, request.username, request.source_address);
  auto user = login::find_account(attempt);
  if (!user) return user.error();
  if (auto refused = login::throttled(attempt, *user, kAction)) return *refused;
  const bool password_ok = login::password_matches(ctx, request.password, *user);

  std::vector<store::WebAuthnCredentialRecord> keys;
  if (*user) {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = usable_keys(**tx, (*user)->id, attempt.now_s);
    if (!found) return found.error();
    keys = std::move(*found);
  }
  const std::string_view reason = !*user         ? login::kUnknownUser
                                  : !password_ok ? login::kBadPassword
                                  : keys.empty() ? login::kNoActiveToken
                                                 : login::kOk;
  const bool real = reason == login::kOk;
  const bool has_keys = *user && !keys.empty();
  // A ceremony after a wrong password lists the user's keys but is bound to
  // nobody: its finish can only fail. Whether it is real is known to the
  // server alone.
  auto ceremony = make_ceremony(
      ctx, kLogin, real ? std::optional<int64_t>((*user)->id) : std::nullopt,
      attempt.valid_name ? attempt.username : "", "", attempt.source_address, attempt.now_s);

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  nlohmann::json detail = nlohmann::json::object();
  std::optional<store::UserRecord> fresh;
  if (*user) {
    auto reread = (*tx)->find_user_by_id((*user)->id);
    if (!reread) return reread.error();
    fresh = std::move(*reread);
  }
  // Every first step counts as a failure, the right password's too (until
  // its key answers: a successful finish clears it). Otherwise the throttles
  // would move for a wrong password only, and where they start refusing
  // would tell the two apart.
  const std::string_view counted_as = real ? login::kAwaitingKey : reason;
  auto counted = login::count_failure(attempt, **tx, fresh ? &*fresh : nullptr, counted_as, detail);
  if (!counted) return counted.error();
  auto inserted = (*tx)->insert_ceremony(ceremony.record);
  if (!inserted) return inserted.error();
  auto logged = audit::append(**tx, attempt.now, attempt.draft(kAction, reason, real, detail));
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  // The in-memory throttles move as for any failed login; the answer stays
  // the options.
  (void)login::refusal(attempt, fresh ? &*fresh : nullptr, counted_as);

  std::vector<tokens::webauthn::CredentialDescriptor> allowed =
      has_keys ? descriptors_of(keys)
               : std::vector<tokens::webauthn::CredentialDescriptor>{
                     {decoy_credential_id(ctx, attempt.username), {"usb"}}};
  return WebAuthnCeremony{std::move(ceremony.transaction),
                          request_options(ctx, ceremony.record, std::move(allowed))};
}

}  // namespace core::webauthn
