#include "store/migrations.h"

#include <string>
#include <vector>

namespace core::store {
namespace {

// Times are Unix seconds. STRICT tables make SQLite refuse a value of the
// wrong type instead of storing it.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('local_authority', 'partner', 'national_partner')),
  parent TEXT REFERENCES organisations(id),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  organisation TEXT NOT NULL REFERENCES organisations(id),
  state TEXT NOT NULL DEFAULT 'active',
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  throttle_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER
) STRICT;

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
) STRICT, WITHOUT ROWID;

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  secret BLOB NOT NULL,
  last_step INTEGER NOT NULL DEFAULT -1,
  drift_offset INTEGER NOT NULL DEFAULT 0,
  issued_at INTEGER NOT NULL,
  activated_at INTEGER
) STRICT;
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  route TEXT NOT NULL,
  source_address TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at INTEGER,
  end_reason TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  source_address TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

-- Append-only inside authd: a bug cannot rewrite history. Someone with the
-- file can still drop these; the hash chain is what detects that.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql";

// Version 2 (HSM keys): the key registry, signed audit checkpoints, and the
// wrapping key of each TOTP seed. Times are Unix milliseconds here: a
// checkpoint's time is part of what is signed, and rotation can retire a key
// and sign with its successor within one second.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE keys (
  key_id TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('audit', 'assertion', 'wrap')),
  uri TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  retired_at_ms INTEGER
) STRICT;
-- At most one current (not retired) key per purpose.
CREATE UNIQUE INDEX keys_one_current ON keys(purpose) WHERE retired_at_ms IS NULL;
-- Retired keys must stay: old checkpoints and seeds name them.
CREATE TRIGGER keys_no_delete BEFORE DELETE ON keys
  BEGIN SELECT RAISE(ABORT, 'keys are never deleted'); END;
CREATE TRIGGER keys_retire_only BEFORE UPDATE ON keys
  WHEN OLD.retired_at_ms IS NOT NULL OR NEW.key_id IS NOT OLD.key_id
    OR NEW.purpose IS NOT OLD.purpose OR NEW.uri IS NOT OLD.uri
    OR NEW.public_key_pem IS NOT OLD.public_key_pem OR NEW.created_at_ms IS NOT OLD.created_at_ms
  BEGIN SELECT RAISE(ABORT, 'a key can only be retired, once'); END;

CREATE TABLE audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  head_hash TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  signature BLOB NOT NULL
) STRICT;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;

-- NULL: a seed stored in plain form by schema v1; Service::open wraps it.
ALTER TABLE tokens ADD COLUMN secret_key TEXT;
)sql";

// Version 3 (account and token lifecycle): conditions of access, the written
// record of the last state change, staff manager contact, partner
// administration rights, token custody and temporary tokens, mediated
// sessions' mediator, and the notifications outbox. Existing accounts keep
// their state; existing partners keep administering (rights "granted").
constexpr const char* kVersion3 = R"sql(
ALTER TABLE organisations ADD COLUMN admin_rights TEXT NOT NULL DEFAULT 'granted'
  CHECK (admin_rights IN ('none', 'granted', 'suspended', 'removed'));

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN manager_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN manager_email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN access_review_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN need TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN accredited_training_on TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN local_training_on TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetting_disclosure_on TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetting_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetting_confirmed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetting_confirmed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN barring_scheme_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vetting_warned_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_set_at INTEGER NOT NULL DEFAULT 0;
-- The written record of the last state change (NULL change_state: none yet).
ALTER TABLE users ADD COLUMN change_state TEXT;
ALTER TABLE users ADD COLUMN change_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN change_note TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN change_requested_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN change_verified_by TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN change_actor TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN change_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET password_set_at = created_at;
-- Closed is final: no statement can reopen an account.
CREATE TRIGGER users_closed_is_final BEFORE UPDATE OF state ON users
  WHEN OLD.state IN ('closed', 'rejected') AND NEW.state IS NOT OLD.state
  BEGIN SELECT RAISE(ABORT, 'a closed or rejected account stays so'); END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
  BEGIN SELECT RAISE(ABORT, 'accounts are kept for audit, never deleted'); END;

