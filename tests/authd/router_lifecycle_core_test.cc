// The account and token lifecycle through the HTTP API with the real core
// (SQLite, SoftHSM, fake clock): what an administrator and a user see at each
// step, including the refusals.
#include <gtest/gtest.h>

#include "router_fixture.h"

namespace authd_test {
namespace {

using nlohmann::json;

constexpr const char* kChosenPassword = "Copper-Meadow-Tundra-4471";

class RouterLifecycleCoreTest : public RouterTest {
 protected:
  struct Holder {
    std::string username;
    std::string secret;    // TOTP
    std::string password;  // current
    std::string session;   // full rights
  };

  // An approved practitioner with an active token, logged in with its
  // password changed.
  Holder holder(const std::string& admin, const std::string& username) {
    Holder h;
    h.username = username;
    h.secret = create_user_with_token(admin, username, "practitioner");
    const authd::HttpResponse response = login(username, kUserPassword, h.secret);
    EXPECT_EQ(response.status, 200) << response.body;
    h.session = json_of(response).value("session", "");
    const json change = {{"current_password", kUserPassword}, {"new_password", kChosenPassword}};
    EXPECT_EQ(post("/v1/password", change.dump(), h.session).status, 204);
    h.password = kChosenPassword;
    return h;
  }

  authd::HttpResponse login(const std::string& username, const std::string& password,
                            const std::string& secret) {
    const json body = {{"username", username}, {"password", password}, {"otp", next_code(secret)}};
    return post("/v1/login", body.dump());
  }

  authd::HttpResponse patch(const std::string& target, const json& body,
                            const std::string& bearer) {
    Call c;
    c.method = "PATCH";
    c.target = target;
    c.body = body.dump();
    c.bearer = bearer;
    return call(c);
  }

  std::string token_of(const std::string& admin, const std::string& username) {
    const json user = json_of(get("/v1/users/" + username, admin));
    return user["tokens"].empty() ? "" : user["tokens"][0].value("token_id", "");
  }

  static json suspension(const std::string& reason = "investigation") {
    return {{"reason", reason}, {"note", "a police enquiry about the account"}};
  }
};

TEST_F(RouterLifecycleCoreTest, ApprovalIsRefusedNamingEveryUnmetCondition) {
  const std::string admin = admin_session();
  json bare = nomination("nina", "practitioner");
  bare.erase("conditions");
  const authd::HttpResponse created = post("/v1/users", bare.dump(), admin);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json_of(created)["state"], "nominated");

  const authd::HttpResponse refused = post("/v1/users/nina/approve", "{}", admin);
  expect_error(refused, 409, "conflict");
  const std::string message = json_of(refused).value("message", "");
  EXPECT_EQ(message.rfind("conditions of access not met: ", 0), 0u) << message;
  for (const char* condition :
       {"need for access", "accredited", "local training", "vetting disclosure"}) {
    EXPECT_NE(message.find(condition), std::string::npos) << condition << ": " << message;
  }
  // No token before approval.
  expect_error(post("/v1/users/nina/tokens", R"({"type":"totp"})", admin), 409, "conflict");

  const json evidence = nomination("nina", "practitioner")["conditions"];
  const authd::HttpResponse recorded = post("/v1/users/nina/conditions", evidence.dump(), admin);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(json_of(recorded)["conditions"]["vetting_basis"], "disclosure_seen");

  const authd::HttpResponse approved = post("/v1/users/nina/approve", "{}", admin);
  ASSERT_EQ(approved.status, 200) << approved.body;
  const json user = json_of(approved);
  EXPECT_EQ(user["state"], "active");
  ASSERT_TRUE(user["last_change"].is_object()) << approved.body;
  EXPECT_EQ(user["last_change"]["state"], "active");
  EXPECT_EQ(user["last_change"]["actor"], admin_.username);
  // Approving again is an illegal transition.
  expect_error(post("/v1/users/nina/approve", "{}", admin), 409, "conflict");
}

TEST_F(RouterLifecycleCoreTest, RejectionNeedsAReasonAndIsFinal) {
  const std::string admin = admin_session();
  ASSERT_EQ(post("/v1/users", nomination("rita", "practitioner").dump(), admin).status, 201);
  expect_error(post("/v1/users/rita/reject", R"({"reason":""})", admin), 400, "bad_request",
               "reason");
  const authd::HttpResponse rejected =
      post("/v1/users/rita/reject", R"({"reason":"no need for access"})", admin);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(json_of(rejected)["state"], "rejected");
  EXPECT_EQ(json_of(rejected)["last_change"]["reason"], "no need for access");
  expect_error(post("/v1/users/rita/approve", "{}", admin), 409, "conflict");
}

TEST_F(RouterLifecycleCoreTest, SuspensionEndsTheUsersSessionWithinOneRequest) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  ASSERT_EQ(get("/v1/session", bob.session).status, 200);

