#include "accounts/role_grants.h"

#include "accounts/scope.h"

namespace core::accounts {

common::Result<void> may_grant_roles(const Principal& who, const std::vector<std::string>& roles,
                                     Refusals& refusals) {
  const bool central = has_role(who, "central_team");
  for (const auto& role : roles) {
    const bool allowed = role == "central_team"  ? central
                         : role == "la_manager" ? central || has_role(who, "la_manager")
                                                : true;
    if (!allowed) {
      return refusals.refuse("role_not_grantable", common::Errc::forbidden,
                             "you may not give the role " + role, "roles");
    }
  }
  return {};
}

}  // namespace core::accounts
