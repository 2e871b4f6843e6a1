// Signed checkpoints, the export and the health report through the Router,
// with a real core and a real SoftHSM token.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <sstream>

#include "core/audit_evidence.h"
#include "router_fixture.h"

namespace authd_test {
namespace {

using nlohmann::json;

std::vector<uint8_t> base64_decode(const std::string& text) {
  std::vector<uint8_t> out(text.size());
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return {};
  size_t size = static_cast<size_t>(n);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;  // padding
  out.resize(size);
  return out;
}

// "2026-11-25T10:15:00.123Z": RFC 3339 UTC with exactly three fraction digits.
bool is_rfc3339_millis(const std::string& t) {
  if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != '.' || t[23] != 'Z') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  return true;
}

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line, nullptr, false));
  return out;
}

class AuditRoutesTest : public RouterTest {
 protected:
  // The audit public keys the server lists, as the verifier takes them.
  std::vector<core::TrustedKey> trusted_audit_keys() {
    std::vector<core::TrustedKey> keys;
    auto listed = service_->list_keys();
    EXPECT_TRUE(listed.ok());
    if (!listed.ok()) return keys;
    for (const core::KeyView& key : *listed) {
      if (key.purpose != "audit") continue;
      auto der = hsm::spki_der_from_pem(key.public_key_pem);
      EXPECT_TRUE(der.ok());
      if (der.ok()) keys.push_back({key.key_id, *der, std::nullopt, std::nullopt});
    }
    return keys;
  }
};

TEST_F(AuditRoutesTest, ACheckpointIsSignedByTheAuditKeyOverItsStatement) {
  const std::string session = admin_session();
  const authd::HttpResponse response = post("/v1/audit/checkpoints", "{}", session);
  ASSERT_EQ(response.status, 201) << response.body;
  const json view = json_of(response);
  ASSERT_TRUE(view["seq"].is_number_integer()) << response.body;
  EXPECT_GT(view["seq"].get<int64_t>(), 0);
  EXPECT_EQ(view.value("head_hash", "").size(), 64u) << response.body;
  EXPECT_TRUE(is_rfc3339_millis(view.value("at", ""))) << response.body;
  ASSERT_TRUE(view["at_ms"].is_number_integer());
  EXPECT_EQ(view["at_ms"].get<int64_t>() / 1000, common::unix_seconds(clock_->now()));

  // The statement is the exact text core signs, and the signature (standard
  // base64 of DER) verifies over it with the listed audit key.
  core::Checkpoint checkpoint;
  checkpoint.seq = view["seq"];
  checkpoint.head_hash = view["head_hash"];
  checkpoint.at = common::TimePoint(std::chrono::milliseconds(view["at_ms"].get<int64_t>()));
  checkpoint.key_id = view["key_id"];
  const std::string statement = view.value("statement", "");
  EXPECT_EQ(statement, core::checkpoint_statement(checkpoint));
  const std::vector<uint8_t> signature = base64_decode(view.value("signature", ""));
  ASSERT_FALSE(signature.empty()) << response.body;
  bool verified = false;
  for (const core::TrustedKey& key : trusted_audit_keys()) {
    if (key.key_id != checkpoint.key_id) continue;
    const std::vector<uint8_t> message(statement.begin(), statement.end());
    auto ok = hsm::verify_es256_der(key.spki_der, message, signature);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    verified = *ok;
  }
  EXPECT_TRUE(verified) << "no listed audit key verifies " << response.body;

  // A later listing has it.
  const authd::HttpResponse listed = get("/v1/audit/checkpoints", session);
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool found = false;
  const json listing = json_of(listed);
  for (const json& item : listing["checkpoints"]) found = found || item == view;
  EXPECT_TRUE(found) << response.body << "\n" << listed.body;
}

TEST_F(AuditRoutesTest, CheckpointListingPagesAndChecksItsQuery) {
  const std::string session = admin_session();
  std::vector<int64_t> made;
  for (int i = 0; i < 3; ++i) {
    const authd::HttpResponse response = post("/v1/audit/checkpoints", "", session);
    ASSERT_EQ(response.status, 201) << response.body;  // an empty body is as good as {}
    made.push_back(json_of(response)["seq"]);
  }
  const authd::HttpResponse page =
      get("/v1/audit/checkpoints?after=" + std::to_string(made[0]) + "&limit=1", session);
  ASSERT_EQ(page.status, 200) << page.body;
  const json checkpoints = json_of(page)["checkpoints"];
  ASSERT_EQ(checkpoints.size(), 1u) << page.body;
  // The next one after made[0] (the background checkpointer may add its own).
  EXPECT_GT(checkpoints[0]["seq"].get<int64_t>(), made[0]) << page.body;
  EXPECT_LE(checkpoints[0]["seq"].get<int64_t>(), made[1]) << page.body;

  for (const char* query : {"after=-1", "after=x", "limit=0", "limit=1001", "limit="}) {
    SCOPED_TRACE(query);
    const std::string field = std::string(query).substr(0, std::string(query).find('='));
    expect_error(get(std::string("/v1/audit/checkpoints?") + query, session), 400, "bad_request",
                 field);
  }
  expect_error(get("/v1/audit/checkpoints?from=1", session), 400, "bad_request", "from");
  expect_error(post("/v1/audit/checkpoints", R"({"seq":1})", session), 400, "bad_request", "seq");
  expect_error(post("/v1/audit/checkpoints", "[]", session), 400, "bad_request", "body");
}

