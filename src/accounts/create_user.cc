// Nomination (guidance 4.29-4.33): an account is created "nominated", with
// whatever evidence for the conditions of access is to hand; it can neither
// log in nor hold a token until approved (approve_user.cc). A partner's
// administrators may nominate only into their own organisation (4.33), and
// only while their local authority lets them administer (4.27).
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/admin_action.h"
#include "accounts/conditions.h"
#include "accounts/permissions.h"
#include "accounts/role_grants.h"
#include "accounts/scope.h"
#include "accounts/validation.h"
#include "audit/audit_log.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "user.create";

store::ConditionsRecord conditions_record(const AccessConditions& c) {
  return store::ConditionsRecord{c.need,
                                 c.accredited_training_on,
                                 c.local_training_on,
                                 c.vetting_disclosure_on,
                                 c.vetting_basis,
                                 c.vetting_confirmed_by,
                                 c.vetting_confirmed_on,
                                 c.barring_scheme_ref};
}

common::Result<void> check_contact(const NewUser& user) {
  if (!user.email.empty()) {
    if (auto ok = check_email(user.email, "email"); !ok) return ok;
  }
  if (!user.manager_email.empty()) {
    if (auto ok = check_email(user.manager_email, "manager_email"); !ok) return ok;
  }
  if (!user.job_title.empty()) {
    if (auto ok = check_display_text(user.job_title, "job_title"); !ok) return ok;
  }
  if (!user.manager_name.empty()) {
    if (auto ok = check_display_text(user.manager_name, "manager_name"); !ok) return ok;
  }
  return {};
}

common::Result<UserView> nominate(Context& ctx, const Principal& admin, const NewUser& user,
                                  std::string phc, Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto org = (*tx)->find_organisation(user.organisation);
  if (!org) return org.error();
  if (!*org) {
    return refusals.refuse("bad_request", Errc::bad_request, "organisation does not exist",
                           "organisation");
  }
  auto scoped = in_scope(**tx, admin, **org);
  if (!scoped) return scoped.error();
  if (!*scoped) {
    return refusals.refuse("out_of_scope", Errc::forbidden,
                           "you may not nominate users of that organisation");
  }
  auto existing = (*tx)->find_user(user.username);
  if (!existing) return existing.error();
  if (*existing) {
    return refusals.refuse("exists", Errc::conflict, "a user with that username already exists");
  }

  store::UserRecord record;
  record.username = user.username;
  record.display_name = user.display_name;
  record.organisation = user.organisation;
  record.roles = user.roles;
  std::sort(record.roles.begin(), record.roles.end());
  record.state = std::string(to_string(AccountState::nominated));
  record.password_hash = std::move(phc);
  record.must_change_password = true;  // set by an administrator: changed at first login
  record.created_at = now;
  record.password_set_at = now;
  record.email = user.email;
  record.job_title = user.job_title;
  record.manager_name = user.manager_name;
  record.manager_email = user.manager_email;
  record.conditions = conditions_record(user.conditions);
  auto id = (*tx)->insert_user(record);
  if (!id) return id.error();

  nlohmann::json detail{{"organisation", record.organisation},
                        {"roles", record.roles},
                        {"state", record.state}};
  auto logged = audit_success(**tx, admin, kAction, record.username, "ok", detail, now);
  if (!logged) return logged.error();
  auto view = current_view(**tx, *id);
  if (!view) return view.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view;
}

}  // namespace

common::Result<UserView> create_user(Context& ctx, const Principal& who, const NewUser& user) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_nominate, kAction);
  if (!admin) return admin.error();
  if (auto ok = check_username(user.username); !ok) return ok.error();
  if (auto ok = check_display_text(user.display_name, "display_name"); !ok) return ok.error();
  if (user.organisation.empty()) {
    return make_error(Errc::bad_request, "organisation is required", "organisation");
  }
  if (auto ok = check_roles(user.roles, ctx.policy().admin); !ok) return ok.error();
  if (auto ok = check_contact(user); !ok) return ok.error();
  const auto form = check_conditions_form(conditions_record(user.conditions), day_of(ctx.now()));
  if (!form.empty()) {
    return make_error(Errc::bad_request, form, form.substr(0, form.find(':')));
  }
  Refusals refusals;
  if (auto ok = may_grant_roles(*admin, user.roles, refusals); !ok) {
    return refusals.audited<UserView>(ctx, *admin, kAction, user.username, ok.error());
  }
  auto normalised = password::normalise(user.password, "password");
  if (!normalised) return normalised.error();
  auto rules = ctx.rules->check(*normalised, user.username);
  if (!rules) {
    common::wipe(*normalised);
    return rules.error();
  }
  // Argon2id before the transaction: the write lock is never held for it.
  auto phc = password::hash(*normalised, ctx.argon2, ctx.random());
  common::wipe(*normalised);
  if (!phc) return phc.error();
  return refusals.audited(ctx, *admin, kAction, user.username,
                          nominate(ctx, *admin, user, std::move(*phc), refusals));
}

}  // namespace core::accounts
