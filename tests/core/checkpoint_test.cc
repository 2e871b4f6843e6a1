// Signed audit checkpoints: when they are made, what they sign, and that
// they verify with the exported public key (OpenSSL's command line too).
#include <chrono>
#include <fstream>
#include <thread>

#include "audit/base64.h"
#include "test_support.h"

namespace core::testing {
namespace {

using namespace std::chrono_literals;

class CheckpointTest : public CoreTest {
 protected:
  int64_t checkpoints() const { return sql_int("SELECT COUNT(*) FROM audit_checkpoints"); }
  int64_t head() const { return sql_int("SELECT MAX(seq) FROM audit"); }
  int64_t last_signed() const { return sql_int("SELECT MAX(seq) FROM audit_checkpoints"); }
  // Appends `n` entries (failed logins of unknown names, spread over
  // addresses so that no throttle interferes).
  void append(int n) {
    for (int i = 0; i < n; ++i) {
      auto r = login("nobody", "not the password", "000000",
                     "198.51.100." + std::to_string(appended_++ % 200));
      EXPECT_EQ(r.error().code, common::Errc::invalid_credentials);
    }
  }
  // Waits (real time) for the background thread; false after `limit`.
  bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return done();
  }
  int appended_ = 0;
};

TEST_F(CheckpointTest, InitialiseSignsTheWholeInitialTrail) {
  init_and_open();
  EXPECT_EQ(checkpoints(), 1);
  EXPECT_EQ(last_signed(), head());
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checkpoints, 1);
  EXPECT_EQ(report.unsigned_tail, 0);
}

TEST_F(CheckpointTest, SignsEveryNEntries) {
  policy_.audit.checkpoint_every_entries = 5;
  init_and_open();
  const int64_t before = checkpoints();
  append(4);
  // Below the threshold, and the (fake) interval has not passed: nothing.
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(checkpoints(), before);
  append(1);
  ASSERT_TRUE(wait_for([&] { return checkpoints() == before + 1; }));
  EXPECT_EQ(last_signed(), head());
  append(5);
  ASSERT_TRUE(wait_for([&] { return checkpoints() == before + 2; }));
  auto health = service_->health();
  EXPECT_TRUE(health.audit_ok);
  EXPECT_TRUE(health.hsm_ok);
  EXPECT_EQ(health.unsigned_entries, 0);
  EXPECT_TRUE(health.last_checkpoint_at.has_value());
}

TEST_F(CheckpointTest, SignsAfterTheIntervalWhenFewerEntriesArrived) {
  policy_.audit.checkpoint_interval = 50ms;  // how often the thread looks (real time)
  init_and_open();
  const int64_t before = checkpoints();
  append(2);
  // The interval is measured on the service's clock: it has not moved.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(checkpoints(), before);
  EXPECT_EQ(service_->health().unsigned_entries, 2);
  clock_->advance(60ms);
  ASSERT_TRUE(wait_for([&] { return checkpoints() == before + 1; }));
  EXPECT_EQ(last_signed(), head());
  // Nothing unsigned: time passing alone signs nothing more.
  clock_->advance(10s);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(checkpoints(), before + 1);
}

TEST_F(CheckpointTest, ShutdownSignsTheTailAndIsIdempotent) {
  init_and_open();
  append(3);
  EXPECT_EQ(service_->health().unsigned_entries, 3);
  const int64_t before = checkpoints();
  ASSERT_TRUE(service_->shutdown().ok());
  EXPECT_EQ(checkpoints(), before + 1);
  EXPECT_EQ(last_signed(), head());
  ASSERT_TRUE(service_->shutdown().ok());
  service_.reset();
  EXPECT_EQ(checkpoints(), before + 1);
  auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.unsigned_tail, 0);
}