ALTER TABLE tokens ADD COLUMN state_changed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN temporary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE tokens ADD COLUMN custody TEXT NOT NULL DEFAULT 'holder'
  CHECK (custody IN ('holder', 'awaiting_return', 'returned'));
UPDATE tokens SET state_changed_at = COALESCE(activated_at, issued_at);
-- A revoked, lost or returned token never authenticates again.
CREATE TRIGGER tokens_terminal_states BEFORE UPDATE OF state ON tokens
  WHEN OLD.state = 'returned' AND NEW.state IS NOT OLD.state
    OR OLD.state = 'revoked' AND NEW.state NOT IN ('revoked', 'returned')
    OR OLD.state IN ('lost', 'suspect_clone') AND NEW.state NOT IN (OLD.state, 'revoked', 'returned')
  BEGIN SELECT RAISE(ABORT, 'a lost, revoked or returned token cannot become usable again'); END;

ALTER TABLE sessions ADD COLUMN mediator_id INTEGER REFERENCES users(id);
CREATE INDEX sessions_by_mediator ON sessions(mediator_id) WHERE mediator_id IS NOT NULL;

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  about TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE delivered_at IS NULL;
CREATE TRIGGER notifications_no_delete BEFORE DELETE ON notifications
  BEGIN SELECT RAISE(ABORT, 'notifications are never deleted'); END;
)sql";

// Version 4 (FIDO2 security keys): the credential registered to each fido2
// token, the one-time enrolment codes of issued fido2 tokens, WebAuthn
// ceremonies in flight, named server-side values, and how each session was
// authenticated. A fido2 token's row in tokens holds no seed: secret is an
// empty blob and secret_key NULL. Existing sessions were all password + TOTP.
constexpr const char* kVersion4 = R"sql(
CREATE TABLE webauthn_credentials (
  token_id TEXT PRIMARY KEY REFERENCES tokens(id),
  credential_id BLOB NOT NULL UNIQUE,
  algorithm INTEGER NOT NULL,
  public_key BLOB NOT NULL,
  sign_count INTEGER NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
  aaguid TEXT NOT NULL,
  format TEXT NOT NULL,
  attestation_trust TEXT NOT NULL
    CHECK (attestation_trust IN ('none', 'self', 'unverified', 'trusted')),
  -- A JSON array of strings, as the browser reported them.
  transports TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
) STRICT;
-- A falling counter is the sign of a cloned key; no statement may lower it.
CREATE TRIGGER webauthn_credentials_counter_rises BEFORE UPDATE OF sign_count
  ON webauthn_credentials WHEN NEW.sign_count < OLD.sign_count
  BEGIN SELECT RAISE(ABORT, 'a signature counter never decreases'); END;
-- The key a login was verified with must stay what it was registered as.
CREATE TRIGGER webauthn_credentials_fixed BEFORE UPDATE ON webauthn_credentials
  WHEN NEW.token_id IS NOT OLD.token_id OR NEW.credential_id IS NOT OLD.credential_id
    OR NEW.algorithm IS NOT OLD.algorithm OR NEW.public_key IS NOT OLD.public_key
    OR NEW.aaguid IS NOT OLD.aaguid OR NEW.format IS NOT OLD.format
    OR NEW.attestation_trust IS NOT OLD.attestation_trust OR NEW.created_at IS NOT OLD.created_at
  BEGIN SELECT RAISE(ABORT, 'a registered credential only changes its counter and last use'); END;
-- Evidence of which key signed which login: kept after the token is revoked.
CREATE TRIGGER webauthn_credentials_no_delete BEFORE DELETE ON webauthn_credentials
  BEGIN SELECT RAISE(ABORT, 'security key credentials are kept for audit, never deleted'); END;

-- Only a SHA-256 of each code is stored (hex).
CREATE TABLE fido2_enrolments (
  token_id TEXT PRIMARY KEY REFERENCES tokens(id),
  code_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;
-- A used code is final: it cannot be un-used, or deleted and inserted again.
CREATE TRIGGER fido2_enrolments_used_is_final BEFORE UPDATE ON fido2_enrolments
  WHEN OLD.used_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'an enrolment code is used once'); END;
