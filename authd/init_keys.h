// The three keys `authd init` puts in (or finds in) the token (private to the
// daemon): EC P-256 audit and assertion signing keys and an AES-256 wrapping
// key, each sensitive and never extractable.
//
// Thread safety: as the Hsm passed in.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "core/service.h"
#include "hsm/hsm.h"

namespace authd {

// "<purpose>-<UTC yyyymmddThhmmssZ>", e.g. "audit-20261125T101500Z".
std::string key_label(std::string_view purpose, common::TimePoint now);

// Generates the three keys, labelled by key_label(); a label already taken in
// the token (another init in the same second) gets a short random suffix.
// Returns their URIs. The hsm's errors otherwise.
common::Result<core::InitialKeys> generate_initial_keys(hsm::Hsm& hsm, common::TimePoint now,
                                                        common::Random& random);

// Checks operator-supplied keys: each exists (not_found naming it otherwise)
// and is of its purpose's type, sensitive, not extractable and without a
// readable value (bad_request naming the key and the property otherwise).
common::Result<void> check_initial_keys(hsm::Hsm& hsm, const core::InitialKeys& keys);

}  // namespace authd
