// authd.toml's [notifications] table: how the outbox is delivered, and every
// way a typo in it is refused (naming the key) rather than silently ignored.
#include <gtest/gtest.h>

#include <fstream>

#include "authd/daemon_config.h"
#include "test_support.h"

namespace authd_test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHsm = R"(
[hsm]
module = "softhsm2"
token = "pkcs11:token=authd"
pin_file = "hsm/user.pin"
)";

class DaemonConfigTest : public ::testing::Test {
 protected:
  common::Result<authd::DaemonConfig> load(const std::string& notifications) {
    const fs::path file = dir_.path() / "authd.toml";
    // Before [hsm], so a stray top-level key stays top-level.
    std::ofstream(file, std::ios::trunc) << "listen = \"127.0.0.1:8443\"\n"
                                         << notifications << "\n"
                                         << kHsm;
    return authd::load_daemon_config(file, dir_.path());
  }
  void expect_refused(const std::string& notifications, const std::string& words) {
    const auto config = load(notifications);
    ASSERT_FALSE(config.ok()) << notifications;
    EXPECT_EQ(config.error().code, common::Errc::bad_request);
    EXPECT_NE(config.error().message.find(words), std::string::npos) << config.error().message;
  }

  TempDir dir_;
};

TEST_F(DaemonConfigTest, WithoutTheTableNothingIsDelivered) {
  const auto config = load("");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->notifications.command.empty());
  EXPECT_TRUE(config->notifications.smtp_relay.empty());
  EXPECT_EQ(config->notifications.from, "authd@localhost");
  EXPECT_EQ(config->notifications.retry_initial, std::chrono::seconds(30));
}

TEST_F(DaemonConfigTest, ACommandIsTakenAsArgv) {
  const auto config = load(R"(
[notifications]
command = ["/usr/sbin/sendmail", "-t", "-i"]
from = "authd@example.org"
retry_initial_s = 5
)");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->notifications.command,
            (std::vector<std::string>{"/usr/sbin/sendmail", "-t", "-i"}));
  EXPECT_EQ(config->notifications.from, "authd@example.org");
  EXPECT_EQ(config->notifications.retry_initial, std::chrono::seconds(5));
  EXPECT_TRUE(config->notifications.smtp_relay.empty());
}

TEST_F(DaemonConfigTest, AnSmtpRelayIsHostAndPort) {
  for (const char* relay : {"mail.example.org:25", "192.0.2.7:2525", "[2001:db8::1]:587"}) {
    const auto config = load(std::string("[notifications]\nsmtp_relay = \"") + relay + "\"\n");
    ASSERT_TRUE(config.ok()) << relay << ": " << config.error().message;
    EXPECT_EQ(config->notifications.smtp_relay, relay);
    EXPECT_EQ(config->notifications.from, "authd@localhost") << "the default sender";
  }
}

TEST_F(DaemonConfigTest, MistakesAreRefusedNamingTheKey) {
  expect_refused("[notifications]\ncommand = \"sendmail -t\"\n", "notifications.command");
  expect_refused("[notifications]\ncommand = []\n", "notifications.command");
  expect_refused("[notifications]\ncommand = [\"sendmail\", \"-t\"]\n", "absolute path");
  expect_refused("[notifications]\ncommand = [\"/bin/true\", \"\"]\n", "notifications.command");
  expect_refused("[notifications]\ncommand = [\"/bin/true\", 3]\n", "notifications.command");
  expect_refused("[notifications]\ncommand = [\"/bin/true\"]\nsmtp_relay = \"mail:25\"\n",
                 "not both");
  for (const char* relay : {"mail.example.org", "mail:0", "mail:70000", ":25", "2001:db8::1:25",
                            "mail example:25", "mail\\r\\nRCPT:25"}) {
    SCOPED_TRACE(relay);
    expect_refused(std::string("[notifications]\nsmtp_relay = \"") + relay + "\"\n",
                   "notifications.smtp_relay");
  }
  for (const char* from : {"authd", "@example.org", "authd@", "a@b@c", "authd@example.org\\r\\nBcc: x@y",
                           "<authd@example.org>", "a b@example.org"}) {
    SCOPED_TRACE(from);
    expect_refused(std::string("[notifications]\nfrom = \"") + from + "\"\n",
                   "notifications.from");
  }
  expect_refused("[notifications]\nretry_initial_s = 0\n", "notifications.retry_initial_s");
  expect_refused("[notifications]\nretry_initial_s = 3601\n", "notifications.retry_initial_s");
  expect_refused("[notifications]\nretry_initial_s = \"30\"\n", "notifications.retry_initial_s");
  expect_refused("[notifications]\nrelay = \"mail:25\"\n", "unknown key notifications.relay");
  expect_refused("notifications = \"yes\"\n", "[notifications] must be a table");
}

TEST_F(DaemonConfigTest, TheFileInitWritesParsesAndShowsTheTableCommentedOut) {
  const std::string text = authd::default_daemon_config_toml();
  EXPECT_NE(text.find("#[notifications]"), std::string::npos) << text;
  const fs::path file = dir_.path() / "default.toml";
  std::ofstream(file) << text;
  const auto config = authd::load_daemon_config(file, dir_.path());
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->notifications.command.empty());
}

}  // namespace
}  // namespace authd_test
