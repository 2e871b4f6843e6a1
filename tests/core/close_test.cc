// Closure (4.40-4.42): every session ends, every token is revoked and its
// hardware marked for return, the account never logs in again, and the
// record is kept for audit, never deleted.
#include <sqlite3.h>

#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class CloseTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "cody", kPassword);
  }
  // Runs a statement as someone with the file would; returns SQLite's code.
  int try_sql(const std::string& statement) const {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
  }
  static constexpr const char* kPassword = "cody's own passphrase";
  std::string uri_;
};

TEST_F(CloseTest, SessionsEndTokensAreRevokedAndHardwareAwaitsReturn) {
  auto grant = login("cody", kPassword, next_code(uri_));
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(service_->authenticate(grant->session, "192.0.2.1").ok());
  auto spare = service_->issue_token(admin_, "cody", "totp");  // issued, never activated
  ASSERT_TRUE(spare.ok());

  ActionRecord r = record("left the organisation", "last day 31 Dec");
  auto closed = service_->close_user(admin_, "cody", r);
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ(closed->state, "closed");
  ASSERT_EQ(closed->tokens.size(), 2u);
  for (const auto& token : closed->tokens) {
    EXPECT_EQ(token.state, "revoked") << token.token_id;
    EXPECT_EQ(token.custody, "awaiting_return") << token.token_id;
    EXPECT_EQ(token.state_changed_at, clock_->now());
  }
  EXPECT_EQ(service_->authenticate(grant->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(sql_text("SELECT end_reason FROM sessions WHERE ended_at IS NOT NULL AND user_id = "
                     "(SELECT id FROM users WHERE username = 'cody') ORDER BY created_at DESC"),
            "account_closed");
  // No token authenticates any more: the generic answer.
  EXPECT_EQ(login("cody", kPassword, next_code(uri_)).error().code, Errc::invalid_credentials);

  EXPECT_EQ(last_audit("user.close"), "success ok");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'token.revoke' AND reason = "
                    "'account_closed' AND subject = 'cody'"),
            2);
  const std::string detail = sql_text("SELECT detail FROM audit WHERE action = 'user.close'");
  EXPECT_NE(detail.find("\"tokens_revoked\":2"), std::string::npos) << detail;
  EXPECT_NE(detail.find("\"sessions_ended\":1"), std::string::npos) << detail;
  // The manager is asked for the token back.
  EXPECT_EQ(sql_text("SELECT kind || ' ' || recipient FROM notifications"),
            "account.closed manager.cody@example.org");
  EXPECT_NE(sql_text("SELECT body FROM notifications").find("security token"), std::string::npos);
}

TEST_F(CloseTest, ForGoodEvenForSomeoneWithTheDatabaseFile) {
  ASSERT_TRUE(service_->close_user(admin_, "cody", record("", "no longer needs access")).ok());
  EXPECT_NE(try_sql("UPDATE users SET state = 'active' WHERE username = 'cody'"), SQLITE_OK);
  EXPECT_NE(try_sql("DELETE FROM users WHERE username = 'cody'"), SQLITE_OK);
  EXPECT_NE(try_sql("UPDATE tokens SET state = 'active'"), SQLITE_OK);
  EXPECT_EQ(sql_text("SELECT state FROM users WHERE username = 'cody'"), "closed");
  for (auto event : {&Service::suspend_user, &Service::reactivate_user, &Service::close_user}) {
    auto r = ((*service_).*event)(admin_, "cody", record("investigation", "again"));
    EXPECT_EQ(r.error().code, Errc::conflict);
    EXPECT_EQ(r.error().message, "the account is closed, for good");
  }
  EXPECT_EQ(service_->issue_token(admin_, "cody", "totp").error().code, Errc::conflict);
  EXPECT_EQ(service_->reset_password(admin_, "cody").error().code, Errc::conflict);
  // Still readable for audit.
  auto kept = service_->get_user(admin_, "cody");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->last_change->note, "no longer needs access");
}

TEST_F(CloseTest, NominatedAndSuspendedAccountsCloseToo) {
  nominate("nick");
  auto nominated = service_->close_user(admin_, "nick", record("", "nomination withdrawn"));
  ASSERT_TRUE(nominated.ok()) << nominated.error().message;
  EXPECT_EQ(nominated->state, "closed");
  ASSERT_TRUE(service_->suspend_user(admin_, "cody", record("investigation")).ok());
  auto suspended = service_->close_user(admin_, "cody", record("misuse", "investigation upheld"));
  ASSERT_TRUE(suspended.ok());
  EXPECT_EQ(suspended->state, "closed");
}

TEST_F(CloseTest, ALostTokenIsRevokedAndAReturnedOneKeepsItsCustody) {
  sql("UPDATE tokens SET state = 'lost' WHERE user_id = (SELECT id FROM users WHERE username = "
      "'cody')");
  auto second = service_->issue_token(admin_, "cody", "totp");
  ASSERT_TRUE(second.ok());
  sql("UPDATE tokens SET state = 'returned', custody = 'returned' WHERE id = '" +
      second->token_id + "'");
  auto closed = service_->close_user(admin_, "cody", record("", "left"));
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  for (const auto& token : closed->tokens) {
    if (token.token_id == second->token_id) {
      EXPECT_EQ(token.state, "returned");
      EXPECT_EQ(token.custody, "returned");
    } else {
      EXPECT_EQ(token.state, "revoked");
      EXPECT_EQ(token.custody, "awaiting_return");
    }
  }
}

TEST_F(CloseTest, TheNoteIsRequired) {
  auto refused = service_->close_user(admin_, "cody", record("left", ""));
  EXPECT_EQ(refused.error().code, Errc::bad_request);
  EXPECT_EQ(refused.error().field, "note");
  EXPECT_EQ(sql_text("SELECT state FROM users WHERE username = 'cody'"), "active");
}

}  // namespace
}  // namespace core::testing
