// The policy key table. Ranges are explained, with their sources, in
// docs/policy.md; keep the two in step.
#include "keys.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <set>

namespace policy::detail {
namespace {

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

std::string check_issuer(const std::string& issuer) {
  if (issuer.empty() || issuer.size() > 64) return "must be 1 to 64 bytes long";
  if (has_control_character(issuer)) return "must not contain control characters";
  // The otpauth label is "ISSUER:USER"; a colon in the issuer would make it ambiguous.
  if (issuer.find(':') != std::string::npos) return "must not contain ':'";
  return {};
}

std::string check_algorithm(const std::string& algorithm) {
  if (algorithm == "SHA1" || algorithm == "SHA256" || algorithm == "SHA512") return {};
  return "must be \"SHA1\", \"SHA256\" or \"SHA512\"";
}

std::string check_no_duplicates(const std::vector<std::string>& items) {
  std::set<std::string_view> seen;
  for (const auto& item : items) {
    if (!seen.insert(item).second) return "lists \"" + item + "\" twice";
  }
  return {};
}

std::string check_blocklist_paths(const std::vector<std::string>& paths) {
  // NIST SP 800-63B 5.1.1.2: verifiers SHALL compare new passwords against a
  // list of common or compromised values, so an empty list is refused.
  if (paths.empty() || paths.size() > 16) return "must list 1 to 16 files";
  for (const auto& path : paths) {
    if (path.empty() || path.find('\0') != std::string::npos || has_control_character(path)) {
      return "contains an empty path or one with control characters";
    }
    // A relative path would depend on the daemon's working directory.
    if (!std::filesystem::path(path).is_absolute()) return "\"" + path + "\" is not absolute";
  }
  return check_no_duplicates(paths);
}

bool is_role_name(std::string_view role) {
  if (role.empty() || role.size() > 64) return false;
  if (role.front() < 'a' || role.front() > 'z') return false;
  return std::all_of(role.begin(), role.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string check_roles(const std::vector<std::string>& roles) {
  if (roles.empty() || roles.size() > 64) return "must list 1 to 64 roles";
  for (const auto& role : roles) {
    if (!is_role_name(role)) {
      return "role names are 1 to 64 characters of a-z, 0-9 and '_', starting with a letter";
    }
  }
  return check_no_duplicates(roles);
}

// A permission may be held by no role at all (the operation is then
// switched off); each role named must be a well-formed role name.
std::string check_permission_roles(const std::vector<std::string>& roles) {
  if (roles.size() > 64) return "must list at most 64 roles";
  for (const auto& role : roles) {
    if (!is_role_name(role)) {
      return "role names are 1 to 64 characters of a-z, 0-9 and '_', starting with a letter";
    }
  }
  return check_no_duplicates(roles);
}

std::string one_of(const std::string& value, std::initializer_list<std::string_view> allowed) {
  std::string names;
  for (std::string_view name : allowed) {
    if (value == name) return {};
    names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  return "must be one of " + names;
}

std::string check_user_verification(const std::string& value) {
  return one_of(value, {"required", "preferred"});
}
std::string check_resident_key(const std::string& value) {
  return one_of(value, {"discouraged", "preferred", "required"});
}
std::string check_attachment(const std::string& value) {
  return one_of(value, {"cross-platform", "platform", "any"});
}
std::string check_conveyance(const std::string& value) {
  return one_of(value, {"none", "indirect", "direct", "enterprise"});
}

std::string check_attestation_formats(const std::vector<std::string>& formats) {
  if (formats.empty()) return "must list at least one format";
  for (const auto& format : formats) {
    if (auto wrong = one_of(format, {"packed", "fido-u2f", "none"}); !wrong.empty()) {
      return "\"" + format + "\": each " + wrong;
    }
  }
  return check_no_duplicates(formats);
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string check_aaguids(const std::vector<std::string>& aaguids) {
  if (aaguids.size() > 1000) return "must list at most 1000 AAGUIDs";
  for (const auto& aaguid : aaguids) {
    bool ok = aaguid.size() == 36;
    for (size_t i = 0; ok && i < aaguid.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      ok = dash ? aaguid[i] == '-' : is_hex(aaguid[i]);
    }
    if (!ok) return "\"" + aaguid + "\" is not an AAGUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
  }
  return check_no_duplicates(aaguids);
}

std::string check_root_paths(const std::vector<std::string>& paths) {
  if (paths.size() > 64) return "must list at most 64 files";
  for (const auto& path : paths) {
    if (path.empty() || has_control_character(path)) {
      return "contains an empty path or one with control characters";
    }
    if (!std::filesystem::path(path).is_absolute()) return "\"" + path + "\" is not absolute";
  }
  return check_no_duplicates(paths);
}

// scheme://host[:port] with no path, query or user info: the exact form
// clientDataJSON.origin takes. http only for localhost (WebAuthn allows no
// other insecure origin).
std::string check_origins(const std::vector<std::string>& origins) {
  if (origins.empty() || origins.size() > 64) return "must list 1 to 64 origins";
  for (const auto& origin : origins) {
    const bool https = origin.rfind("https://", 0) == 0;
    const bool http = origin.rfind("http://localhost", 0) == 0;
    const size_t host_at = https ? 8 : 7;
    const bool shaped = (https || http) && origin.size() > host_at && origin.size() <= 253 &&
                        origin.find_first_of("/?#@ \\", host_at) == std::string::npos &&
                        !has_control_character(origin) && origin.back() != ':';
    if (!shaped) {
      return "\"" + origin + "\" is not an origin like https://authd.example.org[:port]";
    }
  }
  return check_no_duplicates(origins);
}

template <std::vector<std::string> WebAuthnPolicy::*Member>
Key webauthn_list(std::string_view name, std::string (*check)(const std::vector<std::string>&),
                  std::string_view comment) {
  return Key{
      "webauthn", name,
      StringListKey{
          [](const Policy& p) -> const std::vector<std::string>& { return p.webauthn.*Member; },
          [](Policy& p, std::vector<std::string> v) { p.webauthn.*Member = std::move(v); }, check},
      comment};
}

template <uint32_t WebAuthnPolicy::*Member>
Key webauthn_number(std::string_view name, int64_t min, int64_t max, std::string_view comment) {
  return Key{"webauthn", name,
             IntegerKey{min, max,
                        [](const Policy& p) { return static_cast<int64_t>(p.webauthn.*Member); },
                        [](Policy& p, int64_t v) { p.webauthn.*Member = static_cast<uint32_t>(v); }},
             comment};
}

template <std::string WebAuthnPolicy::*Member>
Key webauthn_choice(std::string_view name, std::string (*check)(const std::string&),
                    std::string_view comment) {
  return Key{"webauthn", name,
             StringKey{[](const Policy& p) -> const std::string& { return p.webauthn.*Member; },
                       [](Policy& p, std::string v) { p.webauthn.*Member = std::move(v); }, check},
             comment};
}

int64_t seconds_of(std::chrono::seconds s) { return static_cast<int64_t>(s.count()); }

// The permission keys need a pointer-to-member per key, which a captureless
// lambda cannot carry; one function per key keeps the table plain data.
template <std::vector<std::string> PermissionsPolicy::*Member>
const std::vector<std::string>& get_permission(const Policy& p) {
  return p.permissions.*Member;
}
template <std::vector<std::string> PermissionsPolicy::*Member>
void set_permission(Policy& p, std::vector<std::string> v) {
  p.permissions.*Member = std::move(v);
}

template <std::vector<std::string> PermissionsPolicy::*Member>
Key permission(std::string_view name, std::string_view comment) {
  return Key{"permissions", name,
             StringListKey{get_permission<Member>, set_permission<Member>,
                           check_permission_roles},
             comment};
}

template <uint32_t LifecyclePolicy::*Member>
Key lifecycle_days(std::string_view name, int64_t min, int64_t max, std::string_view comment) {
  return Key{"lifecycle", name,
             IntegerKey{min, max,
                        [](const Policy& p) { return static_cast<int64_t>(p.lifecycle.*Member); },
                        [](Policy& p, int64_t v) {
                          p.lifecycle.*Member = static_cast<uint32_t>(v);
                        }},
             comment};
}

}  // namespace

const std::vector<Section>& sections() {
  static const std::vector<Section> table = {
      {"password", "Passwords (NIST SP 800-63B 5.1.1): length, blocklist and Argon2id cost."},
      {"session", "Sessions (NIST SP 800-63B 4.2.3, AAL2): idle and absolute lifetime."},
      {"lockout",
       "Online guessing (NIST SP 800-63B 5.2.2): throttling with exponential back-off,\n"
       "then a lock."},
      {"totp", "TOTP tokens (RFC 6238) issued to users."},
      {"admin",
       "Roles (guidance 2.6, 4.25-4.33): who may use the administration API, and which\n"
       "roles exist at all."},
      {"audit",
       "Signed audit checkpoints: how often the HSM signs the head of the audit chain.\n"
       "Entries after the last checkpoint are the unsigned tail."},
      {"permissions",
       "The role matrix (guidance 4.25-4.33): for each administrative permission, the\n"
       "roles that hold it. Every role must be in admin.known_roles; an empty list\n"
       "switches the operation off. Organisation scope applies on top: a partner's\n"
       "administrators act on their own organisation only (while its rights are\n"
       "granted), a local authority's on itself and its partners, central_team\n"
       "everywhere."},
      {"lifecycle",
       "Account and token lifecycle (guidance 2.6-2.9, 4.29-4.42): vetting expiry and\n"
       "its warnings, dormant accounts, pending nominations, temporary tokens, and how\n"
       "often the automatic rules run."},
      {"webauthn",
       "FIDO2 security keys (WebAuthn): who must use one, what a key must prove at\n"
       "registration, and the origins a browser may report. The relying party id and\n"
       "name are set in authd.toml [webauthn]."},
  };
  return table;
}

const std::vector<Key>& keys() {
  static const std::vector<Key> table = {
      // [password]
      {"password", "min_length",
       IntegerKey{8, 1024,
                  [](const Policy& p) { return static_cast<int64_t>(p.password.min_length); },
                  [](Policy& p, int64_t v) { p.password.min_length = static_cast<size_t>(v); }},
       "Fewest Unicode code points (after NFKC) a password may have.\n"
       "NIST allows 8; 12 keeps offline guessing of a stolen hash expensive."},
      {"password", "max_length",
       IntegerKey{64, 4096,
                  [](const Policy& p) { return static_cast<int64_t>(p.password.max_length); },
                  [](Policy& p, int64_t v) { p.password.max_length = static_cast<size_t>(v); }},
       "Most code points accepted. NIST requires at least 64 (passphrases)."},
      {"password", "argon2_memory_kib",
       IntegerKey{
           1024, kMaxArgon2MemoryKib,
           [](const Policy& p) { return static_cast<int64_t>(p.password.argon2_memory_kib); },
           [](Policy& p, int64_t v) { p.password.argon2_memory_kib = static_cast<uint32_t>(v); }},
       "Argon2id memory per hash in KiB. 19456 with 2 iterations is the OWASP minimum;\n"
       "lower values are accepted for tests only and produce a start-up warning."},
      {"password", "argon2_iterations",
       IntegerKey{
           1, kMaxArgon2Iterations,
           [](const Policy& p) { return static_cast<int64_t>(p.password.argon2_iterations); },
           [](Policy& p, int64_t v) { p.password.argon2_iterations = static_cast<uint32_t>(v); }},
       "Argon2id passes over memory (t)."},
      {"password", "argon2_parallelism",
       IntegerKey{
           1, kMaxArgon2Parallelism,
           [](const Policy& p) { return static_cast<int64_t>(p.password.argon2_parallelism); },
           [](Policy& p, int64_t v) { p.password.argon2_parallelism = static_cast<uint32_t>(v); }},
       "Argon2id lanes (p). Existing hashes keep the cost they were made with."},
      {"password", "blocklist_paths",
       StringListKey{
           [](const Policy& p) -> const std::vector<std::string>& {
             return p.password.blocklist_paths;
           },
           [](Policy& p, std::vector<std::string> v) { p.password.blocklist_paths = std::move(v); },
           check_blocklist_paths},
       "Absolute paths of word lists of common and breached passwords, one per line\n"
       "(lines starting \"#!comment:\" are skipped). Compared case-insensitively.\n"
       "john-data: Openwall's password.lst; cracklib-runtime: a 54k-word dictionary."},
      // [session]
      {"session", "idle_timeout_s",
       IntegerKey{1, 1800, [](const Policy& p) { return seconds_of(p.session.idle_timeout); },
                  [](Policy& p, int64_t v) { p.session.idle_timeout = std::chrono::seconds(v); }},
       "Seconds without a request after which a session ends. Users must never leave\n"
       "the system logged in when away from their desk (guidance 2.3)."},
      {"session", "absolute_timeout_s",
       IntegerKey{
           1, 43200, [](const Policy& p) { return seconds_of(p.session.absolute_timeout); },
           [](Policy& p, int64_t v) { p.session.absolute_timeout = std::chrono::seconds(v); }},
       "Seconds after login at which a session ends however busy it is (at most 12 h)."},
      // [lockout]
      {"lockout", "throttle_after_failures",
       IntegerKey{
           1, 99,
           [](const Policy& p) { return static_cast<int64_t>(p.lockout.throttle_after_failures); },
           [](Policy& p, int64_t v) {
             p.lockout.throttle_after_failures = static_cast<uint32_t>(v);
           }},
       "Consecutive failed logins on one account before further attempts are delayed\n"
       "(HTTP 429 with Retry-After). Must be below lock_after_failures."},
      {"lockout", "initial_delay_s",
       IntegerKey{1, 3600, [](const Policy& p) { return seconds_of(p.lockout.initial_delay); },
                  [](Policy& p, int64_t v) { p.lockout.initial_delay = std::chrono::seconds(v); }},
       "First delay in seconds; it doubles with every further failure."},
      {"lockout", "max_delay_s",
       IntegerKey{1, 86400, [](const Policy& p) { return seconds_of(p.lockout.max_delay); },
                  [](Policy& p, int64_t v) { p.lockout.max_delay = std::chrono::seconds(v); }},
       "Longest single delay in seconds."},
      {"lockout", "lock_after_failures",
       IntegerKey{
           1, 100,
           [](const Policy& p) { return static_cast<int64_t>(p.lockout.lock_after_failures); },
           [](Policy& p, int64_t v) { p.lockout.lock_after_failures = static_cast<uint32_t>(v); }},
       "Consecutive failures after which the account is locked and further logins are\n"
       "refused. NIST SP 800-63B 5.2.2 allows at most 100."},
      {"lockout", "address_throttle_after_failures",
       IntegerKey{1, 100000,
                  [](const Policy& p) {
                    return static_cast<int64_t>(p.lockout.address_throttle_after_failures);
                  },
                  [](Policy& p, int64_t v) {
                    p.lockout.address_throttle_after_failures = static_cast<uint32_t>(v);
                  }},
       "Consecutive failures from one source address, across all accounts, before\n"
       "that address is delayed (slows password spraying)."},
      // [totp]
      {"totp", "issuer",
       StringKey{[](const Policy& p) -> const std::string& { return p.totp.issuer; },
                 [](Policy& p, std::string v) { p.totp.issuer = std::move(v); }, check_issuer},
       "Name shown in authenticator apps; no ':' (it separates issuer and user)."},
      {"totp", "window_steps",
       IntegerKey{0, 10, [](const Policy& p) { return static_cast<int64_t>(p.totp.window_steps); },
                  [](Policy& p, int64_t v) { p.totp.window_steps = static_cast<uint32_t>(v); }},
       "Time steps accepted either side of now, for clock drift (RFC 6238 5.2)."},
      {"totp", "digits",
       IntegerKey{6, 8, [](const Policy& p) { return static_cast<int64_t>(p.totp.digits); },
                  [](Policy& p, int64_t v) { p.totp.digits = static_cast<uint32_t>(v); }},
       "Digits per code."},
      {"totp", "period_seconds",
       IntegerKey{15, 120,
                  [](const Policy& p) { return static_cast<int64_t>(p.totp.period_seconds); },
                  [](Policy& p, int64_t v) { p.totp.period_seconds = static_cast<uint32_t>(v); }},
       "Seconds per time step. Many authenticator apps support only 30."},
      {"totp", "algorithm",
       StringKey{[](const Policy& p) -> const std::string& { return p.totp.algorithm; },
                 [](Policy& p, std::string v) { p.totp.algorithm = std::move(v); },
                 check_algorithm},
       "HMAC hash: \"SHA1\", \"SHA256\" or \"SHA512\". Many apps support only SHA1."},
      {"totp", "secret_bytes",
       IntegerKey{20, 64, [](const Policy& p) { return static_cast<int64_t>(p.totp.secret_bytes); },
                  [](Policy& p, int64_t v) { p.totp.secret_bytes = static_cast<uint32_t>(v); }},
       "Length of each new TOTP secret in bytes (RFC 4226 recommends 20)."},
      {"totp", "resync_window_steps",
       IntegerKey{
           1, 100, [](const Policy& p) { return static_cast<int64_t>(p.totp.resync_window_steps); },
           [](Policy& p, int64_t v) { p.totp.resync_window_steps = static_cast<uint32_t>(v); }},
       "Steps either side of now an administrator's resynchronisation searches for\n"
       "two consecutive codes (a token whose clock ran off further needs replacing)."},
      // [admin]
      {"admin", "admin_roles",
       StringListKey{
           [](const Policy& p) -> const std::vector<std::string>& { return p.admin.admin_roles; },
           [](Policy& p, std::vector<std::string> v) { p.admin.admin_roles = std::move(v); },
           check_roles},
       "Roles allowed to use the administration API; each must be in known_roles."},
      {"admin", "known_roles",
       StringListKey{
           [](const Policy& p) -> const std::vector<std::string>& { return p.admin.known_roles; },
           [](Policy& p, std::vector<std::string> v) { p.admin.known_roles = std::move(v); },
           check_roles},
       "Every role a user may be given."},
      // [audit]
      {"audit", "checkpoint_every_entries",
       IntegerKey{
           1, 1000000,
           [](const Policy& p) { return static_cast<int64_t>(p.audit.checkpoint_every_entries); },
           [](Policy& p, int64_t v) {
             p.audit.checkpoint_every_entries = static_cast<uint32_t>(v);
           }},
       "Sign a checkpoint after this many new audit entries."},
      {"audit", "checkpoint_interval_ms",
       IntegerKey{10, 3600000,
                  [](const Policy& p) {
                    return static_cast<int64_t>(p.audit.checkpoint_interval.count());
                  },
                  [](Policy& p, int64_t v) {
                    p.audit.checkpoint_interval = std::chrono::milliseconds(v);
                  }},
       "...or after this many milliseconds when there are unsigned entries, whichever\n"
       "comes first. Bounds how long an entry can stay unsigned (and so be cut or\n"
       "rewritten undetected by someone holding the database file)."},
      // [permissions]
      permission<&PermissionsPolicy::user_read>("user_read", "Read accounts (GET /v1/users/NAME)."),
      permission<&PermissionsPolicy::user_nominate>("user_nominate",
                                                    "Nominate a new account (state nominated)."),
      permission<&PermissionsPolicy::user_approve>(
          "user_approve",
          "Approve or reject a nomination; clear an access review. Partners'\n"
          "administrators never approve, whatever this says (guidance 4.31)."),
      permission<&PermissionsPolicy::user_update>(
          "user_update", "Change account details and record conditions of access."),
      permission<&PermissionsPolicy::user_suspend>(
          "user_suspend", "Suspend an account (ends its sessions at once)."),
      permission<&PermissionsPolicy::user_reactivate>("user_reactivate",
                                                      "Reactivate a suspended account."),
      permission<&PermissionsPolicy::user_close>("user_close",
                                                 "Close an account for good (tokens revoked)."),
      permission<&PermissionsPolicy::user_unlock>("user_unlock",
                                                  "Clear a lockout after repeated failed logins."),
      permission<&PermissionsPolicy::user_reset_password>("user_reset_password",
                                                          "Set a one-time password."),
      permission<&PermissionsPolicy::token_issue>("token_issue",
                                                  "Issue tokens, temporary replacements included."),
      permission<&PermissionsPolicy::token_manage>(
          "token_manage", "Report a token lost for its holder, revoke, record its return, resync."),
      permission<&PermissionsPolicy::org_create>(
          "org_create", "Create organisations (a local authority: partners under itself)."),
      permission<&PermissionsPolicy::org_admin_rights>(
          "org_admin_rights", "Grant, suspend or remove a partner's own account administration."),
      permission<&PermissionsPolicy::report_read>(
          "report_read", "Read reports (dormant, tokens, pending, reviews) and the outbox."),
      permission<&PermissionsPolicy::sweep_run>(
          "sweep_run", "Run the automatic rules on demand (authctl sweep)."),
      // [lifecycle]
      lifecycle_days<&LifecyclePolicy::vetting_valid_days>(
          "vetting_valid_days", 30, 1095,
          "Days an enhanced vetting disclosure counts for, from its issue date. The\n"
          "guidance requires one less than 3 years old (2.7), so at most 1095."),
      lifecycle_days<&LifecyclePolicy::vetting_first_warning_days>(
          "vetting_first_warning_days", 2, 365,
          "Days before the disclosure stops counting that the user and staff manager\n"
          "are first warned. Must exceed the second warning and be below\n"
          "vetting_valid_days."),
      lifecycle_days<&LifecyclePolicy::vetting_second_warning_days>(
          "vetting_second_warning_days", 1, 364,
          "Days before expiry of the second (last) warning."),
      {"lifecycle", "barring_scheme_required",
       BoolKey{[](const Policy& p) { return p.lifecycle.barring_scheme_required; },
               [](Policy& p, bool v) { p.lifecycle.barring_scheme_required = v; }},
       "Whether membership of the barring scheme is a condition of access (guidance\n"
       "2.7: only once the scheme is operational and teams have been told)."},
      lifecycle_days<&LifecyclePolicy::dormant_after_days>(
          "dormant_after_days", 7, 3650,
          "Days without a login after which an active account is suspended for\n"
          "prolonged inactivity (guidance 4.36, 4.42)."),
      lifecycle_days<&LifecyclePolicy::pending_report_days>(
          "pending_report_days", 1, 365,
          "Days a nomination may wait for approval before it is reported."),
      lifecycle_days<&LifecyclePolicy::temporary_token_days>(
          "temporary_token_days", 1, 90,
          "Lifetime in days of a temporary replacement for a lost token."),
      lifecycle_days<&LifecyclePolicy::max_active_tokens_per_type>(
          "max_active_tokens_per_type", 1, 10,
          "Active tokens of one type a user may hold at once."),
      {"lifecycle", "sweep_interval_s",
       IntegerKey{
           60, 86400, [](const Policy& p) { return seconds_of(p.lifecycle.sweep_interval); },
           [](Policy& p, int64_t v) { p.lifecycle.sweep_interval = std::chrono::seconds(v); }},
       "Seconds between runs of the automatic rules inside authd."},
      // [webauthn]
      webauthn_list<&WebAuthnPolicy::required_for_roles>(
          "required_for_roles", check_permission_roles,
          "Roles whose members must log in with a security key (NIST AAL3); their\n"
          "password + TOTP logins are refused. Each role must be in admin.known_roles."),
      webauthn_choice<&WebAuthnPolicy::user_verification>(
          "user_verification", check_user_verification,
          "\"required\": the key must verify the user (PIN or biometric) at every\n"
          "registration and login; \"preferred\": asked for, not demanded."),
      webauthn_list<&WebAuthnPolicy::attestation_formats>(
          "attestation_formats", check_attestation_formats,
          "Attestation statement formats accepted at registration: \"packed\",\n"
          "\"fido-u2f\", \"none\" (none proves nothing about the key's make or model)."),
      webauthn_list<&WebAuthnPolicy::aaguids>(
          "aaguids", check_aaguids,
          "AAGUIDs of the key models that may register; empty: any model. Needs\n"
          "attestation_roots (otherwise it is only the key's claim). U2F keys report\n"
          "00000000-0000-0000-0000-000000000000."),
      webauthn_list<&WebAuthnPolicy::attestation_roots>(
          "attestation_roots", check_root_paths,
          "Absolute paths of PEM files holding attestation root certificates (the\n"
          "makers' CAs). When set, a key registers only if its attestation chain reaches\n"
          "one of them; self and none attestation are then refused."),
      webauthn_list<&WebAuthnPolicy::origins>(
          "origins", check_origins,
          "Exact origins the browser may report in clientDataJSON, e.g.\n"
          "\"https://authd.example.org\" (with :port when not 443). Each must be the\n"
          "relying party id or a subdomain of it."),
      webauthn_number<&WebAuthnPolicy::enrolment_code_hours>(
          "enrolment_code_hours", 1, 720,
          "Hours the one-time enrolment code of an issued security key stays valid."),
      webauthn_number<&WebAuthnPolicy::challenge_timeout_s>(
          "challenge_timeout_s", 30, 600,
          "Seconds a registration or login challenge stays valid (single use)."),
      webauthn_choice<&WebAuthnPolicy::resident_key>(
          "resident_key", check_resident_key,
          "authenticatorSelection.residentKey asked for at registration: \"discouraged\"\n"
          "keeps no account data on the key (usernames are typed at login)."),
      webauthn_choice<&WebAuthnPolicy::authenticator_attachment>(
          "authenticator_attachment", check_attachment,
          "\"cross-platform\": a physical key (USB/NFC), as the guidance's security token;\n"
          "\"platform\": one built into the device; \"any\": either."),
      webauthn_choice<&WebAuthnPolicy::attestation>(
          "attestation", check_conveyance,
          "Attestation conveyance asked for at registration. \"direct\" is needed for\n"
          "attestation_roots and aaguids to mean anything."),
  };
  return table;
}

std::string check_key(const Key& key, const Policy& policy) {
  if (const auto* integer = std::get_if<IntegerKey>(&key.kind)) {
    const int64_t value = integer->get(policy);
    if (value < integer->min || value > integer->max) {
      return "must be between " + std::to_string(integer->min) + " and " +
             std::to_string(integer->max) + ", got " + std::to_string(value);
    }
    return {};
  }
  if (const auto* text = std::get_if<StringKey>(&key.kind)) return text->check(text->get(policy));
  if (std::holds_alternative<BoolKey>(key.kind)) return {};
  const auto& list = std::get<StringListKey>(key.kind);
  return list.check(list.get(policy));
}

std::vector<Problem> cross_key_problems(const Policy& policy) {
  std::vector<Problem> problems;
  const auto& pw = policy.password;
  if (pw.min_length > pw.max_length) {
    problems.push_back({"password.min_length", "must not exceed password.max_length (" +
                                                   std::to_string(pw.max_length) + ")"});
  }
  const auto& session = policy.session;
  if (session.idle_timeout > session.absolute_timeout) {
    problems.push_back(
        {"session.idle_timeout_s", "must not exceed session.absolute_timeout_s (" +
                                       std::to_string(session.absolute_timeout.count()) + ")"});
  }
  const auto& lockout = policy.lockout;
  if (lockout.throttle_after_failures >= lockout.lock_after_failures) {
    problems.push_back(
        {"lockout.throttle_after_failures", "must be below lockout.lock_after_failures (" +
                                                std::to_string(lockout.lock_after_failures) + ")"});
  }
  if (lockout.initial_delay > lockout.max_delay) {
    problems.push_back({"lockout.initial_delay_s", "must not exceed lockout.max_delay_s (" +
                                                       std::to_string(lockout.max_delay.count()) +
                                                       ")"});
  }
  const auto& admin = policy.admin;
  for (const auto& role : admin.admin_roles) {
    if (std::find(admin.known_roles.begin(), admin.known_roles.end(), role) ==
        admin.known_roles.end()) {
      problems.push_back({"admin.admin_roles", "\"" + role + "\" is not in admin.known_roles"});
    }
  }
  for (const auto& key : keys()) {
    if (key.section != "permissions") continue;
    for (const auto& role : std::get<StringListKey>(key.kind).get(policy)) {
      if (std::find(admin.known_roles.begin(), admin.known_roles.end(), role) ==
          admin.known_roles.end()) {
        problems.push_back({key.path(), "\"" + role + "\" is not in admin.known_roles"});
      }
    }
  }
  const auto& life = policy.lifecycle;
  if (life.vetting_second_warning_days >= life.vetting_first_warning_days) {
    problems.push_back({"lifecycle.vetting_second_warning_days",
                        "must be below lifecycle.vetting_first_warning_days (" +
                            std::to_string(life.vetting_first_warning_days) + ")"});
  }
  if (life.vetting_first_warning_days >= life.vetting_valid_days) {
    problems.push_back({"lifecycle.vetting_first_warning_days",
                        "must be below lifecycle.vetting_valid_days (" +
                            std::to_string(life.vetting_valid_days) + ")"});
  }
  for (const auto& role : policy.webauthn.required_for_roles) {
    if (std::find(admin.known_roles.begin(), admin.known_roles.end(), role) ==
        admin.known_roles.end()) {
      problems.push_back(
          {"webauthn.required_for_roles", "\"" + role + "\" is not in admin.known_roles"});
    }
  }
  const auto& formats = policy.webauthn.attestation_formats;
  if (!policy.webauthn.attestation_roots.empty() &&
      std::find(formats.begin(), formats.end(), "none") != formats.end()) {
    problems.push_back({"webauthn.attestation_formats",
                        "must not list \"none\" while webauthn.attestation_roots is set"});
  }
  // Without a chain to a maker's root the AAGUID is only what the key says
  // of itself: any software key can claim an allowed model.
  if (!policy.webauthn.aaguids.empty() && policy.webauthn.attestation_roots.empty()) {
    problems.push_back({"webauthn.aaguids",
                        "needs webauthn.attestation_roots: without a verified "
                        "attestation chain an AAGUID is only the key's claim"});
  }
  return problems;
}

std::vector<std::string> weaker_than_recommended(const Policy& policy) {
  // OWASP Password Storage Cheat Sheet: equivalent minimum Argon2id settings
  // (memory KiB, iterations) at p=1. Meeting any one row is enough.
  struct Floor {
    uint32_t memory_kib;
    uint32_t iterations;
  };
  static constexpr Floor kOwaspFloors[] = {
      {47104, 1}, {19456, 2}, {12288, 3}, {9216, 4}, {7168, 5}};
  const auto& pw = policy.password;
  const bool meets = std::any_of(std::begin(kOwaspFloors), std::end(kOwaspFloors), [&](Floor f) {
    return pw.argon2_memory_kib >= f.memory_kib && pw.argon2_iterations >= f.iterations;
  });
  std::vector<std::string> warnings;
  if (!meets) {
    warnings.push_back("password.argon2_memory_kib=" + std::to_string(pw.argon2_memory_kib) +
                       " with argon2_iterations=" + std::to_string(pw.argon2_iterations) +
                       " is below the OWASP minimum (19456 KiB, 2 iterations); use it for tests "
                       "only");
  }
  return warnings;
}

}  // namespace policy::detail
