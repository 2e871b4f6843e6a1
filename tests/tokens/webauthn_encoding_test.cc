// base64url, AAGUID text and refusal names.
#include <gtest/gtest.h>

#include "tokens/webauthn.h"

namespace {

namespace wa = tokens::webauthn;

wa::Bytes bytes(std::string_view s) { return wa::Bytes(s.begin(), s.end()); }

TEST(Base64url, Rfc4648Vectors) {
  // RFC 4648 section 10, in the URL alphabet without padding.
  EXPECT_EQ(wa::base64url_encode(bytes("")), "");
  EXPECT_EQ(wa::base64url_encode(bytes("f")), "Zg");
  EXPECT_EQ(wa::base64url_encode(bytes("fo")), "Zm8");
  EXPECT_EQ(wa::base64url_encode(bytes("foo")), "Zm9v");
  EXPECT_EQ(wa::base64url_encode(bytes("foob")), "Zm9vYg");
  EXPECT_EQ(wa::base64url_encode(bytes("fooba")), "Zm9vYmE");
  EXPECT_EQ(wa::base64url_encode(bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(wa::base64url_encode(wa::Bytes{0xfb, 0xff, 0xbf}), "-_-_");
}

TEST(Base64url, RoundTripsEveryLengthAndByte) {
  wa::Bytes data;
  for (int i = 0; i < 300; ++i) {
    const auto text = wa::base64url_encode(data);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    const auto back = wa::base64url_decode(text);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(*back, data);
    data.push_back(static_cast<uint8_t>(i * 97 + 13));
  }
}

TEST(Base64url, RefusesPaddingStandardAlphabetAndNonCanonicalBits) {
  EXPECT_FALSE(wa::base64url_decode("Zg=="));
  EXPECT_FALSE(wa::base64url_decode("Zm8="));
  EXPECT_FALSE(wa::base64url_decode("+/+/"));
  EXPECT_FALSE(wa::base64url_decode("ab+c"));
  EXPECT_FALSE(wa::base64url_decode("ab/c"));
  EXPECT_FALSE(wa::base64url_decode("Zm9 v"));
  EXPECT_FALSE(wa::base64url_decode("Zm9v\n"));
  EXPECT_FALSE(wa::base64url_decode("Z"));    // a lone character holds no byte
  EXPECT_FALSE(wa::base64url_decode("Zh"));   // "Zg" with a trailing bit set
  EXPECT_FALSE(wa::base64url_decode("Zm9"));  // "Zm8" with trailing bits set
  EXPECT_TRUE(wa::base64url_decode("Zg"));
  EXPECT_TRUE(wa::base64url_decode(""));
}

TEST(Aaguid, ParsesAndPrints) {
  const auto a = wa::parse_aaguid("CB69481E-8FF7-4039-93EC-0A2729A154A8");
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)[0], 0xcb);
  EXPECT_EQ((*a)[15], 0xa8);
  EXPECT_EQ(wa::aaguid_string(*a), "cb69481e-8ff7-4039-93ec-0a2729a154a8");
  EXPECT_FALSE(wa::parse_aaguid("cb69481e8ff7403993ec0a2729a154a8"));
  EXPECT_FALSE(wa::parse_aaguid("cb69481e-8ff7-4039-93ec-0a2729a154a"));
  EXPECT_FALSE(wa::parse_aaguid("cb69481e-8ff7-4039-93ec-0a2729a154ag"));
  EXPECT_FALSE(wa::parse_aaguid("cb69481e-8ff7-4039-93ec_0a2729a154a8"));
}

TEST(Refusal, NamesAreStable) {
  EXPECT_STREQ(wa::refusal_name(wa::Refusal::wrong_origin), "wrong_origin");
  EXPECT_STREQ(wa::refusal_name(wa::Refusal::counter_regressed), "counter_regressed");
  EXPECT_STREQ(wa::refusal_name(wa::Refusal::wrong_user_handle), "wrong_user_handle");
  EXPECT_STREQ(wa::refusal_name(wa::Refusal::untrusted_attestation), "untrusted_attestation");
  EXPECT_STREQ(wa::user_verification_name(wa::UserVerification::required), "required");
}

}  // namespace
