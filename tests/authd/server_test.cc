// The real HTTPS transport in-process on 127.0.0.1:0, probed with the openssl
// and curl commands.
#include "authd/server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "authd/tls_certificate.h"
#include "router_fixture.h"
#include "stub_service.h"

namespace authd_test {
namespace {

using namespace std::chrono_literals;

// Wraps the real service and makes login slow, to have a request in flight
// while the server stops.
class SlowLoginService final : public authd_test::StubService {
 public:
  SlowLoginService(core::Service& inner, std::chrono::milliseconds delay)
      : inner_(inner), delay_(delay) {}
  common::Result<core::LoginGrant> login(const core::LoginRequest& r) override {
    ++logins_started_;
    std::this_thread::sleep_for(delay_);
    return inner_.login(r);
  }
  // Waits (up to 20 s) until `count` logins have reached the service, so that a
  // test acts once they are really in flight, however slow the machine.
  bool wait_for_logins(int count) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (logins_started_.load() < count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }
  common::Result<core::Principal> authenticate(std::string_view t, std::string_view a) override {
    return inner_.authenticate(t, a);
  }
  common::Result<void> logout(const core::Principal& p) override { return inner_.logout(p); }
  common::Result<void> change_password(const core::Principal& p, std::string_view c,
                                       std::string_view n) override {
    return inner_.change_password(p, c, n);
  }
  common::Result<core::UserView> create_user(const core::Principal& p,
                                             const core::NewUser& u) override {
    return inner_.create_user(p, u);
  }
  common::Result<core::UserView> get_user(const core::Principal& p, std::string_view u) override {
    return inner_.get_user(p, u);
  }
  common::Result<std::vector<core::Organisation>> list_organisations(
      const core::Principal& p) override {
    return inner_.list_organisations(p);
  }
  common::Result<core::Organisation> create_organisation(const core::Principal& p,
                                                         const core::Organisation& o) override {
    return inner_.create_organisation(p, o);
  }
  common::Result<core::IssuedTotp> issue_token(const core::Principal& p, std::string_view u,
                                               std::string_view t) override {
    return inner_.issue_token(p, u, t);
  }
  common::Result<core::TokenView> activate_token(const core::Principal& p, std::string_view id,
                                                 std::string_view otp) override {
    return inner_.activate_token(p, id, otp);
  }
  common::Result<std::vector<core::AuditEntry>> list_audit(const core::Principal& p, int64_t a,
                                                           int l) override {
    return inner_.list_audit(p, a, l);
  }
  common::Result<core::Checkpoint> checkpoint_audit(const core::Principal& p) override {
    return inner_.checkpoint_audit(p);
  }
  common::Result<std::vector<core::Checkpoint>> list_checkpoints(const core::Principal& p,
                                                                 int64_t a, int l) override {
    return inner_.list_checkpoints(p, a, l);
  }
  common::Result<core::AuditExport> export_audit(const core::Principal& p, int64_t f,
                                                 int64_t t) override {
    return inner_.export_audit(p, f, t);
  }
  common::Result<core::KeyView> rotate_key(const core::Principal& p,
                                           std::string_view purpose) override {
    return inner_.rotate_key(p, purpose);
  }
  common::Result<std::vector<core::KeyView>> list_keys() override { return inner_.list_keys(); }
  common::Result<std::vector<core::KeyView>> list_keys(const core::Principal& who) override {
    return inner_.list_keys(who);
  }
  core::HealthReport health() override { return inner_.health(); }
  common::Result<void> shutdown() override { return inner_.shutdown(); }

 private:
  core::Service& inner_;
  std::chrono::milliseconds delay_;
  std::atomic<int> logins_started_{0};
};

class ServerTest : public RouterTest {
 protected:
  void SetUp() override {
    RouterTest::SetUp();
    if (HasFatalFailure()) return;
    cert_ = (dir_.path() / "cert.pem").string();
    key_ = (dir_.path() / "key.pem").string();
    auto written = authd::write_self_signed_certificate(cert_, key_);
    ASSERT_TRUE(written.ok()) << written.error().message;
    slow_service_ = std::make_unique<SlowLoginService>(*service_, 1500ms);
    slow_router_ = std::make_unique<authd::Router>(*slow_service_);
    start(*router_);
  }

