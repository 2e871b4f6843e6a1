// Sessions: lookup, idle and absolute expiry, logout, restart, and the
// promise that authenticate() does not write on every call.
#include "test_support.h"

namespace core::testing {
namespace {

using std::chrono::seconds;

class SessionTest : public CoreTest {
 protected:
  std::string admin_token() {
    auto grant = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
    EXPECT_TRUE(grant.ok());
    return grant.ok() ? grant->session : std::string();
  }
  common::Errc auth_error(const std::string& token) {
    auto r = service_->authenticate(token, "192.0.2.1");
    return r.ok() ? common::Errc::internal : r.error().code;
  }
};

TEST_F(SessionTest, AuthenticateDescribesTheSession) {
  init_and_open();
  const std::string token = admin_token();
  const auto login_time = clock_->now();
  auto who = service_->authenticate(token, "198.51.100.4");
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->username, "admin");
  EXPECT_EQ(who->display_name, "Bootstrap administrator");
  EXPECT_EQ(who->organisation, "LA-001");
  EXPECT_EQ(who->roles, (std::vector<std::string>{"central_team", "user_account_administrator"}));
  EXPECT_EQ(who->route, "web");
  EXPECT_EQ(who->source_address, "198.51.100.4");
  EXPECT_EQ(who->created_at, login_time);
  EXPECT_EQ(who->expires_at, login_time + policy_.session.absolute_timeout);
  EXPECT_EQ(who->idle_expires_at, login_time + policy_.session.idle_timeout);
  EXPECT_TRUE(who->must_change_password);
  EXPECT_EQ(who->session_hash.size(), 64u);
  EXPECT_EQ(who->session_hash.find(token), std::string::npos);
}

TEST_F(SessionTest, ChangingThePasswordEndsTheUsersOtherSessions) {
  init_and_open();
  const std::string elsewhere = admin_token();
  const std::string here = admin_token();
  auto who = service_->authenticate(here, "192.0.2.1");
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(
      service_->change_password(*who, bootstrap_.password, "a brand new long passphrase").ok());
  // The session that changed it goes on with full rights; the other one,
  // held to changing the password until now, is over rather than upgraded.
  auto kept = service_->authenticate(here, "192.0.2.1");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_FALSE(kept->must_change_password);
  EXPECT_EQ(auth_error(elsewhere), common::Errc::invalid_session);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions WHERE end_reason = 'password_changed'"), 1);
  service_ = reopen();
  EXPECT_EQ(auth_error(elsewhere), common::Errc::invalid_session);
  EXPECT_TRUE(service_->authenticate(here, "192.0.2.1").ok());
}

TEST_F(SessionTest, UnknownAndMalformedTokensAreRefused) {
  init_and_open();
  EXPECT_EQ(auth_error(""), common::Errc::invalid_session);
  EXPECT_EQ(auth_error("short"), common::Errc::invalid_session);
  EXPECT_EQ(auth_error(std::string(43, 'A')), common::Errc::invalid_session);
  EXPECT_EQ(auth_error(std::string(43, '%')), common::Errc::invalid_session);
  EXPECT_EQ(auth_error(std::string(100000, 'A')), common::Errc::invalid_session);
}

TEST_F(SessionTest, UseRefreshesTheIdleTimerAndIdlenessEndsTheSession) {
  init_and_open();
  const std::string token = admin_token();
  const auto idle = policy_.session.idle_timeout;
  for (int i = 0; i < 3; ++i) {
    clock_->advance(idle - seconds(1));
    ASSERT_TRUE(service_->authenticate(token, "192.0.2.1").ok()) << i;
  }
  clock_->advance(idle);
  EXPECT_EQ(auth_error(token), common::Errc::invalid_session);
  EXPECT_EQ(sql_text("SELECT end_reason FROM sessions"), "idle_timeout");
  EXPECT_EQ(sql_text("SELECT action || ':' || reason FROM audit ORDER BY seq DESC LIMIT 1"),
            "session.expire:idle_timeout");
  // Final: going back in time does not revive it.
  clock_->advance(-idle);
  EXPECT_EQ(auth_error(token), common::Errc::invalid_session);
}

TEST_F(SessionTest, AbsoluteLifetimeEndsEvenAnActiveSession) {
  policy_.session.absolute_timeout = seconds(3600);
  policy_.session.idle_timeout = seconds(900);
  init_and_open();
  const std::string token = admin_token();
  for (int i = 0; i < 4; ++i) {
    clock_->advance(seconds(850));
    ASSERT_TRUE(service_->authenticate(token, "192.0.2.1").ok()) << i;  // 3400 s in
  }
  clock_->advance(seconds(200));
  EXPECT_EQ(auth_error(token), common::Errc::invalid_session);
  EXPECT_EQ(sql_text("SELECT end_reason FROM sessions"), "absolute_timeout");
}

TEST_F(SessionTest, LogoutIsFinalAcrossRestarts) {
  init_and_open();
  const std::string token = admin_token();
  auto who = service_->authenticate(token, "192.0.2.1");
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(service_->logout(*who).ok());
  EXPECT_EQ(auth_error(token), common::Errc::invalid_session);
  EXPECT_EQ(service_->logout(*who).error().code, common::Errc::invalid_session);
  // A Principal kept from before the logout opens nothing.
  EXPECT_EQ(
      service_->change_password(*who, bootstrap_.password, "some new long password").error().code,
      common::Errc::invalid_session);
  service_ = reopen();
  EXPECT_EQ(auth_error(token), common::Errc::invalid_session);
  EXPECT_EQ(sql_text("SELECT end_reason FROM sessions"), "logout");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'logout'"), 1);
}

TEST_F(SessionTest, SessionsSurviveARestart) {
  init_and_open();
  const std::string token = admin_token();
  service_ = reopen();
  auto who = service_->authenticate(token, "192.0.2.1");
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->username, "admin");
  EXPECT_TRUE(who->must_change_password);
}

TEST_F(SessionTest, AuthenticateWritesOnlyWhenTheTimerMovedEnough) {
  init_and_open();
  const std::string token = admin_token();
  const int64_t t0 = common::unix_seconds(clock_->now());
  const int64_t audit_rows = sql_int("SELECT COUNT(*) FROM audit");
  const int64_t interval = 30;  // min(30 s, 900 s / 10)
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(service_->authenticate(token, "192.0.2.1").ok());
  clock_->advance(seconds(interval - 1));
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(service_->authenticate(token, "192.0.2.1").ok());
  EXPECT_EQ(sql_int("SELECT last_seen_at FROM sessions"), t0);
  clock_->advance(seconds(1));
  ASSERT_TRUE(service_->authenticate(token, "192.0.2.1").ok());
  EXPECT_EQ(sql_int("SELECT last_seen_at FROM sessions"), t0 + interval);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), audit_rows);
}

TEST_F(SessionTest, AfterARestartIdleTimeCountsFromTheLastPersistedUse) {
  init_and_open();
  const std::string token = admin_token();
  clock_->advance(seconds(20));  // used, but not persisted (interval 30 s)
  ASSERT_TRUE(service_->authenticate(token, "192.0.2.1").ok());
  service_ = reopen();
  clock_->advance(policy_.session.idle_timeout - seconds(20));
  // Conservative: idle since t0 by the stored record, so it has ended.
  EXPECT_EQ(auth_error(token), common::Errc::invalid_session);
}

}  // namespace
}  // namespace core::testing
