// The verifier against every kind of tampering someone holding the database
// file could try, on a trail made by the real Service and fully signed at
// shutdown. Each case works on its own copy.
#include <fstream>
#include <iterator>

#include "audit/audit_hash.h"
#include "tamper_support.h"
#include "test_support.h"

namespace core::testing {
namespace {

class TamperTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    init_and_open();
    Principal admin = admin_session();
    make_user(admin, "ann", "ann's long password");
    make_user(admin, "bob", "bob's long password");
    ASSERT_TRUE(service_->checkpoint_audit(admin).ok());  // one in the middle
    make_user(admin, "cat", "cat's long password");
    service_.reset();  // final checkpoint: nothing unsigned
    last_ = sql_int("SELECT MAX(seq) FROM audit");
    ASSERT_GT(last_, 20);
    auto clean = verify();
    ASSERT_TRUE(clean.ok) << clean.problem;
    ASSERT_EQ(clean.unsigned_tail, 0);
    ASSERT_GE(clean.checkpoints, 3);
    ASSERT_EQ(clean.entries, last_);
  }

  std::filesystem::path tampered(const std::string& sql = "") {
    const auto copy = dir_ / ("tampered" + std::to_string(++copies_) + ".db");
    copy_without_triggers(db_path(), copy);
    if (!sql.empty()) exec_sql(copy, sql);
    return copy;
  }
  int64_t first_checkpoint_at_or_after(int64_t seq) {
    return sql_int("SELECT MIN(seq) FROM audit_checkpoints WHERE seq >= " + std::to_string(seq));
  }
  void expect_broken_at(const std::filesystem::path& copy, int64_t seq, const std::string& word) {
    auto report = verify(copy);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_seq.value_or(-1), seq) << report.problem;
    EXPECT_NE(report.problem.find(word), std::string::npos) << report.problem;
  }

  int64_t last_ = 0;
  int copies_ = 0;
};

TEST_F(TamperTest, UntouchedCopyVerifies) {
  auto report = verify(tampered());
  EXPECT_TRUE(report.ok) << report.problem;
}

TEST_F(TamperTest, AlteredEntry) {
  expect_broken_at(tampered("UPDATE audit SET reason = reason || 'x' WHERE seq = 10"), 10,
                   "altered");
}

TEST_F(TamperTest, DeletedFirstEntry) {
  expect_broken_at(tampered("DELETE FROM audit WHERE seq = 1"), 1, "missing");
}

TEST_F(TamperTest, DeletedMiddleEntry) {
  expect_broken_at(tampered("DELETE FROM audit WHERE seq = 12"), 12, "missing");
}

TEST_F(TamperTest, DeletedLastEntry) {
  expect_broken_at(tampered("DELETE FROM audit WHERE seq = " + std::to_string(last_)), last_,
                   "truncated");
}

TEST_F(TamperTest, TruncatedBehindTheLastCheckpoint) {
  const int64_t keep = last_ - 6;
  expect_broken_at(tampered("DELETE FROM audit WHERE seq > " + std::to_string(keep)), keep + 1,
                   "truncated");
}

TEST_F(TamperTest, InsertedEntry) {
  // Entries after 8 move up one; a well-formed entry (its own hash right,
  // linked to 8) takes seq 9. Old entry 9, now 10, no longer links.
  const auto copy = tampered(
      "UPDATE audit SET seq = -(seq + 1) WHERE seq > 8; UPDATE audit SET seq = -seq WHERE seq < "
      "0;");
  AuditEntry forged;
  forged.seq = 9;
  forged.at = common::from_unix_seconds(1767225600);
  forged.actor = "admin";
  forged.subject = "mallory";
  forged.action = "user.create";
  forged.outcome = "success";
  forged.reason = "ok";
  forged.detail = "{}";
  forged.prev_hash = read_entries(copy)[7].hash;
  forged.hash = audit::entry_hash(forged);
  exec_sql(copy,
           "INSERT INTO audit VALUES (9, 1767225600, 'admin', 'mallory', 'user.create', 'success', "
           "'ok', '', '{}', '" +
               forged.prev_hash + "', '" + forged.hash + "')");
  expect_broken_at(copy, 10, "link");
}

