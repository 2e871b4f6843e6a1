// Administration: the one-time password gate, permissions, validation,
// users and organisations.
#include "test_support.h"

namespace core::testing {
namespace {

using common::Errc;

class AdminTest : public CoreTest {
 protected:
  NewUser carol() {
    return nominee("carol", "Carol Example", "LA-001", {"practitioner"}, "carol's first password");
  }
};

TEST_F(AdminTest, OneTimePasswordGatesEverythingUntilChangedThenTheSameSessionHasFullRights) {
  init_and_open();
  auto grant = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
  ASSERT_TRUE(grant.ok());
  auto who = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(service_->create_user(*who, carol()).error().code, Errc::password_change_required);
  EXPECT_EQ(service_->list_organisations(*who).error().code, Errc::password_change_required);
  EXPECT_EQ(service_->get_user(*who, "admin").error().code, Errc::password_change_required);
  EXPECT_EQ(service_->list_audit(*who, 0, 10).error().code, Errc::password_change_required);
  EXPECT_EQ(service_->issue_token(*who, "admin", "totp").error().code,
            Errc::password_change_required);
  EXPECT_EQ(service_->activate_token(*who, "tok_x", "123456").error().code,
            Errc::password_change_required);

  ASSERT_TRUE(service_->change_password(*who, bootstrap_.password, admin_password_).ok());
  // The Principal the daemon holds is re-checked, not trusted: it now has full rights.
  auto created = service_->create_user(*who, carol());
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto again = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->must_change_password);
  EXPECT_EQ(sql_int("SELECT must_change_password FROM users WHERE username = 'admin'"), 0);
  // The old password no longer works; the new one does.
  EXPECT_FALSE(login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri)).ok());
  EXPECT_TRUE(login("admin", admin_password_, next_code(bootstrap_.otpauth_uri)).ok());
}

TEST_F(AdminTest, PasswordChangeRules) {
  init_and_open();
  auto grant = login("admin", bootstrap_.password, next_code(bootstrap_.otpauth_uri));
  ASSERT_TRUE(grant.ok());
  auto who = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(service_->change_password(*who, bootstrap_.password, "short").error().code,
            Errc::weak_password);
  EXPECT_EQ(service_->change_password(*who, bootstrap_.password, "password1234").error().code,
            Errc::weak_password);
  EXPECT_EQ(service_->change_password(*who, bootstrap_.password, bootstrap_.password).error().code,
            Errc::weak_password);
  auto wrong = service_->change_password(*who, "not the current one", "a perfectly fine one");
  EXPECT_EQ(wrong.error().code, Errc::invalid_credentials);
  EXPECT_EQ(sql_int("SELECT failed_logins FROM users WHERE username = 'admin'"), 1);
  EXPECT_EQ(service_->change_password(*who, bootstrap_.password, "bad \xff").error().code,
            Errc::bad_request);
  EXPECT_EQ(sql_int("SELECT must_change_password FROM users WHERE username = 'admin'"), 1);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'password.change' AND outcome = "
                    "'failure'"),
            4);
  EXPECT_TRUE(service_->change_password(*who, bootstrap_.password, "a perfectly fine one").ok());
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'password.change' AND outcome = "
                    "'success'"),
            1);
}

TEST_F(AdminTest, NonAdministratorsAreForbidden) {
  init_and_open();
  Principal admin = admin_session();
  const std::string uri = make_user(admin, "dave", "dave's own passphrase");
  auto grant = login("dave", "dave's own passphrase", next_code(uri));
  ASSERT_TRUE(grant.ok()) << grant.error().message;
  auto dave = service_->authenticate(grant->session, "192.0.2.1");
  ASSERT_TRUE(dave.ok());
  EXPECT_EQ(service_->create_user(*dave, carol()).error().code, Errc::forbidden);
  EXPECT_EQ(service_->get_user(*dave, "admin").error().code, Errc::forbidden);
  EXPECT_EQ(service_->list_organisations(*dave).error().code, Errc::forbidden);
  EXPECT_EQ(
      service_->create_organisation(*dave, {"LA-002", "X", "local_authority", ""}).error().code,
      Errc::forbidden);
  EXPECT_EQ(service_->issue_token(*dave, "dave", "totp").error().code, Errc::forbidden);
  EXPECT_EQ(service_->list_audit(*dave, 0, 10).error().code, Errc::forbidden);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM users WHERE username = 'carol'"), 0);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE actor = 'dave' AND reason = 'forbidden'"), 6);
  // A forged Principal (roles edited by a buggy caller) is re-checked too.
  Principal forged = *dave;
  forged.roles = {"central_team"};
  EXPECT_EQ(service_->create_user(forged, carol()).error().code, Errc::forbidden);
  Principal nobody;
  EXPECT_EQ(service_->create_user(nobody, carol()).error().code, Errc::invalid_session);
}

