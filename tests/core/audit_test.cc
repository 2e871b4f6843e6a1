// The audit trail: hash chain, offline verification, append-only.
// (Tampering against signed checkpoints: tamper_test.cc.)
#include <sqlite3.h>

#include <thread>

#include "audit/audit_hash.h"
#include "test_support.h"

namespace core::testing {
namespace {

class AuditTest : public CoreTest {};

TEST_F(AuditTest, FreshTrailVerifies) {
  init_and_open();
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, sql_int("SELECT COUNT(*) FROM audit"));
  EXPECT_GT(report.entries, 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE seq = 1 AND prev_hash = ''"), 1);
}

TEST_F(AuditTest, AlteredRowIsNamed) {
  init_and_open();
  admin_session();
  service_.reset();
  sql("DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'tampered' WHERE seq = 3");
  auto report = verify();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, 3);
  EXPECT_EQ(report.entries, 2);
}

TEST_F(AuditTest, EveryFieldIsCoveredByTheHash) {
  init_and_open();
  service_.reset();
  sql("DROP TRIGGER audit_no_update");
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"at", "at + 1"},          {"actor", "'mallory'"},    {"subject", "'mallory'"},
      {"action", "'noop'"},      {"outcome", "'failure'"},  {"reason", "'other'"},
      {"source_address", "'x'"}, {"detail", "'{\"a\":1}'"}, {"prev_hash", "'00'"},
      {"seq", "seq + 100"}};
  ASSERT_TRUE(verify().ok);
  const auto copy = dir_ / "copy.db";
  for (const auto& [column, value] : edits) {
    std::filesystem::copy_file(db_path(), copy, std::filesystem::copy_options::overwrite_existing);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(copy.c_str(), &db), SQLITE_OK);
    const std::string update = "UPDATE audit SET " + column + " = " + value + " WHERE seq = 2";
    EXPECT_EQ(sqlite3_exec(db, update.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << column;
    sqlite3_close(db);
    auto report = verify(copy);
    EXPECT_FALSE(report.ok) << column;
    EXPECT_EQ(report.first_bad_seq.value_or(0), 2) << column << ": " << report.problem;
  }
}

TEST_F(AuditTest, DeletedRowIsNamed) {
  init_and_open();
  admin_session();
  service_.reset();
  sql("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
  auto report = verify();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad_seq.has_value());
  EXPECT_EQ(*report.first_bad_seq, 2);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_F(AuditTest, RewrittenEntryWithItsOwnHashFixedBreaksTheNextLink) {
  init_and_open();
  Principal admin = admin_session();
  auto page = service_->list_audit(admin, 1, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  AuditEntry forged = page->front();
  forged.reason = "tampered";
  forged.hash = audit::entry_hash(forged);
  service_.reset();
  sql("DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'tampered', hash = '" + forged.hash +
      "' WHERE seq = 2");
  auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq.value_or(0), 3);
  EXPECT_NE(report.problem.find("link"), std::string::npos) << report.problem;
}

TEST_F(AuditTest, TheStoreRefusesUpdatesAndDeletes) {
  init_and_open();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE audit SET reason = 'x' WHERE seq = 1", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 1", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_TRUE(verify().ok);
}

TEST_F(AuditTest, VerifyReportsAMissingFile) {
  auto report = verify_audit_database(dir_ / "absent.db", {});
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.problem.empty());
}

TEST_F(AuditTest, EncodingIsUnambiguous) {
  AuditEntry a;
  a.seq = 1;
  a.actor = "ab";
  a.subject = "c";
  AuditEntry b = a;
  b.actor = "a";
  b.subject = "bc";
  EXPECT_NE(audit::entry_hash(a), audit::entry_hash(b));
  AuditEntry c = a;
  c.seq = 11;
  EXPECT_NE(audit::entry_hash(a), audit::entry_hash(c));
  EXPECT_EQ(audit::entry_hash(a).size(), 64u);
}

TEST_F(AuditTest, ConcurrentAppendsKeepTheChainWhole) {
  init_and_open();
  const int64_t before = sql_int("SELECT COUNT(*) FROM audit");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 8; ++i) {
        auto r = login("nobody" + std::to_string(t), "wrong password here", "000000",
                       "198.51.100." + std::to_string(t * 10 + i));
        EXPECT_FALSE(r.ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), before + 32);
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, before + 32);
}

TEST_F(AuditTest, ListAuditReturnsEntriesAndRecordsTheRead) {
  init_and_open();
  Principal admin = admin_session();
  auto page = service_->list_audit(admin, 0, 3);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].seq, 1);
  EXPECT_EQ((*page)[1].prev_hash, (*page)[0].hash);
  auto next = service_->list_audit(admin, 3, 1000);
  ASSERT_TRUE(next.ok());
  ASSERT_FALSE(next->empty());
  EXPECT_EQ(next->front().seq, 4);
  EXPECT_EQ(next->back().action, "audit.read");  // the first read is on record
  EXPECT_EQ(service_->list_audit(admin, 0, 0).error().field, "limit");
  EXPECT_EQ(service_->list_audit(admin, 0, 1001).error().field, "limit");
  EXPECT_EQ(service_->list_audit(admin, -1, 10).error().field, "after");
}

}  // namespace
}  // namespace core::testing
