// Suspension (guidance 4.34-4.39): by an administrator with a reason from
// the guidance's list and a written record; at once every session of the
// user ends (as requestor or mediator) and login is refused; the staff
// manager is told through the outbox.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class SuspendTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "sam", kPassword);
  }
  Result<LoginGrant> sam_login() { return login("sam", kPassword, next_code(uri_)); }

  static constexpr const char* kPassword = "sam's own passphrase";
  std::string uri_;
};

TEST_F(SuspendTest, EverySessionEndsAtOnceAndLoginIsRefused) {
  auto first = sam_login();
  auto second = sam_login();
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(service_->authenticate(first->session, "192.0.2.1").ok());  // cached now

  ActionRecord r = record("investigation", "unusual searches reported by the LA team");
  auto suspended = service_->suspend_user(admin_, "sam", r);
  ASSERT_TRUE(suspended.ok()) << suspended.error().message;
  EXPECT_EQ(suspended->state, "suspended");
  ASSERT_TRUE(suspended->last_change.has_value());
  EXPECT_EQ(suspended->last_change->reason, "investigation");
  EXPECT_EQ(suspended->last_change->note, "unusual searches reported by the LA team");
  EXPECT_EQ(suspended->last_change->requested_by, "admin");
  EXPECT_EQ(suspended->last_change->actor, "admin");

  // The very next request with either session is refused, cached or not.
  EXPECT_EQ(service_->authenticate(first->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(service_->authenticate(second->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
                    "u.username = 'sam' AND s.ended_at IS NULL"),
            0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions WHERE end_reason = 'account_suspended'"), 2);
  // Login is refused after both factors (and only then: a wrong password
  // still gets the generic answer).
  EXPECT_EQ(sam_login().error().code, Errc::account_suspended);
  EXPECT_EQ(login("sam", "wrong", next_code(uri_)).error().code, Errc::invalid_credentials);

  EXPECT_EQ(last_audit("user.suspend"), "success investigation");
  const std::string detail = sql_text(
      "SELECT detail FROM audit WHERE action = 'user.suspend' ORDER BY seq DESC LIMIT 1");
  EXPECT_NE(detail.find("\"sessions_ended\":2"), std::string::npos) << detail;
  EXPECT_NE(detail.find("unusual searches"), std::string::npos) << detail;
}

TEST_F(SuspendTest, MediatedSessionsEndToo) {
  // A session in which sam is the mediator (mediated access arrives with its
  // own issue; the row is made as it will make it).
  const std::string mia_uri = make_user(admin_, "mia", "mia's own passphrase");
  auto mia = login("mia", "mia's own passphrase", next_code(mia_uri));
  ASSERT_TRUE(mia.ok());
  ASSERT_TRUE(service_->authenticate(mia->session, "192.0.2.1").ok());
  sql("UPDATE sessions SET mediator_id = (SELECT id FROM users WHERE username = 'sam') WHERE "
      "user_id = (SELECT id FROM users WHERE username = 'mia')");
  ASSERT_TRUE(service_->suspend_user(admin_, "sam", record("suspicious_activity")).ok());
  EXPECT_EQ(service_->authenticate(mia->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM sessions WHERE end_reason = 'account_suspended' AND "
                    "user_id = (SELECT id FROM users WHERE username = 'mia')"),
            1);
}

TEST_F(SuspendTest, TheStaffManagerIsNotifiedWithoutTheNote) {
  ASSERT_TRUE(
      service_->suspend_user(admin_, "sam", record("extended_leave", "secondment, private")).ok());
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), 1);
  EXPECT_EQ(sql_text("SELECT kind || ' ' || recipient || ' ' || about FROM notifications"),
            "account.suspended manager.sam@example.org sam");
  const std::string body = sql_text("SELECT body FROM notifications");
  EXPECT_NE(body.find("extended leave"), std::string::npos) << body;
  EXPECT_EQ(body.find("secondment"), std::string::npos) << "the note stays in the record";
  EXPECT_EQ(sql_int("SELECT delivered_at IS NULL FROM notifications"), 1);
}

TEST_F(SuspendTest, TheAutomaticReasonsTellTheUserToo) {
  ASSERT_TRUE(service_->suspend_user(admin_, "sam", record("prolonged_inactivity")).ok());
  EXPECT_EQ(sql_text("SELECT group_concat(recipient, ',') FROM (SELECT recipient FROM notifications "
                     "ORDER BY id)"),
            "manager.sam@example.org,sam@example.org");
}

TEST_F(SuspendTest, NoManagerAddressMeansNoMessageButTheAuditSaysSo) {
  UserUpdate none;
  none.manager_email = "";
  ASSERT_TRUE(service_->update_user(admin_, "sam", none).ok());
  ASSERT_TRUE(service_->suspend_user(admin_, "sam", record("investigation")).ok());
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), 0);
  EXPECT_NE(sql_text("SELECT detail FROM audit WHERE action = 'user.suspend'")
                .find("\"manager_email\":\"none recorded\""),
            std::string::npos);
}

