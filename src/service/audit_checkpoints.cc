// POST /v1/audit/checkpoints and GET /v1/audit/checkpoints.
//
// An on-demand checkpoint is itself on record: the audit.checkpoint entry is
// committed first, then the head (which includes it) is signed, so the
// signature an administrator gets back covers their own request. If the HSM
// fails, a second entry records the failure (when the store still works).
#include <nlohmann/json.hpp>

#include "accounts/permissions.h"
#include "audit/audit_log.h"
#include "service/service_impl.h"

namespace core {
namespace {

using common::Errc;
using common::make_error;

Result<void> record(Context& ctx, const Principal& admin, bool success, std::string_view reason,
                    nlohmann::json detail) {
  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  audit::Draft draft;
  draft.actor = admin.username;
  draft.subject = "audit";
  draft.action = "audit.checkpoint";
  draft.outcome = success ? audit::kSuccess : audit::kFailure;
  draft.reason = std::string(reason);
  draft.source_address = admin.source_address;
  draft.detail = detail.dump();
  auto logged = audit::append(**tx, ctx.config.clock->now(), draft);
  if (!logged) return logged.error();
  return (*tx)->commit();
}

}  // namespace

Result<Checkpoint> checkpoint_audit(Context& ctx, const Principal& who) {
  auto admin = accounts::require_admin(ctx, who, "audit.checkpoint");
  if (!admin) return admin.error();
  if (!ctx.checkpointer) return make_error(Errc::unavailable, "the service is not running");
  if (auto logged = record(ctx, *admin, true, "ok", nlohmann::json::object()); !logged) {
    return logged.error();
  }
  auto signed_head = ctx.checkpointer->sign_head();
  if (!signed_head) {
    (void)record(ctx, *admin, false, "hsm_unavailable",
                 nlohmann::json{{"error", signed_head.error().message}});
    return signed_head.error();
  }
  if (!*signed_head) return make_error(Errc::internal, "the audit trail is empty");
  return std::move(**signed_head);
}

Result<std::vector<Checkpoint>> list_checkpoints(Context& ctx, const Principal& who,
                                                 int64_t after_seq, int limit) {
  auto admin = accounts::require_admin(ctx, who, "audit.checkpoints.read");
  if (!admin) return admin.error();
  if (after_seq < 0) return make_error(Errc::bad_request, "after must be >= 0", "after");
  if (limit < 1 || limit > 1000) {
    return make_error(Errc::bad_request, "limit must be 1 to 1000", "limit");
  }
  // Checkpoints are public statements about the trail (no entry content),
  // so reading them is not itself recorded.
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  return (*tx)->checkpoints_after(after_seq, limit);
}

}  // namespace core
