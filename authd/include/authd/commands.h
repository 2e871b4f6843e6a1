// The `authd init` and `authd serve` commands, apart from argument parsing
// (main.cc) so that their behaviour reads in one place.
//
// Both return the process exit status: 0 on success, 1 on any failure, after
// a clear message on stderr naming the file or step that failed. Neither
// writes a secret to stderr.
//
// Thread safety: run from the main thread of the process, one at a time.
#pragma once

#include <filesystem>
#include <string>

namespace authd {

struct InitOptions {
  std::filesystem::path data_dir;
  // An operator's own TLS pair; both empty: generate a self-signed one.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;

  // An existing token instead of a new SoftHSM token under DIR/hsm: module,
  // token URI and PIN file together (all empty: a new SoftHSM token). The PIN
  // file is referenced by its absolute path, never copied. softhsm2_conf is
  // for an existing SoftHSM token only.
  std::string hsm_module;
  std::string hsm_token;
  std::filesystem::path hsm_pin_file;
  std::filesystem::path hsm_softhsm2_conf;
  // Existing keys in that token, as PKCS#11 URIs: all three or none (none:
  // generated in the token). Each must be of the right type, sensitive and not
  // extractable.
  std::string audit_key;
  std::string assertion_key;
  std::string wrap_key;
};

// Creates DIR (0700) with policy.toml, tls/cert.pem and tls/key.pem (0600),
// hsm/ (a SoftHSM token with its PINs, 0700/0600) unless an existing token is
// given, the audit, assertion and wrapping keys in the token unless given,
// keys/ (public keys, 0755/0644), authd.toml and authd.db with the bootstrap
// administrator, then prints exactly one JSON object, {"username",
// "password", "otpauth_uri"}, and a newline on stdout. Refuses, changing
// nothing, when DIR exists and is not an empty directory. On any later failure
// removes everything it created under DIR (keys it generated in an existing
// token stay there: PKCS#11 gives this interface no delete).
int run_init(const InitOptions& options);

struct ServeOptions {
  std::filesystem::path data_dir;
  std::string listen;    // HOST:PORT overriding authd.toml; empty: as configured
  unsigned threads = 0;  // I/O threads; 0: hardware concurrency
};

// Loads DIR/authd.toml, DIR/policy.toml (logging its warnings), opens the HSM
// token and the database (refusing, with a message naming it, a missing
// module, PIN file, token or key), binds, prints "listening on HOST:PORT" (the
// real port) on stdout once accepting, and serves until SIGTERM or SIGINT;
// then stops accepting, finishes requests in flight (at most 10 s), makes a
// final audit checkpoint and returns 0.
int run_serve(const ServeOptions& options);

struct UpgradeOptions {
  std::filesystem::path data_dir;
};

// Brings a data directory made before HSM support (authd.toml without an
// [hsm] table) up to date, while authd is stopped: creates the SoftHSM token
// in DIR/hsm with the three keys, records them in the database (audited as
// key.add by authd-upgrade), exports the public keys to DIR/keys, wraps every
// stored TOTP seed, signs the trail and appends [hsm] to authd.toml. Refuses,
// changing nothing, when authd.toml already has [hsm] or DIR/hsm exists; on a
// later failure removes the token and leaves authd.toml as it was.
int run_upgrade(const UpgradeOptions& options);

}  // namespace authd
