// Reactivation (2.6, 3.12, 4.39): suspended -> active by an administrator
// with a written record, and only when it is safe: every condition of access
// met today; after a lost token, a token issued since the suspension is
// active; after a compromised password, the password was reset since.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/conditions.h"
#include "accounts/lifecycle.h"

namespace core::accounts {
namespace {

using common::Errc;

constexpr const char* kAction = "user.reactivate";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
  return out;
}

// What must happen first, for a 409 ("" when nothing).
common::Result<std::string> missing_first(store::StoreTx& tx, const store::UserRecord& user,
                                          const policy::LifecyclePolicy& policy, int64_t now) {
  std::vector<std::string> missing;
  const auto unmet = unmet_conditions(user.conditions, policy, day_of(now));
  if (!unmet.empty()) missing.push_back("conditions of access not met: " + joined(unmet));
  const std::string reason = user.last_change ? user.last_change->reason : "";
  const int64_t since = user.last_change ? user.last_change->at : 0;
  if (reason == "token_lost") {
    auto tokens = tx.tokens_of(user.id);
    if (!tokens) return tokens.error();
    const bool replaced = std::any_of(tokens->begin(), tokens->end(), [&](const auto& t) {
      const bool expired = t.temporary && t.expires_at && *t.expires_at <= now;
      return t.state == "active" && t.issued_at >= since && !expired;
    });
    if (!replaced) {
      missing.push_back("the account was suspended for a lost token: a new token must be issued "
                        "and activated first");
    }
  }
  // Strictly after: a password set in the very second of the suspension may
  // be the compromised one.
  if (reason == "password_compromised" && user.password_set_at <= since) {
    missing.push_back("the account was suspended for a compromised password: the password must "
                      "be reset first");
  }
  return joined(missing);
}

common::Result<UserView> reactivate(Context& ctx, const Principal& admin,
                                    std::string_view username, const ActionRecord& record,
                                    Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  const auto& user = target->user;
  auto next = transition(user, AccountEvent::reactivate, refusals);
  if (!next) return next.error();
  auto missing = missing_first(**tx, user, ctx.policy().lifecycle, now);
  if (!missing) return missing.error();
  if (!missing->empty()) return refusals.refuse("preconditions_unmet", Errc::conflict, *missing);
  const std::string suspended_for = user.last_change ? user.last_change->reason : "";
  auto changed =
      (*tx)->change_user_state(user.id, user.state, change_record(*next, record, admin, now));
  if (!changed) return changed.error();
  if (!*changed) return refusals.refuse("conflict", Errc::conflict, "the account changed meanwhile");
  auto logged = audit_success(**tx, admin, kAction, user.username, "ok",
                              nlohmann::json{{"note", record.note},
                                             {"requested_by", record.requested_by},
                                             {"verified_by", record.verified_by},
                                             {"suspended_for", suspended_for}},
                              now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, user.id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> reactivate_user(Context& ctx, const Principal& who,
                                         std::string_view username, const ActionRecord& record) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_reactivate, kAction);
  if (!admin) return admin.error();
  if (auto ok = check_action_record(record, *admin, /*note_required=*/true); !ok) {
    return ok.error();
  }
  Refusals refusals;
  return refusals.audited(ctx, *admin, kAction, subject_of(username),
                          reactivate(ctx, *admin, username, record, refusals));
}

}  // namespace core::accounts
