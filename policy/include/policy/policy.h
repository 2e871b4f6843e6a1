// Security policy: parsed from a TOML file into an immutable value.
//
// policy/ is pure: it includes nothing else of ours, reads no clock and opens
// no file except the one load_policy_file() is given. Every key is documented
// in docs/policy.md; unknown keys and out-of-range values are refused, so a
// typo in a policy file never silently weakens security.
//
// Errors are values (LoadResult.error, validate()); no exception leaves this
// module.
//
// Thread safety: Policy is an immutable value; share it freely.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

// Upper bounds on the Argon2id cost a policy may set. Password verification
// refuses stored hashes above them too, so a corrupt row cannot make one
// login allocate unbounded memory.
inline constexpr uint32_t kMaxArgon2MemoryKib = 4 * 1024 * 1024;  // 4 GiB
inline constexpr uint32_t kMaxArgon2Iterations = 64;
inline constexpr uint32_t kMaxArgon2Parallelism = 16;

struct PasswordPolicy {
  size_t min_length = 12;   // in Unicode code points, after NFKC
  size_t max_length = 128;  // at least 64
  uint32_t argon2_memory_kib = 19456;
  uint32_t argon2_iterations = 2;
  uint32_t argon2_parallelism = 1;
  // Word lists of common and breached passwords, one entry per line; lines
  // starting with "#!comment:" are skipped. Defaults come from Debian packages
  // john-data and cracklib-runtime (see docs/policy.md).
  std::vector<std::string> blocklist_paths = {"/usr/share/john/password.lst",
                                              "/usr/share/dict/cracklib-small"};

  bool operator==(const PasswordPolicy&) const = default;
};

struct SessionPolicy {
  std::chrono::seconds idle_timeout{15 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};

  bool operator==(const SessionPolicy&) const = default;
};

struct LockoutPolicy {
  uint32_t throttle_after_failures = 10;    // consecutive failures before 429
  std::chrono::seconds initial_delay{1};    // first back-off; doubles per further failure
  std::chrono::seconds max_delay{15 * 60};  // cap on one back-off
  uint32_t lock_after_failures = 100;       // the account locks (NIST SP 800-63B 5.2.2); <= 100
  uint32_t address_throttle_after_failures = 50;  // per source address, across accounts

  bool operator==(const LockoutPolicy&) const = default;
};

struct TotpPolicy {
  std::string issuer = "authd";
  uint32_t window_steps = 1;  // accept codes this many steps either side of now
  uint32_t digits = 6;        // 6..8
  uint32_t period_seconds = 30;
  std::string algorithm = "SHA1";  // SHA1, SHA256 or SHA512
  uint32_t secret_bytes = 20;      // >= 20
  // An administrator's resynchronisation searches this many steps either
  // side of now for two consecutive codes (1..100).
  uint32_t resync_window_steps = 20;

  bool operator==(const TotpPolicy&) const = default;
};

struct AdminPolicy {
  // Roles allowed to call the administration API.
  std::vector<std::string> admin_roles = {"user_account_administrator", "la_manager",
                                          "central_team"};
  // Roles that may be given to a user at all.
  std::vector<std::string> known_roles = {
      "practitioner",       "manager",    "support_staff", "user_account_administrator",
      "data_administrator", "la_manager", "central_team"};

  bool operator==(const AdminPolicy&) const = default;
};

// The role matrix: for each administrative permission, the roles that hold
// it ([permissions] in the file; each role must be in admin.known_roles).
// Scope rules (own organisation, an LA over its partners, central_team
// everywhere) apply on top; see docs/policy.md.
struct PermissionsPolicy {
  std::vector<std::string> user_read = {"user_account_administrator", "la_manager", "central_team"};
  std::vector<std::string> user_nominate = {"user_account_administrator", "la_manager",
                                            "central_team"};
  std::vector<std::string> user_approve = {"user_account_administrator", "la_manager",
                                           "central_team"};
  std::vector<std::string> user_update = {"user_account_administrator", "la_manager",
                                          "central_team"};
  std::vector<std::string> user_suspend = {"user_account_administrator", "la_manager",
                                           "central_team"};
  std::vector<std::string> user_reactivate = {"user_account_administrator", "la_manager",
                                              "central_team"};
  std::vector<std::string> user_close = {"user_account_administrator", "la_manager",
                                         "central_team"};
  std::vector<std::string> user_unlock = {"user_account_administrator", "la_manager",
                                          "central_team"};
  std::vector<std::string> user_reset_password = {"user_account_administrator", "la_manager",
                                                  "central_team"};
  std::vector<std::string> token_issue = {"user_account_administrator", "la_manager",
                                          "central_team"};
  std::vector<std::string> token_manage = {"user_account_administrator", "la_manager",
                                           "central_team"};
  std::vector<std::string> org_create = {"la_manager", "central_team"};
  std::vector<std::string> org_admin_rights = {"la_manager", "central_team"};
  std::vector<std::string> report_read = {"user_account_administrator", "la_manager",
                                          "central_team"};
  std::vector<std::string> sweep_run = {"la_manager", "central_team"};

