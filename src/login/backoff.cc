#include "login/backoff.h"

#include <algorithm>

namespace core::login {

std::chrono::seconds backoff_delay(int64_t failures, int64_t threshold,
                                   const policy::LockoutPolicy& policy) {
  if (threshold <= 0 || failures < threshold) return std::chrono::seconds(0);
  const int64_t doublings = failures - threshold;
  const int64_t cap = std::max<int64_t>(policy.max_delay.count(), 0);
  int64_t delay = std::max<int64_t>(policy.initial_delay.count(), 1);
  // Doubling stops at the cap, so no overflow however many failures.
  for (int64_t i = 0; i < doublings && delay < cap; ++i) delay *= 2;
  return std::chrono::seconds(std::min(delay, cap));
}

store::LoginCounters after_failure(const store::LoginCounters& counters, int64_t now,
                                   const policy::LockoutPolicy& policy) {
  store::LoginCounters next = counters;
  next.failed_logins = counters.failed_logins + 1;
  const auto delay = backoff_delay(next.failed_logins, policy.throttle_after_failures, policy);
  next.throttle_until = delay.count() > 0 ? now + delay.count() : 0;
  if (policy.lock_after_failures > 0 &&
      next.failed_logins >= static_cast<int64_t>(policy.lock_after_failures)) {
    next.locked = true;
  }
  return next;
}

}  // namespace core::login
