// What every administrative operation on an account shares: finding the
// target account within the caller's scope, applying a state-machine event,
// auditing successes inside the change's transaction and refusals in a
// transaction of their own once the operation's transaction has ended.
//
// Thread safety: as Context; a Refusals belongs to one call.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "accounts/account_lifecycle.h"
#include "accounts/scope.h"
#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"

namespace core::accounts {

// Appends a failure entry (actor who, reason) in its own write transaction.
// No transaction may be open on this thread. If the store is down the
// refusal still stands; nothing is reported.
void audit_refusal(Context& ctx, const Principal& who, std::string_view action,
                   std::string_view subject, std::string_view reason,
                   const nlohmann::json& detail = nlohmann::json::object());

// Why an operation refused, kept until its transaction has ended.
class Refusals {
 public:
  // Records `reason` (an audit reason code) and returns the error to give.
  common::Error refuse(std::string reason, common::Errc code, std::string message,
                       std::string field = {});
  // Audits the recorded refusal, if any, and passes `result` on. Call after
  // every transaction of the operation has ended.
  template <class T>
  common::Result<T> audited(Context& ctx, const Principal& who, std::string_view action,
                            std::string_view subject, common::Result<T> result) const {
    if (!result && !reason_.empty()) {
      audit_refusal(ctx, who, action, subject, reason_,
                    nlohmann::json{{"error", result.error().message}});
    }
    return result;
  }

 private:
  std::string reason_;
};

// An audit subject for a username from a request: "-" when malformed (the
// text might be anything, even a password typed into the wrong box).
std::string subject_of(std::string_view username);

struct Target {
  store::UserRecord user;
  store::OrganisationRecord organisation;
};

// The account `username` when it exists and is in `who`'s scope. not_found
// for a malformed or unknown name and for an account outside the scope
// (reasons "not_found", "out_of_scope"): the answer does not reveal which
// usernames exist elsewhere.
common::Result<Target> find_target(store::StoreTx& tx, const Principal& who,
                                   std::string_view username, Refusals& refusals);

// The state `event` leads to from the account's state, or conflict with the
// state machine's reason (audit reason "illegal_transition").
common::Result<AccountState> transition(const store::UserRecord& user, AccountEvent event,
                                        Refusals& refusals);

// Appends the success entry of an action inside the caller's transaction.
common::Result<void> audit_success(store::StoreTx& tx, const Principal& who,
                                   std::string_view action, std::string_view subject,
                                   std::string_view reason, const nlohmann::json& detail,
                                   int64_t now);

// The account as it now stands inside `tx` (user_view with its tokens).
common::Result<UserView> current_view(store::StoreTx& tx, int64_t user_id);

// Checks an ActionRecord's free text: note (required when `note_required`;
// up to 2000 characters), reason (up to 200), requested_by / verified_by (up
// to 200; verified_by required when someone other than `who` asked).
// bad_request naming the field.
common::Result<void> check_action_record(const ActionRecord& record, const Principal& who,
                                         bool note_required);

// The written record of a change made by `who` now.
store::StateChangeRecord change_record(AccountState to, const ActionRecord& record,
                                       const Principal& who, int64_t now);

}  // namespace core::accounts
