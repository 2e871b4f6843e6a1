// Standard base64 (RFC 4648 section 4, with padding) for signatures in
// exports and API views, through OpenSSL.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core::audit {

std::string base64_encode(std::span<const uint8_t> bytes);
// nullopt for anything that is not canonical padded base64.
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace core::audit
