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

// Where outbox messages go. command: argv of a program that gets one message
// (RFC 5322 text) on stdin and exits 0 when it took it (e.g. sendmail -t -i).
// smtp_relay: "host:port" of a relay reached by plain SMTP (no STARTTLS, no
// AUTH): a local MTA or one on a trusted network. At most one of the two.
struct NotificationDelivery {
  std::vector<std::string> command;
  std::string smtp_relay;
  std::string from = "authd@localhost";
  std::chrono::seconds retry_initial{30};  // doubles per failure, capped at 1 h
};

// The WebAuthn relying party (authd.toml [webauthn]): the domain keys are
// bound to and the name browsers show. Allowed origins are policy
// (webauthn.origins); each must be this domain or a subdomain of it.
struct RelyingPartyConfig {
  std::string id = "localhost";
  std::string name = "authd";
};

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
  // How the notifications outbox is delivered (authd.toml [notifications]).
  // Neither set: messages wait in the outbox (listed by list_notifications).
  NotificationDelivery notifications;
  // Run the automatic rules (sweep) every policy lifecycle.sweep_interval_s
  // from a background thread. Tests turn it off and call sweep().
  bool run_scheduler = true;
  RelyingPartyConfig relying_party;
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
  // How the user authenticated, as RFC 8176 method values: {"pwd", "otp"}
  // (password + TOTP) or {"pwd", "hwk"} (password + security key).
  std::vector<std::string> auth_methods;
  std::string source_address;
  TimePoint created_at;
  TimePoint expires_at;       // absolute expiry
  TimePoint idle_expires_at;  // when it ends if unused
  bool must_change_password = false;
};

struct TokenView {
  std::string token_id;
  std::string type;   // "totp"
  // "issued" | "active" | "lost" | "revoked" | "returned" | "suspect_clone"
  // (tokens/lifecycle.h has the transitions).
  std::string state;
  TimePoint issued_at;
  std::optional<TimePoint> activated_at;
  TimePoint state_changed_at;
  // A temporary replacement while a lost token is replaced: it cannot
  // authenticate after expires_at (policy lifecycle.temporary_token_days).
  bool temporary = false;
  std::optional<TimePoint> expires_at;
  // Physical custody: "holder" (with the user), "awaiting_return" (account
  // closed, hardware not yet back), "returned".
  std::string custody = "holder";
};

// Evidence for the conditions of access (guidance 2.7, 4.29-4.33). Dates are
// calendar dates "YYYY-MM-DD"; empty = not recorded.
struct AccessConditions {
  std::string need;                    // why the user needs access (free text)
  std::string accredited_training_on;  // accredited ContactPoint training completed
  std::string local_training_on;       // the LA's (or national partner's) own training
  // The enhanced vetting disclosure's issue date; it must be under
  // lifecycle.vetting_valid_days old. Either the disclosure was seen
  // ("disclosure_seen") or the employer confirmed it in writing
  // ("employer_confirmation", with who confirmed and when).
  std::string vetting_disclosure_on;
  std::string vetting_basis;  // "" | "disclosure_seen" | "employer_confirmation"
  std::string vetting_confirmed_by;
  std::string vetting_confirmed_on;
  std::string barring_scheme_ref;  // membership reference; needed only while
                                   // lifecycle.barring_scheme_required is on
};

// A change to the recorded conditions (record_conditions): only the members
// set change; "" clears one.
struct ConditionsUpdate {
  std::optional<std::string> need, accredited_training_on, local_training_on,
      vetting_disclosure_on, vetting_basis, vetting_confirmed_by, vetting_confirmed_on,
      barring_scheme_ref;
};

// The written record an administrative action keeps (guidance 4.35, 4.39).
struct ActionRecord {
  std::string reason;        // suspend: one of kSuspensionReasons; reject/close: free text
  std::string note;          // free text; required for suspend and reactivate
  std::string requested_by;  // who asked; empty = the acting administrator
  std::string verified_by;   // how/by whom a request from someone else was verified;
                             // required when requested_by is someone else
};

