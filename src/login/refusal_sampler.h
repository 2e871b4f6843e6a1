// Decides which throttled or locked login refusals get their own audit entry.
//
// Why: a refused attempt costs the server no password hashing, so refusals
// can arrive as fast as the network delivers them. If each wrote its own
// audit entry (one fsync'd commit each, on the single write lock), a flood of
// them would starve real logins and session writes of the lock. So per key
// (reason + account or name + source address) at most one entry per second is
// written; the refusals folded in meanwhile are counted and reported in the
// next entry for that key (detail "suppressed": n). Every attempt is still
// accounted for, except a tail of at most one second per key at the end of a
// flood.
//
// Thread safety: safe from any thread (one mutex, held for a map operation).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace core::login {

class RefusalSampler {
 public:
  explicit RefusalSampler(size_t max_keys = 100000) : max_keys_(max_keys) {}

  // nullopt: do not write an entry (the refusal is counted). Otherwise write
  // one, reporting the returned number of refusals folded in before it.
  std::optional<int64_t> admit(const std::string& key, int64_t now);

 private:
  struct State {
    int64_t last_written = 0;
    int64_t suppressed = 0;
  };
  const size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
};

}  // namespace core::login
