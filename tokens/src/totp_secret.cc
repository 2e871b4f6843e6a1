// New TOTP seeds from the injected random source (OpenSSL's CSPRNG in production).
#include <algorithm>

#include "tokens/totp.h"

namespace tokens {

std::vector<uint8_t> new_totp_secret(common::Random& random, size_t bytes) {
  // RFC 4226 section 4 asks for at least 160 bits; a smaller request is raised
  // rather than honoured so no caller can weaken a seed by accident.
  return random.bytes(std::max<size_t>(bytes, 20));
}

}  // namespace tokens
