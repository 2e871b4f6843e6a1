// The authctl binary where no daemon is needed: usage errors, transport and
// TLS failures, and its requests and output against a scripted TLS server.
// (End-to-end runs against the real daemon live in tests/integration.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace provisioning {
namespace {

using testing::CertFiles;
using testing::ProcessResult;
using testing::ScriptedTlsServer;
using testing::TempDir;
using After = ScriptedTlsServer::After;

constexpr const char* kToken = "S3SSION-TOKEN-0123456789abcdefghijklmnopqrstu";
constexpr const char* kPassword = "pw-Secret-Horse-123";
constexpr const char* kCode = "654321";

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

std::string body_of(const std::string& request) {
  const auto at = request.find("\r\n\r\n");
  return at == std::string::npos ? "" : request.substr(at + 4);
}

class AuthctlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_dir_ = new TempDir();
    good_ = new CertFiles(
        testing::make_self_signed(certs_dir_->path(), "localhost", "DNS:localhost,IP:127.0.0.1"));
    other_ = new CertFiles(
        testing::make_self_signed(certs_dir_->path(), "stranger", "DNS:localhost,IP:127.0.0.1"));
  }
  static void TearDownTestSuite() {
    delete good_;
    delete other_;
    delete certs_dir_;
  }

  // Runs authctl with HOME in the test's directory, so nothing touches the
  // real ~/.config.
  ProcessResult authctl(std::vector<std::string> args, const std::string& input = {},
                        std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), testing::authctl_path());
    env.emplace("HOME", home_.path().string());
    return testing::run_process(args, input, env);
  }

  // Global options pointing at `server` with the right CA and a session file
  // in the test directory.
  std::vector<std::string> at(const ScriptedTlsServer& server) {
    return {"--server",           server.url(),     "--cacert",
            good_->cert.string(), "--session-file", session_file().string()};
  }
  std::vector<std::string> with(std::vector<std::string> base,
                                const std::vector<std::string>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  }
  std::filesystem::path session_file() const { return home_ / "session"; }

  // Leaves a session for `server` in the session file by logging in.
  void log_in(ScriptedTlsServer& server) {
    server.push({200, nlohmann::json({{"session", kToken},
                                      {"expires_at", "2030-01-01T12:00:00Z"},
                                      {"idle_timeout_s", 900},
                                      {"must_change_password", false}})
                          .dump()});
    const ProcessResult r = authctl(with(at(server), {"login", "--username", "admin"}),
                                    std::string(kPassword) + "\n" + kCode + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  static void expect_no_secret(const ProcessResult& r) {
    for (const char* secret : {kToken, kPassword}) {
      EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
      EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
    }
  }

  TempDir home_;
  static TempDir* certs_dir_;
  static CertFiles* good_;
  static CertFiles* other_;
};

TempDir* AuthctlTest::certs_dir_ = nullptr;
CertFiles* AuthctlTest::good_ = nullptr;
CertFiles* AuthctlTest::other_ = nullptr;

TEST_F(AuthctlTest, HelpDescribesCommandsAndExitCodes) {
  const ProcessResult top = authctl({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* word :
       {"login", "password", "logout", "whoami", "user", "org", "token", "audit", "--server",
        "--cacert", "--session-file", "Exit status", "AUTHCTL_SERVER"}) {
    EXPECT_NE(top.out.find(word), std::string::npos) << word;
  }
  for (const std::vector<std::string>& sub : {std::vector<std::string>{"user", "add", "--help"},
                                              {"token", "issue", "--help"},
                                              {"audit", "verify", "--help"},
                                              {"org", "list", "--help"}}) {
    const ProcessResult r = authctl(sub);
    EXPECT_EQ(r.exit_code, 0) << sub[0] << " " << sub[1];
    EXPECT_NE(r.out.find("Exit status"), std::string::npos);
  }
  EXPECT_NE(authctl({"user", "add", "--help"}).out.find("--password-file"), std::string::npos);
}

TEST_F(AuthctlTest, UsageErrorsExitTwoWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "subcommand is required"},
           {{"frobnicate"}, "frobnicate"},
           {{"user"}, "subcommand is required"},
           {{"user", "add", "bob", "--org", "LA-001", "--role", "practitioner"},
            "--display-name is required"},
           {{"token", "issue", "--type", "sms", "bob"}, "sms"},
           {{"audit", "list", "--limit", "0"}, "--limit"},
           {{"--server", "http://127.0.0.1:8443", "whoami"}, "must start with https://"},
           {{"--server", "https://127.0.0.1:99999", "org", "list"}, "port"},
       }) {
    const ProcessResult r = authctl(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.rfind("authctl: ", 0), 0u) << r.err;
  }
}

