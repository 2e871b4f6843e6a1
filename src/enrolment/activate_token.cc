// Activation: the holder proves a first code (or an administrator with
// token_issue relays it, for an account in their scope). At most
// lifecycle.max_active_tokens_per_type active tokens of one type per user;
// activating a permanent token retires an active temporary replacement of
// the same type (revoked, audited), since the replacement was only for the
// meantime.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/admin_action.h"
#include "accounts/permissions.h"
#include "accounts/scope.h"
#include "audit/audit_log.h"
#include "enrolment/enrolment.h"
#include "enrolment/totp_secret.h"
#include "login/totp_check.h"
#include "tokens/lifecycle.h"

namespace core::enrolment {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "token.activate";

bool holds(const Principal& who, const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(),
                     [&](const std::string& role) { return accounts::has_role(who, role); });
}

struct Found {
  store::TokenRecord token;
  std::string holder;
};

common::Result<Found> find(Context& ctx, const Principal& live, std::string_view token_id,
                           accounts::Refusals& refusals) {
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto found = (*tx)->find_token(token_id);
  if (!found) return found.error();
  if (!*found) return refusals.refuse("not_found", Errc::not_found, "no such token");
  auto owner = (*tx)->find_user_by_id((*found)->user_id);
  if (!owner) return owner.error();
  if (!*owner) return refusals.refuse("not_found", Errc::not_found, "no such token");
  if ((*owner)->id != live.user_id) {
    // Someone else's token looks the same as no token to anyone who may not
    // issue tokens for that account.
    if (!holds(live, ctx.policy().permissions.token_issue)) {
      return refusals.refuse("forbidden", Errc::not_found, "no such token");
    }
    auto org = (*tx)->find_organisation((*owner)->organisation);
    if (!org) return org.error();
    if (!*org) return refusals.refuse("not_found", Errc::not_found, "no such token");
    auto scoped = accounts::in_scope(**tx, live, **org);
    if (!scoped) return scoped.error();
    if (!*scoped) return refusals.refuse("out_of_scope", Errc::not_found, "no such token");
  }
  if ((*found)->type != "totp") {
    return refusals.refuse("wrong_token_type", Errc::conflict,
                           "a security key becomes active when its holder registers it "
                           "(POST /v1/webauthn/register/begin), not with a code");
  }
  const auto state = tokens::parse_token_state((*found)->state);
  if (!state) return make_error(Errc::internal, "a token has an unknown state");
  const auto next = tokens::next_token_state(*state, tokens::TokenEvent::activate);
  if (!next.next) return refusals.refuse("illegal_transition", Errc::conflict, next.refusal);
  return Found{std::move(**found), (*owner)->username};
}

common::Result<TokenView> activate(Context& ctx, const Principal& live, std::string_view token_id,
                                   std::string_view otp, accounts::Refusals& refusals) {
  auto found = find(ctx, live, token_id, refusals);
  if (!found) return found.error();
  store::TokenRecord& token = found->token;

  auto seed = ctx.vault->open(token);
  if (!seed) return seed.error();
  const auto now = ctx.config.clock->now();
  const int64_t now_s = common::unix_seconds(now);
  const auto check =
      login::check_totp(*seed, otp, now, ctx.totp, ctx.policy().totp.window_steps, token.last_step);

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  bool activated = false;
  if (check.outcome == login::OtpOutcome::accepted) {
    auto room = make_room(ctx, **tx, live, token, found->holder, now_s, refusals);
    if (!room) return room.error();
    auto done = (*tx)->activate_token(token.id, check.step, check.offset, now_s);
    if (!done) return done.error();
    activated = *done;
  }
  audit::Draft draft;
  draft.actor = live.username;
  draft.subject = found->holder;
  draft.action = kAction;
  draft.outcome = activated ? audit::kSuccess : audit::kFailure;
  draft.reason = activated                                      ? "ok"
                 : check.outcome == login::OtpOutcome::accepted ? "already_active"
                 : check.outcome == login::OtpOutcome::replayed ? "replayed_otp"
                                                                : "bad_otp";
  draft.source_address = live.source_address;
  draft.detail = nlohmann::json{{"token_id", token.id}}.dump();
  auto logged = audit::append(**tx, now, draft);
  if (!logged) return logged.error();
  TokenView view;
  if (activated) {
    auto fresh = (*tx)->find_token(token.id);
    if (!fresh) return fresh.error();
    if (!*fresh) return make_error(Errc::internal, "the token vanished inside its transaction");
    view = accounts::token_view(**fresh);
  }
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();

  if (!activated) {
    if (check.outcome == login::OtpOutcome::accepted) {
      return make_error(Errc::conflict, "the token is already active");
    }
    return make_error(Errc::invalid_credentials, "the code is wrong");
  }
  return view;
}

}  // namespace

// Inside the write transaction, before activation: retires an active
// temporary token when a permanent one is activated, then enforces the
// per-type limit.
common::Result<void> make_room(Context& ctx, store::StoreTx& tx, const Principal& live,
                               const store::TokenRecord& token, const std::string& holder,
                               int64_t now, accounts::Refusals& refusals) {
  auto all = tx.tokens_of(token.user_id);
  if (!all) return all.error();
  size_t active = 0;
  for (const auto& other : *all) {
    if (other.id == token.id || other.type != token.type || other.state != "active") continue;
    if (other.temporary && other.expires_at && *other.expires_at <= now) continue;
    if (other.temporary && !token.temporary) {
      auto revoked = tx.change_token_state(other.id, "active", "revoked", now);
      if (!revoked) return revoked.error();
      if (*revoked) {
        auto logged = accounts::audit_success(
            tx, live, "token.revoke", holder, "replaced",
            nlohmann::json{{"token_id", other.id}, {"replaced_by", token.id}}, now);
        if (!logged) return logged.error();
        continue;
      }
    }
    ++active;
  }
  const uint32_t limit = ctx.policy().lifecycle.max_active_tokens_per_type;
  if (active >= limit) {
    return refusals.refuse("token_limit", Errc::conflict,
                           "the user already has " + std::to_string(active) + " active " +
                               token.type +
                               " token(s), the most the policy allows; revoke one "
                               "first");
  }
  return {};
}

common::Result<TokenView> activate_token(Context& ctx, const Principal& who,
                                         std::string_view token_id, std::string_view otp) {
  auto live = accounts::require_full_rights(ctx, who, kAction);
  if (!live) return live.error();
  accounts::Refusals refusals;
  const bool plausible = token_id.size() <= 64 &&
                         std::all_of(token_id.begin(), token_id.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                         });
  return refusals.audited(ctx, *live, kAction, plausible ? token_id : std::string_view("-"),
                          activate(ctx, *live, token_id, otp, refusals));
}

}  // namespace core::enrolment
