// The Store: the core's persistence, in terms of domain operations inside
// transactions, so that a PostgreSQL implementation can sit beside the SQLite
// one (DESIGN.md) and tests can wrap it (a failing decorator).
//
// Contract: every operation runs inside a StoreTx. A write transaction sees a
// consistent snapshot and is serialised against every other writer, so a
// read-modify-write inside one is atomic (the login counters, the TOTP step,
// the audit chain head all rely on this). Nothing is visible to others before
// commit(); a transaction destroyed without commit() rolls back.
// Errors: unavailable for any storage failure (the action did not happen),
// conflict for a uniqueness violation.
//
// Thread safety: a Store is shared by all threads; a StoreTx belongs to the
// thread that began it. A thread must not begin a write transaction while it
// holds one (writers are serialised; it would wait for itself).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "store/records.h"

namespace core::store {

using common::Result;

class StoreTx {
 public:
  virtual ~StoreTx() = default;
  virtual Result<void> commit() = 0;

  // Organisations.
  virtual Result<std::optional<OrganisationRecord>> find_organisation(std::string_view id) = 0;
  virtual Result<std::vector<OrganisationRecord>> list_organisations() = 0;
  virtual Result<void> insert_organisation(const OrganisationRecord& org) = 0;
  // False when the organisation does not exist.
  virtual Result<bool> set_admin_rights(std::string_view org_id, std::string_view rights) = 0;

  // Users. insert_user returns the new id; conflict if the username exists.
  virtual Result<std::optional<UserRecord>> find_user(std::string_view username) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_id(int64_t id) = 0;
  virtual Result<int64_t> insert_user(const UserRecord& user) = 0;
  virtual Result<void> set_login_counters(int64_t user_id, const LoginCounters& counters) = 0;
  virtual Result<void> set_last_login(int64_t user_id, int64_t at) = 0;
  // Callers record the time with set_password_set_at in the same transaction.
  virtual Result<void> set_password(int64_t user_id, std::string_view phc,
                                    bool must_change_password) = 0;
  virtual Result<void> set_password_set_at(int64_t user_id, int64_t at) = 0;
  // Every user, in id order (sweeps and reports; fine to tens of thousands).
  virtual Result<std::vector<UserRecord>> list_users() = 0;
  // Compare-and-set of the account state: moves to change.state and records
  // change only if the state is still `from`. False when it was not.
  virtual Result<bool> change_user_state(int64_t user_id, std::string_view from,
                                         const StateChangeRecord& change) = 0;
  // Writes display_name, email, job_title, manager_name, manager_email,
  // access_review_required and roles from `user` (matched by id).
  virtual Result<void> update_user_details(const UserRecord& user) = 0;
  virtual Result<void> set_conditions(int64_t user_id, const ConditionsRecord& conditions) = 0;
  virtual Result<void> set_vetting_warned(int64_t user_id, int64_t days) = 0;

  // Tokens.
  virtual Result<void> insert_token(const TokenRecord& token) = 0;
  virtual Result<std::optional<TokenRecord>> find_token(std::string_view id) = 0;
  virtual Result<std::vector<TokenRecord>> tokens_of(int64_t user_id) = 0;
  // Compare-and-set: records `step` as accepted only if it is later than the
  // stored last_step. False when it is not (a replay, possibly concurrent).
  virtual Result<bool> accept_step(std::string_view token_id, int64_t step, int64_t drift) = 0;
  // issued -> active with the accepted step; false if the token was not issued.
  virtual Result<bool> activate_token(std::string_view token_id, int64_t step, int64_t drift,
                                      int64_t at) = 0;
  // Compare-and-set of a token's state: only if it is still `from`; sets
  // state_changed_at = at. False when it was not.
  virtual Result<bool> change_token_state(std::string_view token_id, std::string_view from,
                                          std::string_view to, int64_t at) = 0;
  virtual Result<void> set_token_custody(std::string_view token_id, std::string_view custody) = 0;
  // Resynchronisation: sets last_step and drift_offset unconditionally.
  virtual Result<void> set_token_sync(std::string_view token_id, int64_t last_step,
                                      int64_t drift) = 0;
  // Every token, in id order (reports and sweeps).
  virtual Result<std::vector<TokenRecord>> list_tokens() = 0;
  // Up to `limit` TOTP tokens with id > after_id, in id order, whose seed is
  // not sealed under `key_id` (plain legacy seeds included), for
  // (re-)wrapping. fido2 tokens have no seed and are never returned.
  virtual Result<std::vector<TokenRecord>> tokens_not_sealed_by(std::string_view key_id,
                                                                std::string_view after_id,
                                                                int limit) = 0;
  // Compare-and-set of the stored seed: replaces it only if the row still
  // holds exactly `before` (blob and key). False when it changed meanwhile.
  virtual Result<bool> replace_secret(const TokenRecord& before,
                                      const std::vector<uint8_t>& sealed_secret,
                                      std::string_view key_id) = 0;

