// The whole two-factor path over real HTTPS: bootstrap administrator, forced
// password change, user creation, TOTP issue and activation with oathtool
// codes, user login and session; and the one answer for every wrong credential.
#include <algorithm>

#include "authd_fixture.h"

namespace integration {
namespace {

using LoginFlowTest = AuthdTest;

void expect_standard_headers(const ApiResponse& r) {
  EXPECT_EQ(r.header("strict-transport-security"), "max-age=31536000");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_NE(r.header("cache-control").find("no-store"), std::string::npos);
  if (!r.body.empty()) {
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
  }
}

TEST_F(LoginFlowTest, BootstrapAdminChangesPasswordThenEnrolsAUserWhoLogsIn) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());

  // The one-time password works once, and the session is limited until changed.
  const ApiResponse admin_login = login(admin_username_, admin_password_, admin_otp_->next());
  ASSERT_EQ(admin_login.status, 200) << admin_login.body;
  expect_standard_headers(admin_login);
  EXPECT_EQ(admin_login.json.value("must_change_password", false), true);
  EXPECT_TRUE(admin_login.json["expires_at"].is_string());
  EXPECT_TRUE(admin_login.json["idle_timeout_s"].is_number_integer());
  const std::string admin = admin_login.json.value("session", std::string());
  ASSERT_GE(admin.size(), 32u);  // 256 random bits, however encoded

  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/session"},
                                                        {"GET", "/v1/organisations"},
                                                        {"GET", "/v1/users/" + admin_username_},
                                                        {"GET", "/v1/audit?after=0&limit=10"}}) {
    const ApiResponse r = call(method, target, {}, admin);
    EXPECT_EQ(r.status, 403) << method << " " << target << ": " << r.body;
    EXPECT_EQ(r.error(), "password_change_required") << target;
  }
  const ApiResponse early_create = post("/v1/users",
                                        {{"username", "early"},
                                         {"display_name", "Too early"},
                                         {"organisation", "LA-001"},
                                         {"roles", {"practitioner"}},
                                         {"password", "Some long enough password 1"}},
                                        admin);
  EXPECT_EQ(early_create.status, 403);
  EXPECT_EQ(early_create.error(), "password_change_required");

  // A wrong current password and a too-short new one are refused...
  const ApiResponse wrong_current = post(
      "/v1/password",
      {{"current_password", "not the one-time password"}, {"new_password", "Brand new pass 1234"}},
      admin);
  EXPECT_EQ(wrong_current.status, 401) << wrong_current.body;
  const ApiResponse too_short = post(
      "/v1/password", {{"current_password", admin_password_}, {"new_password", "short"}}, admin);
  EXPECT_EQ(too_short.status, 400) << too_short.body;
  EXPECT_EQ(too_short.error(), "weak_password");

  // ...a good one is taken, and the same session now has full rights.
  const std::string admin_new_password = "Correct horse battery staple 2024";
  remember_secret(admin_new_password);
  const ApiResponse changed =
      post("/v1/password",
           {{"current_password", admin_password_}, {"new_password", admin_new_password}}, admin);
  ASSERT_EQ(changed.status, 204) << changed.body;
  const ApiResponse admin_view = get("/v1/session", admin);
  ASSERT_EQ(admin_view.status, 200) << admin_view.body;
  EXPECT_EQ(admin_view.json.value("username", ""), admin_username_);
  EXPECT_EQ(admin_view.json.value("must_change_password", true), false);
  const ApiResponse orgs = get("/v1/organisations", admin);
  ASSERT_EQ(orgs.status, 200) << orgs.body;
  bool has_la001 = false;
  for (const auto& org : orgs.json["organisations"]) has_la001 |= org.value("id", "") == "LA-001";
  EXPECT_TRUE(has_la001) << orgs.body;

  // Nominate a practitioner with the evidence for the conditions of access.
  const std::string initial_password = "Initial password for alice 1357";
  remember_secret(initial_password);
  const ApiResponse created = post("/v1/users",
                                   {{"username", "alice"},
                                    {"display_name", "Alice Example"},
                                    {"organisation", "LA-001"},
                                    {"roles", {"practitioner"}},
                                    {"password", initial_password},
                                    {"conditions", met_conditions()}},
                                   admin);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json.value("username", ""), "alice");
  EXPECT_EQ(created.json.value("state", ""), "nominated");
  EXPECT_EQ(created.json.value("must_change_password", false), true);
  const ApiResponse duplicate = post("/v1/users",
                                     {{"username", "alice"},
                                      {"display_name", "Alice Again"},
                                      {"organisation", "LA-001"},
                                      {"roles", {"practitioner"}},
                                      {"password", initial_password}},
                                     admin);
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;

  // A nominated account holds no token until approved.
  const ApiResponse too_soon = post("/v1/users/alice/tokens", {{"type", "totp"}}, admin);
  EXPECT_EQ(too_soon.status, 409) << too_soon.body;
  const ApiResponse approved = post("/v1/users/alice/approve", nlohmann::json::object(), admin);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json.value("state", ""), "active");

  // Issue a TOTP token: the secret is shown once, with a QR code, never cached.
  const ApiResponse issued = post("/v1/users/alice/tokens", {{"type", "totp"}}, admin);
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_NE(issued.header("cache-control").find("no-store"), std::string::npos);
  const std::string uri = issued.json.value("otpauth_uri", "");
  EXPECT_EQ(uri.rfind("otpauth://totp/", 0), 0u) << uri;
  EXPECT_NE(uri.find("alice"), std::string::npos) << uri;
  EXPECT_NE(uri.find("digits=6"), std::string::npos) << uri;
  EXPECT_NE(uri.find("period=30"), std::string::npos) << uri;
  EXPECT_NE(issued.json.value("qr_svg", "").find("<svg"), std::string::npos);
  const std::string secret = secret_from_otpauth(uri);
  ASSERT_GE(secret.size(), 32u);  // >= 20 bytes in base32
  remember_secret(secret);
  const std::string token_id = issued.json.value("token_id", "");
  ASSERT_FALSE(token_id.empty());
  OtpSource alice_otp(secret, window_steps_);

  const ApiResponse before = get("/v1/users/alice", admin);
  ASSERT_EQ(before.status, 200) << before.body;
  ASSERT_EQ(before.json["tokens"].size(), 1u) << before.body;
  EXPECT_EQ(before.json["tokens"][0].value("state", ""), "issued");
  EXPECT_EQ(before.body.find(secret), std::string::npos) << "the secret is shown only once";

  // The user cannot log in before the token is active (the code is right; it
  // activates the token next).
  const ApiResponse not_active = login("alice", initial_password, alice_otp.next());
  EXPECT_EQ(not_active.status, 401) << not_active.body;

  // Activation needs a right code; the administrator relays the holder's code.
  const ApiResponse bad_activation =
      post("/v1/tokens/" + token_id + "/activate", {{"otp", alice_otp.wrong()}}, admin);
  EXPECT_EQ(bad_activation.status, 401) << bad_activation.body;
  const ApiResponse activated =
      post("/v1/tokens/" + token_id + "/activate", {{"otp", alice_otp.last()}}, admin);
  ASSERT_EQ(activated.status, 200) << activated.body;
  EXPECT_EQ(activated.json.value("state", ""), "active");
  const ApiResponse again =
      post("/v1/tokens/" + token_id + "/activate", {{"otp", alice_otp.next()}}, admin);
  EXPECT_EQ(again.status, 409) << again.body;
  const ApiResponse after = get("/v1/users/alice", admin);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.json["tokens"][0].value("state", ""), "active");
  EXPECT_FALSE(after.json["tokens"][0]["activated_at"].is_null());
  EXPECT_EQ(after.body.find(secret), std::string::npos);

  // The user logs in with both factors, must change the password, then sees the session.
  const ApiResponse user_login = login("alice", initial_password, alice_otp.next());
  ASSERT_EQ(user_login.status, 200) << user_login.body;
  EXPECT_EQ(user_login.json.value("must_change_password", false), true);
  const std::string alice = user_login.json.value("session", std::string());
  EXPECT_NE(alice, admin);
  EXPECT_EQ(get("/v1/session", alice).status, 403);
  const std::string alice_password = "Alice chose this herself 8642";
  remember_secret(alice_password);
  ASSERT_EQ(post("/v1/password",
                 {{"current_password", initial_password}, {"new_password", alice_password}}, alice)
                .status,
            204);

  const ApiResponse session = get("/v1/session", alice);
  ASSERT_EQ(session.status, 200) << session.body;
  expect_standard_headers(session);
  EXPECT_EQ(session.json.value("username", ""), "alice");
  EXPECT_EQ(session.json.value("display_name", ""), "Alice Example");
  EXPECT_EQ(session.json.value("organisation", ""), "LA-001");
  EXPECT_EQ(session.json["roles"], nlohmann::json::array({"practitioner"}));
  EXPECT_EQ(session.json.value("route", ""), "web");
  EXPECT_TRUE(session.json["expires_at"].is_string());
  EXPECT_TRUE(session.json["idle_expires_at"].is_string());
  EXPECT_EQ(session.json.value("must_change_password", true), false);

  // A practitioner is not an administrator.
  const ApiResponse not_admin = get("/v1/users/alice", alice);
  EXPECT_EQ(not_admin.status, 403) << not_admin.body;
  EXPECT_EQ(not_admin.error(), "forbidden");
  const ApiResponse user_view = get("/v1/users/alice", admin);
  EXPECT_FALSE(user_view.json["last_login_at"].is_null()) << user_view.body;
}

