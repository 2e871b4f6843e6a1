#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/permissions.h"
#include "accounts/validation.h"
#include "audit/audit_log.h"

namespace core::accounts {

using common::Errc;
using common::make_error;

common::Result<UserView> create_user(Context& ctx, const Principal& who, const NewUser& user) {
  auto admin = require_admin(ctx, who, "user.create");
  if (!admin) return admin.error();
  if (auto ok = check_username(user.username); !ok) return ok.error();
  if (auto ok = check_display_text(user.display_name, "display_name"); !ok) return ok.error();
  if (user.organisation.empty()) {
    return make_error(Errc::bad_request, "organisation is required", "organisation");
  }
  if (auto ok = check_roles(user.roles, ctx.policy().admin); !ok) return ok.error();
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

  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto org = (*tx)->find_organisation(user.organisation);
  if (!org) return org.error();
  if (!*org) {
    return make_error(Errc::bad_request, "organisation does not exist", "organisation");
  }
  auto existing = (*tx)->find_user(user.username);
  if (!existing) return existing.error();
  if (*existing) return make_error(Errc::conflict, "a user with that username already exists");

  store::UserRecord record;
  record.username = user.username;
  record.display_name = user.display_name;
  record.organisation = user.organisation;
  record.roles = user.roles;
  std::sort(record.roles.begin(), record.roles.end());
  record.password_hash = std::move(*phc);
  record.must_change_password = true;  // set by an administrator: changed at first login
  record.created_at = now;
  auto id = (*tx)->insert_user(record);
  if (!id) return id.error();
  record.id = *id;

  audit::Draft draft;
  draft.actor = admin->username;
  draft.subject = record.username;
  draft.action = "user.create";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = admin->source_address;
  draft.detail =
      nlohmann::json{{"organisation", record.organisation}, {"roles", record.roles}}.dump();
  auto logged = audit::append(**tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return user_view(record, {});
}

}  // namespace core::accounts