  // FIDO2 credentials (schema v4). conflict when the credential id exists.
  virtual Result<void> insert_webauthn_credential(const WebAuthnCredentialRecord& credential) = 0;
  virtual Result<std::optional<WebAuthnCredentialRecord>> find_webauthn_credential(
      std::span<const uint8_t> credential_id) = 0;
  // Every credential of the user's tokens (any token state), in token id order.
  virtual Result<std::vector<WebAuthnCredentialRecord>> webauthn_credentials_of(
      int64_t user_id) = 0;
  // Compare-and-set of the signature counter after a verified assertion:
  // only if it is still `from` and the token is still active (and, when
  // temporary, unexpired at `at`); sets last_used_at = at. False otherwise.
  // Precondition: to >= from (a falling counter is refused by the schema as
  // conflict; callers treat it as a possible clone before calling).
  virtual Result<bool> advance_sign_count(std::string_view token_id, int64_t from, int64_t to,
                                          int64_t at) = 0;

  // Enrolment codes of issued fido2 tokens (schema v4).
  virtual Result<void> insert_enrolment(const EnrolmentRecord& enrolment) = 0;
  virtual Result<std::optional<EnrolmentRecord>> find_enrolment(std::string_view token_id) = 0;
  // Marks the code used (used_at = at) only if it was unused; false otherwise.
  virtual Result<bool> use_enrolment(std::string_view token_id, int64_t at) = 0;

  // WebAuthn ceremonies (schema v4).
  virtual Result<void> insert_ceremony(const CeremonyRecord& ceremony) = 0;
  virtual Result<std::optional<CeremonyRecord>> find_ceremony(std::string_view id_hash) = 0;
  // Single use: sets used_at = at only if it was unset; false otherwise.
  virtual Result<bool> consume_ceremony(std::string_view id_hash, int64_t at) = 0;
  // Deletes ceremonies that expired before `before` (they can never be used);
  // returns how many.
  virtual Result<int64_t> delete_ceremonies_expired_before(int64_t before) = 0;

  // Named server-side values that must survive restarts (schema v4), e.g.
  // the key behind decoy credential ids. Insert-only: conflict if it exists.
  virtual Result<std::optional<std::vector<uint8_t>>> find_setting(std::string_view name) = 0;
  virtual Result<void> insert_setting(std::string_view name, const std::vector<uint8_t>& value) = 0;

  // Sessions.
  virtual Result<void> insert_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find_session(std::string_view hash) = 0;
  virtual Result<void> touch_session(std::string_view hash, int64_t last_seen_at) = 0;
  // Marks the session ended; false if it had already ended (ending is final).
  virtual Result<bool> end_session(std::string_view hash, int64_t at, std::string_view reason) = 0;
  // Ends every live session whose user or mediator is user_id; returns the
  // hashes it ended.
  virtual Result<std::vector<std::string>> end_sessions_of(int64_t user_id, int64_t at,
                                                           std::string_view reason) = 0;
  // The same, except the session `keep_hash` (the one making the change).
  virtual Result<std::vector<std::string>> end_other_sessions_of(int64_t user_id,
                                                                 std::string_view keep_hash,
                                                                 int64_t at,
                                                                 std::string_view reason) = 0;

  // Notifications outbox. insert returns the new id.
  virtual Result<int64_t> insert_notification(const NotificationRecord& notification) = 0;
  // Undelivered messages with next_attempt_at <= now, oldest first.
  virtual Result<std::vector<NotificationRecord>> due_notifications(int64_t now, int limit) = 0;
  // Records one delivery attempt: delivered (delivered_at = at) or failed
  // (attempts + 1, next_attempt_at, last_error).
  virtual Result<void> record_delivery(int64_t id, bool delivered, int64_t at,
                                       int64_t next_attempt_at, std::string_view error) = 0;
  virtual Result<std::vector<NotificationRecord>> notifications_after(int64_t after,
                                                                      int limit) = 0;

  // Audit trail (append-only: no update, no delete).
  virtual Result<AuditHead> audit_head() = 0;
  virtual Result<void> insert_audit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> audit_after(int64_t after, int limit) = 0;

  // Signed checkpoints (append-only). conflict if one exists for that seq.
  virtual Result<void> insert_checkpoint(const Checkpoint& checkpoint) = 0;
  virtual Result<std::optional<Checkpoint>> last_checkpoint() = 0;
  virtual Result<std::vector<Checkpoint>> checkpoints_after(int64_t after_seq, int limit) = 0;
  // The first checkpoint with seq >= `seq`, if any.
  virtual Result<std::optional<Checkpoint>> checkpoint_at_or_after(int64_t seq) = 0;

  // Key registry: keys are never deleted; retiring sets retired_at once.
  virtual Result<void> insert_key(const KeyRecord& key) = 0;
  virtual Result<std::vector<KeyRecord>> list_keys() = 0;
  // False when the key was unknown or already retired.
  virtual Result<bool> retire_key(std::string_view key_id, int64_t at_ms) = 0;
};

class Store {
 public:
  enum class Mode { read, write };
  // Told after every commit of a transaction that appended audit entries:
  // how many, and whether the commit succeeded. Called on the committing
  // thread after the write lock is released; must be cheap and not throw.
  using AuditListener = std::function<void(int64_t appended, bool committed)>;

  virtual ~Store() = default;
  virtual Result<std::unique_ptr<StoreTx>> begin(Mode mode) = 0;
  // Set once, before the store is shared between threads.
  virtual void set_audit_listener(AuditListener listener) = 0;
};

// Opens an SQLite store over an existing database file, applying pending
// migrations (conflict if the schema is newer than this binary). With
// `create`, the file must not exist and is created.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path, bool create);

}  // namespace core::store