CREATE TRIGGER fido2_enrolments_keep_used BEFORE DELETE ON fido2_enrolments
  WHEN OLD.used_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'an enrolment code is used once'); END;

-- id_hash: hex SHA-256 of the handle given to the client. user_id NULL: a
-- decoy login ceremony, which can never succeed. token_id '' for logins.
-- Expired rows are deleted (they can never be used), hence the index.
CREATE TABLE webauthn_ceremonies (
  id_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('register', 'login')),
  user_id INTEGER REFERENCES users(id),
  username TEXT NOT NULL,
  token_id TEXT NOT NULL,
  challenge BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  source_address TEXT NOT NULL
) STRICT;
CREATE INDEX webauthn_ceremonies_by_expiry ON webauthn_ceremonies(expires_at);
-- A challenge answers one ceremony: once used, the row cannot change.
CREATE TRIGGER webauthn_ceremonies_used_is_final BEFORE UPDATE ON webauthn_ceremonies
  WHEN OLD.used_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'a ceremony is used once'); END;

-- Values that must survive restarts (e.g. the key behind decoy credential
-- ids). Insert-only: changing one would change what authd has already shown.
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;
CREATE TRIGGER settings_no_update BEFORE UPDATE ON settings
  BEGIN SELECT RAISE(ABORT, 'settings are insert-only'); END;
CREATE TRIGGER settings_no_delete BEFORE DELETE ON settings
  BEGIN SELECT RAISE(ABORT, 'settings are insert-only'); END;

-- RFC 8176 values, space-separated: 'pwd otp' or 'pwd hwk'.
ALTER TABLE sessions ADD COLUMN auth_methods TEXT NOT NULL DEFAULT 'pwd otp';
)sql";

const std::vector<const char*>& steps() {
  static const std::vector<const char*> all = {kVersion1, kVersion2, kVersion3, kVersion4};
  return all;
}

// 'athd': marks the file as authd's in the SQLite header (`file` shows it).
constexpr int64_t kApplicationId = 0x61746864;

common::Result<int64_t> single_int(Database& db, const char* sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? stmt->int_at(0) : 0;
}

// Refuses to migrate into someone else's database (a wrong path given to
// `authd serve`): migrations only ever start from an empty file or one that
// carries our application id.
common::Result<void> check_ownership(Database& db, int version) {
  auto id = single_int(db, "PRAGMA application_id");
  if (!id) return id.error();
  if (*id == kApplicationId) return {};
  auto objects = single_int(db, "SELECT COUNT(*) FROM sqlite_schema");
  if (!objects) return objects.error();
  if (*id == 0 && version == 0 && *objects == 0) {
    return db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  }
  return common::make_error(common::Errc::conflict, "the file is not an authd database");
}

}  // namespace

int latest_schema_version() { return static_cast<int>(steps().size()); }

common::Result<int> schema_version(Database& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return static_cast<int>(stmt->int_at(0));
}

common::Result<void> migrate(Database& db) { return migrate_to(db, latest_schema_version()); }

common::Result<void> migrate_to(Database& db, int target) {
  const int latest = latest_schema_version();
  if (target > latest) {
    return common::make_error(common::Errc::internal,
                              "no schema version " + std::to_string(target) + " is known");
  }
  for (;;) {
    auto tx = Transaction::begin(db, /*write=*/true);
    if (!tx) return tx.error();
    // Read inside the write transaction: another process may have migrated.
    auto version = schema_version(db);
    if (!version) return version.error();
    if (*version > latest) {
      return common::make_error(common::Errc::conflict,
                                "the database schema is version " + std::to_string(*version) +
                                    ", newer than this authd supports (version " +
                                    std::to_string(latest) + "); use a newer authd");
    }
    if (*version >= target) return tx->commit();
    auto ours = check_ownership(db, *version);
    if (!ours) return ours;
    auto applied = db.exec(steps()[static_cast<size_t>(*version)]);
    if (!applied) return applied.error();
    auto bumped = db.exec("PRAGMA user_version = " + std::to_string(*version + 1));
    if (!bumped) return bumped.error();
    auto done = tx->commit();
    if (!done) return done.error();
  }
}

}  // namespace core::store
