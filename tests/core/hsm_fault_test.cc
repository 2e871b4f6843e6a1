// HSM faults (FaultInjectingHsm over the real token): each action fails
// cleanly with unavailable, leaves no half state, loses no audit entry, and
// the trail still verifies; checkpointing resumes once the HSM is back.
#include <thread>

#include "test_support.h"

namespace core::testing {
namespace {

using common::Errc;

class HsmFaultTest : public CoreTest {};

TEST_F(HsmFaultTest, IssueTokenLeavesNoTokenRow) {
  init_and_open();
  Principal admin = admin_session();
  ASSERT_TRUE(
      service_
          ->create_user(admin,
                        nominee("ann", "Ann", "LA-001", {"practitioner"}, "ann's first password"))
          .ok());
  ASSERT_TRUE(service_->approve_user(admin, "ann").ok());
  const int64_t tokens = sql_int("SELECT COUNT(*) FROM tokens");
  hsm_->fail_all(true);
  auto issued = service_->issue_token(admin, "ann", "totp");
  hsm_->fail_all(false);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, Errc::unavailable);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens"), tokens);
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "hsm_unavailable");
  EXPECT_FALSE(service_->health().hsm_ok);
  // Back again: the same call works, and health says so.
  EXPECT_TRUE(service_->issue_token(admin, "ann", "totp").ok());
  EXPECT_TRUE(service_->health().hsm_ok);
  EXPECT_TRUE(verify().ok);
}

TEST_F(HsmFaultTest, LoginFailsUnavailableForEveryoneAndIsAudited) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "ann", "ann's long password");
  const int64_t sessions = sql_int("SELECT COUNT(*) FROM sessions");
  const int64_t failures = sql_int("SELECT failed_logins FROM users WHERE username = 'ann'");
  hsm_->fail_all(true);
  // Right credentials, wrong password, unknown user: one answer, so an
  // outage tells nobody which of them was right.
  for (const auto& [user, password] : std::vector<std::pair<std::string, std::string>>{
           {"ann", "ann's long password"}, {"ann", "wrong password!!"}, {"nobody", "x"}}) {
    auto r = login(user, password, next_code(uri));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::unavailable) << user << "/" << password;
    EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "hsm_unavailable");
  }
  hsm_->fail_all(false);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions"), sessions);
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'ann'"), failures);
  EXPECT_TRUE(login("ann", "ann's long password", next_code(uri)).ok());
  EXPECT_TRUE(verify().ok);
}

TEST_F(HsmFaultTest, ActivationFailsCleanly) {
  init_and_open();
  Principal admin = admin_session();
  ASSERT_TRUE(
      service_
          ->create_user(admin,
                        nominee("ann", "Ann", "LA-001", {"practitioner"}, "ann's first password"))
          .ok());
  ASSERT_TRUE(service_->approve_user(admin, "ann").ok());
  auto issued = service_->issue_token(admin, "ann", "totp");
  ASSERT_TRUE(issued.ok());
  hsm_->fail_all(true);
  auto r = service_->activate_token(admin, issued->token_id, code_now(issued->otpauth_uri));
  hsm_->fail_all(false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + issued->token_id + "'"), "issued");
  EXPECT_TRUE(
      service_->activate_token(admin, issued->token_id, code_now(issued->otpauth_uri)).ok());
}

TEST_F(HsmFaultTest, CheckpointFailureIsReportedAndSigningResumes) {
  init_and_open();
  Principal admin = admin_session();
  const int64_t checkpoints = sql_int("SELECT COUNT(*) FROM audit_checkpoints");
  hsm_->fail_all(true);
  auto made = service_->checkpoint_audit(admin);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, Errc::unavailable);
  auto health = service_->health();
  EXPECT_FALSE(health.hsm_ok);
  EXPECT_FALSE(health.audit_ok);
  EXPECT_GT(health.unsigned_entries, 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit_checkpoints"), checkpoints);
  // The request and its failure are both on record, unsigned for now.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'audit.checkpoint'"), 2);
  // The trail is sound as a chain meanwhile.
  auto during = verify();
  EXPECT_TRUE(during.ok) << during.problem;
  EXPECT_GT(during.unsigned_tail, 0);

  hsm_->fail_all(false);
  made = service_->checkpoint_audit(admin);
  ASSERT_TRUE(made.ok()) << made.error().message;
  health = service_->health();
  EXPECT_TRUE(health.hsm_ok);
  EXPECT_TRUE(health.audit_ok);
  EXPECT_EQ(health.unsigned_entries, 0);
  auto after = verify();
  EXPECT_TRUE(after.ok) << after.problem;
  EXPECT_EQ(after.unsigned_tail, 0);
}

TEST_F(HsmFaultTest, TheBackgroundSignerRetriesOnTheInterval) {
  policy_.audit.checkpoint_every_entries = 2;
  policy_.audit.checkpoint_interval = std::chrono::milliseconds(20);
  init_and_open();
  hsm_->fail_all(true);
  for (int i = 0; i < 3; ++i) (void)login("nobody", "x", "000000", "198.51.100.9");
  // Logins fail unavailable (the dummy seed needs the HSM) but are recorded.
  const int64_t head = sql_int("SELECT MAX(seq) FROM audit");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(service_->health().audit_ok);
  EXPECT_LT(sql_int("SELECT MAX(seq) FROM audit_checkpoints"), head);
  hsm_->fail_all(false);
  clock_->advance(std::chrono::seconds(1));
  for (int i = 0; i < 500 && sql_int("SELECT MAX(seq) FROM audit_checkpoints") < head; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(sql_int("SELECT MAX(seq) FROM audit_checkpoints"), head);
  EXPECT_TRUE(service_->health().audit_ok);
}

TEST_F(HsmFaultTest, WrapRotationInterruptedHalfWayLosesNoSeed) {
  init_and_open();
  Principal admin = admin_session();
  std::vector<std::string> uris;
  for (int i = 0; i < 4; ++i) {
    uris.push_back(
        make_user(admin, "user" + std::to_string(i), "password of user " + std::to_string(i)));
  }
  // generate, describe (inspect), then re-wrapping: open+seal per seed. Fail
  // a few calls into the re-wrap.
  hsm_->fail_after(6);
  auto rotated = service_->rotate_key(admin, "wrap");
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().code, Errc::unavailable);
  // Seeds under both keys: every user still logs in.
  EXPECT_GT(sql_int("SELECT COUNT(DISTINCT secret_key) FROM tokens"), 1);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(login("user" + std::to_string(i), "password of user " + std::to_string(i),
                      next_code(uris[i]))
                    .ok())
        << i;
  }
  // The next start finishes the job.
  service_.reset();
  service_ = reopen();
  ASSERT_TRUE(service_);
  EXPECT_EQ(sql_int("SELECT COUNT(DISTINCT secret_key) FROM tokens"), 1);
  EXPECT_TRUE(verify().ok);
}

}  // namespace
}  // namespace core::testing
