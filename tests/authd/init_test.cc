// `authd init` and the HSM: the SoftHSM token it makes by default, an
// operator's existing token and keys, and the keys it refuses.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "authd/daemon_config.h"
#include "hsm/hsm.h"
#include "test_support.h"
#include "test_token.h"

namespace authd_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSoftHsmLibrary = "/usr/lib/softhsm/libsofthsm2.so";

CommandResult init(const fs::path& dir, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"init", "--data-dir", dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_authd(args);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// pkcs11-tool (OpenSC): an independent PKCS#11 client, logged in to a SoftHSM
// token with the PIN from `pin_file`.
CommandResult pkcs11_tool(const fs::path& softhsm2_conf, const std::string& token_label,
                          const fs::path& pin_file, std::vector<std::string> args) {
  std::vector<std::string> argv = {"env",           "SOFTHSM2_CONF=" + softhsm2_conf.string(),
                                   "pkcs11-tool",   "--module",
                                   kSoftHsmLibrary, "--token-label",
                                   token_label,     "--login",
                                   "--pin",         trimmed(read_text(pin_file))};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

// "audit-20261125T101500Z" (optionally with a "-suffix").
bool is_key_label(const std::string& label, const std::string& purpose) {
  const std::string prefix = purpose + "-";
  if (label.rfind(prefix, 0) != 0 || label.size() < prefix.size() + 16) return false;
  const std::string stamp = label.substr(prefix.size(), 16);
  for (size_t i = 0; i < 16; ++i) {
    const bool digit = stamp[i] >= '0' && stamp[i] <= '9';
    if (i == 8 ? stamp[i] != 'T' : i == 15 ? stamp[i] != 'Z' : !digit) return false;
  }
  return true;
}

TEST(AuthdInit, CreatesASoftHsmTokenWhoseKeysNeverLeaveIt) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  const CommandResult result = init(dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  // The token and its PINs are the daemon's alone.
  EXPECT_EQ(file_mode(dir / "hsm"), 0700u);
  EXPECT_EQ(file_mode(dir / "hsm" / "tokens"), 0700u);
  EXPECT_EQ(file_mode(dir / "hsm" / "so.pin"), 0600u);
  EXPECT_EQ(file_mode(dir / "hsm" / "user.pin"), 0600u);
  EXPECT_TRUE(fs::is_regular_file(dir / "hsm" / "softhsm2.conf"));
  const std::string pin = trimmed(read_text(dir / "hsm" / "user.pin"));
  ASSERT_FALSE(pin.empty());
  EXPECT_EQ(result.out.find(pin), std::string::npos);
  EXPECT_EQ(result.err.find(pin), std::string::npos);

  // authd.toml names the token; paths inside the data directory are relative.
  const std::string toml = read_text(dir / "authd.toml");
  EXPECT_NE(toml.find("pin_file = \"hsm/user.pin\""), std::string::npos) << toml;
  auto config = authd::load_daemon_config(dir / "authd.toml", dir);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->hsm.module, "softhsm2");
  EXPECT_EQ(config->hsm.token_uri, "pkcs11:token=authd");
  EXPECT_EQ(config->hsm.pin_file, dir / "hsm" / "user.pin");
  EXPECT_EQ(config->hsm.softhsm2_conf, dir / "hsm" / "softhsm2.conf");

  // Public keys for investigators: readable by anyone.
  EXPECT_EQ(file_mode(dir / "keys"), 0755u);
  EXPECT_EQ(file_mode(dir / "keys" / "keys.json"), 0644u);
  const json keys = json::parse(read_text(dir / "keys" / "keys.json"), nullptr, false);
  ASSERT_TRUE(keys.is_object() && keys["keys"].is_array()) << keys.dump();
  ASSERT_EQ(keys["keys"].size(), 3u) << keys.dump();

  auto device = hsm::open_pkcs11(config->hsm);
  ASSERT_TRUE(device.ok()) << device.error().message;
  for (const json& key : keys["keys"]) {
    const std::string purpose = key.value("purpose", "");
    const std::string uri = key.value("uri", "");
    SCOPED_TRACE(uri);
    const size_t object = uri.find("object=");
    ASSERT_NE(object, std::string::npos);
    EXPECT_TRUE(is_key_label(uri.substr(object + 7, uri.find(';', object) - object - 7), purpose));
    if (purpose != "wrap") {
      const fs::path pem = dir / "keys" / (purpose + "-" + key.value("key_id", "") + ".pem");
      EXPECT_TRUE(fs::is_regular_file(pem)) << pem;
      EXPECT_EQ(file_mode(pem), 0644u);
    }
    auto attributes = (*device)->inspect(uri);
    ASSERT_TRUE(attributes.ok()) << attributes.error().message;
    EXPECT_EQ(attributes->type, purpose == "wrap" ? hsm::KeyType::aes256 : hsm::KeyType::ec_p256);
    EXPECT_TRUE(attributes->sensitive);
    EXPECT_FALSE(attributes->extractable);
    EXPECT_FALSE(attributes->value_readable);
  }
  device->reset();

  // The same, asked through another PKCS#11 client.
  const CommandResult listed = pkcs11_tool(dir / "hsm" / "softhsm2.conf", "authd",
                                           dir / "hsm" / "user.pin", {"--list-objects"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  size_t never_extractable = 0;
  for (size_t at = listed.out.find("never extractable"); at != std::string::npos;
       at = listed.out.find("never extractable", at + 1)) {
    ++never_extractable;
  }
  EXPECT_EQ(never_extractable, 3u) << listed.out;
}

TEST(AuthdInit, UsesAnExistingTokenAndKeysAndReferencesItsPinFile) {
  TempDir tmp;
  core::InitialKeys keys;
  hsm::ModuleConfig module;
  {
    const TestToken token = make_test_token(tmp.path() / "external", "external");
    keys = token.keys;
    module = token.module;
  }  // closed: the daemon's processes open it on their own
  const fs::path dir = tmp.path() / "data";
  const CommandResult result = init(
      dir, {"--hsm-module", "softhsm2", "--hsm-token", "pkcs11:token=external", "--hsm-pin-file",
            module.pin_file.string(), "--hsm-softhsm2-conf", module.softhsm2_conf.string(),
            "--audit-key", keys.audit, "--assertion-key", keys.assertion, "--wrap-key", keys.wrap});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(fs::exists(dir / "hsm")) << "no token of its own";

  auto config = authd::load_daemon_config(dir / "authd.toml", dir);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->hsm.token_uri, "pkcs11:token=external");
  EXPECT_EQ(config->hsm.pin_file, fs::absolute(module.pin_file));  // referenced, not copied
  EXPECT_NE(read_text(dir / "authd.toml").find(fs::absolute(module.pin_file).string()),
            std::string::npos);

  const json listed = json::parse(read_text(dir / "keys" / "keys.json"), nullptr, false);
  ASSERT_TRUE(listed.is_object()) << read_text(dir / "keys" / "keys.json");
  std::map<std::string, std::string> uris;
  for (const json& key : listed["keys"]) uris[key.value("purpose", "")] = key.value("uri", "");
  EXPECT_EQ(uris["audit"], keys.audit);
  EXPECT_EQ(uris["assertion"], keys.assertion);
  EXPECT_EQ(uris["wrap"], keys.wrap);

  // The data directory serves with that token.
  const fs::path log = tmp.path() / "serve.log";
  Child serve({authd_binary(), "serve", "--data-dir", dir.string(), "--listen", "127.0.0.1:0"},
              log);
  const auto line = serve.read_line(std::chrono::seconds(60));
  ASSERT_TRUE(line.has_value()) << read_text(log);
  EXPECT_EQ(line->rfind("listening on 127.0.0.1:", 0), 0u) << *line;
  serve.send_signal(SIGTERM);
  EXPECT_EQ(serve.wait(std::chrono::seconds(15)), std::optional<int>(0)) << read_text(log);
}

TEST(AuthdInit, RefusesKeysThatAreMissingOrCanLeaveTheToken) {
  TempDir tmp;
  core::InitialKeys keys;
  hsm::ModuleConfig module;
  {
    const TestToken token = make_test_token(tmp.path() / "external", "external");
    keys = token.keys;
    module = token.module;
  }
  const auto with_keys = [&](const std::string& audit, const std::string& assertion,
                             const std::string& wrap) {
    return std::vector<std::string>{"--hsm-module",        "softhsm2",
                                    "--hsm-token",         "pkcs11:token=external",
                                    "--hsm-pin-file",      module.pin_file.string(),
                                    "--hsm-softhsm2-conf", module.softhsm2_conf.string(),
                                    "--audit-key",         audit,
                                    "--assertion-key",     assertion,
                                    "--wrap-key",          wrap};
  };
  const fs::path dir = tmp.path() / "data";

  const std::string absent = "pkcs11:token=external;object=audit-absent";
  CommandResult r = init(dir, with_keys(absent, keys.assertion, keys.wrap));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(absent), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(fs::exists(dir)) << "nothing left behind";

  // An AES key made extractable and not sensitive by another client.
  const CommandResult made =
      pkcs11_tool(module.softhsm2_conf, "external", module.pin_file,
                  {"--keygen", "--key-type", "AES:32", "--label", "wrap-weak", "--extractable"});
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  const std::string weak = "pkcs11:token=external;object=wrap-weak";
  r = init(dir, with_keys(keys.audit, keys.assertion, weak));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(weak), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refusing"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir));

  // A key of the wrong kind for its purpose.
  r = init(dir, with_keys(keys.audit, keys.assertion, keys.assertion));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir));
  r = init(dir, with_keys(keys.wrap, keys.assertion, keys.audit));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(AuthdInit, HsmOptionsGoTogether) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";
  const fs::path pin = tmp.path() / "pin";
  { std::ofstream(pin) << "1234\n"; }
  fs::permissions(pin, fs::perms::owner_read | fs::perms::owner_write);
  for (const std::vector<std::string>& options :
       {std::vector<std::string>{"--hsm-module", "softhsm2"},
        {"--hsm-token", "pkcs11:token=x", "--hsm-pin-file", pin.string()},
        {"--audit-key", "pkcs11:object=a", "--assertion-key", "pkcs11:object=b", "--wrap-key",
         "pkcs11:object=c"},
        {"--hsm-module", "softhsm2", "--hsm-token", "pkcs11:token=x", "--hsm-pin-file",
         pin.string(), "--audit-key", "pkcs11:object=a"},
        {"--hsm-module", "softhsm2", "--hsm-token", "token=x", "--hsm-pin-file", pin.string()},
        {"--hsm-module", "softhsm2", "--hsm-token", "pkcs11:token=x", "--hsm-pin-file",
         (tmp.path() / "absent.pin").string()}}) {
    SCOPED_TRACE(options[0] + " " + options[1]);
    const CommandResult r = init(dir, options);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_FALSE(r.err.empty());
    EXPECT_FALSE(fs::exists(dir));
  }
}

}  // namespace
}  // namespace authd_test
