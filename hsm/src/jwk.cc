// Public JWKs (RFC 7517) and JWK thumbprints (RFC 7638) for P-256 keys,
// and for Ed25519 keys as OKP JWKs (RFC 8037).
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>

#include "common/secret.h"
#include "hsm/hsm.h"
#include "spki.h"

namespace hsm {
namespace {

struct Coordinates {
  std::string x;  // base64url, 32 bytes each
  std::string y;
};

Result<Coordinates> coordinates(std::span<const uint8_t> spki_der) {
  auto key = internal::parse_p256_spki(spki_der);
  if (!key) return key.error();
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  Coordinates out;
  std::vector<uint8_t> bytes(32);
  bool ok = EVP_PKEY_get_bn_param(key->get(), OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
            EVP_PKEY_get_bn_param(key->get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
  // RFC 7518 6.2.1.2: each coordinate is the full field size, left-padded.
  if (ok && BN_bn2binpad(x, bytes.data(), 32) == 32) {
    out.x = common::base64url_encode(bytes);
  } else {
    ok = false;
  }
  if (ok && BN_bn2binpad(y, bytes.data(), 32) == 32) {
    out.y = common::base64url_encode(bytes);
  } else {
    ok = false;
  }
  BN_free(x);
  BN_free(y);
  if (!ok) {
    ERR_clear_error();
    return common::make_error(common::Errc::internal, "cannot read the EC public point");
  }
  return out;
}

// The base64url public key when `spki_der` is an Ed25519 key, else nullopt.
std::optional<std::string> ed25519_x(std::span<const uint8_t> spki_der) {
  const unsigned char* cursor = spki_der.data();
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      d2i_PUBKEY(nullptr, &cursor, static_cast<long>(spki_der.size())), EVP_PKEY_free);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::vector<uint8_t> raw(32);
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &length) != 1 || length != 32) {
    ERR_clear_error();
    return std::nullopt;
  }
  return common::base64url_encode(raw);
}

std::string sha256_base64url(const std::string& text) {
  return common::base64url_encode(
      common::sha256({reinterpret_cast<const uint8_t*>(text.data()), text.size()}));
}

}  // namespace

Result<std::string> jwk_thumbprint(std::span<const uint8_t> spki_der) {
  if (auto x = ed25519_x(spki_der)) {
    return sha256_base64url(R"({"crv":"Ed25519","kty":"OKP","x":")" + *x + R"("})");
  }
  auto xy = coordinates(spki_der);
  if (!xy) return xy.error();
  // RFC 7638 3.2: the required members only, lexicographic order, no spaces.
  const std::string canonical =
      R"({"crv":"P-256","kty":"EC","x":")" + xy->x + R"(","y":")" + xy->y + R"("})";
  return sha256_base64url(canonical);
}

Result<std::string> public_jwk(std::span<const uint8_t> spki_der) {
  if (auto x = ed25519_x(spki_der)) {
    auto kid = jwk_thumbprint(spki_der);
    if (!kid) return kid.error();
    return R"({"kty":"OKP","crv":"Ed25519","x":")" + *x + R"(","kid":")" + *kid +
           R"(","alg":"EdDSA","use":"sig"})";
  }
  auto xy = coordinates(spki_der);
  if (!xy) return xy.error();
  auto kid = jwk_thumbprint(spki_der);
  if (!kid) return kid.error();
  // Every value is base64url or a fixed token: nothing to escape.
  return R"({"kty":"EC","crv":"P-256","x":")" + xy->x + R"(","y":")" + xy->y + R"(","kid":")" +
         *kid + R"(","alg":"ES256","use":"sig"})";
}

}  // namespace hsm
