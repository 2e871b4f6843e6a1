// The login flow: success, identical failures, replay, account states.
#include <atomic>
#include <set>
#include <thread>

#include "test_support.h"

namespace core::testing {
namespace {

class LoginTest : public CoreTest {
 protected:
  std::string last_text(const std::string& column) const {
    return sql_text("SELECT " + column + " FROM audit ORDER BY seq DESC LIMIT 1");
  }
  std::string last_reason() const { return last_text("reason"); }
};

TEST_F(LoginTest, BootstrapAdminLogsInAndMustChangePassword) {
  init_and_open();
  auto grant = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  EXPECT_TRUE(grant->must_change_password);
  EXPECT_EQ(grant->session.size(), 43u);
  EXPECT_EQ(grant->idle_timeout, policy_.session.idle_timeout);
  EXPECT_EQ(grant->expires_at, clock_->now() + policy_.session.absolute_timeout);
  EXPECT_EQ(last_reason(), "ok");
  EXPECT_EQ(last_text("outcome"), "success");
  EXPECT_EQ(last_text("source_address"), "192.0.2.1");
  // Only the hash of the session token is stored.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions WHERE hash = '" + grant->session + "'"), 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions"), 1);
}

TEST_F(LoginTest, EveryWrongCredentialGetsTheSameErrorButItsOwnAuditReason) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "alice", "alice's long passphrase");
  ASSERT_TRUE(
      service_
          ->create_user(admin,
                        nominee("bob", "Bob", "LA-001", {"practitioner"}, "bob's initial password"))
          .ok());
  ASSERT_TRUE(service_->approve_user(admin, "bob").ok());

  struct Case {
    std::string username, password, otp, reason;
  };
  const std::string good = next_code(uri);
  // The good code is used once, so the last case is a replay.
  ASSERT_TRUE(login("alice", "alice's long passphrase", good).ok());
  const std::string wrong_code = good == "000000" ? "111111" : "000000";
  const std::vector<Case> cases = {
      {"nobody", "alice's long passphrase", good, "unknown_user"},
      {"alice", "not alice's passphrase", good, "bad_password"},
      {"alice", "alice's long passphrase", wrong_code, "bad_otp"},
      {"alice", "alice's long passphrase", good, "replayed_otp"},
      {"bob", "bob's initial password", good, "no_active_token"},
      {"alice", "bad \xff utf-8", good, "bad_password"},
      {"alice", "alice's long passphrase", "not-a-code", "bad_otp"},
  };
  std::set<std::string> messages;
  for (const auto& c : cases) {
    auto r = login(c.username, c.password, c.otp);
    ASSERT_FALSE(r.ok()) << c.reason;
    EXPECT_EQ(r.error().code, common::Errc::invalid_credentials) << c.reason;
    EXPECT_TRUE(r.error().field.empty()) << c.reason;
    messages.insert(r.error().message);
    EXPECT_EQ(last_reason(), c.reason);
    EXPECT_EQ(last_text("outcome"), "failure");
  }
  EXPECT_EQ(messages.size(), 1u);
}

TEST_F(LoginTest, AMalformedUsernameIsNotWrittenToTheTrail) {
  init_and_open();
  auto r = login("Password With Spaces!", "whatever it is", "123456");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(last_reason(), "unknown_user");
  EXPECT_EQ(last_text("subject"), "-");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE detail LIKE '%Spaces%'"), 0);
}

TEST_F(LoginTest, ACodeIsAcceptedOnlyOnce) {
  init_and_open();
  const std::string code = next_code(bootstrap_.otpauth_uri);
  ASSERT_TRUE(login("admin", bootstrap_.password, code).ok());
  auto again = login("admin", bootstrap_.password, code);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(last_reason(), "replayed_otp");
  // An earlier step's code is refused too, even inside the window.
  auto earlier = login("admin", bootstrap_.password, code_now(bootstrap_.otpauth_uri, -1));
  EXPECT_FALSE(earlier.ok());
  // The next step's code works.
  EXPECT_TRUE(login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri)).ok());
}

