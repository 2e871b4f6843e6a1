// The client against real TLS servers on ephemeral ports, with certificates
// made by the openssl command for each test run.
#include "provisioning/https_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_support.h"

namespace provisioning {
namespace {

using testing::CertFiles;
using testing::OpensslWwwServer;
using testing::ScriptedTlsServer;
using testing::TempDir;
using After = ScriptedTlsServer::After;

class HttpsClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    good_ = new CertFiles(
        testing::make_self_signed(dir_->path(), "localhost", "DNS:localhost,IP:127.0.0.1"));
    other_ca_ = new CertFiles(
        testing::make_self_signed(dir_->path(), "stranger", "DNS:localhost,IP:127.0.0.1"));
    wrong_name_ = new CertFiles(
        testing::make_self_signed(dir_->path(), "elsewhere", "DNS:elsewhere.example,IP:10.9.8.7"));
    testing::write_file(dir_->path() / "hello.json", "{\"hello\":\"world\"}\n");
  }
  static void TearDownTestSuite() {
    delete good_;
    delete other_ca_;
    delete wrong_name_;
    delete dir_;
  }

  static HttpsTarget target(const std::string& host, const std::string& port, const CertFiles& ca) {
    HttpsTarget t;
    t.host = host;
    t.port = port;
    t.cafile = ca.cert.string();
    t.timeout = std::chrono::seconds(10);
    return t;
  }

  static TempDir* dir_;
  static CertFiles* good_;
  static CertFiles* other_ca_;
  static CertFiles* wrong_name_;
};

TempDir* HttpsClientTest::dir_ = nullptr;
CertFiles* HttpsClientTest::good_ = nullptr;
CertFiles* HttpsClientTest::other_ca_ = nullptr;
CertFiles* HttpsClientTest::wrong_name_ = nullptr;

TEST_F(HttpsClientTest, FetchesFromOpensslServerWithTheRightCa) {
  OpensslWwwServer server(*good_, dir_->path());
  ASSERT_FALSE(server.port().empty());
  for (const char* host : {"127.0.0.1", "localhost"}) {
    HttpsClient client(target(host, server.port(), *good_));
    auto response = client.request("GET", "/hello.json");
    ASSERT_TRUE(response.ok()) << host << ": " << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "{\"hello\":\"world\"}\n");
    // s_server spells it "Content-type"; the client lower-cases names.
    EXPECT_EQ(response->headers["content-type"], "text/plain");

    // s_server closes after each answer (HTTP/1.0): the next request must
    // open a fresh connection by itself.
    auto again = client.request("GET", "/hello.json");
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->body, "{\"hello\":\"world\"}\n");
  }
}

