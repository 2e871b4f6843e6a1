// ECDSA P-256 signatures made in the token verify with OpenSSL, in-process
// and on the openssl command line.
#include "test_support.h"

namespace hsm_test {
namespace {

using common::Errc;

class SignTest : public TokenTest {};

TEST_F(SignTest, SignatureVerifiesWithOpenSslAndFailsForAnotherMessage) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "audit-1");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  auto spki = hsm_->public_key_der(*uri);
  ASSERT_TRUE(spki.ok()) << spki.error().message;

  const auto message = bytes("checkpoint seq=1000 head=abc");
  auto raw = hsm_->sign_es256(*uri, message);
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(raw->size(), 64u);
  auto der = hsm::ecdsa_raw_to_der(*raw);
  ASSERT_TRUE(der.ok());

  auto good = hsm::verify_es256_der(*spki, message, *der);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(*good);
  auto other = hsm::verify_es256_der(*spki, bytes("checkpoint seq=1001 head=abc"), *der);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
}

TEST_F(SignTest, SignatureVerifiesWithTheOpensslCommandLine) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "audit-cli");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  auto spki = hsm_->public_key_der(*uri);
  ASSERT_TRUE(spki.ok());
  auto pem = hsm::spki_pem(*spki);
  ASSERT_TRUE(pem.ok());

  const std::string text(200, 'm');
  auto raw = hsm_->sign_es256(*uri, bytes(text));
  ASSERT_TRUE(raw.ok());
  auto der = hsm::ecdsa_raw_to_der(*raw);
  ASSERT_TRUE(der.ok());

  const auto dir = tmp_.path();
  write_file(dir / "key.pem", *pem);
  write_file(dir / "message", text);
  write_file(dir / "message.sig", *der);
  write_file(dir / "other", text + "!");
  std::string out;
  const std::string verify = "openssl dgst -sha256 -verify '" + (dir / "key.pem").string() +
                             "' -signature '" + (dir / "message.sig").string() + "' ";
  EXPECT_EQ(run(verify + "'" + (dir / "message").string() + "'", &out), 0) << out;
  EXPECT_NE(out.find("Verified OK"), std::string::npos) << out;
  EXPECT_NE(run(verify + "'" + (dir / "other").string() + "'", &out), 0) << out;
}

TEST_F(SignTest, SignaturesAreRandomisedButBothVerify) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "audit-2");
  ASSERT_TRUE(uri.ok());
  auto spki = hsm_->public_key_der(*uri);
  ASSERT_TRUE(spki.ok());
  const auto message = bytes("same message");
  auto first = hsm_->sign_es256(*uri, message);
  auto second = hsm_->sign_es256(*uri, message);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  for (const auto* raw : {&*first, &*second}) {
    auto der = hsm::ecdsa_raw_to_der(*raw);
    ASSERT_TRUE(der.ok());
    auto ok = hsm::verify_es256_der(*spki, message, *der);
    ASSERT_TRUE(ok.ok());
    EXPECT_TRUE(*ok);
  }
}

TEST_F(SignTest, UnknownKeyIsNotFound) {
  auto result = hsm_->sign_es256("pkcs11:token=authd-test;object=no-such-key", bytes("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Errc::not_found);
  EXPECT_NE(result.error().message.find("no-such-key"), std::string::npos);
  auto key = hsm_->public_key_der("pkcs11:object=no-such-key");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, Errc::not_found);
}

TEST_F(SignTest, KeyUriOfAnotherTokenIsNotFound) {
  auto uri = hsm_->generate(hsm::KeyType::ec_p256, "audit-3");
  ASSERT_TRUE(uri.ok());
  auto result = hsm_->sign_es256("pkcs11:token=another;object=audit-3", bytes("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Errc::not_found);
}

TEST_F(SignTest, MalformedKeyUriIsBadRequest) {
  for (const char* uri : {"not-a-uri", "pkcs11:object=%zz", "pkcs11:token=authd-test"}) {
    auto result = hsm_->sign_es256(uri, bytes("x"));
    ASSERT_FALSE(result.ok()) << uri;
    EXPECT_EQ(result.error().code, Errc::bad_request) << uri << ": " << result.error().message;
  }
}

TEST_F(SignTest, AnAesKeyCannotSign) {
  auto uri = hsm_->generate(hsm::KeyType::aes256, "wrap-1");
  ASSERT_TRUE(uri.ok());
  auto result = hsm_->sign_es256(*uri, bytes("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, Errc::not_found) << result.error().message;
}

}  // namespace
}  // namespace hsm_test
