// authenticatorData layout: rpIdHash(32) flags(1) signCount(4, big-endian),
// then attestedCredentialData when AT is set: aaguid(16) credIdLen(2)
// credentialId(credIdLen) credentialPublicKey(COSE_Key, CBOR), then the
// extensions map when ED is set. The COSE key has no length prefix, so its end
// is found by walking its CBOR headers.
#include "webauthn_authenticator_data.h"

#include <algorithm>

#include "webauthn_cbor.h"

namespace tokens::webauthn::detail {

std::optional<AuthenticatorData> parse_authenticator_data(std::span<const uint8_t> bytes,
                                                          bool attested_required) noexcept {
  constexpr size_t kFixed = 32 + 1 + 4;
  if (bytes.size() < kFixed) return std::nullopt;
  AuthenticatorData out;
  out.rp_id_hash = bytes.subspan(0, 32);
  out.flags = bytes[32];
  out.sign_count = (uint32_t{bytes[33]} << 24) | (uint32_t{bytes[34]} << 16) |
                   (uint32_t{bytes[35]} << 8) | uint32_t{bytes[36]};
  // Backup state without backup eligibility is invalid (WebAuthn 6.1.3).
  if ((out.flags & kFlagBs) && !(out.flags & kFlagBe)) return std::nullopt;
  const bool at = (out.flags & kFlagAt) != 0;
  if (at != attested_required) return std::nullopt;

  size_t pos = kFixed;
  if (at) {
    if (bytes.size() - pos < 16 + 2) return std::nullopt;
    AttestedCredential cred;
    std::copy_n(bytes.begin() + static_cast<ptrdiff_t>(pos), 16, cred.aaguid.begin());
    pos += 16;
    const size_t id_length = (size_t{bytes[pos]} << 8) | bytes[pos + 1];
    pos += 2;
    if (id_length == 0 || id_length > kMaxCredentialIdLength) return std::nullopt;
    if (bytes.size() - pos < id_length) return std::nullopt;
    cred.credential_id = bytes.subspan(pos, id_length);
    pos += id_length;
    const auto key_length = cbor_item_extent(bytes.subspan(pos));
    if (!key_length) return std::nullopt;
    cred.public_key = bytes.subspan(pos, *key_length);
    pos += *key_length;
    out.attested = cred;
  }

  if (out.flags & kFlagEd) {
    const auto ext_length = cbor_item_extent(bytes.subspan(pos));
    if (!ext_length || (bytes[pos] >> 5) != 5) return std::nullopt;  // must be a map
    out.extensions = bytes.subspan(pos, *ext_length);
    pos += *ext_length;
  }
  if (pos != bytes.size()) return std::nullopt;
  return out;
}

}  // namespace tokens::webauthn::detail