TEST_F(AuditRoutesTest, TheExportIsJsonLinesThatVerifyWithThePublicKey) {
  const std::string session = admin_session();
  ASSERT_EQ(post("/v1/audit/checkpoints", "{}", session).status, 201);
  const authd::HttpResponse response = get("/v1/audit/export?from=1&to=1000", session);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/x-ndjson");
  EXPECT_EQ(header(response, "X-Next-From"), "");
  ASSERT_FALSE(response.body.empty());
  EXPECT_EQ(response.body.back(), '\n');

  int64_t entries = 0, checkpoints = 0, last_entry = 0;
  for (const json& line : json_lines(response.body)) {
    ASSERT_TRUE(line.is_object());
    if (line.value("type", "") == "entry") {
      EXPECT_EQ(line["seq"].get<int64_t>(), last_entry + 1) << line.dump();
      last_entry = line["seq"];
      ++entries;
    } else {
      ASSERT_EQ(line.value("type", ""), "checkpoint") << line.dump();
      EXPECT_EQ(line["seq"].get<int64_t>(), last_entry) << "right after the entry it covers";
      ++checkpoints;
    }
  }
  EXPECT_GE(entries, 3);
  EXPECT_GE(checkpoints, 1);

  std::istringstream lines(response.body);
  const core::TrailReport report = core::verify_audit_export(lines, trusted_audit_keys());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, entries);
  EXPECT_GE(report.checkpoints, 1);

  // The export itself is audited: a later export shows it.
  const authd::HttpResponse again = get("/v1/audit/export?from=1&to=1000", session);
  EXPECT_NE(again.body.find("\"audit.export\""), std::string::npos) << again.body;
}

TEST_F(AuditRoutesTest, TheExportRefusesABadRange) {
  const std::string session = admin_session();
  expect_error(get("/v1/audit/export?to=5", session), 400, "bad_request", "from");
  expect_error(get("/v1/audit/export?from=1", session), 400, "bad_request", "to");
  expect_error(get("/v1/audit/export?from=5&to=4", session), 400, "bad_request", "to");
  expect_error(get("/v1/audit/export?from=0&to=4", session), 400, "bad_request", "from");
  expect_error(get("/v1/audit/export?from=1&to=x", session), 400, "bad_request", "to");
  expect_error(get("/v1/audit/export?from=1&to=2&limit=3", session), 400, "bad_request", "limit");
  // Errors are JSON, whatever the success type.
  EXPECT_EQ(get("/v1/audit/export?to=5", session).content_type, "application/json");
}

TEST_F(AuditRoutesTest, OnlyAdministratorsWithAFullSessionReachTheAuditRoutes) {
  const std::string fresh = bootstrap_session();
  expect_error(post("/v1/audit/checkpoints", "{}", fresh), 403, "password_change_required");
  expect_error(get("/v1/audit/export?from=1&to=2", fresh), 403, "password_change_required");

  const std::string admin = admin_session();
  const std::string practitioner = practitioner_session(admin, "fern");
  expect_error(post("/v1/audit/checkpoints", "{}", practitioner), 403, "forbidden");
  expect_error(get("/v1/audit/checkpoints", practitioner), 403, "forbidden");
  expect_error(get("/v1/audit/export?from=1&to=2", practitioner), 403, "forbidden");

  expect_error(post("/v1/audit/checkpoints", "{}"), 401, "invalid_session");
  expect_error(get("/v1/audit/export?from=1&to=2"), 401, "invalid_session");
  expect_error(get("/v1/audit/checkpoints"), 401, "invalid_session");
}

TEST_F(AuditRoutesTest, HealthzReportsAFailingHsmWith503AndRecovers) {
  const std::string session = admin_session();
  ASSERT_EQ(post("/v1/audit/checkpoints", "{}", session).status, 201);
  authd::HttpResponse health = get("/healthz");
  ASSERT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json_of(health)["unsigned_entries"], 0) << health.body;
  EXPECT_TRUE(json_of(health)["last_checkpoint_at"].is_string()) << health.body;

  faults_->fail_all(true);
  expect_error(post("/v1/audit/checkpoints", "{}", session), 503, "unavailable");
  health = get("/healthz");
  EXPECT_EQ(health.status, 503) << health.body;
  const json failing = json_of(health);
  EXPECT_EQ(failing.value("status", ""), "failing") << health.body;
  EXPECT_EQ(failing.value("hsm", ""), "failing") << health.body;
  EXPECT_TRUE(failing["unsigned_entries"].is_number_integer()) << health.body;

  faults_->fail_all(false);
  ASSERT_EQ(post("/v1/audit/checkpoints", "{}", session).status, 201);
  health = get("/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json_of(health).value("status", ""), "ok") << health.body;
}

}  // namespace
}  // namespace authd_test
