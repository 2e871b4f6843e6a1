// Session bearer tokens: 256 bits from the CSPRNG, handed out base64url
// encoded (43 characters). Only the hex SHA-256 of the token is stored, so a
// copy of the database does not let anyone use a live session.
//
// Thread safety: pure functions (Random must be thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "common/random.h"

namespace core::sessions {

inline constexpr size_t kTokenBytes = 32;

std::string new_session_token(common::Random& random);

// The identifier stored and used internally.
std::string session_hash(std::string_view token);

// Cheap syntactic check before any lookup: length and base64url alphabet.
bool plausible_token(std::string_view token);

}  // namespace core::sessions
