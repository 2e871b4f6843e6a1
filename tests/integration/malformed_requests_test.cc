// A run of malformed, oversize and plainly hostile requests: each gets a 4xx
// JSON error (or, for bytes that are not HTTP, a closed connection), never a
// 5xx, and the daemon keeps serving throughout.
#include <thread>

#include "authd_fixture.h"
#include "raw_connection.h"

namespace integration {
namespace {

using MalformedRequestTest = AuthdTest;
using std::chrono::milliseconds;

struct BadRequest {
  std::string name;
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
  bool with_session = false;
  int status;
  std::string error;  // the expected error code
  std::string field;  // for bad_request: the field it must name ("" to skip)
};

std::vector<BadRequest> bad_requests(const std::string& admin_username) {
  const std::string json = "application/json";
  const std::string login_ok =
      R"({"username":"someone","password":"long enough password","otp":"123456"})";
  return {
      {"not JSON", "POST", "/v1/login", "{\"username\": ", {}, false, 400, "bad_request", ""},
      {"JSON array", "POST", "/v1/login", "[1,2,3]", {}, false, 400, "bad_request", ""},
      {"wrong type",
       "POST",
       "/v1/login",
       R"({"username":42,"password":"long enough password","otp":"123456"})",
       {},
       false,
       400,
       "bad_request",
       "username"},
      {"missing field",
       "POST",
       "/v1/login",
       R"({"username":"someone","password":"long enough password"})",
       {},
       false,
       400,
       "bad_request",
       "otp"},
      {"unknown field",
       "POST",
       "/v1/login",
       R"({"username":"someone","password":"long enough password","otp":"123456","admin":true})",
       {},
       false,
       400,
       "bad_request",
       "admin"},
      {"invalid UTF-8",
       "POST",
       "/v1/login",
       "{\"username\":\"\xc3\x28\xff\",\"password\":\"long enough password\",\"otp\":\"123456\"}",
       {},
       false,
       400,
       "bad_request",
       ""},
      {"NUL in a string",
       "POST",
       "/v1/login",
       R"({"username":"some\u0000one","password":"long enough password","otp":"123456"})",
       {},
       false,
       400,
       "bad_request",
       ""},
      {"nested too deep",
       "POST",
       "/v1/login",
       std::string(5000, '[') + std::string(5000, ']'),
       {},
       false,
       400,
       "bad_request",
       ""},
      {"over 64 KiB",
       "POST",
       "/v1/login",
       R"({"username":")" + std::string(70 * 1024, 'a') + R"(","password":"x","otp":"1"})",
       {},
       false,
       413,
       "payload_too_large",
       ""},
      {"wrong content type",
       "POST",
       "/v1/login",
       login_ok,
       {{"Content-Type", "text/plain"}},
       false,
       415,
       "unsupported_media_type",
       ""},
      {"form content type",
       "POST",
       "/v1/login",
       "username=a&password=b",
       {{"Content-Type", "application/x-www-form-urlencoded"}},
       false,
       415,
       "unsupported_media_type",
       ""},
      {"unknown path", "GET", "/v1/nothing-here", "", {}, false, 404, "not_found", ""},
      {"path traversal", "GET", "/v1/../../etc/passwd", "", {}, false, 404, "not_found", ""},
      {"wrong method", "GET", "/v1/login", "", {}, false, 405, "method_not_allowed", ""},
      {"wrong method on session",
       "DELETE",
       "/v1/session",
       "",
       {},
       true,
       405,
       "method_not_allowed",
       ""},
      {"missing bearer", "GET", "/v1/session", "", {}, false, 401, "invalid_session", ""},
      {"garbage bearer",
       "GET",
       "/v1/session",
       "",
       {{"Authorization", "Bearer not-a-session-token"}},
       false,
       401,
       "invalid_session",
       ""},
      {"basic auth",
       "GET",
       "/v1/session",
       "",
       {{"Authorization", "Basic YWRtaW46YWRtaW4="}},
       false,
       401,
       "invalid_session",
       ""},
      {"bad audit query",
       "GET",
       "/v1/audit?after=abc&limit=-5",
       "",
       {},
       true,
       400,
       "bad_request",
       ""},
      {"bad token type",
       "POST",
       "/v1/users/" + admin_username + "/tokens",
       R"({"type":"sms"})",
       {},
       true,
       400,
       "bad_request",
       ""},
      {"bad username",
       "POST",
       "/v1/users",
       R"({"username":"../x","display_name":"x","organisation":"LA-001","roles":["practitioner"],"password":"long enough password 1"})",
       {},
       true,
       400,
       "bad_request",
       "username"},
  };
}

TEST_F(MalformedRequestTest, ClientMistakesGet4xxAndTheDaemonKeepsServing) {
  use_test_policy();
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());

