// core::checkpoint_statement: the bytes an audit checkpoint signs. Plain
// text with one field per line so that an investigator can read it, and
// check the signature with `openssl dgst -sha256 -verify`.
#include "audit/rfc3339.h"
#include "core/audit_evidence.h"

namespace core {

std::string checkpoint_statement(const Checkpoint& c) {
  std::string out = "authd-audit-checkpoint-v1\n";
  out += "seq=" + std::to_string(c.seq) + "\n";
  out += "head=" + c.head_hash + "\n";
  out += "at_ms=" + std::to_string(audit::unix_ms(c.at)) + "\n";
  out += "key_id=" + c.key_id + "\n";
  return out;
}

}  // namespace core
