// authctl's account and token lifecycle commands against a scripted TLS
// server: the request each sends (method, path, JSON body), what it prints,
// and its exit status on refusals and usage errors. (The same commands
// against the real daemon run in tests/integration.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace provisioning {
namespace {

using testing::CertFiles;
using testing::ProcessResult;
using testing::ScriptedTlsServer;
using testing::TempDir;
using nlohmann::json;

constexpr const char* kToken = "S3SSION-TOKEN-lifecycle-0123456789abcdefghij";

std::string body_of(const std::string& request) {
  const auto at = request.find("\r\n\r\n");
  return at == std::string::npos ? "" : request.substr(at + 4);
}

std::string request_line(const std::string& request) {
  return request.substr(0, request.find("\r\n"));
}

json user_answer(const std::string& state) {
  return {{"username", "bob"},
          {"display_name", "Bob B"},
          {"organisation", "LA-001"},
          {"roles", {"practitioner"}},
          {"state", state},
          {"must_change_password", false},
          {"locked", false},
          {"access_review_required", false},
          {"email", "bob@example.org"},
          {"job_title", ""},
          {"manager_name", "Mary"},
          {"manager_email", "mary@example.org"},
          {"conditions",
           {{"need", "case work"},
            {"accredited_training_on", "2026-01-05"},
            {"local_training_on", ""},
            {"vetting_disclosure_on", "2025-06-01"},
            {"vetting_basis", "disclosure_seen"},
            {"vetting_confirmed_by", ""},
            {"vetting_confirmed_on", ""},
            {"barring_scheme_ref", ""}}},
          {"last_change",
           {{"state", state},
            {"reason", "investigation"},
            {"note", "police \x1b[2Jenquiry"},
            {"requested_by", "carol"},
            {"verified_by", "phoned back"},
            {"actor", "admin"},
            {"at", "2030-01-02T00:00:00Z"}}},
          {"created_at", "2030-01-01T00:00:00Z"},
          {"last_login_at", nullptr},
          {"tokens",
           {{{"token_id", "tok-1"},
             {"type", "totp"},
             {"state", "revoked"},
             {"issued_at", "2030-01-01T00:00:00Z"},
             {"activated_at", "2030-01-01T00:01:00Z"},
             {"state_changed_at", "2030-01-03T00:00:00Z"},
             {"temporary", false},
             {"expires_at", nullptr},
             {"custody", "awaiting_return"}},
            {{"token_id", "tok-2"},
             {"type", "totp"},
             {"state", "active"},
             {"issued_at", "2030-01-01T00:00:00Z"},
             {"activated_at", "2030-01-01T00:01:00Z"},
             {"state_changed_at", "2030-01-03T00:00:00Z"},
             {"temporary", true},
             {"expires_at", "2030-01-11T00:00:00Z"},
             {"custody", "holder"}}}}};
}

json token_answer(const std::string& state, const std::string& custody) {
  return {{"token_id", "tok-1"},     {"type", "totp"},        {"state", state},
          {"issued_at", "2030-01-01T00:00:00Z"},              {"activated_at", nullptr},
          {"state_changed_at", "2030-01-03T00:00:00Z"},       {"temporary", false},
          {"expires_at", nullptr},   {"custody", custody}};
}

class LifecycleCommandsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_dir_ = new TempDir();
    cert_ = new CertFiles(
        testing::make_self_signed(certs_dir_->path(), "localhost", "DNS:localhost,IP:127.0.0.1"));
  }
  static void TearDownTestSuite() {
    delete cert_;
    delete certs_dir_;
  }

  void SetUp() override {
    server_ = std::make_unique<ScriptedTlsServer>(*cert_);
    server_->push({200, json({{"session", kToken},
                              {"expires_at", "2030-01-01T12:00:00Z"},
                              {"idle_timeout_s", 900},
                              {"must_change_password", false}})
                            .dump()});
    const ProcessResult r = authctl({"login", "--username", "admin"}, "pw-Secret-1\n123456\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  ProcessResult authctl(std::vector<std::string> args, const std::string& input = {}) {
    std::vector<std::string> argv = {testing::authctl_path(), "--server",      server_->url(),
                                     "--cacert",              cert_->cert.string(), "--session-file",
                                     (home_.path() / "session").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_process(argv, input, {{"HOME", home_.path().string()}});
  }

  // Runs `args` against a queued 200 answer `answer`; returns the request
  // line and JSON body it sent.
  std::pair<std::string, json> sent_by(const std::vector<std::string>& args, const json& answer,
                                       ProcessResult* result = nullptr, int status = 200) {
    server_->push({status, answer.dump()});
    const ProcessResult r = authctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (result != nullptr) *result = r;
    const auto requests = server_->requests();
    if (requests.empty()) return {};
    const std::string body = body_of(requests.back());
    return {request_line(requests.back()),
            body.empty() ? json() : json::parse(body, nullptr, false)};
  }

  TempDir home_;
  std::unique_ptr<ScriptedTlsServer> server_;
  static TempDir* certs_dir_;
  static CertFiles* cert_;
};

TempDir* LifecycleCommandsTest::certs_dir_ = nullptr;
CertFiles* LifecycleCommandsTest::cert_ = nullptr;

TEST_F(LifecycleCommandsTest, NominateSendsDetailsAndConditions) {
  testing::write_file(home_.path() / "pw", "Initial-Passw0rd-long\n");
  ProcessResult r;
  const auto [line, body] = sent_by(
      {"user", "nominate", "bob", "--display-name", "Bob B", "--org", "LA-001", "--role",
       "practitioner", "--password-file", (home_.path() / "pw").string(), "--email",
       "bob@example.org", "--manager-name", "Mary", "--manager-email", "mary@example.org",
       "--need", "case work", "--vetting-disclosure-on", "2025-06-01", "--vetting-basis",
       "disclosure_seen"},
      user_answer("nominated"), &r, 201);
  EXPECT_EQ(line, "POST /v1/users HTTP/1.1");
  EXPECT_EQ(body, json({{"username", "bob"},
                        {"display_name", "Bob B"},
                        {"organisation", "LA-001"},
                        {"roles", {"practitioner"}},
                        {"password", "Initial-Passw0rd-long"},
                        {"email", "bob@example.org"},
                        {"manager_name", "Mary"},
                        {"manager_email", "mary@example.org"},
                        {"conditions",
                         {{"need", "case work"},
                          {"vetting_disclosure_on", "2025-06-01"},
                          {"vetting_basis", "disclosure_seen"}}}}));
  EXPECT_NE(r.out.find("state nominated"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("authctl user approve bob"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Initial-Passw0rd-long"), std::string::npos);
}

TEST_F(LifecycleCommandsTest, AddIsStillAcceptedAsNominate) {
  testing::write_file(home_.path() / "pw", "Initial-Passw0rd-long\n");
  const auto [line, body] =
      sent_by({"user", "add", "bob", "--display-name", "Bob B", "--org", "LA-001", "--role",
               "practitioner", "--password-file", (home_.path() / "pw").string()},
              user_answer("nominated"), nullptr, 201);
  EXPECT_EQ(line, "POST /v1/users HTTP/1.1");
  EXPECT_FALSE(body.contains("conditions")) << "no conditions given, none sent";
  EXPECT_FALSE(body.contains("email"));
}

TEST_F(LifecycleCommandsTest, ShowPrintsStateConditionsLastChangeAndTokens) {
  ProcessResult r;
  const auto [line, body] = sent_by({"user", "show", "bob"}, user_answer("suspended"), &r);
  EXPECT_EQ(line, "GET /v1/users/bob HTTP/1.1");
  for (const char* expected :
       {"suspended", "Conditions of access", "case work", "2025-06-01", "disclosure_seen",
        "Last change", "investigation", "carol", "phoned back", "awaiting_return",
        "temporary until 2030-01-11T00:00:00Z", "CUSTODY"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "escapes from the server neutralised";
}

TEST_F(LifecycleCommandsTest, EachStateCommandPostsItsRecord) {
  struct Case {
    std::vector<std::string> args;
    std::string line;
    json body;
    std::string state;
  };
  for (const Case& c : std::vector<Case>{
           {{"user", "approve", "bob"}, "POST /v1/users/bob/approve HTTP/1.1", json::object(),
            "active"},
           {{"user", "reject", "bob", "--reason", "no need shown"},
            "POST /v1/users/bob/reject HTTP/1.1",
            {{"reason", "no need shown"}},
            "rejected"},
           {{"user", "suspend", "bob", "--reason", "investigation", "--note", "police enquiry",
             "--requested-by", "carol", "--verified-by", "phoned back"},
            "POST /v1/users/bob/suspend HTTP/1.1",
            {{"reason", "investigation"},
             {"note", "police enquiry"},
             {"requested_by", "carol"},
             {"verified_by", "phoned back"}},
            "suspended"},
           {{"user", "reactivate", "bob", "--note", "back"},
            "POST /v1/users/bob/reactivate HTTP/1.1",
            {{"note", "back"}},
            "active"},
           {{"user", "close", "bob", "--note", "left", "--reason", "resigned"},
            "POST /v1/users/bob/close HTTP/1.1",
            {{"note", "left"}, {"reason", "resigned"}},
            "closed"},
           {{"user", "unlock", "bob"}, "POST /v1/users/bob/unlock HTTP/1.1", json::object(),
            "active"},
           {{"user", "review", "bob", "--note", "checked"},
            "POST /v1/users/bob/review HTTP/1.1",
            {{"note", "checked"}},
            "active"},
       }) {
    SCOPED_TRACE(c.line);
    ProcessResult r;
    const auto [line, body] = sent_by(c.args, user_answer(c.state), &r);
    EXPECT_EQ(line, c.line);
    EXPECT_EQ(body, c.body);
    EXPECT_NE(r.out.find("User bob is now " + c.state + "."), std::string::npos) << r.out;
  }
}

TEST_F(LifecycleCommandsTest, StateCommandsCheckTheirOptionsLocally) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"user", "suspend", "bob", "--note", "n"}, "--reason is required"},
           {{"user", "suspend", "bob", "--reason", "investigation"}, "--note is required"},
           {{"user", "suspend", "bob", "--reason", "bored", "--note", "n"}, "bored"},
           {{"user", "reactivate", "bob"}, "--note is required"},
           {{"user", "reject", "bob"}, "--reason is required"},
           {{"user", "close", "bob"}, "--note is required"},
           {{"user", "review", "bob"}, "--note is required"},
           {{"user", "update", "bob"}, "nothing to change"},
           {{"user", "conditions", "bob"}, "nothing to record"},
           {{"org", "grant-admin", "P-001"}, "--reason is required"},
           {{"report", "everything"}, "everything"},
           {{"notifications", "list", "--limit", "0"}, "--limit"},
       }) {
    const ProcessResult r = authctl(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[1] << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  EXPECT_EQ(server_->requests().size(), 1u) << "only the login reached the server";
}

TEST_F(LifecycleCommandsTest, RefusedApprovalShowsTheUnmetConditionsAndExitsOne) {
  server_->push({409, json({{"error", "conflict"},
                            {"message",
                             "conditions of access not met: accredited training; vetting "
                             "disclosure"}})
                          .dump()});
  const ProcessResult r = authctl({"user", "approve", "bob"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("conditions of access not met: accredited training; vetting disclosure"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("409"), std::string::npos) << r.err;
}

TEST_F(LifecycleCommandsTest, UpdateSendsAPatchOfTheGivenOptions) {
  json answer = user_answer("active");
  answer["access_review_required"] = true;
  ProcessResult r;
  const auto [line, body] = sent_by({"user", "update", "bob", "--job-title", "Team lead",
                                     "--email", "", "--role", "manager", "--role", "practitioner"},
                                    answer, &r);
  EXPECT_EQ(line, "PATCH /v1/users/bob HTTP/1.1");
  EXPECT_EQ(body, json({{"job_title", "Team lead"},
                        {"email", ""},
                        {"roles", {"manager", "practitioner"}}}));
  EXPECT_NE(r.out.find("access review is pending"), std::string::npos) << r.out;
}

TEST_F(LifecycleCommandsTest, ConditionsSendOnlyTheGivenConditions) {
  const auto [line, body] =
      sent_by({"user", "conditions", "bob", "--vetting-disclosure-on", "2026-10-01",
               "--vetting-basis", "employer_confirmation", "--vetting-confirmed-by", "HR",
               "--vetting-confirmed-on", "2026-10-02", "--barring-scheme-ref", ""},
              user_answer("active"));
  EXPECT_EQ(line, "POST /v1/users/bob/conditions HTTP/1.1");
  EXPECT_EQ(body, json({{"vetting_disclosure_on", "2026-10-01"},
                        {"vetting_basis", "employer_confirmation"},
                        {"vetting_confirmed_by", "HR"},
                        {"vetting_confirmed_on", "2026-10-02"},
                        {"barring_scheme_ref", ""}}));
}

TEST_F(LifecycleCommandsTest, ResetPasswordShowsTheOneTimePasswordOnce) {
  ProcessResult r;
  const auto [line, body] =
      sent_by({"user", "reset-password", "bob"}, json({{"password", "Fresh-One-Time-77"}}), &r);
  EXPECT_EQ(line, "POST /v1/users/bob/password-reset HTTP/1.1");
  EXPECT_EQ(body, json::object());
  EXPECT_NE(r.out.find("One-time password for bob: Fresh-One-Time-77"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("shown only this once"), std::string::npos);
}

TEST_F(LifecycleCommandsTest, TokenCommandsPostTheirActions) {
  for (const auto& [action, state] : std::vector<std::pair<std::string, std::string>>{
           {"lost", "lost"}, {"revoke", "revoked"}, {"return", "returned"}}) {
    SCOPED_TRACE(action);
    ProcessResult r;
    const auto [line, body] = sent_by({"token", action, "tok-1", "--note", "on a train"},
                                      token_answer(state, "holder"), &r);
    EXPECT_EQ(line, "POST /v1/tokens/tok-1/" + action + " HTTP/1.1");
    EXPECT_EQ(body, json({{"note", "on a train"}}));
    EXPECT_NE(r.out.find("Token tok-1 is now " + state), std::string::npos) << r.out;
  }
  const auto [line, body] = sent_by({"token", "revoke", "tok-1"}, token_answer("revoked", "x"));
  EXPECT_EQ(body, json::object()) << "no note, none sent";
}

TEST_F(LifecycleCommandsTest, LostTokenSaysTheAccountIsSuspended) {
  ProcessResult r;
  sent_by({"token", "lost", "tok-1"}, token_answer("lost", "holder"), &r);
  EXPECT_NE(r.out.find("suspended (token_lost)"), std::string::npos) << r.out;
}

TEST_F(LifecycleCommandsTest, ResyncSendsTwoCodesFromOptionsOrPrompts) {
  auto [line, body] = sent_by({"token", "resync", "tok-1", "--first-code", "111111",
                               "--second-code", "222222"},
                              token_answer("active", "holder"));
  EXPECT_EQ(line, "POST /v1/tokens/tok-1/resync HTTP/1.1");
  EXPECT_EQ(body, json({{"first_code", "111111"}, {"second_code", "222222"}}));

  server_->push({200, token_answer("active", "holder").dump()});
  const ProcessResult r = authctl({"token", "resync", "tok-1"}, "333333\n444444\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(body_of(server_->requests().back())),
            json({{"first_code", "333333"}, {"second_code", "444444"}}));
}

TEST_F(LifecycleCommandsTest, TemporaryIssueAsksForATemporaryToken) {
  ProcessResult r;
  const auto [line, body] =
      sent_by({"token", "issue", "--temporary", "bob", "--json"},
              json({{"token_id", "tok-9"},
                    {"otpauth_uri", "otpauth://totp/authd:bob?secret=JBSWY3DPEHPK3PXP"},
                    {"qr_svg", "<svg/>"}}),
              &r, 201);
  EXPECT_EQ(line, "POST /v1/users/bob/tokens HTTP/1.1");
  EXPECT_EQ(body, json({{"type", "totp"}, {"temporary", true}}));
  EXPECT_NE(r.out.find("tok-9"), std::string::npos);
}

TEST_F(LifecycleCommandsTest, SecurityKeyIssueShowsTheEnrolmentCodeOnce) {
  ProcessResult r;
  const json answer = {{"token_id", "tok-7"},
                       {"type", "fido2"},
                       {"enrolment_code", "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"},
                       {"enrolment_expires_at", "2026-12-09T10:00:00Z"}};
  const auto [line, body] = sent_by({"token", "issue", "--type", "fido2", "bob"}, answer, &r, 201);
  EXPECT_EQ(line, "POST /v1/users/bob/tokens HTTP/1.1");
  EXPECT_EQ(body, json({{"type", "fido2"}}));
  EXPECT_NE(r.out.find("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-12-09T10:00:00Z"), std::string::npos) << r.out;

  server_->push({201, answer.dump()});
  const ProcessResult as_json = authctl({"token", "issue", "--type", "fido2", "bob", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out)["enrolment_code"], "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567");

  const ProcessResult temporary =
      authctl({"token", "issue", "--type", "fido2", "--temporary", "bob"});
  EXPECT_EQ(temporary.exit_code, 2);
  EXPECT_NE(temporary.err.find("no temporary form"), std::string::npos) << temporary.err;
}

TEST_F(LifecycleCommandsTest, OrgAdminRightsCommandsSendTheState) {
  for (const auto& [command, state] : std::vector<std::pair<std::string, std::string>>{
           {"grant-admin", "granted"}, {"suspend-admin", "suspended"}, {"revoke-admin", "removed"}}) {
    SCOPED_TRACE(command);
    ProcessResult r;
    const auto [line, body] = sent_by({"org", command, "P-001", "--reason", "annual review"},
                                      json({{"id", "P-001"},
                                            {"name", "Partner"},
                                            {"kind", "partner"},
                                            {"parent", "LA-001"},
                                            {"admin_rights", state}}),
                                      &r);
    EXPECT_EQ(line, "POST /v1/organisations/P-001/admin-rights HTTP/1.1");
    EXPECT_EQ(body, json({{"state", state}, {"reason", "annual review"}}));
    EXPECT_NE(r.out.find("is now " + state), std::string::npos) << r.out;
  }
}

TEST_F(LifecycleCommandsTest, OrgListShowsAdminRights) {
  ProcessResult r;
  sent_by({"org", "list"},
          json({{"organisations",
                 {{{"id", "P-001"},
                   {"name", "Partner"},
                   {"kind", "partner"},
                   {"parent", "LA-001"},
                   {"admin_rights", "suspended"}}}}}),
          &r);
  EXPECT_NE(r.out.find("ADMIN RIGHTS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("suspended"), std::string::npos) << r.out;
}

TEST_F(LifecycleCommandsTest, SweepPrintsWhatEachRuleDid) {
  ProcessResult r;
  const auto [line, body] = sent_by({"sweep"},
                                    json({{"suspended_vetting_expired", {"vera"}},
                                          {"suspended_dormant", {"dan", "dora"}},
                                          {"warned_vetting", {"wes:60"}},
                                          {"pending_too_long", json::array()},
                                          {"expired_temporary_tokens", {"tok-9"}}}),
                                    &r);
  EXPECT_EQ(line, "POST /v1/sweep HTTP/1.1");
  EXPECT_EQ(body, json::object());
  for (const char* expected : {"vera", "dan, dora", "wes:60", "tok-9", "no login"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
}

TEST_F(LifecycleCommandsTest, ReportsPrintTheirRows) {
  ProcessResult r;
  auto [line, body] = sent_by({"report", "dormant"},
                              json({{"report", "dormant"},
                                    {"accounts",
                                     {{{"username", "dan"},
                                       {"organisation", "LA-001"},
                                       {"state", "active"},
                                       {"last_login_at", nullptr},
                                       {"since", "2030-01-01T00:00:00Z"},
                                       {"detail", "no login for 120 days"}}}},
                                    {"tokens", json::array()}}),
                              &r);
  EXPECT_EQ(line, "GET /v1/reports/dormant HTTP/1.1");
  EXPECT_NE(r.out.find("no login for 120 days"), std::string::npos) << r.out;

  std::tie(line, body) = sent_by({"report", "tokens"},
                                 json({{"report", "tokens"},
                                       {"accounts", json::array()},
                                       {"tokens",
                                        {{{"token_id", "tok-2"},
                                          {"username", "bob"},
                                          {"organisation", "LA-001"},
                                          {"type", "totp"},
                                          {"state", "revoked"},
                                          {"custody", "awaiting_return"},
                                          {"since", "2030-01-01T00:00:00Z"}}}}}),
                                 &r);
  EXPECT_EQ(line, "GET /v1/reports/tokens HTTP/1.1");
  EXPECT_NE(r.out.find("awaiting_return"), std::string::npos) << r.out;
}

TEST_F(LifecycleCommandsTest, NotificationsListPagesWithAfterAndLimit) {
  ProcessResult r;
  const auto [line, body] = sent_by({"notifications", "list", "--after", "3", "--limit", "2"},
                                    json({{"notifications",
                                           {{{"id", 4},
                                             {"kind", "account.suspended"},
                                             {"recipient", "mary@example.org"},
                                             {"subject", "s"},
                                             {"about", "bob"},
                                             {"state", "pending"},
                                             {"attempts", 1},
                                             {"created_at", "2030-01-01T00:00:00Z"},
                                             {"delivered_at", nullptr},
                                             {"last_error", "exit status 1"}}}},
                                          {"next_after", 4}}),
                                    &r);
  EXPECT_EQ(line, "GET /v1/notifications?after=3&limit=2 HTTP/1.1");
  EXPECT_NE(r.out.find("account.suspended"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exit status 1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("--after 4"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace provisioning
