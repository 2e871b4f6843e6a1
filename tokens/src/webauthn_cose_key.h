// A COSE_Key (RFC 9052 section 7, RFC 9053) turned into the public-key object
// libfido2 verifies with.
//
// Thread safety: a FidoPublicKey belongs to one thread at a time.
#pragma once

#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <fido/rs256.h>

#include <cstdint>
#include <span>

#include "tokens/webauthn.h"

namespace tokens::webauthn::detail {

// Owns exactly one of libfido2's es256_pk_t, eddsa_pk_t or rs256_pk_t.
class FidoPublicKey {
 public:
  FidoPublicKey() = default;
  FidoPublicKey(FidoPublicKey&& other) noexcept { swap(other); }
  FidoPublicKey& operator=(FidoPublicKey&& other) noexcept {
    swap(other);
    return *this;
  }
  FidoPublicKey(const FidoPublicKey&) = delete;
  FidoPublicKey& operator=(const FidoPublicKey&) = delete;
  ~FidoPublicKey();

  int32_t algorithm() const noexcept { return algorithm_; }  // kCoseEs256 ...
  // The pointer fido_assert_verify takes for algorithm().
  const void* get() const noexcept;
  // ES256 only: the uncompressed point's x and y (for the fido-u2f check).
  const es256_pk_t* es256() const noexcept { return es256_; }

 private:
  friend struct CoseKeyBuilder;
  void swap(FidoPublicKey& other) noexcept;
  int32_t algorithm_ = 0;
  es256_pk_t* es256_ = nullptr;
  eddsa_pk_t* eddsa_ = nullptr;
  rs256_pk_t* rs256_ = nullptr;
};

// Refusals: malformed (not one well-bounded COSE_Key map, wrong member types or
// lengths, an EC point off the curve, an RSA key OpenSSL cannot import),
// unsupported_algorithm (alg is not ES256, EdDSA or RS256, kty/crv do not fit
// it, an RSA modulus that is not 2048 bits: libfido2's rs256_pk_t holds no
// other).
Verdict<FidoPublicKey> parse_cose_key(std::span<const uint8_t> cose);

}  // namespace tokens::webauthn::detail
