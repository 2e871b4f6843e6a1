// The core of authd: accounts, organisations, passwords, TOTP tokens, sessions
// and the audit trail, over a Store (SQLite by default).
//
// The daemon turns HTTP into calls on Service and back; nothing here knows of
// HTTP. Every call that changes state writes its audit entry in the same store
// transaction as the change, so either both happen or neither does.
//
// Thread safety: a Service is safe to call from any number of threads at once.
// Slow work (Argon2id) runs outside any lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "policy/policy.h"

namespace hsm {
class Hsm;
}

namespace core {

using common::Result;
using common::TimePoint;

struct Config {
  std::filesystem::path database_path;  // the SQLite file
  policy::Policy policy;
  std::shared_ptr<common::Clock> clock = common::system_clock();
  std::shared_ptr<common::Random> random = common::openssl_random();
  // The token holding the audit, assertion and wrapping keys. Required.
  std::shared_ptr<hsm::Hsm> hsm;
  // Where public keys are exported (DIR/keys): one PEM per signing key and
  // keys.json with every key's id, purpose and validity. Empty: no export.
  std::filesystem::path public_keys_dir;
};

// The keys `authd init` made (or was given) in the token, as PKCS#11 URIs.
struct InitialKeys {
  std::string audit;      // EC P-256: signs audit checkpoints
  std::string assertion;  // EC P-256: signs session assertions (JWS ES256)
  std::string wrap;       // AES-256: wraps TOTP seeds
};

// One signed statement about the audit chain: "entry `seq` has hash
// `head_hash`", made at `at` with the key `key_id` (RFC 7638 thumbprint).
// The exact signed bytes are core::checkpoint_statement() (audit_evidence.h).
struct Checkpoint {
  int64_t seq = 0;
  std::string head_hash;  // hex SHA-256 of entry `seq`
  TimePoint at;           // millisecond precision
  std::string key_id;
  std::vector<uint8_t> signature;  // DER ECDSA over SHA-256(statement)
};

// A key in the token as authd records it. Retired keys stay listed, with the
// time their use ended, so old checkpoints keep verifying.
struct KeyView {
  std::string key_id;          // RFC 7638 thumbprint (EC keys); "wrap-..." label for AES
  std::string purpose;         // "audit" | "assertion" | "wrap"
  std::string uri;             // PKCS#11 URI in the token
  std::string public_key_pem;  // EC keys only; empty for the wrapping key
  TimePoint created_at;
  std::optional<TimePoint> retired_at;
};

struct HealthReport {
  bool audit_ok = true;          // the last audit write and checkpoint signing succeeded
  bool hsm_ok = true;            // the last HSM operation succeeded
  int64_t unsigned_entries = 0;  // entries after the last checkpoint
  std::optional<TimePoint> last_checkpoint_at;
};

// What `authd init` hands to the operator, once.
struct BootstrapAdmin {
  std::string username;
  std::string password;     // one-time: must be changed at first login
  std::string otpauth_uri;  // the admin's TOTP token, already active
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::string otp;
  std::string source_address;  // the client's IP, for throttling and audit
};

struct LoginGrant {
  std::string session;   // the bearer token; only its hash is stored
  TimePoint expires_at;  // absolute expiry
  std::chrono::seconds idle_timeout;
  bool must_change_password = false;
};

// The caller behind a live session.
struct Principal {
  std::string session_hash;  // identifies the session internally (never the token)
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string organisation;  // organisation id, e.g. "LA-001"
  std::vector<std::string> roles;
  std::string route = "web";  // how the session was made: web (later: cms, mediated)
  std::string source_address;
  TimePoint created_at;
  TimePoint expires_at;       // absolute expiry
  TimePoint idle_expires_at;  // when it ends if unused
  bool must_change_password = false;
};

struct TokenView {
  std::string token_id;
  std::string type;   // "totp"
  std::string state;  // "issued" | "active"
  TimePoint issued_at;
  std::optional<TimePoint> activated_at;
};

struct UserView {
  std::string username;
  std::string display_name;
  std::string organisation;
  std::vector<std::string> roles;
  std::string state;  // "active" (later: nominated, suspended, closed)
  bool must_change_password = false;
  TimePoint created_at;
  std::optional<TimePoint> last_login_at;
  std::vector<TokenView> tokens;
};

struct NewUser {
  std::string username;            // 3..64 chars of [a-z0-9._-], starts with a letter or digit
  std::string display_name;        // 1..200 chars
  std::string organisation;        // an existing organisation id
  std::vector<std::string> roles;  // each from policy admin.known_roles, at least one
  std::string password;            // initial password; the user must change it at first login
};

struct Organisation {
  std::string id;  // e.g. "LA-001": 2..32 chars of [A-Za-z0-9-]
  std::string name;
  std::string kind;    // "local_authority" | "partner" | "national_partner"
  std::string parent;  // for a partner: its local authority's id; else empty
};

struct IssuedTotp {
  std::string token_id;
  std::string otpauth_uri;  // shown once, never again
  std::string qr_svg;
};

struct AuditEntry {
  int64_t seq = 0;
  TimePoint at;
  std::string actor;    // username, or "-" for none (e.g. unknown user)
  std::string subject;  // who/what was acted on
  std::string action;   // e.g. "login", "logout", "user.create", "token.issue"
  std::string outcome;  // "success" | "failure"
  std::string reason;   // internal reason code, e.g. "bad_password", "replayed_otp"
  std::string source_address;
  std::string detail;     // JSON object text with any further facts (no secrets)
  std::string prev_hash;  // hex SHA-256 of the previous entry ("" before the first)
  std::string hash;       // hex SHA-256 over the canonical encoding of this entry
};

struct AuditExport {
  std::vector<AuditEntry> entries;
  std::vector<Checkpoint> checkpoints;
  bool truncated = false;
};

class Service {
 public:
  virtual ~Service() = default;

