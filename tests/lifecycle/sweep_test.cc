// The automatic rules run by the scheduler and by `authctl sweep`, with the
// fake clock moving days and years: vetting warnings 60 and 30 days before
// the disclosure stops counting (once each), suspension on the day it does,
// dormant accounts, long-pending nominations, expired temporary tokens.
#include "accounts/conditions.h"
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;
using namespace std::chrono_literals;

constexpr int64_t kDay = 86400;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class SweepTest : public AccountsTest {
 protected:
  // Midnight UTC of `date` ("YYYY-MM-DD") plus `seconds`.
  void set_clock(const std::string& date, int64_t seconds = 0) {
    const auto day = accounts::parse_date(date);
    ASSERT_TRUE(day.has_value()) << date;
    clock_->set(common::from_unix_seconds(*day * kDay + seconds));
  }
  SweepResult sweep() {
    auto result = service_->run_scheduled_sweep();
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : SweepResult{};
  }
  std::string state_of(const std::string& username) const {
    return sql_text("SELECT state FROM users WHERE username = '" + username + "'");
  }
  int64_t notifications_to(const std::string& recipient, const std::string& kind) const {
    return sql_int("SELECT COUNT(*) FROM notifications WHERE recipient = '" + recipient +
                   "' AND kind = '" + kind + "'");
  }
};

// nominee() records a disclosure dated 2025-06-01: with vetting_valid_days
// 1095 it stops counting on 2028-05-31 (three years of 365 days, 2028 being
// a leap year). The user logs in now and then so dormancy stays out of it.
class VettingSweepTest : public SweepTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    policy_.lifecycle.dormant_after_days = 3650;
    init_and_open();
    admin_ = admin_session();
    uri_ = make_user(admin_, "vic", kPassword);
  }
  static constexpr const char* kPassword = "vic's own passphrase";
  std::string uri_;
};

TEST_F(VettingSweepTest, WarningsSixtyAndThirtyDaysBeforeEachSentOnce) {
  set_clock("2028-03-31");  // 61 days before 2028-05-31
  EXPECT_TRUE(sweep().warned_vetting.empty());
  EXPECT_EQ(notifications_to("vic@example.org", "vetting.warning"), 0);

  set_clock("2028-04-01");  // exactly 60 days left
  auto first = sweep();
  EXPECT_EQ(first.warned_vetting, std::vector<std::string>{"vic:60"});
  EXPECT_EQ(notifications_to("vic@example.org", "vetting.warning"), 1);
  EXPECT_EQ(notifications_to("manager.vic@example.org", "vetting.warning"), 1);
  EXPECT_EQ(sql_int("SELECT vetting_warned_days FROM users WHERE username = 'vic'"), 60);
  EXPECT_EQ(sql_text("SELECT actor || ' ' || subject || ' ' || outcome FROM audit WHERE action = "
                     "'vetting.warning'"),
            "authd-sweep vic success");
  const auto subject =
      sql_text("SELECT subject FROM notifications WHERE recipient = 'vic@example.org'");
  EXPECT_EQ(subject, "Your vetting disclosure needs renewing in 60 days");
  const auto body = sql_text("SELECT body FROM notifications WHERE recipient = 'vic@example.org'");
  EXPECT_NE(body.find("2028-05-31"), std::string::npos) << body;

  // Idempotent: the same run again, and later runs in the same window, send nothing.
  EXPECT_TRUE(sweep().warned_vetting.empty());
  set_clock("2028-04-30");  // 31 days left
  EXPECT_TRUE(sweep().warned_vetting.empty());
  EXPECT_EQ(notifications_to("vic@example.org", "vetting.warning"), 1);

  set_clock("2028-05-01");  // exactly 30 days left
  EXPECT_EQ(sweep().warned_vetting, std::vector<std::string>{"vic:30"});
  EXPECT_TRUE(sweep().warned_vetting.empty());
  EXPECT_EQ(notifications_to("vic@example.org", "vetting.warning"), 2);
  EXPECT_EQ(notifications_to("manager.vic@example.org", "vetting.warning"), 2);
  EXPECT_EQ(state_of("vic"), "active");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'vetting.warning'"), 2);
}

