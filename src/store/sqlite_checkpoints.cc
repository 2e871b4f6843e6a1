// Signed audit checkpoints in SQLite: append and read only (triggers refuse
// the rest).
#include "store/sqlite_store.h"

namespace core::store {
namespace {

constexpr const char* kCheckpointColumns =
    "SELECT seq, head_hash, at_ms, key_id, signature FROM audit_checkpoints ";

Checkpoint read_checkpoint(const Statement& stmt) {
  Checkpoint c;
  c.seq = stmt.int_at(0);
  c.head_hash = stmt.text_at(1);
  c.at = common::TimePoint(std::chrono::milliseconds(stmt.int_at(2)));
  c.key_id = stmt.text_at(3);
  c.signature = stmt.blob_at(4);
  return c;
}

Result<std::vector<Checkpoint>> read_all(Statement& stmt) {
  std::vector<Checkpoint> all;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return all;
    all.push_back(read_checkpoint(stmt));
  }
}

Result<std::optional<Checkpoint>> read_one(Statement& stmt) {
  auto all = read_all(stmt);
  if (!all) return all.error();
  if (all->empty()) return std::optional<Checkpoint>();
  return std::optional<Checkpoint>(std::move(all->front()));
}

}  // namespace

Result<void> SqliteTx::insert_checkpoint(const Checkpoint& c) {
  auto stmt = db_->prepare(
      "INSERT INTO audit_checkpoints (seq, head_hash, at_ms, key_id, signature) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  const int64_t at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(c.at.time_since_epoch()).count();
  stmt->bind_all(c.seq, c.head_hash, at_ms, c.key_id);
  stmt->bind_blob(5, c.signature);
  return stmt->run();
}

Result<std::optional<Checkpoint>> SqliteTx::last_checkpoint() {
  auto stmt = db_->prepare(std::string(kCheckpointColumns) + "ORDER BY seq DESC LIMIT 1");
  if (!stmt) return stmt.error();
  return read_one(*stmt);
}

Result<std::vector<Checkpoint>> SqliteTx::checkpoints_after(int64_t after_seq, int limit) {
  auto stmt = db_->prepare(std::string(kCheckpointColumns) + "WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(after_seq, static_cast<int64_t>(limit));
  return read_all(*stmt);
}

Result<std::optional<Checkpoint>> SqliteTx::checkpoint_at_or_after(int64_t seq) {
  auto stmt = db_->prepare(std::string(kCheckpointColumns) + "WHERE seq >= ? ORDER BY seq LIMIT 1");
  if (!stmt) return stmt.error();
  stmt->bind_all(seq);
  return read_one(*stmt);
}

}  // namespace core::store
