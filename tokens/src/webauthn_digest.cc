// SHA-256 through OpenSSL's one-shot SHA256(): no EVP fetch per call, which
// matters on the assertion path (two hashes per login).
#include "webauthn_digest.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace tokens::webauthn::detail {

Sha256 sha256(std::span<const uint8_t> bytes) noexcept {
  Sha256 out{};
  SHA256(bytes.data(), bytes.size(), out.data());
  return out;
}

Sha256 sha256(std::string_view text) noexcept {
  return sha256(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tokens::webauthn::detail
