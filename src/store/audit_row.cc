#include "store/audit_row.h"

namespace core::store {

AuditEntry audit_entry_from_row(const Statement& stmt) {
  AuditEntry e;
  e.seq = stmt.int_at(0);
  e.at = common::from_unix_seconds(stmt.int_at(1));
  e.actor = stmt.text_at(2);
  e.subject = stmt.text_at(3);
  e.action = stmt.text_at(4);
  e.outcome = stmt.text_at(5);
  e.reason = stmt.text_at(6);
  e.source_address = stmt.text_at(7);
  e.detail = stmt.text_at(8);
  e.prev_hash = stmt.text_at(9);
  e.hash = stmt.text_at(10);
  return e;
}

}  // namespace core::store
