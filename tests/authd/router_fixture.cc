#include "router_fixture.h"

namespace authd_test {

void expect_error(const authd::HttpResponse& response, int status, const std::string& code,
                  const std::string& field) {
  EXPECT_EQ(response.status, status) << response.body;
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(body.value("error", ""), code) << response.body;
  EXPECT_TRUE(body.contains("message") && body["message"].is_string()) << response.body;
  if (!field.empty()) {
    EXPECT_EQ(body.value("field", ""), field) << response.body;
  }
}

void RouterTest::SetUp() {
  clock_ = std::make_shared<common::FakeClock>(common::from_unix_seconds(1'800'000'000));
  config_.database_path = dir_.path() / "authd.db";
  config_.policy = cheap_policy();
  config_.clock = clock_;
  token_ = make_test_token(dir_.path() / "hsm");
  faults_ = std::make_shared<hsm::FaultInjectingHsm>(token_.hsm);
  config_.hsm = faults_;
  config_.public_keys_dir = dir_.path() / "keys";
  std::filesystem::create_directory(config_.public_keys_dir);
  auto admin = core::Service::initialise(config_, token_.keys);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  admin_ = *admin;
  auto service = core::Service::open(config_);
  ASSERT_TRUE(service.ok()) << service.error().message;
  service_ = std::move(*service);
  router_ = std::make_unique<authd::Router>(*service_);
}

authd::HttpResponse RouterTest::call(const Call& c) const {
  const std::string authorization = c.bearer.empty() ? c.authorization : "Bearer " + c.bearer;
  const authd::HttpRequest request{
      c.method,      c.target, c.body.empty() ? std::string_view{} : c.content_type,
      authorization, c.body,   c.source_address};
  return router_->handle(request);
}

authd::HttpResponse RouterTest::get(const std::string& target, const std::string& bearer) const {
  Call c;
  c.target = target;
  c.bearer = bearer;
  return call(c);
}

authd::HttpResponse RouterTest::post(const std::string& target, const std::string& body,
                                     const std::string& bearer) const {
  Call c;
  c.method = "POST";
  c.target = target;
  c.body = body;
  c.bearer = bearer;
  return call(c);
}

std::string RouterTest::next_code(const std::string& secret) {
  clock_->advance(std::chrono::seconds(30));
  return oathtool_code(secret, clock_->now());
}

std::string RouterTest::bootstrap_session() {
  const std::string password = admin_password_changed_ ? kAdminNewPassword : admin_.password;
  const nlohmann::json body = {{"username", admin_.username},
                               {"password", password},
                               {"otp", next_code(otpauth_secret(admin_.otpauth_uri))}};
  const authd::HttpResponse response = post("/v1/login", body.dump());
  EXPECT_EQ(response.status, 200) << response.body;
  return json_of(response).value("session", "");
}

std::string RouterTest::admin_session() {
  const std::string session = bootstrap_session();
  if (!admin_password_changed_) {
    const nlohmann::json change = {{"current_password", admin_.password},
                                   {"new_password", kAdminNewPassword}};
    const authd::HttpResponse response = post("/v1/password", change.dump(), session);
    EXPECT_EQ(response.status, 204) << response.body;
    admin_password_changed_ = true;
  }
  return session;
}

nlohmann::json RouterTest::nomination(const std::string& username, const std::string& role,
                                      const std::string& organisation) {
  return {{"username", username},
          {"display_name", "Test User " + username},
          {"organisation", organisation},
          {"roles", {role}},
          {"password", kUserPassword},
          {"email", username + "@example.org"},
          {"manager_name", "Manager of " + username},
          {"manager_email", "manager." + username + "@example.org"},
          {"conditions",
           {{"need", "case work with children in the area"},
            {"accredited_training_on", "2026-01-05"},
            {"local_training_on", "2026-01-12"},
            {"vetting_disclosure_on", "2026-06-01"},
            {"vetting_basis", "disclosure_seen"}}}};
}

void RouterTest::nominate_and_approve(const std::string& admin, const std::string& username,
                                      const std::string& role, const std::string& organisation) {
  const authd::HttpResponse created =
      post("/v1/users", nomination(username, role, organisation).dump(), admin);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json_of(created).value("state", ""), "nominated") << created.body;
  const authd::HttpResponse approved = post("/v1/users/" + username + "/approve", "{}", admin);
  EXPECT_EQ(approved.status, 200) << approved.body;
}

std::string RouterTest::create_user_with_token(const std::string& admin,
                                               const std::string& username,
                                               const std::string& role) {
  nominate_and_approve(admin, username, role);
  const authd::HttpResponse issued =
      post("/v1/users/" + username + "/tokens", R"({"type":"totp"})", admin);
  EXPECT_EQ(issued.status, 201) << issued.body;
  const nlohmann::json token = json_of(issued);
  const std::string secret = otpauth_secret(token.value("otpauth_uri", ""));
  const nlohmann::json activate = {{"otp", next_code(secret)}};
  const authd::HttpResponse activated =
      post("/v1/tokens/" + token.value("token_id", "") + "/activate", activate.dump(), admin);
  EXPECT_EQ(activated.status, 200) << activated.body;
  return secret;
}

std::string RouterTest::practitioner_session(const std::string& admin,
                                             const std::string& username) {
  const std::string secret = create_user_with_token(admin, username, "practitioner");
  const nlohmann::json login = {
      {"username", username}, {"password", kUserPassword}, {"otp", next_code(secret)}};
  const authd::HttpResponse response = post("/v1/login", login.dump());
  EXPECT_EQ(response.status, 200) << response.body;
  const std::string session = json_of(response).value("session", "");
  const nlohmann::json change = {{"current_password", kUserPassword},
                                 {"new_password", "Copper-Meadow-Tundra-4471"}};
  EXPECT_EQ(post("/v1/password", change.dump(), session).status, 204);
  return session;
}

nlohmann::json RouterTest::json_of(const authd::HttpResponse& response) {
  nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << response.body;
  return parsed;
}

std::string RouterTest::header(const authd::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace authd_test
