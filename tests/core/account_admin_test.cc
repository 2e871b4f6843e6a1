// Maintaining accounts (4.26, 4.32): unlock, password reset, details, and
// the access review a change of role or job raises.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class AccountAdminTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    uri_ = make_user(admin_, "una", kPassword);
  }
  static constexpr const char* kPassword = "una's own passphrase";
  std::string uri_;
};

TEST_F(AccountAdminTest, UnlockClearsALockout) {
  EXPECT_EQ(service_->unlock_user(admin_, "una").error().code, Errc::conflict);
  EXPECT_EQ(last_audit("user.unlock"), "failure not_locked");
  sql("UPDATE users SET locked = 1, failed_logins = 10, throttle_until = 0 WHERE username = "
      "'una'");
  auto before = service_->get_user(admin_, "una");
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->locked);
  EXPECT_EQ(login("una", kPassword, next_code(uri_)).error().code, Errc::too_many_attempts);
  auto unlocked = service_->unlock_user(admin_, "una");
  ASSERT_TRUE(unlocked.ok()) << unlocked.error().message;
  EXPECT_FALSE(unlocked->locked);
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'una'"), 0);
  EXPECT_EQ(last_audit("user.unlock"), "success ok");
  EXPECT_TRUE(login("una", kPassword, next_code(uri_)).ok());
}

TEST_F(AccountAdminTest, PasswordResetGivesAOneTimePasswordAndEndsSessions) {
  auto grant = login("una", kPassword, next_code(uri_));
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(service_->authenticate(grant->session, "192.0.2.1").ok());
  clock_->advance(std::chrono::minutes(1));
  auto reset = service_->reset_password(admin_, "una");
  ASSERT_TRUE(reset.ok()) << reset.error().message;
  EXPECT_EQ(reset->size(), 20u);
  EXPECT_EQ(service_->authenticate(grant->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  EXPECT_EQ(sql_int("SELECT password_set_at FROM users WHERE username = 'una'"),
            common::unix_seconds(clock_->now()));
  EXPECT_EQ(login("una", kPassword, next_code(uri_)).error().code, Errc::invalid_credentials);
  auto fresh = login("una", *reset, next_code(uri_));
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_TRUE(fresh->must_change_password);
  EXPECT_EQ(last_audit("user.password_reset"), "success ok");
  // The password is nowhere in the trail.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE detail LIKE '%" + *reset + "%'"), 0);
  // Each reset is a new password.
  auto second = service_->reset_password(admin_, "una");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*second, *reset);
}

TEST_F(AccountAdminTest, OwnPasswordChangeIsRecordedToo) {
  auto who = session_of("una", kPassword, uri_);
  clock_->advance(std::chrono::minutes(2));
  ASSERT_TRUE(service_->change_password(who, kPassword, "una's next passphrase").ok());
  EXPECT_EQ(sql_int("SELECT password_set_at FROM users WHERE username = 'una'"),
            common::unix_seconds(clock_->now()));
}

TEST_F(AccountAdminTest, DetailsChangeAndAJobOrRoleChangeRaisesAReview) {
  UserUpdate contact;
  contact.display_name = "Una Example";
  contact.email = "una.example@example.org";
  contact.manager_name = "New Manager";
  contact.manager_email = "new.manager@example.org";
  auto updated = service_->update_user(admin_, "una", contact);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->display_name, "Una Example");
  EXPECT_EQ(updated->manager_email, "new.manager@example.org");
  EXPECT_FALSE(updated->access_review_required);

  UserUpdate job;
  job.job_title = "Team leader";
  updated = service_->update_user(admin_, "una", job);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->job_title, "Team leader");
  EXPECT_TRUE(updated->access_review_required);
  EXPECT_EQ(last_audit("user.update"), "success ok");

  // The review: by whoever may approve, with a note.
  EXPECT_EQ(service_->clear_access_review(admin_, "una", "").error().field, "note");
  auto reviewed = service_->clear_access_review(admin_, "una", "still needs access as lead");
  ASSERT_TRUE(reviewed.ok()) << reviewed.error().message;
  EXPECT_FALSE(reviewed->access_review_required);
  EXPECT_EQ(last_audit("user.review"), "success ok");
  auto nothing_due = service_->clear_access_review(admin_, "una", "again");
  EXPECT_EQ(nothing_due.error().code, Errc::conflict);
  EXPECT_EQ(last_audit("user.review"), "failure no_review_due");
}

