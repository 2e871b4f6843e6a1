// Keys made in the token stay there: sensitive, not extractable, value
// unreadable; labels are unique; the returned URI finds the key again.
#include <sys/stat.h>

#include "test_support.h"

namespace hsm_test {
namespace {

using common::Errc;

class KeyGenerationTest : public TokenTest {};

TEST_F(KeyGenerationTest, EcPrivateKeyIsSensitiveAndNotExtractable) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "audit-20261125T101500Z");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  auto attributes = hsm_->inspect(*uri);
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  EXPECT_EQ(attributes->type, hsm::KeyType::ec_p256);
  EXPECT_TRUE(attributes->sensitive);
  EXPECT_FALSE(attributes->extractable);
  EXPECT_FALSE(attributes->value_readable);
}

TEST_F(KeyGenerationTest, AesKeyIsSensitiveAndNotExtractable) {
  auto uri = hsm_->generate(hsm::KeyType::aes256, "wrap-20261125T101500Z");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  auto attributes = hsm_->inspect(*uri);
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  EXPECT_EQ(attributes->type, hsm::KeyType::aes256);
  EXPECT_TRUE(attributes->sensitive);
  EXPECT_FALSE(attributes->extractable);
  EXPECT_FALSE(attributes->value_readable);
}

TEST_F(KeyGenerationTest, UriNamesTokenLabelAndId) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "assertion 1");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->rfind("pkcs11:", 0), 0u) << *uri;
  EXPECT_NE(uri->find("token=authd-test"), std::string::npos) << *uri;
  EXPECT_NE(uri->find("object=assertion%201"), std::string::npos) << *uri;
  EXPECT_NE(uri->find("id=%"), std::string::npos) << *uri;
  // The label alone finds it as well.
  auto by_label = hsm_->public_key_der("pkcs11:token=authd-test;object=assertion%201");
  auto by_uri = hsm_->public_key_der(*uri);
  ASSERT_TRUE(by_label.ok() && by_uri.ok());
  EXPECT_EQ(*by_label, *by_uri);
}

TEST_F(KeyGenerationTest, TwoKeysHaveDifferentIdsAndPublicKeys) {
  auto a = hsm_->generate(hsm::KeyType::ec_p256, "a");
  auto b = hsm_->generate(hsm::KeyType::ec_p256, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->substr(a->find("id=")), b->substr(b->find("id=")));
  auto ka = hsm_->public_key_der(*a);
  auto kb = hsm_->public_key_der(*b);
  ASSERT_TRUE(ka.ok() && kb.ok());
  EXPECT_NE(*ka, *kb);
}

TEST_F(KeyGenerationTest, DuplicateLabelIsConflict) {
  ASSERT_TRUE(hsm_->generate(hsm::KeyType::ec_p256, "audit-x").ok());
  for (auto type : {hsm::KeyType::ec_p256, hsm::KeyType::aes256}) {
    auto again = hsm_->generate(type, "audit-x");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Errc::conflict);
  }
  auto empty = hsm_->generate(hsm::KeyType::aes256, "");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, Errc::bad_request);
}

TEST_F(KeyGenerationTest, KeysPersistAcrossReopening) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "persistent");
  ASSERT_TRUE(uri.ok());
  auto before = hsm_->public_key_der(*uri);
  ASSERT_TRUE(before.ok());
  hsm_.reset();
  auto reopened = hsm::open_pkcs11(config_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  auto after = (*reopened)->public_key_der(*uri);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(*before, *after);
}

TEST_F(KeyGenerationTest, InspectOfUnknownKeyIsNotFound) {
  auto result = hsm_->inspect("pkcs11:object=missing");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Errc::not_found);
}

TEST_F(KeyGenerationTest, TokenDirectoryLayout) {
  const auto dir = tmp_.path() / "hsm";
  struct stat st;
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat((dir / "tokens").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const char* pin : {"so.pin", "user.pin"}) {
    ASSERT_EQ(stat((dir / pin).c_str(), &st), 0) << pin;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << pin;
    EXPECT_EQ(st.st_size, 32) << pin;
  }
  EXPECT_EQ(config_.softhsm2_conf, dir / "softhsm2.conf");
  EXPECT_EQ(config_.pin_file, dir / "user.pin");
  EXPECT_EQ(config_.token_uri, "pkcs11:token=authd-test");
}

}  // namespace
}  // namespace hsm_test
