// The account side of tokens: who may activate one, at most
// lifecycle.max_active_tokens_per_type active per type, a permanent token
// retiring a temporary replacement, issue only to accounts that may hold
// one, and login only with an active, unexpired token.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class TokenRulesTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "tess", kPassword);
  }
  std::string first_token() const {
    return sql_text("SELECT id FROM tokens WHERE user_id = (SELECT id FROM users WHERE username "
                    "= 'tess') ORDER BY issued_at LIMIT 1");
  }
  static constexpr const char* kPassword = "tess's own passphrase";
  std::string uri_;
};

TEST_F(TokenRulesTest, AtMostOneActiveTokenPerTypeByDefault) {
  auto second = service_->issue_token(admin_, "tess", "totp");
  ASSERT_TRUE(second.ok());
  auto refused = service_->activate_token(admin_, second->token_id, code_now(second->otpauth_uri));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("1 active totp token"), std::string::npos);
  EXPECT_EQ(last_audit("token.activate"), "failure token_limit");
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + second->token_id + "'"), "issued");
}

TEST_F(TokenRulesTest, PolicyMayAllowMore) {
  policy_.lifecycle.max_active_tokens_per_type = 2;
  service_.reset();
  service_ = reopen();
  ASSERT_TRUE(service_);
  auto second = service_->issue_token(admin_, "tess", "totp");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(
      service_->activate_token(admin_, second->token_id, code_now(second->otpauth_uri)).ok());
  auto third = service_->issue_token(admin_, "tess", "totp");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(service_->activate_token(admin_, third->token_id, code_now(third->otpauth_uri))
                .error()
                .code,
            Errc::conflict);
}

TEST_F(TokenRulesTest, APermanentTokenRetiresTheTemporaryReplacement) {
  // The first token becomes a temporary replacement still in its lifetime.
  const std::string temporary = first_token();
  sql("UPDATE tokens SET temporary = 1, expires_at = " +
      std::to_string(common::unix_seconds(clock_->now()) + 86400) + " WHERE id = '" + temporary +
      "'");
  auto permanent = service_->issue_token(admin_, "tess", "totp");
  ASSERT_TRUE(permanent.ok());
  auto active =
      service_->activate_token(admin_, permanent->token_id, code_now(permanent->otpauth_uri));
  ASSERT_TRUE(active.ok()) << active.error().message;
  EXPECT_EQ(active->state, "active");
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + temporary + "'"), "revoked");
  EXPECT_EQ(last_audit("token.revoke"), "success replaced");
  EXPECT_NE(sql_text("SELECT detail FROM audit WHERE action = 'token.revoke'")
                .find(permanent->token_id),
            std::string::npos);
}

TEST_F(TokenRulesTest, LoginIgnoresAnExpiredTemporaryToken) {
  sql("UPDATE tokens SET temporary = 1, expires_at = " +
      std::to_string(common::unix_seconds(clock_->now()) + 60) + " WHERE id = '" +
      first_token() + "'");
  EXPECT_TRUE(login("tess", kPassword, next_code(uri_)).ok());
  clock_->advance(std::chrono::seconds(60));
  EXPECT_EQ(login("tess", kPassword, next_code(uri_)).error().code, Errc::invalid_credentials);
  EXPECT_EQ(last_audit("login"), "failure no_active_token");
}

TEST_F(TokenRulesTest, OnlyAnActiveTokenAuthenticates) {
  sql("UPDATE tokens SET state = 'lost' WHERE id = '" + first_token() + "'");
  EXPECT_EQ(login("tess", kPassword, next_code(uri_)).error().code, Errc::invalid_credentials);
  sql("UPDATE tokens SET state = 'revoked' WHERE id = '" + first_token() + "'");
  EXPECT_EQ(login("tess", kPassword, next_code(uri_)).error().code, Errc::invalid_credentials);
}

TEST_F(TokenRulesTest, IssueOnlyToAccountsThatMayHoldOne) {
  ASSERT_TRUE(service_->suspend_user(admin_, "tess", record("investigation")).ok());
  auto refused = service_->issue_token(admin_, "tess", "totp");
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("suspended"), std::string::npos);
  ASSERT_TRUE(service_->reactivate_user(admin_, "tess", record("", "cleared")).ok());
  ASSERT_TRUE(service_->suspend_user(admin_, "tess", record("password_compromised")).ok());
  EXPECT_TRUE(service_->issue_token(admin_, "tess", "totp").ok());
  EXPECT_EQ(service_->issue_token(admin_, "ghost", "totp").error().code, Errc::not_found);
  EXPECT_EQ(service_->issue_token(admin_, "tess", "sms").error().code, Errc::bad_request);
}

TEST_F(TokenRulesTest, WhoMayActivate) {
  const std::string other_uri = make_user(admin_, "otto", "otto's own passphrase");
  auto issued = service_->issue_token(admin_, "tess", "totp");
  ASSERT_TRUE(issued.ok());
  sql("UPDATE tokens SET state = 'revoked' WHERE id = '" + first_token() + "'");
  // Another user cannot tell the token exists.
  Principal otto = session_of("otto", "otto's own passphrase", other_uri);
  auto foreign = service_->activate_token(otto, issued->token_id, code_now(issued->otpauth_uri));
  EXPECT_EQ(foreign.error().code, Errc::not_found);
  // An administrator outside the scope neither.
  ASSERT_TRUE(
      service_->create_organisation(admin_, {"LA-002", "Second", "local_authority", ""}).ok());
  Principal la2 = administrator("la2-admin", "LA-002");
  EXPECT_EQ(
      service_->activate_token(la2, issued->token_id, code_now(issued->otpauth_uri)).error().code,
      Errc::not_found);
  EXPECT_EQ(last_audit("token.activate"), "failure out_of_scope");
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + issued->token_id + "'"), "issued");
  // An administrator in scope relays the holder's code.
  EXPECT_TRUE(
      service_->activate_token(admin_, issued->token_id, code_now(issued->otpauth_uri)).ok());
}

TEST_F(TokenRulesTest, AnActiveOrRevokedTokenCannotBeActivated) {
  auto active = service_->activate_token(admin_, first_token(), code_now(uri_));
  EXPECT_EQ(active.error().code, Errc::conflict);
  EXPECT_EQ(last_audit("token.activate"), "failure illegal_transition");
  auto issued = service_->issue_token(admin_, "tess", "totp");
  ASSERT_TRUE(issued.ok());
  sql("UPDATE tokens SET state = 'revoked' WHERE id = '" + issued->token_id + "'");
  auto revoked =
      service_->activate_token(admin_, issued->token_id, code_now(issued->otpauth_uri));
  EXPECT_EQ(revoked.error().code, Errc::conflict);
}

}  // namespace
}  // namespace core::testing