  bool operator==(const PermissionsPolicy&) const = default;
};

// Dates and limits of the account and token lifecycle.
struct LifecyclePolicy {
  uint32_t vetting_valid_days = 1095;        // 3 years (guidance 2.7)
  uint32_t vetting_first_warning_days = 60;  // warnings to user and manager
  uint32_t vetting_second_warning_days = 30;
  bool barring_scheme_required = false;  // 2.7: only once the scheme is operational
  uint32_t dormant_after_days = 90;      // no login for this long suspends (4.42)
  uint32_t pending_report_days = 14;     // nominations older than this are reported
  uint32_t temporary_token_days = 10;    // lifetime of a temporary replacement token
  uint32_t max_active_tokens_per_type = 1;
  std::chrono::seconds sweep_interval{3600};  // the scheduler's period

  bool operator==(const LifecyclePolicy&) const = default;
};

struct AuditPolicy {
  // The HSM signs the chain head after this many new entries, or after
  // checkpoint_interval when fewer arrived, whichever comes first.
  uint32_t checkpoint_every_entries = 1000;
  std::chrono::milliseconds checkpoint_interval{1000};

  bool operator==(const AuditPolicy&) const = default;
};

// FIDO2 security keys (WebAuthn). The relying party id and name are daemon
// settings (authd.toml [webauthn]); what a key must prove is policy.
struct WebAuthnPolicy {
  // Roles whose members must log in with a security key: a password + TOTP
  // login by such a user is refused (after both factors were right).
  std::vector<std::string> required_for_roles;
  std::string user_verification = "preferred";  // "required" | "preferred"
  // Attestation statement formats accepted at registration: "packed",
  // "fido-u2f", "none" ("none" proves nothing about the key's make).
  std::vector<std::string> attestation_formats = {"packed", "fido-u2f"};
  // AAGUIDs ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx") of accepted key models;
  // empty: any model.
  std::vector<std::string> aaguids;
  // Absolute paths of PEM files with attestation root certificates; when
  // set, only keys whose attestation chain reaches one of them register.
  std::vector<std::string> attestation_roots;
  // Exact origins (scheme://host[:port]) the browser may report.
  std::vector<std::string> origins = {"https://localhost:8443"};
  uint32_t enrolment_code_hours = 72;        // lifetime of an issued key's enrolment code
  uint32_t challenge_timeout_s = 300;        // a ceremony's challenge expires after this
  std::string resident_key = "discouraged";  // discouraged | preferred | required
  std::string authenticator_attachment = "cross-platform";  // cross-platform | platform | any
  std::string attestation = "direct";                       // none | indirect | direct | enterprise

  bool operator==(const WebAuthnPolicy&) const = default;
};

struct Policy {
  PasswordPolicy password;
  SessionPolicy session;
  LockoutPolicy lockout;
  TotpPolicy totp;
  AdminPolicy admin;
  AuditPolicy audit;
  PermissionsPolicy permissions;
  LifecyclePolicy lifecycle;
  WebAuthnPolicy webauthn;

  bool operator==(const Policy&) const = default;
};

struct LoadResult {
  std::optional<Policy> policy;  // set on success
  std::string error;             // on failure: what is wrong and where (key path, line)
  // On success: settings that are allowed but weaker than production
  // guidance (e.g. Argon2id below the OWASP minimum, which test set-ups use to
  // run fast). The daemon should log each one at start-up.
  std::vector<std::string> warnings;
};

// Parses TOML text. Missing keys take their defaults; unknown keys, wrong
// types and out-of-range values are errors.
LoadResult parse_policy(std::string_view toml_text);

// Reads and parses a file; a missing or unreadable file is an error.
LoadResult load_policy_file(const std::filesystem::path& path);

// The commented default policy file that `authd init` writes. Parsing it
// gives exactly Policy{}.
std::string default_policy_toml();

// Checks a Policy built in code against the same ranges and cross-key rules
// the parser applies. Returns "" when valid, otherwise every problem found
// ("key.path: what is wrong", joined by "; ").
std::string validate(const Policy& policy);

}  // namespace policy
