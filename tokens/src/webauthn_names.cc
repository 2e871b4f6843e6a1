// Stable names for refusals and user-verification levels, and the AAGUID's
// textual form.
#include <cstdio>

#include "tokens/webauthn.h"

namespace tokens::webauthn {

const char* refusal_name(Refusal refusal) noexcept {
  switch (refusal) {
    case Refusal::malformed:
      return "malformed";
    case Refusal::wrong_type:
      return "wrong_type";
    case Refusal::wrong_challenge:
      return "wrong_challenge";
    case Refusal::wrong_origin:
      return "wrong_origin";
    case Refusal::wrong_rp_id:
      return "wrong_rp_id";
    case Refusal::no_user_presence:
      return "no_user_presence";
    case Refusal::no_user_verification:
      return "no_user_verification";
    case Refusal::unsupported_algorithm:
      return "unsupported_algorithm";
    case Refusal::format_not_allowed:
      return "format_not_allowed";
    case Refusal::bad_attestation:
      return "bad_attestation";
    case Refusal::untrusted_attestation:
      return "untrusted_attestation";
    case Refusal::aaguid_not_allowed:
      return "aaguid_not_allowed";
    case Refusal::unknown_credential:
      return "unknown_credential";
    case Refusal::wrong_user_handle:
      return "wrong_user_handle";
    case Refusal::bad_signature:
      return "bad_signature";
    case Refusal::counter_regressed:
      return "counter_regressed";
  }
  return "unknown";
}

const char* user_verification_name(UserVerification uv) noexcept {
  switch (uv) {
    case UserVerification::required:
      return "required";
    case UserVerification::preferred:
      return "preferred";
    case UserVerification::discouraged:
      return "discouraged";
  }
  return "preferred";
}

std::optional<Aaguid> parse_aaguid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Aaguid out{};
  size_t byte = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0 || byte >= out.size()) return std::nullopt;
    out[byte++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  if (byte != out.size()) return std::nullopt;
  return out;
}

std::string aaguid_string(const Aaguid& aaguid) {
  char buf[37];
  std::snprintf(
      buf, sizeof buf, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      aaguid[0], aaguid[1], aaguid[2], aaguid[3], aaguid[4], aaguid[5], aaguid[6], aaguid[7],
      aaguid[8], aaguid[9], aaguid[10], aaguid[11], aaguid[12], aaguid[13], aaguid[14], aaguid[15]);
  return buf;
}

}  // namespace tokens::webauthn