  void start(const authd::Router& router, authd::ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.tls_certificate = cert_;
    options.tls_private_key = key_;
    options.io_threads = 2;
    options.worker_threads = 2;
    auto server = authd::Server::start(options, router);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(*server);
    ASSERT_NE(server_->port(), 0);
    port_ = std::to_string(server_->port());
  }

  void TearDown() override { server_.reset(); }

  std::string url(const std::string& path) const { return "https://localhost:" + port_ + path; }

  CommandResult s_client(std::vector<std::string> options, const std::string& input = {}) const {
    std::vector<std::string> argv = {
        "openssl",   "s_client", "-connect", "127.0.0.1:" + port_,   "-servername",
        "localhost", "-CAfile",  cert_,      "-verify_return_error", "-brief"};
    argv.insert(argv.end(), options.begin(), options.end());
    return run_command(argv, input, 30s);
  }

  CommandResult curl(std::vector<std::string> options) const {
    std::vector<std::string> argv = {"curl",     "--silent", "--show-error", "--http1.1",
                                     "--cacert", cert_,      "--max-time",   "20"};
    argv.insert(argv.end(), options.begin(), options.end());
    return run_command(argv, {}, 30s);
  }

  std::string cert_, key_, port_;
  std::unique_ptr<SlowLoginService> slow_service_;
  std::unique_ptr<authd::Router> slow_router_;
  std::unique_ptr<authd::Server> server_;
};

// s_client -brief prints "Protocol version: TLSvX" once the handshake is done.
bool negotiated(const CommandResult& result, const std::string& protocol) {
  return result.err.find("Protocol version: " + protocol) != std::string::npos;
}

TEST_F(ServerTest, PrefersTls13) {
  const CommandResult result = s_client({});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(negotiated(result, "TLSv1.3")) << result.err;
  EXPECT_NE(result.err.find("Verification: OK"), std::string::npos) << result.err;
}

TEST_F(ServerTest, RefusesTls11EvenFromAWillingClient) {
  // The client's own security level would refuse TLS 1.1 before the server
  // could; level 0 makes it offer TLS 1.1, so only the server can say no.
  const CommandResult result = s_client({"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_FALSE(negotiated(result, "TLSv1.1")) << result.err;
  EXPECT_FALSE(negotiated(result, "TLSv1")) << result.err;
}

TEST_F(ServerTest, Tls12OnlyWithForwardSecretAeadCiphers) {
  for (const char* cipher : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                             "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    SCOPED_TRACE(cipher);
    const CommandResult result = s_client({"-tls1_2", "-cipher", cipher});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(negotiated(result, "TLSv1.2")) << result.err;
    EXPECT_NE(result.err.find(cipher), std::string::npos) << result.err;
  }
  for (const char* cipher :
       {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA256",
        "AES128-GCM-SHA256", "AES128-SHA", "ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0"}) {
    SCOPED_TRACE(cipher);
    const CommandResult result = s_client({"-tls1_2", "-cipher", cipher});
    EXPECT_NE(result.exit_code, 0);
    EXPECT_FALSE(negotiated(result, "TLSv1.2")) << result.err;
  }
}

TEST_F(ServerTest, Tls12IssuesNoSessionTicket) {
  // Without -brief s_client prints the session, with "TLS session ticket"
  // lines when the server sent one.
  const CommandResult result =
      run_command({"openssl", "s_client", "-connect", "127.0.0.1:" + port_, "-servername",
                   "localhost", "-CAfile", cert_, "-verify_return_error", "-tls1_2"},
                  {}, 30s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Protocol  : TLSv1.2"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("TLS session ticket"), std::string::npos) << result.out;
}

TEST_F(ServerTest, ServerCipherOrderWins) {
  const CommandResult result = s_client(
      {"-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("ECDHE-ECDSA-AES128-GCM-SHA256"), std::string::npos) << result.err;
}

TEST_F(ServerTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const std::string path : {"/healthz", "/v1/session", "/v1/nowhere"}) {
    SCOPED_TRACE(path);
    const CommandResult result = curl({"--include", url(path)});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (const char* header :
         {"strict-transport-security: max-age=31536000", "cache-control: no-store",
          "x-content-type-options: nosniff", "content-type: application/json"}) {
      std::string lower = result.out;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_NE(lower.find(header), std::string::npos) << header << "\n" << result.out;
    }
  }
}

TEST_F(ServerTest, TheAuditExportIsSentAsJsonLines) {
  const std::string session = admin_session();
  const CommandResult result = curl({"--include", "--header", "Authorization: Bearer " + session,
                                     url("/v1/audit/export?from=1&to=1000")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string lower = result.out;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(lower.find("content-type: application/x-ndjson\r\n"), std::string::npos) << result.out;
  EXPECT_EQ(lower.find("content-type: application/json"), std::string::npos) << "one type only";
  EXPECT_NE(lower.find("cache-control: no-store"), std::string::npos);
  EXPECT_NE(result.out.find("{\"type\":\"entry\""), std::string::npos) << result.out;
}

TEST_F(ServerTest, KeepsConnectionsAlive) {
  const CommandResult result = curl({"--verbose", "--output", "/dev/null", "--output", "/dev/null",
                                     url("/healthz"), url("/v1/session")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("Re-using existing connection"), std::string::npos) << result.err;
}

TEST_F(ServerTest, OversizeBodyIs413AndTheServerCarriesOn) {
  const std::string big = (dir_.path() / "big.json").string();
  {
    std::ofstream out(big);
    out << "{\"username\":\"" << std::string(100 * 1024, 'a') << "\"}";
  }
  const CommandResult result =
      curl({"--write-out", "\n%{http_code}", "--header", "Content-Type: application/json",
            "--header", "Expect:", "--data-binary", "@" + big, url("/v1/login")});
  EXPECT_NE(result.out.find("payload_too_large"), std::string::npos) << result.out << result.err;
  EXPECT_NE(result.out.find("\n413"), std::string::npos) << result.out;

  // A client still streaming a large chunked body when the answer comes
  // must see the answer, not a reset.
  const std::string huge = (dir_.path() / "huge.json").string();
  {
    std::ofstream out(huge);
    out << "{\"username\":\"" << std::string(4 * 1024 * 1024, 'a') << "\"}";
  }
  const CommandResult streamed =
      curl({"--write-out", "\n%{http_code}", "--header", "Content-Type: application/json",
            "--header", "Expect:", "--header", "Transfer-Encoding: chunked", "--data-binary",
            "@" + huge, url("/v1/login")});
  EXPECT_NE(streamed.out.find("\n413"), std::string::npos) << streamed.out << streamed.err;
  EXPECT_EQ(curl({"--fail", url("/healthz")}).exit_code, 0);
}

TEST_F(ServerTest, MalformedHttpIs400AndTheServerCarriesOn) {
  for (const std::string request :
       {"NOT HTTP AT ALL\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST /v1/logout HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: "
        "chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "POST /v1/logout HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n",
        "POST /v1/logout HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n"}) {
    SCOPED_TRACE(request);
    const CommandResult result = s_client({"-ign_eof", "-quiet"}, request);
    EXPECT_NE(result.out.find("HTTP/1.1 400"), std::string::npos) << result.out << result.err;
    EXPECT_NE(result.out.find("\"bad_request\""), std::string::npos) << result.out;
    // One answer, and the connection closed: nothing left over is read as a
    // second request.
    EXPECT_EQ(result.out.find("HTTP/1.1", result.out.find("HTTP/1.1") + 1), std::string::npos)
        << result.out;
  }
  EXPECT_EQ(curl({"--fail", url("/healthz")}).exit_code, 0);
}

TEST_F(ServerTest, CompressedBodiesAre415) {
  const CommandResult result =
      curl({"--write-out", "\n%{http_code}", "--header", "Content-Type: application/json",
            "--header", "Content-Encoding: gzip", "--data", "{}", url("/v1/login")});
  EXPECT_NE(result.out.find("\n415"), std::string::npos) << result.out << result.err;
  EXPECT_NE(result.out.find("unsupported_media_type"), std::string::npos) << result.out;
}

TEST_F(ServerTest, OversizeHeadersAre431) {
  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(20000, 'a') + "\r\n\r\n";
  const CommandResult result = s_client({"-ign_eof", "-quiet"}, request);
  EXPECT_NE(result.out.find("HTTP/1.1 431"), std::string::npos) << result.out << result.err;
}

TEST_F(ServerTest, DuplicateAuthorizationHeadersAreRefused) {
  const CommandResult result =
      curl({"--write-out", "\n%{http_code}", "--header", "Authorization: Bearer aaaa", "--header",
            "Authorization: Bearer bbbb", url("/v1/session")});
  EXPECT_NE(result.out.find("\n400"), std::string::npos) << result.out << result.err;
}

TEST_F(ServerTest, TheCoreSeesTheTcpPeerAddress) {
  const nlohmann::json login = {
      {"username", admin_.username}, {"password", "wrong-password-123"}, {"otp", "000000"}};
  const CommandResult failed =
      curl({"--header", "Content-Type: application/json", "--header",
            "X-Forwarded-For: 203.0.113.9", "--data", login.dump(), url("/v1/login")});
  ASSERT_EQ(failed.exit_code, 0) << failed.err;
  const authd::HttpResponse audit = get("/v1/audit?limit=1000", admin_session());
  ASSERT_EQ(audit.status, 200) << audit.body;
  bool seen = false;
  const nlohmann::json trail = json_of(audit);
  for (const auto& entry : trail["entries"]) {
    if (entry["action"] == "login" && entry["outcome"] == "failure") {
      seen = true;
      EXPECT_EQ(entry["source_address"], "127.0.0.1") << entry.dump();
    }
  }
  EXPECT_TRUE(seen) << audit.body;
}

// Connects without speaking TLS; returns the socket (reads time out after 10 s).
int raw_connect(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const timeval limit{10, 0};  // a read that would hang fails the test instead
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  return fd;
}

TEST_F(ServerTest, ShutdownClosesIdleConnectionsPromptly) {
  // A client that completed the handshake and then sends nothing.
  Child idle({"openssl", "s_client", "-connect", "127.0.0.1:" + port_, "-CAfile", cert_, "-ign_eof",
              "-quiet"});
  // A client that never even starts TLS.
  const int raw = raw_connect(server_->port());
  std::this_thread::sleep_for(500ms);

  const auto started = std::chrono::steady_clock::now();
  server_->shutdown(10s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_TRUE(idle.wait(5s).has_value());
  char byte;
  EXPECT_EQ(::read(raw, &byte, 1), 0);  // closed by the server
  ::close(raw);
}

TEST_F(ServerTest, OneAddressCannotHoldMoreThanItsShareOfConnections) {
  server_.reset();
  authd::ServerOptions options;
  options.max_connections_per_peer = 2;
  start(*router_, options);
  // Two silent connections (they wait in the 30 s handshake timeout).
  const int first = raw_connect(server_->port());
  const int second = raw_connect(server_->port());
  // A third from the same address is closed at once: read sees EOF rather
  // than blocking until SO_RCVTIMEO.
  const int third = raw_connect(server_->port());
  char byte;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(::read(third, &byte, 1), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  ::close(third);
  EXPECT_NE(curl({"--fail", url("/healthz")}).exit_code, 0);
  // Once one of the two goes, the address is served again.
  ::close(first);
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    served = curl({"--fail", url("/healthz")}).exit_code == 0;
    if (!served) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(served);
  ::close(second);
}

TEST_F(ServerTest, SilentAndIdleConnectionsTimeOut) {
  server_.reset();
  authd::ServerOptions options;
  options.handshake_timeout = 1s;
  options.idle_timeout = 1s;
  start(*router_, options);

  const int silent = raw_connect(server_->port());
  Child idle({"openssl", "s_client", "-connect", "127.0.0.1:" + port_, "-CAfile", cert_, "-ign_eof",
              "-quiet"});
  const auto started = std::chrono::steady_clock::now();
  char byte;
  EXPECT_EQ(::read(silent, &byte, 1), 0);  // blocks until the server gives up on the handshake
  ::close(silent);
  EXPECT_TRUE(idle.wait(10s).has_value());  // s_client exits once the server closes
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 8s);
  EXPECT_EQ(curl({"--fail", url("/healthz")}).exit_code, 0);
}

TEST_F(ServerTest, ShutdownFinishesTheRequestInFlight) {
  server_.reset();
  start(*slow_router_);
  const nlohmann::json login = {{"username", admin_.username},
                                {"password", admin_.password},
                                {"otp", next_code(otpauth_secret(admin_.otpauth_uri))}};
  CommandResult in_flight;
  std::thread client([&] {
    in_flight = curl({"--include", "--header", "Content-Type: application/json", "--data",
                      login.dump(), url("/v1/login")});
  });
  EXPECT_TRUE(slow_service_->wait_for_logins(1));  // the login sleeps in the worker pool
  server_->shutdown(10s);
  client.join();
  ASSERT_EQ(in_flight.exit_code, 0) << in_flight.err;
  EXPECT_NE(in_flight.out.find("HTTP/1.1 200"), std::string::npos) << in_flight.out;
  EXPECT_NE(in_flight.out.find("\"session\""), std::string::npos) << in_flight.out;
  // And nothing is accepted any more.
  EXPECT_NE(curl({url("/healthz")}).exit_code, 0);
}

TEST_F(ServerTest, SlowRequestsDoNotHoldUpFastOnes) {
  server_.reset();
  start(*slow_router_);
  std::vector<std::thread> logins;
  for (int i = 0; i < 2; ++i) {
    logins.emplace_back([&] {
      curl({"--header", "Content-Type: application/json", "--data",
            R"({"username":"x","password":"y","otp":"1"})", url("/v1/login")});
    });
  }
  EXPECT_TRUE(slow_service_->wait_for_logins(2));  // both workers now busy for 1.5 s
  const auto started = std::chrono::steady_clock::now();
  const CommandResult health = curl({"--fail", url("/healthz")});
  const auto took = std::chrono::steady_clock::now() - started;
  for (std::thread& t : logins) t.join();
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_LT(took, 1000ms);
}

TEST_F(ServerTest, StartRefusesAHostThatIsNotAnAddress) {
  authd::ServerOptions options;
  options.host = "localhost";
  options.port = 0;
  options.tls_certificate = cert_;
  options.tls_private_key = key_;
  auto server = authd::Server::start(options, *router_);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code, common::Errc::bad_request);
}

TEST_F(ServerTest, StartRefusesMismatchedTlsFiles) {
  const auto other = dir_.path() / "other";
  std::filesystem::create_directories(other);
  ASSERT_TRUE(authd::write_self_signed_certificate(other / "cert.pem", other / "key.pem").ok());
  authd::ServerOptions options;
  options.port = 0;
  options.tls_certificate = cert_;
  options.tls_private_key = other / "key.pem";
  auto server = authd::Server::start(options, *router_);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().message.find("does not match"), std::string::npos)
      << server.error().message;
}

TEST_F(ServerTest, StartRefusesAPortInUse) {
  authd::ServerOptions options;
  options.port = server_->port();
  options.tls_certificate = cert_;
  options.tls_private_key = key_;
  auto server = authd::Server::start(options, *router_);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code, common::Errc::unavailable);
}

}  // namespace
}  // namespace authd_test
