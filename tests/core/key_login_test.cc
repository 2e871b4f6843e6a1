// Logging in with password + security key through the core: the decoy for
// wrong first steps, the counter and clone detection, user verification,
// roles that require a key, and the refusals.
#include <gtest/gtest.h>

#include "webauthn_test_support.h"

namespace core::testing {
namespace {

using tokens::testing::SoftAuthenticator;

using KeyLogin = KeyTest;

TEST_F(KeyLogin, PasswordAndKeyGiveASessionMarkedHwk) {
  SoftAuthenticator key;
  const std::string token_id = register_key(key);
  auto grant = key_login(key);
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  auto principal = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->username, "alice");
  EXPECT_EQ(principal->auth_methods, (std::vector<std::string>{"pwd", "hwk"}));
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'login' AND outcome = 'success' "
                    "AND subject = 'alice' AND detail LIKE '%pwd hwk%'"),
            1);
  EXPECT_EQ(
      sql_int("SELECT sign_count FROM webauthn_credentials WHERE token_id = '" + token_id + "'"),
      1);
  // A TOTP session says so too.
  const Principal by_code = session_of("alice", alice_password_, alice_otpauth_);
  EXPECT_EQ(by_code.auth_methods, (std::vector<std::string>{"pwd", "otp"}));
}

TEST_F(KeyLogin, SessionSurvivesARestartWithItsMethods) {
  SoftAuthenticator key;
  register_key(key);
  auto grant = key_login(key);
  ASSERT_TRUE(grant.ok());
  service_ = reopen();
  auto principal = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->auth_methods, (std::vector<std::string>{"pwd", "hwk"}));
}

TEST_F(KeyLogin, AllowCredentialsListsTheUsersKeyForTheRightPassword) {
  SoftAuthenticator key;
  register_key(key);
  auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(ceremony.ok());
  const auto options = options_of(*ceremony);
  ASSERT_EQ(options["allowCredentials"].size(), 1u);
  EXPECT_EQ(options["allowCredentials"][0]["id"],
            tokens::webauthn::base64url_encode(key.credential_id()));
  EXPECT_EQ(options["rpId"], "localhost");
  EXPECT_EQ(options["userVerification"], "preferred");
}

TEST_F(KeyLogin, AWrongPasswordGetsTheSameOptionsButItsFinishCanOnlyFail) {
  SoftAuthenticator key;
  const std::string token_id = register_key(key);
  auto real = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(real.ok());
  auto wrong = service_->begin_key_login({"alice", "a wrong password here", "192.0.2.1"});
  ASSERT_TRUE(wrong.ok());
  // Nothing in the answer tells the passwords apart but the challenge.
  auto real_options = options_of(*real);
  auto wrong_options = options_of(*wrong);
  EXPECT_NE(real_options["challenge"], wrong_options["challenge"]);
  real_options.erase("challenge");
  wrong_options.erase("challenge");
  EXPECT_EQ(wrong_options, real_options);
  // The key answers it with a good signature, and still no session opens.
  auto finished = service_->finish_key_login(wrong->transaction,
                                             key.get(wrong->public_key_json, kOrigin), "192.0.2.1");
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(
      sql_int("SELECT sign_count FROM webauthn_credentials WHERE token_id = '" + token_id + "'"),
      0);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'login' AND outcome = 'success' "
                    "AND subject = 'alice' AND detail LIKE '%pwd hwk%'"),
            0);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'login' AND subject = 'alice' "
                    "AND reason = 'decoy_ceremony'"),
            1);
  // Both first steps counted, the right password's as well.
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'alice'"), 2);
}

TEST_F(KeyLogin, TheRightPasswordCountsAtTheFirstStepUntilTheKeyAnswers) {
  policy_.lockout.throttle_after_failures = 3;
  policy_.lockout.address_throttle_after_failures = 4;
  service_ = reopen();
  SoftAuthenticator key;
  register_key(key);
  // Three first steps with the right password and no key: throttled, exactly
  // as three wrong passwords would be, so where the throttle starts says
  // nothing about the password.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(service_->begin_key_login({"alice", alice_password_, "192.0.2.1"}).ok()) << i;
  }
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'alice'"), 3);
  auto refused = service_->begin_key_login({"alice", alice_password_, "192.0.2.7"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, common::Errc::too_many_attempts);
  // Once the back-off has passed, a login the key completes clears the count,
  // and logins that succeed never add up to their address's throttle (4).
  clock_->advance(std::chrono::seconds(60));
  for (int i = 0; i < 5; ++i) {
    auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.9"});
    ASSERT_TRUE(ceremony.ok()) << i << ": " << ceremony.error().message;
    auto grant = service_->finish_key_login(
        ceremony->transaction, key.get(ceremony->public_key_json, kOrigin), "192.0.2.9");
    ASSERT_TRUE(grant.ok()) << i << ": " << grant.error().message;
    EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'alice'"), 0);
  }
}

