// The ceremony options authd hands to browsers, from the relying party
// setup and the policy, and the tokens::webauthn expectations that check
// the answers against the same settings.
//
// Thread safety: pure functions of their arguments.
#pragma once

#include <string>
#include <vector>

#include "service/context.h"
#include "store/records.h"
#include "tokens/webauthn.h"

namespace core::webauthn {

std::vector<tokens::webauthn::CredentialDescriptor> descriptors_of(
    const std::vector<store::WebAuthnCredentialRecord>& credentials);

std::string creation_options(const Context& ctx, const store::UserRecord& user,
                             const store::CeremonyRecord& ceremony,
                             const std::vector<store::WebAuthnCredentialRecord>& registered);

std::string request_options(const Context& ctx, const store::CeremonyRecord& ceremony,
                            std::vector<tokens::webauthn::CredentialDescriptor> allowed);

tokens::webauthn::RegistrationExpectation registration_expectation(
    const Context& ctx, const store::CeremonyRecord& ceremony);
tokens::webauthn::AssertionExpectation assertion_expectation(const Context& ctx,
                                                             const store::CeremonyRecord& ceremony);

}  // namespace core::webauthn