TEST_F(LoginTest, CodesWithinTheWindowAreAccepted) {
  init_and_open();
  clock_->advance(std::chrono::seconds(300));
  EXPECT_TRUE(login("admin", bootstrap_.password, code_now(bootstrap_.otpauth_uri, -1)).ok());
  EXPECT_TRUE(login("admin", bootstrap_.password, code_now(bootstrap_.otpauth_uri, 1)).ok());
  clock_->advance(std::chrono::seconds(300));
  // The +1 code taught the token's drift (+1): the window now spans -1..+1
  // around now and 0..+2 around the drift. Beyond both, refused.
  auto far = login("admin", bootstrap_.password, code_now(bootstrap_.otpauth_uri, 3));
  EXPECT_FALSE(far.ok());
  auto behind = login("admin", bootstrap_.password, code_now(bootstrap_.otpauth_uri, -2));
  EXPECT_FALSE(behind.ok());
}

TEST_F(LoginTest, ConcurrentUseOfOneCodeSucceedsExactlyOnce) {
  init_and_open();
  for (int round = 0; round < 5; ++round) {
    const std::string code = next_code(bootstrap_.otpauth_uri);
    std::atomic<int> successes{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        auto r = login("admin", bootstrap_.password, code);
        (r.ok() ? successes : failures)++;
        if (!r.ok()) {
          EXPECT_EQ(r.error().code, common::Errc::invalid_credentials);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(successes.load(), 1) << "round " << round;
    EXPECT_EQ(failures.load(), 3) << "round " << round;
  }
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE reason = 'replayed_otp'"), 15);
}

TEST_F(LoginTest, SuspendedAndClosedAccountsAreNamedOnlyAfterBothFactors) {
  init_and_open();
  sql("UPDATE users SET state = 'suspended' WHERE username = 'admin'");
  auto wrong = login("admin", "a wrong password", next_code(bootstrap_.otpauth_uri));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, common::Errc::invalid_credentials);
  auto right = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
  ASSERT_FALSE(right.ok());
  EXPECT_EQ(right.error().code, common::Errc::account_suspended);
  EXPECT_EQ(last_reason(), "account_suspended");

  sql("UPDATE users SET state = 'closed' WHERE username = 'admin'");
  auto closed = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, common::Errc::account_closed);
  EXPECT_EQ(last_reason(), "account_closed");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_F(LoginTest, SuccessRecordsLastLoginAndResetsFailures) {
  init_and_open();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(login("admin", "wrong password!", next_code(bootstrap_.otpauth_uri)).ok());
  }
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'admin'"), 3);
  ASSERT_TRUE(login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri)).ok());
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'admin'"), 0);
  EXPECT_EQ(sql_int("SELECT last_login_at FROM users WHERE username = 'admin'"),
            common::unix_seconds(clock_->now()));
}

TEST_F(LoginTest, ARaisedArgon2CostRehashesThePasswordAtTheNextSuccessfulLogin) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "alice", "alice's long passphrase");
  const auto stored = [&] {
    return sql_text("SELECT password_hash FROM users WHERE username = 'alice'");
  };
  const std::string old_hash = stored();
  ASSERT_NE(old_hash.find("m=1024,t=1,p=1"), std::string::npos) << old_hash;

  // The security officer raises the cost.
  policy_.password.argon2_memory_kib = 2048;
  policy_.password.argon2_iterations = 2;
  service_.reset();
  service_ = reopen();
  ASSERT_TRUE(service_);
  // A failed login, even with the right password, leaves the hash alone.
  const std::string wrong_code = code_now(uri) == "000000" ? "111111" : "000000";
  ASSERT_FALSE(login("alice", "alice's long passphrase", wrong_code).ok());
  EXPECT_EQ(stored(), old_hash);
  ASSERT_TRUE(login("alice", "alice's long passphrase", next_code(uri)).ok());
  const std::string new_hash = stored();
  EXPECT_NE(new_hash.find("m=2048,t=2,p=1"), std::string::npos) << new_hash;
  EXPECT_NE(last_text("detail").find("\"password_rehashed\":true"), std::string::npos)
      << last_text("detail");
  // The same password still logs in, and a hash at the current cost stays.
  ASSERT_TRUE(login("alice", "alice's long passphrase", next_code(uri)).ok());
  EXPECT_EQ(stored(), new_hash);
  EXPECT_EQ(last_text("detail").find("password_rehashed"), std::string::npos);
}

}  // namespace
}  // namespace core::testing
