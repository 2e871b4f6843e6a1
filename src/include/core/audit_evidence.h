// Offline evidence: verifying an audit trail with public keys alone, from the
// database file or from an export, without the HSM and without a server.
//
// What verification proves, given trusted public keys:
//  - every entry hashes to its recorded hash and links to its predecessor,
//    and sequence numbers run without a gap (altered, inserted, removed or
//    reordered entries are found, with the first bad seq);
//  - every checkpoint is signed by a trusted audit key valid at its time, and
//    names an entry that exists with that hash (a recomputed chain, a
//    forged checkpoint, or entries cut off behind the last checkpoint are
//    found);
//  - entries after the last checkpoint are sound as a chain but not signed:
//    they are reported as the unsigned tail (someone with the file could
//    have cut or rewritten them).
//
// Export format (JSON lines, one object per line, entries and checkpoints in
// seq order, a checkpoint after the entry it covers):
//   {"type":"entry","seq":..,"at":"RFC3339","actor":..,"subject":..,"action":..,
//    "outcome":..,"reason":..,"source_address":..,"detail":{..},"prev_hash":..,"hash":..}
//   {"type":"checkpoint","seq":..,"head_hash":..,"at_ms":..,"key_id":..,
//    "signature":"base64 DER","statement":"the signed text"}
// An export may start at any seq: its first entry's prev_hash is taken as
// given (nothing before it is claimed).
//
// Thread safety: pure functions.
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/service.h"

namespace core {

// The exact bytes an audit checkpoint signs (text, so that `openssl dgst
// -sha256 -verify key.pem -signature sig.der statement.txt` checks it):
//   authd-audit-checkpoint-v1\n
//   seq=<seq>\n
//   head=<hex hash of entry seq>\n
//   at_ms=<Unix milliseconds>\n
//   key_id=<thumbprint>\n
std::string checkpoint_statement(const Checkpoint& checkpoint);

// A public key the verifier trusts, with the span it was in use (from
// keys.json); a bare PEM file has no validity and is trusted at any time.
struct TrustedKey {
  std::string key_id;  // RFC 7638 thumbprint, computed from the key itself
  std::vector<uint8_t> spki_der;
  std::optional<TimePoint> valid_from;
  std::optional<TimePoint> valid_until;
};

// Reads PEM public keys and/or keys.json files (as written under DIR/keys).
// bad_request naming the file on anything unreadable. Only audit keys are
// taken from keys.json.
Result<std::vector<TrustedKey>> load_trusted_keys(const std::vector<std::filesystem::path>& files);

struct TrailReport {
  bool ok = false;                       // no tampering found (and, if strict, no unsigned tail)
  int64_t entries = 0;                   // entries read
  int64_t checkpoints = 0;               // checkpoints whose signatures verified
  int64_t unsigned_tail = 0;             // entries after the last verified checkpoint
  std::optional<int64_t> first_bad_seq;  // the first entry (or checkpoint seq) that fails
  std::string problem;                   // what is wrong, for people
};

// The database file (opened read-only) with its audit and checkpoint tables.
TrailReport verify_audit_database(const std::filesystem::path& database_path,
                                  const std::vector<TrustedKey>& keys);

// An export in the format above.
TrailReport verify_audit_export(std::istream& lines, const std::vector<TrustedKey>& keys);

// One export line (without the newline) for an entry or a checkpoint.
std::string export_line(const AuditEntry& entry);
std::string export_line(const Checkpoint& checkpoint);

}  // namespace core
