// An in-memory count of consecutive login failures per key (a source
// address, or a username that does not exist), with the same back-off as
// accounts: after `threshold` consecutive failures, attempts are refused until
// the back-off has passed. Failures are forgotten only as time passes: once
// a key's back-off has ended and it has had no failure for max_delay (at
// least a minute), its count starts again from zero. A success does not
// clear it: one valid account must not let an address reset the count it
// sprays other accounts under.
//
// Memory is bounded: past max_keys, keys whose back-off has long passed are
// dropped first, then keys below the threshold; keys being throttled are
// kept, so flooding the table with new keys cannot free a throttled one.
// Counts do not survive a restart (accounts' counters do: they are stored).
//
// Thread safety: all methods are safe to call from any thread (one mutex,
// held only for a map operation).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "policy/policy.h"

namespace core::login {

class FailureThrottle {
 public:
  FailureThrottle(uint32_t threshold, policy::LockoutPolicy policy, size_t max_keys = 100000);

  // How long `key` must still wait, if it is being throttled at `now`.
  std::optional<std::chrono::seconds> retry_after(const std::string& key, int64_t now) const;
  // Consecutive failures recorded for `key`.
  int64_t failures(const std::string& key) const;

  void record_failure(const std::string& key, int64_t now);
  // Takes back one failure that turned out to be the first step of a login
  // that then succeeded (a security-key login counts its first step). Any
  // back-off already running stays.
  void withdraw_failure(const std::string& key);

 private:
  struct State {
    int64_t failures = 0;
    int64_t throttle_until = 0;
    int64_t last_failure = 0;
  };
  // Back-off over and quiet for the forgetting period.
  bool forgotten(const State& s, int64_t now) const;
  void make_room(int64_t now);

  const uint32_t threshold_;
  const policy::LockoutPolicy policy_;
  const size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
};

}  // namespace core::login
