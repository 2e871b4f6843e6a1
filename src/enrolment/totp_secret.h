// SeedVault: the one place where a TOTP seed changes form between memory and
// the store.
//
// Stored form: AES-256-GCM made inside the HSM (Hsm::seal: iv || ciphertext ||
// tag) under the current wrapping key, with the token id as associated data,
// so a ciphertext copied into another token's row does not decrypt. The row
// names the wrapping key that sealed it (tokens.secret_key), so seeds sealed
// under a retired key keep opening while a rotation re-wraps them. A
// database dump reveals no seed.
//
// A plaintext seed exists only in common::SecretBytes, for the duration of a
// code check, and is wiped when it goes out of scope.
//
// No cache: unwrapping is one AES-GCM call in the token, about 30 us through
// SoftHSM (tests/core measures it beside Argon2id, about 30 ms per login at
// the default policy), so it costs under 0.1% of a login. A cache of
// plaintext seeds would trade that for seeds lying in memory; not worth it.
//
// Errors: any HSM fault is unavailable (the action fails, nothing is
// written); a seed that does not decrypt (moved or altered row) is internal,
// naming the token id; a legacy plain seed (no wrapping key recorded) is
// refused by open() (internal): only Service::open's wrapping pass reads those.
//
// Thread safety: safe from any number of threads (the Hsm and KeyRing are).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secret.h"
#include "hsm/hsm.h"
#include "keys/key_ring.h"
#include "service/health_state.h"
#include "store/records.h"

namespace core::enrolment {

struct SealedSeed {
  std::vector<uint8_t> blob;
  std::string key_id;  // the wrapping key used
};

class SeedVault {
 public:
  SeedVault(std::shared_ptr<hsm::Hsm> hsm, const keys::KeyRing& keys, HealthState& health)
      : hsm_(std::move(hsm)), keys_(keys), health_(health) {}

  // Seals with the current wrapping key, bound to `token_id`.
  common::Result<SealedSeed> seal(std::string_view token_id, const common::SecretBytes& seed);
  // Opens a stored seed with the key its row names.
  common::Result<common::SecretBytes> open(const store::TokenRecord& token);
  // Opens a seed bound to an arbitrary label (the in-memory dummy seed that
  // keeps logins without a token doing the same HSM work).
  common::Result<common::SecretBytes> open(std::string_view aad, const SealedSeed& sealed);

 private:
  template <class T>
  common::Result<T> noted(common::Result<T> result);

  std::shared_ptr<hsm::Hsm> hsm_;
  const keys::KeyRing& keys_;
  HealthState& health_;
};

// The seed of a row written before wrapping (secret_key NULL): its bytes as
// stored. Only for the wrapping pass.
common::SecretBytes legacy_plain_seed(const store::TokenRecord& token);

}  // namespace core::enrolment
