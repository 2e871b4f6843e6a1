#include "audit/audit_hash.h"

#include <array>
#include <cstdint>
#include <string_view>

#include "common/secret.h"

namespace core::audit {
namespace {

void put_field(std::string& out, std::string_view field) {
  const uint64_t length = field.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((length >> shift) & 0xff));
  }
  out.append(field);
}

}  // namespace

std::string canonical_encoding(const AuditEntry& e) {
  std::string out = "authd-audit-v1";
  put_field(out, std::to_string(e.seq));
  put_field(out, std::to_string(common::unix_seconds(e.at)));
  for (const std::string* field : {&e.actor, &e.subject, &e.action, &e.outcome, &e.reason,
                                   &e.source_address, &e.detail, &e.prev_hash}) {
    put_field(out, *field);
  }
  return out;
}

std::string entry_hash(const AuditEntry& entry) {
  return common::sha256_hex(canonical_encoding(entry));
}

}  // namespace core::audit
