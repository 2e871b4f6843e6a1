// TOTP token enrolment: issue (administrators) and activate (the holder, or
// an administrator relaying the holder's code). A token starts "issued" and
// becomes "active" when a valid code is presented; the seed is shown once,
// in the otpauth URI returned by issue.
//
// Thread safety: as Context.
#pragma once

#include <string>
#include <string_view>

#include "accounts/admin_action.h"
#include "common/random.h"
#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"

namespace core::enrolment {

// "tok_" and 32 lower-case hex digits (128 random bits).
std::string new_token_id(common::Random& random);

// A new TOTP token, made and sealed by the HSM before any transaction
// begins, so that no write lock is held across an HSM call. unavailable if
// the HSM fails (then nothing has been written).
struct PreparedToken {
  store::TokenRecord record;  // no user yet
  common::SecretBytes seed;   // for the otpauth URI only
};
common::Result<PreparedToken> prepare_totp_token(Context& ctx, bool active);

// Records a prepared token for `user` inside the caller's write transaction,
// with its audit entry (token.issue); `active` for the bootstrap
// administrator only.
struct NewToken {
  store::TokenRecord record;
  std::string otpauth_uri;  // carries the seed: hand to the holder once
};
common::Result<NewToken> add_totp_token(Context& ctx, store::StoreTx& tx,
                                        const store::UserRecord& user, PreparedToken prepared,
                                        const std::string& actor,
                                        const std::string& source_address);

common::Result<IssuedTotp> issue_token(Context& ctx, const Principal& who,
                                       std::string_view username, std::string_view type);
common::Result<TokenView> activate_token(Context& ctx, const Principal& who,
                                         std::string_view token_id, std::string_view otp);

// Whether `user` may be given or enrol a token: an active account, or one
// suspended for "token_lost" or "password_compromised" (the replacement that
// must come before reactivation). conflict otherwise (reason
// "account_not_active").
common::Result<void> may_hold_token(const store::UserRecord& user, accounts::Refusals& refusals);

// Inside the write transaction that activates `token`: retires an active
// temporary token of the same type when a permanent one is activated
// (revoked, audited), then enforces lifecycle.max_active_tokens_per_type
// (conflict, reason "token_limit").
common::Result<void> make_room(Context& ctx, store::StoreTx& tx, const Principal& live,
                               const store::TokenRecord& token, const std::string& holder,
                               int64_t now, accounts::Refusals& refusals);

// A security key (type "fido2", state "issued") with its enrolment code.
common::Result<IssuedSecurityKey> issue_security_key(Context& ctx, const Principal& who,
                                                     std::string_view username);

// The TOTP parameters the policy asks for.
tokens::TotpParams totp_params(const policy::TotpPolicy& policy);

}  // namespace core::enrolment
