// A partner organisation's own user account administration (4.25-4.28):
// granted, suspended or removed by its local authority's manager (or the
// central team), with a reason, audited.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class AdminRightsTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    ASSERT_TRUE(
        service_->create_organisation(admin_, {"LA-002", "Second", "local_authority", ""}).ok());
    ASSERT_TRUE(
        service_->create_organisation(admin_, {"P-01", "Partner", "partner", "LA-001"}).ok());
  }
};

TEST_F(AdminRightsTest, TheLocalAuthorityManagerGrantsSuspendsAndRemoves) {
  Principal manager = administrator("la1-manager", "LA-001", {"la_manager"});
  auto granted = service_->set_admin_rights(manager, "P-01", "granted", "trained in December");
  ASSERT_TRUE(granted.ok()) << granted.error().message;
  EXPECT_EQ(granted->admin_rights, "granted");
  EXPECT_EQ(last_audit("org.admin_rights"), "success ok");
  EXPECT_EQ(sql_text("SELECT detail FROM audit WHERE action = 'org.admin_rights'"),
            R"({"from":"none","reason":"trained in December","to":"granted"})");
  auto suspended = service_->set_admin_rights(manager, "P-01", "suspended", "concerns raised");
  ASSERT_TRUE(suspended.ok());
  EXPECT_EQ(suspended->admin_rights, "suspended");
  auto removed = service_->set_admin_rights(manager, "P-01", "removed", "not administering");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(sql_text("SELECT admin_rights FROM organisations WHERE id = 'P-01'"), "removed");
  auto listed = service_->list_organisations(manager);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].admin_rights, "removed");
}

TEST_F(AdminRightsTest, RefusalsSayWhy) {
  Principal other = administrator("la2-manager", "LA-002", {"la_manager"});
  auto foreign = service_->set_admin_rights(other, "P-01", "granted", "x");
  EXPECT_EQ(foreign.error().code, Errc::forbidden);
  EXPECT_EQ(last_audit("org.admin_rights"), "failure out_of_scope");

  EXPECT_EQ(service_->set_admin_rights(admin_, "P-01", "granted", "").error().field, "reason");
  EXPECT_EQ(service_->set_admin_rights(admin_, "P-01", "none", "x").error().field, "state");
  EXPECT_EQ(service_->set_admin_rights(admin_, "P-01", "yes", "x").error().field, "state");
  EXPECT_EQ(service_->set_admin_rights(admin_, "P-99", "granted", "x").error().code,
            Errc::not_found);
  auto la = service_->set_admin_rights(admin_, "LA-002", "suspended", "x");
  EXPECT_EQ(la.error().code, Errc::conflict);
  EXPECT_NE(la.error().message.find("only a partner"), std::string::npos);
  ASSERT_TRUE(service_->set_admin_rights(admin_, "P-01", "granted", "ok").ok());
  auto same = service_->set_admin_rights(admin_, "P-01", "granted", "again");
  EXPECT_EQ(same.error().code, Errc::conflict);
  EXPECT_EQ(last_audit("org.admin_rights"), "failure unchanged");
  // Partner administrators cannot give themselves rights.
  Principal partner = administrator("p-admin", "P-01", {"user_account_administrator"});
  EXPECT_EQ(service_->set_admin_rights(partner, "P-01", "granted", "x").error().code,
            Errc::forbidden);
}

}  // namespace
}  // namespace core::testing
