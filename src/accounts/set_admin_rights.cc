// A partner organisation's own user account administration (4.25-4.28):
// its local authority's manager grants, suspends or removes it, with a
// reason. While the rights are not granted the partner's administrators act
// on nobody (scope.cc) and the LA's team manages the partner's users, which
// its scope always covers.
#include <nlohmann/json.hpp>

#include "accounts/admin_action.h"
#include "accounts/lifecycle.h"
#include "accounts/organisation_view.h"
#include "accounts/scope.h"
#include "accounts/validation.h"

namespace core::accounts {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kAction = "org.admin_rights";

common::Result<Organisation> set(Context& ctx, const Principal& admin, std::string_view org_id,
                                 std::string_view state, std::string_view reason,
                                 Refusals& refusals) {
  const int64_t now = ctx.now();
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto org = (*tx)->find_organisation(org_id);
  if (!org) return org.error();
  if (!*org) return refusals.refuse("not_found", Errc::not_found, "no such organisation");
  const bool central = has_role(admin, "central_team");
  if (!central && (*org)->parent != admin.organisation) {
    return refusals.refuse("out_of_scope", Errc::forbidden,
                           "only the partner's own local authority (or the central team) sets "
                           "its administration rights");
  }
  if ((*org)->kind != "partner") {
    return refusals.refuse("not_a_partner", Errc::conflict,
                           "only a partner organisation's administration rights can change; a " +
                               (*org)->kind + " always administers its own users");
  }
  if ((*org)->admin_rights == state) {
    return refusals.refuse("unchanged", Errc::conflict,
                           "the administration rights are already " + std::string(state));
  }
  auto changed = (*tx)->set_admin_rights(org_id, state);
  if (!changed) return changed.error();
  if (!*changed) return refusals.refuse("not_found", Errc::not_found, "no such organisation");
  auto logged = audit_success(
      **tx, admin, kAction, (*org)->id, "ok",
      nlohmann::json{{"from", (*org)->admin_rights}, {"to", state}, {"reason", reason}}, now);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  (*org)->admin_rights = std::string(state);
  return organisation_view(**org);
}

}  // namespace

common::Result<Organisation> set_admin_rights(Context& ctx, const Principal& who,
                                              std::string_view org_id, std::string_view state,
                                              std::string_view reason) {
  auto admin =
      require_permission(ctx, who, &policy::PermissionsPolicy::org_admin_rights, kAction);
  if (!admin) return admin.error();
  if (state != "granted" && state != "suspended" && state != "removed") {
    return make_error(Errc::bad_request, "state must be granted, suspended or removed", "state");
  }
  if (auto ok = check_free_text(reason, "reason", 2000); !ok) return ok.error();
  Refusals refusals;
  // The id is echoed into the audit trail only when it has an id's shape.
  return refusals.audited(ctx, *admin, kAction,
                          valid_organisation_id(org_id) ? org_id : std::string_view("-"),
                          set(ctx, *admin, org_id, state, reason, refusals));
}

}  // namespace core::accounts
