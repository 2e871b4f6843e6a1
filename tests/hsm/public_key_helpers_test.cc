// PEM/DER/JWK helpers, checked against python3's cryptography and jwcrypto
// packages (Debian's /usr/bin/python3; scripts/install-deps.sh) and the
// openssl command line rather than against themselves.
#include <sstream>

#include "test_support.h"

namespace hsm_test {
namespace {

using common::Errc;

class PublicKeyHelpersTest : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    if (HasFatalFailure()) return;
    auto uri = hsm_->generate(hsm::KeyType::ec_p256, "assertion-h");
    ASSERT_TRUE(uri.ok());
    auto spki = hsm_->public_key_der(*uri);
    ASSERT_TRUE(spki.ok());
    spki_ = *spki;
    auto pem = hsm::spki_pem(spki_);
    ASSERT_TRUE(pem.ok());
    pem_ = *pem;
    write_file(tmp_.path() / "key.pem", pem_);
  }
  std::vector<uint8_t> spki_;
  std::string pem_;
};

TEST_F(PublicKeyHelpersTest, PemRoundTripAndOpensslReadsIt) {
  EXPECT_EQ(pem_.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  auto der = hsm::spki_der_from_pem(pem_);
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(*der, spki_);
  std::string out;
  ASSERT_EQ(run("openssl pkey -pubin -in '" + (tmp_.path() / "key.pem").string() + "' -text -noout",
                &out),
            0)
      << out;
  EXPECT_NE(out.find("prime256v1"), std::string::npos) << out;
  EXPECT_EQ(hsm::spki_der_from_pem("not pem").error().code, Errc::bad_request);
}

TEST_F(PublicKeyHelpersTest, ThumbprintMatchesAnIndependentComputation) {
  auto thumbprint = hsm::jwk_thumbprint(spki_);
  ASSERT_TRUE(thumbprint.ok());
  // RFC 7638 computed by python3 from the PEM, sharing no code with ours.
  const std::string script =
      "import sys,json,hashlib,base64\n"
      "from cryptography.hazmat.primitives.serialization import load_pem_public_key\n"
      "n=load_pem_public_key(open(sys.argv[1],'rb').read()).public_numbers()\n"
      "b=lambda i: base64.urlsafe_b64encode(i.to_bytes(32,'big')).rstrip(b'=').decode()\n"
      "jwk={'kty':'EC','crv':'P-256','x':b(n.x),'y':b(n.y)}\n"
      "c=json.dumps(jwk,sort_keys=True,separators=(',',':')).encode()\n"
      "print(base64.urlsafe_b64encode(hashlib.sha256(c).digest()).rstrip(b'=').decode())\n"
      "print(b(n.x)); print(b(n.y))\n";
  write_file(tmp_.path() / "thumb.py", script);
  std::string out;
  ASSERT_EQ(run("/usr/bin/python3 '" + (tmp_.path() / "thumb.py").string() + "' '" +
                    (tmp_.path() / "key.pem").string() + "'",
                &out),
            0)
      << out;
  std::istringstream lines(out);
  std::string expected, x, y;
  lines >> expected >> x >> y;
  EXPECT_EQ(*thumbprint, expected);

  auto jwk = hsm::public_jwk(spki_);
  ASSERT_TRUE(jwk.ok());
  EXPECT_NE(jwk->find("\"kty\":\"EC\""), std::string::npos);
  EXPECT_NE(jwk->find("\"crv\":\"P-256\""), std::string::npos);
  EXPECT_NE(jwk->find("\"x\":\"" + x + "\""), std::string::npos) << *jwk;
  EXPECT_NE(jwk->find("\"y\":\"" + y + "\""), std::string::npos) << *jwk;
  EXPECT_NE(jwk->find("\"kid\":\"" + expected + "\""), std::string::npos);
  EXPECT_NE(jwk->find("\"alg\":\"ES256\""), std::string::npos);
  EXPECT_NE(jwk->find("\"use\":\"sig\""), std::string::npos);
}

TEST_F(PublicKeyHelpersTest, JwkIsValidJsonThatPythonLoadsAsTheSameKey) {
  auto jwk = hsm::public_jwk(spki_);
  ASSERT_TRUE(jwk.ok());
  write_file(tmp_.path() / "key.jwk", *jwk);
  const std::string script =
      "import sys,json\n"
      "from jwcrypto import jwk\n"
      "k=jwk.JWK(**json.load(open(sys.argv[1])))\n"
      "p=jwk.JWK.from_pem(open(sys.argv[2],'rb').read())\n"
      "print('same' if k.thumbprint()==p.thumbprint() else 'different')\n";
  write_file(tmp_.path() / "jwk.py", script);
  std::string out;
  const int rc =
      run("/usr/bin/python3 '" + (tmp_.path() / "jwk.py").string() + "' '" +
              (tmp_.path() / "key.jwk").string() + "' '" + (tmp_.path() / "key.pem").string() + "'",
          &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "same\n");
}

TEST(PublicKeyHelpers, RawToDerMatchesPythonsEncoding) {
  std::vector<uint8_t> raw(64);
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(i * 7 + 1);
  raw[0] = 0x80;   // r needs a leading zero in DER
  raw[32] = 0x00;  // s has a leading zero byte to drop
  auto der = hsm::ecdsa_raw_to_der(raw);
  ASSERT_TRUE(der.ok());
  std::string out;
  ASSERT_EQ(run("/usr/bin/python3 -c \"from cryptography.hazmat.primitives.asymmetric.utils import "
                "encode_dss_signature as e; r=bytes.fromhex('" +
                    common::to_hex(std::span(raw).first(32)) + "'); s=bytes.fromhex('" +
                    common::to_hex(std::span(raw).subspan(32)) +
                    "'); print(e(int.from_bytes(r,'big'),int.from_bytes(s,'big')).hex())\"",
                &out),
            0)
      << out;
  EXPECT_EQ(common::to_hex(*der) + "\n", out);
  EXPECT_EQ(hsm::ecdsa_raw_to_der(std::vector<uint8_t>(63)).error().code, Errc::bad_request);
  EXPECT_EQ(hsm::ecdsa_raw_to_der({}).error().code, Errc::bad_request);
}

TEST(PublicKeyHelpers, MalformedKeysAreBadRequest) {
  const std::vector<uint8_t> junk = {0x30, 0x03, 0x02, 0x01, 0x01};
  EXPECT_EQ(hsm::spki_pem(junk).error().code, Errc::bad_request);
  EXPECT_EQ(hsm::jwk_thumbprint(junk).error().code, Errc::bad_request);
  EXPECT_EQ(hsm::public_jwk(junk).error().code, Errc::bad_request);
  EXPECT_EQ(hsm::verify_es256_der(junk, bytes("m"), junk).error().code, Errc::bad_request);
}

TEST_F(PublicKeyHelpersTest, GarbageSignatureIsFalseNotAnError) {
  auto result = hsm::verify_es256_der(spki_, bytes("m"), bytes("not a signature"));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(*result);
}

}  // namespace
}  // namespace hsm_test
