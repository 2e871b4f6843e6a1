#include "sessions/session_token.h"

#include <vector>

#include "common/secret.h"

namespace core::sessions {

std::string new_session_token(common::Random& random) {
  std::vector<uint8_t> bytes = random.bytes(kTokenBytes);
  std::string token = common::base64url_encode(bytes);
  common::wipe(bytes);
  return token;
}

std::string session_hash(std::string_view token) { return common::sha256_hex(token); }

bool plausible_token(std::string_view token) {
  // 32 bytes base64url without padding is 43 characters.
  if (token.size() != 43) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace core::sessions
