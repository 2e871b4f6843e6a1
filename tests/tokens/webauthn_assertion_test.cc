// verify_assertion against assertions from the soft authenticator.
#include <gtest/gtest.h>

#include "webauthn_fixture.h"

namespace tokens_test {
namespace {

class GoodAssertion : public ::testing::TestWithParam<int32_t> {};

TEST_P(GoodAssertion, IsAcceptedAndTheCounterRises) {
  SoftAuthenticator authenticator({.algorithm = GetParam()});
  auto stored = register_credential(authenticator);
  ASSERT_FALSE(stored.credential_id.empty());
  for (uint8_t round = 1; round <= 3; ++round) {
    const auto chal = challenge(static_cast<uint8_t>(10 + round));
    auto verdict = wa::verify_assertion(make_assertion(authenticator, chal), stored,
                                        assertion_expectation(chal));
    ASSERT_EQ(outcome(verdict), "ok");
    EXPECT_EQ(verdict->sign_count, round);
    EXPECT_TRUE(verdict->user_verified);
    stored.sign_count = verdict->sign_count;
  }
}

INSTANTIATE_TEST_SUITE_P(Algorithms, GoodAssertion,
                         ::testing::Values(wa::kCoseEs256, wa::kCoseEdDsa, wa::kCoseRs256));

TEST(GoodAssertion, EveryRegisteredFormatLogsIn) {
  for (auto format :
       {AttestationFormat::packed_x5c, AttestationFormat::fido_u2f, AttestationFormat::none}) {
    SoftAuthenticator authenticator({.format = format});
    const auto stored = register_credential(authenticator);
    const auto chal = challenge(20);
    EXPECT_EQ(outcome(wa::verify_assertion(make_assertion(authenticator, chal), stored,
                                           assertion_expectation(chal))),
              "ok");
  }
}

class AssertionRefusal : public ::testing::Test {
 protected:
  void SetUp() override { stored_ = register_credential(authenticator_); }

  std::string verify(const std::function<void(wa::AssertionResponse&)>& tamper = {},
                     const std::function<void(wa::AssertionExpectation&)>& adjust = {},
                     const std::string& origin = kOrigin) {
    const auto chal = challenge(30);
    auto response = make_assertion(authenticator_, chal, origin);
    if (tamper) tamper(response);
    auto expected = assertion_expectation(chal);
    if (adjust) adjust(expected);
    return outcome(wa::verify_assertion(response, stored_, expected));
  }

