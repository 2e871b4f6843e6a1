// Helpers for the security-key tests: a CoreTest with a user who holds a
// TOTP token (to log in and be issued a key), a software authenticator
// standing in for browser + key, and the steps of each ceremony.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"
#include "tokens/testing/soft_authenticator.h"

namespace core::testing {

inline constexpr const char* kOrigin = "https://localhost:8443";

class KeyTest : public CoreTest {
 protected:
  void SetUp() override;

  // The publicKey member of a ceremony as JSON text, as the browser gets it.
  static nlohmann::json options_of(const WebAuthnCeremony& ceremony);

  // Issues alice a key and registers `key` with her logged-in session.
  // Returns the token id.
  std::string register_key(tokens::testing::SoftAuthenticator& key);
  // begin + get + finish for alice with `password`.
  Result<LoginGrant> key_login(tokens::testing::SoftAuthenticator& key,
                               const std::string& password = "alice's long password 1");

  Principal admin_;
  std::string alice_otpauth_;
  const std::string alice_password_ = "alice's long password 1";
};

}  // namespace core::testing
