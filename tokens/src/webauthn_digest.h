// SHA-256 and constant-time comparison for the WebAuthn verifiers.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace tokens::webauthn::detail {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(std::span<const uint8_t> bytes) noexcept;
Sha256 sha256(std::string_view text) noexcept;

// Equal lengths and equal bytes, the bytes compared in constant time
// (CRYPTO_memcmp). Lengths are not secret here.
bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) noexcept;

}  // namespace tokens::webauthn::detail
