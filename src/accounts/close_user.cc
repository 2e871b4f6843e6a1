// Closure (4.40-4.42): for good. Every session ends, every token that could
// still be used is revoked (a lost one too: if it turns up it must not
// work), hardware still with the holder is marked awaiting_return, and the
// row is kept for audit (triggers refuse deleting it or reopening it). The
// staff manager is told, so the token comes back.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/conditions.h"
#include "accounts/lifecycle.h"
#include "audit/audit_log.h"
#include "notifications/outbox.h"

namespace core::accounts {
namespace {

using common::Errc;

constexpr const char* kAction = "user.close";

bool revocable(std::string_view state) {
  return state == "issued" || state == "active" || state == "lost" || state == "suspect_clone";
}

notifications::Message closure_notice(const store::UserRecord& user, int64_t now,
                                      size_t awaiting) {
  notifications::Message m;
  m.kind = "account.closed";
  m.recipient = user.manager_email;
  m.about = user.username;
  m.subject = "Account closed: " + user.username;
  m.body = "The account of " + user.display_name + " (" + user.username + ", organisation " +
           user.organisation + ") was closed on " + format_date(day_of(now)) + ".\n";
  if (awaiting > 0) {
    m.body += "Please return the user's security token to their user account administrator.\n";
  }
  return m;
}

// Revokes the account's tokens with an audit entry each; returns how many
// were revoked and how many now await return.
common::Result<std::pair<size_t, size_t>> withdraw_tokens(store::StoreTx& tx,
                                                          const Principal& admin,
                                                          const store::UserRecord& user,
                                                          int64_t now) {
  auto tokens = tx.tokens_of(user.id);
  if (!tokens) return tokens.error();
  size_t revoked = 0, awaiting = 0;
  for (const auto& token : *tokens) {
    if (revocable(token.state)) {
      auto changed = tx.change_token_state(token.id, token.state, "revoked", now);
      if (!changed) return changed.error();
      if (!*changed) {
        return common::make_error(Errc::conflict, "a token changed meanwhile; try again");
      }
      ++revoked;
      auto logged = audit_success(tx, admin, "token.revoke", user.username, "account_closed",
                                  nlohmann::json{{"token_id", token.id}, {"from", token.state}},
                                  now);
      if (!logged) return logged.error();
    }
    if (token.custody == "holder" && token.state != "returned") {
      auto custody = tx.set_token_custody(token.id, "awaiting_return");
      if (!custody) return custody.error();
      ++awaiting;
    }
  }
  return std::pair{revoked, awaiting};
}

common::Result<UserView> close(Context& ctx, const Principal& admin, std::string_view username,
                               const ActionRecord& record, Refusals& refusals,
                               std::vector<std::string>& ended) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  const auto& user = target->user;
  auto next = transition(user, AccountEvent::close, refusals);
  if (!next) return next.error();
  auto changed =
      (*tx)->change_user_state(user.id, user.state, change_record(*next, record, admin, now));
  if (!changed) return changed.error();
  if (!*changed) return refusals.refuse("conflict", Errc::conflict, "the account changed meanwhile");
  auto sessions = (*tx)->end_sessions_of(user.id, now, "account_closed");
  if (!sessions) return sessions.error();
  auto tokens = withdraw_tokens(**tx, admin, user, now);
  if (!tokens) {
    if (tokens.error().code == Errc::conflict) {
      return refusals.refuse("conflict", Errc::conflict, tokens.error().message);
    }
    return tokens.error();
  }
  auto notified = notifications::enqueue(**tx, closure_notice(user, now, tokens->second), now);
  if (!notified) return notified.error();
  auto logged = audit_success(**tx, admin, kAction, user.username,
                              "ok",
                              nlohmann::json{{"reason", record.reason},
                                             {"note", record.note},
                                             {"requested_by", record.requested_by},
                                             {"verified_by", record.verified_by},
                                             {"from", user.state},
                                             {"sessions_ended", sessions->size()},
                                             {"tokens_revoked", tokens->first},
                                             {"tokens_awaiting_return", tokens->second},
                                             {"manager_notified", *notified != 0}},
                              now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  ended = std::move(*sessions);
  return view;
}

}  // namespace

common::Result<UserView> close_user(Context& ctx, const Principal& who, std::string_view username,
                                    const ActionRecord& record) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_close, kAction);
  if (!admin) return admin.error();
  if (auto ok = check_action_record(record, *admin, /*note_required=*/true); !ok) {
    return ok.error();
  }
  Refusals refusals;
  std::vector<std::string> ended;
  auto result = close(ctx, *admin, username, record, refusals, ended);
  forget_sessions(ctx, ended);
  return refusals.audited(ctx, *admin, kAction, subject_of(username), std::move(result));
}

}  // namespace core::accounts