  json record = suspension();
  record["requested_by"] = "carol.manager";
  record["verified_by"] = "phoned carol back on the LA switchboard";
  const authd::HttpResponse suspended = post("/v1/users/bob/suspend", record.dump(), admin);
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  const json user = json_of(suspended);
  EXPECT_EQ(user["state"], "suspended");
  EXPECT_EQ(user["last_change"]["reason"], "investigation");
  EXPECT_EQ(user["last_change"]["note"], "a police enquiry about the account");
  EXPECT_EQ(user["last_change"]["requested_by"], "carol.manager");
  EXPECT_EQ(user["last_change"]["verified_by"], "phoned carol back on the LA switchboard");

  // The very next request with the user's session is refused, and so is login.
  expect_error(get("/v1/session", bob.session), 401, "invalid_session");
  const authd::HttpResponse again = login("bob", bob.password, bob.secret);
  EXPECT_EQ(again.status, 403) << again.body;
  EXPECT_EQ(json_of(again).value("error", ""), "account_suspended") << again.body;

  // The staff manager is told through the outbox.
  const json outbox = json_of(get("/v1/notifications", admin));
  bool told = false;
  for (const json& message : outbox["notifications"]) {
    told = told || (message["about"] == "bob" && message["kind"] == "account.suspended" &&
                    message["recipient"] == "manager.bob@example.org");
  }
  EXPECT_TRUE(told) << outbox.dump();
}

TEST_F(RouterLifecycleCoreTest, SuspensionRefusalsSayWhatIsWrong) {
  const std::string admin = admin_session();
  nominate_and_approve(admin, "sam", "practitioner");
  expect_error(post("/v1/users/sam/suspend", suspension("bored").dump(), admin), 400,
               "bad_request", "reason");
  expect_error(post("/v1/users/sam/suspend", R"({"reason":"investigation","note":""})", admin),
               400, "bad_request", "note");
  json unverified = suspension();
  unverified["requested_by"] = "someone.else";
  expect_error(post("/v1/users/sam/suspend", unverified.dump(), admin), 400, "bad_request",
               "verified_by");
  expect_error(post("/v1/users/nobody/suspend", suspension().dump(), admin), 404, "not_found");

  ASSERT_EQ(post("/v1/users", nomination("ned", "practitioner").dump(), admin).status, 201);
  expect_error(post("/v1/users/ned/suspend", suspension().dump(), admin), 409, "conflict");
}

TEST_F(RouterLifecycleCoreTest, ReactivationNeedsANoteAndRestoresLogin) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  ASSERT_EQ(post("/v1/users/bob/suspend", suspension("extended_leave").dump(), admin).status, 200);
  expect_error(post("/v1/users/bob/reactivate", R"({"note":""})", admin), 400, "bad_request",
               "note");
  const authd::HttpResponse back =
      post("/v1/users/bob/reactivate", R"({"note":"back from leave"})", admin);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(json_of(back)["state"], "active");
  EXPECT_EQ(login("bob", bob.password, bob.secret).status, 200);
  expect_error(post("/v1/users/bob/reactivate", R"({"note":"again"})", admin), 409, "conflict");
}

TEST_F(RouterLifecycleCoreTest, LostTokenSuspendsTheHolderAtOnce) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  const std::string token_id = token_of(admin, "bob");
  ASSERT_FALSE(token_id.empty());

  // The holder reports it with their own session.
  const authd::HttpResponse lost =
      post("/v1/tokens/" + token_id + "/lost", R"({"note":"left on a train"})", bob.session);
  ASSERT_EQ(lost.status, 200) << lost.body;
  EXPECT_EQ(json_of(lost)["state"], "lost");
  expect_error(get("/v1/session", bob.session), 401, "invalid_session");
  const json user = json_of(get("/v1/users/bob", admin));
  EXPECT_EQ(user["state"], "suspended");
  EXPECT_EQ(user["last_change"]["reason"], "token_lost");

  // A lost token cannot be activated again, and reactivation needs a new token first.
  expect_error(post("/v1/tokens/" + token_id + "/lost", "{}", admin), 409, "conflict");
  const authd::HttpResponse early =
      post("/v1/users/bob/reactivate", R"({"note":"found a replacement"})", admin);
  expect_error(early, 409, "conflict");

  // A temporary replacement, activated, then reactivation succeeds.
  const authd::HttpResponse temporary =
      post("/v1/users/bob/tokens", R"({"type":"totp","temporary":true})", admin);
  ASSERT_EQ(temporary.status, 201) << temporary.body;
  const std::string temp_secret = otpauth_secret(json_of(temporary).value("otpauth_uri", ""));
  const std::string temp_id = json_of(temporary).value("token_id", "");
  const json activate = {{"otp", next_code(temp_secret)}};
  ASSERT_EQ(post("/v1/tokens/" + temp_id + "/activate", activate.dump(), admin).status, 200);
  const json shown = json_of(get("/v1/users/bob", admin));
  bool temporary_listed = false;
  for (const json& token : shown["tokens"]) {
    if (token["token_id"] == temp_id) {
      temporary_listed = token["temporary"] == true && token["expires_at"].is_string();
    }
  }
  EXPECT_TRUE(temporary_listed) << shown.dump();
  const authd::HttpResponse back =
      post("/v1/users/bob/reactivate", R"({"note":"temporary token in hand"})", admin);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(login("bob", bob.password, temp_secret).status, 200);
}

