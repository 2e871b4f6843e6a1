// Checkpointer: has the HSM sign the head of the audit chain, beside the
// requests rather than inside them.
//
// When: after policy audit.checkpoint_every_entries committed entries, or
// checkpoint_interval after the last attempt when fewer arrived (whichever
// first), and only while some entry is unsigned; on demand (sign_head); and a
// final time at stop(). The append path only adds to an atomic counter and
// perhaps wakes the thread (Store::AuditListener), so an action's write
// transaction never waits for the HSM. Signing reads the head in a read
// transaction, signs outside any transaction, and stores the checkpoint in a
// short write transaction of its own.
//
// Failure: an HSM or store fault clears HealthState.checkpoint_ok (and
// hsm_ok for the HSM), keeps the entries counted as unsigned, and the next
// attempt comes one interval later (no busy retry); the first success sets
// the flags again.
//
// Time: "interval" is measured on the injected Clock (a FakeClock in tests);
// the thread wakes on real time every interval to look. Tests drive it
// deterministically with tick().
//
// Thread safety: all methods are safe from any thread. Signing is
// serialised (one checkpoint at a time, in seq order).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "common/result.h"
#include "core/service.h"
#include "hsm/hsm.h"
#include "keys/key_ring.h"
#include "policy/policy.h"
#include "service/health_state.h"
#include "store/store.h"

namespace core::audit {

class Checkpointer {
 public:
  Checkpointer(store::Store& store, std::shared_ptr<hsm::Hsm> hsm, const keys::KeyRing& keys,
               std::shared_ptr<common::Clock> clock, policy::AuditPolicy policy,
               HealthState& health);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stops the thread; no final checkpoint (that is stop()'s job).
  ~Checkpointer();

  // Counts entries left unsigned by an earlier run and starts the thread.
  common::Result<void> start();

  // The store's audit listener.
  void appended(int64_t count, bool committed);

  // Signs the head now if any entry is unsigned. Returns the newest
  // checkpoint afterwards (it covers the head as read), or nullopt when the
  // trail is empty. unavailable when the HSM or the store fails.
  common::Result<std::optional<Checkpoint>> sign_head();

  // One look by the background logic: signs when a threshold is reached.
  // True when it signed. For tests; the thread calls the same.
  common::Result<bool> tick();

  // Rotation of the audit key: under the signing lock, a last checkpoint by
  // the current key, then `change` (which retires it and records the next).
  common::Result<void> switch_key(const std::function<common::Result<void>()>& change);

  // Stops the thread, then signs a final checkpoint. Idempotent: later calls
  // do nothing and return the first call's result.
  common::Result<void> stop();

  // Entries committed since the last checkpoint as this process counts them.
  int64_t pending() const { return pending_.load(); }

 private:
  common::Result<std::optional<Checkpoint>> sign_head_locked();
  void run();
  void halt_thread();

  store::Store& store_;
  std::shared_ptr<hsm::Hsm> hsm_;
  const keys::KeyRing& keys_;
  std::shared_ptr<common::Clock> clock_;
  const policy::AuditPolicy policy_;
  HealthState& health_;

  std::atomic<int64_t> pending_{0};
  std::mutex sign_mutex_;  // one signing at a time
  std::atomic<common::TimePoint::rep> last_attempt_{0};
  std::atomic<bool> last_failed_{false};

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by wake_mutex_
  std::thread thread_;
  std::once_flag stopped_;
  common::Result<void> stop_result_;
};

}  // namespace core::audit
