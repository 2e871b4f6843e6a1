// TOTP token issue and activation.
#include "test_support.h"
#include "tokens/totp.h"

namespace core::testing {
namespace {

using common::Errc;

class EnrolmentTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    init_and_open();
    admin_ = admin_session();
    ASSERT_TRUE(
        service_
            ->create_user(
                admin_,
                nominee("erin", "Erin", "LA-001", {"practitioner"}, "erin's first password"))
            .ok());
    ASSERT_TRUE(service_->approve_user(admin_, "erin").ok());
  }
  Principal admin_;
};

TEST_F(EnrolmentTest, IssueGivesAParsableUriAndAQrCodeOnce) {
  auto issued = service_->issue_token(admin_, "erin", "totp");
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_EQ(issued->token_id.rfind("tok_", 0), 0u);
  EXPECT_EQ(issued->token_id.size(), 36u);
  EXPECT_EQ(issued->otpauth_uri.rfind("otpauth://totp/authd:erin?", 0), 0u) << issued->otpauth_uri;
  EXPECT_NE(issued->otpauth_uri.find("issuer=authd"), std::string::npos);
  EXPECT_NE(issued->otpauth_uri.find("digits=6"), std::string::npos);
  EXPECT_NE(issued->otpauth_uri.find("period=30"), std::string::npos);
  EXPECT_GE(seed_of(issued->otpauth_uri).size(), 20u);
  EXPECT_NE(issued->qr_svg.find("<svg"), std::string::npos);

  auto view = service_->get_user(admin_, "erin");
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->tokens.size(), 1u);
  EXPECT_EQ(view->tokens[0].token_id, issued->token_id);
  EXPECT_EQ(view->tokens[0].state, "issued");
  EXPECT_FALSE(view->tokens[0].activated_at.has_value());

  // The seed appears in no audit entry and no later view.
  const std::string b32 = tokens::base32_encode(seed_of(issued->otpauth_uri));
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE detail LIKE '%" + b32.substr(0, 16) + "%'"),
            0);
  EXPECT_EQ(sql_text("SELECT action FROM audit ORDER BY seq DESC LIMIT 1"), "token.issue");
}

TEST_F(EnrolmentTest, AnIssuedTokenDoesNotLogIn) {
  auto issued = service_->issue_token(admin_, "erin", "totp");
  ASSERT_TRUE(issued.ok());
  auto r = login("erin", "erin's first password", next_code(issued->otpauth_uri));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_credentials);
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "no_active_token");
}

TEST_F(EnrolmentTest, ActivationNeedsTheRightCodeAndHappensOnce) {
  auto issued = service_->issue_token(admin_, "erin", "totp");
  ASSERT_TRUE(issued.ok());
  const std::string right = code_now(issued->otpauth_uri);
  const std::string wrong = right == "123456" ? "654321" : "123456";
  auto bad = service_->activate_token(admin_, issued->token_id, wrong);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::invalid_credentials);
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "bad_otp");

  auto good = service_->activate_token(admin_, issued->token_id, right);
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(good->state, "active");
  EXPECT_EQ(good->activated_at, clock_->now());
  EXPECT_EQ(sql_text("SELECT outcome FROM audit ORDER BY seq DESC LIMIT 1"), "success");

  EXPECT_EQ(service_->activate_token(admin_, issued->token_id, next_code(issued->otpauth_uri))
                .error()
                .code,
            Errc::conflict);
  // The activation code itself cannot be used to log in (its step is spent).
  clock_->advance(std::chrono::seconds(-30));
  auto replay = login("erin", "erin's first password", right);
  EXPECT_EQ(replay.error().code, Errc::invalid_credentials);
  EXPECT_EQ(sql_text("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1"), "replayed_otp");
  EXPECT_TRUE(login("erin", "erin's first password", next_code(issued->otpauth_uri)).ok());
}

TEST_F(EnrolmentTest, TheHolderMayActivateTheirOwnTokenButNotAnothers) {
  const std::string uri = make_user(admin_, "frank", "frank's own passphrase");
  auto grant = login("frank", "frank's own passphrase", next_code(uri));
  ASSERT_TRUE(grant.ok());
  auto frank = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(frank.ok());

  auto erins = service_->issue_token(admin_, "erin", "totp");
  ASSERT_TRUE(erins.ok());
  EXPECT_EQ(
      service_->activate_token(*frank, erins->token_id, code_now(erins->otpauth_uri)).error().code,
      Errc::not_found);

  // Frank's first token is a temporary replacement (at most one active
  // token per type: activating a permanent one retires it).
  sql("UPDATE tokens SET temporary = 1, expires_at = " +
      std::to_string(common::unix_seconds(clock_->now()) + 3600) +
      " WHERE user_id = (SELECT id FROM users WHERE username = 'frank')");
  auto second = service_->issue_token(admin_, "frank", "totp");
  ASSERT_TRUE(second.ok());
  auto own = service_->activate_token(*frank, second->token_id, code_now(second->otpauth_uri));
  EXPECT_TRUE(own.ok()) << own.error().message;
}

TEST_F(EnrolmentTest, IssueRefusals) {
  EXPECT_EQ(service_->issue_token(admin_, "erin", "hotp").error().field, "type");
  EXPECT_EQ(service_->issue_token(admin_, "nobody", "totp").error().code, Errc::not_found);
  EXPECT_EQ(service_->activate_token(admin_, "tok_0000", "123456").error().code, Errc::not_found);
}

}  // namespace
}  // namespace core::testing
