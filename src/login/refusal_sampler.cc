#include "login/refusal_sampler.h"

namespace core::login {

std::optional<int64_t> RefusalSampler::admit(const std::string& key, int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key);
  if (it == states_.end()) {
    // A full table is cleared rather than grown: at worst some refusals get
    // an entry of their own again, which is the safe direction.
    if (states_.size() >= max_keys_) states_.clear();
    states_.emplace(key, State{now, 0});
    return 0;
  }
  State& s = it->second;
  if (now < s.last_written + 1) {
    ++s.suppressed;
    return std::nullopt;
  }
  const int64_t folded = s.suppressed;
  s = State{now, 0};
  return folded;
}

}  // namespace core::login
