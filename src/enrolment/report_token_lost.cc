// A lost token (guidance 2.4, 2.6): reported by its holder, or by an
// administrator with token_manage on the holder's behalf. In one
// transaction the token becomes "lost" (it can never authenticate again)
// and, when the account is active, the account is suspended with reason
// "token_lost": every session ends, the staff manager is told. Reactivation
// then needs a new token first (reactivate_user checks it).
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/lifecycle.h"
#include "accounts/permissions.h"
#include "enrolment/token_lifecycle.h"
#include "enrolment/token_target.h"

namespace core::enrolment {
namespace {

constexpr const char* kAction = "token.lost";

struct Lost {
  TokenView view;
  std::vector<std::string> ended_sessions;
};

common::Result<Lost> report(Context& ctx, const Principal& who, std::string_view token_id,
                            std::string_view note, accounts::Refusals& refusals,
                            std::string& subject) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_token_target(ctx, **tx, who, token_id,
                                  &policy::PermissionsPolicy::token_manage, HolderMay::act,
                                  refusals);
  if (!target) return target.error();
  const auto& holder = target->holder;
  subject = holder.username;
  const bool by_holder = holder.id == who.user_id;
  const int64_t now = ctx.now();
  auto state =
      apply_token_event(**tx, target->token, tokens::TokenEvent::report_lost, now, refusals);
  if (!state) return state.error();
  auto logged = accounts::audit_success(**tx, who, kAction, subject, "ok",
                                        nlohmann::json{{"token_id", target->token.id},
                                                       {"from", target->token.state},
                                                       {"reported_by_holder", by_holder},
                                                       {"note", note}},
                                        now);
  if (!logged) return logged.error();

  Lost out;
  // An account that cannot log in anyway (nominated, suspended, closed)
  // keeps its state; the token is dead all the same.
  if (holder.state == "active") {
    store::StateChangeRecord change;
    change.state = "suspended";
    change.reason = "token_lost";
    change.note = note.empty() ? "security token " + target->token.id + " reported lost"
                               : std::string(note);
    // The holder asked; an administrator recording it is the one who
    // verified the request (4.35).
    change.requested_by = holder.username;
    change.verified_by = by_holder ? "" : who.username;
    change.actor = who.username;
    change.at = now;
    auto ended = accounts::suspend_in_tx(ctx, **tx, holder, change, who.source_address);
    if (!ended) return ended.error();
    out.ended_sessions = std::move(*ended);
  }
  auto fresh = (*tx)->find_token(target->token.id);
  if (!fresh) return fresh.error();
  if (!*fresh) return common::make_error(common::Errc::internal, "the token vanished");
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  out.view = accounts::token_view(**fresh);
  return out;
}

}  // namespace

common::Result<TokenView> report_token_lost(Context& ctx, const Principal& who,
                                            std::string_view token_id, std::string_view note) {
  auto live = accounts::require_full_rights(ctx, who, kAction);
  if (!live) return live.error();
  if (auto ok = check_token_note(note); !ok) return ok.error();
  accounts::Refusals refusals;
  std::string subject = token_subject(token_id);
  auto lost = refusals.audited(ctx, *live, kAction, subject,
                               report(ctx, *live, token_id, note, refusals, subject));
  if (!lost) return lost.error();
  // After commit: the cached sessions end too, so the very next request with
  // any of them (the reporter's own included) is refused.
  accounts::forget_sessions(ctx, lost->ended_sessions);
  return std::move(lost->view);
}

}  // namespace core::enrolment
