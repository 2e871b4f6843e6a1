// Approval (guidance 4.28, 4.31, 4.33): nominated -> active, only when every
// condition of access is met today, and only by the account's local
// authority (its own or the partner's parent), a national partner for its
// own users, or the central team. A partner's administrators only nominate.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/conditions.h"
#include "accounts/lifecycle.h"
#include "accounts/scope.h"

namespace core::accounts {
namespace {

using common::Errc;

constexpr const char* kAction = "user.approve";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
  return out;
}

common::Result<UserView> approve(Context& ctx, const Principal& admin, std::string_view username,
                                 Refusals& refusals) {
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
                           "authority approves");
  }
  const auto& user = target->user;
  auto next = transition(user, AccountEvent::approve, refusals);
  if (!next) return next.error();
  const auto unmet = unmet_conditions(user.conditions, ctx.policy().lifecycle, day_of(now));
  if (!unmet.empty()) {
    return refusals.refuse("conditions_unmet", Errc::conflict,
                           "conditions of access not met: " + joined(unmet));
  }
  auto changed = (*tx)->change_user_state(user.id, user.state,
                                          change_record(*next, ActionRecord{}, admin, now));
  if (!changed) return changed.error();
  if (!*changed) return refusals.refuse("conflict", Errc::conflict, "the account changed meanwhile");
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok",
                              nlohmann::json{{"organisation", user.organisation}}, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> approve_user(Context& ctx, const Principal& who,
                                      std::string_view username) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_approve, kAction);
  if (!admin) return admin.error();
  Refusals refusals;
  return refusals.audited(ctx, *admin, kAction, subject_of(username),
                          approve(ctx, *admin, username, refusals));
}

}  // namespace core::accounts
