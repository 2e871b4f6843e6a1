// Throttling and lockout: per account (stored), per source address and per
// unknown username (in memory), with exponential back-off.
#include "login/address_key.h"
#include "login/backoff.h"
#include "login/failure_throttle.h"
#include "login/refusal_sampler.h"
#include "test_support.h"

namespace core::testing {
namespace {

using std::chrono::seconds;

class ThrottleTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    policy_.lockout.throttle_after_failures = 3;
    policy_.lockout.initial_delay = seconds(2);
    policy_.lockout.max_delay = seconds(16);
    policy_.lockout.lock_after_failures = 8;
    policy_.lockout.address_throttle_after_failures = 50;
  }
  Result<LoginGrant> wrong(const std::string& username, const std::string& address = "192.0.2.1") {
    return login(username, "definitely not it", "000000", address);
  }
  Result<LoginGrant> right(const std::string& address = "192.0.2.1") {
    // The current step's code: moving the clock would end a back-off.
    return login("admin", bootstrap_.password, code_now(bootstrap_.otpauth_uri), address);
  }
};

TEST(Backoff, DoublesFromTheThresholdAndStopsAtTheCap) {
  policy::LockoutPolicy p;
  p.initial_delay = seconds(1);
  p.max_delay = seconds(900);
  EXPECT_EQ(login::backoff_delay(9, 10, p), seconds(0));
  EXPECT_EQ(login::backoff_delay(10, 10, p), seconds(1));
  EXPECT_EQ(login::backoff_delay(11, 10, p), seconds(2));
  EXPECT_EQ(login::backoff_delay(14, 10, p), seconds(16));
  EXPECT_EQ(login::backoff_delay(20, 10, p), seconds(900));
  EXPECT_EQ(login::backoff_delay(1000000, 10, p), seconds(900));
}

TEST(Backoff, LocksAtTheLockThreshold) {
  policy::LockoutPolicy p;
  p.lock_after_failures = 3;
  store::LoginCounters c;
  c = login::after_failure(c, 100, p);
  c = login::after_failure(c, 100, p);
  EXPECT_FALSE(c.locked);
  c = login::after_failure(c, 100, p);
  EXPECT_TRUE(c.locked);
  EXPECT_EQ(c.failed_logins, 3);
}

TEST(FailureThrottle, AFullTableKeepsTheKeysBeingThrottled) {
  policy::LockoutPolicy p;
  p.initial_delay = seconds(10);
  p.max_delay = seconds(100);
  login::FailureThrottle throttle(/*threshold=*/2, p, /*max_keys=*/3);
  throttle.record_failure("attacker", 1000);
  throttle.record_failure("attacker", 1000);
  ASSERT_EQ(throttle.retry_after("attacker", 1000), seconds(10));
  // A flood of new keys cannot push the throttled one out.
  for (int i = 0; i < 100; ++i) throttle.record_failure("spray" + std::to_string(i), 1001);
  EXPECT_EQ(throttle.retry_after("attacker", 1001), seconds(9));
  EXPECT_EQ(throttle.failures("attacker"), 2);
}

TEST(FailureThrottle, FailuresAreForgottenOnlyAfterAQuietMaxDelay) {
  policy::LockoutPolicy p;
  p.initial_delay = seconds(10);
  p.max_delay = seconds(100);
  login::FailureThrottle throttle(/*threshold=*/3, p);
  throttle.record_failure("k", 1000);
  throttle.record_failure("k", 1050);
  throttle.record_failure("k", 1149);  // 99 s after the last one: still counted
  EXPECT_EQ(throttle.failures("k"), 3);
  EXPECT_EQ(throttle.retry_after("k", 1149), seconds(10));
  // 100 s without a failure, back-off long over: the count starts again.
  throttle.record_failure("k", 1249);
  EXPECT_EQ(throttle.failures("k"), 1);
  EXPECT_FALSE(throttle.retry_after("k", 1249).has_value());
}

TEST(AddressKey, Ipv6IsCountedPerSlash64AndMappedIpv4AsIpv4) {
  EXPECT_EQ(login::address_key("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(login::address_key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(login::address_key("2001:DB8:1:2:ffff::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(login::address_key("2001:db8:1:3::1"), "2001:db8:1:3::/64");
  EXPECT_EQ(login::address_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(login::address_key("::1"), "::/64");
  EXPECT_EQ(login::address_key("not an address"), "not an address");
}

TEST(RefusalSampler, OneEntryPerKeyPerSecondWithTheFoldedCount) {
  login::RefusalSampler sampler;
  EXPECT_EQ(sampler.admit("a", 10), 0);
  EXPECT_FALSE(sampler.admit("a", 10).has_value());
  EXPECT_FALSE(sampler.admit("a", 10).has_value());
  EXPECT_EQ(sampler.admit("b", 10), 0);  // keys are independent
  EXPECT_EQ(sampler.admit("a", 11), 2);
  EXPECT_EQ(sampler.admit("a", 12), 0);
}

TEST_F(ThrottleTest, AccountBackOffGrowsAndRightCredentialsWaitToo) {
  init_and_open();
  for (int i = 0; i < 3; ++i) {
    auto r = wrong("admin");
    ASSERT_EQ(r.error().code, common::Errc::invalid_credentials) << i;
  }
  // Three failures: throttled for 2 s; even the right credentials wait.
  auto throttled = right();
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code, common::Errc::too_many_attempts);
  EXPECT_GT(throttled.error().retry_after.count(), 0);
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "throttled");

  // Each further failure doubles the wait: 4 s, 8 s, then the cap of 16 s.
  std::vector<int64_t> waits;
  for (int i = 0; i < 4; ++i) {
    clock_->advance(seconds(60));
    ASSERT_EQ(wrong("admin").error().code, common::Errc::invalid_credentials);
    auto r = wrong("admin");
    ASSERT_EQ(r.error().code, common::Errc::too_many_attempts);
    waits.push_back(r.error().retry_after.count());
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{4, 8, 16, 16}));
  // 7 failures so far; the waiting attempts were not counted.
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'admin'"), 7);

  clock_->advance(seconds(60));
  auto ok = right();
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'admin'"), 0);
}

