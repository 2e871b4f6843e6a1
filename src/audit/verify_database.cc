// core::verify_audit_database: the trail and its checkpoints as stored,
// read-only in one read transaction (a consistent snapshot even while authd
// appends), merged in seq order into the TrailChecker.
#include "audit/rfc3339.h"
#include "audit/trail_checker.h"
#include "store/audit_row.h"
#include "store/sqlite_db.h"

namespace core {
namespace {

using store::Database;
using store::Statement;

// A database from before checkpoints (schema v1) has no checkpoint table:
// it verifies as a chain with an entirely unsigned tail.
common::Result<bool> has_checkpoint_table(Database& db) {
  auto stmt = db.prepare(
      "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'audit_checkpoints'");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return stmt->int_at(0) == 1;
}

}  // namespace

TrailReport verify_audit_database(const std::filesystem::path& database_path,
                                  const std::vector<TrustedKey>& keys) {
  audit::TrailChecker checker(keys, audit::TrailChecker::Start::at_first_seq);
  auto db = Database::open(database_path, Database::OpenMode::read_only);
  if (!db) {
    checker.fail(std::nullopt, db.error().message);
    return checker.finish();
  }
  auto tx = store::Transaction::begin(**db, /*write=*/false);
  if (!tx) {
    checker.fail(std::nullopt, tx.error().message);
    return checker.finish();
  }
  auto entries =
      (*db)->prepare(std::string("SELECT ") + store::kAuditColumns + " FROM audit ORDER BY seq");
  if (!entries) {
    checker.fail(std::nullopt, entries.error().message);
    return checker.finish();
  }
  auto with_checkpoints = has_checkpoint_table(**db);
  if (!with_checkpoints) {
    checker.fail(std::nullopt, with_checkpoints.error().message);
    return checker.finish();
  }
  std::optional<Statement> checkpoints;
  if (*with_checkpoints) {
    auto stmt = (*db)->prepare(
        "SELECT seq, head_hash, at_ms, key_id, signature FROM audit_checkpoints ORDER BY seq");
    if (!stmt) {
      checker.fail(std::nullopt, stmt.error().message);
      return checker.finish();
    }
    checkpoints.emplace(std::move(*stmt));
  }

  // The next checkpoint row, read ahead of the entries.
  std::optional<Checkpoint> next;
  auto advance = [&]() -> bool {
    next.reset();
    if (!checkpoints) return true;
    auto row = checkpoints->step();
    if (!row) {
      checker.fail(std::nullopt, row.error().message);
      return false;
    }
    if (!*row) return true;
    Checkpoint c;
    c.seq = checkpoints->int_at(0);
    c.head_hash = checkpoints->text_at(1);
    c.at = audit::from_unix_ms(checkpoints->int_at(2));
    c.key_id = checkpoints->text_at(3);
    c.signature = checkpoints->blob_at(4);
    next = std::move(c);
    return true;
  };
  if (!advance()) return checker.finish();
  for (;;) {
    auto row = entries->step();
    if (!row) {
      checker.fail(std::nullopt, row.error().message);
      return checker.finish();
    }
    if (!*row) break;
    const AuditEntry e = store::audit_entry_from_row(*entries);
    checker.entry(e);
    while (!checker.failed() && next && next->seq <= e.seq) {
      checker.checkpoint(*next);
      if (!advance()) return checker.finish();
    }
    if (checker.failed()) return checker.finish();
  }
  while (!checker.failed() && next) {
    checker.checkpoint(*next);
    if (!advance()) break;
  }
  return checker.finish();
}

}  // namespace core