TEST_F(AccountAdminTest, ARoleChangeRaisesAReviewAndEndsSessions) {
  auto grant = login("una", kPassword, next_code(uri_));
  ASSERT_TRUE(grant.ok());
  ASSERT_TRUE(service_->authenticate(grant->session, "192.0.2.1").ok());
  UserUpdate roles;
  roles.roles = std::vector<std::string>{"practitioner", "manager"};
  auto updated = service_->update_user(admin_, "una", roles);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->roles, (std::vector<std::string>{"manager", "practitioner"}));
  EXPECT_TRUE(updated->access_review_required);
  // The old session carried the old roles: it ends.
  EXPECT_EQ(service_->authenticate(grant->session, "192.0.2.1").error().code,
            Errc::invalid_session);
  auto fresh = login("una", kPassword, next_code(uri_));
  ASSERT_TRUE(fresh.ok());
  auto again = service_->authenticate(fresh->session, "192.0.2.1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->roles, (std::vector<std::string>{"manager", "practitioner"}));
  // The same roles again change nothing and raise nothing.
  ASSERT_TRUE(service_->clear_access_review(admin_, "una", "reviewed").ok());
  updated = service_->update_user(admin_, "una", roles);
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->access_review_required);
}

TEST_F(AccountAdminTest, UpdateValidationNamesTheField) {
  auto field_of = [&](const UserUpdate& u) {
    auto r = service_->update_user(admin_, "una", u);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string("<ok>");
    EXPECT_EQ(r.error().code, Errc::bad_request);
    return r.error().field;
  };
  UserUpdate u;
  u.display_name = "";
  EXPECT_EQ(field_of(u), "display_name");
  u = {};
  u.email = "nope";
  EXPECT_EQ(field_of(u), "email");
  u = {};
  u.manager_email = "a@";
  EXPECT_EQ(field_of(u), "manager_email");
  u = {};
  u.job_title = "bad\x01";
  EXPECT_EQ(field_of(u), "job_title");
  u = {};
  u.roles = std::vector<std::string>{};
  EXPECT_EQ(field_of(u), "roles");
  u.roles = std::vector<std::string>{"wizard"};
  EXPECT_EQ(field_of(u), "roles");
  EXPECT_EQ(service_->update_user(admin_, "ghost", UserUpdate{}).error().code, Errc::not_found);
}

TEST_F(AccountAdminTest, ClosedAccountsKeepTheirRecord) {
  ASSERT_TRUE(service_->close_user(admin_, "una", record("", "left")).ok());
  UserUpdate u;
  u.display_name = "Someone else";
  EXPECT_EQ(service_->update_user(admin_, "una", u).error().code, Errc::conflict);
  EXPECT_EQ(service_->unlock_user(admin_, "una").error().code, Errc::conflict);
}

TEST_F(AccountAdminTest, PartnerAdministratorsMaintainButDoNotReview) {
  ASSERT_TRUE(
      service_->create_organisation(admin_, {"P-01", "Partner", "partner", "LA-001"}).ok());
  ASSERT_TRUE(service_->set_admin_rights(admin_, "P-01", "granted", "agreed").ok());
  Principal partner = administrator("p-admin", "P-01");
  make_user(admin_, "pete", "pete's own passphrase", {"practitioner"}, "P-01");
  UserUpdate job;
  job.job_title = "Youth worker";
  ASSERT_TRUE(service_->update_user(partner, "pete", job).ok());
  EXPECT_EQ(service_->clear_access_review(partner, "pete", "fine").error().code,
            Errc::forbidden);
  auto reset = service_->reset_password(partner, "pete");  // 4.26: partners reset passwords
  EXPECT_TRUE(reset.ok());
  EXPECT_EQ(service_->reset_password(partner, "una").error().code, Errc::not_found);
}

}  // namespace
}  // namespace core::testing