TEST_F(RouterLifecycleCoreTest, ClosingRevokesEveryTokenAndIsFinal) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  expect_error(post("/v1/users/bob/close", R"({"reason":"left"})", admin), 400, "bad_request",
               "note");
  const authd::HttpResponse closed =
      post("/v1/users/bob/close", R"({"reason":"left the LA","note":"last day 30 June"})", admin);
  ASSERT_EQ(closed.status, 200) << closed.body;
  const json user = json_of(closed);
  EXPECT_EQ(user["state"], "closed");
  ASSERT_FALSE(user["tokens"].empty());
  for (const json& token : user["tokens"]) {
    EXPECT_EQ(token["state"], "revoked") << token.dump();
    EXPECT_EQ(token["custody"], "awaiting_return") << token.dump();
  }
  expect_error(get("/v1/session", bob.session), 401, "invalid_session");
  // Every token is revoked, so even the right password and code fail.
  expect_error(login("bob", bob.password, bob.secret), 401, "invalid_credentials");
  expect_error(post("/v1/users/bob/approve", "{}", admin), 409, "conflict");
  expect_error(post("/v1/users/bob/reactivate", R"({"note":"n"})", admin), 409, "conflict");

  // The hardware comes back.
  const std::string token_id = user["tokens"][0].value("token_id", "");
  const authd::HttpResponse returned =
      post("/v1/tokens/" + token_id + "/return", R"({"note":"posted back"})", admin);
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(json_of(returned)["custody"], "returned");
  EXPECT_EQ(json_of(returned)["state"], "returned");
}

TEST_F(RouterLifecycleCoreTest, RevokedTokenNeverAuthenticates) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  const std::string token_id = token_of(admin, "bob");
  const authd::HttpResponse revoked = post("/v1/tokens/" + token_id + "/revoke", "", admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(json_of(revoked)["state"], "revoked");
  const authd::HttpResponse refused = login("bob", bob.password, bob.secret);
  expect_error(refused, 401, "invalid_credentials");
  const json activate = {{"otp", next_code(bob.secret)}};
  expect_error(post("/v1/tokens/" + token_id + "/activate", activate.dump(), admin), 409,
               "conflict");
}

TEST_F(RouterLifecycleCoreTest, PasswordResetGivesAOneTimePasswordAndEndsSessions) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  const authd::HttpResponse reset = post("/v1/users/bob/password-reset", "{}", admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  const std::string password = json_of(reset).value("password", "");
  ASSERT_GE(password.size(), 12u);
  expect_error(get("/v1/session", bob.session), 401, "invalid_session");
  EXPECT_EQ(login("bob", bob.password, bob.secret).status, 401) << "the old password is gone";
  const authd::HttpResponse fresh = login("bob", password, bob.secret);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(json_of(fresh)["must_change_password"], true);
}

TEST_F(RouterLifecycleCoreTest, RoleChangeRaisesAnAccessReviewThatANoteClears) {
  const std::string admin = admin_session();
  nominate_and_approve(admin, "una", "practitioner");
  const authd::HttpResponse email = patch("/v1/users/una", {{"email", "una@new.example"}}, admin);
  ASSERT_EQ(email.status, 200) << email.body;
  EXPECT_EQ(json_of(email)["email"], "una@new.example");
  EXPECT_EQ(json_of(email)["access_review_required"], false);

  const authd::HttpResponse changed =
      patch("/v1/users/una", {{"roles", {"manager"}}, {"job_title", "Team manager"}}, admin);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json_of(changed)["roles"], json({"manager"}));
  EXPECT_EQ(json_of(changed)["access_review_required"], true);
  const json reviews = json_of(get("/v1/reports/reviews", admin));
  ASSERT_FALSE(reviews["accounts"].empty()) << reviews.dump();
  EXPECT_EQ(reviews["accounts"][0]["username"], "una");

  expect_error(post("/v1/users/una/review", R"({"note":""})", admin), 400, "bad_request", "note");
  const authd::HttpResponse reviewed =
      post("/v1/users/una/review", R"({"note":"new role confirmed by the LA"})", admin);
  ASSERT_EQ(reviewed.status, 200) << reviewed.body;
  EXPECT_EQ(json_of(reviewed)["access_review_required"], false);
  expect_error(patch("/v1/users/una", {{"roles", {"wizard"}}}, admin), 400, "bad_request",
               "roles");
}