TEST_F(ThrottleTest, AccountLocksAndStaysLockedForTheRightCredentials) {
  init_and_open();
  for (int i = 0; i < 8; ++i) {
    clock_->advance(seconds(60));
    ASSERT_EQ(wrong("admin").error().code, common::Errc::invalid_credentials) << i;
  }
  EXPECT_EQ(sql_int("SELECT locked FROM users WHERE username = 'admin'"), 1);
  clock_->advance(seconds(3600));
  auto r = right();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, common::Errc::too_many_attempts);
  EXPECT_EQ(r.error().retry_after, seconds(16));
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "locked");

  // A flood of refusals costs no hashing; it is folded into one entry per
  // second per key, with the count carried by the next entry.
  const int64_t entries = sql_int("SELECT COUNT(*) FROM audit");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(right().error().code, common::Errc::too_many_attempts);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), entries);
  clock_->advance(seconds(1));
  EXPECT_EQ(right().error().code, common::Errc::too_many_attempts);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), entries + 1);
  EXPECT_EQ(sql_int("SELECT json_extract(detail, '$.suppressed') FROM audit ORDER BY seq DESC "
                    "LIMIT 1"),
            5);
}

TEST_F(ThrottleTest, AnUnknownNameIsThrottledLikeAnAccount) {
  init_and_open();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(wrong("admin").error().code, common::Errc::invalid_credentials);
    ASSERT_EQ(wrong("ghost").error().code, common::Errc::invalid_credentials);
  }
  auto known = wrong("admin");
  auto unknown = wrong("ghost");
  ASSERT_EQ(known.error().code, common::Errc::too_many_attempts);
  ASSERT_EQ(unknown.error().code, common::Errc::too_many_attempts);
  EXPECT_EQ(known.error().retry_after, unknown.error().retry_after);
  EXPECT_EQ(known.error().message, unknown.error().message);
}

TEST_F(ThrottleTest, PerAddressThrottleSpansAccountsAndSparesOtherAddresses) {
  policy_.lockout.address_throttle_after_failures = 4;
  init_and_open();
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(wrong("user" + std::to_string(i), "203.0.113.9").error().code,
              common::Errc::invalid_credentials);
  }
  auto blocked = wrong("someone-else", "203.0.113.9");
  ASSERT_EQ(blocked.error().code, common::Errc::too_many_attempts);
  EXPECT_EQ(blocked.error().retry_after, seconds(2));
  // The right credentials from that address wait as well...
  EXPECT_EQ(right("203.0.113.9").error().code, common::Errc::too_many_attempts);
  // ...but another address is not affected.
  EXPECT_TRUE(right("198.51.100.7").ok());
  clock_->advance(seconds(30));  // past the back-off, and a fresh code
  EXPECT_TRUE(right("203.0.113.9").ok());
  // That success does not wipe the address's count: its next failure is the
  // fifth, and throttles it again at once.
  ASSERT_EQ(wrong("user9", "203.0.113.9").error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(wrong("user10", "203.0.113.9").error().code, common::Errc::too_many_attempts);
}

TEST_F(ThrottleTest, AnIpv6ClientIsThrottledAcrossItsWholeSlash64) {
  policy_.lockout.address_throttle_after_failures = 4;
  init_and_open();
  // A new address from the same /64 for every guess, as a host may take.
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(
        wrong("user" + std::to_string(i), "2001:db8:5:6::" + std::to_string(i + 1)).error().code,
        common::Errc::invalid_credentials);
  }
  EXPECT_EQ(wrong("someone-else", "2001:db8:5:6:abcd::99").error().code,
            common::Errc::too_many_attempts);
  EXPECT_TRUE(right("2001:db8:5:7::1").ok());  // the next /64 is someone else
}

TEST_F(ThrottleTest, AFloodOfNamesFromAThrottledAddressWritesOneEntryASecond) {
  policy_.lockout.address_throttle_after_failures = 4;
  init_and_open();
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(wrong("user" + std::to_string(i), "203.0.113.9").ok());
  const int64_t entries = sql_int("SELECT COUNT(*) FROM audit");
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(wrong("made-up-" + std::to_string(i), "203.0.113.9").error().code,
              common::Errc::too_many_attempts);
  }
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), entries + 1);
  // Another throttled address is sampled on its own.
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(wrong("user" + std::to_string(i), "203.0.113.10").ok());
  const int64_t before_second = sql_int("SELECT COUNT(*) FROM audit");
  ASSERT_EQ(wrong("made-up-x", "203.0.113.10").error().code, common::Errc::too_many_attempts);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), before_second + 1);
}

}  // namespace
}  // namespace core::testing
