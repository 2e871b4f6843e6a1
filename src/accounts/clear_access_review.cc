// The access review after a change of role or job (4.32): whoever may
// approve the account records that access is still needed, with a note.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"
#include "accounts/scope.h"
#include "accounts/validation.h"

namespace core::accounts {
namespace {

using common::Errc;

constexpr const char* kAction = "user.review";

common::Result<UserView> clear(Context& ctx, const Principal& admin, std::string_view username,
                               std::string_view note, Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  auto approver = may_approve(**tx, admin, target->organisation);
  if (!approver) return approver.error();
  if (!*approver) {
    return refusals.refuse("partner_cannot_approve", Errc::forbidden,
                           "the local authority reviews access, as it approves it");
  }
  store::UserRecord user = target->user;
  if (!user.access_review_required) {
    return refusals.refuse("no_review_due", Errc::conflict, "no access review is due");
  }
  user.access_review_required = false;
  auto written = (*tx)->update_user_details(user);
  if (!written) return written.error();
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok",
                              nlohmann::json{{"note", note}}, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> clear_access_review(Context& ctx, const Principal& who,
                                             std::string_view username, std::string_view note) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_approve, kAction);
  if (!admin) return admin.error();
  if (auto ok = check_free_text(note, "note", 2000); !ok) return ok.error();
  Refusals refusals;
  return refusals.audited(ctx, *admin, kAction, subject_of(username),
                          clear(ctx, *admin, username, note, refusals));
}

}  // namespace core::accounts
