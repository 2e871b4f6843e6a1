// verify_totp: the window, the replay rule and the single failure answer.
#include <gtest/gtest.h>

#include <set>

#include "test_support.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

using tokens_test::bytes_of;

class TotpVerify : public ::testing::Test {
 protected:
  // 2026-01-01 00:00:10 UTC: ten seconds into a step, so neighbouring steps
  // are whole steps away.
  common::FakeClock clock{common::from_unix_seconds(1767225610)};
  const std::vector<uint8_t> secret = bytes_of("12345678901234567890");
  const TotpParams params{};  // SHA1, 6 digits, 30 s

  int64_t current() const { return totp_step(clock.now(), params.period); }
  std::string code_at(int64_t step) const { return *totp_code(secret, step, params); }

  void SetUp() override {
    // The edge tests mean something only if the five codes around now differ.
    std::set<std::string> codes;
    for (int64_t d = -2; d <= 2; ++d) codes.insert(code_at(current() + d));
    ASSERT_EQ(codes.size(), 5u);
  }

  static void expect_refused(const common::Result<TotpMatch>& result) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, common::Errc::invalid_credentials);
    EXPECT_EQ(result.error().message, "invalid credentials");
  }
};

TEST_F(TotpVerify, AcceptsTheStepBeforeCurrentAndAfterWithWindowOne) {
  for (int32_t offset : {-1, 0, 1}) {
    auto match = verify_totp(secret, code_at(current() + offset), clock.now(), params, 1, -1);
    ASSERT_TRUE(match.ok()) << "offset " << offset;
    EXPECT_EQ(match->step, current() + offset);
    EXPECT_EQ(match->offset, offset);
  }
}

TEST_F(TotpVerify, RefusesTwoStepsAwayWithWindowOne) {
  for (int32_t offset : {-2, 2}) {
    expect_refused(verify_totp(secret, code_at(current() + offset), clock.now(), params, 1, -1));
  }
}

TEST_F(TotpVerify, WindowZeroAcceptsOnlyTheCurrentStep) {
  EXPECT_TRUE(verify_totp(secret, code_at(current()), clock.now(), params, 0, -1).ok());
  expect_refused(verify_totp(secret, code_at(current() - 1), clock.now(), params, 0, -1));
  expect_refused(verify_totp(secret, code_at(current() + 1), clock.now(), params, 0, -1));
}

TEST_F(TotpVerify, FollowsTheClockAcrossStepBoundaries) {
  const std::string code = code_at(current());
  const int64_t step = current();
  clock.advance(std::chrono::seconds(30));  // one step later: still in the window
  auto match = verify_totp(secret, code, clock.now(), params, 1, -1);
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(match->step, step);
  EXPECT_EQ(match->offset, -1);
  clock.advance(std::chrono::seconds(30));  // two steps later: gone
  expect_refused(verify_totp(secret, code, clock.now(), params, 1, -1));
}

TEST_F(TotpVerify, RefusesTheSameStepTwice) {
  const std::string code = code_at(current());
  auto first = verify_totp(secret, code, clock.now(), params, 1, -1);
  ASSERT_TRUE(first.ok());
  expect_refused(verify_totp(secret, code, clock.now(), params, 1, first->step));
  // Still refused once time has moved on, while the step is inside the window.
  clock.advance(std::chrono::seconds(20));
  expect_refused(verify_totp(secret, code, clock.now(), params, 1, first->step));
}

TEST_F(TotpVerify, RefusesAnEarlierStepAfterALaterOne) {
  auto later = verify_totp(secret, code_at(current() + 1), clock.now(), params, 1, -1);
  ASSERT_TRUE(later.ok());
  expect_refused(verify_totp(secret, code_at(current()), clock.now(), params, 1, later->step));
  expect_refused(verify_totp(secret, code_at(current() - 1), clock.now(), params, 1, later->step));
}

