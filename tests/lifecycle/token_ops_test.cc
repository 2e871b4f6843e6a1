// Token lifecycle operations: loss (which suspends the account at once),
// revocation, return of the hardware, TOTP resynchronisation, temporary
// replacements; every refusal, and scope.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;
using namespace std::chrono_literals;

class TokenOpsTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "tom", kPassword);
    auto user = service_->get_user(admin_, "tom");
    ASSERT_TRUE(user.ok());
    ASSERT_EQ(user->tokens.size(), 1u);
    token_ = user->tokens[0].token_id;
  }
  Result<LoginGrant> tom_login() { return login("tom", kPassword, next_code(uri_)); }
  Principal tom() { return session_of("tom", kPassword, uri_); }
  std::string token_state(const std::string& id) const {
    return sql_text("SELECT state FROM tokens WHERE id = '" + id + "'");
  }

  static constexpr const char* kPassword = "tom's own passphrase";
  std::string uri_;
  std::string token_;
};

TEST_F(TokenOpsTest, TheHolderReportsALossAndTheAccountIsSuspendedAtOnce) {
  const Principal holder = tom();
  auto other = tom_login();
  ASSERT_TRUE(other.ok());
  auto lost = service_->report_token_lost(holder, token_, "left on the train");
  ASSERT_TRUE(lost.ok()) << lost.error().message;
  EXPECT_EQ(lost->state, "lost");
  EXPECT_EQ(token_state(token_), "lost");
  // Every session ends at once, the reporter's own included.
  EXPECT_EQ(service_->authenticate(other->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(service_->get_user(holder, "tom").error().code, Errc::invalid_session);
  auto user = service_->get_user(admin_, "tom");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->state, "suspended");
  ASSERT_TRUE(user->last_change.has_value());
  EXPECT_EQ(user->last_change->reason, "token_lost");
  EXPECT_EQ(user->last_change->requested_by, "tom");
  EXPECT_EQ(user->last_change->note, "left on the train");
  EXPECT_EQ(last_audit("token.lost"), "success ok");
  EXPECT_EQ(last_audit("user.suspend"), "success token_lost");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications WHERE recipient = "
                    "'manager.tom@example.org'"),
            1);
  // The lost token never authenticates again.
  EXPECT_EQ(tom_login().error().code, Errc::invalid_credentials);
  EXPECT_TRUE(verify().ok);
}

TEST_F(TokenOpsTest, AnAdministratorReportsALossOnTheHoldersBehalf) {
  auto lost = service_->report_token_lost(admin_, token_, "");
  ASSERT_TRUE(lost.ok()) << lost.error().message;
  auto user = service_->get_user(admin_, "tom");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->state, "suspended");
  EXPECT_EQ(user->last_change->requested_by, "tom");
  EXPECT_EQ(user->last_change->verified_by, "admin");
  EXPECT_EQ(user->last_change->actor, "admin");
}

TEST_F(TokenOpsTest, LossRefusals) {
  ASSERT_TRUE(service_->report_token_lost(admin_, token_, "").ok());
  auto twice = service_->report_token_lost(admin_, token_, "");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, Errc::conflict);
  EXPECT_NE(twice.error().message.find("lost"), std::string::npos) << twice.error().message;
  EXPECT_EQ(last_audit("token.lost"), "failure illegal_transition");
  EXPECT_EQ(service_->report_token_lost(admin_, "tok_00000000000000000000000000000000", "")
                .error()
                .code,
            Errc::not_found);
  EXPECT_EQ(service_->report_token_lost(admin_, "not a token id", "").error().code,
            Errc::not_found);
}

TEST_F(TokenOpsTest, SomeoneElsesTokenLooksLikeNoToken) {
  const Principal pia = administrator("pia", "LA-001", {"practitioner"});
  auto refused = service_->report_token_lost(pia, token_, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::not_found);
  EXPECT_EQ(token_state(token_), "active");
  // An administrator of another local authority: out of scope, not found.
  ASSERT_TRUE(service_->create_organisation(
                           admin_, Organisation{"LA-002", "Local Authority 002",
                                                "local_authority", ""})
                  .ok());
  const Principal lam = administrator("lam", "LA-002", {"la_manager"});
  for (auto result : {service_->report_token_lost(lam, token_, ""),
                      service_->revoke_token(lam, token_, ""),
                      service_->return_token(lam, token_, "")}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Errc::not_found);
  }
  EXPECT_EQ(last_audit("token.return"), "failure out_of_scope");
  EXPECT_EQ(token_state(token_), "active");
}

TEST_F(TokenOpsTest, ARevokedTokenNeverAuthenticatesAgain) {
  auto revoked = service_->revoke_token(admin_, token_, "withdrawn");
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(revoked->state, "revoked");
  EXPECT_EQ(tom_login().error().code, Errc::invalid_credentials);
  auto again = service_->revoke_token(admin_, token_, "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(again.error().message, "the token is already revoked");
  // Activation cannot bring it back either.
  auto activate = service_->activate_token(admin_, token_, code_now(uri_));
  ASSERT_FALSE(activate.ok());
  EXPECT_EQ(activate.error().code, Errc::conflict);
  // Nor can the database.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'token.revoke' AND outcome = "
                    "'success'"),
            1);
}

TEST_F(TokenOpsTest, RevokeAndReturnNeedThePermission) {
  const Principal pia = administrator("pia", "LA-001", {"practitioner"});
  for (auto result : {service_->revoke_token(pia, token_, ""),
                      service_->return_token(pia, token_, ""),
                      service_->resync_token(pia, token_, "123456", "654321")}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Errc::forbidden);
  }
  EXPECT_EQ(last_audit("token.revoke"), "failure forbidden");
}

