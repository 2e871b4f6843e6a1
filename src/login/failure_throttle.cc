#include "login/failure_throttle.h"

#include "login/backoff.h"

namespace core::login {

FailureThrottle::FailureThrottle(uint32_t threshold, policy::LockoutPolicy policy, size_t max_keys)
    : threshold_(threshold), policy_(policy), max_keys_(max_keys) {}

std::optional<std::chrono::seconds> FailureThrottle::retry_after(const std::string& key,
                                                                 int64_t now) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key);
  if (it == states_.end() || it->second.throttle_until <= now) return std::nullopt;
  return std::chrono::seconds(it->second.throttle_until - now);
}

int64_t FailureThrottle::failures(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key);
  return it == states_.end() ? 0 : it->second.failures;
}

void FailureThrottle::record_failure(const std::string& key, int64_t now) {
  std::lock_guard lock(mutex_);
  if (states_.size() >= max_keys_ && states_.find(key) == states_.end()) make_room(now);
  if (states_.size() >= max_keys_ && states_.find(key) == states_.end()) return;
  State& s = states_[key];
  if (forgotten(s, now)) s.failures = 0;
  s.failures += 1;
  s.last_failure = now;
  const auto delay = backoff_delay(s.failures, threshold_, policy_);
  s.throttle_until = delay.count() > 0 ? now + delay.count() : 0;
}

void FailureThrottle::withdraw_failure(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key);
  if (it != states_.end() && it->second.failures > 0) --it->second.failures;
}

bool FailureThrottle::forgotten(const State& s, int64_t now) const {
  const int64_t quiet = std::max<int64_t>(policy_.max_delay.count(), 60);
  return s.throttle_until <= now && s.last_failure <= now - quiet;
}

void FailureThrottle::make_room(int64_t now) {
  // Forgotten keys first: they hold nothing any more.
  for (auto it = states_.begin(); it != states_.end();) {
    it = forgotten(it->second, now) ? states_.erase(it) : std::next(it);
  }
  if (states_.size() < max_keys_) return;
  for (auto it = states_.begin(); it != states_.end() && states_.size() >= max_keys_;) {
    const bool below = it->second.failures < static_cast<int64_t>(threshold_);
    it = below ? states_.erase(it) : std::next(it);
  }
}

}  // namespace core::login
