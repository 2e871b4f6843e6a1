// The SQLite implementation of Store (private to store/).
//
// Connections come from a small pool so readers on several threads proceed
// at once (WAL lets readers run beside the writer). Writers are serialised by
// an in-process mutex before BEGIN IMMEDIATE, so threads of one process never
// spin in SQLite's busy handler; busy_timeout covers other processes (authctl).
//
// Durability: journal_mode=WAL with synchronous=FULL, so a committed audit
// entry survives power loss, not only a process crash. Commits are rare
// (logins, admin actions, session timestamps at most every few seconds), so
// the fsync per commit costs little; see docs/architecture.md.
//
// Thread safety: SqliteStore is shared; each SqliteTx belongs to one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace core::store {

class SqliteStore;

class SqliteTx final : public StoreTx {
 public:
  SqliteTx(SqliteStore* store, std::unique_ptr<Database> db, Transaction tx,
           std::unique_lock<std::mutex> writer);
  ~SqliteTx() override;

  Result<void> commit() override;

  Result<std::optional<OrganisationRecord>> find_organisation(std::string_view id) override;
  Result<std::vector<OrganisationRecord>> list_organisations() override;
  Result<void> insert_organisation(const OrganisationRecord& org) override;
  Result<bool> set_admin_rights(std::string_view org_id, std::string_view rights) override;

  Result<std::optional<UserRecord>> find_user(std::string_view username) override;
  Result<std::optional<UserRecord>> find_user_by_id(int64_t id) override;
  Result<int64_t> insert_user(const UserRecord& user) override;
  Result<void> set_login_counters(int64_t user_id, const LoginCounters& counters) override;
  Result<void> set_last_login(int64_t user_id, int64_t at) override;
  Result<void> set_password(int64_t user_id, std::string_view phc,
                            bool must_change_password) override;
  Result<void> set_password_set_at(int64_t user_id, int64_t at) override;
  Result<std::vector<UserRecord>> list_users() override;
  Result<bool> change_user_state(int64_t user_id, std::string_view from,
                                 const StateChangeRecord& change) override;
  Result<void> update_user_details(const UserRecord& user) override;
  Result<void> set_conditions(int64_t user_id, const ConditionsRecord& conditions) override;
  Result<void> set_vetting_warned(int64_t user_id, int64_t days) override;

  Result<void> insert_token(const TokenRecord& token) override;
  Result<std::optional<TokenRecord>> find_token(std::string_view id) override;
  Result<std::vector<TokenRecord>> tokens_of(int64_t user_id) override;
  Result<bool> accept_step(std::string_view token_id, int64_t step, int64_t drift) override;
  Result<bool> activate_token(std::string_view token_id, int64_t step, int64_t drift,
                              int64_t at) override;
  Result<bool> change_token_state(std::string_view token_id, std::string_view from,
                                  std::string_view to, int64_t at) override;
  Result<void> set_token_custody(std::string_view token_id, std::string_view custody) override;
  Result<void> set_token_sync(std::string_view token_id, int64_t last_step,
                              int64_t drift) override;
  Result<std::vector<TokenRecord>> list_tokens() override;
  Result<std::vector<TokenRecord>> tokens_not_sealed_by(std::string_view key_id,
                                                        std::string_view after_id,
                                                        int limit) override;
  Result<bool> replace_secret(const TokenRecord& before, const std::vector<uint8_t>& sealed_secret,
                              std::string_view key_id) override;

  Result<void> insert_webauthn_credential(const WebAuthnCredentialRecord& credential) override;
  Result<std::optional<WebAuthnCredentialRecord>> find_webauthn_credential(
      std::span<const uint8_t> credential_id) override;
  Result<std::vector<WebAuthnCredentialRecord>> webauthn_credentials_of(int64_t user_id) override;
  Result<bool> advance_sign_count(std::string_view token_id, int64_t from, int64_t to,
                                  int64_t at) override;

  Result<void> insert_enrolment(const EnrolmentRecord& enrolment) override;
  Result<std::optional<EnrolmentRecord>> find_enrolment(std::string_view token_id) override;
  Result<bool> use_enrolment(std::string_view token_id, int64_t at) override;

  Result<void> insert_ceremony(const CeremonyRecord& ceremony) override;
  Result<std::optional<CeremonyRecord>> find_ceremony(std::string_view id_hash) override;
  Result<bool> consume_ceremony(std::string_view id_hash, int64_t at) override;
  Result<int64_t> delete_ceremonies_expired_before(int64_t before) override;

  Result<std::optional<std::vector<uint8_t>>> find_setting(std::string_view name) override;
  Result<void> insert_setting(std::string_view name, const std::vector<uint8_t>& value) override;

  Result<void> insert_session(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find_session(std::string_view hash) override;
  Result<void> touch_session(std::string_view hash, int64_t last_seen_at) override;
  Result<bool> end_session(std::string_view hash, int64_t at, std::string_view reason) override;
  Result<std::vector<std::string>> end_sessions_of(int64_t user_id, int64_t at,
                                                   std::string_view reason) override;
  Result<std::vector<std::string>> end_other_sessions_of(int64_t user_id,
                                                         std::string_view keep_hash, int64_t at,
                                                         std::string_view reason) override;

  Result<int64_t> insert_notification(const NotificationRecord& notification) override;
  Result<std::vector<NotificationRecord>> due_notifications(int64_t now, int limit) override;
  Result<void> record_delivery(int64_t id, bool delivered, int64_t at, int64_t next_attempt_at,
                               std::string_view error) override;
  Result<std::vector<NotificationRecord>> notifications_after(int64_t after, int limit) override;

  Result<AuditHead> audit_head() override;
  Result<void> insert_audit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> audit_after(int64_t after, int limit) override;

  Result<void> insert_checkpoint(const Checkpoint& checkpoint) override;
  Result<std::optional<Checkpoint>> last_checkpoint() override;
  Result<std::vector<Checkpoint>> checkpoints_after(int64_t after_seq, int limit) override;
  Result<std::optional<Checkpoint>> checkpoint_at_or_after(int64_t seq) override;

  Result<void> insert_key(const KeyRecord& key) override;
  Result<std::vector<KeyRecord>> list_keys() override;
  Result<bool> retire_key(std::string_view key_id, int64_t at_ms) override;

 private:
  Result<std::optional<UserRecord>> read_user(Statement& stmt);
  Result<std::vector<std::string>> roles_of(int64_t user_id);
  Result<void> insert_roles(int64_t user_id, std::vector<std::string> roles);

  SqliteStore* store_;
  std::unique_ptr<Database> db_;
  std::optional<Transaction> tx_;
  std::unique_lock<std::mutex> writer_;
  int64_t audit_appended_ = 0;  // entries inserted in this transaction
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::filesystem::path path) : path_(std::move(path)) {}
  Result<std::unique_ptr<StoreTx>> begin(Mode mode) override;
  void set_audit_listener(AuditListener listener) override { listener_ = std::move(listener); }
  void tell_audit_listener(int64_t appended, bool committed) const {
    if (listener_ && appended > 0) listener_(appended, committed);
  }

  // Opens a connection with the per-connection pragmas set.
  Result<std::unique_ptr<Database>> connect();
  void release(std::unique_ptr<Database> db);

 private:
  std::filesystem::path path_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
  std::mutex writer_mutex_;
  AuditListener listener_;
};

}  // namespace core::store
