// The security keys that may log a user in now: credentials of the user's
// active fido2 tokens (a temporary one only until its expiry).
//
// Thread safety: as the StoreTx passed in.
#pragma once

#include <vector>

#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace core::webauthn {

common::Result<std::vector<store::WebAuthnCredentialRecord>> usable_keys(store::StoreTx& tx,
                                                                         int64_t user_id,
                                                                         int64_t now);

}  // namespace core::webauthn
