// The published test vectors: RFC 4226 Appendix D (HOTP) and RFC 6238
// Appendix B (TOTP, all eighteen rows).
#include <gtest/gtest.h>

#include "test_support.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

using tokens_test::bytes_of;

// RFC 6238 Appendix A: the seed repeats "1234567890" to the hash's block of
// key material (20, 32 and 64 bytes).
std::vector<uint8_t> rfc6238_seed(TotpAlgorithm algorithm) {
  switch (algorithm) {
    case TotpAlgorithm::sha1:
      return bytes_of("12345678901234567890");
    case TotpAlgorithm::sha256:
      return bytes_of("12345678901234567890123456789012");
    case TotpAlgorithm::sha512:
      return bytes_of("1234567890123456789012345678901234567890123456789012345678901234");
  }
  return {};
}

TEST(HotpVectors, Rfc4226AppendixD) {
  const auto secret = bytes_of("12345678901234567890");
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    auto code = hotp_code(secret, counter, 6);
    ASSERT_TRUE(code.ok()) << code.error().message;
    EXPECT_EQ(*code, expected[counter]) << "counter " << counter;
  }
}

struct TotpVector {
  int64_t unix_time;
  int64_t step;  // "Value of T" in the RFC's table
  TotpAlgorithm algorithm;
  const char* code;
};

void PrintTo(const TotpVector& row, std::ostream* out) {
  *out << totp_algorithm_name(row.algorithm) << " at " << row.unix_time;
}

class TotpVectors : public ::testing::TestWithParam<TotpVector> {};

// common::TimePoint counts nanoseconds in 64 bits, so it ends in 2262; the
// table's last row (20000000000 s, year 2603) is checked through its step only.
bool representable(int64_t unix_time) {
  using namespace std::chrono;
  return unix_time < duration_cast<seconds>(common::TimePoint::max().time_since_epoch()).count();
}

TEST_P(TotpVectors, Rfc6238AppendixB) {
  const TotpVector& v = GetParam();
  const auto secret = rfc6238_seed(v.algorithm);
  const TotpParams params{v.algorithm, 8, std::chrono::seconds(30)};

  auto code = totp_code(secret, v.step, params);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, v.code);
  if (!representable(v.unix_time)) return;

  const auto at = common::from_unix_seconds(v.unix_time);
  EXPECT_EQ(totp_step(at, params.period), v.step);
  // The verifier must accept the published code at the published time, on the
  // current step, with no window at all.
  auto match = verify_totp(secret, v.code, at, params, 0, -1);
  ASSERT_TRUE(match.ok()) << match.error().message;
  EXPECT_EQ(match->step, v.step);
  EXPECT_EQ(match->offset, 0);
}

// Counter-mode HOTP with the SHA-2 HMACs must agree with TOTP at the same
// counter: RFC 6238 defines TOTP as HOTP over the step.
TEST_P(TotpVectors, HotpWithSameAlgorithmAgrees) {
  const TotpVector& v = GetParam();
  auto code = hotp_code(rfc6238_seed(v.algorithm), static_cast<uint64_t>(v.step), 8, v.algorithm);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, v.code);
}

INSTANTIATE_TEST_SUITE_P(
    AllRows, TotpVectors,
    ::testing::Values(TotpVector{59, 0x1, TotpAlgorithm::sha1, "94287082"},
                      TotpVector{59, 0x1, TotpAlgorithm::sha256, "46119246"},
                      TotpVector{59, 0x1, TotpAlgorithm::sha512, "90693936"},
                      TotpVector{1111111109, 0x23523EC, TotpAlgorithm::sha1, "07081804"},
                      TotpVector{1111111109, 0x23523EC, TotpAlgorithm::sha256, "68084774"},
                      TotpVector{1111111109, 0x23523EC, TotpAlgorithm::sha512, "25091201"},
                      TotpVector{1111111111, 0x23523ED, TotpAlgorithm::sha1, "14050471"},
                      TotpVector{1111111111, 0x23523ED, TotpAlgorithm::sha256, "67062674"},
                      TotpVector{1111111111, 0x23523ED, TotpAlgorithm::sha512, "99943326"},
                      TotpVector{1234567890, 0x273EF07, TotpAlgorithm::sha1, "89005924"},
                      TotpVector{1234567890, 0x273EF07, TotpAlgorithm::sha256, "91819424"},
                      TotpVector{1234567890, 0x273EF07, TotpAlgorithm::sha512, "93441116"},
                      TotpVector{2000000000, 0x3F940AA, TotpAlgorithm::sha1, "69279037"},
                      TotpVector{2000000000, 0x3F940AA, TotpAlgorithm::sha256, "90698825"},
                      TotpVector{2000000000, 0x3F940AA, TotpAlgorithm::sha512, "38618901"},
                      TotpVector{20000000000, 0x27BC86AA, TotpAlgorithm::sha1, "65353130"},
                      TotpVector{20000000000, 0x27BC86AA, TotpAlgorithm::sha256, "77737706"},
                      TotpVector{20000000000, 0x27BC86AA, TotpAlgorithm::sha512, "47863826"}));

