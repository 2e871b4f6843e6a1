// The steps every login shares, whatever the second factor (TOTP in
// login_flow.cc, a security key in key_login.cc): the throttle and lock
// check before any verification, the password check with a dummy hash for
// unknown users, the account checks once both factors were right, failure
// bookkeeping, and opening the session. Each flow composes them in the same
// order so that the answers and the work done cannot tell credentials apart.
//
// Thread safety: as Context; an Attempt belongs to one call.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "sessions/session_manager.h"
#include "store/records.h"
#include "store/store.h"

namespace core::login {

// Who is trying, from where, and when: what the throttles and audit key on.
struct Attempt {
  Attempt(Context& ctx, std::string_view username, std::string_view source_address);

  // An audit entry for this attempt: actor is the user only on success;
  // the subject is "-" for a malformed name (it might be a password).
  audit::Draft draft(std::string_view action, std::string_view reason, bool success,
                     nlohmann::json detail) const;

  Context& ctx;
  const std::string username;
  const std::string source_address;
  const common::TimePoint now;
  const int64_t now_s;
  const bool valid_name;
  // Unknown names are throttled by hash: no attempted text is kept in memory.
  const std::string name_key;
  // What the address throttle counts under (address_key.h: IPv6 per /64).
  const std::string address_key;
};

// The user named by the attempt (none for a malformed or unknown name).
common::Result<std::optional<store::UserRecord>> find_account(const Attempt& attempt);

// Refuses (too_many_attempts, with an audit entry sampled per key and
// second) when the address, the account or the unknown name is throttled
// or the account is locked; nullopt to go on. An unknown name is throttled
// exactly like an account. A security-key login's second step passes
// `kFirstStepChecked`: its first step already checked and moved the
// account's back-off, which must not then refuse the key that answers it
// (the lock and the address throttle still apply).
enum class AccountBackoff { kCheck, kFirstStepChecked };
std::optional<common::Error> throttled(const Attempt& attempt,
                                       const std::optional<store::UserRecord>& user,
                                       std::string_view action,
                                       AccountBackoff backoff = AccountBackoff::kCheck);

// Argon2id against the user's hash, or a dummy hash of the same cost when
// there is no user, so the work is the same. True only for a real user.
bool password_matches(Context& ctx, std::string_view password,
                      const std::optional<store::UserRecord>& user);

// For a login whose both factors were right: the password hashed at the
// policy's cost when the stored hash was made at another (a raised cost,
// password::needs_rehash), else nullopt. The extra Argon2id is paid only by
// a login that is about to succeed, so it tells a guesser nothing.
std::optional<std::string> fresh_hash_if_stale(Context& ctx, std::string_view password,
                                               const store::UserRecord& user);

// Inside the successful login's write transaction: stores `fresh_hash`
// unless the password changed since `read` was read (`current` is the row
// now), and notes it in `detail` ("password_rehashed").
common::Result<void> store_fresh_hash(store::StoreTx& tx, const store::UserRecord& read,
                                      const store::UserRecord& current,
                                      const std::optional<std::string>& fresh_hash,
                                      nlohmann::json& detail);

// Wrong credentials that count towards throttling and the lock.
bool is_credential_failure(std::string_view reason);

// Once both factors were right: kOk, or why the account may not log in
// (locked, not active, or its role requires a security key and `methods`
// is not "pwd hwk").
std::string_view account_refusal(Context& ctx, const store::UserRecord& user,
                                 std::string_view methods);

// Inside the write transaction of a failed attempt: moves the user's
// failure counters (when `reason` is a credential failure) and notes them
// in `detail`.
common::Result<void> count_failure(const Attempt& attempt, store::StoreTx& tx,
                                   const store::UserRecord* user, std::string_view reason,
                                   nlohmann::json& detail);

// After the failed attempt's transaction ended: the in-memory throttles,
// and the error to answer for `reason`.
common::Error refusal(const Attempt& attempt, const store::UserRecord* user,
                      std::string_view reason);

// Inside the write transaction of a successful attempt: resets the
// counters, records the login time and inserts the session.
common::Result<sessions::SessionManager::Created> open_session(const Attempt& attempt,
                                                               store::StoreTx& tx,
                                                               const store::UserRecord& user,
                                                               std::string_view methods);

// After that transaction committed: caches the session and builds the grant.
LoginGrant grant(const Attempt& attempt, sessions::SessionManager::Created created,
                 const store::UserRecord& user);

}  // namespace core::login
