// The account lifecycle operations behind Service (approve, reject,
// conditions, details, review, suspend, reactivate, close, unlock, password
// reset, partner administration rights). One operation per .cc file; each
// checks permission and scope (accounts/scope.h), applies the transition
// (accounts/account_lifecycle.h) with a compare-and-set, and writes the
// change, its audit entry and any notification in one transaction.
//
// Thread safety: as Context.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"

namespace core::accounts {

common::Result<UserView> approve_user(Context& ctx, const Principal& who,
                                      std::string_view username);
common::Result<UserView> reject_user(Context& ctx, const Principal& who,
                                     std::string_view username, const ActionRecord& record);
common::Result<UserView> record_conditions(Context& ctx, const Principal& who,
                                           std::string_view username,
                                           const ConditionsUpdate& update);
common::Result<UserView> update_user(Context& ctx, const Principal& who,
                                     std::string_view username, const UserUpdate& update);
common::Result<UserView> clear_access_review(Context& ctx, const Principal& who,
                                             std::string_view username, std::string_view note);
common::Result<UserView> suspend_user(Context& ctx, const Principal& who,
                                      std::string_view username, const ActionRecord& record);
common::Result<UserView> reactivate_user(Context& ctx, const Principal& who,
                                         std::string_view username, const ActionRecord& record);
common::Result<UserView> close_user(Context& ctx, const Principal& who,
                                    std::string_view username, const ActionRecord& record);
common::Result<UserView> unlock_user(Context& ctx, const Principal& who,
                                     std::string_view username);
common::Result<std::string> reset_password(Context& ctx, const Principal& who,
                                           std::string_view username);
common::Result<Organisation> set_admin_rights(Context& ctx, const Principal& who,
                                              std::string_view org_id, std::string_view state,
                                              std::string_view reason);

// The shared core of every suspension (administrator, lost token, sweep):
// inside the caller's write transaction, moves `user` active -> suspended
// with `change` (compare-and-set; conflict if it was not active), ends every
// session where the user is requestor or mediator, queues the notification
// to the staff manager (and the user for the automatic rules), and appends
// the audit entry "user.suspend" (actor change.actor, subject username,
// reason change.reason, detail with note/requested_by/verified_by and the
// number of sessions ended). The caller commits, then calls
// forget_sessions() with the returned hashes so the cache refuses them too.
common::Result<std::vector<std::string>> suspend_in_tx(Context& ctx, store::StoreTx& tx,
                                                       const store::UserRecord& user,
                                                       const store::StateChangeRecord& change,
                                                       std::string_view source_address);
// After commit: the cached sessions with these hashes end at once.
void forget_sessions(Context& ctx, const std::vector<std::string>& hashes);

}  // namespace core::accounts
