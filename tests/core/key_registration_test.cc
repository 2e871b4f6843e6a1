// Registering security keys through the core: issue with an enrolment code,
// registration with a session or with password + code, and each refusal.
#include <gtest/gtest.h>

#include <fstream>

#include "common/secret.h"
#include "webauthn_test_support.h"

namespace core::testing {
namespace {

using tokens::testing::AttestationFormat;
using tokens::testing::SoftAuthenticator;

using KeyRegistration = KeyTest;

const TokenView* token_named(const UserView& user, const std::string& id) {
  for (const auto& token : user.tokens) {
    if (token.token_id == id) return &token;
  }
  return nullptr;
}

TEST_F(KeyRegistration, IssueGivesAOneTimeCodeAndKeepsOnlyItsHash) {
  auto issued = service_->issue_security_key(admin_, "alice");
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_EQ(issued->enrolment_code.size(), 39u);  // 32 base32 characters in groups of four
  EXPECT_EQ(issued->enrolment_expires_at, clock_->now() + std::chrono::hours(72));
  auto user = service_->get_user(admin_, "alice");
  ASSERT_TRUE(user.ok());
  const TokenView* token = token_named(*user, issued->token_id);
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->type, "fido2");
  EXPECT_EQ(token->state, "issued");
  EXPECT_EQ(sql_text("SELECT code_hash FROM fido2_enrolments WHERE token_id = '" +
                     issued->token_id + "'"),
            common::sha256_hex(issued->enrolment_code));
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'token.issue' AND detail LIKE '%" +
                    issued->enrolment_code + "%'"),
            0);
}

TEST_F(KeyRegistration, LoggedInHolderRegistersAndTheTokenBecomesActive) {
  SoftAuthenticator key;
  const std::string token_id = register_key(key);
  ASSERT_FALSE(token_id.empty());
  auto user = service_->get_user(admin_, "alice");
  ASSERT_TRUE(user.ok());
  const TokenView* token = token_named(*user, token_id);
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->state, "active");
  EXPECT_EQ(sql_int("SELECT count(*) FROM webauthn_credentials WHERE token_id = '" + token_id +
                    "' AND algorithm = -7 AND format = 'packed' AND attestation_trust = 'self'"),
            1);
  EXPECT_EQ(sql_int("SELECT count(*) FROM fido2_enrolments WHERE used_at IS NOT NULL"), 1);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'token.activate' AND outcome = "
                    "'success' AND detail LIKE '%\"type\":\"fido2\"%'"),
            1);
  EXPECT_TRUE(verify().ok);
}

TEST_F(KeyRegistration, CreationOptionsAreBoundToTheUserAndTheRelyingParty) {
  ASSERT_TRUE(service_->issue_security_key(admin_, "alice").ok());
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok()) << ceremony.error().message;
  const auto options = options_of(*ceremony);
  EXPECT_EQ(options["rp"]["id"], "localhost");
  EXPECT_EQ(options["user"]["name"], "alice");
  EXPECT_EQ(tokens::webauthn::base64url_decode(options["challenge"].get<std::string>())->size(),
            32u);
  EXPECT_EQ(options["timeout"], 300000);
  EXPECT_EQ(options["authenticatorSelection"]["authenticatorAttachment"], "cross-platform");
  EXPECT_EQ(options["attestation"], "direct");
  EXPECT_TRUE(options["excludeCredentials"].empty());
  // The user handle is stable and says nothing about the user.
  auto again = service_->begin_key_registration(alice);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(options_of(*again)["user"]["id"], options["user"]["id"]);
  EXPECT_NE(options_of(*again)["challenge"], options["challenge"]);
  EXPECT_EQ(options["user"]["id"].get<std::string>().find("alice"), std::string::npos);
}

