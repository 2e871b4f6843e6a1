// The HTTP API through the Router, with a real core::Service on SQLite.
#include <gtest/gtest.h>

#include "router_fixture.h"

namespace authd_test {
namespace {

using nlohmann::json;

std::string login_body(const std::string& username, const std::string& password,
                       const std::string& otp) {
  return json{{"username", username}, {"password", password}, {"otp", otp}}.dump();
}

TEST_F(RouterTest, HealthzAnswersWithoutAuthentication) {
  const authd::HttpResponse response = get("/healthz");
  EXPECT_EQ(response.status, 200);
  const json body = json_of(response);
  EXPECT_EQ(body.value("status", ""), "ok") << response.body;
  EXPECT_EQ(body.value("audit", ""), "ok") << response.body;
  EXPECT_EQ(body.value("hsm", ""), "ok") << response.body;
  EXPECT_TRUE(body["unsigned_entries"].is_number_integer()) << response.body;
  EXPECT_TRUE(body.contains("last_checkpoint_at")) << response.body;
}

TEST_F(RouterTest, UnknownPathsAre404) {
  for (const char* target :
       {"/v1", "/v1/nope", "/v1/session/", "//v1/session", "/V1/SESSION", "/v1/users/",
        "/v1/users/x/tokens/y", "v1/session", "*", "/v1/%73ession"}) {
    SCOPED_TRACE(target);
    expect_error(get(target), 404, "not_found");
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  authd::HttpResponse response = get("/v1/login");
  expect_error(response, 405, "method_not_allowed");
  EXPECT_EQ(header(response, "Allow"), "POST");

  Call c;
  c.method = "DELETE";
  c.target = "/v1/organisations";
  response = call(c);
  expect_error(response, 405, "method_not_allowed");
  EXPECT_EQ(header(response, "Allow"), "GET, POST");

  c.method = "get";  // methods are case-sensitive
  c.target = "/healthz";
  response = call(c);
  expect_error(response, 405, "method_not_allowed");
  EXPECT_EQ(header(response, "Allow"), "GET");
}

TEST_F(RouterTest, BodiesMustBeDeclaredJson) {
  const std::string body = login_body("nobody", "whatever-password", "123456");
  for (const char* type :
       {"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
        "application/jsonx", "application/json; boundary=x"}) {
    SCOPED_TRACE(type);
    Call c;
    c.method = "POST";
    c.target = "/v1/login";
    c.body = body;
    c.content_type = type;
    expect_error(call(c), 415, "unsupported_media_type");
  }
  // Each attempt names a different user, so the failures do not add up to throttling.
  int attempt = 0;
  for (const char* type :
       {"application/json", "Application/JSON", "application/json; charset=utf-8",
        "application/json;charset=\"UTF-8\""}) {
    SCOPED_TRACE(type);
    Call c;
    c.method = "POST";
    c.target = "/v1/login";
    c.body = login_body("nobody" + std::to_string(++attempt), "whatever-password", "123456");
    c.content_type = type;
    expect_error(call(c), 401, "invalid_credentials");
  }
}

TEST_F(RouterTest, MalformedBodiesAre400NamingTheField) {
  struct Case {
    std::string body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"", "body"},
      {"{", "body"},
      {"[]", "body"},
      {"\"text\"", "body"},
      {"null", "body"},
      {"{} {}", "body"},
      {R"({"username":"a","password":"b","otp":"1",})", "body"},
      {R"({"username":"a","password":"b"})", "otp"},
      {R"({"username":"a","password":"b","otp":123456})", "otp"},
      {R"({"username":["a"],"password":"b","otp":"1"})", "username"},
      {R"({"username":null,"password":"b","otp":"1"})", "username"},
      {R"({"username":"a","password":"b","otp":"1","extra":true})", "extra"},
      {R"({"username":"a","username":"b","password":"b","otp":"1"})", "username"},
      {R"({"username":"a\u0000b","password":"b","otp":"1"})", "username"},
      {"{\"username\":\"a\",\"password\":\"\xC3\x28\",\"otp\":\"1\"}", "password"},
      {"{\"username\":\"a\",\"password\":\"\xED\xA0\x80\",\"otp\":\"1\"}", "password"},
      {"{\"username\":\"a\",\"password\":\"ok\",\"otp\":\"\xFF\"}", "otp"},
      {R"({"username":"a","password":"b","otp":"1)", "otp"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    expect_error(post("/v1/login", c.body), 400, "bad_request", c.field);
  }
}

TEST_F(RouterTest, InvalidUtf8IsNamedAndNeverEchoed) {
  const std::string secretish = "s3cr3t-\xC3\x28-value";
  const authd::HttpResponse response =
      post("/v1/login", "{\"username\":\"a\",\"password\":\"" + secretish + "\",\"otp\":\"1\"}");
  expect_error(response, 400, "bad_request", "password");
  EXPECT_NE(response.body.find("UTF-8"), std::string::npos);
  EXPECT_EQ(response.body.find("s3cr3t"), std::string::npos);
}

TEST_F(RouterTest, DeeplyNestedJsonIsRefusedWithoutHarm) {
  const std::string deep = std::string(30000, '[') + std::string(30000, ']');
  expect_error(post("/v1/login", deep), 400, "bad_request", "body");
  const std::string unbalanced = "{\"username\":" + std::string(30000, '[');
  expect_error(post("/v1/login", unbalanced), 400, "bad_request", "username");
}

TEST_F(RouterTest, GetWithABodyIsRefused) {
  Call c;
  c.target = "/healthz";
  c.body = "{}";
  expect_error(call(c), 400, "bad_request", "body");
}

TEST_F(RouterTest, WrongCredentialsAllGiveTheSame401) {
  const std::string secret = otpauth_secret(admin_.otpauth_uri);
  const authd::HttpResponse unknown_user =
      post("/v1/login", login_body("no-such-user", admin_.password, next_code(secret)));
  const authd::HttpResponse wrong_password =
      post("/v1/login", login_body(admin_.username, "not-the-password-at-all", next_code(secret)));
  const authd::HttpResponse wrong_code =
      post("/v1/login", login_body(admin_.username, admin_.password, "000000"));
  expect_error(unknown_user, 401, "invalid_credentials");
  EXPECT_EQ(wrong_password.status, unknown_user.status);
  EXPECT_EQ(wrong_password.body, unknown_user.body);
  EXPECT_EQ(wrong_code.status, unknown_user.status);
  EXPECT_EQ(wrong_code.body, unknown_user.body);
}

TEST_F(RouterTest, ThrottledLoginIs429WithRetryAfter) {
  authd::HttpResponse response;
  for (int i = 0; i < 10 && response.status != 429; ++i) {
    response = post("/v1/login", login_body(admin_.username, "wrong-password-123", "000000"));
  }
  expect_error(response, 429, "too_many_attempts");
  const std::string retry_after = header(response, "Retry-After");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
}

TEST_F(RouterTest, LoginAnswersWithASessionThatMustChangeItsPassword) {
  const std::string secret = otpauth_secret(admin_.otpauth_uri);
  const authd::HttpResponse response =
      post("/v1/login", login_body(admin_.username, admin_.password, next_code(secret)));
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json_of(response);
  EXPECT_TRUE(body["session"].is_string());
  EXPECT_GE(body["session"].get<std::string>().size(), 32u);
  EXPECT_TRUE(body["expires_at"].is_string());
  EXPECT_EQ(body["expires_at"].get<std::string>().back(), 'Z');
  EXPECT_EQ(body["idle_timeout_s"], config_.policy.session.idle_timeout.count());
  EXPECT_EQ(body["must_change_password"], true);
}

TEST_F(RouterTest, MissingOrMalformedBearerIs401) {
  for (const char* authorization : {"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearertoken",
                                    "Bearer tok en", "Bearer tok\"en", "Token abc"}) {
    SCOPED_TRACE(authorization);
    Call c;
    c.target = "/v1/session";
    c.authorization = authorization;
    const authd::HttpResponse response = call(c);
    expect_error(response, 401, "invalid_session");
    EXPECT_EQ(header(response, "WWW-Authenticate").rfind("Bearer", 0), 0u);
  }
  expect_error(get("/v1/session", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401,
               "invalid_session");
  expect_error(post("/v1/logout", ""), 401, "invalid_session");
  expect_error(get("/v1/organisations"), 401, "invalid_session");
}

TEST_F(RouterTest, BearerSchemeIsCaseInsensitive) {
  const std::string session = admin_session();
  Call c;
  c.target = "/v1/session";
  c.authorization = "bEaReR   " + session;
  EXPECT_EQ(call(c).status, 200);
}

TEST_F(RouterTest, PasswordChangeRequiredGatesEverythingButPasswordAndLogout) {
  const std::string session = bootstrap_session();
  expect_error(get("/v1/session", session), 403, "password_change_required");
  expect_error(get("/v1/organisations", session), 403, "password_change_required");
  expect_error(get("/v1/users/" + admin_.username, session), 403, "password_change_required");
  expect_error(get("/v1/audit", session), 403, "password_change_required");
  expect_error(
      post("/v1/organisations", R"({"id":"LA-002","name":"x","kind":"local_authority"})", session),
      403, "password_change_required");

  const json wrong = {{"current_password", "not-my-password-x"},
                      {"new_password", kAdminNewPassword}};
  expect_error(post("/v1/password", wrong.dump(), session), 401, "invalid_credentials");
  const json weak = {{"current_password", admin_.password}, {"new_password", "short"}};
  expect_error(post("/v1/password", weak.dump(), session), 400, "weak_password");

  const json change = {{"current_password", admin_.password}, {"new_password", kAdminNewPassword}};
  ASSERT_EQ(post("/v1/password", change.dump(), session).status, 204);
  admin_password_changed_ = true;

  // The same session continues with full rights.
  const authd::HttpResponse response = get("/v1/session", session);
  ASSERT_EQ(response.status, 200) << response.body;
  const json view = json_of(response);
  EXPECT_EQ(view["username"], admin_.username);
  EXPECT_EQ(view["must_change_password"], false);
  EXPECT_EQ(view["organisation"], "LA-001");
  EXPECT_EQ(view["route"], "web");
  EXPECT_TRUE(view["roles"].is_array());
  EXPECT_FALSE(view["roles"].empty());
  for (const char* key : {"display_name", "created_at", "expires_at", "idle_expires_at"}) {
    EXPECT_TRUE(view[key].is_string()) << key;
  }
}

TEST_F(RouterTest, LogoutIsFinalEvenBeforeThePasswordChange) {
  const std::string session = bootstrap_session();
  const authd::HttpResponse response = post("/v1/logout", "", session);
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  expect_error(get("/v1/session", session), 401, "invalid_session");
  expect_error(post("/v1/logout", "", session), 401, "invalid_session");
}

TEST_F(RouterTest, LogoutRefusesABodyThatIsNotAnEmptyObject) {
  const std::string session = admin_session();
  expect_error(post("/v1/logout", R"({"all":true})", session), 400, "bad_request", "all");
  EXPECT_EQ(post("/v1/logout", "{}", session).status, 204);
}

TEST_F(RouterTest, OrganisationsCanBeListedAndCreated) {
  const std::string session = admin_session();
  authd::HttpResponse response = get("/v1/organisations", session);
  ASSERT_EQ(response.status, 200) << response.body;
  json list = json_of(response)["organisations"];
  ASSERT_TRUE(list.is_array());
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0]["id"], "LA-001");
  EXPECT_TRUE(list[0]["parent"].is_null());

