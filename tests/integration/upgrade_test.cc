// `authd upgrade` on a data directory as authd 0.1 left it (before HSM
// support): no [hsm] table, no token, no recorded keys, TOTP seeds stored in
// plain form. Such a directory is made here from a fresh one by undoing what
// HSM support added, as migration v2 leaves a v1 database (keys and
// checkpoint tables empty, tokens.secret_key NULL).
#include <fstream>
#include <sstream>

#include "authd_fixture.h"
#include "sqlite_file.h"

namespace integration {
namespace fs = std::filesystem;
namespace {

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

class UpgradeTest : public AuthdTest {
 protected:
  CommandResult authd(std::vector<std::string> args) {
    args.insert(args.begin(), authd_binary().string());
    return run_command(args);
  }

  // Turns the data directory into one from before HSM support.
  void make_legacy(const std::string& raw_admin_seed) {
    const fs::path db = data_dir() / "authd.db";
    sql(db,
        "DROP TRIGGER keys_no_delete; DROP TRIGGER keys_retire_only;"
        "DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM keys;"
        "DELETE FROM audit_checkpoints;"
        "UPDATE tokens SET secret = X'" +
            hex(raw_admin_seed) + "', secret_key = NULL");
    const std::string config = read_all(data_dir() / "authd.toml");
    std::ofstream(data_dir() / "authd.toml", std::ios::trunc)
        << config.substr(0, config.find("[hsm]"));
    fs::remove_all(data_dir() / "hsm");
    fs::remove_all(data_dir() / "keys");
  }
};

TEST_F(UpgradeTest, ALegacyDirectoryGetsItsTokenAndWrappedSeedsAndStillLogsIn) {
  use_test_policy();
  const CommandResult raw = run_command({"base32", "-d"}, admin_otp_->secret() + "\n");
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  ASSERT_NO_FATAL_FAILURE(make_legacy(raw.out));
  ASSERT_NE(read_all(data_dir() / "authd.db").find(raw.out), std::string::npos)
      << "the legacy file holds the plain seed";

  // serve refuses and says what to do.
  const CommandResult refused = authd({"serve", "--data-dir", data_dir().string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("authd upgrade"), std::string::npos) << refused.err;

  const CommandResult up = authd({"upgrade", "--data-dir", data_dir().string()});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(read_all(data_dir() / "authd.toml").find("[hsm]"), std::string::npos);
  EXPECT_TRUE(fs::exists(data_dir() / "keys" / "keys.json"));
  std::string stolen = read_all(data_dir() / "authd.db");
  if (fs::exists(data_dir() / "authd.db-wal")) stolen += read_all(data_dir() / "authd.db-wal");
  EXPECT_EQ(stolen.find(raw.out), std::string::npos) << "the seed is wrapped, no copy is left";
  EXPECT_EQ(sql(data_dir() / "authd.db", "SELECT count(*) FROM tokens WHERE secret_key IS NULL"),
            "0");

  // Running it twice changes nothing.
  const CommandResult again = authd({"upgrade", "--data-dir", data_dir().string()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("nothing to upgrade"), std::string::npos) << again.err;

  ASSERT_NO_FATAL_FAILURE(start());
  EXPECT_FALSE(admin_session().empty()) << "the administrator's token still works";
  ASSERT_NO_FATAL_FAILURE(stop());
  const CommandResult verified = run_command(
      {authctl_binary().string(), "audit", "verify", "--data-dir", data_dir().string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("unsigned tail: 0\n"), std::string::npos) << verified.out;
}

}  // namespace
}  // namespace integration
