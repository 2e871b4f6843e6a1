// Sessions end when idle too long, and outlive a daemon restart.
#include <thread>

#include "authd_fixture.h"

namespace integration {
namespace {

using SessionLifetimeTest = AuthdTest;
using std::chrono::milliseconds;

TEST_F(SessionLifetimeTest, IdleSessionExpiresUnlessUsed) {
  // Stored times may be whole seconds, so the gaps below stay a full second
  // clear of the 3-second idle limit either way.
  use_test_policy({{"session", {{"idle_timeout_s", "3"}}}});
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());

  // Each call refreshes the idle timer: 4 s of use in 1-second gaps keeps it alive.
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(milliseconds(1000));
    const ApiResponse r = get("/v1/session", admin);
    ASSERT_EQ(r.status, 200) << "call " << i << ": " << r.body;
  }
  std::this_thread::sleep_for(milliseconds(4500));
  const ApiResponse expired = get("/v1/session", admin);
  EXPECT_EQ(expired.status, 401) << expired.body;
  EXPECT_EQ(expired.error(), "invalid_session");
  // Expiry is final: the session does not come back.
  EXPECT_EQ(get("/v1/session", admin).status, 401);
  EXPECT_EQ(get("/v1/organisations", admin).status, 401);
}

TEST_F(SessionLifetimeTest, IdleTimeoutIsReportedAtLogin) {
  use_test_policy({{"session", {{"idle_timeout_s", "5"}, {"absolute_timeout_s", "60"}}}});
  ASSERT_NO_FATAL_FAILURE(start());
  const ApiResponse r = login(admin_username_, admin_password_, admin_otp_->next());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.value("idle_timeout_s", 0), 5);
}

TEST_F(SessionLifetimeTest, RestartKeepsLiveSessionsAndLogoutsAndUsedCodes) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string live = admin_session();
  ASSERT_FALSE(live.empty());
  const ApiResponse second = login(admin_username_, admin_password_, admin_otp_->next());
  ASSERT_EQ(second.status, 200) << second.body;
  const std::string used_code = admin_otp_->last();
  const std::string ended = second.json.value("session", std::string());
  ASSERT_EQ(call("POST", "/v1/logout", {}, ended).status, 204);
  const std::string old_port = port_;

  ASSERT_NO_FATAL_FAILURE(stop());
  ASSERT_FALSE(daemon_.running());
  ASSERT_NO_FATAL_FAILURE(start());

  const ApiResponse after = get("/v1/session", live);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json.value("username", ""), admin_username_);
  EXPECT_EQ(get("/v1/session", ended).status, 401) << "a logout survives the restart";
  const ApiResponse replay = login(admin_username_, admin_password_, used_code);
  EXPECT_EQ(replay.status, 401) << "a used time step stays used across a restart";
  const ApiResponse fresh = login(admin_username_, admin_password_, admin_otp_->next());
  EXPECT_EQ(fresh.status, 200) << fresh.body;
}

}  // namespace
}  // namespace integration
