// Who may do what. Every administrative call re-checks the caller's session
// against the session cache (still live, current must_change_password), then
// the caller's roles against policy admin.admin_roles. Refusals are audited.
//
// Thread safety: as Context.
#pragma once

#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::accounts {

// A live session that has changed its one-time password.
// invalid_session / password_change_required.
common::Result<Principal> require_full_rights(Context& ctx, const Principal& who,
                                              std::string_view action);

// As require_full_rights, and an admin role. forbidden otherwise.
common::Result<Principal> require_admin(Context& ctx, const Principal& who,
                                        std::string_view action);

bool is_admin(const Principal& who, const policy::AdminPolicy& policy);

}  // namespace core::accounts