TEST_F(KeyLogin, UnknownUserAndNoKeyGetDecoysOfTheSameShape) {
  SoftAuthenticator key;
  register_key(key);
  make_user(admin_, "bob", "bob's long password 22");  // TOTP only
  auto real = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(real.ok());
  const auto real_options = options_of(*real);
  for (const KeyLoginRequest& request :
       {KeyLoginRequest{"nobody", "a wrong password here", "192.0.2.1"},
        KeyLoginRequest{"bob", "bob's long password 22", "192.0.2.1"}}) {
    auto decoy = service_->begin_key_login(request);
    ASSERT_TRUE(decoy.ok()) << request.username;
    const auto options = options_of(*decoy);
    ASSERT_EQ(options.size(), real_options.size());
    for (const auto& [name, value] : real_options.items()) {
      ASSERT_TRUE(options.contains(name)) << name;
      EXPECT_EQ(options[name].type(), value.type()) << name;
    }
    ASSERT_EQ(options["allowCredentials"].size(), 1u);
    EXPECT_EQ(options["allowCredentials"][0].size(), real_options["allowCredentials"][0].size());
    // Stable: the same made-up id every time for the same name.
    auto again = service_->begin_key_login(request);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(options_of(*again)["allowCredentials"], options["allowCredentials"]);
    // And a finish can only fail, whatever is sent.
    auto finished = service_->finish_key_login(
        decoy->transaction, key.get(real->public_key_json, kOrigin), "192.0.2.1");
    ASSERT_FALSE(finished.ok());
    EXPECT_EQ(finished.error().code, common::Errc::invalid_credentials);
  }
  // bob's right password without a key counted like a wrong one (twice), so
  // the throttles cannot tell them apart either; alice's first step, never
  // finished, counts as well.
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'bob'"), 2);
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'alice'"), 1);
}

TEST_F(KeyLogin, DecoyIdsSurviveARestart) {
  auto before = service_->begin_key_login({"nobody", "whatever password", "192.0.2.1"});
  ASSERT_TRUE(before.ok());
  service_ = reopen();
  auto after = service_->begin_key_login({"nobody", "whatever password", "192.0.2.1"});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(options_of(*after)["allowCredentials"], options_of(*before)["allowCredentials"]);
}

TEST_F(KeyLogin, ATransactionIsUsedOnce) {
  SoftAuthenticator key;
  register_key(key);
  auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(ceremony.ok());
  const std::string assertion = key.get(ceremony->public_key_json, kOrigin);
  ASSERT_TRUE(service_->finish_key_login(ceremony->transaction, assertion, "192.0.2.1").ok());
  auto replay = service_->finish_key_login(ceremony->transaction, assertion, "192.0.2.1");
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE reason = 'unknown_ceremony'"), 1);
}

TEST_F(KeyLogin, AnExpiredChallengeIsRefused) {
  SoftAuthenticator key;
  register_key(key);
  auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(ceremony.ok());
  const std::string assertion = key.get(ceremony->public_key_json, kOrigin);
  clock_->advance(std::chrono::seconds(301));
  auto late = service_->finish_key_login(ceremony->transaction, assertion, "192.0.2.1");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, common::Errc::invalid_credentials);
}

TEST_F(KeyLogin, WrongOriginIsRefusedAndCountedAsAFailure) {
  SoftAuthenticator key;
  register_key(key);
  auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(ceremony.ok());
  auto phished = service_->finish_key_login(
      ceremony->transaction, key.get(ceremony->public_key_json, "https://evil.example"),
      "192.0.2.1");
  ASSERT_FALSE(phished.ok());
  EXPECT_EQ(phished.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'login' AND reason = "
                    "'bad_key_response' AND detail LIKE '%wrong_origin%'"),
            1);
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'alice'"), 1);
}

