#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/permissions.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "enrolment/totp_secret.h"
#include "login/totp_check.h"

namespace core::enrolment {
namespace {

using common::Errc;
using common::make_error;

common::Error no_such_token() { return make_error(Errc::not_found, "no such token"); }

}  // namespace

common::Result<TokenView> activate_token(Context& ctx, const Principal& who,
                                         std::string_view token_id, std::string_view otp) {
  auto live = accounts::require_full_rights(ctx, who, "token.activate");
  if (!live) return live.error();
  const bool admin = accounts::is_admin(*live, ctx.policy().admin);

  store::TokenRecord token;
  std::string holder;
  {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto found = (*tx)->find_token(token_id);
    if (!found) return found.error();
    // Someone else's token looks the same as no token to a non-administrator.
    if (!*found || (!admin && (*found)->user_id != live->user_id)) return no_such_token();
    token = std::move(**found);
    auto owner = (*tx)->find_user_by_id(token.user_id);
    if (!owner) return owner.error();
    if (!*owner) return no_such_token();
    holder = (*owner)->username;
  }
  if (token.state != "issued") return make_error(Errc::conflict, "the token is already active");

  auto seed = ctx.vault->open(token);
  if (!seed) return seed.error();
  const auto now = ctx.config.clock->now();
  const auto check =
      login::check_totp(*seed, otp, now, ctx.totp, ctx.policy().totp.window_steps, token.last_step);

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  bool activated = false;
  if (check.outcome == login::OtpOutcome::accepted) {
    auto done =
        (*tx)->activate_token(token.id, check.step, check.offset, common::unix_seconds(now));
    if (!done) return done.error();
    activated = *done;
  }
  audit::Draft draft;
  draft.actor = live->username;
  draft.subject = holder;
  draft.action = "token.activate";
  draft.outcome = activated ? audit::kSuccess : audit::kFailure;
  draft.reason = activated                                      ? "ok"
                 : check.outcome == login::OtpOutcome::accepted ? "already_active"
                 : check.outcome == login::OtpOutcome::replayed ? "replayed_otp"
                                                                : "bad_otp";
  draft.source_address = live->source_address;
  draft.detail = nlohmann::json{{"token_id", token.id}}.dump();
  auto logged = audit::append(**tx, now, draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();

  if (!activated) {
    if (check.outcome == login::OtpOutcome::accepted) {
      return make_error(Errc::conflict, "the token is already active");
    }
    return make_error(Errc::invalid_credentials, "the code is wrong");
  }
  token.state = "active";
  token.last_step = check.step;
  token.activated_at = common::unix_seconds(now);
  return accounts::token_view(token);
}

}  // namespace core::enrolment
