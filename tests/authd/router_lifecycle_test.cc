// The lifecycle routes against a scripted core: what each route hands the
// core from the request (and what it refuses before asking), and how it
// renders the answer and the core's refusals. The same routes against the
// real core are in router_lifecycle_core_test.cc.
#include <gtest/gtest.h>

#include <map>
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

constexpr const char* kBearer = "scripted-session-token";

std::string header(const authd::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

common::TimePoint at(int64_t offset) { return common::from_unix_seconds(1'800'000'000 + offset); }

core::TokenView sample_token() {
  core::TokenView token;
  token.token_id = "tok-1";
  token.type = "totp";
  token.state = "lost";
  token.issued_at = at(0);
  token.activated_at = at(60);
  token.state_changed_at = at(120);
  token.temporary = true;
  token.expires_at = at(864000);
  token.custody = "awaiting_return";
  return token;
}

core::UserView sample_user() {
  core::UserView user;
  user.username = "bob";
  user.display_name = "Bob B";
  user.organisation = "LA-001";
  user.roles = {"practitioner"};
  user.state = "suspended";
  user.locked = true;
  user.access_review_required = true;
  user.email = "bob@example.org";
  user.job_title = "Social worker";
  user.manager_name = "Mary Manager";
  user.manager_email = "mary@example.org";
  user.conditions.need = "case work";
  user.conditions.vetting_disclosure_on = "2026-01-02";
  user.conditions.vetting_basis = "employer_confirmation";
  user.conditions.vetting_confirmed_by = "HR";
  user.conditions.vetting_confirmed_on = "2026-01-03";
  core::StateRecord change;
  change.state = "suspended";
  change.reason = "investigation";
  change.note = "asked by the LA";
  change.requested_by = "carol";
  change.verified_by = "call back";
  change.actor = "admin";
  change.at = at(300);
  user.last_change = change;
  user.created_at = at(0);
  user.tokens = {sample_token()};
  return user;
}

// Records what each lifecycle method was given and answers from a script:
// `refusal` when set, else a sample value.
class ScriptedLifecycleService final : public StubService {
 public:
  std::string last_method;
  std::string last_target;  // username, token id, org id or report name
  core::NewUser nominated;
  core::UserUpdate update;
  core::ConditionsUpdate conditions;
  core::ActionRecord record;
  std::string note, state, reason, first_code, second_code, issued_type;
  int64_t after = -1;
  int limit = -1;
  std::optional<common::Error> refusal;
  std::optional<common::Error> session_refusal;
  std::vector<core::NotificationView> notifications;

  common::Result<core::Principal> authenticate(std::string_view, std::string_view) override {
    if (session_refusal) return *session_refusal;
    core::Principal p;
    p.username = "admin";
    p.organisation = "LA-001";
    p.roles = {"central_team"};
    return p;
  }

  common::Result<core::UserView> create_user(const core::Principal&,
                                             const core::NewUser& user) override {
    called("create_user", user.username);
    nominated = user;
    return user_answer();
  }
  common::Result<core::UserView> approve_user(const core::Principal&,
                                              std::string_view username) override {
    called("approve_user", username);
    return user_answer();
  }
  common::Result<core::UserView> reject_user(const core::Principal&, std::string_view username,
                                             const core::ActionRecord& r) override {
    called("reject_user", username);
    record = r;
    return user_answer();
  }
  common::Result<core::UserView> record_conditions(const core::Principal&,
                                                   std::string_view username,
                                                   const core::ConditionsUpdate& u) override {
    called("record_conditions", username);
    conditions = u;
    return user_answer();
  }
  common::Result<core::UserView> update_user(const core::Principal&, std::string_view username,
                                             const core::UserUpdate& u) override {
    called("update_user", username);
    update = u;
    return user_answer();
  }
  common::Result<core::UserView> clear_access_review(const core::Principal&,
                                                     std::string_view username,
                                                     std::string_view n) override {
    called("clear_access_review", username);
    note = n;
    return user_answer();
  }
  common::Result<core::UserView> suspend_user(const core::Principal&, std::string_view username,
                                              const core::ActionRecord& r) override {
    called("suspend_user", username);
    record = r;
    return user_answer();
  }
  common::Result<core::UserView> reactivate_user(const core::Principal&,
                                                 std::string_view username,
                                                 const core::ActionRecord& r) override {
    called("reactivate_user", username);
    record = r;
    return user_answer();
  }
  common::Result<core::UserView> close_user(const core::Principal&, std::string_view username,
                                            const core::ActionRecord& r) override {
    called("close_user", username);
    record = r;
    return user_answer();
  }
  common::Result<core::UserView> unlock_user(const core::Principal&,
                                             std::string_view username) override {
    called("unlock_user", username);
    return user_answer();
  }
  common::Result<std::string> reset_password(const core::Principal&,
                                             std::string_view username) override {
    called("reset_password", username);
    if (refusal) return *refusal;
    return std::string("One-Time-Password-4711");
  }
  common::Result<core::IssuedTotp> issue_token(const core::Principal&, std::string_view username,
                                               std::string_view type) override {
    called("issue_token", username);
    issued_type = type;
    return issued();
  }
  common::Result<core::IssuedTotp> issue_temporary_token(const core::Principal&,
                                                         std::string_view username,
                                                         std::string_view type) override {
    called("issue_temporary_token", username);
    issued_type = type;
    return issued();
  }
  common::Result<core::TokenView> report_token_lost(const core::Principal&, std::string_view id,
                                                    std::string_view n) override {
    called("report_token_lost", id);
    note = n;
    return token_answer();
  }
  common::Result<core::TokenView> revoke_token(const core::Principal&, std::string_view id,
                                               std::string_view n) override {
    called("revoke_token", id);
    note = n;
    return token_answer();
  }
  common::Result<core::TokenView> return_token(const core::Principal&, std::string_view id,
                                               std::string_view n) override {
    called("return_token", id);
    note = n;
    return token_answer();
  }
  common::Result<core::TokenView> resync_token(const core::Principal&, std::string_view id,
                                               std::string_view first,
                                               std::string_view second) override {
    called("resync_token", id);
    first_code = first;
    second_code = second;
    return token_answer();
  }
  common::Result<core::Organisation> set_admin_rights(const core::Principal&, std::string_view id,
                                                      std::string_view s,
                                                      std::string_view r) override {
    called("set_admin_rights", id);
    state = s;
    reason = r;
    if (refusal) return *refusal;
    return core::Organisation{"P-001", "Partner One", "partner", "LA-001", std::string(s)};
  }
  common::Result<core::SweepResult> sweep(const core::Principal&) override {
    called("sweep", "");
    if (refusal) return *refusal;
    core::SweepResult result;
    result.suspended_vetting_expired = {"vera"};
    result.suspended_dormant = {"dan", "dora"};
    result.warned_vetting = {"wes:60"};
    result.pending_too_long = {"pat"};
    result.expired_temporary_tokens = {"tok-9"};
    return result;
  }
  common::Result<core::Report> report(const core::Principal&, std::string_view name) override {
    called("report", name);
    if (refusal) return *refusal;
    core::Report report;
    report.name = std::string(name);
    report.accounts.push_back({"dan", "LA-001", "active", at(10), at(20), "no login for 120 days"});
    report.tokens.push_back({"tok-2", "bob", "LA-001", "totp", "revoked", "awaiting_return", at(30)});
    return report;
  }
  common::Result<std::vector<core::NotificationView>> list_notifications(const core::Principal&,
                                                                         int64_t a,
                                                                         int l) override {
    called("list_notifications", "");
    after = a;
    limit = l;
    if (refusal) return *refusal;
    return notifications;
  }

 private:
  void called(std::string method, std::string_view target) {
    last_method = std::move(method);
    last_target = target;
  }
  common::Result<core::UserView> user_answer() const {
    if (refusal) return *refusal;
    return sample_user();
  }
  common::Result<core::TokenView> token_answer() const {
    if (refusal) return *refusal;
    return sample_token();
  }
  common::Result<core::IssuedTotp> issued() const {
    if (refusal) return *refusal;
    return core::IssuedTotp{"tok-7", "otpauth://totp/authd:bob?secret=ABC", "<svg/>"};
  }
};

class RouterLifecycleTest : public ::testing::Test {
 protected:
  authd::HttpResponse call(const std::string& method, const std::string& target,
                           const std::string& body = {}) {
    const std::string authorization = std::string("Bearer ") + kBearer;
    const authd::HttpRequest request{method,        target, body.empty() ? "" : "application/json",
                                     authorization, body,   "192.0.2.10"};
    return router_.handle(request);
  }
  authd::HttpResponse post(const std::string& target, const json& body) {
    return call("POST", target, body.dump());
  }
  static json json_of(const authd::HttpResponse& response) {
    return json::parse(response.body, nullptr, false);
  }
  void refuse(common::Errc code, const std::string& message) {
    service_.refusal = common::make_error(code, message);
  }

  ScriptedLifecycleService service_;
  authd::Router router_{service_};
};

TEST_F(RouterLifecycleTest, NominationHandsEveryFieldToTheCoreAndAnswersTheAccount) {
  const json body = {{"username", "bob"},
                     {"display_name", "Bob B"},
                     {"organisation", "LA-001"},
                     {"roles", {"practitioner"}},
                     {"password", "Initial-Password-1234"},
                     {"email", "bob@example.org"},
                     {"job_title", "Social worker"},
                     {"manager_name", "Mary Manager"},
                     {"manager_email", "mary@example.org"},
                     {"conditions",
                      {{"need", "case work"},
                       {"accredited_training_on", "2026-01-05"},
                       {"local_training_on", "2026-01-12"},
                       {"vetting_disclosure_on", "2025-06-01"},
                       {"vetting_basis", "employer_confirmation"},
                       {"vetting_confirmed_by", "HR Jones"},
                       {"vetting_confirmed_on", "2025-06-03"},
                       {"barring_scheme_ref", "BS-1"}}}};
  const authd::HttpResponse response = post("/v1/users", body);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(service_.last_method, "create_user");
  const core::NewUser& user = service_.nominated;
  EXPECT_EQ(user.username, "bob");
  EXPECT_EQ(user.email, "bob@example.org");
  EXPECT_EQ(user.job_title, "Social worker");
  EXPECT_EQ(user.manager_name, "Mary Manager");
  EXPECT_EQ(user.manager_email, "mary@example.org");
  EXPECT_EQ(user.conditions.need, "case work");
  EXPECT_EQ(user.conditions.accredited_training_on, "2026-01-05");
  EXPECT_EQ(user.conditions.local_training_on, "2026-01-12");
  EXPECT_EQ(user.conditions.vetting_disclosure_on, "2025-06-01");
  EXPECT_EQ(user.conditions.vetting_basis, "employer_confirmation");
  EXPECT_EQ(user.conditions.vetting_confirmed_by, "HR Jones");
  EXPECT_EQ(user.conditions.vetting_confirmed_on, "2025-06-03");
  EXPECT_EQ(user.conditions.barring_scheme_ref, "BS-1");
  EXPECT_EQ(json_of(response)["state"], "suspended");  // the core's answer, rendered as is
}

TEST_F(RouterLifecycleTest, NominationWithoutTheOptionalFieldsLeavesThemEmpty) {
  const json body = {{"username", "bob"},
                     {"display_name", "Bob B"},
                     {"organisation", "LA-001"},
                     {"roles", {"practitioner"}},
                     {"password", "Initial-Password-1234"}};
  ASSERT_EQ(post("/v1/users", body).status, 201);
  EXPECT_EQ(service_.nominated.email, "");
  EXPECT_EQ(service_.nominated.conditions.need, "");
  EXPECT_EQ(service_.nominated.conditions.vetting_basis, "");
}

TEST_F(RouterLifecycleTest, MalformedNominationConditionsAreRefusedNamingTheMember) {
  const json base = {{"username", "bob"},
                     {"display_name", "Bob B"},
                     {"organisation", "LA-001"},
                     {"roles", {"practitioner"}},
                     {"password", "Initial-Password-1234"}};
  json unknown = base;
  unknown["conditions"] = {{"vetting", "2025-01-01"}};
  expect_error(post("/v1/users", unknown), 400, "bad_request", "conditions.vetting");
  json not_object = base;
  not_object["conditions"] = "all met";
  expect_error(post("/v1/users", not_object), 400, "bad_request", "conditions");
  json not_string = base;
  not_string["conditions"] = {{"need", 3}};
  expect_error(post("/v1/users", not_string), 400, "bad_request", "conditions.need");
  json bad_email = base;
  bad_email["email"] = nullptr;
  expect_error(post("/v1/users", bad_email), 400, "bad_request", "email");
  const std::string duplicate =
      R"({"username":"bob","display_name":"B","organisation":"LA-001","roles":["practitioner"],)"
      R"("password":"Initial-Password-1234","conditions":{"need":"a","need":"b"}})";
  expect_error(call("POST", "/v1/users", duplicate), 400, "bad_request", "conditions.need");
  EXPECT_EQ(service_.last_method, "") << "nothing reached the core";
}

TEST_F(RouterLifecycleTest, UserJsonCarriesStateDetailsConditionsLastChangeAndTokens) {
  service_.refusal.reset();
  const authd::HttpResponse response = post("/v1/users/bob/approve", json::object());
  ASSERT_EQ(response.status, 200) << response.body;
  const json user = json_of(response);
  EXPECT_EQ(user["state"], "suspended");
  EXPECT_EQ(user["locked"], true);
  EXPECT_EQ(user["access_review_required"], true);
  EXPECT_EQ(user["email"], "bob@example.org");
  EXPECT_EQ(user["job_title"], "Social worker");
  EXPECT_EQ(user["manager_name"], "Mary Manager");
  EXPECT_EQ(user["manager_email"], "mary@example.org");
  EXPECT_EQ(user["conditions"],
            json({{"need", "case work"},
                  {"accredited_training_on", ""},
                  {"local_training_on", ""},
                  {"vetting_disclosure_on", "2026-01-02"},
                  {"vetting_basis", "employer_confirmation"},
                  {"vetting_confirmed_by", "HR"},
                  {"vetting_confirmed_on", "2026-01-03"},
                  {"barring_scheme_ref", ""}}));
  EXPECT_EQ(user["last_change"], json({{"state", "suspended"},
                                       {"reason", "investigation"},
                                       {"note", "asked by the LA"},
                                       {"requested_by", "carol"},
                                       {"verified_by", "call back"},
                                       {"actor", "admin"},
                                       {"at", "2027-01-15T08:05:00Z"}}));
  ASSERT_EQ(user["tokens"].size(), 1u);
  EXPECT_EQ(user["tokens"][0], json({{"token_id", "tok-1"},
                                     {"type", "totp"},
                                     {"state", "lost"},
                                     {"issued_at", "2027-01-15T08:00:00Z"},
                                     {"activated_at", "2027-01-15T08:01:00Z"},
                                     {"state_changed_at", "2027-01-15T08:02:00Z"},
                                     {"temporary", true},
                                     {"expires_at", "2027-01-25T08:00:00Z"},
                                     {"custody", "awaiting_return"}}));
}

TEST_F(RouterLifecycleTest, NoLastChangeIsNull) {
  // Rendered through the real view function on a user without a change.
  core::UserView user = sample_user();
  user.last_change.reset();
  user.tokens[0].temporary = false;
  user.tokens[0].expires_at.reset();
  // The route renders whatever the core answers; use get_user's path.
  class OneUser final : public StubService {
   public:
    explicit OneUser(core::UserView u) : user_(std::move(u)) {}
    common::Result<core::Principal> authenticate(std::string_view, std::string_view) override {
      return core::Principal{};
    }
    common::Result<core::UserView> get_user(const core::Principal&, std::string_view) override {
      return user_;
    }

   private:
    core::UserView user_;
  } service(user);
  authd::Router router(service);
  const authd::HttpResponse response =
      router.handle({"GET", "/v1/users/bob", "", "Bearer x", "", "192.0.2.10"});
  ASSERT_EQ(response.status, 200) << response.body;
  const json body = json_of(response);
  EXPECT_TRUE(body["last_change"].is_null());
  EXPECT_EQ(body["tokens"][0]["temporary"], false);
  EXPECT_TRUE(body["tokens"][0]["expires_at"].is_null());
}

TEST_F(RouterLifecycleTest, PatchChangesOnlyTheMembersSent) {
  ASSERT_EQ(call("PATCH", "/v1/users/bob", R"({"job_title":"Team lead","email":""})").status, 200);
  EXPECT_EQ(service_.last_method, "update_user");
  EXPECT_EQ(service_.last_target, "bob");
  EXPECT_EQ(service_.update.job_title, std::optional<std::string>("Team lead"));
  EXPECT_EQ(service_.update.email, std::optional<std::string>(""));
  EXPECT_FALSE(service_.update.display_name.has_value());
  EXPECT_FALSE(service_.update.manager_name.has_value());
  EXPECT_FALSE(service_.update.manager_email.has_value());
  EXPECT_FALSE(service_.update.roles.has_value());

  ASSERT_EQ(call("PATCH", "/v1/users/bob",
                 R"({"roles":["manager","practitioner"],"display_name":"Robert",)"
                 R"("manager_name":"M","manager_email":"m@example.org"})")
                .status,
            200);
  ASSERT_TRUE(service_.update.roles.has_value());
  EXPECT_EQ(*service_.update.roles, (std::vector<std::string>{"manager", "practitioner"}));
  EXPECT_EQ(service_.update.display_name, std::optional<std::string>("Robert"));
  EXPECT_EQ(service_.update.manager_email, std::optional<std::string>("m@example.org"));

  expect_error(call("PATCH", "/v1/users/bob", R"({"state":"active"})"), 400, "bad_request",
               "state");
  expect_error(call("PATCH", "/v1/users/bob", R"({"roles":"manager"})"), 400, "bad_request",
               "roles");
}

TEST_F(RouterLifecycleTest, UsersPathAllowsGetAndPatchOnly) {
  const authd::HttpResponse response = call("DELETE", "/v1/users/bob");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(header(response, "Allow"), "GET, PATCH");
}

TEST_F(RouterLifecycleTest, ConditionsRecordOnlyTheMembersSent) {
  ASSERT_EQ(post("/v1/users/bob/conditions",
                 {{"vetting_disclosure_on", "2026-10-01"}, {"barring_scheme_ref", ""}})
                .status,
            200);
  EXPECT_EQ(service_.last_method, "record_conditions");
  EXPECT_EQ(service_.conditions.vetting_disclosure_on, std::optional<std::string>("2026-10-01"));
  EXPECT_EQ(service_.conditions.barring_scheme_ref, std::optional<std::string>(""));
  EXPECT_FALSE(service_.conditions.need.has_value());
  EXPECT_FALSE(service_.conditions.vetting_basis.has_value());
  expect_error(post("/v1/users/bob/conditions", {{"vetting_on", "2026-10-01"}}), 400,
               "bad_request", "vetting_on");
  expect_error(call("POST", "/v1/users/bob/conditions", ""), 400, "bad_request", "body");
}

TEST_F(RouterLifecycleTest, StateActionsHandTheWrittenRecordToTheCore) {
  ASSERT_EQ(post("/v1/users/bob/suspend", {{"reason", "investigation"},
                                           {"note", "police enquiry"},
                                           {"requested_by", "carol"},
                                           {"verified_by", "phoned back"}})
                .status,
            200);
  EXPECT_EQ(service_.last_method, "suspend_user");
  EXPECT_EQ(service_.last_target, "bob");
  EXPECT_EQ(service_.record.reason, "investigation");
  EXPECT_EQ(service_.record.note, "police enquiry");
  EXPECT_EQ(service_.record.requested_by, "carol");
  EXPECT_EQ(service_.record.verified_by, "phoned back");

  ASSERT_EQ(post("/v1/users/bob/reactivate", {{"note", "back from leave"}}).status, 200);
  EXPECT_EQ(service_.last_method, "reactivate_user");
  EXPECT_EQ(service_.record.note, "back from leave");
  EXPECT_EQ(service_.record.requested_by, "");

  ASSERT_EQ(post("/v1/users/bob/reject", {{"reason", "no need shown"}}).status, 200);
  EXPECT_EQ(service_.last_method, "reject_user");
  EXPECT_EQ(service_.record.reason, "no need shown");

  ASSERT_EQ(post("/v1/users/bob/close", {{"note", "left the LA"}}).status, 200);
  EXPECT_EQ(service_.last_method, "close_user");
  EXPECT_EQ(service_.record.note, "left the LA");
  EXPECT_EQ(service_.record.reason, "");

  ASSERT_EQ(post("/v1/users/bob/review", {{"note", "new role checked"}}).status, 200);
  EXPECT_EQ(service_.last_method, "clear_access_review");
  EXPECT_EQ(service_.note, "new role checked");

  ASSERT_EQ(call("POST", "/v1/users/bob/unlock").status, 200);
  EXPECT_EQ(service_.last_method, "unlock_user");
  ASSERT_EQ(call("POST", "/v1/users/bob/approve", "{}").status, 200);
  EXPECT_EQ(service_.last_method, "approve_user");
}

TEST_F(RouterLifecycleTest, StateActionsRefuseMissingOrUnknownMembersBeforeTheCore) {
  struct Case {
    std::string path;
    json body;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {"/v1/users/bob/suspend", {{"note", "x"}}, "reason"},
           {"/v1/users/bob/suspend", {{"reason", "investigation"}}, "note"},
           {"/v1/users/bob/suspend", {{"reason", "investigation"}, {"note", "x"}, {"by", "y"}},
            "by"},
           {"/v1/users/bob/reactivate", json::object(), "note"},
           {"/v1/users/bob/reactivate", {{"note", "x"}, {"reason", "y"}}, "reason"},
           {"/v1/users/bob/reject", json::object(), "reason"},
           {"/v1/users/bob/close", {{"reason", "left"}}, "note"},
           {"/v1/users/bob/review", json::object(), "note"},
           {"/v1/users/bob/approve", {{"note", "x"}}, "note"},
           {"/v1/users/bob/unlock", {{"note", "x"}}, "note"},
           {"/v1/users/bob/password-reset", {{"password", "mine"}}, "password"},
       }) {
    SCOPED_TRACE(c.path + " " + c.body.dump());
    expect_error(post(c.path, c.body), 400, "bad_request", c.field);
  }
  EXPECT_EQ(service_.last_method, "") << "nothing reached the core";
}

TEST_F(RouterLifecycleTest, CoreRefusalsKeepTheirCodeAndMessage) {
  refuse(common::Errc::conflict,
         "conditions of access not met: accredited training; vetting disclosure");
  const authd::HttpResponse conflict = post("/v1/users/bob/approve", json::object());
  expect_error(conflict, 409, "conflict");
  EXPECT_EQ(json_of(conflict)["message"],
            "conditions of access not met: accredited training; vetting disclosure");

  refuse(common::Errc::not_found, "no such user");
  expect_error(post("/v1/users/zed/suspend", {{"reason", "investigation"}, {"note", "n"}}), 404,
               "not_found");
  refuse(common::Errc::forbidden, "permission user_close needed");
  expect_error(post("/v1/users/bob/close", {{"note", "n"}}), 403, "forbidden");
  refuse(common::Errc::bad_request, "not a suspension reason");
  service_.refusal->field = "reason";
  expect_error(post("/v1/users/bob/suspend", {{"reason", "bored"}, {"note", "n"}}), 400,
               "bad_request", "reason");
  refuse(common::Errc::internal, "not implemented yet");
  const authd::HttpResponse internal = post("/v1/users/bob/unlock", json::object());
  expect_error(internal, 500, "internal");
  EXPECT_EQ(internal.body.find("not implemented"), std::string::npos) << "no internals leak";
}

TEST_F(RouterLifecycleTest, EndedSessionIsRefusedAs401) {
  service_.session_refusal =
      common::make_error(common::Errc::invalid_session, "the session has ended");
  const authd::HttpResponse response = post("/v1/users/bob/approve", json::object());
  expect_error(response, 401, "invalid_session");
  EXPECT_EQ(header(response, "WWW-Authenticate"), "Bearer realm=\"authd\"");
  EXPECT_EQ(service_.last_method, "");
}

TEST_F(RouterLifecycleTest, PasswordResetAnswersTheOneTimePasswordOnce) {
  const authd::HttpResponse response = call("POST", "/v1/users/bob/password-reset");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(json_of(response), json({{"password", "One-Time-Password-4711"}}));
  EXPECT_EQ(service_.last_method, "reset_password");
  EXPECT_EQ(service_.last_target, "bob");
  refuse(common::Errc::forbidden, "no");
  expect_error(call("POST", "/v1/users/bob/password-reset", "{}"), 403, "forbidden");
}

TEST_F(RouterLifecycleTest, PasswordResetIsASlowRoute) {
  // It runs Argon2id, so the transport moves it off the I/O threads.
  const authd::HttpRequest reset{"POST", "/v1/users/bob/password-reset", "", "", "", ""};
  const authd::HttpRequest suspend{"POST", "/v1/users/bob/suspend", "", "", "", ""};
  EXPECT_TRUE(router_.is_slow(reset));
  EXPECT_FALSE(router_.is_slow(suspend));
}

TEST_F(RouterLifecycleTest, TemporaryTokenIssueCallsTheTemporaryOperation) {
  ASSERT_EQ(post("/v1/users/bob/tokens", {{"type", "totp"}, {"temporary", true}}).status, 201);
  EXPECT_EQ(service_.last_method, "issue_temporary_token");
  EXPECT_EQ(service_.issued_type, "totp");
  ASSERT_EQ(post("/v1/users/bob/tokens", {{"type", "totp"}, {"temporary", false}}).status, 201);
  EXPECT_EQ(service_.last_method, "issue_token");
  ASSERT_EQ(post("/v1/users/bob/tokens", {{"type", "totp"}}).status, 201);
  EXPECT_EQ(service_.last_method, "issue_token");
  service_.last_method.clear();
  expect_error(post("/v1/users/bob/tokens", {{"type", "totp"}, {"temporary", "yes"}}), 400,
               "bad_request", "temporary");
  EXPECT_EQ(service_.last_method, "");
}

TEST_F(RouterLifecycleTest, TokenActionsHandTheNoteToTheCoreAndAnswerTheToken) {
  for (const auto& [action, method] : std::vector<std::pair<std::string, std::string>>{
           {"lost", "report_token_lost"}, {"revoke", "revoke_token"}, {"return", "return_token"}}) {
    SCOPED_TRACE(action);
    const authd::HttpResponse response =
        post("/v1/tokens/tok-1/" + action, {{"note", "left on a train"}});
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(service_.last_method, method);
    EXPECT_EQ(service_.last_target, "tok-1");
    EXPECT_EQ(service_.note, "left on a train");
    EXPECT_EQ(json_of(response)["custody"], "awaiting_return");
    EXPECT_EQ(json_of(response)["state"], "lost");

    ASSERT_EQ(call("POST", "/v1/tokens/tok-1/" + action).status, 200) << "no body: no note";
    EXPECT_EQ(service_.note, "");
    expect_error(post("/v1/tokens/tok-1/" + action, {{"reason", "x"}}), 400, "bad_request",
                 "reason");
  }
}

TEST_F(RouterLifecycleTest, ResyncNeedsBothCodes) {
  ASSERT_EQ(post("/v1/tokens/tok-1/resync", {{"first_code", "123456"}, {"second_code", "654321"}})
                .status,
            200);
  EXPECT_EQ(service_.last_method, "resync_token");
  EXPECT_EQ(service_.first_code, "123456");
  EXPECT_EQ(service_.second_code, "654321");
  service_.last_method.clear();
  expect_error(post("/v1/tokens/tok-1/resync", {{"first_code", "123456"}}), 400, "bad_request",
               "second_code");
  expect_error(call("POST", "/v1/tokens/tok-1/resync"), 400, "bad_request", "body");
  EXPECT_EQ(service_.last_method, "");
  refuse(common::Errc::invalid_credentials, "the codes do not match");
  expect_error(post("/v1/tokens/tok-1/resync", {{"first_code", "1"}, {"second_code", "2"}}), 401,
               "invalid_credentials");
}

TEST_F(RouterLifecycleTest, AdminRightsTakeAStateAndAReason) {
  const authd::HttpResponse response =
      post("/v1/organisations/P-001/admin-rights", {{"state", "suspended"}, {"reason", "audit"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.last_target, "P-001");
  EXPECT_EQ(service_.state, "suspended");
  EXPECT_EQ(service_.reason, "audit");
  EXPECT_EQ(json_of(response), json({{"id", "P-001"},
                                     {"name", "Partner One"},
                                     {"kind", "partner"},
                                     {"parent", "LA-001"},
                                     {"admin_rights", "suspended"}}));
  expect_error(post("/v1/organisations/P-001/admin-rights", {{"state", "granted"}}), 400,
               "bad_request", "reason");
  expect_error(call("GET", "/v1/organisations/P-001/admin-rights"), 405, "method_not_allowed");
}

TEST_F(RouterLifecycleTest, SweepAnswersWhatItDid) {
  const authd::HttpResponse response = call("POST", "/v1/sweep", "{}");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(json_of(response), json({{"suspended_vetting_expired", {"vera"}},
                                     {"suspended_dormant", {"dan", "dora"}},
                                     {"warned_vetting", {"wes:60"}},
                                     {"pending_too_long", {"pat"}},
                                     {"expired_temporary_tokens", {"tok-9"}}}));
  service_.last_method.clear();
  expect_error(post("/v1/sweep", {{"dry_run", true}}), 400, "bad_request", "dry_run");
  EXPECT_EQ(service_.last_method, "");
  refuse(common::Errc::forbidden, "permission sweep_run needed");
  expect_error(call("POST", "/v1/sweep"), 403, "forbidden");
}

TEST_F(RouterLifecycleTest, ReportsRenderAccountAndTokenRows) {
  const authd::HttpResponse response = call("GET", "/v1/reports/dormant");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.last_target, "dormant");
  EXPECT_EQ(json_of(response), json({{"report", "dormant"},
                                     {"accounts",
                                      {{{"username", "dan"},
                                        {"organisation", "LA-001"},
                                        {"state", "active"},
                                        {"last_login_at", "2027-01-15T08:00:10Z"},
                                        {"since", "2027-01-15T08:00:20Z"},
                                        {"detail", "no login for 120 days"}}}},
                                     {"tokens",
                                      {{{"token_id", "tok-2"},
                                        {"username", "bob"},
                                        {"organisation", "LA-001"},
                                        {"type", "totp"},
                                        {"state", "revoked"},
                                        {"custody", "awaiting_return"},
                                        {"since", "2027-01-15T08:00:30Z"}}}}}));
  refuse(common::Errc::not_found, "no such report");
  expect_error(call("GET", "/v1/reports/everything"), 404, "not_found");
  expect_error(call("GET", "/v1/reports/dormant?limit=3"), 400, "bad_request", "limit");
}

TEST_F(RouterLifecycleTest, NotificationsArePagedWithNextAfter) {
  core::NotificationView first;
  first.id = 4;
  first.kind = "account.suspended";
  first.recipient = "mary@example.org";
  first.subject = "Account bob suspended";
  first.about = "bob";
  first.state = "delivered";
  first.attempts = 2;
  first.created_at = at(0);
  first.delivered_at = at(90);
  first.last_error = "";
  core::NotificationView second = first;
  second.id = 9;
  second.state = "pending";
  second.delivered_at.reset();
  second.last_error = "exit status 1";
  service_.notifications = {first, second};

  const authd::HttpResponse response = call("GET", "/v1/notifications?after=3&limit=2");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service_.after, 3);
  EXPECT_EQ(service_.limit, 2);
  const json body = json_of(response);
  EXPECT_EQ(body["next_after"], 9);
  ASSERT_EQ(body["notifications"].size(), 2u);
  EXPECT_EQ(body["notifications"][0], json({{"id", 4},
                                            {"kind", "account.suspended"},
                                            {"recipient", "mary@example.org"},
                                            {"subject", "Account bob suspended"},
                                            {"about", "bob"},
                                            {"state", "delivered"},
                                            {"attempts", 2},
                                            {"created_at", "2027-01-15T08:00:00Z"},
                                            {"delivered_at", "2027-01-15T08:01:30Z"},
                                            {"last_error", ""}}));
  EXPECT_TRUE(body["notifications"][1]["delivered_at"].is_null());

  service_.notifications.clear();
  const authd::HttpResponse empty = call("GET", "/v1/notifications");
  EXPECT_EQ(service_.after, 0);
  EXPECT_EQ(service_.limit, 100);
  EXPECT_EQ(json_of(empty), json({{"notifications", json::array()}, {"next_after", 0}}));

  expect_error(call("GET", "/v1/notifications?limit=0"), 400, "bad_request", "limit");
  expect_error(call("GET", "/v1/notifications?limit=1001"), 400, "bad_request", "limit");
  expect_error(call("GET", "/v1/notifications?after=-1"), 400, "bad_request", "after");
  expect_error(call("GET", "/v1/notifications?kind=x"), 400, "bad_request", "kind");
}

}  // namespace
}  // namespace authd_test