TEST_F(CheckpointTest, AnEntryLeftUnsignedByACrashIsSignedAfterRestart) {
  policy_.audit.checkpoint_every_entries = 3;
  init_and_open();
  service_.reset();
  // Entries written while no checkpoint followed (as after a crash).
  sql("DROP TRIGGER audit_checkpoints_no_delete;"
      "DELETE FROM audit_checkpoints;");
  service_ = reopen();
  ASSERT_TRUE(service_);
  ASSERT_TRUE(wait_for([&] { return checkpoints() == 1 && last_signed() == head(); }));
}

TEST_F(CheckpointTest, OnDemandCheckpointCoversItsOwnRequest) {
  init_and_open();
  Principal admin = admin_session();
  auto made = service_->checkpoint_audit(admin);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->seq, head());
  EXPECT_EQ(sql_text("SELECT action FROM audit WHERE seq = " + std::to_string(made->seq)),
            "audit.checkpoint");
  EXPECT_EQ(made->head_hash,
            sql_text("SELECT hash FROM audit WHERE seq = " + std::to_string(made->seq)));
  EXPECT_EQ(made->key_id,
            sql_text("SELECT key_id FROM keys WHERE purpose = 'audit' AND retired_at_ms IS NULL"));
  EXPECT_EQ(made->at, clock_->now());

  auto listed = service_->list_checkpoints(admin, 0, 1000);
  ASSERT_TRUE(listed.ok());
  ASSERT_FALSE(listed->empty());
  EXPECT_EQ(listed->back().seq, made->seq);
  EXPECT_EQ(listed->back().signature, made->signature);
  EXPECT_EQ(service_->list_checkpoints(admin, 0, 0).error().field, "limit");
  EXPECT_EQ(service_->list_checkpoints(admin, -1, 1).error().field, "after");
}

TEST_F(CheckpointTest, OnDemandCheckpointIsForAdministratorsOnly) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "pat", "pat's long password");
  auto grant = login("pat", "pat's long password", next_code(uri));
  ASSERT_TRUE(grant.ok());
  auto pat = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(pat.ok());
  const int64_t before = checkpoints();
  auto refused = service_->checkpoint_audit(*pat);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, common::Errc::forbidden);
  EXPECT_EQ(service_->list_checkpoints(*pat, 0, 10).error().code, common::Errc::forbidden);
  EXPECT_EQ(checkpoints(), before);
}

// The statement and DER signature check out with `openssl dgst`, using only
// the exported PEM: what an investigator without authd would do.
TEST_F(CheckpointTest, OpenSslVerifiesACheckpointSignature) {
  init_and_open();
  Principal admin = admin_session();
  auto made = service_->checkpoint_audit(admin);
  ASSERT_TRUE(made.ok());
  const auto statement = dir_ / "statement.txt";
  const auto signature = dir_ / "signature.der";
  std::ofstream(statement, std::ios::binary) << checkpoint_statement(*made);
  std::ofstream(signature, std::ios::binary)
      .write(reinterpret_cast<const char*>(made->signature.data()),
             static_cast<std::streamsize>(made->signature.size()));
  const auto pem = keys_dir() / ("audit-" + made->key_id + ".pem");
  ASSERT_TRUE(std::filesystem::exists(pem));
  const std::string command = "openssl dgst -sha256 -verify " + pem.string() + " -signature " +
                              signature.string() + " " + statement.string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  // And a changed statement does not verify.
  std::ofstream(statement, std::ios::binary | std::ios::app) << "x";
  EXPECT_NE(std::system(command.c_str()), 0);
}

TEST_F(CheckpointTest, StatementFormat) {
  Checkpoint c;
  c.seq = 42;
  c.head_hash = std::string(64, 'a');
  c.at = common::TimePoint(std::chrono::milliseconds(1767225600123));
  c.key_id = "kid";
  EXPECT_EQ(checkpoint_statement(c),
            "authd-audit-checkpoint-v1\nseq=42\nhead=" + std::string(64, 'a') +
                "\nat_ms=1767225600123\nkey_id=kid\n");
}

}  // namespace
}  // namespace core::testing
