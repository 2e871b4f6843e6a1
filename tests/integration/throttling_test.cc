// Consecutive failures throttle an account (and a source address) with 429
// and Retry-After, even for the right credentials, as 800-63B 5.2.2 asks.
#include "authd_fixture.h"

namespace integration {
namespace {

using ThrottlingTest = AuthdTest;

TEST_F(ThrottlingTest, AccountIsThrottledAfterConfiguredFailures) {
  // A long first delay, so a slow machine cannot outwait it between attempts.
  use_test_policy({{"lockout", {{"throttle_after_failures", "3"}, {"initial_delay_s", "60"}}}});
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());
  TestUser carol = create_user(admin, "carol");
  ASSERT_TRUE(carol.otp);

  for (int i = 0; i < 3; ++i) {
    const ApiResponse r =
        login("carol", "Wrong password number " + std::to_string(i), carol.otp->wrong());
    EXPECT_EQ(r.status, 401) << "failure " << i << ": " << r.body;
  }
  const ApiResponse throttled = login("carol", carol.password, carol.otp->next());
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_EQ(throttled.error(), "too_many_attempts");
  const std::string retry_after = throttled.header("retry-after");
  ASSERT_FALSE(retry_after.empty()) << "429 must carry Retry-After";
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_LE(std::stoi(retry_after), 60);

  // Throttling one account leaves other accounts and live sessions alone.
  EXPECT_EQ(get("/v1/session", admin).status, 200);
  const ApiResponse other = login(admin_username_, admin_password_, admin_otp_->next());
  EXPECT_EQ(other.status, 200) << other.body;

  // A name that does not exist is throttled the same way, so 429 does not
  // tell which names exist.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(login("no-such-user", "Guessing password " + std::to_string(i), "123456").status,
              401);
  }
  const ApiResponse ghost = login("no-such-user", "Guessing password 3", "123456");
  EXPECT_EQ(ghost.status, 429) << ghost.body;
  EXPECT_EQ(ghost.error(), "too_many_attempts") << "the same answer as for a real account";
  EXPECT_FALSE(ghost.header("retry-after").empty());
}

TEST_F(ThrottlingTest, SourceAddressIsThrottledAcrossAccounts) {
  // Password spraying: one guess each on many names from one address.
  use_test_policy(
      {{"lockout", {{"address_throttle_after_failures", "5"}, {"initial_delay_s", "60"}}}});
  ASSERT_NO_FATAL_FAILURE(start());
  for (int i = 0; i < 5; ++i) {
    const ApiResponse r = login("sprayed-" + std::to_string(i), "Summer2024 spray guess", "123456");
    EXPECT_EQ(r.status, 401) << "attempt " << i << ": " << r.body;
  }
  const ApiResponse throttled = login("sprayed-5", "Summer2024 spray guess", "123456");
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_EQ(throttled.error(), "too_many_attempts");
  EXPECT_FALSE(throttled.header("retry-after").empty());
  EXPECT_TRUE(daemon_.running());
}

}  // namespace
}  // namespace integration
