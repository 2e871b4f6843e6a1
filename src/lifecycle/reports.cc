// Administrators' reports (guidance 4.42: dormant accounts and unreturned
// tokens; pending nominations; access reviews, 4.32), limited to the
// caller's scope. Read-only: one read transaction, no audit entry (reading
// a report changes nothing; the permission refusal is audited).
#include <map>

#include "accounts/scope.h"
#include "lifecycle/lifecycle.h"
#include "lifecycle/rules.h"

namespace core::lifecycle {
namespace {

using common::Errc;
using common::make_error;

std::string days_text(int64_t seconds) {
  const int64_t days = seconds / kDay;
  return days == 1 ? "1 day" : std::to_string(days) + " days";
}

AccountReportRow account_row(const store::UserRecord& user, int64_t since, std::string detail) {
  AccountReportRow row;
  row.username = user.username;
  row.organisation = user.organisation;
  row.state = user.state;
  if (user.last_login_at) row.last_login_at = common::from_unix_seconds(*user.last_login_at);
  row.since = common::from_unix_seconds(since);
  row.detail = std::move(detail);
  return row;
}

// Appends the rows of report `name` for one account in scope.
void account_rows(std::string_view name, const store::UserRecord& user,
                  const policy::LifecyclePolicy& policy, int64_t now,
                  std::vector<AccountReportRow>& rows) {
  if (name == "dormant") {
    if (is_dormant(user, policy, now)) {
      const int64_t since = activity_since(user);
      rows.push_back(account_row(user, since,
                                 user.last_login_at ? "no login for " + days_text(now - since)
                                                    : "never logged in; active for " +
                                                          days_text(now - since)));
    } else if (user.state == "suspended" && user.last_change &&
               user.last_change->reason == "prolonged_inactivity") {
      rows.push_back(account_row(user, user.last_change->at,
                                 "suspended for prolonged inactivity " +
                                     days_text(now - user.last_change->at) + " ago"));
    }
  } else if (name == "pending") {
    if (pending_too_long(user, policy, now)) {
      rows.push_back(account_row(user, user.created_at,
                                 "awaiting approval for " + days_text(now - user.created_at)));
    }
  } else if (name == "reviews") {
    if (user.access_review_required) {
      // No time is kept for the flag itself: the account's last recorded
      // change (or its creation) is the best "since" there is.
      const int64_t since = user.last_change ? user.last_change->at : user.created_at;
      rows.push_back(account_row(user, since, "roles or job changed: access review required"));
    }
  }
}

}  // namespace

common::Result<Report> report(Context& ctx, const Principal& who, std::string_view name) {
  auto live = accounts::require_permission(ctx, who, &policy::PermissionsPolicy::report_read,
                                           "report.read");
  if (!live) return live.error();
  if (name != "dormant" && name != "tokens" && name != "pending" && name != "reviews") {
    return make_error(Errc::not_found,
                      "no such report (dormant, tokens, pending or reviews)");
  }
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto orgs = (*tx)->list_organisations();
  if (!orgs) return orgs.error();
  std::map<std::string, bool> scope;  // organisation id -> in the caller's scope
  for (const auto& org : *orgs) {
    auto ok = accounts::in_scope(**tx, *live, org);
    if (!ok) return ok.error();
    scope[org.id] = *ok;
  }
  const auto visible = [&](const store::UserRecord& user) {
    const auto found = scope.find(user.organisation);
    return found != scope.end() && found->second;
  };
  auto users = (*tx)->list_users();
  if (!users) return users.error();

  Report out;
  out.name = std::string(name);
  const int64_t now = ctx.now();
  if (name == "tokens") {
    std::map<int64_t, const store::UserRecord*> by_id;
    for (const auto& user : *users) by_id[user.id] = &user;
    auto tokens = (*tx)->list_tokens();
    if (!tokens) return tokens.error();
    for (const auto& token : *tokens) {
      // Lost tokens (someone may hold one) and hardware not yet back (4.42).
      if (token.state != "lost" && token.custody != "awaiting_return") continue;
      const auto holder = by_id.find(token.user_id);
      if (holder == by_id.end() || !visible(*holder->second)) continue;
      TokenReportRow row;
      row.token_id = token.id;
      row.username = holder->second->username;
      row.organisation = holder->second->organisation;
      row.type = token.type;
      row.state = token.state;
      row.custody = token.custody;
      row.since = common::from_unix_seconds(token.state_changed_at);
      out.tokens.push_back(std::move(row));
    }
    return out;
  }
  for (const auto& user : *users) {
    if (visible(user)) account_rows(name, user, ctx.policy().lifecycle, now, out.accounts);
  }
  return out;
}

}  // namespace core::lifecycle
