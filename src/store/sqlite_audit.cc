// The audit table in SQLite: append and read only (triggers refuse the rest).
#include "store/audit_row.h"
#include "store/sqlite_store.h"

namespace core::store {

Result<AuditHead> SqliteTx::audit_head() {
  auto stmt = db_->prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return AuditHead{};
  return AuditHead{stmt->int_at(0), stmt->text_at(1)};
}

Result<void> SqliteTx::insert_audit(const AuditEntry& e) {
  auto stmt = db_->prepare(
      "INSERT INTO audit (seq, at, actor, subject, action, outcome, reason, source_address, "
      "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(e.seq, common::unix_seconds(e.at), e.actor, e.subject, e.action, e.outcome,
                 e.reason, e.source_address, e.detail, e.prev_hash, e.hash);
  auto done = stmt->run();
  if (done) ++audit_appended_;
  return done;
}

Result<std::vector<AuditEntry>> SqliteTx::audit_after(int64_t after, int limit) {
  auto stmt = db_->prepare(std::string("SELECT ") + kAuditColumns +
                           " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(after, static_cast<int64_t>(limit));
  std::vector<AuditEntry> entries;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return entries;
    entries.push_back(audit_entry_from_row(*stmt));
  }
}

}  // namespace core::store