TEST_F(LoginFlowTest, EveryWrongCredentialGetsTheSameAnswer) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());
  TestUser bob = create_user(admin, "bob");
  ASSERT_TRUE(bob.otp);
  ASSERT_FALSE(first_login(bob).empty());

  const ApiResponse replayed = login("bob", bob.password, bob.otp->last());
  const ApiResponse wrong_password = login("bob", "Not bobs password at all 1", bob.otp->next());
  const ApiResponse unknown_user = login("nobody-at-all", bob.password, bob.otp->last());
  const ApiResponse wrong_code = login("bob", bob.password, bob.otp->wrong());

  for (const ApiResponse* r : {&replayed, &wrong_password, &unknown_user, &wrong_code}) {
    EXPECT_EQ(r->status, 401) << r->body;
    EXPECT_EQ(r->error(), "invalid_credentials") << r->body;
    EXPECT_EQ(r->body, replayed.body) << "the answers must be byte-identical";
    EXPECT_EQ(r->header("content-length"), replayed.header("content-length"));
  }
  // None of this locked bob out: the right password with a fresh code works.
  const ApiResponse good = login("bob", bob.password, bob.otp->next());
  EXPECT_EQ(good.status, 200) << good.body;
}

TEST_F(LoginFlowTest, LogoutIsFinal) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());
  ASSERT_EQ(get("/v1/session", admin).status, 200);

  const ApiResponse out = call("POST", "/v1/logout", {}, admin);
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_TRUE(out.body.empty());
  const ApiResponse after = get("/v1/session", admin);
  EXPECT_EQ(after.status, 401) << after.body;
  EXPECT_EQ(after.error(), "invalid_session");
  EXPECT_EQ(call("POST", "/v1/logout", {}, admin).status, 401);
  EXPECT_EQ(get("/v1/organisations", admin).status, 401);
}

}  // namespace
}  // namespace integration