  SoftAuthenticator authenticator_;
  wa::StoredCredential stored_;
};

TEST_F(AssertionRefusal, WrongOrigin) {
  EXPECT_EQ(verify({}, {}, "https://evil.example"), "wrong_origin");
  EXPECT_EQ(
      verify({}, [](wa::AssertionExpectation& e) { e.rp.origins = {"https://other.example.org"}; }),
      "wrong_origin");
}

TEST_F(AssertionRefusal, WrongRpIdHash) {
  authenticator_.settings().rp_id_for_hash = "evil.example";
  EXPECT_EQ(verify(), "wrong_rp_id");
}

TEST_F(AssertionRefusal, WrongType) {
  authenticator_.settings().client_data_type = "webauthn.create";
  EXPECT_EQ(verify(), "wrong_type");
}

TEST_F(AssertionRefusal, ReplayedOrOtherChallenge) {
  // The verifier expects the challenge it issued for this login, not the one
  // the response answers.
  EXPECT_EQ(verify({}, [](wa::AssertionExpectation& e) { e.challenge = challenge(31); }),
            "wrong_challenge");
  EXPECT_EQ(verify({}, [](wa::AssertionExpectation& e) { e.challenge.clear(); }),
            "wrong_challenge");
}

TEST_F(AssertionRefusal, BadSignature) {
  authenticator_.settings().corrupt_signature = true;
  EXPECT_EQ(verify(), "bad_signature");
  authenticator_.settings().corrupt_signature = false;
  // Still valid JSON with the same members, but not the bytes that were signed.
  EXPECT_EQ(verify([](wa::AssertionResponse& r) {
              r.client_data_json.insert(r.client_data_json.size() - 1, " ");
            }),
            "bad_signature");
}

TEST_F(AssertionRefusal, SignatureFromAnotherKey) {
  SoftAuthenticator other;
  const auto other_stored = register_credential(other);
  stored_.public_key = other_stored.public_key;
  EXPECT_EQ(verify(), "bad_signature");
}

TEST_F(AssertionRefusal, UserHandleOfAnotherUser) {
  // The fixture registers with user handle 01..08, which the soft
  // authenticator returns in every assertion.
  const wa::Bytes registered{1, 2, 3, 4, 5, 6, 7, 8};
  const auto expect_handle = [](wa::Bytes handle) {
    return [handle](wa::AssertionExpectation& e) { e.user_handle = handle; };
  };
  EXPECT_EQ(verify({}, expect_handle(registered)), "ok");
  EXPECT_EQ(verify({}, expect_handle({1, 2, 3, 4, 5, 6, 7, 9})), "wrong_user_handle");
  EXPECT_EQ(verify({}, expect_handle({1, 2, 3, 4, 5, 6, 7})), "wrong_user_handle");
  // An assertion without a userHandle (non-discoverable credential) is fine.
  EXPECT_EQ(
      verify([](wa::AssertionResponse& r) { r.user_handle.clear(); }, expect_handle(registered)),
      "ok");
}

TEST_F(AssertionRefusal, PresentedCounterIsReadForTheCloneAudit) {
  stored_.sign_count = 40;
  authenticator_.settings().counter = 17;
  const auto chal = challenge(30);
  auto response = make_assertion(authenticator_, chal);
  EXPECT_EQ(outcome(wa::verify_assertion(response, stored_, assertion_expectation(chal))),
            "counter_regressed");
  EXPECT_EQ(wa::presented_sign_count(response), 17u);
  response.authenticator_data.resize(36);
  EXPECT_EQ(wa::presented_sign_count(response), std::nullopt);
}

TEST_F(AssertionRefusal, CounterRegression) {
  stored_.sign_count = 5;
  authenticator_.settings().counter = 5;  // equal is not a rise
  EXPECT_EQ(verify(), "counter_regressed");
  authenticator_.settings().counter = 4;
  EXPECT_EQ(verify(), "counter_regressed");
  authenticator_.settings().counter = 6;
  EXPECT_EQ(verify(), "ok");
  // A counter of 0 against a stored count means a clone or a reset.
  authenticator_.settings().counter = 0;
  EXPECT_EQ(verify(), "counter_regressed");
}

TEST_F(AssertionRefusal, CounterZeroStayingZeroIsAccepted) {
  stored_.sign_count = 0;
  authenticator_.settings().counter = 0;
  EXPECT_EQ(verify(), "ok");
  EXPECT_EQ(verify(), "ok");
}

TEST_F(AssertionRefusal, CounterRegressionIsOnlyReportedForAValidSignature) {
  stored_.sign_count = 9;
  authenticator_.settings().counter = 1;
  authenticator_.settings().corrupt_signature = true;
  EXPECT_EQ(verify(), "bad_signature");
}

TEST_F(AssertionRefusal, NoUserPresence) {
  authenticator_.settings().user_present = false;
  EXPECT_EQ(verify(), "no_user_presence");
}

TEST_F(AssertionRefusal, UserVerification) {
  authenticator_.settings().user_verified = false;
  EXPECT_EQ(verify({},
                   [](wa::AssertionExpectation& e) {
                     e.user_verification = wa::UserVerification::required;
                   }),
            "no_user_verification");
  EXPECT_EQ(verify({},
                   [](wa::AssertionExpectation& e) {
                     e.user_verification = wa::UserVerification::preferred;
                   }),
            "ok");
  EXPECT_EQ(verify({},
                   [](wa::AssertionExpectation& e) {
                     e.user_verification = wa::UserVerification::discouraged;
                   }),
            "ok");
}

TEST_F(AssertionRefusal, UnknownCredential) {
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.raw_id[0] ^= 0x80; }), "unknown_credential");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.raw_id.push_back(0); }), "unknown_credential");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.raw_id.clear(); }), "unknown_credential");
}

TEST_F(AssertionRefusal, StoredAlgorithmMustMatchTheKey) {
  stored_.algorithm = wa::kCoseRs256;
  EXPECT_EQ(verify(), "unsupported_algorithm");
}

TEST_F(AssertionRefusal, MalformedAuthenticatorData) {
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.authenticator_data.resize(36); }), "malformed");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.authenticator_data.clear(); }), "malformed");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.authenticator_data.push_back(0); }),
            "malformed");
  // AT set on an assertion: attested credential data does not belong here.
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.authenticator_data[32] |= 0x40; }),
            "malformed");
  // ED set with no extensions map after the counter.
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.authenticator_data[32] |= 0x80; }),
            "malformed");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.signature.clear(); }), "malformed");
}

TEST_F(AssertionRefusal, MalformedClientData) {
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.client_data_json = "{"; }), "malformed");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) { r.client_data_json = "[]"; }), "malformed");
  EXPECT_EQ(verify([](wa::AssertionResponse& r) {
              r.client_data_json = R"({"type":"webauthn.get","challenge":5,"origin":"x"})";
            }),
            "malformed");
}

TEST_F(AssertionRefusal, MalformedStoredKey) {
  stored_.public_key.resize(stored_.public_key.size() - 1);
  EXPECT_EQ(verify(), "malformed");
}

}  // namespace
}  // namespace tokens_test
