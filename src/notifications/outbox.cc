// Queuing a message: one row, inside the caller's transaction, due at once.
#include "notifications/outbox.h"

namespace core::notifications {

common::Result<int64_t> enqueue(store::StoreTx& tx, const Message& message, int64_t now) {
  // No address, nobody to tell: the caller's audit entry says so.
  if (message.recipient.empty()) return int64_t{0};
  store::NotificationRecord row;
  row.kind = message.kind;
  row.recipient = message.recipient;
  row.subject = message.subject;
  row.body = message.body;
  row.about = message.about;
  row.created_at = now;
  row.next_attempt_at = now;
  return tx.insert_notification(row);
}

}  // namespace core::notifications
