// The README's tour with authctl against the real daemon, on the untouched
// default policy: log in, change the one-time password, add an organisation
// and nominate a user, record the conditions of access and approve it, issue
// and activate a TOTP token, the user's own login, then the lifecycle:
// suspension, reactivation, reports and closure.
// Answers to prompts are piped on stdin, as a script would.
#include <sys/stat.h>

#include "authd_fixture.h"

namespace integration {
namespace {

class AuthctlTourTest : public AuthdTest {
 protected:
  // authctl with the tour's global options and a private config directory.
  CommandResult authctl(std::vector<std::string> args, const std::string& input = {},
                        bool with_server = true) {
    std::vector<std::string> argv = {authctl_binary().string()};
    if (with_server) {
      argv.insert(argv.end(), {"--server", server_url(), "--cacert", cert_file().string()});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(
        argv, input,
        {{"HOME", (root_ / "home").string()}, {"XDG_CONFIG_HOME", (root_ / "config").string()}});
  }
};

TEST_F(AuthctlTourTest, AdministratorEnrolsAUserWhoLogsIn) {
  ASSERT_NO_FATAL_FAILURE(start());

  CommandResult r = authctl(
      {"login"}, admin_username_ + "\n" + admin_password_ + "\n" + admin_otp_->next() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Logged in"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("authctl password"), std::string::npos) << "must point to the change";
  const std::filesystem::path session_file = root_ / "config" / "authctl" / "session";
  struct stat st {};
  ASSERT_EQ(stat(session_file.c_str(), &st), 0) << "no session file at " << session_file;
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Until the password is changed, administration is refused (exit 1).
  r = authctl({"org", "list"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("password_change_required"), std::string::npos) << r.err;

  const std::string new_password = "Tour administrator passphrase 31";
  remember_secret(new_password);
  r = authctl({"password"}, admin_password_ + "\n" + new_password + "\n" + new_password + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  admin_password_ = new_password;

  r = authctl({"whoami"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(admin_username_), std::string::npos) << r.out;

  r = authctl({"org", "add", "LA-002", "--name", "Second Borough", "--kind", "local_authority"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"org", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("LA-001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("LA-002"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Second Borough"), std::string::npos) << r.out;

  const std::string user_password = "Frank's first password 2468";
  remember_secret(user_password);
  r = authctl({"user", "add", "frank", "--display-name", "Frank Tester", "--org", "LA-002",
               "--role", "practitioner"},
              user_password + "\n" + "a different password 1357\n");
  EXPECT_EQ(r.exit_code, 2) << "mismatched passwords are a local error: " << r.out << r.err;
  r = authctl({"user", "add", "frank", "--display-name", "Frank Tester", "--org", "LA-002",
               "--role", "practitioner"},
              user_password + "\n" + user_password + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Created user frank"), std::string::npos) << r.out;
  r = authctl({"user", "add", "frank", "--display-name", "Frank Again", "--org", "LA-002", "--role",
               "practitioner"},
              user_password + "\n" + user_password + "\n");
  EXPECT_EQ(r.exit_code, 1) << "a duplicate is refused by the server: " << r.out << r.err;

  // Frank is nominated; approval needs the evidence for the conditions of access.
  r = authctl({"user", "approve", "frank"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("conditions of access not met"), std::string::npos) << r.err;
  r = authctl({"token", "issue", "--type", "totp", "frank"});
  EXPECT_EQ(r.exit_code, 1) << "no token before approval: " << r.out << r.err;
  r = authctl({"user", "conditions", "frank", "--need", "case work in the borough",
               "--accredited-training-on", date_days_ago(40), "--local-training-on",
               date_days_ago(30), "--vetting-disclosure-on", date_days_ago(300),
               "--vetting-basis", "disclosure_seen"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"user", "approve", "frank"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("User frank is now active."), std::string::npos) << r.out;

  r = authctl({"token", "issue", "--type", "totp", "frank"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto uri_at = r.out.find("otpauth://totp/");
  ASSERT_NE(uri_at, std::string::npos) << r.out;
  const std::string uri = r.out.substr(uri_at, r.out.find_first_of(" \n", uri_at) - uri_at);
  const std::string id_prefix = "totp token ";
  const auto id_at = r.out.find(id_prefix);
  ASSERT_NE(id_at, std::string::npos) << r.out;
  const auto id_begin = id_at + id_prefix.size();
  const std::string token_id = r.out.substr(id_begin, r.out.find(' ', id_begin) - id_begin);
  EXPECT_EQ(r.out.compare(id_begin + token_id.size(), 10, " for frank"), 0) << r.out;
  EXPECT_NE(r.out.find("\xe2\x96\x88"), std::string::npos) << "a terminal QR code (full blocks)";
  const std::string secret = secret_from_otpauth(uri);
  ASSERT_FALSE(secret.empty()) << uri;
  remember_secret(secret);
  OtpSource frank_otp(secret, window_steps_);

  r = authctl({"token", "activate", token_id, "--otp", frank_otp.next()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("active"), std::string::npos) << r.out;
  r = authctl({"user", "show", "frank"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(token_id), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(secret), std::string::npos) << "the secret is never shown again";
  r = authctl({"audit", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("frank"), std::string::npos) << r.out;

  // Frank logs in with his own session file.
  const std::string frank_session = (root_ / "frank-session").string();
  r = authctl({"--session-file", frank_session, "login", "--username", "frank"},
              user_password + "\n" + frank_otp.wrong() + "\n");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("invalid_credentials"), std::string::npos) << r.err;
  r = authctl({"--session-file", frank_session, "login", "--username", "frank"},
              user_password + "\n" + frank_otp.next() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"--session-file", frank_session, "org", "list"});
  EXPECT_EQ(r.exit_code, 1) << "frank must change his password first: " << r.out << r.err;

  // The administrator suspends frank: his session ends at once.
  r = authctl({"user", "suspend", "frank", "--reason", "extended_leave", "--note",
               "six months' leave from 1 March"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("User frank is now suspended."), std::string::npos) << r.out;
  r = authctl({"--session-file", frank_session, "whoami"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("invalid_session"), std::string::npos) << r.err;
  r = authctl({"user", "show", "frank"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("extended_leave"), std::string::npos) << r.out;
  r = authctl({"notifications", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"sweep"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"report", "pending"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"user", "reactivate", "frank", "--note", "back from leave"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("User frank is now active."), std::string::npos) << r.out;

  // Closing is for good: the token is revoked and its hardware awaited.
  r = authctl({"user", "close", "frank", "--reason", "left", "--note", "moved to another LA"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = authctl({"user", "show", "frank"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("closed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("awaiting_return"), std::string::npos) << r.out;
  r = authctl({"report", "tokens"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(token_id), std::string::npos) << r.out;
  r = authctl({"user", "approve", "frank"});
  EXPECT_EQ(r.exit_code, 1) << "a closed account stays closed: " << r.out << r.err;

  // The administrator logs out; the saved session is gone and no longer works.
  r = authctl({"logout"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(std::filesystem::exists(session_file));
  r = authctl({"whoami"});
  EXPECT_EQ(r.exit_code, 2) << "not logged in: " << r.out << r.err;
}

TEST_F(AuthctlTourTest, ServerCertificateIsChecked) {
  ASSERT_NO_FATAL_FAILURE(start());
  // Without --cacert the self-signed certificate is not trusted: exit 3.
  const CommandResult r = authctl({"--server", server_url(), "login", "--username", "x"},
                                  "some password here\n123456\n", /*with_server=*/false);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out.find("Logged in"), std::string::npos);
}

}  // namespace
}  // namespace integration