TEST_F(AuthctlTest, CommandsNeedALogin) {
  const ProcessResult r = authctl({"--session-file", session_file().string(), "whoami"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not logged in"), std::string::npos) << r.err;
}

TEST_F(AuthctlTest, UnreachableServerExitsThree) {
  const std::string url = "https://127.0.0.1:" + testing::unused_port();
  const ProcessResult r =
      authctl({"--server", url, "--session-file", session_file().string(), "login", "-u", "admin"},
              std::string(kPassword) + "\n" + kCode + "\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot connect to 127.0.0.1:"), std::string::npos) << r.err;
  expect_no_secret(r);
  EXPECT_FALSE(std::filesystem::exists(session_file()));
}

TEST_F(AuthctlTest, WrongCaExitsThreeWithVerifyFailure) {
  ScriptedTlsServer server(*good_);
  const ProcessResult r =
      authctl({"--server", server.url(), "--cacert", other_->cert.string(), "--session-file",
               session_file().string(), "login", "-u", "admin"},
              std::string(kPassword) + "\n" + kCode + "\n");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("certificate verify failed"), std::string::npos) << r.err;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(AuthctlTest, MissingCaFileIsAUsageError) {
  const ProcessResult r = authctl({"--cacert", (home_ / "nope.pem").string(), "--session-file",
                                   session_file().string(), "login", "-u", "admin"},
                                  std::string(kPassword) + "\n" + kCode + "\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.pem"), std::string::npos) << r.err;
}

TEST_F(AuthctlTest, LoginSendsTheCredentialsAndSavesAPrivateSession) {
  ScriptedTlsServer server(*good_);
  server.push({200, nlohmann::json({{"session", kToken},
                                    {"expires_at", "2030-01-01T12:00:00Z"},
                                    {"idle_timeout_s", 900},
                                    {"must_change_password", true}})
                        .dump()});
  const ProcessResult r = authctl(with(at(server), {"login", "--username", "admin"}),
                                  std::string(kPassword) + "\n" + kCode + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("admin"), std::string::npos);
  EXPECT_NE(r.out.find("2030-01-01T12:00:00Z"), std::string::npos);
  EXPECT_NE(r.out.find("authctl password"), std::string::npos) << r.out;
  expect_no_secret(r);
  EXPECT_EQ(r.out.find(kCode), std::string::npos);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("POST /v1/login HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(requests[0].find("Authorization"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(body_of(requests[0])),
            nlohmann::json({{"username", "admin"}, {"password", kPassword}, {"otp", kCode}}));

  EXPECT_EQ(mode_of(session_file()), 0600u);
  EXPECT_NE(testing::read_file(session_file()).find(kToken), std::string::npos);
}