TEST_F(KeyRegistration, UserWithoutASessionEnrolsWithPasswordAndCode) {
  auto issued = service_->issue_security_key(admin_, "alice");
  ASSERT_TRUE(issued.ok());
  auto ceremony = service_->begin_key_registration(
      KeyEnrolmentRequest{"alice", alice_password_, issued->enrolment_code, "192.0.2.7"});
  ASSERT_TRUE(ceremony.ok()) << ceremony.error().message;
  SoftAuthenticator key;
  auto token = service_->finish_key_registration(
      nullptr, ceremony->transaction, key.create(ceremony->public_key_json, kOrigin), "192.0.2.7");
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->state, "active");
  // The code worked once.
  auto second = service_->begin_key_registration(
      KeyEnrolmentRequest{"alice", alice_password_, issued->enrolment_code, "192.0.2.7"});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, common::Errc::invalid_credentials);
}

TEST_F(KeyRegistration, EveryWrongEnrolmentCredentialGetsTheSameAnswer) {
  auto issued = service_->issue_security_key(admin_, "alice");
  ASSERT_TRUE(issued.ok());
  const std::vector<KeyEnrolmentRequest> wrong = {
      {"alice", "not her password at all", issued->enrolment_code, "192.0.2.7"},
      {"alice", alice_password_, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "192.0.2.7"},
      {"nobody", alice_password_, issued->enrolment_code, "192.0.2.7"},
      {"admin", admin_password_, issued->enrolment_code, "192.0.2.7"},  // no key issued to admin
  };
  for (const auto& request : wrong) {
    auto ceremony = service_->begin_key_registration(request);
    ASSERT_FALSE(ceremony.ok()) << request.username;
    EXPECT_EQ(ceremony.error().code, common::Errc::invalid_credentials);
    EXPECT_EQ(ceremony.error().message, "the username, password or code is wrong");
  }
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'webauthn.register.begin' AND "
                    "reason = 'bad_enrolment_code'"),
            2);
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'alice'"), 2);
}

TEST_F(KeyRegistration, ExpiredCodeNoLongerWorks) {
  auto issued = service_->issue_security_key(admin_, "alice");
  ASSERT_TRUE(issued.ok());
  clock_->advance(std::chrono::hours(72));
  auto ceremony = service_->begin_key_registration(
      KeyEnrolmentRequest{"alice", alice_password_, issued->enrolment_code, "192.0.2.7"});
  ASSERT_FALSE(ceremony.ok());
  EXPECT_EQ(ceremony.error().code, common::Errc::invalid_credentials);
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto logged_in = service_->begin_key_registration(alice);
  ASSERT_FALSE(logged_in.ok());
  EXPECT_EQ(logged_in.error().code, common::Errc::conflict);
}

TEST_F(KeyRegistration, RefusedResponseLeavesTheKeyIssuedAndTheChallengeUsed) {
  auto issued = service_->issue_security_key(admin_, "alice");
  ASSERT_TRUE(issued.ok());
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  SoftAuthenticator key;
  const std::string phished = key.create(ceremony->public_key_json, "https://evil.example");
  auto refused =
      service_->finish_key_registration(&alice, ceremony->transaction, phished, "192.0.2.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, common::Errc::bad_request);
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE action = 'webauthn.register.finish' AND "
                    "reason = 'bad_key_response' AND detail LIKE '%wrong_origin%'"),
            1);
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + issued->token_id + "'"), "issued");
  // The same transaction cannot be tried again, even with a good response.
  const std::string good = key.create(ceremony->public_key_json, kOrigin);
  auto replay = service_->finish_key_registration(&alice, ceremony->transaction, good, "192.0.2.1");
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, common::Errc::invalid_credentials);
}

TEST_F(KeyRegistration, ChallengeExpiresAfterThePolicyTimeout) {
  ASSERT_TRUE(service_->issue_security_key(admin_, "alice").ok());
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  SoftAuthenticator key;
  const std::string credential = key.create(ceremony->public_key_json, kOrigin);
  clock_->advance(std::chrono::seconds(300));
  auto late =
      service_->finish_key_registration(&alice, ceremony->transaction, credential, "192.0.2.1");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, common::Errc::invalid_credentials);
}