  response =
      post("/v1/organisations",
           R"({"id":"PT-100","name":"Partner","kind":"partner","parent":"LA-001"})", session);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(
      json_of(response),
      json({{"id", "PT-100"},
            {"name", "Partner"},
            {"kind", "partner"},
            {"parent", "LA-001"},
            {"admin_rights", "none"}}));
  expect_error(
      post("/v1/organisations",
           R"({"id":"PT-100","name":"Again","kind":"partner","parent":"LA-001"})", session),
      409, "conflict");
  expect_error(post("/v1/organisations", R"({"id":"LA-9","name":"x","kind":"local_authority",
                    "parent":7})",
                    session),
               400, "bad_request", "parent");

  list = json_of(get("/v1/organisations", session))["organisations"];
  EXPECT_EQ(list.size(), 2u);
}

TEST_F(RouterTest, UsersAreNominatedAndShown) {
  const std::string session = admin_session();
  const json user = {{"username", "carol.smith"},
                     {"display_name", "Carol Smith"},
                     {"organisation", "LA-001"},
                     {"roles", {"practitioner"}},
                     {"password", kUserPassword}};
  authd::HttpResponse response = post("/v1/users", user.dump(), session);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(header(response, "Location"), "/v1/users/carol.smith");
  json view = json_of(response);
  EXPECT_EQ(view["username"], "carol.smith");
  EXPECT_EQ(view["display_name"], "Carol Smith");
  EXPECT_EQ(view["organisation"], "LA-001");
  EXPECT_EQ(view["roles"], json({"practitioner"}));
  EXPECT_EQ(view["state"], "nominated");
  EXPECT_EQ(view["must_change_password"], true);
  EXPECT_TRUE(view["last_login_at"].is_null());
  EXPECT_TRUE(view["last_change"].is_null());
  EXPECT_EQ(view["tokens"], json::array());
  EXPECT_EQ(view.find("password"), view.end());

  expect_error(post("/v1/users", user.dump(), session), 409, "conflict");
  json bad_roles = user;
  bad_roles["roles"] = {"practitioner", 3};
  expect_error(post("/v1/users", bad_roles.dump(), session), 400, "bad_request", "roles");

  response = get("/v1/users/carol.smith", session);
  ASSERT_EQ(response.status, 200) << response.body;
  view = json_of(response);
  EXPECT_EQ(view["username"], "carol.smith");
  EXPECT_EQ(view["state"], "nominated");
  expect_error(get("/v1/users/nobody-here", session), 404, "not_found");

  // Path parameters are percent-decoded; broken escapes name the parameter.
  EXPECT_EQ(get("/v1/users/" + percent_encode("carol.smith"), session).status, 200);
  EXPECT_EQ(get("/v1/users/%63arol.smith", session).status, 200);
  expect_error(get("/v1/users/%zz", session), 400, "bad_request", "username");
  expect_error(get("/v1/users/%C3%28", session), 400, "bad_request", "username");
}

