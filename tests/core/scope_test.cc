// Permission and organisation scope (guidance 4.25-4.28): a partner's
// administrators act only on their own organisation and only while their LA
// lets them; an LA's on itself and its partners; a national partner's on
// itself; the central team everywhere. Outside the scope a user is "not
// found", so scope does not reveal who exists elsewhere.
#include "accounts_fixture.h"

namespace core::testing {
namespace {

using common::Errc;

class ScopeTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    for (Organisation org : {Organisation{"LA-002", "Second LA", "local_authority", ""},
                             Organisation{"P-01", "Partner One", "partner", "LA-001"},
                             Organisation{"P-02", "Partner Two", "partner", "LA-002"},
                             Organisation{"NP-01", "National Partner", "national_partner", ""}}) {
      ASSERT_TRUE(service_->create_organisation(admin_, org).ok()) << org.id;
    }
    for (const auto& [user, org] : {std::pair{"u-la1", "LA-001"}, std::pair{"u-la2", "LA-002"},
                                    std::pair{"u-p1", "P-01"}, std::pair{"u-p2", "P-02"},
                                    std::pair{"u-np", "NP-01"}}) {
      nominate(user, org);
    }
  }

  Errc read(const Principal& who, const std::string& username) {
    auto r = service_->get_user(who, username);
    return r.ok() ? Errc::internal : r.error().code;  // internal stands for "found"
  }
};

constexpr Errc kFound = Errc::internal;

TEST_F(ScopeTest, LocalAuthorityAdministratorSeesItselfAndItsPartners) {
  Principal la1 = administrator("la1-admin", "LA-001");
  EXPECT_EQ(read(la1, "u-la1"), kFound);
  EXPECT_EQ(read(la1, "u-p1"), kFound);  // partner rights "none": the LA manages its users
  EXPECT_EQ(read(la1, "u-la2"), Errc::not_found);
  EXPECT_EQ(read(la1, "u-p2"), Errc::not_found);
  EXPECT_EQ(read(la1, "u-np"), Errc::not_found);
  // Out of scope reads exactly like an unknown name, and is audited as such.
  EXPECT_EQ(service_->get_user(la1, "u-la2").error().message,
            service_->get_user(la1, "no-such-user").error().message);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE actor = 'la1-admin' AND action = "
                    "'user.read' AND reason = 'out_of_scope' AND subject = 'u-la2'"),
            2);
  auto orgs = service_->list_organisations(la1);
  ASSERT_TRUE(orgs.ok());
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].id, "LA-001");
  EXPECT_EQ((*orgs)[1].id, "P-01");
  // Nominating into another LA is refused (forbidden: organisations are not secret).
  auto elsewhere = service_->create_user(
      la1, nominee("new-one", "New", "LA-002", {"practitioner"}, "first password of new-one"));
  EXPECT_EQ(elsewhere.error().code, Errc::forbidden);
  EXPECT_EQ(last_audit("user.create"), "failure out_of_scope");
}

TEST_F(ScopeTest, CentralTeamSeesEverything) {
  for (const char* user : {"u-la1", "u-la2", "u-p1", "u-p2", "u-np"}) {
    EXPECT_EQ(read(admin_, user), kFound) << user;
  }
  auto orgs = service_->list_organisations(admin_);
  ASSERT_TRUE(orgs.ok());
  EXPECT_EQ(orgs->size(), 5u);
}

TEST_F(ScopeTest, NationalPartnerManagesOnlyItsOwnUsersAndApprovesThem) {
  Principal np = administrator("np-admin", "NP-01");
  EXPECT_EQ(read(np, "u-np"), kFound);
  EXPECT_EQ(read(np, "u-la1"), Errc::not_found);
  EXPECT_EQ(read(np, "u-p1"), Errc::not_found);
  // National partners approve their own users (4.31).
  auto approved = service_->approve_user(np, "u-np");
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->state, "active");
  EXPECT_EQ(service_->approve_user(np, "u-la1").error().code, Errc::not_found);
}

