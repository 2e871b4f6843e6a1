#include <gtest/gtest.h>

#include "provisioning/https_client.h"

namespace provisioning {
namespace {

TEST(ServerUrl, TakesHostAndPort) {
  auto target = parse_server_url("https://127.0.0.1:8443", "/ca.pem");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, "8443");
  EXPECT_EQ(target->cafile, "/ca.pem");
}

TEST(ServerUrl, DefaultsToPort443AndIgnoresThePath) {
  auto target = parse_server_url("HTTPS://auth.example.org/some/path?x=1", "");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target->host, "auth.example.org");
  EXPECT_EQ(target->port, "443");
}

TEST(ServerUrl, TakesBracketedIpv6) {
  auto target = parse_server_url("https://[::1]:9443/", "");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target->host, "::1");
  EXPECT_EQ(target->port, "9443");
}

TEST(ServerUrl, NormalisesLeadingZerosInThePort) {
  auto target = parse_server_url("https://localhost:08443", "");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target->port, "8443");
}

TEST(ServerUrl, RefusesWhatIsNotAnHttpsServer) {
  for (const char* url : {"http://127.0.0.1:8443", "127.0.0.1:8443", "https://", "https://:8443",
                          "https://host:", "https://host:0", "https://host:65536",
                          "https://host:84a3", "https://user:pw@host", "https://[::1",
                          "https://[not-v6]:1", "https://[::1]x", "https://ho st", "ftp://host"}) {
    auto target = parse_server_url(url, "");
    ASSERT_FALSE(target.ok()) << url;
    EXPECT_EQ(target.error().code, common::Errc::bad_request) << url;
    EXPECT_EQ(target.error().field, "server");
    EXPECT_NE(target.error().message.find("invalid server URL"), std::string::npos);
  }
}

TEST(ServerUrl, DoesNotEchoAPasswordGivenInTheUrl) {
  auto target = parse_server_url("https://admin:hunter2secret@host", "");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.error().message.find("hunter2secret"), std::string::npos)
      << target.error().message;
}

}  // namespace
}  // namespace provisioning
