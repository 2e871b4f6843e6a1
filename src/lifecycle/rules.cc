#include "lifecycle/rules.h"

#include <algorithm>

#include "accounts/conditions.h"

namespace core::lifecycle {

VettingDue vetting_due(const store::UserRecord& user, const policy::LifecyclePolicy& policy,
                       int64_t today) {
  VettingDue due;
  if (user.state != "active" && user.state != "suspended") return due;
  const auto expires = accounts::vetting_expires_on(user.conditions, policy);
  if (!expires) return due;
  due.expires_on = *expires;
  due.days_left = *expires - today;
  if (due.days_left <= 0) {
    if (user.state == "active") due.step = VettingStep::expire;
    return due;
  }
  const int64_t first = policy.vetting_first_warning_days;
  const int64_t second = policy.vetting_second_warning_days;
  const int64_t warned = user.vetting_warned_days;  // 0: none yet
  if (due.days_left <= second) {
    if (warned == 0 || warned > second) {
      due.step = VettingStep::warn_second;
      due.warn_days = second;
    }
  } else if (due.days_left <= first && warned == 0) {
    due.step = VettingStep::warn_first;
    due.warn_days = first;
  }
  return due;
}

int64_t activity_since(const store::UserRecord& user) {
  int64_t since = user.created_at;
  if (user.last_login_at) since = std::max(since, *user.last_login_at);
  // While active, the last recorded change is the one that made it active
  // (approval or reactivation): inactivity counts from there.
  if (user.last_change && user.last_change->state == "active") {
    since = std::max(since, user.last_change->at);
  }
  return since;
}

bool is_dormant(const store::UserRecord& user, const policy::LifecyclePolicy& policy,
                int64_t now) {
  return user.state == "active" &&
         now - activity_since(user) >= static_cast<int64_t>(policy.dormant_after_days) * kDay;
}

bool pending_too_long(const store::UserRecord& user, const policy::LifecyclePolicy& policy,
                      int64_t now) {
  return user.state == "nominated" &&
         now - user.created_at >= static_cast<int64_t>(policy.pending_report_days) * kDay;
}

bool temporary_expired(const store::TokenRecord& token, int64_t now) {
  return token.temporary && token.expires_at && *token.expires_at <= now &&
         (token.state == "issued" || token.state == "active");
}

}  // namespace core::lifecycle
