// ECDSA signature encodings and verification (OpenSSL only).
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>

#include "hsm/hsm.h"
#include "spki.h"

namespace hsm {

using common::Errc;
using common::make_error;

Result<std::vector<uint8_t>> ecdsa_raw_to_der(std::span<const uint8_t> raw) {
  // Even and at most P-521's 2 * 66 bytes; P-256 gives 64.
  if (raw.empty() || raw.size() % 2 != 0 || raw.size() > 132) {
    return make_error(Errc::bad_request, "raw ECDSA signature must be r||s of equal halves",
                      "signature");
  }
  const size_t half = raw.size() / 2;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ERR_clear_error();
    return make_error(Errc::internal, "cannot build an ECDSA signature");
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) {
    ERR_clear_error();
    return make_error(Errc::internal, "cannot encode an ECDSA signature");
  }
  std::vector<uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

Result<bool> verify_es256_der(std::span<const uint8_t> spki_der, std::span<const uint8_t> message,
                              std::span<const uint8_t> der_signature) {
  auto key = internal::parse_p256_spki(spki_der);
  if (!key) return key.error();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1) {
    ERR_clear_error();
    return make_error(Errc::internal, "cannot set up ECDSA verification");
  }
  // 0 is a wrong signature, <0 one that does not even parse: both are "no".
  const int rc = EVP_DigestVerify(ctx.get(), der_signature.data(), der_signature.size(),
                                  message.data(), message.size());
  ERR_clear_error();
  return rc == 1;
}

}  // namespace hsm
