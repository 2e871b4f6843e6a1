// The security-key routes against a scripted core: what each hands the core
// (credentials, the credential JSON, the caller), which of the two
// registration paths a request takes, and how answers and refusals render.
// The real ceremonies are in tests/core/key_*_test.cc and, through a real
// browser, tests/browser/.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "authd/router.h"
#include "core/service.h"
#include "router_fixture.h"
#include "stub_service.h"

namespace authd_test {
namespace {

using nlohmann::json;

constexpr const char* kOptions = R"({"challenge":"AAAA","rpId":"localhost","allowCredentials":[]})";

class ScriptedKeyService final : public StubService {
 public:
  std::string last_method;
  core::KeyLoginRequest login;
  core::KeyEnrolmentRequest enrolment;
  std::string transaction, credential_json, source_address, principal_user, issued_for;
  bool had_principal = false;
  std::optional<common::Error> refusal;
  std::optional<common::Error> session_refusal;

  common::Result<core::Principal> authenticate(std::string_view, std::string_view) override {
    if (session_refusal) return *session_refusal;
    core::Principal p;
    p.username = "alice";
    p.roles = {"practitioner"};
    p.auth_methods = {"pwd", "hwk"};
    return p;
  }
  common::Result<core::WebAuthnCeremony> begin_key_login(
      const core::KeyLoginRequest& request) override {
    last_method = "begin_key_login";
    login = request;
    if (refusal) return *refusal;
    return core::WebAuthnCeremony{"wtx_login", kOptions};
  }
  common::Result<core::LoginGrant> finish_key_login(std::string_view t, std::string_view c,
                                                    std::string_view s) override {
    last_method = "finish_key_login";
    transaction = t;
    credential_json = c;
    source_address = s;
    if (refusal) return *refusal;
    core::LoginGrant grant;
    grant.session = "new-session";
    grant.expires_at = common::from_unix_seconds(1'800'000'000);
    grant.idle_timeout = std::chrono::seconds(900);
    return grant;
  }
  common::Result<core::WebAuthnCeremony> begin_key_registration(
      const core::Principal& who) override {
    last_method = "begin_key_registration(session)";
    principal_user = who.username;
    return core::WebAuthnCeremony{"wtx_reg", kOptions};
  }
  common::Result<core::WebAuthnCeremony> begin_key_registration(
      const core::KeyEnrolmentRequest& request) override {
    last_method = "begin_key_registration(enrolment)";
    enrolment = request;
    return core::WebAuthnCeremony{"wtx_reg", kOptions};
  }
  common::Result<core::TokenView> finish_key_registration(const core::Principal* who,
                                                          std::string_view t, std::string_view c,
                                                          std::string_view) override {
    last_method = "finish_key_registration";
    had_principal = who != nullptr;
    transaction = t;
    credential_json = c;
    if (refusal) return *refusal;
    core::TokenView token;
    token.token_id = "tok_1";
    token.type = "fido2";
    token.state = "active";
    return token;
  }
  common::Result<core::IssuedSecurityKey> issue_security_key(const core::Principal&,
                                                             std::string_view username) override {
    last_method = "issue_security_key";
    issued_for = username;
    core::IssuedSecurityKey key;
    key.token_id = "tok_2";
    key.enrolment_code = "ABCD-EFGH";
    key.enrolment_expires_at = common::from_unix_seconds(1'800'000'000);
    return key;
  }
};

class RouterKeyTest : public ::testing::Test {
 protected:
  authd::HttpResponse post(const std::string& target, const std::string& body,
                           const std::string& authorization = {}) {
    const authd::HttpRequest request{"POST",        target, "application/json",
                                     authorization, body,   "192.0.2.10"};
    return router_.handle(request);
  }
  static json json_of(const authd::HttpResponse& response) {
    return json::parse(response.body, nullptr, false);
  }

  ScriptedKeyService service_;
  authd::Router router_{service_};
};

const json kCredential = {{"id", "abc"},
                          {"rawId", "abc"},
                          {"type", "public-key"},
                          {"response", {{"clientDataJSON", "e30"}}}};

TEST_F(RouterKeyTest, LoginBeginHandsOverTheFirstFactorAndAnswersTheOptionsObject) {
  const auto response =
      post("/v1/login/begin", json{{"username", "alice"}, {"password", "pw pw pw pw"}}.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.login.username, "alice");
  EXPECT_EQ(service_.login.password, "pw pw pw pw");
  EXPECT_EQ(service_.login.source_address, "192.0.2.10");
  const auto body = json_of(response);
  EXPECT_EQ(body["transaction"], "wtx_login");
  EXPECT_EQ(body["publicKey"], json::parse(kOptions));  // an object, not a string
  EXPECT_TRUE(router_.is_slow({"POST", "/v1/login/begin", "", "", "", ""}));
}

TEST_F(RouterKeyTest, LoginBeginRefusesMissingAndUnknownMembers) {
  expect_error(post("/v1/login/begin", json{{"username", "alice"}}.dump()), 400, "bad_request",
               "password");
  expect_error(
      post("/v1/login/begin", json{{"username", "a"}, {"password", "b"}, {"otp", "123456"}}.dump()),
      400, "bad_request", "otp");
  EXPECT_TRUE(service_.last_method.empty());
}

TEST_F(RouterKeyTest, LoginFinishPassesTheCredentialAsJsonAndAnswersTheGrant) {
  const auto response = post(
      "/v1/login/finish", json{{"transaction", "wtx_login"}, {"credential", kCredential}}.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.transaction, "wtx_login");
  EXPECT_EQ(json::parse(service_.credential_json), kCredential);
  EXPECT_EQ(json_of(response)["session"], "new-session");
}

TEST_F(RouterKeyTest, LoginFinishNeedsACredentialObject) {
  expect_error(post("/v1/login/finish", json{{"transaction", "t"}}.dump()), 400, "bad_request",
               "credential");
  expect_error(post("/v1/login/finish",
                    json{{"transaction", "t"}, {"credential", kCredential.dump()}}.dump()),
               400, "bad_request", "credential");
  EXPECT_TRUE(service_.last_method.empty());
}

TEST_F(RouterKeyTest, AnyFailedFinishIsTheGenericCredentialError) {
  service_.refusal = common::make_error(common::Errc::invalid_credentials, "wrong");
  expect_error(
      post("/v1/login/finish", json{{"transaction", "t"}, {"credential", kCredential}}.dump()), 401,
      "invalid_credentials");
}

TEST_F(RouterKeyTest, RegisterBeginWithASessionUsesTheSessionsUser) {
  const auto response = post("/v1/webauthn/register/begin", "{}", "Bearer token");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.last_method, "begin_key_registration(session)");
  EXPECT_EQ(service_.principal_user, "alice");
  // With a session the body must not carry other credentials.
  expect_error(post("/v1/webauthn/register/begin",
                    json{{"username", "alice"}, {"password", "x"}, {"enrolment_code", "y"}}.dump(),
                    "Bearer token"),
               400, "bad_request");
}

TEST_F(RouterKeyTest, RegisterBeginWithoutASessionTakesPasswordAndCode) {
  const auto response =
      post("/v1/webauthn/register/begin",
           json{{"username", "alice"}, {"password", "pw"}, {"enrolment_code", "ABCD"}}.dump());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.last_method, "begin_key_registration(enrolment)");
  EXPECT_EQ(service_.enrolment.enrolment_code, "ABCD");
  EXPECT_EQ(service_.enrolment.source_address, "192.0.2.10");
  expect_error(post("/v1/webauthn/register/begin", "{}"), 400, "bad_request", "username");
}

TEST_F(RouterKeyTest, ABadSessionIsRefusedRatherThanTreatedAsNone) {
  service_.session_refusal = common::make_error(common::Errc::invalid_session, "gone");
  expect_error(post("/v1/webauthn/register/begin",
                    json{{"username", "alice"}, {"password", "pw"}, {"enrolment_code", "A"}}.dump(),
                    "Bearer stale"),
               401, "invalid_session");
  EXPECT_TRUE(service_.last_method.empty());
}

TEST_F(RouterKeyTest, RegisterFinishHandsOverTheCallerWhenThereIsOne) {
  const std::string body = json{{"transaction", "wtx_reg"}, {"credential", kCredential}}.dump();
  auto response = post("/v1/webauthn/register/finish", body, "Bearer token");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(service_.had_principal);
  EXPECT_EQ(json_of(response)["state"], "active");
  response = post("/v1/webauthn/register/finish", body);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_FALSE(service_.had_principal);
}

TEST_F(RouterKeyTest, IssuingAFido2TokenAnswersTheEnrolmentCode) {
  const auto response =
      post("/v1/users/bob/tokens", json{{"type", "fido2"}}.dump(), "Bearer token");
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(service_.issued_for, "bob");
  const auto body = json_of(response);
  EXPECT_EQ(body["type"], "fido2");
  EXPECT_EQ(body["enrolment_code"], "ABCD-EFGH");
  EXPECT_TRUE(body["enrolment_expires_at"].is_string());
}

TEST_F(RouterKeyTest, TheSessionSaysHowTheUserAuthenticated) {
  const authd::HttpRequest request{"GET", "/v1/session", "", "Bearer token", "", "192.0.2.10"};
  const auto response = router_.handle(request);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(json_of(response)["auth_methods"], json::array({"pwd", "hwk"}));
}

}  // namespace
}  // namespace authd_test
