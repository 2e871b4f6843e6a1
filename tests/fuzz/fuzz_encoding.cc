// Fuzz target: the WebAuthn text encodings, base64url_decode and
// parse_aaguid, with their round-trip promises checked: base64url decoding
// accepts only the canonical unpadded form, so re-encoding what it accepted
// gives the input back; an accepted AAGUID prints as the input in lower case.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tokens/webauthn.h"

namespace wa = tokens::webauthn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto bytes = wa::base64url_decode(text)) {
    if (wa::base64url_encode(*bytes) != text) std::abort();
  }

  if (const auto aaguid = wa::parse_aaguid(text)) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (wa::aaguid_string(*aaguid) != lower) std::abort();
  }
  return 0;
}
