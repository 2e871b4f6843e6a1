// base32: RFC 4648 section 10 vectors, round trips, and what decoding forgives.
#include <gtest/gtest.h>

#include "test_support.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

using tokens_test::bytes_of;

struct Vector {
  const char* plain;
  const char* padded;  // as printed in RFC 4648
};

constexpr Vector kRfc4648[] = {
    {"", ""},
    {"f", "MY======"},
    {"fo", "MZXQ===="},
    {"foo", "MZXW6==="},
    {"foob", "MZXW6YQ="},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI======"},
};

std::string without_padding(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

TEST(Base32, EncodesRfc4648VectorsWithoutPadding) {
  for (const auto& v : kRfc4648) {
    EXPECT_EQ(base32_encode(bytes_of(v.plain)), without_padding(v.padded)) << v.plain;
  }
}

TEST(Base32, DecodesRfc4648VectorsPaddedOrNot) {
  for (const auto& v : kRfc4648) {
    auto padded = base32_decode(v.padded);
    ASSERT_TRUE(padded.ok()) << v.padded;
    EXPECT_EQ(*padded, bytes_of(v.plain));
    auto bare = base32_decode(without_padding(v.padded));
    ASSERT_TRUE(bare.ok()) << v.padded;
    EXPECT_EQ(*bare, bytes_of(v.plain));
  }
}

TEST(Base32, RoundTripsEveryLengthOfRandomBytes) {
  auto random = common::openssl_random();
  for (size_t n = 0; n <= 70; ++n) {
    const auto bytes = random->bytes(n);
    const std::string text = base32_encode(bytes);
    EXPECT_EQ(text.find('='), std::string::npos);
    EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    auto back = base32_decode(text);
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(*back, bytes) << n;
  }
}

TEST(Base32, DecodingForgivesLowerCaseAndSpaces) {
  // How people retype a secret shown in groups of four.
  EXPECT_EQ(*base32_decode("mzxw6ytboi"), bytes_of("foobar"));
  EXPECT_EQ(*base32_decode("MZXW 6YTB OI"), bytes_of("foobar"));
  EXPECT_EQ(*base32_decode("mzxw 6ytb oi======"), bytes_of("foobar"));
}

TEST(Base32, RefusesWhatIsNotBase32) {
  for (const char* bad :
       {"M", "MZX", "MZXW6YTBO1", "MZXW6YTBO8", "MZXW6YTBOI=", "MZ=XW", "MZXW6YTB!", "MZXW-6YTB"}) {
    auto decoded = base32_decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error().code, common::Errc::bad_request);
    EXPECT_EQ(decoded.error().field, "secret");
    // The message must not echo the (secret) input.
    EXPECT_EQ(decoded.error().message.find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace tokens
