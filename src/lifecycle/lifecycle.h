// The automatic rules (sweep), the administrators' reports, the outbox
// listing, and the background threads that run the sweep and deliver the
// outbox.
//
// Thread safety: as Context.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "core/service.h"
#include "service/context.h"

namespace core::lifecycle {

// Service::sweep (permission sweep_run; actor = the caller) and the
// scheduler's run (actor "authd-sweep").
common::Result<SweepResult> sweep(Context& ctx, const Principal& who);
common::Result<SweepResult> scheduled_sweep(Context& ctx);

common::Result<Report> report(Context& ctx, const Principal& who, std::string_view name);
common::Result<std::vector<NotificationView>> list_notifications(Context& ctx,
                                                                 const Principal& who,
                                                                 int64_t after, int limit);

// Starts the sweep scheduler (when Config.run_scheduler) and the outbox
// deliverer (always; without a delivery method configured it only leaves
// messages pending). stop_background() joins both; idempotent.
common::Result<void> start_background(Context& ctx);
void stop_background(Context& ctx);

}  // namespace core::lifecycle
