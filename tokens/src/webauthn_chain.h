// Attestation certificate chains against the configured roots (OpenSSL
// X509_STORE).
//
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tokens::webauthn::detail {

// True when x5c[0] (the attestation certificate, DER) verifies through the
// rest of `x5c` (intermediates, DER, any order) to one of `roots_pem`.
// Validity dates are not checked: nothing here reads a clock, and an
// attestation certificate names an authenticator model, which stays what it
// is after the certificate's notAfter (many are issued for shorter than the
// devices live). False for an empty x5c, undecodable certificates, or roots
// none of which parse.
bool chain_reaches_root(const std::vector<std::span<const uint8_t>>& x5c,
                        const std::vector<std::string>& roots_pem);

}  // namespace tokens::webauthn::detail
