// verify_registration against responses from the soft authenticator: every
// algorithm and format accepted, and each refusal reached on its own.
#include <gtest/gtest.h>

#include "webauthn_fixture.h"

namespace tokens_test {
namespace {

struct Case {
  int32_t algorithm;
  AttestationFormat format;
  const char* fmt;
  const char* trust;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << "COSE " << c.algorithm << ", " << c.fmt << " attestation, trust " << c.trust;
}

class GoodRegistration : public ::testing::TestWithParam<Case> {};

TEST_P(GoodRegistration, IsAcceptedAndDescribed) {
  const Case c = GetParam();
  SoftAuthenticator authenticator({.algorithm = c.algorithm, .format = c.format});
  const auto chal = challenge(7);
  const auto response = make_registration(authenticator, chal);
  auto verdict = wa::verify_registration(response, registration_expectation(chal));
  ASSERT_EQ(outcome(verdict), "ok");
  EXPECT_EQ(verdict->credential_id, authenticator.credential_id());
  EXPECT_EQ(verdict->algorithm, c.algorithm);
  EXPECT_EQ(verdict->format, c.fmt);
  EXPECT_EQ(verdict->attestation_trust, c.trust);
  EXPECT_EQ(verdict->sign_count, 0u);
  EXPECT_TRUE(verdict->user_verified);
  EXPECT_EQ(verdict->transports, std::vector<std::string>{"usb"});
  const wa::Aaguid zero{};
  EXPECT_EQ(verdict->aaguid,
            c.format == AttestationFormat::fido_u2f ? zero : authenticator.settings().aaguid);
  EXPECT_FALSE(verdict->public_key.empty());
}

INSTANTIATE_TEST_SUITE_P(
    AlgorithmsAndFormats, GoodRegistration,
    ::testing::Values(Case{wa::kCoseEs256, AttestationFormat::packed_self, "packed", "self"},
                      Case{wa::kCoseEdDsa, AttestationFormat::packed_self, "packed", "self"},
                      Case{wa::kCoseRs256, AttestationFormat::packed_self, "packed", "self"},
                      Case{wa::kCoseEs256, AttestationFormat::packed_x5c, "packed", "unverified"},
                      Case{wa::kCoseEdDsa, AttestationFormat::packed_x5c, "packed", "unverified"},
                      Case{wa::kCoseRs256, AttestationFormat::packed_x5c, "packed", "unverified"},
                      Case{wa::kCoseEs256, AttestationFormat::fido_u2f, "fido-u2f", "unverified"},
                      Case{wa::kCoseEs256, AttestationFormat::none, "none", "none"},
                      Case{wa::kCoseEdDsa, AttestationFormat::none, "none", "none"}));

class RegistrationRefusal : public ::testing::Test {
 protected:
  std::string verify(SoftAuthenticator& authenticator,
                     const std::function<void(wa::RegistrationExpectation&)>& adjust = {},
                     const std::string& origin = kOrigin) {
    const auto chal = challenge(3);
    const auto response = make_registration(authenticator, chal, origin);
    auto expected = registration_expectation(chal);
    if (adjust) adjust(expected);
    return outcome(wa::verify_registration(response, expected));
  }
};

TEST_F(RegistrationRefusal, WrongOrigin) {
  SoftAuthenticator a;
  EXPECT_EQ(verify(a, {}, "https://authd.example.org.evil.test"), "wrong_origin");
  // Exact comparison: a trailing slash or another scheme is another origin.
  EXPECT_EQ(verify(a, {}, "https://authd.example.org/"), "wrong_origin");
  EXPECT_EQ(verify(a, {}, "http://authd.example.org"), "wrong_origin");
}

TEST_F(RegistrationRefusal, WrongRpIdHash) {
  SoftAuthenticator a({.rp_id_for_hash = "example.org"});
  EXPECT_EQ(verify(a), "wrong_rp_id");
}

TEST_F(RegistrationRefusal, WrongType) {
  SoftAuthenticator a({.client_data_type = "webauthn.get"});
  EXPECT_EQ(verify(a), "wrong_type");
}

TEST_F(RegistrationRefusal, OtherChallenge) {
  SoftAuthenticator a;
  EXPECT_EQ(verify(a, [](wa::RegistrationExpectation& e) { e.challenge = challenge(4); }),
            "wrong_challenge");
  EXPECT_EQ(verify(a, [](wa::RegistrationExpectation& e) { e.challenge.pop_back(); }),
            "wrong_challenge");
}

TEST_F(RegistrationRefusal, BadAttestationSignature) {
  for (auto format : {AttestationFormat::packed_self, AttestationFormat::packed_x5c,
                      AttestationFormat::fido_u2f}) {
    SoftAuthenticator a({.format = format, .corrupt_signature = true});
    EXPECT_EQ(verify(a), "bad_attestation");
  }
}

TEST_F(RegistrationRefusal, NoUserPresence) {
  SoftAuthenticator a({.user_present = false});
  EXPECT_EQ(verify(a), "no_user_presence");
}

TEST_F(RegistrationRefusal, UserVerificationRequiredOrPreferred) {
  SoftAuthenticator a({.user_verified = false});
  EXPECT_EQ(verify(a,
                   [](wa::RegistrationExpectation& e) {
                     e.user_verification = wa::UserVerification::required;
                   }),
            "no_user_verification");
  EXPECT_EQ(verify(a,
                   [](wa::RegistrationExpectation& e) {
                     e.user_verification = wa::UserVerification::preferred;
                   }),
            "ok");
  const auto chal = challenge(3);
  auto v = wa::verify_registration(make_registration(a, chal), registration_expectation(chal));
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->user_verified);
}

TEST_F(RegistrationRefusal, FormatNotAllowed) {
  SoftAuthenticator packed;
  EXPECT_EQ(
      verify(packed, [](wa::RegistrationExpectation& e) { e.attestation.formats = {"fido-u2f"}; }),
      "format_not_allowed");
  SoftAuthenticator u2f({.format = AttestationFormat::fido_u2f});
  EXPECT_EQ(verify(u2f, [](wa::RegistrationExpectation& e) { e.attestation.formats = {"packed"}; }),
            "format_not_allowed");
}

TEST_F(RegistrationRefusal, NoneOnlyWhenAllowed) {
  SoftAuthenticator none({.format = AttestationFormat::none});
  // The default policy lists packed and fido-u2f only.
  EXPECT_EQ(verify(none,
                   [](wa::RegistrationExpectation& e) {
                     e.attestation.formats = wa::AttestationPolicy().formats;
                   }),
            "format_not_allowed");
  EXPECT_EQ(verify(none, [](wa::RegistrationExpectation& e) { e.attestation.formats = {"none"}; }),
            "ok");
}

TEST_F(RegistrationRefusal, ChainAgainstConfiguredRoots) {
  SoftAuthenticator a({.format = AttestationFormat::packed_x5c});
  SoftAuthenticator other({.format = AttestationFormat::packed_x5c});  // its own test CA
  const std::string root = a.attestation_root_pem();
  EXPECT_EQ(
      verify(a,
             [&](wa::RegistrationExpectation& e) { e.attestation.root_certificates_pem = {root}; }),
      "ok");
  EXPECT_EQ(verify(a,
                   [&](wa::RegistrationExpectation& e) {
                     e.attestation.root_certificates_pem = {other.attestation_root_pem()};
                   }),
            "untrusted_attestation");
  EXPECT_EQ(verify(a,
                   [&](wa::RegistrationExpectation& e) {
                     e.attestation.root_certificates_pem = {"not a pem"};
                   }),
            "untrusted_attestation");

  const auto chal = challenge(5);
  auto expected = registration_expectation(chal);
  expected.attestation.root_certificates_pem = {other.attestation_root_pem(), root};
  auto v = wa::verify_registration(make_registration(a, chal), expected);
  ASSERT_EQ(outcome(v), "ok");
  EXPECT_EQ(v->attestation_trust, "trusted");
  // One text holding several roots (a bundle file) trusts each of them.
  const std::string bundle = other.attestation_root_pem() + root;
  EXPECT_EQ(verify(a,
                   [&](wa::RegistrationExpectation& e) {
                     e.attestation.root_certificates_pem = {bundle};
                   }),
            "ok");

  SoftAuthenticator u2f({.format = AttestationFormat::fido_u2f});
  EXPECT_EQ(verify(u2f,
                   [&](wa::RegistrationExpectation& e) {
                     e.attestation.root_certificates_pem = {u2f.attestation_root_pem()};
                   }),
            "ok");
}

TEST_F(RegistrationRefusal, SelfAndNoneAreUntrustedWhenRootsAreConfigured) {
  SoftAuthenticator self;
  SoftAuthenticator none({.format = AttestationFormat::none});
  const std::string root = self.attestation_root_pem();
  EXPECT_EQ(
      verify(self,
             [&](wa::RegistrationExpectation& e) { e.attestation.root_certificates_pem = {root}; }),
      "untrusted_attestation");
  EXPECT_EQ(
      verify(none,
             [&](wa::RegistrationExpectation& e) { e.attestation.root_certificates_pem = {root}; }),
      "untrusted_attestation");
}

TEST_F(RegistrationRefusal, AaguidAllowlist) {
  SoftAuthenticator a({.format = AttestationFormat::packed_x5c});
  const wa::Aaguid listed = a.settings().aaguid;
  const auto other = wa::parse_aaguid("00112233-4455-6677-8899-aabbccddeeff");
  ASSERT_TRUE(other);
  EXPECT_EQ(verify(a,
                   [&](wa::RegistrationExpectation& e) {
                     e.attestation.aaguids = {*other, listed};
                   }),
            "ok");
  EXPECT_EQ(verify(a, [&](wa::RegistrationExpectation& e) { e.attestation.aaguids = {*other}; }),
            "aaguid_not_allowed");
  // fido-u2f keys are the all-zero AAGUID.
  SoftAuthenticator u2f({.format = AttestationFormat::fido_u2f});
  EXPECT_EQ(verify(u2f, [&](wa::RegistrationExpectation& e) { e.attestation.aaguids = {listed}; }),
            "aaguid_not_allowed");
  EXPECT_EQ(
      verify(u2f, [&](wa::RegistrationExpectation& e) { e.attestation.aaguids = {wa::Aaguid{}}; }),
      "ok");
}

TEST_F(RegistrationRefusal, CredentialIdMustBeRawId) {
  SoftAuthenticator a;
  const auto chal = challenge(3);
  auto response = make_registration(a, chal);
  response.raw_id[0] ^= 1;
  EXPECT_EQ(outcome(wa::verify_registration(response, registration_expectation(chal))),
            "malformed");
}

}  // namespace
}  // namespace tokens_test
