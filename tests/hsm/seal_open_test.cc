// AES-256-GCM in the token: round trips, and refusals for anything altered.
#include "test_support.h"

namespace hsm_test {
namespace {

using common::Errc;

class SealOpenTest : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    if (HasFatalFailure()) return;
    auto uri = hsm_->generate(hsm::KeyType::aes256, "wrap-1");
    ASSERT_TRUE(uri.ok()) << uri.error().message;
    key_ = *uri;
  }
  std::string key_;
};

TEST_F(SealOpenTest, RoundTripWithAssociatedData) {
  const auto seed = bytes("12345678901234567890");
  const auto aad = bytes("token:42");
  auto sealed = hsm_->seal(key_, seed, aad);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->size(), 12 + seed.size() + 16);
  EXPECT_EQ(std::search(sealed->begin(), sealed->end(), seed.begin(), seed.end()), sealed->end());

  auto opened = hsm_->open(key_, *sealed, aad);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(std::vector<uint8_t>(opened->view().begin(), opened->view().end()), seed);
}

TEST_F(SealOpenTest, FreshIvEachTime) {
  const auto seed = bytes("same plaintext");
  auto a = hsm_->seal(key_, seed, {});
  auto b = hsm_->seal(key_, seed, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(std::vector<uint8_t>(a->begin(), a->begin() + 12),
            std::vector<uint8_t>(b->begin(), b->begin() + 12));
  EXPECT_NE(*a, *b);
  auto opened = hsm_->open(key_, *b, {});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->size(), seed.size());
}

TEST_F(SealOpenTest, OtherAssociatedDataDoesNotDecrypt) {
  auto sealed = hsm_->seal(key_, bytes("seed"), bytes("token:1"));
  ASSERT_TRUE(sealed.ok());
  auto opened = hsm_->open(key_, *sealed, bytes("token:2"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::bad_request) << opened.error().message;
  EXPECT_NE(opened.error().message.find("does not decrypt"), std::string::npos);
}

TEST_F(SealOpenTest, TamperedIvCiphertextOrTagDoesNotDecrypt) {
  auto sealed = hsm_->seal(key_, bytes("twenty byte seed....."), bytes("token:1"));
  ASSERT_TRUE(sealed.ok());
  for (size_t position : {size_t{0}, size_t{12}, sealed->size() - 1}) {
    auto copy = *sealed;
    copy[position] ^= 0x01;
    auto opened = hsm_->open(key_, copy, bytes("token:1"));
    ASSERT_FALSE(opened.ok()) << "flipped byte " << position;
    EXPECT_EQ(opened.error().code, Errc::bad_request) << opened.error().message;
  }
  auto truncated = std::vector<uint8_t>(sealed->begin(), sealed->end() - 1);
  auto opened = hsm_->open(key_, truncated, bytes("token:1"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::bad_request);
  auto too_short = hsm_->open(key_, std::vector<uint8_t>(27), {});
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.error().code, Errc::bad_request);
}

TEST_F(SealOpenTest, AnotherKeyDoesNotDecrypt) {
  auto other = hsm_->generate(hsm::KeyType::aes256, "wrap-2");
  ASSERT_TRUE(other.ok());
  auto sealed = hsm_->seal(key_, bytes("seed"), bytes("aad"));
  ASSERT_TRUE(sealed.ok());
  auto opened = hsm_->open(*other, *sealed, bytes("aad"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::bad_request);
  auto right = hsm_->open(key_, *sealed, bytes("aad"));
  EXPECT_TRUE(right.ok());
}

TEST_F(SealOpenTest, UnknownKeyIsNotFound) {
  auto sealed = hsm_->seal("pkcs11:object=wrap-missing", bytes("seed"), {});
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().code, Errc::not_found);
}

TEST_F(SealOpenTest, RandomBytesComeFromTheToken) {
  auto a = hsm_->random_bytes(32);
  auto b = hsm_->random_bytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  auto none = hsm_->random_bytes(0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace hsm_test
