// Parsing DER SubjectPublicKeyInfo into OpenSSL keys, shared by the public
// helpers (PEM, JWK, signature verification).
//
// Thread safety: pure functions.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <span>

#include "common/result.h"

namespace hsm::internal {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using EvpPkey = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// Any public key; bad_request if the DER is not exactly one SPKI.
common::Result<EvpPkey> parse_spki(std::span<const uint8_t> der);
// As parse_spki, and bad_request unless it is an EC key on P-256.
common::Result<EvpPkey> parse_p256_spki(std::span<const uint8_t> der);

}  // namespace hsm::internal
