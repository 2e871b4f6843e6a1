// The web pages through the Router: GET / redirects, every file of
// authd/web/ is served byte for byte with its type and the pages' CSP, and
// nothing else is reachable under /ui/ (unknown names, dot segments, encoded
// slashes, other methods).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <cctype>
#include <utility>
#include <vector>
#include <set>
#include <string>

#include "authd/http_message.h"
#include "authd/router.h"
#include "stub_service.h"

namespace authd_test {
namespace {

namespace fs = std::filesystem;

const std::string kPageCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const std::string kApiCsp = "default-src 'none'; frame-ancestors 'none'";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string header(const authd::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

class StaticPagesTest : public ::testing::Test {
 protected:
  authd::HttpResponse get(const std::string& target, const std::string& method = "GET") {
    return router_.handle({method, target, "", "", "", "192.0.2.1"});
  }

  void expect_not_found(const std::string& target) {
    SCOPED_TRACE(target);
    const authd::HttpResponse response = get(target);
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(response.content_security_policy, kApiCsp);
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body.value("error", ""), "not_found");
  }

  StubService service_;  // the pages never reach the core
  authd::Router router_{service_};
};

TEST_F(StaticPagesTest, RootRedirectsToTheLoginPage) {
  const authd::HttpResponse response = get("/");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(header(response, "Location"), "/ui/login.html");
  EXPECT_EQ(response.content_security_policy, kApiCsp);
}

TEST_F(StaticPagesTest, EveryWebFileIsServedExactlyWithItsTypeAndThePageCsp) {
  const std::map<std::string, std::string> types = {{".html", "text/html; charset=utf-8"},
                                                    {".css", "text/css; charset=utf-8"},
                                                    {".js", "text/javascript; charset=utf-8"},
                                                    {".svg", "image/svg+xml"}};
  size_t pages = 0;
  for (const auto& entry : fs::directory_iterator(AUTHD_WEB_DIR)) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    const auto type = types.find(entry.path().extension().string());
    ASSERT_NE(type, types.end()) << "authd/web/ holds a file of a type the daemon does not serve";
    const authd::HttpResponse response = get("/ui/" + name);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, type->second);
    EXPECT_EQ(response.content_security_policy, kPageCsp);
    EXPECT_EQ(response.body, read_file(entry.path()));
    if (type->first == ".html") ++pages;
  }
  EXPECT_GE(pages, 5u);  // login, password, session, register-key, enrol-key
}

TEST_F(StaticPagesTest, ThePageCspAllowsNoInlineCodeAndNoOtherOrigin) {
  EXPECT_EQ(std::string(authd::kPageContentSecurityPolicy), kPageCsp);
  EXPECT_EQ(std::string(authd::kApiContentSecurityPolicy), kApiCsp);
  EXPECT_EQ(kPageCsp.find("unsafe"), std::string::npos);
  EXPECT_EQ(kPageCsp.find("http"), std::string::npos);
}

// Every `href="X"`, `src="X"` and `from './X'` in a page or script, without
// any #fragment or ?query. (No std::regex: GCC 12 warns inside <regex> in
// the sanitizer build, and warnings are errors.)
std::vector<std::string> references_in(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& [opening, closing] : {std::pair<std::string, char>{"href=\"", '"'},
                                         std::pair<std::string, char>{"src=\"", '"'},
                                         std::pair<std::string, char>{"from './", '\''}}) {
    for (size_t at = text.find(opening); at != std::string::npos;
         at = text.find(opening, at + 1)) {
      const size_t start = at + opening.size();
      const size_t end = text.find(closing, start);
      if (end == std::string::npos) break;
      std::string target = text.substr(start, end - start);
      target = target.substr(0, target.find_first_of("#?"));
      if (!target.empty()) out.push_back(target);
    }
  }
  return out;
}

// Inline code the page CSP would block: a <script> without src, a <style>
// element, a style="" attribute or an on...="" event handler.
bool has_inline_code(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text.find("<style") != std::string::npos) return true;
  for (size_t at = text.find("<script"); at != std::string::npos;
       at = text.find("<script", at + 1)) {
    const std::string tag = text.substr(at, text.find('>', at) - at);
    if (tag.find(" src=") == std::string::npos) return true;
  }
  for (size_t i = 1; i + 2 < text.size(); ++i) {
    if (!std::isspace(static_cast<unsigned char>(text[i - 1]))) continue;
    if (text.compare(i, 6, "style=") == 0) return true;
    if (text.compare(i, 2, "on") != 0) continue;
    size_t j = i + 2;
    while (j < text.size() && text[j] >= 'a' && text[j] <= 'z') ++j;
    if (j > i + 2 && j < text.size() && text[j] == '=') return true;
  }
  return false;
}

// What the pages reference (stylesheets, scripts, module imports, links to
// other pages) exists, and nothing is inline: the CSP would block it.
TEST_F(StaticPagesTest, PagesReferenceOnlyServedFilesAndHoldNoInlineCode) {
  EXPECT_TRUE(has_inline_code("<p onclick=\"x()\">"));
  EXPECT_TRUE(has_inline_code("<script>alert(1)</script>"));
  EXPECT_FALSE(has_inline_code("<script type=\"module\" src=\"login.js\"></script>"));
  for (const auto& entry : fs::directory_iterator(AUTHD_WEB_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".html" && ext != ".js") continue;
    const std::string text = read_file(entry.path());
    SCOPED_TRACE(entry.path().filename().string());
    if (ext == ".html") {
      EXPECT_FALSE(has_inline_code(text));
    }
    for (const std::string& target : references_in(text)) {
      SCOPED_TRACE(target);
      EXPECT_EQ(target.find(':'), std::string::npos) << "no external resources";
      EXPECT_EQ(get("/ui/" + target).status, 200);
    }
  }
}

TEST_F(StaticPagesTest, UnknownNamesAndPathTricksAre404) {
  for (const char* target : {
           "/ui/nothing.html",
           "/ui/LOGIN.HTML",
           "/ui/login.htm",
           "/ui",
           "/ui/",
           "/ui//login.html",
           "/ui/login.html/",
           "/ui/login.html/x",
           "/ui/./login.html",
           "/ui/../login.html",
           "/ui/../../authd.toml",
           "/ui/..",
           "/ui/%2e%2e",
           "/ui/..%2Fauthd.toml",
           "/ui/..%2fauthd.toml",
           "/ui/%2e%2e%2fpolicy.toml",
           "/ui/%2Flogin.html",
           "/ui/login.html%2F",
           "/ui/web%2Flogin.html",
           "/ui/..%5Clogin.html",
           "/ui/login.html%20",
           "/login.html",
           "/web/login.html",
           "/ui/embed_web.cmake",
       }) {
    expect_not_found(target);
  }
}

TEST_F(StaticPagesTest, AnEncodedNulIsABadRequest) {
  const authd::HttpResponse response = get("/ui/login.html%00");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_security_policy, kApiCsp);
}

TEST_F(StaticPagesTest, OtherMethodsAre405WithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE", "HEAD", "get"}) {
    SCOPED_TRACE(method);
    for (const char* target : {"/ui/login.html", "/"}) {
      SCOPED_TRACE(target);
      const authd::HttpResponse response = get(target, method);
      EXPECT_EQ(response.status, 405);
      EXPECT_EQ(header(response, "Allow"), "GET");
      EXPECT_EQ(response.content_security_policy, kApiCsp);
    }
  }
}

TEST_F(StaticPagesTest, QueryStringsAreRefused) {
  EXPECT_EQ(get("/ui/login.html?next=/v1/session").status, 400);
}

}  // namespace
}  // namespace authd_test
