// Shared set-up for the WebAuthn tests: a relying party, options from the
// real option builders, and the soft authenticator answering them.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tokens/testing/soft_authenticator.h"
#include "tokens/webauthn.h"

namespace tokens_test {

namespace wa = tokens::webauthn;
using tokens::testing::AttestationFormat;
using tokens::testing::SoftAuthenticator;

inline const std::string kOrigin = "https://authd.example.org";
inline const std::string kRpId = "authd.example.org";

inline wa::RelyingParty relying_party() { return {kRpId, "authd", {kOrigin}}; }

inline wa::Bytes challenge(uint8_t seed) {
  wa::Bytes out(32);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(seed * 31 + i);
  return out;
}

inline std::string creation_options(const wa::Bytes& chal) {
  wa::CreationOptions o;
  o.rp = relying_party();
  o.user_id = {1, 2, 3, 4, 5, 6, 7, 8};
  o.user_name = "alice";
  o.user_display_name = "Alice";
  o.challenge = chal;
  return wa::creation_options_json(o);
}

inline std::string request_options(const wa::Bytes& chal, const wa::Bytes& credential_id) {
  wa::RequestOptions o;
  o.rp_id = kRpId;
  o.challenge = chal;
  o.allow_credentials.push_back({credential_id, {"usb"}});
  return wa::request_options_json(o);
}

inline wa::RegistrationExpectation registration_expectation(const wa::Bytes& chal) {
  wa::RegistrationExpectation e;
  e.rp = relying_party();
  e.challenge = chal;
  e.attestation.formats = {"packed", "fido-u2f", "none"};
  return e;
}

// Runs create() and parses the response; fails the test on a parse refusal.
inline wa::RegistrationResponse make_registration(SoftAuthenticator& authenticator,
                                                  const wa::Bytes& chal,
                                                  const std::string& origin = kOrigin) {
  const std::string json = authenticator.create(creation_options(chal), origin);
  EXPECT_FALSE(json.empty());
  auto parsed = wa::parse_registration_response(json);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? parsed.value() : wa::RegistrationResponse{};
}

// Registers with `authenticator` under a permissive policy and returns the
// stored form of the credential.
inline wa::StoredCredential register_credential(SoftAuthenticator& authenticator) {
  const auto chal = challenge(1);
  auto verdict = wa::verify_registration(make_registration(authenticator, chal),
                                         registration_expectation(chal));
  EXPECT_TRUE(verdict.ok()) << (verdict.ok() ? "" : wa::refusal_name(verdict.refusal()));
  if (!verdict.ok()) return {};
  return {verdict->credential_id, verdict->algorithm, verdict->public_key, verdict->sign_count};
}

inline wa::AssertionResponse make_assertion(SoftAuthenticator& authenticator, const wa::Bytes& chal,
                                            const std::string& origin = kOrigin) {
  const std::string json =
      authenticator.get(request_options(chal, authenticator.credential_id()), origin);
  EXPECT_FALSE(json.empty());
  auto parsed = wa::parse_assertion_response(json);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? parsed.value() : wa::AssertionResponse{};
}

inline wa::AssertionExpectation assertion_expectation(const wa::Bytes& chal) {
  return {relying_party(), chal, wa::UserVerification::preferred};
}

// "malformed" etc., or "ok", so failures print a name.
template <class T>
std::string outcome(const wa::Verdict<T>& v) {
  return v.ok() ? "ok" : wa::refusal_name(v.refusal());
}

}  // namespace tokens_test
