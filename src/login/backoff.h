// The per-account back-off arithmetic of the lockout policy (pure).
//
// After `throttle_after_failures` consecutive failures, no attempt is verified
// until throttle_until; the delay is initial_delay * 2^(failures - threshold),
// capped at max_delay. At `lock_after_failures` the account locks (NIST SP
// 800-63B 5.2.2) and only an administrator can unlock it (a later issue).
//
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>

#include "policy/policy.h"
#include "store/records.h"

namespace core::login {

// The back-off after `failures` consecutive failures with `threshold`;
// zero below the threshold.
std::chrono::seconds backoff_delay(int64_t failures, int64_t threshold,
                                   const policy::LockoutPolicy& policy);

// The counters after one more failure at `now`.
store::LoginCounters after_failure(const store::LoginCounters& counters, int64_t now,
                                   const policy::LockoutPolicy& policy);

}  // namespace core::login
