// GET /v1/audit/export: entries from..to with the checkpoints among them,
// read and recorded (audit.export) in one write transaction so that the
// export and its record agree. `to` reaches forward to the next checkpoint,
// so that each exported entry is covered by a signature when one exists.
#include <nlohmann/json.hpp>

#include "accounts/permissions.h"
#include "audit/audit_log.h"
#include "service/service_impl.h"

namespace core {
namespace {

using common::Errc;
using common::make_error;

constexpr int64_t kMaxEntries = 10000;
constexpr int kPage = 1000;

}  // namespace

Result<AuditExport> export_audit(Context& ctx, const Principal& who, int64_t from, int64_t to) {
  auto admin = accounts::require_admin(ctx, who, "audit.export");
  if (!admin) return admin.error();
  if (from < 1) return make_error(Errc::bad_request, "from must be >= 1", "from");
  if (to < from) return make_error(Errc::bad_request, "to must be >= from", "to");

  auto tx = ctx.store->begin(store::Store::Mode::write);
  if (!tx) return tx.error();
  auto covering = (*tx)->checkpoint_at_or_after(to);
  if (!covering) return covering.error();
  const int64_t wanted_to = *covering ? (*covering)->seq : to;
  const int64_t capped_to = std::min(wanted_to, from + kMaxEntries - 1);

  AuditExport out;
  int64_t after = from - 1;
  while (after < capped_to) {
    const int limit = static_cast<int>(std::min<int64_t>(kPage, capped_to - after));
    auto page = (*tx)->audit_after(after, limit);
    if (!page) return page.error();
    if (page->empty()) break;
    after = page->back().seq;
    for (auto& e : *page) out.entries.push_back(std::move(e));
  }
  out.truncated = capped_to < wanted_to && after == capped_to;
  if (!out.entries.empty()) {
    auto checkpoints = (*tx)->checkpoints_after(from - 1, kPage);
    int64_t cursor = from - 1;
    const int64_t last = out.entries.back().seq;
    while (checkpoints) {
      bool more = static_cast<int>(checkpoints->size()) == kPage;
      for (auto& c : *checkpoints) {
        cursor = c.seq;
        if (c.seq > last) {
          more = false;
          break;
        }
        out.checkpoints.push_back(std::move(c));
      }
      if (!more) break;
      checkpoints = (*tx)->checkpoints_after(cursor, kPage);
    }
    if (!checkpoints) return checkpoints.error();
  }

  audit::Draft draft;
  draft.actor = admin->username;
  draft.subject = "audit";
  draft.action = "audit.export";
  draft.outcome = audit::kSuccess;
  draft.reason = "ok";
  draft.source_address = admin->source_address;
  draft.detail = nlohmann::json{{"from", from},
                                {"to", to},
                                {"entries", out.entries.size()},
                                {"checkpoints", out.checkpoints.size()},
                                {"truncated", out.truncated}}
                     .dump();
  auto logged = audit::append(**tx, ctx.config.clock->now(), draft);
  if (!logged) return logged.error();
  auto committed = (*tx)->commit();
  if (!committed) return committed.error();
  return out;
}

}  // namespace core
