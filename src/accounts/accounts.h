// Administrative operations on users and organisations, and the holder's own
// password change. Each checks permissions first (accounts/permissions.h),
// does slow work (Argon2id) outside any transaction, then writes the change
// and its audit entry in one transaction.
//
// Thread safety: as Context.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "store/records.h"

namespace core::accounts {

common::Result<UserView> create_user(Context& ctx, const Principal& who, const NewUser& user);
common::Result<UserView> get_user(Context& ctx, const Principal& who, std::string_view username);
common::Result<std::vector<Organisation>> list_organisations(Context& ctx, const Principal& who);
common::Result<Organisation> create_organisation(Context& ctx, const Principal& who,
                                                 const Organisation& org);
common::Result<void> change_password(Context& ctx, const Principal& who,
                                     std::string_view current_password,
                                     std::string_view new_password);

TokenView token_view(const store::TokenRecord& token);
UserView user_view(const store::UserRecord& user, const std::vector<store::TokenRecord>& tokens);

}  // namespace core::accounts
