// The audit table's column list and the mapping of one row to an AuditEntry,
// shared by the store (reads through the API) and the offline verifier.
#pragma once

#include "core/service.h"
#include "store/sqlite_db.h"

namespace core::store {

// The columns, in the order audit_entry_from_row() expects them.
inline constexpr const char* kAuditColumns =
    "seq, at, actor, subject, action, outcome, reason, source_address, detail, prev_hash, hash";

// Precondition: `stmt` selected kAuditColumns and stands on a row.
AuditEntry audit_entry_from_row(const Statement& stmt);

}  // namespace core::store
