// What authd records about each key in the token, and the start-up check
// that the recorded current keys are really there.
//
// Key ids: an EC key is named by the RFC 7638 thumbprint of its public half
// (what a verifier recomputes from the PEM, so an id cannot be claimed for a
// different key); the AES wrapping key has no public half and is named by
// its label (object= in its URI), e.g. "wrap-20261125T101500Z".
//
// Thread safety: pure functions over a thread-safe Hsm.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "core/service.h"
#include "hsm/hsm.h"
#include "keys/key_ring.h"
#include "store/records.h"

namespace core::keys {

// A registry record for the key at `uri` (its public half read from the
// token). bad_request when the key is not of the purpose's type; unavailable
// when the HSM fails; not_found when no such key exists.
common::Result<store::KeyRecord> describe_key(hsm::Hsm& hsm, std::string_view purpose,
                                              const std::string& uri, int64_t created_at_ms);

// unavailable, naming the key's URI, when a purpose has no current key, the
// token lacks a current key, or holds a different key under its URI.
common::Result<void> check_current_keys(hsm::Hsm& hsm, const KeyRing& ring);

// The label in a PKCS#11 URI (object=, percent-decoded); "" if none.
std::string uri_label(std::string_view uri);

KeyView key_view(const store::KeyRecord& record);

// Any HSM failure as the core reports it: unavailable, naming the operation.
common::Error hsm_failure(const common::Error& cause, std::string_view what);

}  // namespace core::keys
