// The notifications outbox in SQLite. Rows are never deleted (a trigger
// refuses it); a delivered row keeps its delivered_at for the record.
#include "store/sqlite_store.h"

namespace core::store {
namespace {

constexpr const char* kNotificationColumns =
    "SELECT id, kind, recipient, subject, body, about, created_at, attempts, next_attempt_at, "
    "delivered_at, last_error FROM notifications ";

NotificationRecord read_notification(const Statement& stmt) {
  NotificationRecord n;
  n.id = stmt.int_at(0);
  n.kind = stmt.text_at(1);
  n.recipient = stmt.text_at(2);
  n.subject = stmt.text_at(3);
  n.body = stmt.text_at(4);
  n.about = stmt.text_at(5);
  n.created_at = stmt.int_at(6);
  n.attempts = static_cast<int>(stmt.int_at(7));
  n.next_attempt_at = stmt.int_at(8);
  n.delivered_at = stmt.optional_int_at(9);
  n.last_error = stmt.text_at(10);
  return n;
}

Result<std::vector<NotificationRecord>> all_rows(Statement& stmt) {
  std::vector<NotificationRecord> all;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return all;
    all.push_back(read_notification(stmt));
  }
}

}  // namespace

Result<int64_t> SqliteTx::insert_notification(const NotificationRecord& n) {
  auto stmt = db_->prepare(
      "INSERT INTO notifications (kind, recipient, subject, body, about, created_at, attempts, "
      "next_attempt_at, delivered_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  if (!stmt) return stmt.error();
  stmt->bind_all(n.kind, n.recipient, n.subject, n.body, n.about, n.created_at,
                 static_cast<int64_t>(n.attempts), n.next_attempt_at);
  stmt->bind(9, n.delivered_at);
  stmt->bind(10, std::string_view(n.last_error));
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return common::make_error(common::Errc::internal, "insert returned no id");
  const int64_t id = stmt->int_at(0);
  auto done = stmt->run();
  if (!done) return done.error();
  return id;
}

Result<std::vector<NotificationRecord>> SqliteTx::due_notifications(int64_t now, int limit) {
  auto stmt = db_->prepare(std::string(kNotificationColumns) +
                           "WHERE delivered_at IS NULL AND next_attempt_at <= ? "
                           "ORDER BY next_attempt_at, id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(now, static_cast<int64_t>(limit));
  return all_rows(*stmt);
}

Result<void> SqliteTx::record_delivery(int64_t id, bool delivered, int64_t at,
                                       int64_t next_attempt_at, std::string_view error) {
  // Every attempt counts, the successful one included. A delivered message
  // is never re-recorded, so a late duplicate attempt cannot unset it.
  auto stmt = db_->prepare(
      delivered ? "UPDATE notifications SET attempts = attempts + 1, delivered_at = ?, "
                  "last_error = '' WHERE id = ? AND delivered_at IS NULL"
                : "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ?, "
                  "last_error = ? WHERE id = ? AND delivered_at IS NULL");
  if (!stmt) return stmt.error();
  if (delivered) {
    stmt->bind_all(at, id);
  } else {
    stmt->bind_all(next_attempt_at, error, id);
  }
  return stmt->run();
}

Result<std::vector<NotificationRecord>> SqliteTx::notifications_after(int64_t after, int limit) {
  auto stmt = db_->prepare(std::string(kNotificationColumns) + "WHERE id > ? ORDER BY id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(after, static_cast<int64_t>(limit));
  return all_rows(*stmt);
}

}  // namespace core::store
