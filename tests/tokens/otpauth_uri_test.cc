// otpauth:// URIs: parsed back the way an authenticator app reads them.
#include <gtest/gtest.h>

#include <map>

#include "test_support.h"
#include "tokens/totp.h"

namespace tokens {
namespace {

using tokens_test::bytes_of;
using tokens_test::percent_decode;

struct ParsedUri {
  std::string type;
  std::string label_issuer;
  std::string label_account;
  std::map<std::string, std::string> params;
};

// A strict reader: exactly one '?', a label with one unescaped ':', every
// parameter name=value. Anything else fails the test.
ParsedUri parse(const std::string& uri) {
  ParsedUri out;
  const std::string scheme = "otpauth://";
  EXPECT_EQ(uri.rfind(scheme, 0), 0u) << uri;
  const size_t type_end = uri.find('/', scheme.size());
  out.type = uri.substr(scheme.size(), type_end - scheme.size());
  const size_t query = uri.find('?');
  EXPECT_NE(query, std::string::npos);
  EXPECT_EQ(uri.find('?', query + 1), std::string::npos);
  const std::string label = uri.substr(type_end + 1, query - type_end - 1);
  const size_t colon = label.find(':');
  EXPECT_NE(colon, std::string::npos);
  EXPECT_EQ(label.find(':', colon + 1), std::string::npos) << "unescaped ':' in " << label;
  out.label_issuer = percent_decode(label.substr(0, colon));
  out.label_account = percent_decode(label.substr(colon + 1));
  std::string rest = uri.substr(query + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    EXPECT_NE(eq, std::string::npos) << pair;
    EXPECT_EQ(out.params.count(pair.substr(0, eq)), 0u) << "repeated " << pair;
    out.params[pair.substr(0, eq)] = percent_decode(pair.substr(eq + 1));
    rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
  }
  return out;
}

TEST(OtpauthUri, CarriesEverythingAnAppNeeds) {
  auto random = common::openssl_random();
  const auto secret = new_totp_secret(*random);
  const std::string uri = otpauth_uri("authd", "alice", secret, TotpParams{});
  const ParsedUri p = parse(uri);
  EXPECT_EQ(p.type, "totp");
  EXPECT_EQ(p.label_issuer, "authd");
  EXPECT_EQ(p.label_account, "alice");
  EXPECT_EQ(p.params.size(), 5u);
  EXPECT_EQ(p.params.at("issuer"), "authd");
  EXPECT_EQ(p.params.at("algorithm"), "SHA1");
  EXPECT_EQ(p.params.at("digits"), "6");
  EXPECT_EQ(p.params.at("period"), "30");
  auto decoded = base32_decode(p.params.at("secret"));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, secret);
  EXPECT_EQ(p.params.at("secret").find('='), std::string::npos);
}

TEST(OtpauthUri, StatesNonDefaultParameters) {
  const auto secret = bytes_of("12345678901234567890123456789012");
  const ParsedUri p = parse(otpauth_uri(
      "authd", "bob", secret, TotpParams{TotpAlgorithm::sha256, 8, std::chrono::seconds(60)}));
  EXPECT_EQ(p.params.at("algorithm"), "SHA256");
  EXPECT_EQ(p.params.at("digits"), "8");
  EXPECT_EQ(p.params.at("period"), "60");
  EXPECT_EQ(*base32_decode(p.params.at("secret")), secret);
}

TEST(OtpauthUri, PercentEncodesIssuerAndAccount) {
  const auto secret = bytes_of("12345678901234567890");
  const std::string account = "jo smith:admin&x=1#frag/?%";
  const std::string issuer = "Städte Rat:LA-001";
  const std::string uri = otpauth_uri(issuer, account, secret, TotpParams{});

  // Only unreserved characters and the URI's own structure appear literally.
  const std::string label = uri.substr(0, uri.find('?'));
  EXPECT_NE(label.find("jo%20smith%3Aadmin%26x%3D1%23frag%2F%3F%25"), std::string::npos) << uri;
  EXPECT_NE(label.find("St%C3%A4dte%20Rat%3ALA-001:"), std::string::npos) << uri;
  EXPECT_EQ(uri.find(' '), std::string::npos);
  EXPECT_EQ(uri.find('#'), std::string::npos);

  const ParsedUri p = parse(uri);
  EXPECT_EQ(p.label_issuer, issuer);
  EXPECT_EQ(p.label_account, account);
  EXPECT_EQ(p.params.at("issuer"), issuer);
  EXPECT_EQ(*base32_decode(p.params.at("secret")), secret);
}

}  // namespace
}  // namespace tokens
