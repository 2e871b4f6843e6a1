// Live sessions: creation, lookup by bearer token, idle and absolute expiry,
// and ending (logout, expiry), over the Store with an in-memory cache.
//
// Why a cache: GET /v1/session must run at close to static-file speed, so
// authenticate() must not touch SQLite on every call. Live sessions are held
// in memory (loaded on first use, so they survive a restart) and the idle
// timer moves in memory. last_seen_at is written back only when it has moved
// by persist_interval() (min(30 s, idle_timeout / 10), at least 1 s). After a
// restart a session may therefore look up to that much older than it is and
// end that much early: the imprecision errs towards ending sessions, never
// towards keeping them.
//
// Ending is final: the row is marked ended in the same transaction as its
// audit entry, and the cached entry is marked ended so no thread accepts it
// again. Rows are never deleted.
//
// Limits: one process per database. A second process (another authd on the
// same file) would not see this cache; the scale-out design (DESIGN.md)
// replaces it with a store-backed revocation check.
//
// Thread safety: all methods are safe to call from any thread. Lookups take a
// shared lock; the idle timer is atomic. Writes to the store happen outside
// the cache lock.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "core/service.h"
#include "policy/policy.h"
#include "store/records.h"
#include "store/store.h"

namespace core::sessions {

class SessionManager {
 public:
  SessionManager(store::Store& store, policy::SessionPolicy policy,
                 std::shared_ptr<common::Clock> clock, std::shared_ptr<common::Random> random);

  struct Created {
    std::string token;  // the bearer token: give to the client, keep nowhere
    store::SessionRecord record;
  };

  // Inserts a new session row inside the caller's write transaction.
  // `auth_methods`: RFC 8176 values separated by spaces ("pwd otp", "pwd hwk").
  common::Result<Created> create(store::StoreTx& tx, const store::UserRecord& user,
                                 std::string_view source_address, int64_t now,
                                 std::string_view auth_methods = "pwd otp");
  // After the caller committed create()'s transaction: caches the session.
  void remember(const store::SessionRecord& record, const store::UserRecord& user);

  // The session behind a bearer token, with the idle timer refreshed.
  // invalid_session when unknown, ended, idle too long or past its lifetime
  // (an expiry found here is recorded: row ended + audit "session.expire").
  common::Result<Principal> authenticate(std::string_view token, std::string_view source_address);

  // Re-checks a Principal from authenticate(): the session is still live; the
  // returned copy has the current account facts (must_change_password). Does
  // not refresh the idle timer.
  common::Result<Principal> current(const Principal& who);

  // Logout: ends the session for good, with an audit entry.
  common::Result<void> logout(const Principal& who);

  // After a committed password change (which ended the user's other
  // sessions): the user's remaining session gets full rights.
  void password_changed(int64_t user_id);

  // After a committed transaction ended these sessions in the store
  // (suspension, closure, password reset): the cache refuses them from now
  // on. A hash not cached gets an ended entry, so a lookup that read the row
  // just before it ended cannot cache it as live afterwards.
  void forget(const std::vector<std::string>& hashes);

  std::chrono::seconds persist_interval() const { return persist_interval_; }

 private:
  struct Entry;
  using EntryPtr = std::shared_ptr<Entry>;

  EntryPtr find_cached(const std::string& hash) const;
  common::Result<EntryPtr> load(const std::string& hash);
  common::Result<Principal> check(const EntryPtr& entry, std::string_view source_address,
                                  bool refresh);
  void expire(const EntryPtr& entry, int64_t now, const char* reason,
              std::string_view source_address);
  void persist_last_seen(const EntryPtr& entry, int64_t now);
  void maybe_sweep(int64_t now);
  Principal principal_of(const Entry& entry, std::string_view source_address) const;

  store::Store& store_;
  const policy::SessionPolicy policy_;
  const std::shared_ptr<common::Clock> clock_;
  const std::shared_ptr<common::Random> random_;
  const std::chrono::seconds persist_interval_;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, EntryPtr> cache_;
  std::atomic<int64_t> last_sweep_{0};
};

}  // namespace core::sessions
