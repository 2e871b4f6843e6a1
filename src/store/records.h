// Rows of the core's tables as plain values, shared by the Store interface and
// the domain code. Times are Unix seconds (the form stored and hashed).
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/secret.h"

namespace core::store {

struct OrganisationRecord {
  std::string id;
  std::string name;
  std::string kind;
  std::string parent;  // empty when none
  int64_t created_at = 0;
  std::string admin_rights = "granted";  // none | granted | suspended | removed (partners)
};

// Evidence for the conditions of access; dates as "YYYY-MM-DD", "" = none.
struct ConditionsRecord {
  std::string need;
  std::string accredited_training_on;
  std::string local_training_on;
  std::string vetting_disclosure_on;
  std::string vetting_basis;
  std::string vetting_confirmed_by;
  std::string vetting_confirmed_on;
  std::string barring_scheme_ref;
};

// The last state change of an account (its written record).
struct StateChangeRecord {
  std::string state;
  std::string reason;
  std::string note;
  std::string requested_by;
  std::string verified_by;
  std::string actor;
  int64_t at = 0;
};

struct UserRecord {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string organisation;
  std::vector<std::string> roles;  // sorted
  std::string state = "active";    // nominated | active | suspended | closed | rejected
  std::string password_hash;       // PHC string
  bool must_change_password = false;
  int64_t failed_logins = 0;   // consecutive failed logins
  bool locked = false;         // set after lockout.lock_after_failures failures
  int64_t throttle_until = 0;  // no login attempt is verified before this time
  int64_t created_at = 0;
  std::optional<int64_t> last_login_at;
  // Schema v3 (lifecycle).
  std::string email;
  std::string job_title;
  std::string manager_name;
  std::string manager_email;
  bool access_review_required = false;
  ConditionsRecord conditions;
  std::optional<StateChangeRecord> last_change;  // none until the first change
  int64_t password_set_at = 0;   // last password change or reset (created_at at first)
  // The vetting-expiry warnings already sent for the current disclosure date:
  // 0 none, else the days-before of the last one (60, then 30).
  int64_t vetting_warned_days = 0;
};

// The counters the login flow changes on every attempt.
struct LoginCounters {
  int64_t failed_logins = 0;
  bool locked = false;
  int64_t throttle_until = 0;
};

struct TokenRecord {
  std::string id;
  int64_t user_id = 0;
  std::string type;   // "totp" | "fido2" (no seed: sealed_secret empty, secret_key none)
  std::string state;  // issued | active | lost | revoked | returned | suspect_clone
  // The stored form of the seed (see enrolment/totp_secret.h); never logged.
  std::vector<uint8_t> sealed_secret;
  // The id of the wrapping key that sealed it; none for a seed stored in
  // plain form before HSM wrapping (schema v1), which Service::open wraps.
  std::optional<std::string> secret_key;
  int64_t last_step = -1;  // the last accepted TOTP time step; -1 for none
  int64_t drift_offset = 0;
  int64_t issued_at = 0;
  std::optional<int64_t> activated_at;
  // Schema v3 (lifecycle).
  int64_t state_changed_at = 0;
  bool temporary = false;
  std::optional<int64_t> expires_at;  // temporary tokens only
  std::string custody = "holder";     // holder | awaiting_return | returned

  TokenRecord() = default;
  TokenRecord(const TokenRecord&) = default;
  TokenRecord& operator=(const TokenRecord&) = default;
  TokenRecord(TokenRecord&&) = default;
  TokenRecord& operator=(TokenRecord&&) = default;
  ~TokenRecord() { common::wipe(sealed_secret); }
};

struct SessionRecord {
  std::string hash;  // hex SHA-256 of the bearer token
  int64_t user_id = 0;
  std::string route = "web";
  std::string source_address;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t last_seen_at = 0;
  std::optional<int64_t> ended_at;
  std::string end_reason;
  // The mediator of a mediated session (schema v3; mediated access arrives
  // with its own issue). Suspending either party ends the session.
  std::optional<int64_t> mediator_id;
  // How the user authenticated (schema v4), space-separated RFC 8176 values:
  // "pwd otp" (password + TOTP) or "pwd hwk" (password + security key).
  std::string auth_methods = "pwd otp";
};

// A message in the notifications outbox. Rows are never deleted.
struct NotificationRecord {
  int64_t id = 0;  // assigned by insert_notification
  std::string kind;
  std::string recipient;
  std::string subject;
  std::string body;   // plain text; never a secret
  std::string about;  // username
  int64_t created_at = 0;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::optional<int64_t> delivered_at;
  std::string last_error;
};

// A key in the HSM as the registry records it (times in Unix milliseconds).
// The current key of a purpose is the one not retired.
struct KeyRecord {
  std::string key_id;
  std::string purpose;  // audit | assertion | wrap
  std::string uri;
  std::string public_key_pem;  // EC keys only
  int64_t created_at_ms = 0;
  std::optional<int64_t> retired_at_ms;
};

// A FIDO2 security key registered to a token of type "fido2" (schema v4).
// The COSE public key is public data; the counter guards against clones.
struct WebAuthnCredentialRecord {
  std::string token_id;
  std::vector<uint8_t> credential_id;  // unique across all users
  int32_t algorithm = 0;               // COSE: -7 ES256, -8 EdDSA, -257 RS256
  std::vector<uint8_t> public_key;     // the COSE_Key as registered
  int64_t sign_count = 0;
  std::string aaguid;                   // "xxxxxxxx-xxxx-..." text form
  std::string format;                   // attestation format: packed | fido-u2f | none
  std::string attestation_trust;        // none | self | unverified | trusted
  std::vector<std::string> transports;  // as the browser reported them
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
};

// The one-time enrolment code of an issued fido2 token. Only a SHA-256 of
// the code is stored.
struct EnrolmentRecord {
  std::string token_id;
  std::string code_hash;  // hex SHA-256 of the code
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
};

// One WebAuthn ceremony in flight: the challenge handed out and what it is
// bound to. Single use (used_at), and dead after expires_at.
struct CeremonyRecord {
  std::string id_hash;  // hex SHA-256 of the transaction handle given to the client
  std::string kind;     // "register" | "login"
  // The user it was issued for. None for a decoy login ceremony (unknown
  // user, wrong password, no security key), which can never succeed.
  std::optional<int64_t> user_id;
  std::string username;  // as given at begin (audit subject); "" when malformed
  std::string token_id;  // register: the issued token being enrolled
  std::vector<uint8_t> challenge;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
  std::string source_address;
};

struct AuditHead {
  int64_t seq = 0;   // 0 for an empty trail
  std::string hash;  // "" for an empty trail
};

}  // namespace core::store