TEST_F(KeyLogin, ACounterThatGoesBackMarksTheKeyAsACloneAndTellsTheAdministrators) {
  make_user(admin_, "uaa", "administrator password 9", {"user_account_administrator"});
  UserUpdate with_email;
  with_email.email = "uaa@example.org";
  ASSERT_TRUE(service_->update_user(admin_, "uaa", with_email).ok());

  SoftAuthenticator key;
  const std::string token_id = register_key(key);
  ASSERT_TRUE(key_login(key).ok());
  ASSERT_TRUE(key_login(key).ok());  // counter now 2
  key.settings().counter = 1;        // a copy that lags behind
  auto clone = key_login(key);
  ASSERT_FALSE(clone.ok());
  EXPECT_EQ(clone.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + token_id + "'"), "suspect_clone");
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'token.suspect_clone' AND "
                    "detail LIKE '%\"presented_count\":1%'"),
            1);
  EXPECT_EQ(sql_int("SELECT count(*) FROM notifications WHERE kind = 'token.suspect_clone' AND "
                    "recipient = 'uaa@example.org' AND about = 'alice'"),
            1);
  // Even the real key no longer works.
  key.settings().counter.reset();
  EXPECT_FALSE(key_login(key).ok());
}

TEST_F(KeyLogin, ACounterThatStaysZeroIsAccepted) {
  SoftAuthenticator key;
  key.settings().counter = 0;
  register_key(key);
  EXPECT_TRUE(key_login(key).ok());
  EXPECT_TRUE(key_login(key).ok());
}

TEST_F(KeyLogin, UserVerificationIsDemandedOnlyWhenThePolicySaysSo) {
  SoftAuthenticator key;
  register_key(key);
  key.settings().user_verified = false;
  EXPECT_TRUE(key_login(key).ok());  // preferred

  policy_.webauthn.user_verification = "required";
  service_ = reopen();
  auto refused = key_login(key);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE detail LIKE '%no_user_verification%'"), 1);
  key.settings().user_verified = true;
  EXPECT_TRUE(key_login(key).ok());
}

TEST_F(KeyLogin, ARoleThatRequiresAKeyCannotUseTotp) {
  SoftAuthenticator key;
  register_key(key);
  policy_.webauthn.required_for_roles = {"practitioner"};
  service_ = reopen();
  auto by_code = login("alice", alice_password_, next_code(alice_otpauth_));
  ASSERT_FALSE(by_code.ok());
  EXPECT_EQ(by_code.error().code, common::Errc::forbidden);
  // A wrong code still gets the generic answer: the role is told only after
  // both factors were right.
  auto wrong = login("alice", alice_password_, "000000");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, common::Errc::invalid_credentials);
  EXPECT_TRUE(key_login(key).ok());
}

TEST_F(KeyLogin, ALostKeyNoLongerLogsIn) {
  SoftAuthenticator key;
  const std::string token_id = register_key(key);
  ASSERT_TRUE(service_->report_token_lost(admin_, token_id, "left on a train").ok());
  auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(ceremony.ok());
  // A decoy now: the key is not offered.
  EXPECT_NE(options_of(*ceremony)["allowCredentials"][0]["id"],
            tokens::webauthn::base64url_encode(key.credential_id()));
}

TEST_F(KeyLogin, ASuspendedAccountIsToldOnlyAfterBothFactors) {
  SoftAuthenticator key;
  register_key(key);
  ActionRecord record;
  record.reason = "investigation";
  record.note = "audit review";
  ASSERT_TRUE(service_->suspend_user(admin_, "alice", record).ok());
  auto refused = key_login(key);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, common::Errc::account_suspended);
}

TEST_F(KeyLogin, ASignatureFromAnotherKeyIsRefused) {
  SoftAuthenticator key;
  register_key(key);
  key.settings().corrupt_signature = true;
  auto refused = key_login(key);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE detail LIKE '%bad_signature%'"), 1);
}

TEST_F(KeyLogin, AUserHandleNamingSomeoneElseIsRefused) {
  SoftAuthenticator key;
  register_key(key);
  // Every assertion so far carried the handle alice registered with (the
  // soft authenticator returns it), and was accepted; one naming another
  // handle is not.
  ASSERT_TRUE(key_login(key).ok());
  auto ceremony = service_->begin_key_login({"alice", alice_password_, "192.0.2.1"});
  ASSERT_TRUE(ceremony.ok());
  auto credential = nlohmann::json::parse(key.get(ceremony->public_key_json, kOrigin));
  ASSERT_TRUE(credential["response"].contains("userHandle"));
  credential["response"]["userHandle"] =
      tokens::webauthn::base64url_encode(std::vector<uint8_t>(32, 0x5a));
  auto refused = service_->finish_key_login(ceremony->transaction, credential.dump(), "192.0.2.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, common::Errc::invalid_credentials);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'login' AND reason = "
                    "'bad_key_response' AND detail LIKE '%wrong_user_handle%'"),
            1);
}

}  // namespace
}  // namespace core::testing
