// Logging in with password + security key (Service::begin_key_login /
// finish_key_login), built from the same steps as the TOTP login
// (login/login_steps.h) so throttling, lockout, account checks and audit
// behave the same.
//
// Begin checks the password and answers with the user's keys, or with a
// decoy of the same shape and cost, so that neither the answer nor its
// timing tells whether the user exists, the password was right or the user
// has a key. Finish consumes the ceremony, verifies the assertion, moves
// the signature counter by compare-and-set (a concurrent replay loses) and
// opens a session with auth_methods "pwd hwk". A counter that went back
// marks the token suspect_clone and tells the account administrators.
//
// Thread safety: as Context.
#pragma once

#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::webauthn {

common::Result<WebAuthnCeremony> begin_login(Context& ctx, const KeyLoginRequest& request);
common::Result<LoginGrant> finish_login(Context& ctx, std::string_view transaction,
                                        std::string_view credential_json,
                                        std::string_view source_address);

}  // namespace core::webauthn