  // Creates a fresh database at config.database_path with the first local
  // authority organisation LA-001 and a bootstrap administrator whose TOTP token
  // is active. Refuses (conflict) if the file exists; on any failure leaves no file.
  // `keys` are recorded as the current keys; their public halves are exported.
  static Result<BootstrapAdmin> initialise(const Config& config, const InitialKeys& keys);

  // Opens an existing database, applying pending migrations. A schema newer
  // than this binary is refused (conflict) with a message naming both versions.
  // For a database made before keys were recorded (authd 0.1 data
  // directories): records `keys` as current, audited as key.add by
  // "authd-upgrade", and exports their public halves. The next open() wraps
  // the plain seeds. conflict if the database already records keys.
  static Result<void> adopt_keys(const Config& config, const InitialKeys& keys);

  // Refuses (unavailable, naming the key) when a recorded current key is
  // missing from the token. Wraps any TOTP seed still stored in plain form
  // (databases from before HSM wrapping). Starts checkpointing: every
  // policy audit.checkpoint_every_entries entries or
  // audit.checkpoint_interval_ms, whichever comes first.
  static Result<std::unique_ptr<Service>> open(const Config& config);

  // Password + TOTP. Every wrong credential (unknown user, wrong password,
  // wrong code, replayed code, no active token) fails with the same
  // invalid_credentials error and the same work done. Throttled callers get
  // too_many_attempts with retry_after. A suspended/closed account is reported
  // only after both factors were right.
  virtual Result<LoginGrant> login(const LoginRequest& request) = 0;

  // Resolves a bearer token to its session and refreshes the idle timer.
  // invalid_session when unknown, idle too long, past its absolute lifetime or
  // logged out. Does not refuse must_change_password sessions: callers that
  // need full rights use the methods below, which do.
  virtual Result<Principal> authenticate(std::string_view session_token,
                                         std::string_view source_address) = 0;

  // Ends the session for good.
  virtual Result<void> logout(const Principal& who) = 0;

  // Checks the current password and sets a new one (policy rules apply:
  // weak_password with a message). Clears must_change_password; the same
  // session continues with full rights. Wrong current password: invalid_credentials.
  virtual Result<void> change_password(const Principal& who, std::string_view current_password,
                                       std::string_view new_password) = 0;

  // Administration. Each requires an admin role from policy (forbidden
  // otherwise) and a session that has changed its one-time password
  // (password_change_required otherwise).
  virtual Result<UserView> create_user(const Principal& who, const NewUser& user) = 0;
  virtual Result<UserView> get_user(const Principal& who, std::string_view username) = 0;
  virtual Result<std::vector<Organisation>> list_organisations(const Principal& who) = 0;
  virtual Result<Organisation> create_organisation(const Principal& who,
                                                   const Organisation& org) = 0;
  // Only type "totp" so far (bad_request for others).
  virtual Result<IssuedTotp> issue_token(const Principal& who, std::string_view username,
                                         std::string_view type) = 0;
  // The holder, or an administrator relaying the holder's code. A wrong code:
  // invalid_credentials. An already active token: conflict.
  virtual Result<TokenView> activate_token(const Principal& who, std::string_view token_id,
                                           std::string_view otp) = 0;
  // Entries with seq > after, oldest first, at most `limit` (1..1000).
  virtual Result<std::vector<AuditEntry>> list_audit(const Principal& who, int64_t after,
                                                     int limit) = 0;

  // Signs the chain head now (administrators; audited as audit.checkpoint,
  // and the checkpoint covers that entry). unavailable if the HSM fails.
  virtual Result<Checkpoint> checkpoint_audit(const Principal& who) = 0;
  // Checkpoints with seq > after_seq, oldest first, at most `limit` (1..1000).
  virtual Result<std::vector<Checkpoint>> list_checkpoints(const Principal& who, int64_t after_seq,
                                                           int limit) = 0;
  // Entries from..to (inclusive) with the checkpoints among them, for an
  // investigator's export (administrators; audited as audit.export). `to` is
  // extended to the first checkpoint at or after it, when there is one, so
  // every exported entry can be covered by a signature. At most 10000
  // entries: `truncated` is set and the caller continues from the last seq + 1.
  virtual Result<AuditExport> export_audit(const Principal& who, int64_t from, int64_t to) = 0;
  // Creates a new key for `purpose` ("audit" | "assertion" | "wrap") in the
  // token and makes it current; the old one is retired (kept, with its
  // validity). For "audit" the old key signs a last checkpoint first. For
  // "wrap" every TOTP seed is re-wrapped in small transactions while logins
  // go on. Administrators; audited as key.rotate.
  virtual Result<KeyView> rotate_key(const Principal& who, std::string_view purpose) = 0;
  // Every recorded key, current and retired. Public information (the JWKS
  // endpoint serves the assertion keys from it), so no caller is checked.
  virtual Result<std::vector<KeyView>> list_keys() = 0;
  // The same for an administrator's key listing (GET /v1/keys, which also
  // shows the keys' PKCS#11 URIs): forbidden for anyone else.
  virtual Result<std::vector<KeyView>> list_keys(const Principal& who) = 0;
  virtual HealthReport health() = 0;
  // Clean shutdown: stops the checkpointer after a final checkpoint. Called by
  // the destructor too; idempotent.
  virtual Result<void> shutdown() = 0;
};

}  // namespace core
