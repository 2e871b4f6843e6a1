// Nomination, conditions of access and approval (guidance 2.7, 4.29-4.33):
// an account is created nominated; approval is refused with a 409 naming
// every unmet condition; rejection needs a reason and is final.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class ApproveTest : public AccountsTest {};

TEST_F(ApproveTest, NominatedAccountsHoldNoTokenUntilApproved) {
  nominate("nina");
  auto issued = service_->issue_token(admin_, "nina", "totp");
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, Errc::conflict);
  EXPECT_NE(issued.error().message.find("nominated"), std::string::npos);
  EXPECT_EQ(last_audit("token.issue"), "failure account_not_active");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE u.username = 'nina'"),
            0);

  auto approved = service_->approve_user(admin_, "nina");
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->state, "active");
  ASSERT_TRUE(approved->last_change.has_value());
  EXPECT_EQ(approved->last_change->state, "active");
  EXPECT_EQ(approved->last_change->actor, "admin");
  EXPECT_EQ(approved->last_change->at, clock_->now());
  EXPECT_EQ(last_audit("user.approve"), "success ok");
  EXPECT_TRUE(service_->issue_token(admin_, "nina", "totp").ok());
}

TEST_F(ApproveTest, RefusalNamesEveryUnmetCondition) {
  NewUser bare = nominee("bare", "Bare", "LA-001", {"practitioner"}, "first password of bare");
  bare.conditions = AccessConditions{};
  ASSERT_TRUE(service_->create_user(admin_, bare).ok());
  auto refused = service_->approve_user(admin_, "bare");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_EQ(refused.error().message,
            "conditions of access not met: need for access not recorded; accredited ContactPoint "
            "training not recorded; local training not recorded; enhanced vetting disclosure not "
            "recorded");
  EXPECT_EQ(last_audit("user.approve"), "failure conditions_unmet");
  EXPECT_EQ(sql_text("SELECT state FROM users WHERE username = 'bare'"), "nominated");

  // Recording the evidence, in parts, until every condition is met.
  ConditionsUpdate some;
  some.need = "safeguarding lead for the area";
  some.accredited_training_on = "2025-12-01";
  ASSERT_TRUE(service_->record_conditions(admin_, "bare", some).ok());
  refused = service_->approve_user(admin_, "bare");
  EXPECT_EQ(refused.error().message,
            "conditions of access not met: local training not recorded; enhanced vetting "
            "disclosure not recorded");
  ConditionsUpdate rest;
  rest.local_training_on = "2025-12-02";
  rest.vetting_disclosure_on = "2024-03-01";
  rest.vetting_basis = "employer_confirmation";
  rest.vetting_confirmed_by = "HR, Example Trust";
  rest.vetting_confirmed_on = "2025-11-30";
  auto recorded = service_->record_conditions(admin_, "bare", rest);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  EXPECT_EQ(recorded->conditions.vetting_confirmed_by, "HR, Example Trust");
  EXPECT_EQ(recorded->conditions.need, "safeguarding lead for the area");
  EXPECT_TRUE(service_->approve_user(admin_, "bare").ok());
}

TEST_F(ApproveTest, AnOldVettingDisclosureIsNamedWithItsDate) {
  NewUser old = nominee("olive", "Olive", "LA-001", {"practitioner"}, "first password of olive");
  old.conditions.vetting_disclosure_on = "2023-01-01";  // 1096 days before the fake today
  ASSERT_TRUE(service_->create_user(admin_, old).ok());
  auto refused = service_->approve_user(admin_, "olive");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "conditions of access not met: enhanced vetting disclosure older than 3 years "
            "(2023-01-01)");
  // 1094 days old: still valid.
  ConditionsUpdate renewed;
  renewed.vetting_disclosure_on = "2023-01-03";
  ASSERT_TRUE(service_->record_conditions(admin_, "olive", renewed).ok());
  EXPECT_TRUE(service_->approve_user(admin_, "olive").ok());
}

TEST_F(ApproveTest, BarringSchemeOnlyWhileThePolicySwitchIsOn) {
  policy_.lifecycle.barring_scheme_required = true;
  service_.reset();
  service_ = reopen();
  ASSERT_TRUE(service_);
  nominate("barry");
  auto refused = service_->approve_user(admin_, "barry");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "conditions of access not met: barring scheme membership not recorded");
  ConditionsUpdate member;
  member.barring_scheme_ref = "VBS-0001-2345";
  ASSERT_TRUE(service_->record_conditions(admin_, "barry", member).ok());
  EXPECT_TRUE(service_->approve_user(admin_, "barry").ok());
}

TEST_F(ApproveTest, IllegalTransitionsAreConflictsThatSayWhy) {
  nominate("ivy");
  ASSERT_TRUE(service_->approve_user(admin_, "ivy").ok());
  auto again = service_->approve_user(admin_, "ivy");
  EXPECT_EQ(again.error().code, Errc::conflict);
  EXPECT_NE(again.error().message.find("the account is active"), std::string::npos);
  EXPECT_EQ(last_audit("user.approve"), "failure illegal_transition");
  EXPECT_EQ(service_->reject_user(admin_, "ivy", record("too late")).error().code,
            Errc::conflict);
  ASSERT_TRUE(service_->close_user(admin_, "ivy", record("", "left the service")).ok());
  auto closed = service_->approve_user(admin_, "ivy");
  EXPECT_EQ(closed.error().code, Errc::conflict);
  EXPECT_EQ(closed.error().message, "the account is closed, for good");
  EXPECT_EQ(service_->approve_user(admin_, "nobody-here").error().code, Errc::not_found);
}

