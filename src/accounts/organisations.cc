#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "accounts/permissions.h"
#include "accounts/validation.h"
#include "audit/audit_log.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

Organisation view_of(const store::OrganisationRecord& r) {
  return Organisation{r.id, r.name, r.kind, r.parent};
}

}  // namespace

common::Result<std::vector<Organisation>> list_organisations(Context& ctx, const Principal& who) {
  auto admin = require_admin(ctx, who, "organisation.list");
  if (!admin) return admin.error();
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto all = (*tx)->list_organisations();
  if (!all) return all.error();
  std::vector<Organisation> out;
  for (const auto& r : *all) out.push_back(view_of(r));
  return out;
}

common::Result<Organisation> create_organisation(Context& ctx, const Principal& who,
                                                 const Organisation& org) {
  auto admin = require_admin(ctx, who, "org.create");
  if (!admin) return admin.error();
  if (auto ok = check_organisation(org); !ok) return ok.error();

  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto existing = (*tx)->find_organisation(org.id);
  if (!existing) return existing.error();
  if (*existing) return make_error(Errc::conflict, "an organisation with that id already exists");
  if (!org.parent.empty()) {
    auto parent = (*tx)->find_organisation(org.parent);
    if (!parent) return parent.error();
    if (!*parent || (*parent)->kind != "local_authority") {
      return make_error(Errc::bad_request, "parent must be an existing local authority", "parent");
    }
  }
  store::OrganisationRecord record{org.id, org.name, org.kind, org.parent, now};
  auto inserted = (*tx)->insert_organisation(record);
  if (!inserted) return inserted.error();

  audit::Draft draft;
  draft.actor = admin->username;
  draft.subject = org.id;
  draft.action = "org.create";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = admin->source_address;
  draft.detail = nlohmann::json{{"kind", org.kind}, {"parent", org.parent}}.dump();
  auto logged = audit::append(**tx, common::from_unix_seconds(now), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return view_of(record);
}

}  // namespace core::accounts