// The reasons guidance 4.36 and 2.6 give for suspending an account.
inline constexpr const char* kSuspensionReasons[] = {
    "extended_leave",         "suspicious_activity",  "investigation",
    "not_following_guidance", "prolonged_inactivity", "suspended_by_employer",
    "vetting_expired",        "token_lost",           "password_compromised"};

// The last state change of an account, as recorded.
struct StateRecord {
  std::string state;  // the state it moved to
  std::string reason;
  std::string note;
  std::string requested_by;
  std::string verified_by;
  std::string actor;  // username, or "authd-sweep" for the automatic rules
  TimePoint at;
};

struct UserView {
  std::string username;
  std::string display_name;
  std::string organisation;
  std::vector<std::string> roles;
  // "nominated" | "active" | "suspended" | "closed" | "rejected"
  // (accounts/account_lifecycle.h has the transitions).
  std::string state;
  bool must_change_password = false;
  bool locked = false;                  // lockout.lock_after_failures reached
  bool access_review_required = false;  // roles or job changed (4.32)
  std::string email;
  std::string job_title;
  std::string manager_name;  // the staff manager, told of every suspension
  std::string manager_email;
  AccessConditions conditions;
  std::optional<StateRecord> last_change;  // none until the first change after nomination
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
  std::string email;               // optional; up to 254 chars with one '@'
  std::string job_title;           // optional; up to 200 chars
  std::string manager_name;        // optional; up to 200 chars
  std::string manager_email;       // optional; as email
  AccessConditions conditions;     // any evidence already to hand
};

// A change to an account's details (update_user): only the members set change.
// A change of roles or job_title raises the access-review flag (4.32).
struct UserUpdate {
  std::optional<std::string> display_name, email, job_title, manager_name, manager_email;
  std::optional<std::vector<std::string>> roles;
};

struct Organisation {
  std::string id;  // e.g. "LA-001": 2..32 chars of [A-Za-z0-9-]
  std::string name;
  std::string kind;    // "local_authority" | "partner" | "national_partner"
  std::string parent;  // for a partner: its local authority's id; else empty
  // For a partner: whether its own user account administrators may act
  // (4.25-4.28): "none" (never granted) | "granted" | "suspended" | "removed".
  // Always "granted" for the other kinds.
  std::string admin_rights = "granted";
};

// A row of an administrator's report.
struct AccountReportRow {
  std::string username;
  std::string organisation;
  std::string state;
  std::optional<TimePoint> last_login_at;
  TimePoint since;     // when the account entered the state the report is about
  std::string detail;  // e.g. "no login for 120 days"
};

struct TokenReportRow {
  std::string token_id;
  std::string username;
  std::string organisation;
  std::string type;
  std::string state;
  std::string custody;
  TimePoint since;  // state_changed_at
};

// report(): "dormant" (active accounts without a login for
// lifecycle.dormant_after_days, and accounts suspended for prolonged
// inactivity), "tokens" (lost tokens and hardware awaiting return),
// "pending" (nominated longer than lifecycle.pending_report_days),
// "reviews" (access review flag set). Only accounts in the caller's scope.
struct Report {
  std::string name;
  std::vector<AccountReportRow> accounts;
  std::vector<TokenReportRow> tokens;
};

// What one run of the automatic rules did (each action is audited too).
struct SweepResult {
  std::vector<std::string> suspended_vetting_expired;  // usernames
  std::vector<std::string> suspended_dormant;          // usernames
  std::vector<std::string> warned_vetting;             // "alice:60", "bob:30"
  std::vector<std::string> pending_too_long;           // usernames
  std::vector<std::string> expired_temporary_tokens;   // token ids, now revoked
};

