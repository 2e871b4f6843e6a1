// GET /v1/audit. Reading the trail is itself an administrative act, so it is
// recorded (audit.read) in the transaction that reads.
#include <nlohmann/json.hpp>

#include "accounts/permissions.h"
#include "audit/audit_log.h"
#include "service/service_impl.h"

namespace core {

Result<std::vector<AuditEntry>> list_audit(Context& ctx, const Principal& who, int64_t after,
                                           int limit) {
  auto admin = accounts::require_admin(ctx, who, "audit.read");
  if (!admin) return admin.error();
  if (after < 0)
    return common::make_error(common::Errc::bad_request, "after must be >= 0", "after");
  if (limit < 1 || limit > 1000) {
    return common::make_error(common::Errc::bad_request, "limit must be 1 to 1000", "limit");
  }
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto entries = (*tx)->audit_after(after, limit);
  if (!entries) return entries.error();
  audit::Draft draft;
  draft.actor = admin->username;
  draft.subject = "audit";
  draft.action = "audit.read";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = admin->source_address;
  draft.detail =
      nlohmann::json{{"after", after}, {"limit", limit}, {"returned", entries->size()}}.dump();
  auto logged = audit::append(**tx, ctx.config.clock->now(), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return std::move(*entries);
}

}  // namespace core
