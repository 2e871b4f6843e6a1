// Offline verification of the audit chain (core::verify_audit_trail).
//
// What it proves: every stored entry hashes to its recorded hash, links to its
// predecessor, and seq runs 1, 2, 3... without a gap. What it cannot prove
// without a signed checkpoint (a later issue, HSM): that entries were not cut
// off the end, or that the whole chain was not recomputed by someone with the
// file.
#include <string>

#include "audit/audit_hash.h"
#include "core/service.h"
#include "store/audit_row.h"
#include "store/sqlite_db.h"

namespace core {

AuditVerifyReport verify_audit_trail(const std::filesystem::path& database_path) {
  using store::Database;
  AuditVerifyReport report;
  auto fail = [&report](std::optional<int64_t> seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };
  auto db = Database::open(database_path, Database::OpenMode::read_only);
  if (!db) return fail(std::nullopt, db.error().message);
  auto tx = store::Transaction::begin(**db, /*write=*/false);
  if (!tx) return fail(std::nullopt, tx.error().message);
  auto stmt =
      (*db)->prepare(std::string("SELECT ") + store::kAuditColumns + " FROM audit ORDER BY seq");
  if (!stmt) return fail(std::nullopt, stmt.error().message);

  int64_t expected_seq = 1;
  std::string prev_hash;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(std::nullopt, row.error().message);
    if (!*row) break;
    AuditEntry e = store::audit_entry_from_row(*stmt);
    if (e.seq != expected_seq) {
      return fail(expected_seq, "entry " + std::to_string(expected_seq) +
                                    " is missing (the next entry is " + std::to_string(e.seq) +
                                    ")");
    }
    if (e.prev_hash != prev_hash) {
      return fail(e.seq, "entry " + std::to_string(e.seq) +
                             " does not link to the previous entry (prev_hash mismatch)");
    }
    if (audit::entry_hash(e) != e.hash) {
      return fail(e.seq, "entry " + std::to_string(e.seq) +
                             " has been altered (its hash does not match its contents)");
    }
    prev_hash = e.hash;
    ++expected_seq;
    ++report.verified;
  }
  report.ok = true;
  return report;
}

}  // namespace core
