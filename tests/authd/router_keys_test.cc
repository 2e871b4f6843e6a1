// The key registry, rotation and the JWKS through the Router, with a real
// core and a real SoftHSM token.
#include <gtest/gtest.h>

#include <set>

#include "router_fixture.h"

namespace authd_test {
namespace {

using nlohmann::json;

json keys_of(const authd::HttpResponse& response) {
  EXPECT_EQ(response.status, 200) << response.body;
  const json body = json::parse(response.body, nullptr, false);
  return body.is_object() && body["keys"].is_array() ? body["keys"] : json::array();
}

TEST_F(RouterTest, KeysListsTheThreeKeysOfInit) {
  const std::string session = admin_session();
  const json keys = keys_of(get("/v1/keys", session));
  ASSERT_EQ(keys.size(), 3u) << keys.dump();
  std::set<std::string> purposes;
  for (const json& key : keys) {
    const std::string purpose = key.value("purpose", "");
    purposes.insert(purpose);
    EXPECT_TRUE(key["retired_at"].is_null()) << key.dump();
    EXPECT_EQ(key.value("created_at", "").size(), 24u) << "RFC 3339 with ms: " << key.dump();
    const std::string& uri = purpose == "audit"       ? token_.keys.audit
                             : purpose == "assertion" ? token_.keys.assertion
                                                      : token_.keys.wrap;
    EXPECT_EQ(key.value("uri", ""), uri) << key.dump();
    if (purpose == "wrap") {
      EXPECT_TRUE(key["public_key_pem"].is_null()) << key.dump();
    } else {
      const std::string pem = key.value("public_key_pem", "");
      EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u) << key.dump();
      // The key id is the key's own RFC 7638 thumbprint.
      auto der = hsm::spki_der_from_pem(pem);
      ASSERT_TRUE(der.ok());
      auto thumbprint = hsm::jwk_thumbprint(*der);
      ASSERT_TRUE(thumbprint.ok());
      EXPECT_EQ(key.value("key_id", ""), *thumbprint);
    }
  }
  EXPECT_EQ(purposes, (std::set<std::string>{"audit", "assertion", "wrap"}));
}

TEST_F(RouterTest, RotatingAKeyRetiresTheOldOneAndKeepsItListed) {
  const std::string admin = admin_session();
  for (const char* purpose : {"audit", "assertion", "wrap"}) {
    SCOPED_TRACE(purpose);
    const authd::HttpResponse rotated =
        post(std::string("/v1/keys/") + purpose + "/rotate", "{}", admin);
    ASSERT_EQ(rotated.status, 201) << rotated.body;
    const json fresh = json_of(rotated);
    EXPECT_EQ(fresh.value("purpose", ""), purpose);
    EXPECT_TRUE(fresh["retired_at"].is_null());
    // Made in the token now, labelled for its purpose.
    EXPECT_NE(fresh.value("uri", "").find(std::string("object=") + purpose + "-"),
              std::string::npos)
        << rotated.body;
    auto attributes = token_.hsm->inspect(fresh.value("uri", ""));
    ASSERT_TRUE(attributes.ok()) << attributes.error().message;
    EXPECT_FALSE(attributes->extractable);
    EXPECT_TRUE(attributes->sensitive);
  }
  const json keys = keys_of(get("/v1/keys", admin));
  EXPECT_EQ(keys.size(), 6u) << keys.dump();
  int retired = 0;
  for (const json& key : keys) retired += key["retired_at"].is_string();
  EXPECT_EQ(retired, 3) << keys.dump();

  // Wrapped seeds were re-wrapped under the new key: the administrator still
  // logs in with the same TOTP token.
  EXPECT_FALSE(bootstrap_session().empty());
  // And the trail still signs: a checkpoint with the new audit key.
  EXPECT_EQ(post("/v1/audit/checkpoints", "{}", admin).status, 201);
}

TEST_F(RouterTest, KeyRoutesRefuseWhatTheyShould) {
  const std::string admin = admin_session();
  expect_error(post("/v1/keys/signing/rotate", "{}", admin), 404, "not_found");
  expect_error(post("/v1/keys/AUDIT/rotate", "{}", admin), 404, "not_found");
  expect_error(post("/v1/keys/audit/rotate", R"({"purpose":"audit"})", admin), 400, "bad_request",
               "purpose");
  expect_error(get("/v1/keys/audit/rotate", admin), 405, "method_not_allowed");
  expect_error(post("/v1/keys", "{}", admin), 405, "method_not_allowed");
  expect_error(get("/v1/keys?all=1", admin), 400, "bad_request", "all");

  const std::string practitioner = practitioner_session(admin, "gale");
  expect_error(get("/v1/keys", practitioner), 403, "forbidden");
  expect_error(post("/v1/keys/audit/rotate", "{}", practitioner), 403, "forbidden");
  expect_error(get("/v1/keys"), 401, "invalid_session");
  expect_error(post("/v1/keys/wrap/rotate", "{}"), 401, "invalid_session");
  // Nothing was rotated.
  EXPECT_EQ(keys_of(get("/v1/keys", admin)).size(), 3u);
}

TEST_F(RouterTest, JwksPublishesEveryAssertionKeyWithoutASession) {
  authd::HttpResponse response = get("/.well-known/jwks.json");
  json keys = keys_of(response);
  ASSERT_EQ(keys.size(), 1u) << response.body;
  auto der = token_.hsm->public_key_der(token_.keys.assertion);
  ASSERT_TRUE(der.ok()) << der.error().message;
  auto expected = hsm::public_jwk(*der);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(keys[0], json::parse(*expected));
  EXPECT_EQ(keys[0].value("kty", ""), "EC");
  EXPECT_EQ(keys[0].value("alg", ""), "ES256");
  EXPECT_EQ(keys[0].find("d"), keys[0].end()) << "never a private part";

  // After a rotation the old key stays published: assertions it signed are
  // still checked by relying parties until they expire.
  const std::string admin = admin_session();
  ASSERT_EQ(post("/v1/keys/assertion/rotate", "{}", admin).status, 201);
  keys = keys_of(get("/.well-known/jwks.json"));
  ASSERT_EQ(keys.size(), 2u);
  // Exactly the assertion keys, never the audit or wrapping keys.
  std::set<std::string> published, assertion_ids;
  for (const json& key : keys) published.insert(key.value("kid", ""));
  for (const json& key : keys_of(get("/v1/keys", admin))) {
    if (key.value("purpose", "") == "assertion") assertion_ids.insert(key.value("key_id", ""));
  }
  EXPECT_EQ(published, assertion_ids);
}

}  // namespace
}  // namespace authd_test
