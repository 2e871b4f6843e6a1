// The automatic rules' decisions, as pure functions of a record, the policy
// and the time, so that the sweep and the reports agree and the edges
// (day 59 against day 60, exactly 3 years) are tested without a database.
//
//  - Vetting (guidance 2.7, 2.9): a disclosure dated D stops counting on
//    D + vetting_valid_days (accounts::vetting_expires_on); from that day an
//    active account is suspended ("vetting_expired"). Before it, a warning
//    when at most vetting_first_warning_days are left, and another when at
//    most vetting_second_warning_days are left, each once per disclosure
//    date (users.vetting_warned_days remembers the last one sent; a sweep
//    that only runs inside the second window sends only the second).
//  - Dormant (4.36, 4.42): an active account with no login for
//    dormant_after_days full days, counting from its last login, or from
//    its approval or reactivation, or its creation, whichever is latest.
//  - Pending: nominated for pending_report_days full days or more.
//  - Temporary tokens: issued or active with expires_at <= now.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

#include "policy/policy.h"
#include "store/records.h"

namespace core::lifecycle {

inline constexpr const char* kSweepActor = "authd-sweep";
inline constexpr int64_t kDay = 86400;

enum class VettingStep { none, warn_first, warn_second, expire };

struct VettingDue {
  VettingStep step = VettingStep::none;
  int64_t expires_on = 0;  // days since 1970-01-01
  int64_t days_left = 0;   // expires_on - today
  int64_t warn_days = 0;   // for warnings: the policy's days (60 or 30), recorded once sent
};

// What the vetting rule asks for today (days since 1970-01-01). Only
// active accounts expire; active and suspended ones are warned; nothing for
// an account without a recorded disclosure date.
VettingDue vetting_due(const store::UserRecord& user, const policy::LifecyclePolicy& policy,
                       int64_t today);

// When the account was last known to be in use (Unix seconds).
int64_t activity_since(const store::UserRecord& user);
bool is_dormant(const store::UserRecord& user, const policy::LifecyclePolicy& policy,
                int64_t now);
bool pending_too_long(const store::UserRecord& user, const policy::LifecyclePolicy& policy,
                      int64_t now);
bool temporary_expired(const store::TokenRecord& token, int64_t now);

}  // namespace core::lifecycle