TEST_F(ApproveTest, RejectionNeedsAReasonAndIsFinal) {
  nominate("rex");
  auto no_reason = service_->reject_user(admin_, "rex", ActionRecord{});
  EXPECT_EQ(no_reason.error().code, Errc::bad_request);
  EXPECT_EQ(no_reason.error().field, "reason");
  auto rejected = service_->reject_user(admin_, "rex", record("no need for access in this role"));
  ASSERT_TRUE(rejected.ok()) << rejected.error().message;
  EXPECT_EQ(rejected->state, "rejected");
  EXPECT_EQ(rejected->last_change->reason, "no need for access in this role");
  EXPECT_EQ(last_audit("user.reject"), "success ok");
  EXPECT_EQ(service_->approve_user(admin_, "rex").error().code, Errc::conflict);
  EXPECT_EQ(service_->issue_token(admin_, "rex", "totp").error().code, Errc::conflict);
  ConditionsUpdate u;
  u.need = "changed mind";
  EXPECT_EQ(service_->record_conditions(admin_, "rex", u).error().code, Errc::conflict);
  EXPECT_EQ(sql_text("SELECT state FROM users WHERE username = 'rex'"), "rejected");
}

TEST_F(ApproveTest, NominationValidatesTheNewFields) {
  auto field_of = [&](const NewUser& u) {
    auto r = service_->create_user(admin_, u);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string("<ok>");
    EXPECT_EQ(r.error().code, Errc::bad_request) << r.error().message;
    return r.error().field;
  };
  const NewUser good = nominee("fay", "Fay", "LA-001", {"practitioner"}, "first password of fay");
  NewUser u = good;
  u.email = "not-an-address";
  EXPECT_EQ(field_of(u), "email");
  u.email = "a@b@example.org";
  EXPECT_EQ(field_of(u), "email");
  u.email = "fay@example.org\r\nBcc: x@example.org";
  EXPECT_EQ(field_of(u), "email");
  u = good;
  u.manager_email = "boss at example.org";
  EXPECT_EQ(field_of(u), "manager_email");
  u = good;
  u.job_title = "line\none";
  EXPECT_EQ(field_of(u), "job_title");
  u = good;
  u.manager_name = std::string(201, 'm');
  EXPECT_EQ(field_of(u), "manager_name");
  u = good;
  u.conditions.vetting_disclosure_on = "2025-02-30";
  EXPECT_EQ(field_of(u), "vetting_disclosure_on");
  u = good;
  u.conditions.accredited_training_on = "2026-06-01";  // after the fake clock's today
  EXPECT_EQ(field_of(u), "accredited_training_on");
  u = good;
  u.conditions.vetting_basis = "rumour";
  EXPECT_EQ(field_of(u), "vetting_basis");
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM users WHERE username = 'fay'"), 0);
  // Optional fields may be left out.
  u = good;
  u.email = u.manager_email = u.manager_name = u.job_title = "";
  EXPECT_TRUE(service_->create_user(admin_, u).ok());
}

TEST_F(ApproveTest, ConditionsFormIsCheckedAndANewVettingDateRestartsWarnings) {
  nominate("val");
  ASSERT_TRUE(service_->approve_user(admin_, "val").ok());
  sql("UPDATE users SET vetting_warned_days = 60 WHERE username = 'val'");
  ConditionsUpdate bad;
  bad.vetting_confirmed_on = "2026-02-31";
  auto refused = service_->record_conditions(admin_, "val", bad);
  EXPECT_EQ(refused.error().code, Errc::bad_request);
  EXPECT_EQ(refused.error().field, "vetting_confirmed_on");
  ConditionsUpdate same;
  same.need = "still needed";
  ASSERT_TRUE(service_->record_conditions(admin_, "val", same).ok());
  EXPECT_EQ(sql_int("SELECT vetting_warned_days FROM users WHERE username = 'val'"), 60);
  ConditionsUpdate renewed;
  renewed.vetting_disclosure_on = "2025-12-20";
  ASSERT_TRUE(service_->record_conditions(admin_, "val", renewed).ok());
  EXPECT_EQ(sql_int("SELECT vetting_warned_days FROM users WHERE username = 'val'"), 0);
  EXPECT_EQ(sql_text("SELECT detail FROM audit WHERE action = 'user.conditions' ORDER BY seq "
                     "DESC LIMIT 1"),
            R"({"changed":["vetting_disclosure_on"],"unmet":0})");
}

TEST_F(ApproveTest, LoginIsRefusedForAnAccountNeverApproved) {
  const std::string uri = make_user(admin_, "nell", "nell's own passphrase");
  // As if the row said nominated (a token cannot be issued to one otherwise).
  sql("UPDATE users SET state = 'nominated' WHERE username = 'nell'");
  auto refused = login("nell", "nell's own passphrase", next_code(uri));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::account_suspended);
  EXPECT_NE(refused.error().message.find("not active"), std::string::npos);
  EXPECT_EQ(last_audit("login"), "failure account_not_active");
  // A wrong password still gets the generic answer: the state is told only
  // after both factors were right.
  EXPECT_EQ(login("nell", "wrong passphrase", next_code(uri)).error().code,
            Errc::invalid_credentials);
}

}  // namespace
}  // namespace core::testing
