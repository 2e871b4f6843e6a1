// Data directory set-up and schema versioning.
#include <fstream>
#include <iterator>

#include "store/migrations.h"
#include "test_support.h"

namespace core::testing {
namespace {

class StoreTest : public CoreTest {};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(StoreTest, InitialiseRefusesAnExistingFileAndLeavesItAlone) {
  std::ofstream(db_path()) << "precious";
  auto result = Service::initialise(config(), keys_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, common::Errc::conflict);
  EXPECT_EQ(read_file(db_path()), "precious");
}

TEST_F(StoreTest, InitialiseTwiceRefusesTheSecondTime) {
  ASSERT_TRUE(Service::initialise(config(), keys_).ok());
  const int64_t entries = sql_int("SELECT COUNT(*) FROM audit");
  auto again = Service::initialise(config(), keys_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, common::Errc::conflict);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit"), entries);
}

TEST_F(StoreTest, InitialiseCreatesTheFirstOrganisationAndAnActiveAdmin) {
  auto admin = Service::initialise(config(), keys_);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  EXPECT_EQ(admin->username, "admin");
  EXPECT_EQ(admin->password.size(), 20u);
  EXPECT_EQ(admin->otpauth_uri.rfind("otpauth://totp/", 0), 0u);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM organisations WHERE id = 'LA-001' AND kind = "
                    "'local_authority'"),
            1);
  EXPECT_EQ(sql_int("SELECT must_change_password FROM users WHERE username = 'admin'"), 1);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens WHERE state = 'active'"), 1);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE actor = 'authd-init'"), 7);
  // The password is not stored anywhere in clear.
  EXPECT_EQ(read_file(db_path()).find(admin->password), std::string::npos);
}

TEST_F(StoreTest, TwoInitialisationsMakeDifferentSecrets) {
  auto first = Service::initialise(config(), keys_);
  ASSERT_TRUE(first.ok());
  std::filesystem::remove(db_path());
  auto second = Service::initialise(config(), keys_);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first->password, second->password);
  EXPECT_NE(first->otpauth_uri, second->otpauth_uri);
}

TEST_F(StoreTest, FailedInitialiseLeavesNoFile) {
  policy_.password.blocklist_paths = {(dir_ / "no-such-list.txt").string()};
  auto result = Service::initialise(config(), keys_);
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(std::filesystem::exists(db_path()));
  EXPECT_FALSE(std::filesystem::exists(db_path().string() + "-wal"));
}

TEST_F(StoreTest, OpenRefusesAMissingDatabase) {
  auto opened = Service::open(config());
  ASSERT_FALSE(opened.ok());
  EXPECT_FALSE(std::filesystem::exists(db_path()));
}

TEST_F(StoreTest, OpenRefusesANewerSchemaNamingBothVersions) {
  ASSERT_TRUE(Service::initialise(config(), keys_).ok());
  sql("PRAGMA user_version = 99");
  auto opened = Service::open(config());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, common::Errc::conflict);
  EXPECT_NE(opened.error().message.find("99"), std::string::npos) << opened.error().message;
  EXPECT_NE(opened.error().message.find(std::to_string(store::latest_schema_version())),
            std::string::npos)
      << opened.error().message;
  EXPECT_EQ(sql_int("PRAGMA user_version"), 99);  // untouched
}

TEST_F(StoreTest, MigrationsAreIdempotent) {
  ASSERT_TRUE(Service::initialise(config(), keys_).ok());
  const int64_t objects = sql_int("SELECT COUNT(*) FROM sqlite_schema");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(reopen());
  EXPECT_EQ(sql_int("PRAGMA user_version"), store::latest_schema_version());
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sqlite_schema"), objects);
}

TEST_F(StoreTest, TheDatabaseFileIsReadableByItsOwnerOnly) {
  init_and_open();
  const auto perms = std::filesystem::status(db_path()).permissions();
  using std::filesystem::perms;
  EXPECT_EQ(perms & (perms::group_all | perms::others_all), perms::none);
  EXPECT_EQ(sql_int("PRAGMA application_id"), 0x61746864);
}

TEST_F(StoreTest, OpenRefusesSomeoneElsesDatabaseAndLeavesItAlone) {
  sql("CREATE TABLE recipes (name TEXT)");
  auto opened = Service::open(config());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, common::Errc::conflict);
  EXPECT_NE(opened.error().message.find("not an authd database"), std::string::npos);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sqlite_schema"), 1);
  EXPECT_EQ(sql_int("PRAGMA user_version"), 0);
}

TEST_F(StoreTest, DatabaseIsInWalModeWithForeignKeysEnforced) {
  init_and_open();
  // journal_mode is persistent: a fresh connection reports it.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
  // The schema declares the references (enforced on the service's connections).
  EXPECT_GT(sql_int("SELECT COUNT(*) FROM pragma_foreign_key_list('users')"), 0);
  EXPECT_GT(sql_int("SELECT COUNT(*) FROM pragma_foreign_key_list('sessions')"), 0);
}

}  // namespace
}  // namespace core::testing