// A message in the notifications outbox (staff managers, users).
struct NotificationView {
  int64_t id = 0;
  std::string kind;       // "account.suspended", "vetting.warning", ...
  std::string recipient;  // an email address
  std::string subject;
  std::string about;  // the username it concerns
  std::string state;  // "pending" | "delivered" (pending ones are retried)
  int attempts = 0;
  TimePoint created_at;
  std::optional<TimePoint> delivered_at;
  std::string last_error;
};

struct IssuedTotp {
  std::string token_id;
  std::string otpauth_uri;  // shown once, never again
  std::string qr_svg;
};

// A security key issued to a user (type "fido2", state "issued"): the holder
// registers a key with the one-time enrolment code, shown once.
struct IssuedSecurityKey {
  std::string token_id;
  std::string enrolment_code;
  TimePoint enrolment_expires_at;
};

// One WebAuthn ceremony handed to the browser: an opaque single-use handle
// and the options (PublicKeyCredentialCreationOptionsJSON or
// PublicKeyCredentialRequestOptionsJSON text) for navigator.credentials.
struct WebAuthnCeremony {
  std::string transaction;
  std::string public_key_json;
};

// Registration by a user who is not logged in (their only token is the key
// being registered): the password and the enrolment code stand in for a session.
struct KeyEnrolmentRequest {
  std::string username;
  std::string password;
  std::string enrolment_code;
  std::string source_address;
};

// The first step of a security-key login.
struct KeyLoginRequest {
  std::string username;
  std::string password;
  std::string source_address;
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
  // only after both factors were right, and so is a role that requires a
  // security key (webauthn.required_for_roles): forbidden.
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

  // Administration. Each requires a session that has changed its one-time
  // password (password_change_required otherwise), the permission from the
  // policy's [permissions] matrix, and the target in the caller's scope
  // (forbidden otherwise; a target outside the scope is reported as
  // not_found, so scope does not reveal which usernames exist elsewhere):
  // a partner's administrators act only on their own organisation, and only
  // while its admin_rights are "granted"; a local authority's on itself and
  // its partners; a national partner's on itself; central_team everywhere.
  // Illegal transitions are conflict with a message that says why. Every
  // action, refusals included, is audited with actor, subject and reason.