TEST_F(RouterTest, TokensCanBeIssuedAndActivatedWithoutRevealingTheSecretAgain) {
  const std::string session = admin_session();
  nominate_and_approve(session, "dan", "practitioner");
  expect_error(post("/v1/users/dan/tokens", R"({"type":"sms"})", session), 400, "bad_request");
  expect_error(post("/v1/users/dan/tokens", R"({"type":1})", session), 400, "bad_request", "type");

  authd::HttpResponse response = post("/v1/users/dan/tokens", R"({"type":"totp"})", session);
  ASSERT_EQ(response.status, 201) << response.body;
  const json issued = json_of(response);
  const std::string uri = issued.value("otpauth_uri", "");
  EXPECT_EQ(uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_NE(issued.value("qr_svg", "").find("<svg"), std::string::npos);
  const std::string token_id = issued.value("token_id", "");
  ASSERT_FALSE(token_id.empty());

  const std::string secret = otpauth_secret(uri);
  expect_error(post("/v1/tokens/" + token_id + "/activate", R"({"otp":"000000"})", session), 401,
               "invalid_credentials");
  const json activate = {{"otp", next_code(secret)}};
  response = post("/v1/tokens/" + token_id + "/activate", activate.dump(), session);
  ASSERT_EQ(response.status, 200) << response.body;
  const json token = json_of(response);
  EXPECT_EQ(token["token_id"], token_id);
  EXPECT_EQ(token["type"], "totp");
  EXPECT_EQ(token["state"], "active");
  EXPECT_TRUE(token["activated_at"].is_string());

  response = get("/v1/users/dan", session);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.find(secret), std::string::npos);
  ASSERT_EQ(json_of(response)["tokens"].size(), 1u);
}

