// One pass of outbox delivery: every due message is handed to the Notifier,
// and each attempt is recorded on its row and audited ("notification.deliver",
// actor "authd-outbox", subject the username it is about, detail {id, kind,
// recipient, attempt}, reason "ok" or "delivery_failed") in one transaction.
// A failed message is retried after retry_initial, doubling per failure up
// to one hour. Rows are never deleted.
//
// The transport runs outside any transaction (it may take up to its
// timeout), so a delivery may be repeated if the store fails right after it:
// at least once, never lost.
//
// Thread safety: one pass at a time per Context (the Background runs them on
// its single deliverer thread; tests call it directly).
#pragma once

#include <chrono>

#include "common/result.h"
#include "notifications/notifier.h"
#include "service/context.h"

namespace core::notifications {

inline constexpr const char* kOutboxActor = "authd-outbox";
inline constexpr std::chrono::seconds kMaxRetryDelay{3600};

struct DeliveryPass {
  int delivered = 0;
  int failed = 0;
};

// Delivers up to `limit` due messages. Fails only when the store does.
common::Result<DeliveryPass> deliver_due(Context& ctx, Notifier& notifier, int limit = 100);

// The delay before the next attempt after `failures` failed attempts (>= 1).
std::chrono::seconds retry_delay(std::chrono::seconds initial, int failures);

}  // namespace core::notifications
