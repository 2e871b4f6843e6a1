// authenticatorData (WebAuthn section 6.1), split into its fields with every
// length checked. Views borrow from the input buffer.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "tokens/webauthn.h"

namespace tokens::webauthn::detail {

inline constexpr uint8_t kFlagUp = 0x01;
inline constexpr uint8_t kFlagUv = 0x04;
inline constexpr uint8_t kFlagBe = 0x08;
inline constexpr uint8_t kFlagBs = 0x10;
inline constexpr uint8_t kFlagAt = 0x40;
inline constexpr uint8_t kFlagEd = 0x80;

inline constexpr size_t kMaxCredentialIdLength = 1023;

struct AttestedCredential {
  Aaguid aaguid{};
  std::span<const uint8_t> credential_id;
  std::span<const uint8_t> public_key;  // one COSE_Key CBOR item, bounds-checked
};

struct AuthenticatorData {
  std::span<const uint8_t> rp_id_hash;  // 32 bytes
  uint8_t flags = 0;
  uint32_t sign_count = 0;
  std::optional<AttestedCredential> attested;
  std::span<const uint8_t> extensions;  // one CBOR map when ED is set, else empty
};

// Parses `bytes`. `attested_required`: registration (the AT flag and attested
// credential data must be present); otherwise (assertions) AT must be clear.
// nullopt: shorter than 37 bytes, credIdLen > 1023 or past the end, a COSE key
// or extensions item that is not well-bounded CBOR, ED set without extensions
// or clear with bytes left over, BS set without BE.
std::optional<AuthenticatorData> parse_authenticator_data(std::span<const uint8_t> bytes,
                                                          bool attested_required) noexcept;

}  // namespace tokens::webauthn::detail
