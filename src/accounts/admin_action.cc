#include "accounts/admin_action.h"

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "accounts/validation.h"
#include "audit/audit_log.h"

namespace core::accounts {

using common::Errc;
using common::make_error;

void audit_refusal(Context& ctx, const Principal& who, std::string_view action,
                   std::string_view subject, std::string_view reason,
                   const nlohmann::json& detail) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return;
  audit::Draft draft;
  draft.actor = who.username;
  draft.subject = subject.empty() ? "-" : std::string(subject);
  draft.action = std::string(action);
  draft.outcome = audit::kFailure;
  draft.reason = std::string(reason);
  draft.source_address = who.source_address;
  draft.detail = detail.dump();
  if (audit::append(**tx, ctx.config.clock->now(), draft)) (void)(*tx)->commit();
}

common::Error Refusals::refuse(std::string reason, Errc code, std::string message,
                               std::string field) {
  reason_ = std::move(reason);
  return make_error(code, std::move(message), std::move(field));
}

std::string subject_of(std::string_view username) {
  return valid_username(username) ? std::string(username) : "-";
}

common::Result<Target> find_target(store::StoreTx& tx, const Principal& who,
                                   std::string_view username, Refusals& refusals) {
  if (!valid_username(username)) {
    return refusals.refuse("not_found", Errc::not_found, "no such user");
  }
  auto user = tx.find_user(username);
  if (!user) return user.error();
  if (!*user) return refusals.refuse("not_found", Errc::not_found, "no such user");
  auto org = tx.find_organisation((*user)->organisation);
  if (!org) return org.error();
  if (!*org) return make_error(Errc::internal, "an account's organisation is missing");
  auto scoped = in_scope(tx, who, **org);
  if (!scoped) return scoped.error();
  // The same answer as an unknown name: scope does not reveal who exists.
  if (!*scoped) return refusals.refuse("out_of_scope", Errc::not_found, "no such user");
  return Target{std::move(**user), std::move(**org)};
}

common::Result<AccountState> transition(const store::UserRecord& user, AccountEvent event,
                                        Refusals& refusals) {
  const auto state = parse_account_state(user.state);
  if (!state) return make_error(Errc::internal, "the account has an unknown state");
  const auto next = next_account_state(*state, event);
  if (!next.next) return refusals.refuse("illegal_transition", Errc::conflict, next.refusal);
  return *next.next;
}

common::Result<void> audit_success(store::StoreTx& tx, const Principal& who,
                                   std::string_view action, std::string_view subject,
                                   std::string_view reason, const nlohmann::json& detail,
                                   int64_t now) {
  audit::Draft draft;
  draft.actor = who.username;
  draft.subject = std::string(subject);
  draft.action = std::string(action);
  draft.outcome = audit::kSuccess;
  draft.reason = reason.empty() ? "ok" : std::string(reason);
  draft.source_address = who.source_address;
  draft.detail = detail.is_null() ? "{}" : detail.dump();
  auto logged = audit::append(tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  return {};
}

common::Result<UserView> current_view(store::StoreTx& tx, int64_t user_id) {
  auto user = tx.find_user_by_id(user_id);
  if (!user) return user.error();
  if (!*user) return make_error(Errc::internal, "the account vanished inside its transaction");
  auto tokens = tx.tokens_of(user_id);
  if (!tokens) return tokens.error();
  return user_view(**user, *tokens);
}

common::Result<void> check_action_record(const ActionRecord& record, const Principal& who,
                                         bool note_required) {
  if (note_required || !record.note.empty()) {
    if (auto ok = check_free_text(record.note, "note", 2000); !ok) return ok;
  }
  for (const auto& [value, field] : {std::pair{&record.reason, "reason"},
                                     std::pair{&record.requested_by, "requested_by"},
                                     std::pair{&record.verified_by, "verified_by"}}) {
    if (value->empty()) continue;
    if (auto ok = check_free_text(*value, field, 200); !ok) return ok;
  }
  // A request from someone else is verified with them first (4.35).
  if (!record.requested_by.empty() && record.requested_by != who.username &&
      record.verified_by.empty()) {
    return make_error(Errc::bad_request,
                      "verified_by is required when someone else requested the action",
                      "verified_by");
  }
  return {};
}

store::StateChangeRecord change_record(AccountState to, const ActionRecord& record,
                                       const Principal& who, int64_t now) {
  store::StateChangeRecord change;
  change.state = std::string(to_string(to));
  change.reason = record.reason;
  change.note = record.note;
  change.requested_by = record.requested_by.empty() ? who.username : record.requested_by;
  change.verified_by = record.verified_by;
  change.actor = who.username;
  change.at = now;
  return change;
}

}  // namespace core::accounts
