#include "notifications/deliverer.h"

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"

namespace core::notifications {

std::chrono::seconds retry_delay(std::chrono::seconds initial, int failures) {
  std::chrono::seconds delay = initial.count() > 0 ? initial : std::chrono::seconds(1);
  for (int i = 1; i < failures && delay < kMaxRetryDelay; ++i) delay *= 2;
  return std::min(delay, kMaxRetryDelay);
}

common::Result<DeliveryPass> deliver_due(Context& ctx, Notifier& notifier, int limit) {
  std::vector<store::NotificationRecord> due;
  {
    auto tx = ctx.store->begin(store::Store::Mode::read);
    if (!tx) return tx.error();
    auto rows = (*tx)->due_notifications(ctx.now(), limit);
    if (!rows) return rows.error();
    due = std::move(*rows);
  }
  DeliveryPass pass;
  for (const auto& message : due) {
    const auto attempted_at = ctx.config.clock->now();
    const auto sent =
        notifier.deliver(Envelope{ctx.config.notifications.from, message, attempted_at});
    const int attempt = message.attempts + 1;
    const int64_t now = ctx.now();
    const int64_t next =
        now + retry_delay(ctx.config.notifications.retry_initial, attempt).count();
    const std::string error = sent ? std::string() : sent.error().message;

    auto tx = ctx.store->begin(store::Store::Mode::write);
    if (!tx) return tx.error();
    auto recorded = (*tx)->record_delivery(message.id, sent.ok(), now, next, error);
    if (!recorded) return recorded.error();
    audit::Draft draft;
    draft.actor = kOutboxActor;
    draft.subject = message.about.empty() ? "-" : message.about;
    draft.action = "notification.deliver";
    draft.outcome = sent ? audit::kSuccess : audit::kFailure;
    draft.reason = sent ? "ok" : "delivery_failed";
    nlohmann::json detail{{"id", message.id},
                          {"kind", message.kind},
                          {"recipient", message.recipient},
                          {"attempt", attempt}};
    if (!sent) {
      detail["error"] = error;
      detail["next_attempt_at"] = next;
    }
    draft.detail = detail.dump();
    auto logged = audit::append(**tx, common::from_unix_seconds(now), draft);
    if (!logged) return logged.error();
    auto committed = (*tx)->commit();
    if (!committed) return committed.error();
    ++(sent ? pass.delivered : pass.failed);
  }
  return pass;
}

}  // namespace core::notifications
