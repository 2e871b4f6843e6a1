// COSE_Key -> libfido2 public key. COSE labels: kty 1, alg 3; EC2: crv -1,
// x -2, y -3; OKP: crv -1, x -2; RSA: n -1, e -2.
#include "webauthn_cose_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "webauthn_cbor.h"

namespace tokens::webauthn::detail {

FidoPublicKey::~FidoPublicKey() {
  es256_pk_free(&es256_);
  eddsa_pk_free(&eddsa_);
  rs256_pk_free(&rs256_);
}

const void* FidoPublicKey::get() const noexcept {
  if (es256_ != nullptr) return es256_;
  if (eddsa_ != nullptr) return eddsa_;
  return rs256_;
}

void FidoPublicKey::swap(FidoPublicKey& other) noexcept {
  std::swap(algorithm_, other.algorithm_);
  std::swap(es256_, other.es256_);
  std::swap(eddsa_, other.eddsa_);
  std::swap(rs256_, other.rs256_);
}

namespace {

constexpr int64_t kKtyOkp = 1;
constexpr int64_t kKtyEc2 = 2;
constexpr int64_t kKtyRsa = 3;
constexpr int64_t kCrvP256 = 1;
constexpr int64_t kCrvEd25519 = 6;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey pkey_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return Pkey(pkey);
}

Pkey rsa_pkey(std::span<const uint8_t> n, std::span<const uint8_t> e) {
  BIGNUM* bn_n = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey out;
  if (bn_n != nullptr && bn_e != nullptr && bld != nullptr &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
    out = pkey_from_params("RSA", bld);
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return out;
}

}  // namespace

struct CoseKeyBuilder {
  static Verdict<FidoPublicKey> build(const cbor_item_t* map) {
    const auto kty = cbor_int_value(cbor_map_int_value(map, 1));
    const auto alg = cbor_int_value(cbor_map_int_value(map, 3));
    if (!kty || !alg) return Refusal::malformed;
    FidoPublicKey key;
    if (*alg == kCoseEs256) {
      const auto crv = cbor_int_value(cbor_map_int_value(map, -1));
      if (*kty != kKtyEc2 || !crv || *crv != kCrvP256) return Refusal::unsupported_algorithm;
      const auto x = cbor_bytes(cbor_map_int_value(map, -2));
      const auto y = cbor_bytes(cbor_map_int_value(map, -3));
      if (!x || !y || x->size() != 32 || y->size() != 32) return Refusal::malformed;
      // es256_pk_from_ptr decodes the point with OpenSSL, which refuses one
      // that is not on P-256. (libfido2 1.12 has no cheaper public way to fill
      // an es256_pk_t: every one of them builds the curve group once.)
      uint8_t xy[64];
      std::copy(x->begin(), x->end(), xy);
      std::copy(y->begin(), y->end(), xy + 32);
      if ((key.es256_ = es256_pk_new()) == nullptr ||
          es256_pk_from_ptr(key.es256_, xy, sizeof xy) != FIDO_OK) {
        return Refusal::malformed;
      }
    } else if (*alg == kCoseEdDsa) {
      const auto crv = cbor_int_value(cbor_map_int_value(map, -1));
      if (*kty != kKtyOkp || !crv || *crv != kCrvEd25519) return Refusal::unsupported_algorithm;
      const auto x = cbor_bytes(cbor_map_int_value(map, -2));
      if (!x || x->size() != 32) return Refusal::malformed;
      if ((key.eddsa_ = eddsa_pk_new()) == nullptr ||
          eddsa_pk_from_ptr(key.eddsa_, x->data(), x->size()) != FIDO_OK) {
        return Refusal::malformed;
      }
    } else if (*alg == kCoseRs256) {
      if (*kty != kKtyRsa) return Refusal::unsupported_algorithm;
      const auto n = cbor_bytes(cbor_map_int_value(map, -1));
      const auto e = cbor_bytes(cbor_map_int_value(map, -2));
      if (!n || !e || n->empty() || e->empty() || e->size() > 8) return Refusal::malformed;
      // libfido2's rs256_pk_t holds a 2048-bit modulus only.
      if (n->size() != 256 || ((*n)[0] & 0x80) == 0) return Refusal::unsupported_algorithm;
      Pkey pkey = rsa_pkey(*n, *e);
      if (!pkey) return Refusal::malformed;
      if ((key.rs256_ = rs256_pk_new()) == nullptr ||
          rs256_pk_from_EVP_PKEY(key.rs256_, pkey.get()) != FIDO_OK) {
        return Refusal::malformed;
      }
    } else {
      return Refusal::unsupported_algorithm;
    }
    key.algorithm_ = static_cast<int32_t>(*alg);
    return key;
  }
};

Verdict<FidoPublicKey> parse_cose_key(std::span<const uint8_t> cose) {
  CborItem item = load_cbor(cose);
  if (!item || !cbor_map_keys_unique(item.get())) return Refusal::malformed;
  return CoseKeyBuilder::build(item.get());
}

}  // namespace tokens::webauthn::detail
