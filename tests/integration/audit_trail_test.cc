// The audit trail over the API and offline: every entry links to the one
// before, `authctl audit verify` accepts the untouched file and names the
// first entry after one row of the SQLite file was altered behind its back.
#include <cctype>

#include "authd_fixture.h"
#include "sqlite_file.h"

namespace integration {
namespace {

using AuditTrailTest = AuthdTest;

TEST_F(AuditTrailTest, ChainIsLinkedAndVerifyDetectsAnAlteredRow) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());
  TestUser erin = create_user(admin, "erin");
  ASSERT_TRUE(erin.otp);
  ASSERT_EQ(login("erin", "Certainly not erins password", erin.otp->wrong()).status, 401);
  ASSERT_EQ(login("nobody-here", "Certainly not a password", erin.otp->wrong()).status, 401);

  const ApiResponse trail = get("/v1/audit?after=0&limit=1000", admin);
  ASSERT_EQ(trail.status, 200) << trail.body;
  const auto& entries = trail.json["entries"];
  ASSERT_GE(entries.size(), 6u) << trail.body;
  std::string previous_hash;
  bool saw_failed_login = false, saw_unknown_user = false;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    EXPECT_EQ(e.value("seq", int64_t{0}), static_cast<int64_t>(i + 1)) << e.dump();
    EXPECT_EQ(e.value("prev_hash", "?"), previous_hash) << "entry " << i + 1 << " is not linked";
    previous_hash = e.value("hash", "");
    EXPECT_EQ(previous_hash.size(), 64u) << "hex SHA-256";
    EXPECT_TRUE(e["detail"].is_object()) << e.dump();
    if (e.value("action", "") == "login" && e.value("outcome", "") == "failure") {
      EXPECT_FALSE(e.value("reason", "").empty()) << e.dump();
      EXPECT_EQ(e.value("source_address", ""), "127.0.0.1") << e.dump();
      saw_failed_login = true;
      saw_unknown_user |= e.dump().find("nobody-here") != std::string::npos;
    }
  }
  EXPECT_TRUE(saw_failed_login) << trail.body;
  EXPECT_TRUE(saw_unknown_user) << "the attempt on an unknown name is recorded";
  EXPECT_EQ(trail.json.value("next_after", int64_t{0}), static_cast<int64_t>(entries.size()));
  for (const auto& secret : secrets_) {
    EXPECT_EQ(trail.body.find(secret), std::string::npos) << "a secret reached the audit trail";
  }
  const ApiResponse page = get("/v1/audit?after=2&limit=2", admin);
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.json["entries"].size(), 2u);
  EXPECT_EQ(page.json["entries"][0].value("seq", 0), 3);
  EXPECT_EQ(page.json.value("next_after", 0), 4);

  ASSERT_NO_FATAL_FAILURE(stop());
  const std::filesystem::path db = data_dir() / "authd.db";
  const std::string rows = sql(db, "SELECT count(*) FROM audit");
  ASSERT_FALSE(rows.empty());
  ASSERT_GE(std::stoi(rows), static_cast<int>(entries.size()));

  const CommandResult good = run_command(
      {authctl_binary().string(), "audit", "verify", "--data-dir", data_dir().string()});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("entries: " + rows + "\n"), std::string::npos)
      << "verify should print the number of entries (" << rows << "): " << good.out;

  // authd's schema refuses updates (a trigger); someone holding the file can
  // drop the trigger, and then only the hash chain tells.
  EXPECT_FALSE(sql_succeeds(db, "UPDATE audit SET outcome = 'x' WHERE seq = 3"))
      << "the audit table should refuse updates";
  sql(db, "DROP TRIGGER audit_no_update");
  sql(db, "UPDATE audit SET outcome = 'x' WHERE seq = 3");
  ASSERT_EQ(sql(db, "SELECT outcome FROM audit WHERE seq = 3"), "x");
  const CommandResult bad = run_command(
      {authctl_binary().string(), "audit", "verify", "--data-dir", data_dir().string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  const std::string said = bad.out + bad.err + "\n";
  const auto named = said.find("seq 3");
  EXPECT_TRUE(named != std::string::npos &&
              !std::isdigit(static_cast<unsigned char>(said[named + 5])))
      << "verify should name entry 3: " << said;
}

}  // namespace
}  // namespace integration
