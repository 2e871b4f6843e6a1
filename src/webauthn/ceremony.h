// WebAuthn ceremonies in flight: a single-use transaction handle and a
// 32-byte challenge, bound to a user (or to nobody, for a decoy login) and
// expiring after webauthn.challenge_timeout_s. Only the handle's SHA-256 is
// stored, like session tokens.
//
// Thread safety: as Context.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"

namespace core::webauthn {

inline constexpr std::string_view kRegister = "register";
inline constexpr std::string_view kLogin = "login";

struct NewCeremony {
  std::string transaction;  // give to the client; kept nowhere
  store::CeremonyRecord record;
};

// A fresh ceremony (not yet stored: the caller inserts record in its
// write transaction).
NewCeremony make_ceremony(Context& ctx, std::string_view kind, std::optional<int64_t> user_id,
                          std::string_view username, std::string_view token_id,
                          std::string_view source_address, int64_t now);

// Finds the ceremony of `transaction` and uses it up, in a write
// transaction of its own, so a second attempt with the same handle finds
// nothing whatever the first one's outcome. nullopt when unknown, of
// another kind, already used or expired.
common::Result<std::optional<store::CeremonyRecord>> take_ceremony(Context& ctx,
                                                                   std::string_view transaction,
                                                                   std::string_view kind);

// Stable per-user values derived from the server's decoy key: the WebAuthn
// user handle (16 bytes, no personal data) and the made-up credential id
// (64 bytes) a decoy login ceremony lists for `username`.
std::vector<uint8_t> user_handle(const Context& ctx, int64_t user_id);
std::vector<uint8_t> decoy_credential_id(const Context& ctx, std::string_view username);

}  // namespace core::webauthn
