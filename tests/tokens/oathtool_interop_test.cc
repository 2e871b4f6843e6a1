// Interop with the real oathtool (OATH Toolkit): what a user's authenticator
// (or a script using oathtool) computes must be what authd computes and accepts.
#include <gtest/gtest.h>

#include <cstdio>

#include "common/secret.h"
#include "test_support.h"
#include "tokens/totp.h"

namespace tokens {

// Outside the anonymous namespace so that gtest finds it by argument-dependent
// lookup: ctest then names each case by its parameters.
void PrintTo(const TotpParams& params, std::ostream* out) {
  *out << totp_algorithm_name(params.algorithm) << ", " << params.digits << " digits, "
       << params.period.count() << " s";
}

namespace {

using namespace std::chrono;
using tokens_test::run_command;

struct Instant {
  int year, month, day, hour, minute, second;

  common::TimePoint time_point() const {
    const sys_days date =
        year_month_day{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                       std::chrono::day(static_cast<unsigned>(day))};
    return common::TimePoint(date) + hours(hour) + minutes(minute) + seconds(second);
  }
  // oathtool's --now syntax, e.g. "2026-01-01 00:00:00 UTC".
  std::string text() const {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d UTC", year, month, day,
                  hour, minute, second);
    return buffer;
  }
};

constexpr Instant kInstants[] = {
    {2026, 1, 1, 0, 0, 0},     {2026, 1, 1, 0, 0, 29},  {2026, 1, 1, 0, 0, 30},
    {2026, 6, 30, 23, 59, 59}, {2038, 1, 19, 3, 14, 8}, {2099, 12, 31, 12, 0, 1},
};

const char* oathtool_mode(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::sha1:
      return "sha1";
    case TotpAlgorithm::sha256:
      return "sha256";
    case TotpAlgorithm::sha512:
      return "sha512";
  }
  return "sha1";
}

std::string oathtool_totp(const std::string& secret_base32, const TotpParams& params,
                          const Instant& at) {
  // Test secrets only: on a shared machine a real seed would not go on a command line.
  const std::string command = "oathtool --totp=" + std::string(oathtool_mode(params.algorithm)) +
                              " -b " + secret_base32 + " -d " + std::to_string(params.digits) +
                              " -s " + std::to_string(params.period.count()) + "s --now '" +
                              at.text() + "'";
  auto result = run_command(command);
  EXPECT_EQ(result.exit_code, 0) << command;
  if (!result.output.empty() && result.output.back() == '\n') result.output.pop_back();
  return result.output;
}

class OathtoolInterop : public ::testing::TestWithParam<TotpParams> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tokens_test::have_program("oathtool"))
        << "oathtool is missing: run scripts/install-deps.sh";
  }
};

TEST_P(OathtoolInterop, SameCodesAsOathtoolAndTheyVerify) {
  const TotpParams params = GetParam();
  auto random = common::openssl_random();
  for (size_t bytes : {20u, 32u, 64u}) {
    const auto secret = new_totp_secret(*random, bytes);
    const std::string secret_base32 = base32_encode(secret);
    for (const Instant& at : kInstants) {
      const std::string theirs = oathtool_totp(secret_base32, params, at);
      ASSERT_EQ(theirs.size(), params.digits) << at.text() << ": '" << theirs << "'";
      const int64_t step = totp_step(at.time_point(), params.period);
      auto ours = totp_code(secret, step, params);
      ASSERT_TRUE(ours.ok()) << ours.error().message;
      EXPECT_EQ(*ours, theirs) << at.text() << " " << totp_algorithm_name(params.algorithm);

      auto match = verify_totp(secret, theirs, at.time_point(), params, 1, -1);
      ASSERT_TRUE(match.ok()) << at.text();
      EXPECT_EQ(match->step, step);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Parameters, OathtoolInterop,
                         ::testing::Values(TotpParams{TotpAlgorithm::sha1, 6, seconds(30)},
                                           TotpParams{TotpAlgorithm::sha1, 8, seconds(30)},
                                           TotpParams{TotpAlgorithm::sha256, 6, seconds(30)},
                                           TotpParams{TotpAlgorithm::sha256, 8, seconds(30)},
                                           TotpParams{TotpAlgorithm::sha512, 8, seconds(30)},
                                           TotpParams{TotpAlgorithm::sha1, 7, seconds(60)}));

TEST(OathtoolHotp, SameCountersAsOathtool) {
  ASSERT_TRUE(tokens_test::have_program("oathtool"));
  auto random = common::openssl_random();
  const auto secret = new_totp_secret(*random);
  const std::string secret_base32 = base32_encode(secret);
  for (uint64_t counter : {0ull, 1ull, 2ull, 1000ull, 4294967296ull}) {
    const std::string command =
        "oathtool --hotp -b " + secret_base32 + " -c " + std::to_string(counter);
    auto theirs = run_command(command);
    ASSERT_EQ(theirs.exit_code, 0) << command;
    auto ours = hotp_code(secret, counter, 6);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(*ours + "\n", theirs.output) << counter;
  }
}

TEST(OathtoolBase32, OathtoolReadsOurBase32) {
  // oathtool must recover the seed from our unpadded base32: its verbose mode
  // prints the key in hex.
  ASSERT_TRUE(tokens_test::have_program("oathtool"));
  auto random = common::openssl_random();
  for (size_t bytes : {20u, 21u, 33u}) {
    const auto secret = random->bytes(bytes);
    auto result = run_command("oathtool -v --totp -b " + base32_encode(secret) + " --now '" +
                              kInstants[0].text() + "'");
    ASSERT_EQ(result.exit_code, 0);
    EXPECT_NE(result.output.find("Hex secret: " + common::to_hex(secret) + "\n"), std::string::npos)
        << result.output;
  }
}

}  // namespace
}  // namespace tokens
