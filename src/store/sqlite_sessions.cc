// Sessions in SQLite. Rows are never deleted: an ended session keeps its row
// (with ended_at and end_reason) so that ending is final and auditable.
#include "store/sqlite_store.h"

namespace core::store {

Result<void> SqliteTx::insert_session(const SessionRecord& session) {
  auto stmt = db_->prepare(
      "INSERT INTO sessions (hash, user_id, route, source_address, created_at, expires_at, "
      "last_seen_at, mediator_id, auth_methods) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(session.hash, session.user_id, session.route, session.source_address,
                 session.created_at, session.expires_at, session.last_seen_at, session.mediator_id,
                 session.auth_methods);
  return stmt->run();
}

Result<std::optional<SessionRecord>> SqliteTx::find_session(std::string_view hash) {
  auto stmt = db_->prepare(
      "SELECT hash, user_id, route, source_address, created_at, expires_at, last_seen_at, "
      "ended_at, COALESCE(end_reason, ''), mediator_id, auth_methods FROM sessions WHERE hash = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(hash);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<SessionRecord>();
  SessionRecord s;
  s.hash = stmt->text_at(0);
  s.user_id = stmt->int_at(1);
  s.route = stmt->text_at(2);
  s.source_address = stmt->text_at(3);
  s.created_at = stmt->int_at(4);
  s.expires_at = stmt->int_at(5);
  s.last_seen_at = stmt->int_at(6);
  s.ended_at = stmt->optional_int_at(7);
  s.end_reason = stmt->text_at(8);
  s.mediator_id = stmt->optional_int_at(9);
  s.auth_methods = stmt->text_at(10);
  return std::optional<SessionRecord>(std::move(s));
}

Result<void> SqliteTx::touch_session(std::string_view hash, int64_t last_seen_at) {
  auto stmt = db_->prepare(
      "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?) "
      "WHERE hash = ? AND ended_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind_all(last_seen_at, hash);
  return stmt->run();
}

Result<bool> SqliteTx::end_session(std::string_view hash, int64_t at, std::string_view reason) {
  auto stmt = db_->prepare(
      "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE hash = ? AND ended_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind_all(at, reason, hash);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<std::vector<std::string>> SqliteTx::end_sessions_of(int64_t user_id, int64_t at,
                                                           std::string_view reason) {
  return end_other_sessions_of(user_id, "", at, reason);
}

Result<std::vector<std::string>> SqliteTx::end_other_sessions_of(int64_t user_id,
                                                                 std::string_view keep_hash,
                                                                 int64_t at,
                                                                 std::string_view reason) {
  // Requestor or mediator: a suspended user can take part in no session
  // (guidance 4.34: no access "by any method, including mediated access").
  // No session has an empty hash, so "" keeps none.
  auto stmt = db_->prepare(
      "UPDATE sessions SET ended_at = ?, end_reason = ? "
      "WHERE (user_id = ? OR mediator_id = ?) AND ended_at IS NULL AND hash <> ? RETURNING hash");
  if (!stmt) return stmt.error();
  stmt->bind_all(at, reason, user_id, user_id, keep_hash);
  std::vector<std::string> hashes;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return hashes;
    hashes.push_back(stmt->text_at(0));
  }
}

}  // namespace core::store
