// The one place where a TOTP seed changes form between memory and the store.
//
// Today the stored form is the raw seed. A later issue wraps it with an AES
// key held in the HSM (DESIGN.md: a database dump reveals no seed); only these
// two functions change then. Plaintext seeds live in SecretBytes, which wipes
// itself; never log or put one in an error.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "common/secret.h"

namespace core::enrolment {

common::Result<std::vector<uint8_t>> seal_totp_secret(const common::SecretBytes& seed);
common::Result<common::SecretBytes> open_totp_secret(const std::vector<uint8_t>& sealed);

}  // namespace core::enrolment
