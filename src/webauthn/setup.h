// What the WebAuthn operations need from configuration, built once at
// start-up: the relying party (authd.toml id and name, policy origins), what
// a registration's attestation must prove (formats, AAGUIDs, root
// certificates read from the policy's files), user verification, and the
// server key behind decoy credential ids.
//
// Thread safety: immutable after make_setup.
#pragma once

#include <cstdint>
#include <vector>

#include "common/random.h"
#include "common/result.h"
#include "core/service.h"
#include "store/store.h"
#include "tokens/webauthn.h"

namespace core::webauthn {

struct Setup {
  tokens::webauthn::RelyingParty rp;
  tokens::webauthn::AttestationPolicy attestation;
  tokens::webauthn::UserVerification user_verification =
      tokens::webauthn::UserVerification::preferred;
  // HMAC-SHA-256 key for decoy credential ids (settings "webauthn.decoy_key"):
  // made once and kept in the store, so decoys stay the same across restarts
  // and instances.
  std::vector<uint8_t> decoy_key;
};

// bad_request naming the problem when the rp id is not a plain lower-case
// domain, an origin's host is neither the rp id nor a subdomain of it, an
// AAGUID does not parse, or a root file cannot be read or holds no
// certificate; unavailable when the store fails.
common::Result<Setup> make_setup(const Config& config, store::Store& store, common::Random& random);

}  // namespace core::webauthn