TEST_F(KeyRegistration, NoneAttestationOnlyWhenThePolicyListsIt) {
  SoftAuthenticator key({.format = AttestationFormat::none});
  ASSERT_TRUE(service_->issue_security_key(admin_, "alice").ok());
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  auto refused = service_->finish_key_registration(
      &alice, ceremony->transaction, key.create(ceremony->public_key_json, kOrigin), "192.0.2.1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE detail LIKE '%format_not_allowed%'"), 1);

  policy_.webauthn.attestation_formats = {"packed", "none"};
  service_ = reopen();
  const Principal again = session_of("alice", alice_password_, alice_otpauth_);
  auto allowed = service_->begin_key_registration(again);
  ASSERT_TRUE(allowed.ok());
  auto token = service_->finish_key_registration(
      &again, allowed->transaction, key.create(allowed->public_key_json, kOrigin), "192.0.2.1");
  ASSERT_TRUE(token.ok()) << token.error().message;
}

TEST_F(KeyRegistration, AttestationRootsAdmitOnlyKeysThatChainToThem) {
  SoftAuthenticator trusted({.format = AttestationFormat::packed_x5c});
  const auto roots = dir_ / "roots.pem";
  std::ofstream(roots) << trusted.attestation_root_pem();
  policy_.webauthn.attestation_roots = {roots.string()};
  service_ = reopen();

  ASSERT_TRUE(service_->issue_security_key(admin_, "alice").ok());
  Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  SoftAuthenticator self_attested;  // packed without a certificate
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  ASSERT_FALSE(service_
                   ->finish_key_registration(
                       &alice, ceremony->transaction,
                       self_attested.create(ceremony->public_key_json, kOrigin), "192.0.2.1")
                   .ok());
  EXPECT_EQ(sql_int("SELECT count(*) FROM audit WHERE detail LIKE '%untrusted_attestation%'"), 1);

  ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  auto token = service_->finish_key_registration(&alice, ceremony->transaction,
                                                 trusted.create(ceremony->public_key_json, kOrigin),
                                                 "192.0.2.1");
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(sql_text("SELECT attestation_trust FROM webauthn_credentials"), "trusted");
}

TEST_F(KeyRegistration, AMissingRootFileStopsTheServiceFromOpening) {
  policy_.webauthn.attestation_roots = {(dir_ / "missing.pem").string()};
  service_.reset();
  auto opened = Service::open(config());
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("missing.pem"), std::string::npos);
}

TEST_F(KeyRegistration, AnOriginOutsideTheRelyingPartyStopsTheServiceFromOpening) {
  policy_.webauthn.origins = {"https://authd.example.org"};
  service_.reset();
  auto opened = Service::open(config());
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("not on the relying party id"), std::string::npos);
}

TEST_F(KeyRegistration, RegisteredKeysAreExcludedAndCannotRegisterTwice) {
  policy_.lifecycle.max_active_tokens_per_type = 2;
  service_ = reopen();
  SoftAuthenticator key;
  ASSERT_FALSE(register_key(key).empty());
  ASSERT_TRUE(service_->issue_security_key(admin_, "alice").ok());
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  const auto excluded = options_of(*ceremony)["excludeCredentials"];
  ASSERT_EQ(excluded.size(), 1u);
  EXPECT_EQ(excluded[0]["id"], tokens::webauthn::base64url_encode(key.credential_id()));
}

TEST_F(KeyRegistration, ATransactionBelongsToTheSessionThatBeganIt) {
  ASSERT_TRUE(service_->issue_security_key(admin_, "alice").ok());
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  ASSERT_TRUE(ceremony.ok());
  SoftAuthenticator key;
  auto stolen = service_->finish_key_registration(
      &admin_, ceremony->transaction, key.create(ceremony->public_key_json, kOrigin), "192.0.2.9");
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().code, common::Errc::invalid_credentials);
}

TEST_F(KeyRegistration, CodeActivationAndResyncAreRefusedForKeys) {
  auto issued = service_->issue_security_key(admin_, "alice");
  ASSERT_TRUE(issued.ok());
  auto activated = service_->activate_token(admin_, issued->token_id, "123456");
  ASSERT_FALSE(activated.ok());
  EXPECT_EQ(activated.error().code, common::Errc::conflict);
}

}  // namespace
}  // namespace core::testing