TEST_F(ScopeTest, PartnerAdministratorsActOnlyWhileTheirRightsAreGranted) {
  Principal p1 = administrator("p1-admin", "P-01");
  // A new partner starts without rights: its administrators reach nobody.
  EXPECT_EQ(read(p1, "u-p1"), Errc::not_found);
  auto refused = service_->create_user(
      p1, nominee("p1-new", "New", "P-01", {"practitioner"}, "first password of p1-new"));
  EXPECT_EQ(refused.error().code, Errc::forbidden);

  ASSERT_TRUE(service_->set_admin_rights(admin_, "P-01", "granted", "trained and trusted").ok());
  EXPECT_EQ(read(p1, "u-p1"), kFound);
  EXPECT_EQ(read(p1, "u-la1"), Errc::not_found);  // never the LA's own users
  EXPECT_EQ(read(p1, "u-p2"), Errc::not_found);
  auto nominated = service_->create_user(
      p1, nominee("p1-new", "New", "P-01", {"practitioner"}, "first password of p1-new"));
  ASSERT_TRUE(nominated.ok()) << nominated.error().message;
  EXPECT_EQ(nominated->state, "nominated");
  // Only into its own organisation (4.33).
  EXPECT_EQ(service_->create_user(p1, nominee("p1-la", "New", "LA-001", {"practitioner"},
                                              "first password of p1-la"))
                .error()
                .code,
            Errc::forbidden);
  // A partner nominates; the LA approves (4.31).
  auto approve = service_->approve_user(p1, "p1-new");
  EXPECT_EQ(approve.error().code, Errc::forbidden);
  EXPECT_EQ(last_audit("user.approve"), "failure partner_cannot_approve");
  EXPECT_EQ(service_->reject_user(p1, "p1-new", record("not needed")).error().code,
            Errc::forbidden);
  Principal la1 = administrator("la1-admin", "LA-001");
  EXPECT_TRUE(service_->approve_user(la1, "p1-new").ok());

  // Suspended rights stop the partner at once, in the same session.
  ASSERT_TRUE(service_->set_admin_rights(admin_, "P-01", "suspended", "investigation").ok());
  EXPECT_EQ(read(p1, "u-p1"), Errc::not_found);
  EXPECT_EQ(read(la1, "u-p1"), kFound);  // the LA takes over (4.28)
  auto orgs = service_->list_organisations(p1);
  ASSERT_TRUE(orgs.ok());
  EXPECT_TRUE(orgs->empty());
}

TEST_F(ScopeTest, PermissionsComeFromThePolicyMatrix) {
  Principal la1 = administrator("la1-admin", "LA-001");
  // user_account_administrator holds neither org_create nor org_admin_rights by default.
  EXPECT_EQ(service_->create_organisation(la1, {"P-09", "P", "partner", "LA-001"}).error().code,
            Errc::forbidden);
  EXPECT_EQ(service_->set_admin_rights(la1, "P-01", "granted", "x").error().code,
            Errc::forbidden);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE actor = 'la1-admin' AND reason = "
                    "'forbidden'"),
            2);
  // A practitioner holds no administrative permission at all.
  Principal worker = administrator("worker", "LA-001", {"practitioner"});
  EXPECT_EQ(read(worker, "u-la1"), Errc::forbidden);
  EXPECT_EQ(service_->suspend_user(worker, "u-la1", record("investigation")).error().code,
            Errc::forbidden);
}

TEST_F(ScopeTest, PolicyCanChangeTheMatrix) {
  policy_.permissions.user_read = {"manager"};
  service_.reset();
  service_ = reopen();
  ASSERT_TRUE(service_);
  // The session made before the restart is still live; its roles are re-read
  // against the new matrix.
  EXPECT_EQ(service_->get_user(admin_, "u-la1").error().code, Errc::forbidden);
  Principal boss = administrator("boss", "LA-001", {"manager"});
  EXPECT_EQ(read(boss, "u-la1"), kFound);
}

TEST_F(ScopeTest, LocalAuthorityManagerAddsPartnersOnlyUnderItself) {
  Principal manager = administrator("la1-manager", "LA-001", {"la_manager"});
  auto partner = service_->create_organisation(manager, {"P-03", "Three", "partner", "LA-001"});
  ASSERT_TRUE(partner.ok()) << partner.error().message;
  EXPECT_EQ(partner->admin_rights, "none");
  EXPECT_EQ(
      service_->create_organisation(manager, {"P-04", "Four", "partner", "LA-002"}).error().code,
      Errc::forbidden);
  EXPECT_EQ(service_->create_organisation(manager, {"LA-009", "Nine", "local_authority", ""})
                .error()
                .code,
            Errc::forbidden);
  EXPECT_EQ(service_->create_organisation(manager, {"NP-09", "N", "national_partner", ""})
                .error()
                .code,
            Errc::forbidden);
  EXPECT_EQ(last_audit("org.create"), "failure out_of_scope");
}

TEST_F(ScopeTest, NoAdministratorGivesMoreReachThanTheirOwn) {
  Principal la1 = administrator("la1-admin", "LA-001");
  auto central = nominee("wannabe", "W", "LA-001", {"central_team"}, "first password of wannabe");
  EXPECT_EQ(service_->create_user(la1, central).error().code, Errc::forbidden);
  central.roles = {"la_manager"};
  EXPECT_EQ(service_->create_user(la1, central).error().code, Errc::forbidden);
  EXPECT_EQ(last_audit("user.create"), "failure role_not_grantable");
  UserUpdate promote;
  promote.roles = std::vector<std::string>{"central_team"};
  EXPECT_EQ(service_->update_user(la1, "u-la1", promote).error().code, Errc::forbidden);
  // The central team may.
  EXPECT_TRUE(service_->create_user(admin_, central).ok());
}

}  // namespace
}  // namespace core::testing
