// Rejection of a nomination (4.31): nominated -> rejected, with the reason
// recorded. Final: the name stays taken and the row is kept for audit; the
// person can be nominated again under another username.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"
#include "accounts/scope.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "user.reject";

common::Result<UserView> reject(Context& ctx, const Principal& admin, std::string_view username,
                                const ActionRecord& record, Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  auto approver = may_approve(**tx, admin, target->organisation);
  if (!approver) return approver.error();
  if (!*approver) {
    return refusals.refuse("partner_cannot_approve", Errc::forbidden,
                           "a partner organisation's administrators nominate; the local "
                           "authority approves or rejects");
  }
  const auto& user = target->user;
  auto next = transition(user, AccountEvent::reject, refusals);
  if (!next) return next.error();
  auto changed =
      (*tx)->change_user_state(user.id, user.state, change_record(*next, record, admin, now));
  if (!changed) return changed.error();
  if (!*changed) return refusals.refuse("conflict", Errc::conflict, "the account changed meanwhile");
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok",
                              nlohmann::json{{"reason", record.reason}, {"note", record.note}}, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> reject_user(Context& ctx, const Principal& who, std::string_view username,
                                     const ActionRecord& record) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_approve, kAction);
  if (!admin) return admin.error();
  if (record.reason.empty()) {
    return make_error(Errc::bad_request, "reason is required", "reason");
  }
  if (auto ok = check_action_record(record, *admin, /*note_required=*/false); !ok) {
    return ok.error();
  }
  Refusals refusals;
  return refusals.audited(ctx, *admin, kAction, subject_of(username),
                          reject(ctx, *admin, username, record, refusals));
}

}  // namespace core::accounts
