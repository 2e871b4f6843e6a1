// Reactivation (2.6, 3.12, 4.39): by an administrator with a written record,
// and refused, saying what is missing, while it would be unsafe: a condition
// of access unmet, a lost token not yet replaced, a compromised password not
// yet reset.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class ReactivateTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "rita", kPassword);
  }
  static constexpr const char* kPassword = "rita's own passphrase";
  std::string uri_;
};

TEST_F(ReactivateTest, AfterAnInvestigationWithTheRecord) {
  ASSERT_TRUE(service_->suspend_user(admin_, "rita", record("investigation")).ok());
  auto no_note = service_->reactivate_user(admin_, "rita", record("", ""));
  EXPECT_EQ(no_note.error().code, Errc::bad_request);
  EXPECT_EQ(no_note.error().field, "note");
  ActionRecord unverified = record("", "asked by her manager");
  unverified.requested_by = "her manager";
  EXPECT_EQ(service_->reactivate_user(admin_, "rita", unverified).error().field, "verified_by");

  auto back = service_->reactivate_user(admin_, "rita", record("", "investigation satisfactory"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->state, "active");
  EXPECT_EQ(back->last_change->note, "investigation satisfactory");
  EXPECT_EQ(last_audit("user.reactivate"), "success ok");
  EXPECT_NE(sql_text("SELECT detail FROM audit WHERE action = 'user.reactivate'")
                .find("\"suspended_for\":\"investigation\""),
            std::string::npos);
  EXPECT_TRUE(login("rita", kPassword, next_code(uri_)).ok());
}

TEST_F(ReactivateTest, OnlyASuspendedAccount) {
  auto active = service_->reactivate_user(admin_, "rita", record("", "why not"));
  EXPECT_EQ(active.error().code, Errc::conflict);
  EXPECT_NE(active.error().message.find("only a suspended account"), std::string::npos);
  EXPECT_EQ(last_audit("user.reactivate"), "failure illegal_transition");
  ASSERT_TRUE(service_->close_user(admin_, "rita", record("", "left")).ok());
  EXPECT_EQ(service_->reactivate_user(admin_, "rita", record("", "came back")).error().message,
            "the account is closed, for good");
}

TEST_F(ReactivateTest, AfterALostTokenANewTokenMustBeActiveFirst) {
  ASSERT_TRUE(service_->suspend_user(admin_, "rita", record("token_lost", "lost on a train")).ok());
  auto refused = service_->reactivate_user(admin_, "rita", record("", "she found it"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("a new token must be issued and activated first"),
            std::string::npos);
  EXPECT_EQ(last_audit("user.reactivate"), "failure preconditions_unmet");

  // The replacement may be issued while suspended for this reason.
  sql("UPDATE tokens SET state = 'lost' WHERE user_id = (SELECT id FROM users WHERE username = "
      "'rita')");
  auto issued = service_->issue_token(admin_, "rita", "totp");
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  // Issued is not enough: it must be active.
  EXPECT_EQ(service_->reactivate_user(admin_, "rita", record("", "new token")).error().code,
            Errc::conflict);
  ASSERT_TRUE(
      service_->activate_token(admin_, issued->token_id, code_now(issued->otpauth_uri)).ok());
  auto back = service_->reactivate_user(admin_, "rita", record("", "new token handed over"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(login("rita", kPassword, next_code(issued->otpauth_uri)).ok());
}

TEST_F(ReactivateTest, AfterACompromisedPasswordAResetMustComeFirst) {
  ASSERT_TRUE(
      service_->suspend_user(admin_, "rita", record("password_compromised", "told a colleague"))
          .ok());
  auto refused = service_->reactivate_user(admin_, "rita", record("", "sorted"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("the password must be reset first"), std::string::npos);
  clock_->advance(std::chrono::minutes(5));
  auto reset = service_->reset_password(admin_, "rita");
  ASSERT_TRUE(reset.ok()) << reset.error().message;
  auto back = service_->reactivate_user(admin_, "rita", record("", "new password given"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->must_change_password);
  auto grant = login("rita", *reset, next_code(uri_));
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  EXPECT_TRUE(grant->must_change_password);
}

TEST_F(ReactivateTest, WhileAConditionOfAccessIsUnmet) {
  ASSERT_TRUE(service_->suspend_user(admin_, "rita", record("vetting_expired")).ok());
  // The disclosure (2025-06-01) passes three years.
  clock_->advance(std::chrono::hours(24 * 1096));
  admin_again();
  auto refused = service_->reactivate_user(admin_, "rita", record("", "renewal on its way"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_EQ(refused.error().message,
            "conditions of access not met: enhanced vetting disclosure older than 3 years "
            "(2025-06-01)");
  ConditionsUpdate renewed;
  renewed.vetting_disclosure_on = "2028-05-20";
  ASSERT_TRUE(service_->record_conditions(admin_, "rita", renewed).ok());
  EXPECT_TRUE(service_->reactivate_user(admin_, "rita", record("", "renewed disclosure seen")).ok());
}

TEST_F(ReactivateTest, EveryMissingStepIsNamedAtOnce) {
  ASSERT_TRUE(service_->suspend_user(admin_, "rita", record("token_lost")).ok());
  sql("UPDATE users SET need = '' WHERE username = 'rita'");
  auto refused = service_->reactivate_user(admin_, "rita", record("", "try"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "conditions of access not met: need for access not recorded; the account was "
            "suspended for a lost token: a new token must be issued and activated first");
}

}  // namespace
}  // namespace core::testing
