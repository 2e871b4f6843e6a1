// Hostile registration input: attestation objects and authenticatorData that
// lie about their lengths, trailing bytes, and response JSON that is not what
// a browser sends. Built from a good soft-authenticator response, re-encoded
// with libcbor so that exactly one thing is wrong.
#include <cbor.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "webauthn_fixture.h"

namespace tokens_test {
namespace {

// An attestation object {fmt, attStmt, authData} with `auth_data` in place of
// the authenticator's own, keeping its fmt and attStmt.
wa::Bytes with_auth_data(const wa::Bytes& object, const wa::Bytes& auth_data) {
  cbor_load_result result{};
  cbor_item_t* root = cbor_load(object.data(), object.size(), &result);
  EXPECT_NE(root, nullptr);
  cbor_item_t* rebuilt = cbor_new_definite_map(3);
  for (size_t i = 0; i < cbor_map_size(root); ++i) {
    cbor_pair pair = cbor_map_handle(root)[i];
    const std::string key(reinterpret_cast<const char*>(cbor_string_handle(pair.key)),
                          cbor_string_length(pair.key));
    cbor_item_t* value = key == "authData"
                             ? cbor_build_bytestring(auth_data.data(), auth_data.size())
                             : cbor_incref(pair.value);
    cbor_map_add(rebuilt, {pair.key, value});
    cbor_decref(&value);
  }
  unsigned char* buffer = nullptr;
  size_t capacity = 0;
  const size_t length = cbor_serialize_alloc(rebuilt, &buffer, &capacity);
  wa::Bytes out(buffer, buffer + length);
  std::free(buffer);
  cbor_decref(&rebuilt);
  cbor_decref(&root);
  return out;
}

wa::Bytes auth_data_of(const wa::Bytes& object) {
  cbor_load_result result{};
  cbor_item_t* root = cbor_load(object.data(), object.size(), &result);
  wa::Bytes out;
  for (size_t i = 0; root != nullptr && i < cbor_map_size(root); ++i) {
    cbor_pair pair = cbor_map_handle(root)[i];
    if (cbor_string_length(pair.key) == 8 && cbor_isa_bytestring(pair.value)) {
      out.assign(cbor_bytestring_handle(pair.value),
                 cbor_bytestring_handle(pair.value) + cbor_bytestring_length(pair.value));
    }
  }
  if (root != nullptr) cbor_decref(&root);
  return out;
}

class MalformedRegistration : public ::testing::Test {
 protected:
  void SetUp() override {
    response_ = make_registration(authenticator_, chal_);
    auth_data_ = auth_data_of(response_.attestation_object);
    ASSERT_GT(auth_data_.size(), 37u + 16 + 2 + 32);
  }
  std::string verify(const wa::Bytes& object) {
    auto r = response_;
    r.attestation_object = object;
    return outcome(wa::verify_registration(r, registration_expectation(chal_)));
  }
  std::string verify_auth_data(const wa::Bytes& auth_data) {
    return verify(with_auth_data(response_.attestation_object, auth_data));
  }

