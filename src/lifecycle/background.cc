#include "lifecycle/background.h"

#include "lifecycle/lifecycle.h"
#include "notifications/deliverer.h"

namespace core::lifecycle {

Background::Background(Context& ctx, std::unique_ptr<notifications::Notifier> notifier,
                       bool scheduler, std::chrono::milliseconds delivery_poll)
    : ctx_(ctx),
      notifier_(std::move(notifier)),
      scheduler_enabled_(scheduler),
      delivery_poll_(delivery_poll) {}

Background::~Background() { stop(); }

void Background::start() {
  if (scheduler_enabled_) scheduler_ = std::thread([this] { run_scheduler(); });
  if (notifier_) deliverer_ = std::thread([this] { run_deliverer(); });
}

void Background::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  if (deliverer_.joinable()) deliverer_.join();
}

bool Background::wait(std::chrono::milliseconds period) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, period, [this] { return stopping_; });
}

void Background::run_scheduler() {
  const auto period =
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx_.policy().lifecycle.sweep_interval);
  while (wait(period)) {
    // Each action is audited by the sweep itself; a failed run (store down)
    // is simply tried again next period, and its rules catch up then.
    (void)scheduled_sweep(ctx_);
  }
}

void Background::run_deliverer() {
  do {
    auto pass = notifications::deliver_due(ctx_, *notifier_);
    (void)pass;  // store failures: retried on the next poll
  } while (wait(delivery_poll_));
}

}  // namespace core::lifecycle
