// Ed25519 (CKM_EDDSA) where the module offers it, as SoftHSM 2.6 does: keys
// made sensitive and never extractable, signatures checked by the openssl
// command line, not by authd's code.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "test_support.h"

namespace hsm_test {
namespace {

class Ed25519Test : public TokenTest {};

TEST_F(Ed25519Test, KeyIsSensitiveAndNeverExtractable) {
  auto uri = hsm_->generate(hsm::KeyType::ed25519, "assertion-ed");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  auto attributes = hsm_->inspect(*uri);
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  EXPECT_EQ(attributes->type, hsm::KeyType::ed25519);
  EXPECT_TRUE(attributes->sensitive);
  EXPECT_FALSE(attributes->extractable);
  EXPECT_FALSE(attributes->value_readable);
}

TEST_F(Ed25519Test, SignatureVerifiesWithTheOpensslCommandLine) {
#ifdef __SANITIZE_ADDRESS__
  // SoftHSM 2.6.1 leaks two small ASN.1 strings inside the module on every
  // CKM_EDDSA signature ("edwards25519", freed by nobody); LeakSanitizer would
  // fail this test for a bug that is not ours. The release run checks it.
  GTEST_SKIP() << "SoftHSM 2.6.1 leaks inside CKM_EDDSA signing";
#endif
  auto uri = hsm_->generate(hsm::KeyType::ed25519, "assertion-ed-cli");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  auto spki = hsm_->public_key_der(*uri);
  ASSERT_TRUE(spki.ok()) << spki.error().message;
  EXPECT_EQ(spki->size(), 44u) << "SubjectPublicKeyInfo of a 32-byte Ed25519 key";
  auto pem = hsm::spki_pem(*spki);
  ASSERT_TRUE(pem.ok());

  const std::string text = "a session assertion to sign";
  auto signature = hsm_->sign_ed25519(*uri, bytes(text));
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  EXPECT_EQ(signature->size(), 64u);
  // PureEdDSA is deterministic (RFC 8032): the same message, the same signature.
  auto again = hsm_->sign_ed25519(*uri, bytes(text));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*signature, *again);

  const auto dir = tmp_.path();
  write_file(dir / "key.pem", *pem);
  write_file(dir / "message", text);
  write_file(dir / "message.sig", *signature);
  write_file(dir / "other", text + "!");
  std::string out;
  const std::string verify = "openssl pkeyutl -verify -pubin -inkey '" +
                             (dir / "key.pem").string() + "' -rawin -sigfile '" +
                             (dir / "message.sig").string() + "' -in ";
  EXPECT_EQ(run(verify + "'" + (dir / "message").string() + "'", &out), 0) << out;
  EXPECT_NE(out.find("Signature Verified Successfully"), std::string::npos) << out;
  EXPECT_NE(run(verify + "'" + (dir / "other").string() + "'", &out), 0) << out;
}

TEST_F(Ed25519Test, KeysOfTheWrongKindAreRefused) {
  auto ed = hsm_->generate(hsm::KeyType::ed25519, "ed-only");
  auto ec = hsm_->generate(hsm::KeyType::ec_p256, "ec-only");
  ASSERT_TRUE(ed.ok() && ec.ok());
  EXPECT_FALSE(hsm_->sign_es256(*ed, bytes("x")).ok()) << "an Ed25519 key makes no ECDSA signature";
  EXPECT_FALSE(hsm_->sign_ed25519(*ec, bytes("x")).ok()) << "a P-256 key makes no EdDSA signature";
  auto missing = hsm_->sign_ed25519("pkcs11:token=authd-test;object=no-such-key", bytes("x"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, common::Errc::not_found);
}

}  // namespace
}  // namespace hsm_test

namespace hsm_test {
namespace {

// RFC 8037 appendix A.3: the thumbprint of the appendix A.2 public key.
TEST(Ed25519Jwk, ThumbprintMatchesRfc8037) {
  // x = 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo, in hex:
  const std::vector<uint8_t> raw = {0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7,
                                    0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
                                    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
                                    0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size());
  ASSERT_NE(key, nullptr);
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  ASSERT_GT(length, 0);
  const std::vector<uint8_t> spki(der, der + length);
  OPENSSL_free(der);
  EVP_PKEY_free(key);

  auto thumbprint = hsm::jwk_thumbprint(spki);
  ASSERT_TRUE(thumbprint.ok()) << thumbprint.error().message;
  EXPECT_EQ(*thumbprint, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
  auto jwk = hsm::public_jwk(spki);
  ASSERT_TRUE(jwk.ok());
  EXPECT_NE(jwk->find(R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")"), std::string::npos)
      << *jwk;
  EXPECT_NE(jwk->find(R"("kty":"OKP")"), std::string::npos) << *jwk;
}

}  // namespace
}  // namespace hsm_test