TEST(TotpStep, FloorsInstantsInsideAStep) {
  const std::chrono::seconds period(30);
  EXPECT_EQ(totp_step(common::from_unix_seconds(0), period), 0);
  EXPECT_EQ(totp_step(common::from_unix_seconds(29), period), 0);
  EXPECT_EQ(totp_step(common::from_unix_seconds(30), period), 1);
  EXPECT_EQ(totp_step(common::from_unix_seconds(30) - std::chrono::milliseconds(1), period), 0);
  EXPECT_EQ(totp_step(common::from_unix_seconds(-1), period), -1);
  EXPECT_EQ(totp_step(common::from_unix_seconds(120), std::chrono::seconds(60)), 2);
}

TEST(CodeGeneration, RefusesBadParameters) {
  const auto secret = bytes_of("12345678901234567890");
  for (uint32_t digits : {0u, 5u, 9u, 10u}) {
    auto code = hotp_code(secret, 0, digits);
    ASSERT_FALSE(code.ok()) << digits;
    EXPECT_EQ(code.error().code, common::Errc::bad_request);
    auto totp =
        totp_code(secret, 1, TotpParams{TotpAlgorithm::sha1, digits, std::chrono::seconds(30)});
    ASSERT_FALSE(totp.ok()) << digits;
    EXPECT_EQ(totp.error().code, common::Errc::bad_request);
  }
  EXPECT_EQ(hotp_code({}, 0, 6).error().code, common::Errc::bad_request);
  EXPECT_EQ(totp_code({}, 1, TotpParams{}).error().code, common::Errc::bad_request);
  EXPECT_EQ(totp_code(secret, -1, TotpParams{}).error().code, common::Errc::bad_request);
  EXPECT_EQ(totp_code(secret, 1, TotpParams{TotpAlgorithm::sha1, 6, std::chrono::seconds(0)})
                .error()
                .code,
            common::Errc::bad_request);
  EXPECT_EQ(totp_code(secret, INT64_MAX / 2, TotpParams{}).error().code, common::Errc::bad_request);
}

TEST(CodeGeneration, SevenDigitsIsTheEightDigitCodeModuloTenMillion) {
  // Dynamic truncation gives one 31-bit number; the digit count only chooses
  // the modulus, so the 7-digit code is the 8-digit code's last seven digits.
  const auto secret = bytes_of("12345678901234567890");
  for (uint64_t counter = 0; counter < 5; ++counter) {
    auto eight = hotp_code(secret, counter, 8);
    auto seven = hotp_code(secret, counter, 7);
    ASSERT_TRUE(eight.ok() && seven.ok());
    EXPECT_EQ(*seven, eight->substr(1));
  }
}

TEST(Algorithms, NamesRoundTrip) {
  for (auto algorithm : {TotpAlgorithm::sha1, TotpAlgorithm::sha256, TotpAlgorithm::sha512}) {
    auto parsed = parse_totp_algorithm(totp_algorithm_name(algorithm));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, algorithm);
  }
  EXPECT_EQ(*parse_totp_algorithm("sha256"), TotpAlgorithm::sha256);
  for (const char* bad : {"", "MD5", "SHA", "SHA-1", "SHA1 "}) {
    auto parsed = parse_totp_algorithm(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, common::Errc::bad_request);
  }
}

class ScriptedRandom final : public common::Random {
 public:
  void fill(std::span<uint8_t> out) override {
    for (auto& b : out) b = next_++;
  }

 private:
  uint8_t next_ = 1;
};

TEST(NewSecret, ComesFromTheRandomSourceAndIsNeverShorterThan160Bits) {
  ScriptedRandom random;
  auto secret = new_totp_secret(random);
  ASSERT_EQ(secret.size(), 20u);
  EXPECT_EQ(secret.front(), 1);
  EXPECT_EQ(secret.back(), 20);
  EXPECT_EQ(new_totp_secret(random, 32).size(), 32u);
  EXPECT_EQ(new_totp_secret(random, 8).size(), 20u);

  auto csprng = common::openssl_random();
  EXPECT_NE(new_totp_secret(*csprng), new_totp_secret(*csprng));
}

}  // namespace
}  // namespace tokens
