#include "tamper_support.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sqlite3.h>

#include "audit/audit_hash.h"
#include "audit/rfc3339.h"
#include "hsm/hsm.h"

namespace core::testing {

void exec_sql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message << " in " << sql;
}

void copy_without_triggers(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  exec_sql(to,
           "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
           "DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;");
}

std::vector<AuditEntry> read_entries(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT seq, at, actor, subject, action, outcome, reason, "
                               "source_address, detail, prev_hash, hash FROM audit ORDER BY seq",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::vector<AuditEntry> all;
  auto text = [&stmt](int i) {
    const auto* t = sqlite3_column_text(stmt, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    AuditEntry e;
    e.seq = sqlite3_column_int64(stmt, 0);
    e.at = common::from_unix_seconds(sqlite3_column_int64(stmt, 1));
    e.actor = text(2);
    e.subject = text(3);
    e.action = text(4);
    e.outcome = text(5);
    e.reason = text(6);
    e.source_address = text(7);
    e.detail = text(8);
    e.prev_hash = text(9);
    e.hash = text(10);
    all.push_back(std::move(e));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return all;
}

void recompute_chain(const std::filesystem::path& path, int64_t from_seq) {
  auto entries = read_entries(path);
  std::string prev;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (auto& e : entries) {
    if (e.seq >= from_seq) {
      e.prev_hash = prev;
      e.hash = audit::entry_hash(e);
      sqlite3_stmt* stmt = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", -1,
                                   &stmt, nullptr),
                SQLITE_OK);
      sqlite3_bind_text(stmt, 1, e.prev_hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(stmt, 2, e.hash.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(stmt, 3, e.seq);
      ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
      sqlite3_finalize(stmt);
    }
    prev = e.hash;
  }
  sqlite3_close(db);
}

void insert_checkpoint(const std::filesystem::path& path, const Checkpoint& c) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "INSERT OR REPLACE INTO audit_checkpoints (seq, head_hash, at_ms, "
                               "key_id, signature) VALUES (?, ?, ?, ?, ?)",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  sqlite3_bind_int64(stmt, 1, c.seq);
  sqlite3_bind_text(stmt, 2, c.head_hash.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 3, audit::unix_ms(c.at));
  sqlite3_bind_text(stmt, 4, c.key_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(stmt, 5, c.signature.data(), static_cast<int>(c.signature.size()),
                    SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

ForeignKey::ForeignKey() : pkey(EVP_EC_gen("P-256")) {}
ForeignKey::~ForeignKey() { EVP_PKEY_free(static_cast<EVP_PKEY*>(pkey)); }

std::vector<uint8_t> ForeignKey::spki_der() const {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(static_cast<EVP_PKEY*>(pkey), &der);
  std::vector<uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

std::string ForeignKey::key_id() const {
  auto kid = hsm::jwk_thumbprint(spki_der());
  EXPECT_TRUE(kid.ok());
  return kid.ok() ? *kid : std::string();
}

std::vector<uint8_t> ForeignKey::sign_der(const std::string& message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY*>(pkey));
  size_t size = 0;
  EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()),
                 message.size());
  std::vector<uint8_t> sig(size);
  EVP_DigestSign(ctx, sig.data(), &size, reinterpret_cast<const unsigned char*>(message.data()),
                 message.size());
  sig.resize(size);
  EVP_MD_CTX_free(ctx);
  return sig;
}

}  // namespace core::testing