TEST_F(TamperTest, SwappedEntries) {
  const auto copy = tampered(
      "CREATE TABLE t AS SELECT * FROM audit WHERE seq IN (5, 9);"
      "UPDATE audit SET (at, actor, subject, action, outcome, reason, source_address, detail, "
      "prev_hash, hash) = (SELECT at, actor, subject, action, outcome, reason, source_address, "
      "detail, prev_hash, hash FROM t WHERE t.seq = 14 - audit.seq) WHERE seq IN (5, 9);");
  expect_broken_at(copy, 5, "link");
}

TEST_F(TamperTest, RecomputedChainIsCaughtByTheNextCheckpoint) {
  const auto copy = tampered("UPDATE audit SET reason = reason || 'x' WHERE seq = 10");
  recompute_chain(copy, 10);
  // A plain hash chain would now pass; the signed head does not match.
  expect_broken_at(copy, first_checkpoint_at_or_after(10), "rewritten");
}

TEST_F(TamperTest, ForgedCheckpointsSignedWithAnotherKey) {
  // The full attack: rewrite history, recompute the chain, replace every
  // checkpoint with one signed by a key the attacker made.
  const auto copy = tampered(
      "UPDATE audit SET reason = reason || 'x' WHERE seq = 10;"
      "DELETE FROM audit_checkpoints;");
  recompute_chain(copy, 10);
  ForeignKey key;
  const auto entries = read_entries(copy);
  Checkpoint forged;
  forged.seq = entries.back().seq;
  forged.head_hash = entries.back().hash;
  forged.at = clock_->now();
  forged.key_id = key.key_id();
  forged.signature = key.sign_der(checkpoint_statement(forged));
  insert_checkpoint(copy, forged);
  expect_broken_at(copy, forged.seq, "unknown key");
}

TEST_F(TamperTest, ForgedCheckpointClaimingTheRealKeyId) {
  const auto copy = tampered(
      "UPDATE audit SET reason = reason || 'x' WHERE seq = 10;"
      "DELETE FROM audit_checkpoints;");
  recompute_chain(copy, 10);
  ForeignKey key;
  const auto entries = read_entries(copy);
  Checkpoint forged;
  forged.seq = entries.back().seq;
  forged.head_hash = entries.back().hash;
  forged.at = clock_->now();
  forged.key_id = trusted_keys().front().key_id;
  forged.signature = key.sign_der(checkpoint_statement(forged));
  insert_checkpoint(copy, forged);
  expect_broken_at(copy, forged.seq, "does not verify");
}

TEST_F(TamperTest, ACheckpointFieldChangedBreaksItsSignature) {
  const int64_t seq = first_checkpoint_at_or_after(1);
  expect_broken_at(
      tampered("UPDATE audit_checkpoints SET at_ms = at_ms + 1 WHERE seq = " + std::to_string(seq)),
      seq, "does not verify");
}

TEST_F(TamperTest, WithoutTrustedKeysEveryCheckpointIsUnknown) {
  auto report = verify_audit_database(db_path(), {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq.value_or(-1), first_checkpoint_at_or_after(1));
}

TEST_F(TamperTest, TrustedKeysComeFromPemFilesToo) {
  std::vector<std::filesystem::path> pems;
  for (const auto& entry : std::filesystem::directory_iterator(keys_dir())) {
    if (entry.path().filename().string().rfind("audit-", 0) == 0) pems.push_back(entry.path());
  }
  ASSERT_EQ(pems.size(), 1u);
  auto keys = load_trusted_keys(pems);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  auto report = verify_audit_database(db_path(), *keys);
  EXPECT_TRUE(report.ok) << report.problem;
  // An assertion key is no audit key.
  std::vector<std::filesystem::path> wrong;
  for (const auto& entry : std::filesystem::directory_iterator(keys_dir())) {
    if (entry.path().filename().string().rfind("assertion-", 0) == 0) wrong.push_back(entry.path());
  }
  auto wrong_keys = load_trusted_keys(wrong);
  ASSERT_TRUE(wrong_keys.ok());
  EXPECT_FALSE(verify_audit_database(db_path(), *wrong_keys).ok);
}

TEST_F(TamperTest, AKeysJsonWhoseKeyIdLiesIsRefused) {
  std::ifstream in(keys_dir() / "keys.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string kid = trusted_keys().front().key_id;
  text.replace(text.find(kid), kid.size(), ForeignKey().key_id());
  const auto lying = dir_ / "lying.json";
  std::ofstream(lying) << text;
  auto keys = load_trusted_keys({lying});
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.error().code, common::Errc::bad_request);
  EXPECT_NE(keys.error().message.find("lying.json"), std::string::npos);
}

}  // namespace
}  // namespace core::testing