TEST_F(TokenOpsTest, TheReturnedHardwareIsRecorded) {
  ASSERT_TRUE(service_->revoke_token(admin_, token_, "").ok());
  auto returned = service_->return_token(admin_, token_, "handed in at reception");
  ASSERT_TRUE(returned.ok()) << returned.error().message;
  EXPECT_EQ(returned->state, "returned");
  EXPECT_EQ(returned->custody, "returned");
  auto again = service_->return_token(admin_, token_, "");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(again.error().message, "the token has already been returned");
  EXPECT_EQ(service_->revoke_token(admin_, token_, "").error().code, Errc::conflict);
}

TEST_F(TokenOpsTest, AFoundLostTokenCanBeHandedBackButNotUsed) {
  ASSERT_TRUE(service_->report_token_lost(admin_, token_, "").ok());
  auto returned = service_->return_token(admin_, token_, "found in a drawer");
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->state, "returned");
}

TEST_F(TokenOpsTest, ResynchronisationRemembersTheDrift) {
  // The device's clock runs 5 steps (2.5 minutes) fast: its codes are
  // outside the login window.
  EXPECT_EQ(login("tom", kPassword, code_now(uri_, 5)).error().code, Errc::invalid_credentials);
  auto synced = service_->resync_token(admin_, token_, code_now(uri_, 5), code_now(uri_, 6));
  ASSERT_TRUE(synced.ok()) << synced.error().message;
  EXPECT_EQ(synced->state, "active");
  EXPECT_EQ(sql_int("SELECT drift_offset FROM tokens WHERE id = '" + token_ + "'"), 6);
  EXPECT_EQ(last_audit("token.resync"), "success ok");
  // The same codes cannot be used again.
  auto replay = service_->resync_token(admin_, token_, code_now(uri_, 5), code_now(uri_, 6));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, Errc::invalid_credentials);
  // Login honours the remembered offset.
  clock_->advance(30s);
  auto grant = login("tom", kPassword, code_now(uri_, 6));
  EXPECT_TRUE(grant.ok()) << (grant.ok() ? "" : grant.error().message);
}

TEST_F(TokenOpsTest, ResynchronisationRefusesWrongOrDistantCodes) {
  // Not consecutive.
  auto gap = service_->resync_token(admin_, token_, code_now(uri_, 5), code_now(uri_, 7));
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().code, Errc::invalid_credentials);
  // In the wrong order.
  auto reversed = service_->resync_token(admin_, token_, code_now(uri_, 6), code_now(uri_, 5));
  EXPECT_EQ(reversed.error().code, Errc::invalid_credentials);
  // Beyond totp.resync_window_steps (20).
  auto far = service_->resync_token(admin_, token_, code_now(uri_, 21), code_now(uri_, 22));
  EXPECT_EQ(far.error().code, Errc::invalid_credentials);
  EXPECT_EQ(last_audit("token.resync"), "failure bad_otp");
  // Only an active token.
  ASSERT_TRUE(service_->revoke_token(admin_, token_, "").ok());
  auto revoked = service_->resync_token(admin_, token_, code_now(uri_, 1), code_now(uri_, 2));
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().code, Errc::conflict);
}

TEST_F(TokenOpsTest, ATemporaryTokenOnlyReplacesALostOne) {
  auto refused = service_->issue_temporary_token(admin_, "tom", "totp");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("no lost"), std::string::npos);
  EXPECT_EQ(last_audit("token.issue"), "failure no_lost_token");

  ASSERT_TRUE(service_->report_token_lost(admin_, token_, "").ok());
  auto temporary = service_->issue_temporary_token(admin_, "tom", "totp");
  ASSERT_TRUE(temporary.ok()) << temporary.error().message;
  EXPECT_NE(temporary->otpauth_uri.find("otpauth://totp/"), std::string::npos);
  auto user = service_->get_user(admin_, "tom");
  ASSERT_TRUE(user.ok());
  const auto found = std::find_if(user->tokens.begin(), user->tokens.end(),
                                  [&](const TokenView& t) { return t.token_id == temporary->token_id; });
  ASSERT_NE(found, user->tokens.end());
  EXPECT_TRUE(found->temporary);
  ASSERT_TRUE(found->expires_at.has_value());
  EXPECT_EQ(*found->expires_at, clock_->now() + std::chrono::hours(24 * 10));
  const auto detail = sql_text(
      "SELECT detail FROM audit WHERE action = 'token.issue' ORDER BY seq DESC LIMIT 1");
  EXPECT_NE(detail.find("\"temporary\":true"), std::string::npos) << detail;

  auto second = service_->issue_temporary_token(admin_, "tom", "totp");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::conflict);
  EXPECT_EQ(service_->issue_temporary_token(admin_, "tom", "webauthn").error().code,
            Errc::bad_request);
  EXPECT_EQ(service_->issue_temporary_token(admin_, "nobody", "totp").error().code,
            Errc::not_found);
}

TEST_F(TokenOpsTest, AClosedAccountGetsNoTemporaryToken) {
  ASSERT_TRUE(service_->report_token_lost(admin_, token_, "").ok());
  ASSERT_TRUE(service_->close_user(admin_, "tom", record("left the council")).ok());
  auto refused = service_->issue_temporary_token(admin_, "tom", "totp");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::conflict);
}

}  // namespace
}  // namespace core::testing
