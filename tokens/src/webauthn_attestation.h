// Attestation statements (WebAuthn section 8): packed (self or x5c),
// fido-u2f and none, with the signature checked by libfido2 and the chain by
// webauthn_chain.
//
// Thread safety: pure function; a fresh fido_cred_t per call.
#pragma once

#include <cbor.h>

#include <span>
#include <string>
#include <string_view>

#include "tokens/webauthn.h"
#include "webauthn_authenticator_data.h"
#include "webauthn_cose_key.h"

namespace tokens::webauthn::detail {

struct AttestationInput {
  std::string_view format;                 // attestation object "fmt"
  const cbor_item_t* statement = nullptr;  // attestation object "attStmt" (a map)
  std::span<const uint8_t> authenticator_data;
  const AuthenticatorData* parsed = nullptr;  // authenticator_data, parsed (attested)
  const FidoPublicKey* credential_key = nullptr;
  std::string_view client_data_json;
  std::string_view rp_id;
};

// Precondition: the format is one of "packed", "fido-u2f", "none" and the
// policy allows it; rpIdHash and flags were already checked.
// Returns the trust reached ("none", "self", "unverified", "trusted") or
// bad_attestation (statement members missing or mistyped, a signature that
// does not verify, an attestation certificate that is a CA or names another
// AAGUID, fido-u2f without ES256 and P-256) or untrusted_attestation (roots
// configured and none reached, which includes self and none).
Verdict<std::string> verify_attestation_statement(const AttestationInput& input,
                                                  const AttestationPolicy& policy);

}  // namespace tokens::webauthn::detail