  SoftAuthenticator authenticator_;
  wa::Bytes chal_ = challenge(40);
  wa::RegistrationResponse response_;
  wa::Bytes auth_data_;
};

TEST_F(MalformedRegistration, TheUntamperedResponseIsAccepted) {
  EXPECT_EQ(verify(response_.attestation_object), "ok");
  EXPECT_EQ(verify_auth_data(auth_data_), "ok");
}

TEST_F(MalformedRegistration, TrailingBytes) {
  auto object = response_.attestation_object;
  object.push_back(0x00);
  EXPECT_EQ(verify(object), "malformed");
  // Bytes after the COSE key inside authData, with ED clear.
  auto auth_data = auth_data_;
  auth_data.push_back(0xa0);
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
}

TEST_F(MalformedRegistration, TruncatedInput) {
  auto object = response_.attestation_object;
  object.pop_back();
  EXPECT_EQ(verify(object), "malformed");
  EXPECT_EQ(verify({}), "malformed");
  for (size_t keep : {size_t{0}, size_t{36}, size_t{37}, size_t{37 + 16 + 1}, size_t{37 + 18 + 10},
                      auth_data_.size() - 1}) {
    wa::Bytes truncated(auth_data_.begin(), auth_data_.begin() + static_cast<ptrdiff_t>(keep));
    EXPECT_EQ(verify_auth_data(truncated), "malformed") << keep;
  }
}

TEST_F(MalformedRegistration, CredentialIdLengthOverLimitOrPastTheEnd) {
  auto auth_data = auth_data_;
  auth_data[37 + 16] = 0x04;  // credIdLen 1024 (> 1023)
  auth_data[37 + 17] = 0x00;
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
  auth_data[37 + 16] = 0x03;  // 1023: allowed, but longer than what follows
  auth_data[37 + 17] = 0xff;
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
  auth_data[37 + 16] = 0x00;  // 0 is not a credential id
  auth_data[37 + 17] = 0x00;
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
}

TEST_F(MalformedRegistration, ExtensionsFlagNeedsAnExtensionsMap) {
  auto auth_data = auth_data_;
  auth_data[32] |= 0x80;
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
  auth_data.push_back(0x01);  // not a map
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
}

TEST_F(MalformedRegistration, AttestedDataFlagRequired) {
  auto auth_data = auth_data_;
  auth_data[32] &= static_cast<uint8_t>(~0x40);
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
}

// The declared lengths below would make libcbor 0.8 reserve exabytes (or
// loop 2^32 times) if they reached cbor_load; under AddressSanitizer such an
// allocation aborts the test.
TEST_F(MalformedRegistration, HugeDeclaredLengthsAreRefusedBeforeDecoding) {
  const wa::Bytes huge_bytes = {0xa3, 0x63, 'f',  'm',  't',  0x64, 'n',  'o', 'n',  'e',
                                0x67, 'a',  't',  't',  'S',  't',  'm',  't', 0xa0, 0x68,
                                'a',  'u',  't',  'h',  'D',  'a',  't',  'a', 0x5b, 0x7f,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, 1,   2,    3};
  EXPECT_EQ(verify(huge_bytes), "malformed");
  const wa::Bytes huge_array = {0x9a, 0xff, 0xff, 0xff, 0xff, 0x00};
  EXPECT_EQ(verify(huge_array), "malformed");
  const wa::Bytes huge_map = {0xbb, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02};
  EXPECT_EQ(verify(huge_map), "malformed");
  const wa::Bytes indefinite = {0xbf, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n', 'e', 0xff};
  EXPECT_EQ(verify(indefinite), "malformed");
  wa::Bytes deep(200, 0x81);  // [[[[...]]]] 200 levels
  deep.push_back(0x00);
  EXPECT_EQ(verify(deep), "malformed");

  // The same inside authData: a COSE key declaring a huge byte string.
  wa::Bytes auth_data(auth_data_.begin(), auth_data_.begin() + 37 + 16 + 2 + 32);
  for (uint8_t b : {0xa1, 0x21, 0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}) {
    auth_data.push_back(b);
  }
  EXPECT_EQ(verify_auth_data(auth_data), "malformed");
}

// authData with the authenticator's COSE key replaced by `cose` (the rest of
// the attested credential data kept: 32-byte credential id).
wa::Bytes with_cose_key(const wa::Bytes& auth_data, const wa::Bytes& cose) {
  const size_t prefix = 37 + 16 + 2 + 32;
  wa::Bytes out(prefix + cose.size());
  std::copy_n(auth_data.begin(), prefix, out.begin());
  std::copy(cose.begin(), cose.end(), out.begin() + static_cast<ptrdiff_t>(prefix));
  return out;
}

TEST_F(MalformedRegistration, UnsupportedOrInvalidKeys) {
  // ES384 (-35, P-384): a real COSE algorithm authd does not accept.
  wa::Bytes es384 = {0xa5, 0x01, 0x02, 0x03, 0x38, 0x22, 0x20, 0x02, 0x21, 0x58, 0x30};
  es384.insert(es384.end(), 48, 0x11);
  es384.insert(es384.end(), {0x22, 0x58, 0x30});
  es384.insert(es384.end(), 48, 0x22);
  EXPECT_EQ(verify_auth_data(with_cose_key(auth_data_, es384)), "unsupported_algorithm");
  // ES256 claimed on an OKP key type.
  wa::Bytes mixed = {0xa4, 0x01, 0x01, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20};
  mixed.insert(mixed.end(), 32, 0x33);
  EXPECT_EQ(verify_auth_data(with_cose_key(auth_data_, mixed)), "unsupported_algorithm");
  // ES256 with a point that is not on P-256.
  wa::Bytes off_curve = {0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20};
  off_curve.insert(off_curve.end(), 32, 0x01);
  off_curve.insert(off_curve.end(), {0x22, 0x58, 0x20});
  off_curve.insert(off_curve.end(), 32, 0x02);
  EXPECT_EQ(verify_auth_data(with_cose_key(auth_data_, off_curve)), "malformed");
  // x of the wrong length.
  wa::Bytes short_x = {0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x1f};
  short_x.insert(short_x.end(), 31, 0x01);
  short_x.insert(short_x.end(), {0x22, 0x58, 0x20});
  short_x.insert(short_x.end(), 32, 0x02);
  EXPECT_EQ(verify_auth_data(with_cose_key(auth_data_, short_x)), "malformed");
}

TEST_F(MalformedRegistration, WrongShapes) {
  const wa::Bytes array = {0x83, 0x01, 0x02, 0x03};
  EXPECT_EQ(verify(array), "malformed");
  // authData as a text string.
  const wa::Bytes text_auth = {0xa3, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n',  'e',
                               0x67, 'a',  't', 't', 'S', 't',  'm', 't', 0xa0, 0x68,
                               'a',  'u',  't', 'h', 'D', 'a',  't', 'a', 0x61, 'x'};
  EXPECT_EQ(verify(text_auth), "malformed");
}

TEST_F(MalformedRegistration, NoneMustHaveAnEmptyStatement) {
  SoftAuthenticator packed;
  const auto chal = challenge(41);
  auto response = make_registration(packed, chal);
  // Re-label the packed statement as "none": its attStmt is not empty.
  cbor_load_result result{};
  cbor_item_t* root =
      cbor_load(response.attestation_object.data(), response.attestation_object.size(), &result);
  ASSERT_NE(root, nullptr);
  cbor_item_t* rebuilt = cbor_new_definite_map(3);
  for (size_t i = 0; i < cbor_map_size(root); ++i) {
    cbor_pair pair = cbor_map_handle(root)[i];
    const bool is_fmt = cbor_string_length(pair.key) == 3;
    cbor_item_t* value = is_fmt ? cbor_build_string("none") : cbor_incref(pair.value);
    cbor_map_add(rebuilt, {pair.key, value});
    cbor_decref(&value);
  }
  unsigned char* buffer = nullptr;
  size_t capacity = 0;
  const size_t length = cbor_serialize_alloc(rebuilt, &buffer, &capacity);
  response.attestation_object.assign(buffer, buffer + length);
  std::free(buffer);
  cbor_decref(&rebuilt);
  cbor_decref(&root);
  EXPECT_EQ(outcome(wa::verify_registration(response, registration_expectation(chal))),
            "bad_attestation");
}

TEST_F(MalformedRegistration, RepeatedMapKeysAreRefused) {
  // attStmt with a second "x5c": a verifier reading the first and a library
  // reading the last would check different certificates.
  SoftAuthenticator x5c({.format = AttestationFormat::packed_x5c});
  const auto chal = challenge(42);
  auto response = make_registration(x5c, chal);
  cbor_load_result result{};
  cbor_item_t* root =
      cbor_load(response.attestation_object.data(), response.attestation_object.size(), &result);
  ASSERT_NE(root, nullptr);
  cbor_item_t* rebuilt = cbor_new_definite_map(3);
  for (size_t i = 0; i < cbor_map_size(root); ++i) {
    cbor_pair pair = cbor_map_handle(root)[i];
    cbor_item_t* value = cbor_incref(pair.value);
    if (cbor_string_length(pair.key) == 7) {  // attStmt
      cbor_decref(&value);
      value = cbor_new_definite_map(4);
      for (size_t j = 0; j < cbor_map_size(pair.value); ++j) {
        cbor_map_add(value, cbor_map_handle(pair.value)[j]);
      }
      cbor_item_t* key = cbor_build_string("x5c");
      cbor_item_t* other = cbor_new_definite_array(0);
      cbor_map_add(value, {key, other});
      cbor_decref(&key);
      cbor_decref(&other);
    }
    cbor_map_add(rebuilt, {pair.key, value});
    cbor_decref(&value);
  }
  unsigned char* buffer = nullptr;
  size_t capacity = 0;
  const size_t length = cbor_serialize_alloc(rebuilt, &buffer, &capacity);
  response.attestation_object.assign(buffer, buffer + length);
  std::free(buffer);
  cbor_decref(&rebuilt);
  cbor_decref(&root);
  EXPECT_EQ(outcome(wa::verify_registration(response, registration_expectation(chal))),
            "malformed");

  // A COSE key naming x twice.
  wa::Bytes twice = {0xa6, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20};
  twice.insert(twice.end(), auth_data_.begin() + 37 + 18 + 32 + 10,
               auth_data_.begin() + 37 + 18 + 32 + 42);  // the real x
  twice.insert(twice.end(), auth_data_.begin() + 37 + 18 + 32 + 42, auth_data_.end());  // -3: y
  twice.insert(twice.end(), {0x21, 0x58, 0x20});
  twice.insert(twice.end(), 32, 0x07);
  EXPECT_EQ(verify_auth_data(with_cose_key(auth_data_, twice)), "malformed");
}

TEST(MalformedResponseJson, RegistrationEnvelope) {
  SoftAuthenticator authenticator;
  const std::string good = authenticator.create(creation_options(challenge(1)), kOrigin);
  ASSERT_TRUE(wa::parse_registration_response(good).ok());
  auto doc = nlohmann::json::parse(good);

  auto refused = [](const nlohmann::json& j) {
    return outcome(wa::parse_registration_response(j.dump()));
  };
  auto changed = [&](auto edit) {
    auto copy = doc;
    edit(copy);
    return refused(copy);
  };
  EXPECT_EQ(wa::parse_registration_response("").ok(), false);
  EXPECT_EQ(outcome(wa::parse_registration_response("{\"id\":")), "malformed");
  EXPECT_EQ(outcome(wa::parse_registration_response("[1]")), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["type"] = "password"; }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j.erase("type"); }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["id"] = "AAAA"; }), "malformed");  // id != rawId
  EXPECT_EQ(changed([](auto& j) { j["rawId"] = 5; }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["response"] = "x"; }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["response"].erase("attestationObject"); }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["response"]["transports"] = "usb"; }), "malformed");
  // Bad base64url: padding, the standard alphabet.
  EXPECT_EQ(changed([](auto& j) {
              j["response"]["clientDataJSON"] =
                  j["response"]["clientDataJSON"].template get<std::string>() + "=";
            }),
            "malformed");
  EXPECT_EQ(changed([](auto& j) {
              auto s = j["response"]["attestationObject"].template get<std::string>();
              s[3] = '+';
              j["response"]["attestationObject"] = s;
            }),
            "malformed");
  // Unknown members are ignored.
  EXPECT_EQ(changed([](auto& j) { j["somethingNew"] = {1, 2}; }), "ok");
}

TEST(MalformedResponseJson, AssertionEnvelope) {
  SoftAuthenticator authenticator;
  register_credential(authenticator);
  const std::string good =
      authenticator.get(request_options(challenge(2), authenticator.credential_id()), kOrigin);
  auto parsed = wa::parse_assertion_response(good);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->user_handle, (wa::Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
  auto doc = nlohmann::json::parse(good);
  auto changed = [&](auto edit) {
    auto copy = doc;
    edit(copy);
    return outcome(wa::parse_assertion_response(copy.dump()));
  };
  EXPECT_EQ(changed([](auto& j) { j["response"]["userHandle"] = nullptr; }), "ok");
  EXPECT_EQ(changed([](auto& j) { j["response"].erase("userHandle"); }), "ok");
  EXPECT_EQ(changed([](auto& j) { j["response"]["userHandle"] = "a/b"; }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["response"].erase("signature"); }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["response"]["authenticatorData"] = 1; }), "malformed");
  EXPECT_EQ(changed([](auto& j) { j["type"] = "public-key "; }), "malformed");
}

}  // namespace
}  // namespace tokens_test