TEST_F(TotpVerify, AcceptsTheNextStepAfterTheLastAccepted) {
  auto match = verify_totp(secret, code_at(current()), clock.now(), params, 1, current() - 1);
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(match->step, current());
}

// With the RFC seed, steps 59061240 and 59061241 (February 2026) happen to
// share a six-digit code: a code that is a replay for one step and fresh for
// the next must be accepted for the fresh one, and then for neither.
TEST(TotpVerifyCollision, SharedCodeIsAcceptedForTheLatestEligibleStep) {
  const auto secret = bytes_of("12345678901234567890");
  const TotpParams params{};
  const int64_t earlier = 59061240;
  const std::string code = *totp_code(secret, earlier, params);
  ASSERT_EQ(code, *totp_code(secret, earlier + 1, params)) << "fixture no longer collides";
  const auto now = common::from_unix_seconds(earlier * 30 + 10);

  auto first = verify_totp(secret, code, now, params, 1, -1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->step, earlier + 1);
  EXPECT_EQ(first->offset, 1);

  auto after_earlier = verify_totp(secret, code, now, params, 1, earlier);
  ASSERT_TRUE(after_earlier.ok());
  EXPECT_EQ(after_earlier->step, earlier + 1);

  auto replay = verify_totp(secret, code, now, params, 1, earlier + 1);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, common::Errc::invalid_credentials);
}

TEST_F(TotpVerify, WrongCodeIsRefused) {
  std::string wrong = code_at(current());
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  // Make sure the altered code is not, by chance, a neighbour's code.
  for (int64_t d = -1; d <= 1; ++d) ASSERT_NE(wrong, code_at(current() + d));
  expect_refused(verify_totp(secret, wrong, clock.now(), params, 1, -1));
}

TEST_F(TotpVerify, MalformedCodesAreRefusedLikeWrongOnes) {
  const std::string good = code_at(current());
  const std::vector<std::string> malformed = {
      "",
      good.substr(0, 5),
      good + "0",
      " " + good,
      good + " ",
      good + "\n",
      std::string(good.substr(0, 5)) + "a",
      "-" + good.substr(1),
      "+" + good.substr(1),
      std::string(good.substr(0, 5)) + std::string(1, '\0'),
      "\xef\xbc\x91\xef\xbc\x92",  // full-width digits
  };
  for (const auto& code : malformed) {
    expect_refused(verify_totp(secret, code, clock.now(), params, 1, -1));
  }
}

TEST_F(TotpVerify, EightDigitSha256Tokens) {
  const TotpParams p{TotpAlgorithm::sha256, 8, std::chrono::seconds(60)};
  const auto seed = bytes_of("12345678901234567890123456789012");
  const int64_t step = totp_step(clock.now(), p.period);
  const std::string code = *totp_code(seed, step, p);
  ASSERT_EQ(code.size(), 8u);
  EXPECT_TRUE(verify_totp(seed, code, clock.now(), p, 1, -1).ok());
  // The same digits under the default SHA1/6 parameters must not pass.
  expect_refused(verify_totp(seed, code, clock.now(), TotpParams{}, 1, -1));
}

TEST_F(TotpVerify, SkipsStepsBeforeTheEpoch) {
  const auto near_epoch = common::from_unix_seconds(5);
  auto match = verify_totp(secret, *totp_code(secret, 0, params), near_epoch, params, 1, -1);
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(match->step, 0);
}

TEST_F(TotpVerify, RefusesBadParameters) {
  const std::string code = code_at(current());
  EXPECT_EQ(verify_totp(secret, code, clock.now(), params, 11, -1).error().code,
            common::Errc::bad_request);
  EXPECT_EQ(verify_totp({}, code, clock.now(), params, 1, -1).error().code,
            common::Errc::bad_request);
  EXPECT_EQ(verify_totp(secret, code, clock.now(),
                        TotpParams{TotpAlgorithm::sha1, 6, std::chrono::seconds(0)}, 1, -1)
                .error()
                .code,
            common::Errc::bad_request);
}

}  // namespace
}  // namespace tokens
