// The public half of a token's EC key, from its PKCS#11 attributes to a DER
// SubjectPublicKeyInfo (OpenSSL 3 provider APIs).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace hsm::internal {

// DER of the prime256v1 OID, as CKA_EC_PARAMS holds it for P-256.
std::span<const uint8_t> p256_ec_params();

// DER of the id-Ed25519 OID (1.3.101.112), as CKA_EC_PARAMS names edwards25519.
std::span<const uint8_t> ed25519_ec_params();

// `ec_point` is CKA_EC_POINT: a DER OCTET STRING wrapping the uncompressed
// point (some modules give the bare point; both are accepted). bad_request
// unless `ec_params` is P-256 and the point lies on the curve. For Ed25519
// params (the OID, or the PrintableString "edwards25519" some modules use)
// the point is the 32-byte public key, bare or in an OCTET STRING.
common::Result<std::vector<uint8_t>> spki_from_ec_point(std::span<const uint8_t> ec_params,
                                                        std::span<const uint8_t> ec_point);

}  // namespace hsm::internal
