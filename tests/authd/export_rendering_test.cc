// How the daemon renders the core's audit export, checked against a scripted
// core: line order, the paging header and what a client may send.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "authd/router.h"
#include "core/audit_evidence.h"
#include "core/service.h"
#include "stub_service.h"

namespace {

using nlohmann::json;

core::AuditEntry entry(int64_t seq) {
  core::AuditEntry e;
  e.seq = seq;
  e.at = common::from_unix_seconds(1'800'000'000 + seq);
  e.actor = "admin";
  e.subject = "-";
  e.action = "login";
  e.outcome = "success";
  e.detail = "{}";
  e.prev_hash = std::string(64, 'a');
  e.hash = std::string(64, 'b');
  return e;
}

core::Checkpoint checkpoint(int64_t seq) {
  core::Checkpoint c;
  c.seq = seq;
  c.head_hash = std::string(64, 'b');
  c.at = common::from_unix_seconds(1'800'000'100);
  c.key_id = "kid";
  c.signature = {0x30, 0x02, 0x01, 0x00};
  return c;
}

// Answers export_audit from a script and records the range asked for;
// everything else but authentication is out of scope here.
class ScriptedExportService final : public authd_test::StubService {
 public:
  core::AuditExport next;
  int64_t asked_from = -1, asked_to = -1;

  [[noreturn]] static void unused() { throw std::logic_error("not used by this test"); }
  common::Result<core::Principal> authenticate(std::string_view, std::string_view) override {
    core::Principal p;
    p.username = "admin";
    return p;
  }
  common::Result<core::AuditExport> export_audit(const core::Principal&, int64_t from,
                                                 int64_t to) override {
    asked_from = from;
    asked_to = to;
    return next;
  }
  common::Result<core::LoginGrant> login(const core::LoginRequest&) override { unused(); }
  common::Result<void> logout(const core::Principal&) override { unused(); }
  common::Result<void> change_password(const core::Principal&, std::string_view,
                                       std::string_view) override {
    unused();
  }
  common::Result<core::UserView> create_user(const core::Principal&,
                                             const core::NewUser&) override {
    unused();
  }
  common::Result<core::UserView> get_user(const core::Principal&, std::string_view) override {
    unused();
  }
  common::Result<std::vector<core::Organisation>> list_organisations(
      const core::Principal&) override {
    unused();
  }
  common::Result<core::Organisation> create_organisation(const core::Principal&,
                                                         const core::Organisation&) override {
    unused();
  }
  common::Result<core::IssuedTotp> issue_token(const core::Principal&, std::string_view,
                                               std::string_view) override {
    unused();
  }
  common::Result<core::TokenView> activate_token(const core::Principal&, std::string_view,
                                                 std::string_view) override {
    unused();
  }
  common::Result<std::vector<core::AuditEntry>> list_audit(const core::Principal&, int64_t,
                                                           int) override {
    unused();
  }
  common::Result<core::Checkpoint> checkpoint_audit(const core::Principal&) override { unused(); }
  common::Result<std::vector<core::Checkpoint>> list_checkpoints(const core::Principal&, int64_t,
                                                                 int) override {
    unused();
  }
  common::Result<core::KeyView> rotate_key(const core::Principal&, std::string_view) override {
    unused();
  }
  common::Result<std::vector<core::KeyView>> list_keys() override { unused(); }
  common::Result<std::vector<core::KeyView>> list_keys(const core::Principal&) override {
    unused();
  }
  core::HealthReport health() override { return {}; }
  common::Result<void> shutdown() override { return {}; }
};

authd::HttpResponse get(const authd::Router& router, const std::string& target) {
  return router.handle({"GET", target, "", "Bearer token", "", "127.0.0.1"});
}

std::string header(const authd::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

TEST(ExportRendering, EachCheckpointFollowsTheEntryItCoversInSeqOrder) {
  ScriptedExportService service;
  service.next.entries = {entry(4), entry(5), entry(6), entry(7)};
  service.next.checkpoints = {checkpoint(5), checkpoint(7)};
  authd::Router router(service);
  const authd::HttpResponse response = get(router, "/v1/audit/export?from=4&to=6");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(service.asked_from, 4);
  EXPECT_EQ(service.asked_to, 6);
  EXPECT_EQ(response.content_type, "application/x-ndjson");
  EXPECT_EQ(header(response, "X-Next-From"), "") << "not truncated";

  const std::string expected = core::export_line(entry(4)) + "\n" + core::export_line(entry(5)) +
                               "\n" + core::export_line(checkpoint(5)) + "\n" +
                               core::export_line(entry(6)) + "\n" + core::export_line(entry(7)) +
                               "\n" + core::export_line(checkpoint(7)) + "\n";
  EXPECT_EQ(response.body, expected);
}

TEST(ExportRendering, ATruncatedExportSaysWhereToContinue) {
  ScriptedExportService service;
  service.next.entries = {entry(10), entry(11)};
  service.next.truncated = true;
  authd::Router router(service);
  const authd::HttpResponse response = get(router, "/v1/audit/export?from=10&to=99999");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(header(response, "X-Next-From"), "12");
  std::istringstream lines(response.body);
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(json::parse(line, nullptr, false).is_object()) << line;
    ++count;
  }
  EXPECT_EQ(count, 2);
}

TEST(ExportRendering, AnEmptyRangeIsAnEmptyBody) {
  ScriptedExportService service;
  authd::Router router(service);
  const authd::HttpResponse response = get(router, "/v1/audit/export?from=500&to=600");
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(response.content_type, "application/x-ndjson");
}

}  // namespace
