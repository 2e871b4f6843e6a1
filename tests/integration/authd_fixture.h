// The integration test fixture: a fresh data directory made by the real
// `authd init`, the real `authd serve` on an ephemeral loopback port, and an
// HTTPS client that trusts the daemon's self-signed certificate.
//
// TOTP codes come from the `oathtool` command. Each token accepts a time step
// at most once and only steps later than the last accepted one, so OtpSource
// hands out codes for rising steps inside the policy window instead of
// sleeping until the next 30-second step.
//
// Thread safety: one fixture per test, used from the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.h"
#include "provisioning/https_client.h"

namespace integration {

std::filesystem::path authd_binary();
std::filesystem::path authctl_binary();

// The base32 secret in an otpauth:// URI ("" when absent).
std::string secret_from_otpauth(const std::string& uri);

// The TOTP code oathtool computes for `step` (30-second steps, SHA1, 6 digits).
std::string oathtool_code(const std::string& base32_secret, int64_t step);

int64_t current_step();

// The calendar date `days` before today (UTC) as "YYYY-MM-DD".
std::string date_days_ago(int days);
// Evidence meeting every condition of access today (POST /v1/users "conditions").
nlohmann::json met_conditions();
// The body of POST /v1/users for a practitioner-like nominee in LA-001 with
// an email, a staff manager (manager.USERNAME@example.org) and every
// condition of access met.
nlohmann::json nomination(const std::string& username, const std::string& password,
                          const std::vector<std::string>& roles);

// Codes for one token, for steps that the server has not seen yet.
class OtpSource {
 public:
  OtpSource(std::string base32_secret, int window_steps)
      : secret_(std::move(base32_secret)), window_(window_steps) {}

  // The code for the lowest step after every step handed out so far that the
  // server accepts now, allowing for the clock ticking over before the server
  // looks at it. Waits for the next step only if the window is used up.
  std::string next();
  // The code most recently handed out (a replay once the server accepted it).
  std::string last() const { return last_code_; }
  // Six digits that match no step near now.
  std::string wrong() const;
  const std::string& secret() const { return secret_; }

 private:
  std::string secret_;
  int window_;
  int64_t last_step_ = -1;
  std::string last_code_;
};

struct ApiResponse {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  nlohmann::json json;  // the parsed body; null when it is not JSON

  std::string header(const std::string& lower_case_name) const;
  std::string error() const;  // json["error"] or ""
};

// Policy tables that replace the data directory's policy.toml, e.g.
// {{"session", {{"idle_timeout_s", "3"}}}}; values are TOML literals.
using PolicyTables = std::map<std::string, std::map<std::string, std::string>>;

struct TestUser {
  std::string username;
  std::string password;
  std::string token_id;
  std::unique_ptr<OtpSource> otp;
};

class AuthdTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Replaces policy.toml with a fast test policy (Argon2id m=1024 KiB, t=1,
  // TOTP window 2) plus `overrides`. Call before start().
  void use_test_policy(const PolicyTables& overrides = {});
  // Like use_test_policy but keeps the production Argon2id parameters.
  void use_policy(const PolicyTables& tables);

  // Starts `authd serve` and connects the client. Fatal failures on error:
  // wrap calls in ASSERT_NO_FATAL_FAILURE.
  void start();
  // SIGTERM; expects a clean exit (status 0).
  void stop();

  ApiResponse call(const std::string& method, const std::string& target,
                   const std::string& body = {}, const std::string& bearer = {},
                   const std::map<std::string, std::string>& headers = {});
  ApiResponse post(const std::string& target, const nlohmann::json& body,
                   const std::string& bearer = {});
  ApiResponse get(const std::string& target, const std::string& bearer = {});
  ApiResponse login(const std::string& username, const std::string& password,
                    const std::string& otp);

  // Logs the bootstrap administrator in and changes its one-time password;
  // returns a session with full rights.
  std::string admin_session();
  // Nominates a user in LA-001 with every condition of access met, approves
  // it, issues a TOTP token and activates it with an oathtool code relayed by
  // the administrator.
  TestUser create_user(const std::string& admin_bearer, const std::string& username,
                       const std::vector<std::string>& roles = {"practitioner"});
  // First login of `user` and the required password change; returns the session.
  std::string first_login(TestUser& user);

  // Remembers text that must never show up in the daemon's output or log.
  void remember_secret(const std::string& secret);

  std::filesystem::path data_dir() const { return root_ / "data"; }
  std::filesystem::path cert_file() const { return data_dir() / "tls" / "cert.pem"; }
  std::string server_url() const { return "https://127.0.0.1:" + port_; }

  std::filesystem::path root_;
  std::string port_;
  std::string admin_username_;
  std::string admin_password_;
  std::string admin_otpauth_uri_;
  std::unique_ptr<OtpSource> admin_otp_;
  int window_steps_ = 1;  // the policy's TOTP window; the default policy says 1
  DaemonProcess daemon_;
  std::unique_ptr<provisioning::HttpsClient> client_;
  std::vector<std::string> secrets_;
};

}  // namespace integration
