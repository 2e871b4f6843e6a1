// The background threads of a running Service: the scheduler that runs the
// automatic rules every lifecycle.sweep_interval (first run one interval
// after start, so opening a Service changes nothing by itself), and the
// outbox deliverer that looks for due messages every second. Waits are in
// real time; what is due is decided by the Context's clock.
//
// Thread safety: start() and stop() from the thread that owns the Service;
// stop() wakes and joins both threads and is idempotent.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "notifications/notifier.h"
#include "service/context.h"

namespace core::lifecycle {

class Background {
 public:
  // `notifier` may be null (messages then wait in the outbox).
  Background(Context& ctx, std::unique_ptr<notifications::Notifier> notifier, bool scheduler,
             std::chrono::milliseconds delivery_poll = std::chrono::seconds(1));
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  ~Background();

  void start();
  void stop();

 private:
  void run_scheduler();
  void run_deliverer();
  // Waits up to `period`; false when stop() was called.
  bool wait(std::chrono::milliseconds period);

  Context& ctx_;
  std::unique_ptr<notifications::Notifier> notifier_;
  bool scheduler_enabled_;
  std::chrono::milliseconds delivery_poll_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread scheduler_;
  std::thread deliverer_;
};

}  // namespace core::lifecycle
