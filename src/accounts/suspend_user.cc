// Suspension by an administrator (4.34-4.39): active -> suspended with a
// reason from the guidance's list and a written record. The sessions end in
// the same transaction and leave the cache before this returns, so the
// user's very next request is refused.
#include <algorithm>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "user.suspend";

bool known_reason(std::string_view reason) {
  return std::any_of(std::begin(kSuspensionReasons), std::end(kSuspensionReasons),
                     [&](const char* r) { return reason == r; });
}

common::Result<UserView> suspend(Context& ctx, const Principal& admin, std::string_view username,
                                 const ActionRecord& record, Refusals& refusals,
                                 std::vector<std::string>& ended) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  auto next = transition(target->user, AccountEvent::suspend, refusals);
  if (!next) return next.error();
  auto hashes = suspend_in_tx(ctx, **tx, target->user, change_record(*next, record, admin, now),
                              admin.source_address);
  if (!hashes) {
    if (hashes.error().code == Errc::conflict) {
      return refusals.refuse("illegal_transition", Errc::conflict, hashes.error().message);
    }
    return hashes.error();
  }
  auto view = current_view(**tx, target->user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  ended = std::move(*hashes);
  return view;
}

}  // namespace

common::Result<UserView> suspend_user(Context& ctx, const Principal& who,
                                      std::string_view username, const ActionRecord& record) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_suspend, kAction);
  if (!admin) return admin.error();
  if (!known_reason(record.reason)) {
    return make_error(Errc::bad_request,
                      "reason must be one of extended_leave, suspicious_activity, investigation, "
                      "not_following_guidance, prolonged_inactivity, suspended_by_employer, "
                      "vetting_expired, token_lost, password_compromised",
                      "reason");
  }
  if (auto ok = check_action_record(record, *admin, /*note_required=*/true); !ok) {
    return ok.error();
  }
  Refusals refusals;
  std::vector<std::string> ended;
  auto result = suspend(ctx, *admin, username, record, refusals, ended);
  forget_sessions(ctx, ended);
  return refusals.audited(ctx, *admin, kAction, subject_of(username), std::move(result));
}

}  // namespace core::accounts
