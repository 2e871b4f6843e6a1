// The attribute templates for keys made in the token: what makes them
// sensitive, not extractable and usable for exactly one job.
//
// Thread safety: as the module's functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "pkcs11.h"

namespace hsm::internal {

// An ECDSA P-256 pair: private half TOKEN, PRIVATE, SENSITIVE, not
// EXTRACTABLE, SIGN only; public half TOKEN, VERIFY only. Both carry `label`
// and `id`. Returns the module's rv.
ck_rv_t generate_ec_p256(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                         std::span<const uint8_t> id);

// An Ed25519 pair (CKM_EC_EDWARDS_KEY_PAIR_GEN), with the same attributes
// as the P-256 pair.
ck_rv_t generate_ed25519(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                         std::span<const uint8_t> id);

// An AES-256 key: TOKEN, PRIVATE, SENSITIVE, not EXTRACTABLE, ENCRYPT and
// DECRYPT only (no WRAP/UNWRAP: it seals data, not other keys).
ck_rv_t generate_aes256(CK_FUNCTION_LIST* f, ck_session_handle_t session, const std::string& label,
                        std::span<const uint8_t> id);

}  // namespace hsm::internal
