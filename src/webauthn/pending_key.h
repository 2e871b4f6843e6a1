// The issued security key a user may register now: a fido2 token in state
// "issued" whose enrolment code is unused and unexpired (the newest when
// there are several).
//
// Thread safety: as the StoreTx passed in.
#pragma once

#include <optional>

#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace core::webauthn {

struct PendingKey {
  store::TokenRecord token;
  store::EnrolmentRecord enrolment;
};

common::Result<std::optional<PendingKey>> pending_key(store::StoreTx& tx, int64_t user_id,
                                                      int64_t now);

}  // namespace core::webauthn
