// lifecycle::start_background / stop_background: the Service's start and
// shutdown hooks for the scheduler and the outbox deliverer.
#include "lifecycle/background.h"
#include "lifecycle/lifecycle.h"

namespace core::lifecycle {

common::Result<void> start_background(Context& ctx) {
  if (ctx.background) return {};
  auto notifier = notifications::notifier_for(ctx.config.notifications);
  // Nothing to run: no thread at all (tests that call sweep() themselves).
  if (!notifier && !ctx.config.run_scheduler) return {};
  ctx.background =
      std::make_shared<Background>(ctx, std::move(notifier), ctx.config.run_scheduler);
  ctx.background->start();
  return {};
}

void stop_background(Context& ctx) {
  if (!ctx.background) return;
  ctx.background->stop();
  ctx.background.reset();
}

}  // namespace core::lifecycle
