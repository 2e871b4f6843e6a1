// Brings every stored TOTP seed under the current wrapping key: plain seeds
// from before HSM wrapping (at Service::open) and seeds sealed under a
// retired key (after a wrap rotation, or a rotation interrupted earlier).
//
// Works in small batches: read a batch, unwrap and re-seal outside any
// transaction, then write the batch in one short write transaction with a
// compare-and-set per row, so logins (which never change a seed) carry on
// throughout and a row changed meanwhile is simply tried again.
//
// Errors: unavailable when the HSM or store fails (rows done so far stay
// done; the rest still open under their old key). A row whose seed does not
// decrypt is skipped and counted, so one damaged row cannot stop the others.
//
// Thread safety: callable from any thread; two concurrent runs are safe (CAS)
// but wasteful.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "enrolment/totp_secret.h"
#include "keys/key_ring.h"
#include "store/store.h"

namespace core::enrolment {

struct RewrapReport {
  int64_t rewrapped = 0;
  int64_t undecryptable = 0;  // rows left as they were
};

common::Result<RewrapReport> rewrap_seeds(store::Store& store, SeedVault& vault,
                                          const keys::KeyRing& keys);

}  // namespace core::enrolment
