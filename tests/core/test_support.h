// Shared fixture for core tests: a temporary data directory, a FakeClock on a
// TOTP step boundary, a policy with cheap Argon2id parameters and a tiny
// blocklist, three fresh keys in a real SoftHSM token (reached through a
// FaultInjectingHsm the test can make fail), and helpers that compute TOTP
// codes the way an authenticator app would (from the otpauth URI, with the
// tokens library).
//
// The token: one per test process (hsm allows one softhsm2.conf per process
// at a time), created on first use in its own temporary directory and
// removed at exit; every test generates its own keys in it under random
// labels, so tests do not see each other's keys.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/clock.h"
#include "core/audit_evidence.h"
#include "core/service.h"
#include "hsm/fault_injecting_hsm.h"
#include "hsm/hsm.h"

namespace core::testing {

// The seed inside an otpauth URI, base32-decoded.
std::vector<uint8_t> seed_of(const std::string& otpauth_uri);

// A nomination with every condition of access met on the fake clock's
// start date (so approve_user succeeds).
NewUser nominee(const std::string& username, const std::string& display_name,
                const std::string& organisation, std::vector<std::string> roles,
                const std::string& password);

// The process's SoftHSM token (created on first use), and its config.
std::shared_ptr<hsm::Hsm> shared_token();
const hsm::ModuleConfig& shared_token_config();

// A new key in the shared token under a random label starting with `prefix`.
std::string new_key(hsm::KeyType type, const std::string& prefix);

class CoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::filesystem::path db_path() const { return dir_ / "authd.db"; }
  std::filesystem::path keys_dir() const { return dir_ / "keys"; }
  // The audit keys as exported to keys_dir()/keys.json.
  std::vector<TrustedKey> trusted_keys() const;
  TrailReport verify(const std::filesystem::path& database) const;
  TrailReport verify() const { return verify(db_path()); }
  Config config() const;

  // Initialises the database and opens a Service on it.
  void init_and_open();
  std::unique_ptr<Service> reopen();

  // The current code for a token, after moving the clock to the next step so
  // that a code is never reused by accident.
  std::string next_code(const std::string& otpauth_uri);
  // The code for the current step, without moving the clock.
  std::string code_now(const std::string& otpauth_uri, int step_offset = 0);

  // Logs the bootstrap admin in, changes its password (to admin_password_)
  // and returns a Principal with full rights.
  Principal admin_session();

  // Creates a user (by the admin), issues and activates a TOTP token, and
  // changes its one-time password to `password`. Returns its otpauth URI.
  // The user is nominated (nominee(): every condition met) in
  // `organisation` and approved by `admin` first.
  std::string make_user(const Principal& admin, const std::string& username,
                        const std::string& password,
                        std::vector<std::string> roles = {"practitioner"},
                        const std::string& organisation = "LA-001");

  // Logs a user in with the next code of its token and returns its session.
  Principal session_of(const std::string& username, const std::string& password,
                       const std::string& otpauth_uri);

  Result<LoginGrant> login(const std::string& username, const std::string& password,
                           const std::string& otp, const std::string& address = "192.0.2.1");

  // Runs one SQL statement on the database file directly (as an attacker or
  // operator with the file would).
  void sql(const std::string& statement) const;
  int64_t sql_int(const std::string& query) const;
  std::string sql_text(const std::string& query) const;

  std::filesystem::path dir_;
  std::shared_ptr<hsm::FaultInjectingHsm> hsm_;
  InitialKeys keys_;
  std::shared_ptr<common::FakeClock> clock_;
  policy::Policy policy_;
  BootstrapAdmin bootstrap_;
  std::unique_ptr<Service> service_;
  const std::string admin_password_ = "correct horse battery staple 42";
};

}  // namespace core::testing
