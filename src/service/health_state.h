// What Service::health() reports, as flags the failing and succeeding paths
// set: the last audit write, the last checkpoint signing, the last HSM call.
//
// Thread safety: atomics; any thread may set or read.
#pragma once

#include <atomic>

namespace core {

struct HealthState {
  std::atomic<bool> audit_write_ok{true};  // the last commit carrying audit entries
  std::atomic<bool> checkpoint_ok{true};   // the last checkpoint attempt
  std::atomic<bool> hsm_ok{true};          // the last HSM operation
};

}  // namespace core
