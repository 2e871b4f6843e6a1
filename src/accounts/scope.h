// Permission and scope checks for administrative calls (guidance 4.25-4.28).
//
// A permission comes from the policy's role matrix ([permissions]); the scope
// from the caller's organisation:
//   - central_team (role): every organisation;
//   - a local authority: itself and the partners whose parent it is;
//   - a national partner: itself;
//   - a partner: itself, and only while its admin_rights are "granted".
// A target outside the scope is reported as not_found for user and token
// lookups (so scope does not reveal which usernames exist elsewhere) and
// forbidden for organisations. Refusals are audited (reason "forbidden" or
// "out_of_scope").
//
// Thread safety: as Context.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"

namespace core::accounts {

using Permission = std::vector<std::string> policy::PermissionsPolicy::*;

// A live full-rights session (require_full_rights) holding `permission`.
// forbidden otherwise, audited under `action`.
common::Result<Principal> require_permission(Context& ctx, const Principal& who,
                                             Permission permission, std::string_view action);

// Whether `who` may act on users of organisation `target` (reads the
// organisations inside `tx`). Never fails on a missing organisation: false.
common::Result<bool> in_scope(store::StoreTx& tx, const Principal& who,
                              const store::OrganisationRecord& target);

// Whether `who` may approve accounts of `target`: in scope, and the caller's
// organisation is not a partner (partners only nominate, 4.31), unless it is
// central_team.
common::Result<bool> may_approve(store::StoreTx& tx, const Principal& who,
                                 const store::OrganisationRecord& target);

bool has_role(const Principal& who, std::string_view role);

}  // namespace core::accounts
