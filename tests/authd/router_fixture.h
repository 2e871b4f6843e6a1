// A Router over a real core::Service on a fresh SQLite file with a fake clock
// and a real SoftHSM token (behind a FaultInjectingHsm, so a test can make the
// HSM fail), and helpers to call it the way the transport does.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "authd/http_message.h"
#include "authd/router.h"
#include "core/service.h"
#include "hsm/fault_injecting_hsm.h"
#include "test_support.h"
#include "test_token.h"

namespace authd_test {

struct Call {
  std::string method = "GET";
  std::string target;
  std::string body;
  std::string bearer;                             // adds "Authorization: Bearer <bearer>"
  std::string authorization;                      // raw Authorization header, if no bearer
  std::string content_type = "application/json";  // sent only with a body
  std::string source_address = "192.0.2.10";
};

// Expects an error answer: status, {"error": code, "message": text} and, when
// given, the field it names.
void expect_error(const authd::HttpResponse& response, int status, const std::string& code,
                  const std::string& field = {});

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override;

  authd::HttpResponse call(const Call& call) const;
  authd::HttpResponse get(const std::string& target, const std::string& bearer = {}) const;
  authd::HttpResponse post(const std::string& target, const std::string& body,
                           const std::string& bearer = {}) const;

  // The next TOTP code for `secret`, a step after the last one used.
  std::string next_code(const std::string& secret);

  // Logs in with the bootstrap administrator's one-time password; the session
  // must still change its password.
  std::string bootstrap_session();
  // A session of the bootstrap administrator with its password changed.
  std::string admin_session();
  // The body of POST /v1/users for a nominee with every condition of access
  // met on the fake clock's start date, an email and a staff manager.
  static nlohmann::json nomination(const std::string& username, const std::string& role,
                                   const std::string& organisation = "LA-001");
  // Nominates that user and approves it (state "active").
  void nominate_and_approve(const std::string& admin, const std::string& username,
                            const std::string& role, const std::string& organisation = "LA-001");
  // Nominates and approves a user in LA-001 with `role`, issues and activates
  // a TOTP token for it; returns its TOTP secret.
  std::string create_user_with_token(const std::string& admin, const std::string& username,
                                     const std::string& role);
  // A full session (password changed) of a new practitioner, who is no
  // administrator.
  std::string practitioner_session(const std::string& admin, const std::string& username);

  static nlohmann::json json_of(const authd::HttpResponse& response);
  static std::string header(const authd::HttpResponse& response, const std::string& name);

  static constexpr const char* kAdminNewPassword = "Lantern-Quorum-Saffron-2931";
  static constexpr const char* kUserPassword = "Harbour-Violet-Juniper-5820";

  TempDir dir_;
  TestToken token_;
  std::shared_ptr<hsm::FaultInjectingHsm> faults_;  // config_.hsm: the token, switchable
  std::shared_ptr<common::FakeClock> clock_;
  core::Config config_;
  core::BootstrapAdmin admin_;
  std::unique_ptr<core::Service> service_;
  std::unique_ptr<authd::Router> router_;
  bool admin_password_changed_ = false;
};

}  // namespace authd_test
