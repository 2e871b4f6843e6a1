// Organisations: listing (only those in the caller's scope) and creation. A
// local authority's manager may add partners under that authority only; new
// local authorities and national partners are the central team's. A new
// partner's own administrators cannot act until the LA grants them the
// rights (set_admin_rights.cc, guidance 4.25).
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/admin_action.h"
#include "accounts/organisation_view.h"
#include "accounts/scope.h"
#include "accounts/validation.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

common::Result<std::vector<Organisation>> list_in_scope(Context& ctx, const Principal& admin) {
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto all = (*tx)->list_organisations();
  if (!all) return all.error();
  std::vector<Organisation> out;
  for (const auto& r : *all) {
    auto scoped = in_scope(**tx, admin, r);
    if (!scoped) return scoped.error();
    if (*scoped) out.push_back(organisation_view(r));
  }
  return out;
}

common::Result<Organisation> insert(Context& ctx, const Principal& admin, const Organisation& org,
                                    Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  const bool central = has_role(admin, "central_team");
  if (!central) {
    // Outside the central team, only partners under one's own LA.
    auto own = (*tx)->find_organisation(admin.organisation);
    if (!own) return own.error();
    const bool own_la = *own && (*own)->kind == "local_authority";
    if (org.kind != "partner" || !own_la || org.parent != admin.organisation) {
      return refusals.refuse("out_of_scope", Errc::forbidden,
                             "you may only add partner organisations under your own local "
                             "authority");
    }
  }
  auto existing = (*tx)->find_organisation(org.id);
  if (!existing) return existing.error();
  if (*existing) {
    return refusals.refuse("exists", Errc::conflict,
                           "an organisation with that id already exists");
  }
  if (!org.parent.empty()) {
    auto parent = (*tx)->find_organisation(org.parent);
    if (!parent) return parent.error();
    if (!*parent || (*parent)->kind != "local_authority") {
      return refusals.refuse("bad_request", Errc::bad_request,
                             "parent must be an existing local authority", "parent");
    }
  }
  store::OrganisationRecord record{org.id, org.name, org.kind, org.parent, now,
                                   org.kind == "partner" ? "none" : "granted"};
  auto inserted = (*tx)->insert_organisation(record);
  if (!inserted) return inserted.error();
  auto logged = audit_success(
      **tx, admin, "org.create", org.id, "ok",
      nlohmann::json{{"kind", org.kind}, {"parent", org.parent},
                     {"admin_rights", record.admin_rights}},
      now);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return organisation_view(record);
}

}  // namespace

common::Result<std::vector<Organisation>> list_organisations(Context& ctx, const Principal& who) {
  auto admin =
      require_permission(ctx, who, &policy::PermissionsPolicy::user_read, "organisation.list");
  if (!admin) return admin.error();
  return list_in_scope(ctx, *admin);
}

common::Result<Organisation> create_organisation(Context& ctx, const Principal& who,
                                                 const Organisation& org) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::org_create, "org.create");
  if (!admin) return admin.error();
  if (auto ok = check_organisation(org); !ok) return ok.error();
  Refusals refusals;
  return refusals.audited(ctx, *admin, "org.create", org.id, insert(ctx, *admin, org, refusals));
}

}  // namespace core::accounts
