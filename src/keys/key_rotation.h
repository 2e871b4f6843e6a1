// Key rotation (Service::rotate_key) and the registry as the API lists it.
//
// rotate_key makes a new key in the token (label "<purpose>-<UTC
// yyyymmddThhmmssZ>", with a random suffix if that label is taken), then in
// one write transaction retires the current key of that purpose (retired_at
// = now; never deleted), records the new one as current and appends
// key.rotate. Per purpose:
//   audit      the old key first signs a last checkpoint, under the
//              checkpointer's signing lock, so every entry before the switch
//              is covered by the old key within its validity, and every
//              later checkpoint is by the new key;
//   wrap       afterwards every seed is re-wrapped under the new key in small
//              compare-and-set batches while logins go on (a seed names its
//              key, so either opens meanwhile); key.rewrap records the count;
//   assertion  just the switch.
// DIR/keys is re-exported last. One rotation at a time (Context lock).
//
// Errors: forbidden / password_change_required as every admin call;
// bad_request for an unknown purpose; unavailable when the HSM or store
// fails (before the switch nothing changed; after it, the message says what
// is left: seeds are re-wrapped at the next start, DIR/keys at the next
// rotation).
//
// Thread safety: as Context.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::keys {

common::Result<KeyView> rotate_key(Context& ctx, const Principal& who, std::string_view purpose);
common::Result<std::vector<KeyView>> list_keys(Context& ctx);

}  // namespace core::keys
