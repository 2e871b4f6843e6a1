// The canonical encoding of an audit entry and its hash.
//
// Encoding (version 1): the ASCII tag "authd-audit-v1", then ten fields in
// this order, each as an 8-byte big-endian byte length followed by the bytes:
//   seq (decimal), at (Unix seconds, decimal), actor, subject, action,
//   outcome, reason, source_address, detail, prev_hash (lower-case hex, "" for
//   the first entry).
// Length prefixes make the encoding unambiguous whatever the fields contain
// (no separator can be forged by a field). hash = lower-case hex SHA-256 of
// the encoding. Each entry's prev_hash is the previous entry's hash, so
// changing, inserting or removing an entry breaks every link after it.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "core/service.h"

namespace core::audit {

std::string canonical_encoding(const AuditEntry& entry);
std::string entry_hash(const AuditEntry& entry);

}  // namespace core::audit
