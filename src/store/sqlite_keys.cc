// The key registry in SQLite. Keys are only ever added and retired (triggers
// refuse deletion and any other change).
#include "store/sqlite_store.h"

namespace core::store {

Result<void> SqliteTx::insert_key(const KeyRecord& k) {
  auto stmt = db_->prepare(
      "INSERT INTO keys (key_id, purpose, uri, public_key_pem, created_at_ms, retired_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(k.key_id, k.purpose, k.uri, k.public_key_pem, k.created_at_ms);
  stmt->bind(6, k.retired_at_ms);
  return stmt->run();
}

Result<std::vector<KeyRecord>> SqliteTx::list_keys() {
  auto stmt = db_->prepare(
      "SELECT key_id, purpose, uri, public_key_pem, created_at_ms, retired_at_ms FROM keys "
      "ORDER BY created_at_ms, key_id");
  if (!stmt) return stmt.error();
  std::vector<KeyRecord> all;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return all;
    KeyRecord k;
    k.key_id = stmt->text_at(0);
    k.purpose = stmt->text_at(1);
    k.uri = stmt->text_at(2);
    k.public_key_pem = stmt->text_at(3);
    k.created_at_ms = stmt->int_at(4);
    k.retired_at_ms = stmt->optional_int_at(5);
    all.push_back(std::move(k));
  }
}

Result<bool> SqliteTx::retire_key(std::string_view key_id, int64_t at_ms) {
  auto stmt =
      db_->prepare("UPDATE keys SET retired_at_ms = ? WHERE key_id = ? AND retired_at_ms IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind_all(at_ms, key_id);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

}  // namespace core::store
