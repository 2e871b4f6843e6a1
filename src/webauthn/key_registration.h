// Registering a FIDO2 security key against an issued fido2 token
// (Service::begin_key_registration / finish_key_registration).
//
// Begin hands out a challenge for the user's issued key, either to a
// logged-in user or to one who proves password and enrolment code (so that
// a user whose only token is a key can enrol). Finish verifies the
// browser's response with tokens::webauthn against the policy, stores the
// credential and activates the token, with the enrolment code used up, in
// one transaction with its audit entry. Every refusal is audited with
// tokens::webauthn's reason.
//
// Thread safety: as Context.
#pragma once

#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::webauthn {

common::Result<WebAuthnCeremony> begin_registration(Context& ctx, const Principal& who);
common::Result<WebAuthnCeremony> begin_registration(Context& ctx,
                                                    const KeyEnrolmentRequest& request);
common::Result<TokenView> finish_registration(Context& ctx, const Principal* who,
                                              std::string_view transaction,
                                              std::string_view credential_json,
                                              std::string_view source_address);

}  // namespace core::webauthn