TEST_F(RouterTest, NonAdministratorsAreForbidden) {
  const std::string admin = admin_session();
  const std::string secret = create_user_with_token(admin, "erin", "practitioner");
  authd::HttpResponse response =
      post("/v1/login", login_body("erin", kUserPassword, next_code(secret)));
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string session = json_of(response)["session"];
  const json change = {{"current_password", kUserPassword},
                       {"new_password", "Copper-Meadow-Tundra-4471"}};
  ASSERT_EQ(post("/v1/password", change.dump(), session).status, 204);
  EXPECT_EQ(get("/v1/session", session).status, 200);
  expect_error(get("/v1/organisations", session), 403, "forbidden");
  expect_error(get("/v1/audit", session), 403, "forbidden");
  expect_error(get("/v1/users/erin", session), 403, "forbidden");
}

TEST_F(RouterTest, AuditPagesThroughTheTrail) {
  const std::string session = admin_session();
  authd::HttpResponse response = get("/v1/audit", session);
  ASSERT_EQ(response.status, 200) << response.body;
  const json all = json_of(response);
  ASSERT_GE(all["entries"].size(), 3u);
  const json& first = all["entries"][0];
  for (const char* key : {"at", "actor", "subject", "action", "outcome", "reason", "source_address",
                          "prev_hash", "hash"}) {
    EXPECT_TRUE(first[key].is_string()) << key;
  }
  EXPECT_TRUE(first["seq"].is_number_integer());
  EXPECT_TRUE(first["detail"].is_object());
  EXPECT_EQ(all["next_after"], all["entries"].back()["seq"]);

  response = get("/v1/audit?limit=2", session);
  ASSERT_EQ(response.status, 200);
  const json page = json_of(response);
  ASSERT_EQ(page["entries"].size(), 2u);
  EXPECT_EQ(page["entries"][0], all["entries"][0]);
  const int64_t next = page["next_after"];
  EXPECT_EQ(next, all["entries"][1]["seq"]);

  response = get("/v1/audit?after=" + std::to_string(next) + "&limit=1000", session);
  ASSERT_EQ(response.status, 200);
  const json rest = json_of(response);
  EXPECT_GE(rest["entries"].size() + 2, all["entries"].size());
  EXPECT_EQ(rest["entries"][0]["seq"], all["entries"][2]["seq"]);

  // Past the end: no entries, and next_after stays where it was.
  response = get("/v1/audit?after=999999999", session);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(json_of(response), json({{"entries", json::array()}, {"next_after", 999999999}}));
}

