// What the Router does when the core misbehaves: a fault injected below the
// handlers must become a generic 500, never a crash or a leak of details.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "authd/router.h"
#include "core/service.h"
#include "stub_service.h"

namespace {

class ThrowingService final : public authd_test::StubService {
 public:
  [[noreturn]] static void boom() { throw std::runtime_error("store exploded at /secret/path"); }
  common::Error unscripted(std::string_view) override { boom(); }
  common::Result<core::LoginGrant> login(const core::LoginRequest&) override { boom(); }
  common::Result<core::Principal> authenticate(std::string_view, std::string_view) override {
    boom();
  }
  common::Result<void> logout(const core::Principal&) override { boom(); }
  common::Result<void> change_password(const core::Principal&, std::string_view,
                                       std::string_view) override {
    boom();
  }
  common::Result<core::UserView> create_user(const core::Principal&,
                                             const core::NewUser&) override {
    boom();
  }
  common::Result<core::UserView> get_user(const core::Principal&, std::string_view) override {
    boom();
  }
  common::Result<std::vector<core::Organisation>> list_organisations(
      const core::Principal&) override {
    boom();
  }
  common::Result<core::Organisation> create_organisation(const core::Principal&,
                                                         const core::Organisation&) override {
    boom();
  }
  common::Result<core::IssuedTotp> issue_token(const core::Principal&, std::string_view,
                                               std::string_view) override {
    boom();
  }
  common::Result<core::TokenView> activate_token(const core::Principal&, std::string_view,
                                                 std::string_view) override {
    boom();
  }
  common::Result<std::vector<core::AuditEntry>> list_audit(const core::Principal&, int64_t,
                                                           int) override {
    boom();
  }
  common::Result<core::Checkpoint> checkpoint_audit(const core::Principal&) override { boom(); }
  common::Result<std::vector<core::Checkpoint>> list_checkpoints(const core::Principal&, int64_t,
                                                                 int) override {
    boom();
  }
  common::Result<core::AuditExport> export_audit(const core::Principal&, int64_t,
                                                 int64_t) override {
    boom();
  }
  common::Result<core::KeyView> rotate_key(const core::Principal&, std::string_view) override {
    boom();
  }
  common::Result<std::vector<core::KeyView>> list_keys() override { boom(); }
  common::Result<std::vector<core::KeyView>> list_keys(const core::Principal&) override { boom(); }
  core::HealthReport health() override { boom(); }
  common::Result<void> shutdown() override { return {}; }
};

TEST(RouterBoundary, AnExceptionBelowBecomesAGeneric500) {
  ThrowingService service;
  authd::Router router(service);
  const std::string body =
      R"({"username":"alice","password":"correct horse battery","otp":"123456"})";
  const authd::HttpResponse login =
      router.handle({"POST", "/v1/login", "application/json", "", body, "127.0.0.1"});
  EXPECT_EQ(login.status, 500);
  const auto parsed = nlohmann::json::parse(login.body);
  EXPECT_EQ(parsed["error"], "internal");
  EXPECT_EQ(login.body.find("exploded"), std::string::npos);
  EXPECT_EQ(login.body.find("/secret/path"), std::string::npos);
  EXPECT_EQ(login.body.find("correct horse"), std::string::npos);

  const authd::HttpResponse session =
      router.handle({"GET", "/v1/session", "", "Bearer abcdef", "", "127.0.0.1"});
  EXPECT_EQ(session.status, 500);

  // Even the open endpoints that ask the core fail closed and say nothing.
  for (const char* open : {"/healthz", "/.well-known/jwks.json"}) {
    const authd::HttpResponse answer = router.handle({"GET", open, "", "", "", "127.0.0.1"});
    EXPECT_EQ(answer.status, 500) << open;
    EXPECT_EQ(answer.body.find("exploded"), std::string::npos);
  }

  // Routing decisions that need no core still work.
  EXPECT_EQ(router.handle({"GET", "/nowhere", "", "", "", "127.0.0.1"}).status, 404);
}

}  // namespace
