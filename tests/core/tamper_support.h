// Helpers for tampering with a copy of an authd database the way someone
// holding the file could: triggers dropped, rows changed with the SQLite C
// API, hashes recomputed, checkpoints forged with a key made by OpenSSL.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/service.h"

namespace core::testing {

// Copies `from` to `to` and drops the append-only triggers in the copy.
void copy_without_triggers(const std::filesystem::path& from, const std::filesystem::path& to);
// Runs SQL on a database file; fails the test on error.
void exec_sql(const std::filesystem::path& db, const std::string& sql);
// Every entry, in seq order.
std::vector<AuditEntry> read_entries(const std::filesystem::path& db);
// Rewrites entries from `from_seq` on so that every hash and link is right
// again (what someone would do to hide an edit from a plain hash chain).
void recompute_chain(const std::filesystem::path& db, int64_t from_seq);
void insert_checkpoint(const std::filesystem::path& db, const Checkpoint& checkpoint);

// A P-256 key pair made by OpenSSL, outside any HSM.
struct ForeignKey {
  ForeignKey();
  ~ForeignKey();
  ForeignKey(const ForeignKey&) = delete;
  ForeignKey& operator=(const ForeignKey&) = delete;
  std::vector<uint8_t> spki_der() const;
  std::string key_id() const;                                       // its RFC 7638 thumbprint
  std::vector<uint8_t> sign_der(const std::string& message) const;  // ECDSA SHA-256, DER
  void* pkey;                                                       // EVP_PKEY*
};

}  // namespace core::testing
