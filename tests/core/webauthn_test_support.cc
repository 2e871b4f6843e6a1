#include "webauthn_test_support.h"

namespace core::testing {

void KeyTest::SetUp() {
  CoreTest::SetUp();
  init_and_open();
  admin_ = admin_session();
  alice_otpauth_ = make_user(admin_, "alice", alice_password_);
}

nlohmann::json KeyTest::options_of(const WebAuthnCeremony& ceremony) {
  return nlohmann::json::parse(ceremony.public_key_json);
}

std::string KeyTest::register_key(tokens::testing::SoftAuthenticator& key) {
  auto issued = service_->issue_security_key(admin_, "alice");
  EXPECT_TRUE(issued.ok()) << (issued ? "" : issued.error().message);
  if (!issued) return {};
  const Principal alice = session_of("alice", alice_password_, alice_otpauth_);
  auto ceremony = service_->begin_key_registration(alice);
  EXPECT_TRUE(ceremony.ok()) << (ceremony ? "" : ceremony.error().message);
  if (!ceremony) return {};
  const std::string credential = key.create(ceremony->public_key_json, kOrigin);
  auto token =
      service_->finish_key_registration(&alice, ceremony->transaction, credential, "192.0.2.1");
  EXPECT_TRUE(token.ok()) << (token ? "" : token.error().message);
  return token ? token->token_id : std::string();
}

Result<LoginGrant> KeyTest::key_login(tokens::testing::SoftAuthenticator& key,
                                      const std::string& password) {
  auto ceremony = service_->begin_key_login({"alice", password, "192.0.2.1"});
  if (!ceremony) return ceremony.error();
  const std::string assertion = key.get(ceremony->public_key_json, kOrigin);
  return service_->finish_key_login(ceremony->transaction, assertion, "192.0.2.1");
}

}  // namespace core::testing