  // Nominates an account (state "nominated"): it cannot log in or hold a
  // token until approved. Permission user_nominate.
  virtual Result<UserView> create_user(const Principal& who, const NewUser& user) = 0;
  // Approves a nominated account (-> "active"). Permission user_approve, and
  // the caller's organisation must be the account's local authority (its own
  // or the partner's parent), the national partner itself, or central_team:
  // a partner's administrators only nominate (4.31). conflict naming every
  // unmet condition of access (2.7) when any is unmet.
  virtual Result<UserView> approve_user(const Principal& who, std::string_view username) = 0;
  // nominated -> rejected, with record.reason required. Permission user_approve.
  virtual Result<UserView> reject_user(const Principal& who, std::string_view username,
                                       const ActionRecord& record) = 0;
  // Records evidence for conditions of access. Permission user_update. A
  // renewed vetting date restarts the expiry warnings.
  virtual Result<UserView> record_conditions(const Principal& who, std::string_view username,
                                             const ConditionsUpdate& update) = 0;
  // Changes account details. Permission user_update. Changing roles or
  // job_title sets access_review_required.
  virtual Result<UserView> update_user(const Principal& who, std::string_view username,
                                       const UserUpdate& update) = 0;
  // Clears access_review_required after the review (note required).
  // Permission user_approve.
  virtual Result<UserView> clear_access_review(const Principal& who, std::string_view username,
                                               std::string_view note) = 0;
  // active -> suspended. reason from kSuspensionReasons, note required,
  // verified_by required when requested_by is not the caller. In the same
  // transaction every session of the user ends (as requestor or mediator);
  // the cache forgets them before this returns, so the next request with
  // any of them is refused. The staff manager (manager_email) is notified
  // through the outbox. Permission user_suspend.
  virtual Result<UserView> suspend_user(const Principal& who, std::string_view username,
                                        const ActionRecord& record) = 0;
  // suspended -> active, note required. Refused (conflict, saying what is
  // missing) while a condition of access is unmet, and after "token_lost"
  // until a token issued after the suspension is active, after
  // "password_compromised" until the password was reset after the
  // suspension. Permission user_reactivate.
  virtual Result<UserView> reactivate_user(const Principal& who, std::string_view username,
                                           const ActionRecord& record) = 0;
  // nominated | active | suspended -> closed, for good: sessions end, every
  // token is revoked and hardware marked awaiting_return; the row is kept.
  // Permission user_close.
  virtual Result<UserView> close_user(const Principal& who, std::string_view username,
                                      const ActionRecord& record) = 0;
  // Clears a lockout (locked, failure counters). Permission user_unlock.
  virtual Result<UserView> unlock_user(const Principal& who, std::string_view username) = 0;
  // Sets a generated one-time password (returned once; must be changed at
  // next login) and ends the user's sessions. Permission user_reset_password.
  virtual Result<std::string> reset_password(const Principal& who,
                                             std::string_view username) = 0;
  virtual Result<UserView> get_user(const Principal& who, std::string_view username) = 0;
  virtual Result<std::vector<Organisation>> list_organisations(const Principal& who) = 0;
  virtual Result<Organisation> create_organisation(const Principal& who,
                                                   const Organisation& org) = 0;
  // A TOTP token (type "totp"; issue_security_key makes "fido2" ones;
  // bad_request for anything else). Permission
  // token_issue. Only to an active account, or to one suspended for
  // "token_lost" or "password_compromised" (the replacement that must come
  // before reactivation); conflict otherwise.
  virtual Result<IssuedTotp> issue_token(const Principal& who, std::string_view username,
                                         std::string_view type) = 0;
  // A FIDO2 security key (token type "fido2") for `username`: state
  // "issued" with a one-time enrolment code valid for
  // webauthn.enrolment_code_hours; the key itself is bound when the holder
  // registers it (finish_key_registration). Permission and account rules as
  // issue_token. Audited as token.issue.
  virtual Result<IssuedSecurityKey> issue_security_key(const Principal& who,
                                                       std::string_view username) = 0;
  // A temporary replacement while a lost token is replaced: expires after
  // lifecycle.temporary_token_days. conflict unless the user has a lost
  // token. Permission token_issue.
  virtual Result<IssuedTotp> issue_temporary_token(const Principal& who,
                                                   std::string_view username,
                                                   std::string_view type) = 0;
  // The holder, or an administrator relaying the holder's code. A wrong code:
  // invalid_credentials. An already active token: conflict.
  virtual Result<TokenView> activate_token(const Principal& who, std::string_view token_id,
                                           std::string_view otp) = 0;
  // The holder (own token) or an administrator with permission token_manage
  // on the holder's behalf: issued | active -> lost, and at once the account
  // is suspended with reason "token_lost" (2.6), its sessions ended, the
  // manager notified.
  virtual Result<TokenView> report_token_lost(const Principal& who, std::string_view token_id,
                                              std::string_view note) = 0;
  // -> revoked (never authenticates again). Permission token_manage.
  virtual Result<TokenView> revoke_token(const Principal& who, std::string_view token_id,
                                         std::string_view note) = 0;
  // The hardware came back: -> returned, custody "returned". Permission token_manage.
  virtual Result<TokenView> return_token(const Principal& who, std::string_view token_id,
                                         std::string_view note) = 0;
  // Resynchronises an active TOTP token from two consecutive codes found
  // within totp.resync_window_steps of now; remembers the offset. Wrong or
  // non-consecutive codes: invalid_credentials. Permission token_manage.
  virtual Result<TokenView> resync_token(const Principal& who, std::string_view token_id,
                                         std::string_view first_code,
                                         std::string_view second_code) = 0;

