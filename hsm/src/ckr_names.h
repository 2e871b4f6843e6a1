// CK_RV values to names and to common::Error, so every PKCS#11 failure reaches
// the caller as "HSM <operation>: <CKR_NAME>" with a code the daemon can map.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "common/result.h"
#include "pkcs11.h"

namespace hsm::internal {

// "CKR_PIN_INCORRECT"; "CKR_VENDOR_DEFINED+0x…" or "CKR_0x…" for values the
// standard does not name.
std::string ckr_name(ck_rv_t rv);

// The Errc for a failed call: invalid_credentials for PIN problems, not_found
// for handles that no longer name an object, bad_request for input the token
// rejects (data, templates, mechanism parameters), unavailable for the rest
// (device, session, memory, state: the operation did not happen).
common::Errc ckr_errc(ck_rv_t rv);

// Error for `operation` (e.g. "sign_es256: C_Sign") failing with `rv`.
// Precondition: rv != CKR_OK.
common::Error ckr_error(std::string_view operation, ck_rv_t rv);

}  // namespace hsm::internal
