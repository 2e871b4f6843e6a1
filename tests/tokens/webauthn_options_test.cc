// The options JSON read back as a browser's parse*FromJSON() would.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tokens/webauthn.h"

namespace {

namespace wa = tokens::webauthn;
using nlohmann::json;

TEST(CreationOptionsJson, HasTheLevel3Members) {
  wa::CreationOptions o;
  o.rp = {"authd.example.org", "authd", {"https://authd.example.org"}};
  o.user_id = {0xfb, 0xff, 0x01};
  o.user_name = "alice";
  o.user_display_name = "Alice Example";
  o.challenge = wa::Bytes(32, 0xab);
  o.timeout = std::chrono::milliseconds(120000);
  o.exclude_credentials = {{{1, 2, 3}, {"usb", "nfc"}}, {{4}, {}}};
  o.user_verification = wa::UserVerification::required;
  o.resident_key = "preferred";
  o.authenticator_attachment = "cross-platform";
  o.attestation = "direct";
  const json j = json::parse(wa::creation_options_json(o));

  EXPECT_EQ(j["rp"], json({{"id", "authd.example.org"}, {"name", "authd"}}));
  EXPECT_EQ(j["user"]["id"], "-_8B");
  EXPECT_EQ(j["user"]["name"], "alice");
  EXPECT_EQ(j["user"]["displayName"], "Alice Example");
  EXPECT_EQ(j["challenge"], wa::base64url_encode(o.challenge));
  EXPECT_EQ(*wa::base64url_decode(j["challenge"].get<std::string>()), o.challenge);
  ASSERT_EQ(j["pubKeyCredParams"].size(), 3u);
  const int expected_algs[] = {-7, -8, -257};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(j["pubKeyCredParams"][i]["type"], "public-key");
    EXPECT_EQ(j["pubKeyCredParams"][i]["alg"], expected_algs[i]);
  }
  EXPECT_EQ(j["timeout"], 120000);
  ASSERT_EQ(j["excludeCredentials"].size(), 2u);
  EXPECT_EQ(j["excludeCredentials"][0],
            json({{"type", "public-key"}, {"id", "AQID"}, {"transports", {"usb", "nfc"}}}));
  EXPECT_FALSE(j["excludeCredentials"][1].contains("transports"));
  EXPECT_EQ(j["authenticatorSelection"]["residentKey"], "preferred");
  EXPECT_EQ(j["authenticatorSelection"]["requireResidentKey"], false);
  EXPECT_EQ(j["authenticatorSelection"]["userVerification"], "required");
  EXPECT_EQ(j["authenticatorSelection"]["authenticatorAttachment"], "cross-platform");
  EXPECT_EQ(j["attestation"], "direct");
}

TEST(CreationOptionsJson, DefaultsLeaveAttachmentOut) {
  wa::CreationOptions o;
  o.rp = {"localhost", "authd", {}};
  o.user_id = {1};
  o.challenge = wa::Bytes(16, 1);
  const json j = json::parse(wa::creation_options_json(o));
  EXPECT_FALSE(j["authenticatorSelection"].contains("authenticatorAttachment"));
  EXPECT_EQ(j["authenticatorSelection"]["userVerification"], "preferred");
  EXPECT_EQ(j["authenticatorSelection"]["residentKey"], "discouraged");
  EXPECT_EQ(j["excludeCredentials"], json::array());
  EXPECT_EQ(j["timeout"], 300000);
}

TEST(RequestOptionsJson, HasTheLevel3Members) {
  wa::RequestOptions o;
  o.rp_id = "authd.example.org";
  o.challenge = wa::Bytes(32, 0x5a);
  o.timeout = std::chrono::milliseconds(60000);
  o.allow_credentials = {{{9, 8, 7}, {"usb"}}};
  o.user_verification = wa::UserVerification::discouraged;
  const json j = json::parse(wa::request_options_json(o));
  EXPECT_EQ(j["rpId"], "authd.example.org");
  EXPECT_EQ(*wa::base64url_decode(j["challenge"].get<std::string>()), o.challenge);
  EXPECT_EQ(j["timeout"], 60000);
  EXPECT_EQ(j["allowCredentials"],
            json::array({{{"type", "public-key"}, {"id", "CQgH"}, {"transports", {"usb"}}}}));
  EXPECT_EQ(j["userVerification"], "discouraged");
}

TEST(OptionsJson, NamesWithInvalidUtf8DoNotThrow) {
  wa::CreationOptions o;
  o.rp = {"localhost", "authd", {}};
  o.user_id = {1};
  o.user_name = std::string(
      "a\xff"
      "b");
  o.challenge = wa::Bytes(16, 1);
  const auto text = wa::creation_options_json(o);
  EXPECT_TRUE(json::accept(text));
}

}  // namespace