TEST_F(RouterTest, AuditQueryErrorsNameTheParameter) {
  const std::string session = admin_session();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"after=-1", "after"},  {"after=abc", "after"},  {"after=", "after"},
      {"after=1.5", "after"}, {"after=+1", "after"},   {"after=99999999999999999999", "after"},
      {"limit=0", "limit"},   {"limit=1001", "limit"}, {"limit=", "limit"},
      {"limit=ten", "limit"}, {"limit=%zz", "limit"},  {"limit=1&limit=2", "limit"},
      {"color=red", "color"}, {"after=1&x=", "x"},
  };
  for (const auto& [query, field] : cases) {
    SCOPED_TRACE(query);
    expect_error(get("/v1/audit?" + query, session), 400, "bad_request", field);
  }
  EXPECT_EQ(get("/v1/audit?limit=1000", session).status, 200);
  EXPECT_EQ(get("/v1/audit?limit=1", session).status, 200);
  EXPECT_EQ(get("/v1/audit?after=0", session).status, 200);
  expect_error(get("/v1/session?debug=1", session), 400, "bad_request", "debug");
}

TEST_F(RouterTest, OnlyArgon2RoutesAreSlow) {
  const auto slow = [&](const char* method, const char* target) {
    return router_->is_slow(authd::HttpRequest{method, target, {}, {}, {}, {}});
  };
  EXPECT_TRUE(slow("POST", "/v1/login"));
  EXPECT_TRUE(slow("POST", "/v1/password"));
  EXPECT_TRUE(slow("POST", "/v1/users"));
  EXPECT_TRUE(slow("POST", "/v1/users/bob/password-reset"));
  EXPECT_FALSE(slow("POST", "/v1/users/bob/suspend"));
  EXPECT_FALSE(slow("PATCH", "/v1/users/bob"));
  EXPECT_FALSE(slow("GET", "/v1/session"));
  EXPECT_FALSE(slow("GET", "/healthz"));
  EXPECT_FALSE(slow("GET", "/v1/login"));
  EXPECT_FALSE(slow("POST", "/v1/nowhere"));
}

}  // namespace
}  // namespace authd_test
