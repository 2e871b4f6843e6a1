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
};

// Creates DIR (0700) with policy.toml, tls/cert.pem and tls/key.pem (0600),
// authd.toml and authd.db with the bootstrap administrator, then prints exactly
// one JSON object, {"username", "password", "otpauth_uri"}, and a newline on
// stdout. Refuses, changing nothing, when DIR exists and is not an empty
// directory. On any later failure removes everything it created.
int run_init(const InitOptions& options);

struct ServeOptions {
  std::filesystem::path data_dir;
  std::string listen;    // HOST:PORT overriding authd.toml; empty: as configured
  unsigned threads = 0;  // I/O threads; 0: hardware concurrency
};

// Loads DIR/authd.toml, DIR/policy.toml and the database, binds, prints
// "listening on HOST:PORT" (the real port) on stdout once accepting, and
// serves until SIGTERM or SIGINT; then stops accepting, finishes requests in
// flight (at most 10 s) and returns 0.
int run_serve(const ServeOptions& options);

}  // namespace authd