TEST_F(SuspendTest, TheWrittenRecordIsRequired) {
  auto field_of = [&](const ActionRecord& r) {
    auto result = service_->suspend_user(admin_, "sam", r);
    EXPECT_FALSE(result.ok());
    if (result.ok()) return std::string("<ok>");
    EXPECT_EQ(result.error().code, Errc::bad_request);
    return result.error().field;
  };
  EXPECT_EQ(field_of(record("", "note")), "reason");
  EXPECT_EQ(field_of(record("holiday", "note")), "reason");
  EXPECT_EQ(field_of(record("investigation", "")), "note");
  EXPECT_EQ(field_of(record("investigation", "   ")), "note");
  ActionRecord r = record("suspended_by_employer", "employer's letter of 2 Jan");
  r.requested_by = "HR, Example Trust";
  EXPECT_EQ(field_of(r), "verified_by");
  EXPECT_EQ(sql_text("SELECT state FROM users WHERE username = 'sam'"), "active");
  // A request from someone else, verified (4.35).
  r.verified_by = "phoned HR back on the number on file";
  auto done = service_->suspend_user(admin_, "sam", r);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->last_change->requested_by, "HR, Example Trust");
  EXPECT_EQ(done->last_change->verified_by, "phoned HR back on the number on file");
}

TEST_F(SuspendTest, OnlyAnActiveAccountCanBeSuspended) {
  ASSERT_TRUE(service_->suspend_user(admin_, "sam", record("investigation")).ok());
  auto again = service_->suspend_user(admin_, "sam", record("investigation"));
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_EQ(again.error().message, "the account is already suspended");
  EXPECT_EQ(last_audit("user.suspend"), "failure illegal_transition");
  nominate("nora");
  EXPECT_EQ(service_->suspend_user(admin_, "nora", record("investigation")).error().code,
            Errc::conflict);
  EXPECT_EQ(service_->suspend_user(admin_, "nobody", record("investigation")).error().code,
            Errc::not_found);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM notifications"), 1);  // refusals tell nobody
}

TEST_F(SuspendTest, OutsideTheScopeTheAccountIsNotFound) {
  ASSERT_TRUE(
      service_->create_organisation(admin_, {"LA-002", "Second", "local_authority", ""}).ok());
  Principal other = administrator("la2-admin", "LA-002");
  EXPECT_EQ(service_->suspend_user(other, "sam", record("investigation")).error().code,
            Errc::not_found);
  EXPECT_EQ(last_audit("user.suspend"), "failure out_of_scope");
  EXPECT_EQ(sql_text("SELECT state FROM users WHERE username = 'sam'"), "active");
}

TEST_F(SuspendTest, AnAdministratorSuspendedLosesTheirRightsAtOnce) {
  Principal la = administrator("la-admin", "LA-001");
  ASSERT_TRUE(service_->get_user(la, "sam").ok());
  ASSERT_TRUE(service_->suspend_user(admin_, "la-admin", record("investigation")).ok());
  EXPECT_EQ(service_->get_user(la, "sam").error().code, Errc::invalid_session);
}

}  // namespace
}  // namespace core::testing