TEST_F(VettingSweepTest, OnTheDayTheDisclosureStopsCountingTheAccountIsSuspended) {
  set_clock("2028-05-30", kDay - 1);  // the last second it still counts
  auto before = sweep();
  EXPECT_TRUE(before.suspended_vetting_expired.empty());
  EXPECT_EQ(state_of("vic"), "active");

  set_clock("2028-05-31");
  auto grant = login("vic", kPassword, next_code(uri_));  // a live session to end
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  ASSERT_TRUE(service_->authenticate(grant->session, "192.0.2.1").ok());
  auto result = sweep();
  EXPECT_EQ(result.suspended_vetting_expired, std::vector<std::string>{"vic"});
  EXPECT_EQ(state_of("vic"), "suspended");
  EXPECT_EQ(sql_text("SELECT change_reason || ' ' || change_actor FROM users WHERE username = "
                     "'vic'"),
            "vetting_expired authd-sweep");
  EXPECT_EQ(last_audit("user.suspend"), "success vetting_expired");
  EXPECT_EQ(sql_text("SELECT actor FROM audit WHERE action = 'user.suspend'"), "authd-sweep");
  // Its sessions end at once and login is refused.
  EXPECT_EQ(service_->authenticate(grant->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(login("vic", kPassword, next_code(uri_)).error().code, Errc::account_suspended);
  // The manager and the user are told.
  EXPECT_EQ(notifications_to("manager.vic@example.org", "account.suspended"), 1);
  EXPECT_EQ(notifications_to("vic@example.org", "account.suspended"), 1);
  // And not twice.
  EXPECT_TRUE(sweep().suspended_vetting_expired.empty());
  EXPECT_EQ(notifications_to("manager.vic@example.org", "account.suspended"), 1);
}

TEST_F(VettingSweepTest, ARenewedDisclosureRestartsTheWarnings) {
  set_clock("2028-04-02");
  EXPECT_EQ(sweep().warned_vetting, std::vector<std::string>{"vic:60"});
  admin_ = admin_again();
  ConditionsUpdate renewed;
  renewed.vetting_disclosure_on = "2028-03-01";
  ASSERT_TRUE(service_->record_conditions(admin_, "vic", renewed).ok());
  EXPECT_TRUE(sweep().warned_vetting.empty());
  // 2028-03-01 + 1095 days = 2031-03-01; 60 days before is 2030-12-31.
  set_clock("2030-12-31");
  EXPECT_EQ(sweep().warned_vetting, std::vector<std::string>{"vic:60"});
}

class DormantSweepTest : public SweepTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "dora", "dora's own passphrase");
    last_login_ = sql_int("SELECT last_login_at FROM users WHERE username = 'dora'");
  }
  std::string uri_;
  int64_t last_login_ = 0;
};

TEST_F(DormantSweepTest, NinetyDaysWithoutALoginSuspends) {
  clock_->set(common::from_unix_seconds(last_login_ + 89 * kDay));
  admin_ = admin_again();  // the administrator is not dormant
  clock_->set(common::from_unix_seconds(last_login_ + 90 * kDay - 1));
  EXPECT_TRUE(sweep().suspended_dormant.empty());
  EXPECT_EQ(state_of("dora"), "active");
  clock_->set(common::from_unix_seconds(last_login_ + 90 * kDay));
  auto result = sweep();
  EXPECT_EQ(result.suspended_dormant, std::vector<std::string>{"dora"});
  EXPECT_EQ(state_of("dora"), "suspended");
  EXPECT_EQ(sql_text("SELECT change_reason FROM users WHERE username = 'dora'"),
            "prolonged_inactivity");
  EXPECT_EQ(sql_text("SELECT change_note FROM users WHERE username = 'dora'"),
            "no login for 90 days");
  EXPECT_TRUE(sweep().suspended_dormant.empty());
}

