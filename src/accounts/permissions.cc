#include "accounts/permissions.h"

#include <algorithm>

#include "audit/audit_log.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

// A refusal is recorded in its own transaction: there is no change to join.
// If the store is down the refusal still stands.
void audit_refusal(Context& ctx, const Principal& who, std::string_view action,
                   const char* reason) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return;
  audit::Draft draft;
  draft.actor = who.username;
  draft.subject = "-";
  draft.action = std::string(action);
  draft.outcome = audit::kFailure;
  draft.reason = reason;
  draft.source_address = who.source_address;
  if (audit::append(**tx, ctx.config.clock->now(), draft)) (void)(*tx)->commit();
}

}  // namespace

bool is_admin(const Principal& who, const policy::AdminPolicy& policy) {
  return std::any_of(who.roles.begin(), who.roles.end(), [&policy](const std::string& role) {
    return std::find(policy.admin_roles.begin(), policy.admin_roles.end(), role) !=
           policy.admin_roles.end();
  });
}

common::Result<Principal> require_full_rights(Context& ctx, const Principal& who,
                                              std::string_view action) {
  auto live = ctx.sessions->current(who);
  if (!live) return live.error();
  if (live->must_change_password) {
    audit_refusal(ctx, *live, action, "password_change_required");
    return make_error(Errc::password_change_required,
                      "the password must be changed before anything else");
  }
  return live;
}

common::Result<Principal> require_admin(Context& ctx, const Principal& who,
                                        std::string_view action) {
  auto live = require_full_rights(ctx, who, action);
  if (!live) return live;
  if (!is_admin(*live, ctx.policy().admin)) {
    audit_refusal(ctx, *live, action, "forbidden");
    return make_error(Errc::forbidden, "this needs an administrator role");
  }
  return live;
}

}  // namespace core::accounts
