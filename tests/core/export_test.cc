// Exports for investigators: JSON lines that verify offline with the public
// keys alone, and fail when changed.
#include <sstream>

#include "test_support.h"

namespace core::testing {
namespace {

class ExportTest : public CoreTest {
 protected:
  std::string lines_of(const AuditExport& out) {
    // Entries and checkpoints in seq order, each checkpoint after its entry.
    std::string text;
    size_t c = 0;
    for (const auto& e : out.entries) {
      text += export_line(e) + "\n";
      while (c < out.checkpoints.size() && out.checkpoints[c].seq == e.seq) {
        text += export_line(out.checkpoints[c++]) + "\n";
      }
    }
    return text;
  }
  TrailReport check(const std::string& text) {
    std::istringstream in(text);
    return verify_audit_export(in, trusted_keys());
  }
};

TEST_F(ExportTest, AWholeExportVerifiesAndATamperedOneDoesNot) {
  init_and_open();
  Principal admin = admin_session();
  make_user(admin, "ann", "ann's long password");
  ASSERT_TRUE(service_->checkpoint_audit(admin).ok());
  const int64_t head = sql_int("SELECT MAX(seq) FROM audit");
  auto out = service_->export_audit(admin, 1, head);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_FALSE(out->truncated);
  ASSERT_EQ(out->entries.size(), static_cast<size_t>(head));
  EXPECT_GE(out->checkpoints.size(), 2u);
  const std::string text = lines_of(*out);
  auto report = check(text);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, head);
  EXPECT_EQ(report.unsigned_tail, 0);
  // The export itself is on record.
  EXPECT_EQ(sql_text("SELECT action FROM audit ORDER BY seq DESC LIMIT 1"), "audit.export");

  // One character of one entry changed.
  std::string altered = text;
  const auto at = altered.find("\"actor\":\"admin\"");
  ASSERT_NE(at, std::string::npos);
  altered.replace(at, 15, "\"actor\":\"amdin\"");
  auto bad = check(altered);
  EXPECT_FALSE(bad.ok);
  EXPECT_TRUE(bad.first_bad_seq.has_value());
  // A line removed from the middle.
  std::string removed = text;
  const auto line3 = removed.find("\"seq\":3,");
  const auto start = removed.rfind('\n', line3) + 1;
  removed.erase(start, removed.find('\n', line3) + 1 - start);
  auto gap = check(removed);
  EXPECT_FALSE(gap.ok);
  EXPECT_EQ(gap.first_bad_seq.value_or(-1), 3);
  // The last entry cut off, its checkpoint kept.
  std::string cut = text;
  const auto last_entry = cut.rfind("{\"type\":\"entry\"");
  const auto end = cut.find('\n', last_entry) + 1;
  cut.erase(last_entry, end - last_entry);
  auto truncated = check(cut);
  EXPECT_FALSE(truncated.ok);
  EXPECT_EQ(truncated.first_bad_seq.value_or(-1), head);
  // Garbage.
  EXPECT_FALSE(check(text + "not json\n").ok);
}

TEST_F(ExportTest, ToExtendsToTheNextCheckpointAndAPartialExportVerifies) {
  init_and_open();
  Principal admin = admin_session();
  const int64_t middle = sql_int("SELECT MAX(seq) FROM audit");
  make_user(admin, "ann", "ann's long password");
  auto cp = service_->checkpoint_audit(admin);
  ASSERT_TRUE(cp.ok());
  auto out = service_->export_audit(admin, 3, middle);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->entries.front().seq, 3);
  EXPECT_EQ(out->entries.back().seq, cp->seq);  // reached forward to the checkpoint
  ASSERT_FALSE(out->checkpoints.empty());
  EXPECT_EQ(out->checkpoints.back().seq, cp->seq);
  auto report = check(lines_of(*out));
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.unsigned_tail, 0);
}

TEST_F(ExportTest, RefusalsAndTheCap) {
  init_and_open();
  Principal admin = admin_session();
  EXPECT_EQ(service_->export_audit(admin, 0, 5).error().field, "from");
  EXPECT_EQ(service_->export_audit(admin, 5, 4).error().field, "to");
  // Beyond the head: what there is, not truncated.
  auto all = service_->export_audit(admin, 1, 1000000);
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(all->truncated);
}

TEST_F(ExportTest, ExportLineFormat) {
  AuditEntry e;
  e.seq = 7;
  e.at = common::from_unix_seconds(1767225600);
  e.actor = "admin";
  e.subject = "ann";
  e.action = "user.create";
  e.outcome = "success";
  e.reason = "ok";
  e.source_address = "192.0.2.1";
  e.detail = R"({"roles":["practitioner"],"organisation":"LA-001"})";
  e.prev_hash = "aa";
  e.hash = "bb";
  EXPECT_EQ(
      export_line(e),
      R"({"type":"entry","seq":7,"at":"2026-01-01T00:00:00Z","actor":"admin","subject":"ann",)"
      R"("action":"user.create","outcome":"success","reason":"ok","source_address":"192.0.2.1",)"
      R"("detail":{"roles":["practitioner"],"organisation":"LA-001"},"prev_hash":"aa","hash":"bb"})");
  Checkpoint c;
  c.seq = 7;
  c.head_hash = "bb";
  c.at = common::TimePoint(std::chrono::milliseconds(1767225600123));
  c.key_id = "kid";
  c.signature = {0x30, 0x01, 0xff};
  EXPECT_EQ(export_line(c),
            R"({"type":"checkpoint","seq":7,"head_hash":"bb","at_ms":1767225600123,"key_id":"kid",)"
            R"("signature":"MAH/","statement":"authd-audit-checkpoint-v1\nseq=7\nhead=bb\n)"
            R"(at_ms=1767225600123\nkey_id=kid\n"})");
}

}  // namespace
}  // namespace core::testing
