// Token lifecycle operations behind Service: a temporary replacement, loss
// (which suspends the account at once, guidance 2.6), revocation, return of
// the hardware, TOTP resynchronisation. Each applies tokens/lifecycle.h's
// transition with a compare-and-set on the stored state and writes the
// change and its audit entry (token.lost, token.revoke, token.return,
// token.resync, token.issue with "temporary": true) in one transaction.
//
// Thread safety: as Context.
#pragma once

#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::enrolment {

common::Result<IssuedTotp> issue_temporary_token(Context& ctx, const Principal& who,
                                                 std::string_view username,
                                                 std::string_view type);
common::Result<TokenView> report_token_lost(Context& ctx, const Principal& who,
                                            std::string_view token_id, std::string_view note);
common::Result<TokenView> revoke_token(Context& ctx, const Principal& who,
                                       std::string_view token_id, std::string_view note);
common::Result<TokenView> return_token(Context& ctx, const Principal& who,
                                       std::string_view token_id, std::string_view note);
common::Result<TokenView> resync_token(Context& ctx, const Principal& who,
                                       std::string_view token_id, std::string_view first_code,
                                       std::string_view second_code);

}  // namespace core::enrolment
