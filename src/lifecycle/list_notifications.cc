// The outbox, for administrators: what was sent (or is waiting) to whom.
// A message about an account outside the caller's scope is left out; the
// body is not shown (it is on its way to its recipient, not to the reader).
#include <map>

#include "accounts/scope.h"
#include "lifecycle/lifecycle.h"

namespace core::lifecycle {

using common::Errc;
using common::make_error;

common::Result<std::vector<NotificationView>> list_notifications(Context& ctx,
                                                                 const Principal& who,
                                                                 int64_t after, int limit) {
  auto live = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::report_read,
                                           "notifications.list");
  if (!live) return live.error();
  if (limit < 1 || limit > 1000) return make_error(Errc::bad_request, "limit must be 1..1000", "limit");
  if (after < 0) return make_error(Errc::bad_request, "after must not be negative", "after");

  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  std::map<std::string, bool> visible;  // username -> in scope
  const auto in_scope = [&](const std::string& username) -> common::Result<bool> {
    if (auto known = visible.find(username); known != visible.end()) return known->second;
    bool ok = false;
    auto user = (*tx)->find_user(username);
    if (!user) return user.error();
    if (*user) {
      auto org = (*tx)->find_organisation((*user)->organisation);
      if (!org) return org.error();
      if (*org) {
        auto scoped = accounts::in_scope(**tx, *live, **org);
        if (!scoped) return scoped.error();
        ok = *scoped;
      }
    }
    visible[username] = ok;
    return ok;
  };

  std::vector<NotificationView> out;
  // Hidden rows do not count towards the limit: page through the outbox in
  // batches until `limit` visible rows are found or it ends.
  int64_t cursor = after;
  while (out.size() < static_cast<size_t>(limit)) {
    auto rows = (*tx)->notifications_after(cursor, 1000);
    if (!rows) return rows.error();
    if (rows->empty()) break;
    for (const auto& row : *rows) {
      cursor = row.id;
      auto ok = in_scope(row.about);
      if (!ok) return ok.error();
      if (!*ok) continue;
      NotificationView view;
      view.id = row.id;
      view.kind = row.kind;
      view.recipient = row.recipient;
      view.subject = row.subject;
      view.about = row.about;
      view.state = row.delivered_at ? "delivered" : "pending";
      view.attempts = row.attempts;
      view.created_at = common::from_unix_seconds(row.created_at);
      if (row.delivered_at) view.delivered_at = common::from_unix_seconds(*row.delivered_at);
      view.last_error = row.last_error;
      out.push_back(std::move(view));
      if (out.size() == static_cast<size_t>(limit)) break;
    }
  }
  return out;
}

}  // namespace core::lifecycle
