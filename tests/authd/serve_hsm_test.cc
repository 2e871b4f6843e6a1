// `authd serve` and the HSM: refusing to start without its module, PIN file,
// token or keys (naming what is missing), logging the policy's warnings, and
// signing the trail's last entries when it stops.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/audit_evidence.h"
#include "test_support.h"

namespace authd_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ServeHsmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const CommandResult made = run_authd({"init", "--data-dir", dir().string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  fs::path dir() const { return tmp_.path() / "data"; }

  CommandResult serve() {
    return run_authd({"serve", "--data-dir", dir().string(), "--listen", "127.0.0.1:0"});
  }

  // Replaces `from` with `to` in authd.toml.
  void edit_config(const std::string& from, const std::string& to) {
    std::string text = read_text(dir() / "authd.toml");
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, from.size(), to);
    std::ofstream(dir() / "authd.toml", std::ios::trunc) << text;
  }

  void expect_refusal(const CommandResult& r, const std::string& named) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(named), std::string::npos) << r.err;
  }

  TempDir tmp_;
};

TEST_F(ServeHsmTest, RefusesAMissingPinFile) {
  fs::remove(dir() / "hsm" / "user.pin");
  expect_refusal(serve(), (dir() / "hsm" / "user.pin").string());
}

TEST_F(ServeHsmTest, RefusesAReadablePinFile) {
  fs::permissions(dir() / "hsm" / "user.pin", fs::perms::group_read, fs::perm_options::add);
  expect_refusal(serve(), "user.pin");
}

TEST_F(ServeHsmTest, RefusesAMissingToken) {
  edit_config("pkcs11:token=authd", "pkcs11:token=elsewhere");
  expect_refusal(serve(), "pkcs11:token=elsewhere");
}

TEST_F(ServeHsmTest, RefusesAMissingModule) {
  edit_config("module = \"softhsm2\"", "module = \"/nonexistent/libpkcs11.so\"");
  expect_refusal(serve(), "/nonexistent/libpkcs11.so");
}

TEST_F(ServeHsmTest, RefusesAConfigWithoutAnHsmTable) {
  std::string text = read_text(dir() / "authd.toml");
  text = text.substr(0, text.find("[hsm]"));
  std::ofstream(dir() / "authd.toml", std::ios::trunc) << text;
  expect_refusal(serve(), "[hsm]");
}

TEST_F(ServeHsmTest, RefusesAMissingKeyNamingIt) {
  const auto keys = nlohmann::json::parse(read_text(dir() / "keys" / "keys.json"));
  std::string label;
  for (const auto& key : keys["keys"]) {
    const std::string uri = key.value("uri", "");
    if (key.value("purpose", "") == "audit") label = uri.substr(uri.find("object=") + 7);
  }
  label = label.substr(0, label.find(';'));
  ASSERT_FALSE(label.empty()) << keys.dump();
  // Remove the key pair with another PKCS#11 client, as a careless operator might.
  std::string pin = read_text(dir() / "hsm" / "user.pin");
  while (!pin.empty() && pin.back() == '\n') pin.pop_back();
  for (const char* type : {"privkey", "pubkey"}) {
    const CommandResult deleted = run_command(
        {"env", "SOFTHSM2_CONF=" + (dir() / "hsm" / "softhsm2.conf").string(), "pkcs11-tool",
         "--module", "/usr/lib/softhsm/libsofthsm2.so", "--token-label", "authd", "--login",
         "--pin", pin, "--delete-object", "--type", type, "--label", label});
    ASSERT_EQ(deleted.exit_code, 0) << deleted.out << deleted.err;
  }
  expect_refusal(serve(), label);
}

TEST_F(ServeHsmTest, LogsPolicyWarningsAndSignsEveryEntryBeforeStopping) {
  // Weak Argon2id is allowed (tests use it) but must be called out at start.
  std::ofstream(dir() / "policy.toml", std::ios::trunc)
      << "[password]\nargon2_memory_kib = 1024\nargon2_iterations = 1\n";
  const fs::path log = tmp_.path() / "serve.log";
  Child serve({authd_binary(), "serve", "--data-dir", dir().string(), "--listen", "127.0.0.1:0"},
              log);
  const auto line = serve.read_line(60s);
  ASSERT_TRUE(line.has_value());
  const std::string port = line->substr(line->rfind(':') + 1);

  // A failed login writes an audit entry for the checkpoint to cover.
  const CommandResult login =
      run_command({"curl", "--silent", "--cacert", (dir() / "tls" / "cert.pem").string(),
                   "--header", "Content-Type: application/json", "--data",
                   R"({"username":"nobody","password":"not-the-password","otp":"000000"})",
                   "https://localhost:" + port + "/v1/login"});
  EXPECT_EQ(login.exit_code, 0) << login.err;
  EXPECT_NE(login.out.find("invalid_credentials"), std::string::npos) << login.out;

  serve.send_signal(SIGTERM);
  EXPECT_EQ(serve.wait(15s), std::optional<int>(0));
  const std::string logged = read_text(log);
  EXPECT_NE(logged.find("WARN"), std::string::npos) << logged;
  EXPECT_NE(logged.find("argon2_memory_kib"), std::string::npos) << logged;

  // With the daemon stopped the trail is signed to its last entry.
  auto keys = core::load_trusted_keys({dir() / "keys" / "keys.json"});
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  const core::TrailReport report = core::verify_audit_database(dir() / "authd.db", *keys);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_GE(report.entries, 2);
  EXPECT_GE(report.checkpoints, 1);
  EXPECT_EQ(report.unsigned_tail, 0);
}

}  // namespace
}  // namespace authd_test
