// docs/openapi.yaml against the router: every documented path and method is
// served (neither 404 nor 405), and every lifecycle route is documented.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "authd/router.h"
#include "stub_service.h"

namespace authd_test {
namespace {

struct Operation {
  std::string method;  // upper case
  std::string path;    // as documented, with {params}
  bool operator<(const Operation& o) const {
    return std::tie(path, method) < std::tie(o.path, o.method);
  }
};

// The paths section's "  /path:" and "    method:" lines.
std::set<Operation> documented() {
  std::ifstream in(AUTHD_OPENAPI);
  EXPECT_TRUE(in) << AUTHD_OPENAPI;
  std::set<Operation> out;
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') break;  // components:
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    for (const char* method : {"get", "post", "patch", "put", "delete"}) {
      if (line == std::string("    ") + method + ":") {
        std::string upper = method;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out.insert({upper, path});
      }
    }
  }
  return out;
}

std::string concrete(std::string path) {
  if (path == "/ui/{file}") return "/ui/login.html";  // only known pages exist
  for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{')) {
    path.replace(open, path.find('}', open) - open + 1, "x");
  }
  return path;
}

TEST(OpenApiRoutesTest, EveryDocumentedOperationIsServed) {
  StubService service;
  authd::Router router(service);
  const std::set<Operation> operations = documented();
  ASSERT_GT(operations.size(), 30u);
  for (const Operation& op : operations) {
    const std::string target = concrete(op.path);
    const authd::HttpResponse response =
        router.handle({op.method, target, "", "Bearer token", "", "192.0.2.1"});
    EXPECT_NE(response.status, 404) << op.method << " " << op.path << ": " << response.body;
    EXPECT_NE(response.status, 405) << op.method << " " << op.path << ": " << response.body;
  }
}

TEST(OpenApiRoutesTest, EveryLifecycleRouteIsDocumented) {
  const std::set<Operation> operations = documented();
  for (const Operation& op : std::vector<Operation>{
           {"PATCH", "/v1/users/{username}"},
           {"POST", "/v1/users/{username}/conditions"},
           {"POST", "/v1/users/{username}/approve"},
           {"POST", "/v1/users/{username}/reject"},
           {"POST", "/v1/users/{username}/suspend"},
           {"POST", "/v1/users/{username}/reactivate"},
           {"POST", "/v1/users/{username}/close"},
           {"POST", "/v1/users/{username}/unlock"},
           {"POST", "/v1/users/{username}/review"},
           {"POST", "/v1/users/{username}/password-reset"},
           {"POST", "/v1/tokens/{id}/lost"},
           {"POST", "/v1/tokens/{id}/revoke"},
           {"POST", "/v1/tokens/{id}/return"},
           {"POST", "/v1/tokens/{id}/resync"},
           {"POST", "/v1/organisations/{id}/admin-rights"},
           {"POST", "/v1/sweep"},
           {"GET", "/v1/reports/{name}"},
           {"GET", "/v1/notifications"},
       }) {
    EXPECT_EQ(operations.count(op), 1u) << op.method << " " << op.path << " is not documented";
  }
}

}  // namespace
}  // namespace authd_test
