// The shared core of every suspension (an administrator, a lost token, the
// sweep), inside the caller's write transaction: the state change with its
// written record, every session of the user ended (as requestor or as
// mediator, 4.34), the staff manager told through the outbox, and the audit
// entry, all committed together or not at all.
#include <nlohmann/json.hpp>

#include "accounts/account_lifecycle.h"
#include "accounts/lifecycle.h"
#include "accounts/suspension_notice.h"
#include "audit/audit_log.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

// The automatic rules tell the user as well: nobody has spoken to them.
bool tell_user(std::string_view reason) {
  return reason == "vetting_expired" || reason == "prolonged_inactivity";
}

}  // namespace

common::Result<std::vector<std::string>> suspend_in_tx(Context& /*ctx*/, store::StoreTx& tx,
                                                       const store::UserRecord& user,
                                                       const store::StateChangeRecord& change,
                                                       std::string_view source_address) {
  auto changed = tx.change_user_state(user.id, to_string(AccountState::active), change);
  if (!changed) return changed.error();
  if (!*changed) {
    auto fresh = tx.find_user_by_id(user.id);
    if (!fresh) return fresh.error();
    const auto state = *fresh ? parse_account_state((*fresh)->state) : std::nullopt;
    if (!state) return make_error(Errc::conflict, "the account cannot be suspended");
    return make_error(Errc::conflict,
                      next_account_state(*state, AccountEvent::suspend).refusal);
  }
  auto ended = tx.end_sessions_of(user.id, change.at, "account_suspended");
  if (!ended) return ended.error();

  nlohmann::json notified = nlohmann::json::array();
  std::vector<notifications::Message> messages = {manager_notice(user, change)};
  if (tell_user(change.reason)) messages.push_back(user_notice(user, change));
  for (size_t i = 0; i < messages.size(); ++i) {
    auto id = notifications::enqueue(tx, messages[i], change.at);
    if (!id) return id.error();
    if (*id != 0) notified.push_back(i == 0 ? "manager" : "user");
  }

  audit::Draft draft;
  draft.actor = change.actor;
  draft.subject = user.username;
  draft.action = "user.suspend";
  draft.outcome = audit::kSuccess;
  draft.reason = change.reason;
  draft.source_address = std::string(source_address);
  nlohmann::json detail{{"note", change.note},
                        {"requested_by", change.requested_by},
                        {"verified_by", change.verified_by},
                        {"sessions_ended", ended->size()},
                        {"notified", notified}};
  if (user.manager_email.empty()) detail["manager_email"] = "none recorded";
  draft.detail = detail.dump();
  auto logged = audit::append(tx, common::from_unix_seconds(change.at), draft);
  if (!logged) return logged.error();
  return std::move(*ended);
}

void forget_sessions(Context& ctx, const std::vector<std::string>& hashes) {
  if (!hashes.empty()) ctx.sessions->forget(hashes);
}

}  // namespace core::accounts
