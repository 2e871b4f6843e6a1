// What happens when a security key's signature counter goes backwards: two
// devices are answering for one credential, so the key may have been
// cloned. Inside the caller's write transaction the token moves to
// suspect_clone (it never authenticates again), the event is audited and
// the user's account administrators — active users of the user's
// organisation or its local authority who hold token_manage, with an email
// address — are told through the outbox.
//
// Thread safety: as the StoreTx passed in.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"

namespace core::webauthn {

// Returns how many messages were queued.
common::Result<int64_t> report_suspected_clone(Context& ctx, store::StoreTx& tx,
                                               const store::UserRecord& user,
                                               const store::WebAuthnCredentialRecord& credential,
                                               uint32_t presented_count,
                                               const std::string& source_address, int64_t now);

}  // namespace core::webauthn
