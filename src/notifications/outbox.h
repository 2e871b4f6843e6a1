// The notifications outbox: messages to staff managers and users written in
// the same transaction as the change they report, then delivered by the
// Deliverer (notifications/deliverer.h) with retries. A message is never
// lost: it stays pending until a delivery succeeds; each attempt is audited
// (notification.deliver, success or failure).
//
// Thread safety: as the StoreTx passed in.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace core::notifications {

struct Message {
  std::string kind;       // "account.suspended", "vetting.warning", "vetting.expired",
                          // "account.dormant", "token.lost", "account.closed"
  std::string recipient;  // email address; a message without one is not queued
  std::string subject;
  std::string body;   // plain text, no secrets
  std::string about;  // username
};

// Queues `message` for delivery now. Returns the id, or 0 when the
// recipient is empty (nothing queued: the caller audits "no manager_email"
// in its own entry's detail).
common::Result<int64_t> enqueue(store::StoreTx& tx, const Message& message, int64_t now);

}  // namespace core::notifications
