// The account and token lifecycle against the real daemon over HTTPS: a
// suspension ends a live session within one request and refuses login, the
// staff manager is notified through the command configured in authd.toml,
// reactivation restores access, a lost token suspends its holder at once,
// and approval is refused while conditions of access are unmet.
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "authd_fixture.h"

namespace integration {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class LifecycleTest : public AuthdTest {
 protected:
  // A delivery command that appends each message (stdin) to outbox.txt, and
  // the [notifications] table pointing authd at it.
  void deliver_to_file() {
    const std::filesystem::path script = root_ / "deliver.sh";
    std::ofstream(script) << "#!/bin/sh\ncat >> \"$1\"\nprintf '\\n----\\n' >> \"$1\"\n";
    ::chmod(script.c_str(), 0700);
    std::ofstream(data_dir() / "authd.toml", std::ios::app)
        << "\n[notifications]\ncommand = [\"" << script.string() << "\", \""
        << outbox_file().string() << "\"]\nfrom = \"authd@example.org\"\nretry_initial_s = 1\n";
  }
  std::filesystem::path outbox_file() const { return root_ / "outbox.txt"; }

  // Waits up to `limit` for the delivered messages to contain `text`.
  bool delivered(const std::string& text, std::chrono::seconds limit = std::chrono::seconds(90)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_text(outbox_file()).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
};

TEST_F(LifecycleTest, SuspensionEndsALiveSessionWithinOneRequestAndNotifiesTheManager) {
  use_test_policy();
  deliver_to_file();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  TestUser bob = create_user(admin, "bob");
  const std::string session = first_login(bob);
  ASSERT_EQ(get("/v1/session", session).status, 200);

  const ApiResponse suspended = post("/v1/users/bob/suspend",
                                     {{"reason", "suspicious_activity"},
                                      {"note", "logins from two places at once"},
                                      {"requested_by", "carol.manager"},
                                      {"verified_by", "called carol back"}},
                                     admin);
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(suspended.json.value("state", ""), "suspended");
  EXPECT_EQ(suspended.json["last_change"].value("reason", ""), "suspicious_activity");

  // The user's very next request is refused, and so is a new login.
  const ApiResponse next = get("/v1/session", session);
  EXPECT_EQ(next.status, 401) << next.body;
  EXPECT_EQ(next.error(), "invalid_session");
  const ApiResponse relogin = login("bob", bob.password, bob.otp->next());
  EXPECT_EQ(relogin.status, 403) << relogin.body;
  EXPECT_EQ(relogin.error(), "account_suspended");

  // The staff manager gets a message through the configured command.
  EXPECT_TRUE(delivered("manager.bob@example.org")) << read_text(outbox_file());
  const std::string messages = read_text(outbox_file());
  EXPECT_NE(messages.find("bob"), std::string::npos) << messages;
  EXPECT_EQ(messages.find(bob.password), std::string::npos) << "no secret in a message";
  bool listed_delivered = false;
  for (int attempt = 0; attempt < 50 && !listed_delivered; ++attempt) {
    const ApiResponse outbox = get("/v1/notifications", admin);
    ASSERT_EQ(outbox.status, 200) << outbox.body;
    for (const auto& message : outbox.json["notifications"]) {
      listed_delivered |= message.value("about", "") == "bob" &&
                          message.value("state", "") == "delivered" &&
                          message.value("recipient", "") == "manager.bob@example.org";
    }
    if (!listed_delivered) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(listed_delivered);

  // Reactivation needs a note, then login works again.
  const ApiResponse no_note = post("/v1/users/bob/reactivate", {{"note", ""}}, admin);
  EXPECT_EQ(no_note.status, 400) << no_note.body;
  const ApiResponse back =
      post("/v1/users/bob/reactivate", {{"note", "the logins were the user's two devices"}}, admin);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json.value("state", ""), "active");
  EXPECT_EQ(login("bob", bob.password, bob.otp->next()).status, 200);

  // Every step is in the audit trail with actor, subject and reason.
  const ApiResponse trail = get("/v1/audit?limit=1000", admin);
  ASSERT_EQ(trail.status, 200);
  bool audited = false;
  for (const auto& entry : trail.json["entries"]) {
    audited |= entry.value("action", "") == "user.suspend" &&
               entry.value("subject", "") == "bob" && entry.value("actor", "") == admin_username_ &&
               entry.value("reason", "") == "suspicious_activity";
  }
  EXPECT_TRUE(audited) << trail.body;
}

TEST_F(LifecycleTest, LostTokenSuspendsItsHolderAtOnce) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  TestUser bob = create_user(admin, "bob");
  const std::string session = first_login(bob);

  const ApiResponse lost =
      post("/v1/tokens/" + bob.token_id + "/lost", {{"note", "left on the bus"}}, session);
  ASSERT_EQ(lost.status, 200) << lost.body;
  EXPECT_EQ(lost.json.value("state", ""), "lost");
  EXPECT_EQ(get("/v1/session", session).status, 401);
  const ApiResponse user = get("/v1/users/bob", admin);
  EXPECT_EQ(user.json.value("state", ""), "suspended");
  EXPECT_EQ(user.json["last_change"].value("reason", ""), "token_lost");
  // The lost token no longer authenticates, even with the right code.
  EXPECT_NE(login("bob", bob.password, bob.otp->next()).status, 200);
  // Reactivation first needs a new token.
  const ApiResponse early = post("/v1/users/bob/reactivate", {{"note", "found it"}}, admin);
  EXPECT_EQ(early.status, 409) << early.body;
}

TEST_F(LifecycleTest, ApprovalIsRefusedNamingEachUnmetCondition) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  nlohmann::json body = nomination("nina", "Initial password for nina 8642", {"practitioner"});
  remember_secret("Initial password for nina 8642");
  body["conditions"] = {{"need", "case work"}, {"vetting_disclosure_on", date_days_ago(1200)},
                        {"vetting_basis", "disclosure_seen"}};
  const ApiResponse created = post("/v1/users", body, admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const ApiResponse refused = post("/v1/users/nina/approve", nlohmann::json::object(), admin);
  EXPECT_EQ(refused.status, 409) << refused.body;
  const std::string message = refused.json.value("message", "");
  EXPECT_NE(message.find("accredited"), std::string::npos) << message;
  EXPECT_NE(message.find("local training"), std::string::npos) << message;
  EXPECT_NE(message.find("vetting"), std::string::npos) << message << " (over three years old)";
  EXPECT_EQ(message.find("need for access"), std::string::npos)
      << "the need is recorded: " << message;
  const ApiResponse still = get("/v1/users/nina", admin);
  EXPECT_EQ(still.json.value("state", ""), "nominated");
}

}  // namespace
}  // namespace integration
