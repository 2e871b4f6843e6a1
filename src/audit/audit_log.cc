#include "audit/audit_log.h"

#include "audit/audit_hash.h"

namespace core::audit {

common::Result<AuditEntry> append(store::StoreTx& tx, common::TimePoint at, const Draft& draft) {
  auto head = tx.audit_head();
  if (!head) return head.error();
  AuditEntry entry;
  entry.seq = head->seq + 1;
  // Whole seconds: the stored and hashed precision.
  entry.at = common::from_unix_seconds(common::unix_seconds(at));
  entry.actor = draft.actor;
  entry.subject = draft.subject;
  entry.action = draft.action;
  entry.outcome = draft.outcome;
  entry.reason = draft.reason;
  entry.source_address = draft.source_address;
  entry.detail = draft.detail.empty() ? "{}" : draft.detail;
  entry.prev_hash = head->hash;
  entry.hash = entry_hash(entry);
  auto inserted = tx.insert_audit(entry);
  if (!inserted) return inserted.error();
  return entry;
}

}  // namespace core::audit
