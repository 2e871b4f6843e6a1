// What the WebAuthn fuzz targets and the corpus generator (make_corpus.cc)
// agree on: the relying party, the fixed challenges, and the binary framing
// of "raw" inputs.
//
// A target's input is either the JSON a browser sends (parsed with
// parse_*_response, then verified) or, when its first byte is 0x00, a raw
// frame: the already-decoded fields, each preceded by a two-byte big-endian
// length. JSON never starts with a NUL byte, so the two forms cannot be
// confused; the raw form lets the fuzzer mutate CBOR and authenticatorData
// bytes directly instead of through base64url text.
//
// Thread safety: constants and pure functions only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tokens/webauthn.h"

namespace authd_fuzz {

namespace wa = tokens::webauthn;

inline const std::string kRpId = "authd.example.org";
inline const std::string kOrigin = "https://authd.example.org";

inline wa::RelyingParty relying_party() { return {kRpId, "authd", {kOrigin}}; }

// 32 bytes each, different so a registration cannot pass as an assertion.
inline wa::Bytes fixed_challenge(uint8_t seed) {
  wa::Bytes out(32);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(seed * 37 + i);
  return out;
}
inline wa::Bytes registration_challenge() { return fixed_challenge(1); }
inline wa::Bytes assertion_challenge() { return fixed_challenge(2); }
// The user handle the corpus's credentials were registered with ("user-001").
inline wa::Bytes user_handle() { return {0x75, 0x73, 0x65, 0x72, 0x2d, 0x30, 0x30, 0x31}; }

inline constexpr uint8_t kRawFrameMarker = 0x00;

// Splits data[1..] into `count` length-prefixed fields. Missing or truncated
// fields come back short or empty: every byte string is acceptable input.
inline std::vector<std::span<const uint8_t>> split_frame(const uint8_t* data, size_t size,
                                                         size_t count) {
  std::vector<std::span<const uint8_t>> fields;
  size_t at = 1;
  for (size_t i = 0; i < count; ++i) {
    size_t length = 0;
    if (at + 2 <= size) {
      length = (size_t{data[at]} << 8) | data[at + 1];
      at += 2;
    } else {
      at = size;
    }
    if (length > size - at) length = size - at;
    fields.emplace_back(data + at, length);
    at += length;
  }
  return fields;
}

// The inverse, for the generator. Returns "" if a field is 64 KiB or longer.
inline std::string make_frame(const std::vector<std::span<const uint8_t>>& fields) {
  std::string out(1, static_cast<char>(kRawFrameMarker));
  for (const auto& field : fields) {
    if (field.size() > 0xffff) return "";
    out.push_back(static_cast<char>((field.size() >> 8) & 0xff));
    out.push_back(static_cast<char>(field.size() & 0xff));
    out.append(reinterpret_cast<const char*>(field.data()), field.size());
  }
  return out;
}

inline wa::Bytes to_bytes(std::span<const uint8_t> span) { return {span.begin(), span.end()}; }

}  // namespace authd_fuzz