TEST_F(AuthctlTest, LoginPromptsForTheUsernameAndUsesTheXdgConfigDirectory) {
  ScriptedTlsServer server(*good_);
  server.push({200, nlohmann::json({{"session", kToken},
                                    {"expires_at", "2030-01-01T12:00:00Z"},
                                    {"idle_timeout_s", 900},
                                    {"must_change_password", false}})
                        .dump()});
  const auto config = home_ / "xdg";
  const ProcessResult r =
      authctl({"--server", server.url(), "--cacert", good_->cert.string(), "login"},
              std::string("carol\n") + kPassword + "\n" + kCode + "\n",
              {{"XDG_CONFIG_HOME", config.string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("authctl password"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(body_of(server.requests().at(0)))["username"], "carol");
  EXPECT_EQ(mode_of(config / "authctl" / "session"), 0600u);
  EXPECT_EQ(mode_of(config / "authctl"), 0700u);
}

TEST_F(AuthctlTest, ServerRefusalExitsOneShowingCodeAndMessage) {
  ScriptedTlsServer server(*good_);
  server.push(
      {401, R"({"error":"invalid_credentials","message":"wrong username, password or code"})"});
  const ProcessResult r = authctl(with(at(server), {"login", "-u", "admin"}),
                                  std::string(kPassword) + "\n" + kCode + "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wrong username, password or code"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("invalid_credentials"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
  expect_no_secret(r);
  EXPECT_FALSE(std::filesystem::exists(session_file()));
}

TEST_F(AuthctlTest, ThrottlingShowsWhenToRetry) {
  ScriptedTlsServer server(*good_);
  server.push({429,
               R"({"error":"too_many_attempts","message":"too many failed attempts"})",
               {{"Retry-After", "30"}}});
  const ProcessResult r = authctl(with(at(server), {"login", "-u", "admin"}),
                                  std::string(kPassword) + "\n" + kCode + "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("too_many_attempts"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("try again in 30 s"), std::string::npos) << r.err;
}

TEST_F(AuthctlTest, PromptsWithoutInputAreAUsageError) {
  ScriptedTlsServer server(*good_);
  const ProcessResult r = authctl(with(at(server), {"login", "-u", "admin"}), "");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("end of input"), std::string::npos) << r.err;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(AuthctlTest, WhoamiSendsTheSavedSessionAndShowsTheAnswer) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  server.push({200, nlohmann::json({{"username", "admin"},
                                    {"display_name", "Ada \x1b[31mAdmin"},
                                    {"roles", {"user_account_administrator"}},
                                    {"organisation", "LA-001"},
                                    {"route", "web"},
                                    {"created_at", "2030-01-01T00:00:00Z"},
                                    {"expires_at", "2030-01-01T12:00:00Z"},
                                    {"idle_expires_at", "2030-01-01T00:15:00Z"},
                                    {"must_change_password", false}})
                        .dump()});
  const ProcessResult r = authctl(with(at(server), {"whoami"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("user_account_administrator"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("LA-001"), std::string::npos);
  // Terminal escapes from the server are neutralised.
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("Ada ?[31mAdmin"), std::string::npos);
  expect_no_secret(r);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("GET /v1/session HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(requests[1].find("\r\nAuthorization: Bearer " + std::string(kToken) + "\r\n"),
            std::string::npos);
}

TEST_F(AuthctlTest, ExpiredSessionSuggestsLoggingIn) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  server.push({401, R"({"error":"invalid_session","message":"the session has ended"})"});
  const ProcessResult r = authctl(with(at(server), {"user", "show", "bob"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("invalid_session"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("authctl login"), std::string::npos) << r.err;
}

TEST_F(AuthctlTest, NeverSendsASessionToAnotherServer) {
  ScriptedTlsServer first(*good_);
  log_in(first);
  ScriptedTlsServer second(*good_);
  const ProcessResult r = authctl({"--server", second.url(), "--cacert", good_->cert.string(),
                                   "--session-file", session_file().string(), "whoami"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("belongs to " + first.url()), std::string::npos) << r.err;
  EXPECT_TRUE(second.requests().empty());
}

TEST_F(AuthctlTest, UsesTheSavedSessionsServerWhenNoneIsGiven) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  server.push(
      {200,
       R"({"organisations":[{"id":"LA-001","name":"Northshire","kind":"local_authority","parent":null}]})"});
  const ProcessResult r = authctl(
      {"--cacert", good_->cert.string(), "--session-file", session_file().string(), "org", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("LA-001"), std::string::npos);
  EXPECT_NE(r.out.find("Northshire"), std::string::npos);
}

TEST_F(AuthctlTest, RefusesAGroupReadableSessionFile) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  ASSERT_EQ(::chmod(session_file().c_str(), 0644), 0);
  const ProcessResult r = authctl(with(at(server), {"whoami"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("0644"), std::string::npos) << r.err;
  expect_no_secret(r);
  EXPECT_EQ(server.requests().size(), 1u);  // only the login
}

TEST_F(AuthctlTest, PasswordChangeNeedsMatchingNewPasswords) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  const ProcessResult mismatch =
      authctl(with(at(server), {"password"}), "old-Password-1\nnew-Password-22\nnew-Password-23\n");
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_NE(mismatch.err.find("do not match"), std::string::npos) << mismatch.err;
  EXPECT_EQ(mismatch.err.find("new-Password"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 1u);

  server.push({204, ""});
  const ProcessResult ok =
      authctl(with(at(server), {"password"}), "old-Password-1\nnew-Password-22\nnew-Password-22\n");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("POST /v1/password HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(nlohmann::json::parse(body_of(requests[1])),
            nlohmann::json(
                {{"current_password", "old-Password-1"}, {"new_password", "new-Password-22"}}));
}

TEST_F(AuthctlTest, LogoutEndsTheSessionAndRemovesTheFile) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  server.push({204, ""});
  const ProcessResult r = authctl(with(at(server), {"logout"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(session_file()));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("POST /v1/logout HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(requests[1].find("Bearer " + std::string(kToken)), std::string::npos);

  const ProcessResult again = authctl(with(at(server), {"whoami"}));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("not logged in"), std::string::npos);
}

TEST_F(AuthctlTest, UserAddSendsTheAccountWithThePasswordFromAFile) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  const auto password_file = home_ / "initial";
  testing::write_file(password_file, "Initial-Passw0rd-long\n");
  server.push({201, nlohmann::json({{"username", "bob"},
                                    {"display_name", "Bob B"},
                                    {"organisation", "LA-001"},
                                    {"roles", {"practitioner", "manager"}},
                                    {"state", "active"},
                                    {"must_change_password", true},
                                    {"created_at", "2030-01-01T00:00:00Z"},
                                    {"last_login_at", nullptr},
                                    {"tokens", nlohmann::json::array()}})
                        .dump()});
  const ProcessResult r =
      authctl(with(at(server), {"user", "add", "bob", "--display-name", "Bob B", "--org", "LA-001",
                                "--role", "practitioner", "--role", "manager", "--password-file",
                                password_file.string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("bob"), std::string::npos);
  EXPECT_EQ(r.out.find("Initial-Passw0rd-long"), std::string::npos);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("POST /v1/users HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(nlohmann::json::parse(body_of(requests[1])),
            nlohmann::json({{"username", "bob"},
                            {"display_name", "Bob B"},
                            {"organisation", "LA-001"},
                            {"roles", {"practitioner", "manager"}},
                            {"password", "Initial-Passw0rd-long"}}));
}

TEST_F(AuthctlTest, TokenIssueShowsTheUriAndQrOnceWithAWarning) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  const std::string uri =
      "otpauth://totp/authd:bob?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=authd"
      "&algorithm=SHA1&digits=6&period=30";
  server.push(
      {201,
       nlohmann::json({{"token_id", "tok-42"}, {"otpauth_uri", uri}, {"qr_svg", "<svg/>"}}).dump(),
       {{"Cache-Control", "no-store"}}});
  const ProcessResult r = authctl(with(at(server), {"token", "issue", "--type", "totp", "bob"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(uri), std::string::npos);
  EXPECT_NE(r.out.find("tok-42"), std::string::npos);
  EXPECT_NE(r.out.find("shown only this once"), std::string::npos);
  EXPECT_TRUE(r.out.find("\u2580") != std::string::npos ||
              r.out.find("\u2584") != std::string::npos ||
              r.out.find("\u2588") != std::string::npos)
      << "no QR code drawn:\n"
      << r.out;
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("POST /v1/users/bob/tokens HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(nlohmann::json::parse(body_of(requests[1])), nlohmann::json({{"type", "totp"}}));
}

TEST_F(AuthctlTest, TokenActivateSendsTheCode) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  server.push({200, R"({"token_id":"tok-42","type":"totp","state":"active"})"});
  const ProcessResult r = authctl(with(at(server), {"token", "activate", "tok-42"}), "123456\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("active"), std::string::npos);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].rfind("POST /v1/tokens/tok-42/activate HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(nlohmann::json::parse(body_of(requests[1])), nlohmann::json({{"otp", "123456"}}));
}

TEST_F(AuthctlTest, AuditListPrintsJsonLinesOrATable) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  const nlohmann::json page = {{"entries",
                                {{{"seq", 7},
                                  {"at", "2030-01-01T00:00:00Z"},
                                  {"actor", "admin"},
                                  {"subject", "bob"},
                                  {"action", "user.create"},
                                  {"outcome", "success"},
                                  {"reason", ""},
                                  {"source_address", "127.0.0.1"},
                                  {"detail", nlohmann::json::object()},
                                  {"prev_hash", "aa"},
                                  {"hash", "bb"}},
                                 {{"seq", 8},
                                  {"at", "2030-01-01T00:00:01Z"},
                                  {"actor", "-"},
                                  {"subject", "eve"},
                                  {"action", "login"},
                                  {"outcome", "failure"},
                                  {"reason", "unknown_user"},
                                  {"source_address", "127.0.0.1"},
                                  {"detail", nlohmann::json::object()},
                                  {"prev_hash", "bb"},
                                  {"hash", "cc"}}}},
                               {"next_after", 8}};
  server.push({200, page.dump()});
  const ProcessResult json =
      authctl(with(at(server), {"audit", "list", "--after", "6", "--limit", "2", "--json"}));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::istringstream lines(json.out);
  std::string line;
  std::vector<nlohmann::json> entries;
  while (std::getline(lines, line)) entries.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0], page["entries"][0]);
  EXPECT_EQ(entries[1]["reason"], "unknown_user");
  EXPECT_EQ(server.requests()[1].rfind("GET /v1/audit?after=6&limit=2 HTTP/1.1\r\n", 0), 0u);

  server.push({200, page.dump()});
  const ProcessResult table = authctl(with(at(server), {"audit", "list"}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("SEQ"), std::string::npos);
  EXPECT_NE(table.out.find("unknown_user"), std::string::npos);
  EXPECT_NE(table.err.find("--after 8"), std::string::npos);
}

TEST_F(AuthctlTest, AnswerThatIsNotJsonExitsThree) {
  ScriptedTlsServer server(*good_);
  log_in(server);
  ScriptedTlsServer::Reply html{200, "<html>proxy</html>"};
  server.push(html);
  const ProcessResult r = authctl(with(at(server), {"org", "list"}));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not JSON"), std::string::npos) << r.err;
}

TEST_F(AuthctlTest, AuditVerifyNeedsADatabase) {
  const ProcessResult r = authctl({"audit", "verify", "--data-dir", (home_ / "none").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no authd database"), std::string::npos) << r.err;
  const ProcessResult missing = authctl({"audit", "verify"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--data-dir"), std::string::npos);
}

}  // namespace
}  // namespace provisioning