TEST_F(HttpsClientTest, RefusesAServerSignedByAnotherCa) {
  OpensslWwwServer server(*good_, dir_->path());
  HttpsClient client(target("127.0.0.1", server.port(), *other_ca_));
  auto response = client.request("GET", "/hello.json");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, common::Errc::unavailable);
  EXPECT_NE(response.error().message.find("certificate verify failed"), std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, RefusesACertificateForAnotherHostName) {
  OpensslWwwServer server(*wrong_name_, dir_->path());
  HttpsClient by_name(target("localhost", server.port(), *wrong_name_));
  auto response = by_name.request("GET", "/hello.json");
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("certificate verify failed: hostname mismatch"),
            std::string::npos)
      << response.error().message;

  HttpsClient by_address(target("127.0.0.1", server.port(), *wrong_name_));
  response = by_address.request("GET", "/hello.json");
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("certificate verify failed: IP address mismatch"),
            std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, RefusesTheSystemStoreForASelfSignedServer) {
  OpensslWwwServer server(*good_, dir_->path());
  HttpsTarget t = target("127.0.0.1", server.port(), *good_);
  t.cafile.clear();
  HttpsClient client(t);
  auto response = client.request("GET", "/hello.json");
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("certificate verify failed"), std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, ReportsAnUnreadableCaFile) {
  HttpsTarget t = target("127.0.0.1", "1", *good_);
  t.cafile = (dir_->path() / "missing.pem").string();
  HttpsClient client(t);
  auto response = client.request("GET", "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, common::Errc::unavailable);
  EXPECT_NE(response.error().message.find("cannot load CA file"), std::string::npos);
}

TEST_F(HttpsClientTest, ReportsARefusedConnection) {
  HttpsClient client(target("127.0.0.1", testing::unused_port(), *good_));
  auto response = client.request("GET", "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, common::Errc::unavailable);
  EXPECT_NE(response.error().message.find("cannot connect to 127.0.0.1:"), std::string::npos)
      << response.error().message;
}

TEST_F(HttpsClientTest, TimesOutOnASilentServer) {
  // Listening but never accepting: the kernel completes TCP, TLS never starts.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  HttpsTarget t = target("127.0.0.1", std::to_string(ntohs(addr.sin_port)), *good_);
  t.timeout = std::chrono::milliseconds(300);
  HttpsClient client(t);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.request("GET", "/");
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("timed out after 300 ms"), std::string::npos)
      << response.error().message;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(HttpsClientTest, SendsJsonBearerAndHostAndKeepsTheConnection) {
  ScriptedTlsServer server(*good_);
  server.push({201, R"({"ok":true})", {{"X-Custom", "1"}}, After::keep_open});
  server.push({204, "", {}, After::keep_open});
  HttpsClient client(target("localhost", server.port(), *good_));

  auto first = client.request("POST", "/v1/things", R"({"a":1})", "bearer-token-value");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->status, 201);
  EXPECT_EQ(first->body, R"({"ok":true})");
  EXPECT_EQ(first->headers["x-custom"], "1");
  EXPECT_EQ(first->headers["content-type"], "application/json");

  auto second = client.request("GET", "/v1/other");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->status, 204);
  EXPECT_EQ(server.connections(), 1);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].rfind("POST /v1/things HTTP/1.1\r\n", 0), 0u) << requests[0];
  EXPECT_NE(requests[0].find("\r\nHost: localhost:" + server.port() + "\r\n"), std::string::npos);
  EXPECT_NE(requests[0].find("\r\nAuthorization: Bearer bearer-token-value\r\n"),
            std::string::npos);
  EXPECT_NE(requests[0].find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(requests[0].find("\r\n\r\n{\"a\":1}"), std::string::npos);
  EXPECT_EQ(requests[1].find("Authorization"), std::string::npos);
}

TEST_F(HttpsClientTest, ReconnectsOnceWhenTheServerClosedTheIdleConnection) {
  ScriptedTlsServer server(*good_);
  server.push({200, R"({"n":1})", {}, After::close_silently});
  server.push({200, R"({"n":2})", {}, After::keep_open});
  HttpsClient client(target("127.0.0.1", server.port(), *good_));
  ASSERT_TRUE(client.request("GET", "/one").ok());
  auto second = client.request("GET", "/two");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->body, R"({"n":2})");
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(HttpsClientTest, DoesNotRetryOnAFreshConnection) {
  ScriptedTlsServer server(*good_);
  server.push({200, "", {}, After::drop_unanswered});
  server.push({200, R"({"never":"sent"})", {}, After::keep_open});
  HttpsClient client(target("127.0.0.1", server.port(), *good_));
  auto response = client.request("POST", "/v1/once", "{}");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, common::Errc::unavailable);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST_F(HttpsClientTest, RetriesAReusedConnectionOnlyOnce) {
  ScriptedTlsServer server(*good_);
  server.push({200, "{}", {}, After::close_silently});
  server.push({200, "", {}, After::drop_unanswered});
  server.push({200, R"({"never":"sent"})", {}, After::keep_open});
  HttpsClient client(target("127.0.0.1", server.port(), *good_));
  ASSERT_TRUE(client.request("GET", "/one").ok());
  auto response = client.request("GET", "/two");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(HttpsClientTest, RefusesBadArgumentsWithoutConnecting) {
  HttpsClient client(target("127.0.0.1", testing::unused_port(), *good_));
  auto bad_method = client.request("FROB", "/");
  ASSERT_FALSE(bad_method.ok());
  EXPECT_EQ(bad_method.error().code, common::Errc::bad_request);
  auto bad_target = client.request("GET", "no-slash");
  ASSERT_FALSE(bad_target.ok());
  EXPECT_EQ(bad_target.error().code, common::Errc::bad_request);
}

}  // namespace
}  // namespace provisioning