  for (const BadRequest& bad : bad_requests(admin_username_)) {
    SCOPED_TRACE(bad.name);
    // A fresh connection each time: the server may close after an error.
    auto target = provisioning::parse_server_url(server_url(), cert_file().string());
    ASSERT_TRUE(target.ok());
    provisioning::HttpsClient client(target.value());
    std::map<std::string, std::string> headers = bad.headers;
    auto result = client.request(bad.method, bad.target, bad.body,
                                 bad.with_session ? admin : std::string(), headers);
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->status, bad.status) << result->body;
    const auto body = nlohmann::json::parse(result->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "error bodies are JSON: " << result->body;
    EXPECT_EQ(body.value("error", ""), bad.error) << result->body;
    EXPECT_TRUE(body["message"].is_string()) << result->body;
    if (!bad.field.empty()) {
      EXPECT_EQ(body.value("field", ""), bad.field) << result->body;
    }
    if (bad.status == 405) {
      EXPECT_FALSE(result->headers["allow"].empty());
    }
    EXPECT_EQ(result->headers["strict-transport-security"], "max-age=31536000");
    EXPECT_TRUE(daemon_.running());
  }

  // Bytes that are not HTTP at all, over TLS: an error answer or a closed
  // connection, never a hang or a crash.
  const std::vector<std::pair<std::string, std::string>> raw_inputs = {
      {"garbage line", "this is not HTTP at all \x01\x02\x03\xff\r\n\r\n"},
      {"binary noise",
       std::string("\x00\x16\x03\x01\xde\xad\xbe\xef", 8) + std::string(300, '\x7f')},
      {"bad request line", "GET\r\n\r\n"},
      {"bad header", "GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"},
      {"huge header",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fill: " + std::string(40000, 'a') + "\r\n\r\n"},
      {"negative length",
       "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
       "\r\nContent-Length: -5\r\n\r\n{}"},
      {"conflicting length",
       "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
       "\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}"},
      {"bad chunking",
       "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
       "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
      {"truncated body",
       "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
       "\r\nContent-Length: 100\r\n\r\n{\"username\":\"adm"},
      {"truncated headers", "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Ty"},
  };
  for (const auto& [name, bytes] : raw_inputs) {
    SCOPED_TRACE(name);
    RawConnection raw;
    ASSERT_TRUE(raw.open(port_, true, cert_file().string())) << raw.error();
    raw.send(bytes);
    raw.finish_sending();
    bool closed = false;
    const std::string answer = raw.read_until_closed(milliseconds(10000), &closed);
    EXPECT_TRUE(closed) << "the daemon should close the connection";
    if (!answer.empty()) {
      EXPECT_EQ(answer.rfind("HTTP/1.1 4", 0), 0u) << answer.substr(0, 200);
    }
    EXPECT_TRUE(daemon_.running());
  }

  // Plain text on the TLS port, and a client that connects and says nothing.
  {
    RawConnection plain;
    ASSERT_TRUE(plain.open(port_, false, {})) << plain.error();
    plain.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    bool closed = false;
    const std::string answer = plain.read_until_closed(milliseconds(10000), &closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(answer.find("200 OK"), std::string::npos);
  }
  RawConnection silent;
  ASSERT_TRUE(silent.open(port_, false, {})) << silent.error();

  // Still serving, on a fresh connection and on the old one.
  auto target = provisioning::parse_server_url(server_url(), cert_file().string());
  ASSERT_TRUE(target.ok());
  provisioning::HttpsClient fresh(target.value());
  auto health = fresh.request("GET", "/healthz");
  ASSERT_TRUE(health.ok()) << health.error().message;
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body, nullptr, false).value("status", ""), "ok");
  EXPECT_EQ(get("/v1/session", admin).status, 200);
}

}  // namespace
}  // namespace integration