TEST_F(RouterLifecycleCoreTest, UnlockClearsALockout) {
  // Reopen with a policy that locks after three failures.
  router_.reset();
  service_.reset();
  config_.policy.lockout.lock_after_failures = 3;
  auto reopened = core::Service::open(config_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  service_ = std::move(*reopened);
  router_ = std::make_unique<authd::Router>(*service_);

  std::string admin = admin_session();
  Holder ula = holder(admin, "ula");
  expect_error(post("/v1/users/ula/unlock", "", admin), 409, "conflict");
  for (int i = 0; i < 3; ++i) {
    const json wrong = {{"username", "ula"}, {"password", "not her password at all"},
                        {"otp", "000000"}};
    EXPECT_NE(post("/v1/login", wrong.dump()).status, 200);
    clock_->advance(std::chrono::hours(1));  // past any back-off
  }
  admin = admin_session();  // the hours waited ended the first one
  EXPECT_EQ(json_of(get("/v1/users/ula", admin))["locked"], true);
  EXPECT_NE(login("ula", ula.password, ula.secret).status, 200) << "locked out";

  const authd::HttpResponse unlocked = post("/v1/users/ula/unlock", "", admin);
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(json_of(unlocked)["locked"], false);
  EXPECT_EQ(login("ula", ula.password, ula.secret).status, 200);
}

TEST_F(RouterLifecycleCoreTest, PartnerAdministrationRightsAreGrantedAndWithdrawn) {
  const std::string admin = admin_session();
  const authd::HttpResponse partner = post(
      "/v1/organisations", R"({"id":"PT-1","name":"Partner","kind":"partner","parent":"LA-001"})",
      admin);
  ASSERT_EQ(partner.status, 201) << partner.body;
  EXPECT_EQ(json_of(partner)["admin_rights"], "none");
  for (const char* state : {"granted", "suspended", "removed"}) {
    const json body = {{"state", state}, {"reason", "annual review"}};
    const authd::HttpResponse changed =
        post("/v1/organisations/PT-1/admin-rights", body.dump(), admin);
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(json_of(changed)["admin_rights"], state);
  }
  expect_error(post("/v1/organisations/PT-1/admin-rights",
                    R"({"state":"sometimes","reason":"r"})", admin),
               400, "bad_request", "state");
  expect_error(post("/v1/organisations/LA-001/admin-rights", R"({"state":"granted","reason":"r"})",
                    admin),
               409, "conflict");
}

TEST_F(RouterLifecycleCoreTest, SweepReportsAndOutboxAnswer) {
  const std::string admin = admin_session();
  const authd::HttpResponse sweep = post("/v1/sweep", "{}", admin);
  ASSERT_EQ(sweep.status, 200) << sweep.body;
  for (const char* key : {"suspended_vetting_expired", "suspended_dormant", "warned_vetting",
                          "pending_too_long", "expired_temporary_tokens"}) {
    EXPECT_TRUE(json_of(sweep)[key].is_array()) << key;
  }
  for (const char* name : {"dormant", "tokens", "pending", "reviews"}) {
    const authd::HttpResponse report = get(std::string("/v1/reports/") + name, admin);
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(json_of(report)["report"], name);
  }
  expect_error(get("/v1/reports/everything", admin), 404, "not_found");
  const authd::HttpResponse outbox = get("/v1/notifications?limit=10", admin);
  ASSERT_EQ(outbox.status, 200) << outbox.body;
  EXPECT_TRUE(json_of(outbox)["notifications"].is_array());
}

TEST_F(RouterLifecycleCoreTest, PractitionersCannotAdminister) {
  const std::string admin = admin_session();
  Holder bob = holder(admin, "bob");
  nominate_and_approve(admin, "sam", "practitioner");
  expect_error(post("/v1/users/sam/suspend", suspension().dump(), bob.session), 403, "forbidden");
  expect_error(post("/v1/sweep", "{}", bob.session), 403, "forbidden");
  expect_error(get("/v1/reports/dormant", bob.session), 403, "forbidden");
  expect_error(get("/v1/notifications", bob.session), 403, "forbidden");
  expect_error(post("/v1/users/sam/password-reset", "{}", bob.session), 403, "forbidden");
}

}  // namespace
}  // namespace authd_test
