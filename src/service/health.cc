// Service::health: the flags the write, checkpoint and HSM paths keep, and
// the unsigned tail as the store sees it now.
#include "service/service_impl.h"

namespace core {

HealthReport health(Context& ctx) {
  HealthReport report;
  report.hsm_ok = ctx.health.hsm_ok.load();
  report.audit_ok = ctx.health.audit_write_ok.load() && ctx.health.checkpoint_ok.load();
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) {
    report.audit_ok = false;
    return report;
  }
  auto head = (*tx)->audit_head();
  auto last = (*tx)->last_checkpoint();
  if (!head || !last) {
    report.audit_ok = false;
    return report;
  }
  report.unsigned_entries = head->seq - (*last ? (*last)->seq : 0);
  if (*last) report.last_checkpoint_at = (*last)->at;
  return report;
}

}  // namespace core
