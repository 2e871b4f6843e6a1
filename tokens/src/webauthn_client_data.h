// clientDataJSON (WebAuthn section 5.8.1): the checks libfido2 leaves to the
// relying party.
//
// Thread safety: pure function.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/webauthn.h"

namespace tokens::webauthn::detail {

// nullopt when clientDataJSON is a JSON object whose type equals
// `expected_type` ("webauthn.create" / "webauthn.get"), whose challenge is the
// base64url form of `challenge` (compared in constant time), whose origin is
// exactly one of `origins` and whose crossOrigin, if present, is false.
// Otherwise the refusal, checked in that order (malformed before all).
std::optional<Refusal> check_client_data(std::string_view client_data_json,
                                         std::string_view expected_type,
                                         std::span<const uint8_t> challenge,
                                         const std::vector<std::string>& origins);

}  // namespace tokens::webauthn::detail
