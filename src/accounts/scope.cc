// Permission (the policy's role matrix) and organisation scope. The scope is
// read from the store on every call rather than cached in the session, so a
// partner's administration rights stop the moment an LA suspends them.
#include "accounts/scope.h"

#include <algorithm>

#include "accounts/admin_action.h"
#include "accounts/permissions.h"

namespace core::accounts {

bool has_role(const Principal& who, std::string_view role) {
  return std::find(who.roles.begin(), who.roles.end(), role) != who.roles.end();
}

common::Result<Principal> require_permission(Context& ctx, const Principal& who,
                                             Permission permission, std::string_view action) {
  auto live = require_full_rights(ctx, who, action);
  if (!live) return live;
  const auto& holders = ctx.policy().permissions.*permission;
  const bool allowed = std::any_of(holders.begin(), holders.end(),
                                   [&](const std::string& role) { return has_role(*live, role); });
  if (!allowed) {
    audit_refusal(ctx, *live, action, "-", "forbidden");
    return common::make_error(common::Errc::forbidden,
                              "none of your roles holds the permission for " + std::string(action));
  }
  return live;
}

common::Result<bool> in_scope(store::StoreTx& tx, const Principal& who,
                              const store::OrganisationRecord& target) {
  if (has_role(who, "central_team")) return true;
  auto own = tx.find_organisation(who.organisation);
  if (!own) return own.error();
  if (!*own) return false;
  const auto& mine = **own;
  if (mine.id == target.id) {
    // A partner's own administrators act only while the LA lets them (4.27).
    return mine.kind != "partner" || mine.admin_rights == "granted";
  }
  // An LA has overarching responsibility for its partners' users (4.27),
  // whatever their administration rights.
  return mine.kind == "local_authority" && target.kind == "partner" && target.parent == mine.id;
}

common::Result<bool> may_approve(store::StoreTx& tx, const Principal& who,
                                 const store::OrganisationRecord& target) {
  auto scoped = in_scope(tx, who, target);
  if (!scoped || !*scoped) return scoped;
  if (has_role(who, "central_team")) return true;
  auto own = tx.find_organisation(who.organisation);
  if (!own) return own.error();
  // Partners only nominate; their local authority decides (4.31).
  return *own && (*own)->kind != "partner";
}

}  // namespace core::accounts
