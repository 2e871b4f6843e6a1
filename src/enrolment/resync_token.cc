// Resynchronisation of an active TOTP token whose clock has run off (issue
// item 6): the administrator (token_manage) relays two consecutive codes
// from the device; the server looks for them at consecutive steps within
// totp.resync_window_steps of now, and remembers the offset so that login
// searches around it from then on (login/totp_check.h). The later step
// becomes the last accepted one, so neither code can be used again.
//
// Every candidate code in the window is generated and compared in constant
// time, whether or not an earlier one matched.
#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "enrolment/token_lifecycle.h"
#include "enrolment/token_target.h"
#include "tokens/totp.h"

namespace core::enrolment {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "token.resync";

bool same(const std::string& a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The step of the first code, or nullopt. Steps at or before the last
// accepted one are replays and never match.
common::Result<std::optional<int64_t>> find_pair(Context& ctx, const common::SecretBytes& seed,
                                                 std::string_view first, std::string_view second,
                                                 int64_t last_step) {
  const int64_t now_step = tokens::totp_step(ctx.config.clock->now(), ctx.totp.period);
  const int64_t window = ctx.policy().totp.resync_window_steps;
  std::optional<int64_t> found;
  std::string previous;  // the code of step - 1
  for (int64_t step = now_step - window; step <= now_step + window; ++step) {
    if (step < 0) continue;
    auto code = tokens::totp_code(seed.view(), step, ctx.totp);
    if (!code) return code.error();
    if (!previous.empty()) {
      const bool pair = same(previous, first) & same(*code, second);
      if (pair && step - 1 > last_step) found = step - 1;
    }
    common::wipe(previous);
    previous = std::move(*code);
  }
  common::wipe(previous);
  return found;
}

common::Result<TokenView> resync(Context& ctx, const Principal& admin, std::string_view token_id,
                                 std::string_view first, std::string_view second,
                                 accounts::Refusals& refusals, std::string& subject) {
  // Read first: the seed is opened by the HSM outside any write transaction.
  store::TokenRecord token;
  {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto target = find_token_target(ctx, **tx, admin, token_id,
                                    &policy::PermissionsPolicy::token_manage, HolderMay::not_act,
                                    refusals);
    if (!target) return target.error();
    subject = target->holder.username;
    if (target->token.type != "totp") {
      return refusals.refuse("wrong_token_type", Errc::conflict,
                             "only TOTP tokens have a clock to resynchronise");
    }
    const auto state = tokens::parse_token_state(target->token.state);
    if (!state) return make_error(Errc::internal, "a token has an unknown state");
    const auto next = tokens::next_token_state(*state, tokens::TokenEvent::resynchronise);
    if (!next.next) return refusals.refuse("illegal_transition", Errc::conflict, next.refusal);
    token = std::move(target->token);
  }
  auto seed = ctx.vault->open(token);
  if (!seed) return seed.error();
  auto step = find_pair(ctx, *seed, first, second, token.last_step);
  if (!step) return step.error();
  if (!*step) {
    return refusals.refuse("bad_otp", Errc::invalid_credentials,
                           "the codes are not two consecutive codes of this token near now");
  }
  const int64_t now_step = tokens::totp_step(ctx.config.clock->now(), ctx.totp.period);
  const int64_t last = **step + 1;
  const int64_t drift = last - now_step;

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto fresh = (*tx)->find_token(token.id);
  if (!fresh) return fresh.error();
  // Revoked or used meanwhile: refuse rather than resynchronise a dead token
  // or step back over a code that a login has just accepted.
  if (!*fresh || (*fresh)->state != "active" || (*fresh)->last_step >= **step) {
    return refusals.refuse("concurrent_change", Errc::conflict,
                           "the token changed meanwhile; try again with new codes");
  }
  auto synced = (*tx)->set_token_sync(token.id, last, drift);
  if (!synced) return synced.error();
  auto logged = accounts::audit_success(
      **tx, admin, kAction, subject, "ok",
      nlohmann::json{{"token_id", token.id}, {"drift_steps", drift},
                     {"previous_drift_steps", token.drift_offset}},
      ctx.now());
  if (!logged) return logged.error();
  auto after = (*tx)->find_token(token.id);
  if (!after) return after.error();
  if (!*after) return make_error(Errc::internal, "the token vanished");
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return accounts::token_view(**after);
}

}  // namespace

common::Result<TokenView> resync_token(Context& ctx, const Principal& who,
                                       std::string_view token_id, std::string_view first_code,
                                       std::string_view second_code) {
  auto admin = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::token_manage,
                                            kAction);
  if (!admin) return admin.error();
  accounts::Refusals refusals;
  std::string subject = token_subject(token_id);
  auto result = resync(ctx, *admin, token_id, first_code, second_code, refusals, subject);
  return refusals.audited(ctx, *admin, kAction, subject, std::move(result));
}

}  // namespace core::enrolment