  // WebAuthn registration, first step: a challenge (32 random bytes, single
  // use, webauthn.challenge_timeout_s) for the user's issued fido2 token,
  // with excludeCredentials listing their registered keys. Logged in: the
  // session's user (any live session that has changed its one-time
  // password). conflict when the user has no issued, unexpired security key.
  virtual Result<WebAuthnCeremony> begin_key_registration(const Principal& who) = 0;
  // The same for a user who is not logged in, proving the password and the
  // enrolment code instead. Any wrong credential (unknown user, password,
  // code, no issued key, an expired or used code): invalid_credentials, with
  // the same work done; throttled like login.
  virtual Result<WebAuthnCeremony> begin_key_registration(const KeyEnrolmentRequest& request) = 0;
  // Second step: `credential_json` is what credential.toJSON() gave after
  // navigator.credentials.create(). The challenge is consumed whatever the
  // outcome. Checks clientDataJSON, the attestation (policy formats, roots,
  // AAGUIDs) and user presence/verification; stores the credential id, COSE
  // key, counter, AAGUID and transports; the token becomes active (the
  // enrolment code is used up). `who` must be the ceremony's user when it was
  // begun with a session; null otherwise. A refused key: bad_request
  // "the security key's response was refused" (the audit entry names why);
  // an unknown, used or expired transaction: invalid_credentials.
  virtual Result<TokenView> finish_key_registration(const Principal* who,
                                                    std::string_view transaction,
                                                    std::string_view credential_json,
                                                    std::string_view source_address) = 0;
  // Security-key login, first step: throttles and the password as login().
  // When the password is right and the user holds an active fido2 token,
  // allowCredentials lists their keys; otherwise (unknown user, wrong
  // password, no key) a decoy of the same shape, with credential ids derived
  // from the username and a server key so they are stable, and the same
  // work done. A wrong password counts as a failed login here; the answer
  // never says so.
  virtual Result<WebAuthnCeremony> begin_key_login(const KeyLoginRequest& request) = 0;
  // Second step, with credential.toJSON() after navigator.credentials.get():
  // verifies the assertion against the stored key (origin, rpIdHash,
  // challenge, UP, UV when policy requires it, signature) and that the
  // signature counter rose. A counter that went back marks the token
  // suspect_clone, refuses, audits and notifies the user's account
  // administrators. Every failure is invalid_credentials (too_many_attempts
  // when throttled). Success: a session as login(), auth_methods pwd+hwk.
  virtual Result<LoginGrant> finish_key_login(std::string_view transaction,
                                              std::string_view credential_json,
                                              std::string_view source_address) = 0;

  // Grants, suspends or removes a partner's own user account administration
  // (state "granted" | "suspended" | "removed"; reason required). Permission
  // org_admin_rights, and the partner's parent must be the caller's local
  // authority (or central_team). While not granted the LA's team manages the
  // partner's users (their scope always covers them).
  virtual Result<Organisation> set_admin_rights(const Principal& who, std::string_view org_id,
                                                std::string_view state,
                                                std::string_view reason) = 0;

  // Runs the automatic rules now (also run by the scheduler): vetting
  // warnings and expiry, dormant accounts, pending approvals, expired
  // temporary tokens. Permission sweep_run. Idempotent: a second run at the
  // same time changes nothing and sends no second warning.
  virtual Result<SweepResult> sweep(const Principal& who) = 0;
  // The scheduler's entry: the same, as actor "authd-sweep".
  virtual Result<SweepResult> run_scheduled_sweep() = 0;
  // A named report ("dormant" | "tokens" | "pending" | "reviews"; not_found
  // otherwise). Permission report_read.
  virtual Result<Report> report(const Principal& who, std::string_view name) = 0;
  // Outbox messages with id > after, oldest first, at most limit (1..1000).
  // Permission report_read; recipients outside the caller's scope are hidden.
  virtual Result<std::vector<NotificationView>> list_notifications(const Principal& who,
                                                                   int64_t after, int limit) = 0;

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
