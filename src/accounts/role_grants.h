// Who may give which role. The permission matrix says who may create or
// update accounts; this stops an administrator from making an account with
// more reach than their own: central_team (scope: everywhere) only by the
// central team, la_manager (organisation and partner-rights administration)
// only by an LA manager or the central team.
//
// Thread safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "accounts/admin_action.h"
#include "common/result.h"
#include "core/service.h"

namespace core::accounts {

// forbidden (reason "role_not_grantable") naming the role when `who` may
// not give one of `roles`.
common::Result<void> may_grant_roles(const Principal& who, const std::vector<std::string>& roles,
                                     Refusals& refusals);

}  // namespace core::accounts