TEST_F(AdminTest, CreateUserValidationNamesTheField) {
  init_and_open();
  Principal admin = admin_session();
  auto field_of = [&](NewUser u) {
    auto r = service_->create_user(admin, u);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string("<ok>");
    EXPECT_EQ(r.error().code, Errc::bad_request) << r.error().message;
    return r.error().field;
  };
  NewUser u = carol();
  u.username = "Carol";
  EXPECT_EQ(field_of(u), "username");
  u.username = "ca";
  EXPECT_EQ(field_of(u), "username");
  u.username = "-carol";
  EXPECT_EQ(field_of(u), "username");
  u.username = std::string(65, 'c');
  EXPECT_EQ(field_of(u), "username");
  u = carol();
  u.display_name = "";
  EXPECT_EQ(field_of(u), "display_name");
  u.display_name = "tab\there";
  EXPECT_EQ(field_of(u), "display_name");
  u.display_name = "bad \xc3";
  EXPECT_EQ(field_of(u), "display_name");
  u = carol();
  u.organisation = "LA-999";
  EXPECT_EQ(field_of(u), "organisation");
  u = carol();
  u.roles = {};
  EXPECT_EQ(field_of(u), "roles");
  u.roles = {"emperor"};
  EXPECT_EQ(field_of(u), "roles");
  u.roles = {"practitioner", "practitioner"};
  EXPECT_EQ(field_of(u), "roles");

  u = carol();
  u.password = "short";
  EXPECT_EQ(service_->create_user(admin, u).error().code, Errc::weak_password);
  u.password = "qwertyuiopas";
  EXPECT_EQ(service_->create_user(admin, u).error().code, Errc::weak_password);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM users WHERE username = 'carol'"), 0);

  ASSERT_TRUE(service_->create_user(admin, carol()).ok());
  EXPECT_EQ(service_->create_user(admin, carol()).error().code, Errc::conflict);
}

TEST_F(AdminTest, CreatedUserViewAndAudit) {
  init_and_open();
  Principal admin = admin_session();
  NewUser u = carol();
  u.roles = {"manager", "practitioner"};
  u.display_name = "Carol Ébène Example";
  auto created = service_->create_user(admin, u);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->username, "carol");
  EXPECT_EQ(created->state, "nominated");
  EXPECT_EQ(created->email, "carol@example.org");
  EXPECT_EQ(created->manager_email, "manager.carol@example.org");
  EXPECT_EQ(created->conditions.vetting_basis, "disclosure_seen");
  EXPECT_FALSE(created->last_change.has_value());
  EXPECT_TRUE(created->must_change_password);
  EXPECT_FALSE(created->last_login_at.has_value());
  EXPECT_EQ(created->created_at, clock_->now());

  auto fetched = service_->get_user(admin, "carol");
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->display_name, "Carol Ébène Example");
  EXPECT_EQ(fetched->roles, (std::vector<std::string>{"manager", "practitioner"}));
  EXPECT_TRUE(fetched->tokens.empty());
  EXPECT_EQ(service_->get_user(admin, "nobody").error().code, Errc::not_found);
  EXPECT_EQ(service_->get_user(admin, "NOT VALID").error().code, Errc::not_found);

  EXPECT_EQ(sql_text("SELECT actor || ' ' || subject FROM audit WHERE action = 'user.create' "
                     "ORDER BY seq DESC LIMIT 1"),
            "admin carol");
  // The initial password is nowhere in the trail.
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE detail LIKE '%first password%'"), 0);
}

TEST_F(AdminTest, Organisations) {
  init_and_open();
  Principal admin = admin_session();
  auto partner = service_->create_organisation(admin, {"P-01", "A Partner", "partner", "LA-001"});
  ASSERT_TRUE(partner.ok()) << partner.error().message;
  ASSERT_TRUE(
      service_->create_organisation(admin, {"LA-002", "Second LA", "local_authority", ""}).ok());
  auto all = service_->list_organisations(admin);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "LA-001");
  EXPECT_EQ((*all)[0].name, "Local Authority 001");
  EXPECT_EQ((*all)[2].id, "P-01");
  EXPECT_EQ((*all)[2].parent, "LA-001");

  auto field_of = [&](Organisation o) {
    auto r = service_->create_organisation(admin, o);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string("<ok>") : r.error().field;
  };
  EXPECT_EQ(field_of({"X", "name", "local_authority", ""}), "id");
  EXPECT_EQ(field_of({"LA 3", "name", "local_authority", ""}), "id");
  EXPECT_EQ(field_of({"LA-003", "", "local_authority", ""}), "name");
  EXPECT_EQ(field_of({"LA-003", "name", "council", ""}), "kind");
  EXPECT_EQ(field_of({"P-02", "name", "partner", ""}), "parent");
  EXPECT_EQ(field_of({"P-02", "name", "partner", "LA-404"}), "parent");
  EXPECT_EQ(field_of({"P-02", "name", "partner", "P-01"}), "parent");
  EXPECT_EQ(field_of({"LA-003", "name", "local_authority", "LA-001"}), "parent");
  EXPECT_EQ(
      service_->create_organisation(admin, {"LA-002", "Again", "local_authority", ""}).error().code,
      Errc::conflict);
  EXPECT_EQ(sql_int("SELECT COUNT(*) FROM audit WHERE action = 'org.create' AND outcome = "
                    "'success'"),
            3);
  // A new partner's own administrators cannot act until their LA grants it.
  EXPECT_EQ(partner->admin_rights, "none");
  EXPECT_EQ((*all)[0].admin_rights, "granted");
}

}  // namespace
}  // namespace core::testing
