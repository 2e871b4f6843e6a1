// TOTP seeds wrapped by the HSM: never in the database file, bound to their
// row, and legacy plain seeds wrapped at open. (The cost of unwrapping is
// measured in bench/hsm_sign_bench, beside Argon2id in bench/argon2_bench.)
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "common/secret.h"
#include "test_support.h"
#include "tokens/totp.h"

namespace core::testing {
namespace {

class SeedWrappingTest : public CoreTest {};

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(SeedWrappingTest, NoSeedIsInTheDatabaseFileInRawOrBase32Form) {
  init_and_open();
  Principal admin = admin_session();
  std::vector<std::string> uris = {bootstrap_.otpauth_uri};
  for (int i = 0; i < 3; ++i) {
    uris.push_back(
        make_user(admin, "user" + std::to_string(i), "a long password " + std::to_string(i)));
  }
  service_.reset();  // closes every connection: the WAL is folded into the file
  const auto copy = dir_ / "copy.db";
  std::filesystem::copy_file(db_path(), copy);
  std::string bytes = file_bytes(copy);
  for (const auto* suffix : {"-wal", "-shm"}) {
    if (std::filesystem::exists(db_path().string() + suffix)) {
      bytes += file_bytes(db_path().string() + suffix);
    }
  }
  ASSERT_GT(bytes.size(), 4096u);
  for (const auto& uri : uris) {
    const auto seed = seed_of(uri);
    ASSERT_EQ(seed.size(), 20u);
    const std::string raw(seed.begin(), seed.end());
    EXPECT_EQ(bytes.find(raw), std::string::npos) << "raw seed found in the file";
    const std::string b32 = tokens::base32_encode(seed);
    EXPECT_EQ(bytes.find(b32), std::string::npos) << "base32 seed found in the file";
    // The seed is also not half-there (a prefix long enough to be meaningful).
    EXPECT_EQ(bytes.find(raw.substr(0, 8)), std::string::npos);
  }
  // Every row names the wrapping key that sealed it.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens WHERE secret_key IS NULL"), 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens"), 4);
}

TEST_F(SeedWrappingTest, ACiphertextMovedToAnotherRowDoesNotOpen) {
  init_and_open();
  Principal admin = admin_session();
  const std::string password = "mallory's own password";
  const std::string victim_uri = make_user(admin, "victim", "the victim's password");
  const std::string mallory_uri = make_user(admin, "mallory", password);
  service_.reset();
  const int64_t victim_id = sql_int("SELECT id FROM users WHERE username = 'victim'");
  const int64_t mallory_id = sql_int("SELECT id FROM users WHERE username = 'mallory'");
  // Mallory, with write access to the file, copies the victim's sealed seed
  // into her own token row, hoping her account now answers to the victim's
  // authenticator (or that the victim's seed can be read through hers).
  sql("UPDATE tokens SET secret = (SELECT secret FROM tokens WHERE user_id = " +
      std::to_string(victim_id) +
      "), secret_key = (SELECT secret_key FROM tokens WHERE user_id = " +
      std::to_string(victim_id) + ") WHERE user_id = " + std::to_string(mallory_id));
  service_ = reopen();
  ASSERT_TRUE(service_);
  // Refused like any wrong code, and counted: the damaged row neither confirms
  // the password (a distinct error) nor lets codes be guessed unthrottled.
  auto with_victims_code = login("mallory", password, next_code(victim_uri));
  ASSERT_FALSE(with_victims_code.ok());
  EXPECT_EQ(with_victims_code.error().code, common::Errc::invalid_credentials);
  auto with_own_code = login("mallory", password, next_code(mallory_uri));
  ASSERT_FALSE(with_own_code.ok());
  EXPECT_EQ(with_own_code.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "seed_undecryptable");
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'mallory'"), 2);
  // The victim is unaffected.
  EXPECT_TRUE(login("victim", "the victim's password", next_code(victim_uri)).ok());
}

TEST_F(SeedWrappingTest, LegacyPlainSeedsAreWrappedAtOpenAndStillLogIn) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "olduser", "an old user's password");
  service_.reset();
  // As schema v1 stored it: the raw seed, no wrapping key.
  const auto seed = seed_of(uri);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "UPDATE tokens SET secret = ?, secret_key = NULL WHERE user_id = "
                               "(SELECT id FROM users WHERE username = 'olduser')",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(stmt, 1, seed.data(), static_cast<int>(seed.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  ASSERT_EQ(sql_int("SELECT COUNT(*) FROM tokens WHERE secret_key IS NULL"), 1);

  service_ = reopen();
  ASSERT_TRUE(service_);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens WHERE secret_key IS NULL"), 0);
  EXPECT_EQ(sql_text("SELECT secret_key FROM tokens WHERE user_id = (SELECT id FROM users WHERE "
                     "username = 'olduser')"),
            sql_text("SELECT key_id FROM keys WHERE purpose = 'wrap' AND retired_at_ms IS NULL"));
  EXPECT_NE(sql_int("SELECT length(secret) FROM tokens WHERE user_id = (SELECT id FROM users "
                    "WHERE username = 'olduser')"),
            static_cast<int64_t>(seed.size()));
  EXPECT_TRUE(login("olduser", "an old user's password", next_code(uri)).ok());
}

TEST_F(SeedWrappingTest, APlainSeedWrittenBehindAuthdsBackIsNotUsedForLogin) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "target", "the target's password");
  // Written while authd runs (no re-open): refused, never trusted as plain.
  std::vector<uint8_t> known(20, 0x41);
  sql("UPDATE tokens SET secret = x'" + common::to_hex(known) +
      "', secret_key = NULL WHERE user_id = (SELECT id FROM users WHERE username = 'target')");
  const std::string attacker_code = [&] {
    const tokens::TotpParams params;
    auto code =
        tokens::totp_code(known, tokens::totp_step(clock_->now(), params.period) + 1, params);
    return code.ok() ? *code : std::string();
  }();
  clock_->advance(std::chrono::seconds(30));
  EXPECT_FALSE(login("target", "the target's password", attacker_code).ok());
}

}  // namespace
}  // namespace core::testing
