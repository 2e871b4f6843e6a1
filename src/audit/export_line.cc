// core::export_line: one JSON line per entry or checkpoint, in the format
// audit_evidence.h documents. The entry's detail is embedded as the object it
// is; ordered_json keeps its members in their stored order, so the verifier
// re-serialises exactly the text that was hashed.
#include <nlohmann/json.hpp>

#include "audit/base64.h"
#include "audit/rfc3339.h"
#include "core/audit_evidence.h"

namespace core {

std::string export_line(const AuditEntry& e) {
  nlohmann::ordered_json line;
  line["type"] = "entry";
  line["seq"] = e.seq;
  line["at"] = common::to_rfc3339(e.at);
  line["actor"] = e.actor;
  line["subject"] = e.subject;
  line["action"] = e.action;
  line["outcome"] = e.outcome;
  line["reason"] = e.reason;
  line["source_address"] = e.source_address;
  // Text that is not a JSON object (never written by authd) travels as a
  // string, so that it still verifies.
  auto detail = nlohmann::ordered_json::parse(e.detail, nullptr, /*allow_exceptions=*/false);
  if (detail.is_object() && detail.dump() == e.detail) {
    line["detail"] = std::move(detail);
  } else {
    line["detail"] = e.detail;
  }
  line["prev_hash"] = e.prev_hash;
  line["hash"] = e.hash;
  return line.dump();
}

std::string export_line(const Checkpoint& c) {
  nlohmann::ordered_json line;
  line["type"] = "checkpoint";
  line["seq"] = c.seq;
  line["head_hash"] = c.head_hash;
  line["at_ms"] = audit::unix_ms(c.at);
  line["key_id"] = c.key_id;
  line["signature"] = audit::base64_encode(c.signature);
  line["statement"] = checkpoint_statement(c);
  return line.dump();
}

}  // namespace core