TEST_F(DormantSweepTest, AnAccountNeverUsedCountsFromItsApproval) {
  nominate("newt");
  clock_->advance(std::chrono::hours(24 * 10));
  admin_ = admin_again();
  ASSERT_TRUE(service_->approve_user(admin_, "newt").ok());
  const int64_t approved = common::unix_seconds(clock_->now());
  clock_->set(common::from_unix_seconds(approved + 90 * kDay - 1));
  EXPECT_FALSE(contains(sweep().suspended_dormant, "newt"));
  clock_->set(common::from_unix_seconds(approved + 90 * kDay));
  EXPECT_TRUE(contains(sweep().suspended_dormant, "newt"));
  EXPECT_EQ(sql_text("SELECT change_note FROM users WHERE username = 'newt'"),
            "never logged in, 90 days since the account became active");
}

TEST_F(SweepTest, NominationsPendingTooLongAreListedNotChanged) {
  nominate("pat");
  const int64_t nominated = common::unix_seconds(clock_->now());
  clock_->set(common::from_unix_seconds(nominated + 14 * kDay - 1));
  EXPECT_FALSE(contains(sweep().pending_too_long, "pat"));
  clock_->set(common::from_unix_seconds(nominated + 14 * kDay));
  EXPECT_TRUE(contains(sweep().pending_too_long, "pat"));
  EXPECT_EQ(state_of("pat"), "nominated");
}

TEST_F(SweepTest, AnExpiredTemporaryTokenIsRevoked) {
  make_user(admin_, "tam", "tam's own passphrase");
  auto user = service_->get_user(admin_, "tam");
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(service_->report_token_lost(admin_, user->tokens[0].token_id, "lost on a bus").ok());
  auto temporary = service_->issue_temporary_token(admin_, "tam", "totp");
  ASSERT_TRUE(temporary.ok()) << temporary.error().message;
  const int64_t issued = common::unix_seconds(clock_->now());
  clock_->set(common::from_unix_seconds(issued + 10 * kDay - 1));
  EXPECT_TRUE(sweep().expired_temporary_tokens.empty());
  clock_->set(common::from_unix_seconds(issued + 10 * kDay));
  EXPECT_EQ(sweep().expired_temporary_tokens, std::vector<std::string>{temporary->token_id});
  EXPECT_EQ(sql_text("SELECT state FROM tokens WHERE id = '" + temporary->token_id + "'"),
            "revoked");
  EXPECT_EQ(last_audit("token.revoke"), "success temporary_expired");
  EXPECT_TRUE(sweep().expired_temporary_tokens.empty());
}

TEST_F(SweepTest, EachRunIsAuditedWithItsActor) {
  ASSERT_TRUE(service_->run_scheduled_sweep().ok());
  EXPECT_EQ(sql_text("SELECT actor FROM audit WHERE action = 'sweep.run' ORDER BY seq DESC LIMIT 1"),
            "authd-sweep");
  ASSERT_TRUE(service_->sweep(admin_).ok());
  EXPECT_EQ(sql_text("SELECT actor FROM audit WHERE action = 'sweep.run' ORDER BY seq DESC LIMIT 1"),
            "admin");
  EXPECT_TRUE(verify().ok);
}

TEST_F(SweepTest, OnDemandSweepNeedsThePermission) {
  const Principal practitioner = administrator("pia", "LA-001", {"practitioner"});
  auto refused = service_->sweep(practitioner);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::forbidden);
  EXPECT_EQ(last_audit("sweep.run"), "failure forbidden");
}

// The actions happen everywhere; the answer names only accounts in the
// caller's scope.
TEST_F(SweepTest, AnOnDemandSweepReportsOnlyTheCallersScope) {
  Organisation other{"LA-002", "Local Authority 002", "local_authority", ""};
  ASSERT_TRUE(service_->create_organisation(admin_, other).ok());
  nominate("pat");  // LA-001
  clock_->advance(std::chrono::hours(24 * 15));
  admin_ = admin_again();
  auto lams = service_->sweep(administrator("lam", "LA-002", {"la_manager"}));
  ASSERT_TRUE(lams.ok()) << lams.error().message;
  EXPECT_FALSE(contains(lams->pending_too_long, "pat"));
  auto central = service_->sweep(admin_);
  ASSERT_TRUE(central.ok());
  EXPECT_TRUE(contains(central->pending_too_long, "pat"));
}

}  // namespace
}  // namespace core::testing
