// ServiceImpl: core::Service over a Context. Each method delegates to the
// file that owns the operation (login/, sessions/, accounts/, enrolment/,
// keys/, service/audit_*.cc); this class only wires them together.
//
// make_service() also lets tests build a Service over a decorated Store (a
// failing one) without going through a database path.
//
// Thread safety: as core::Service (any number of threads).
#pragma once

#include <memory>

#include "core/service.h"
#include "service/context.h"
#include "store/store.h"

namespace core {

// Builds the Context (password rules, session cache, throttles, the HSM,
// the key registry as stored) around `store`. unavailable if the password
// blocklist cannot be read; bad_request without Config.hsm.
Result<std::unique_ptr<Context>> make_context(const Config& config,
                                              std::unique_ptr<store::Store> store);

// What open() does after the store is up: refuses when a current key is not
// in the token, wraps seeds not under the current wrapping key, and starts
// the checkpointer.
Result<std::unique_ptr<Service>> make_service(const Config& config,
                                              std::unique_ptr<store::Store> store);

// GET /v1/audit: administrators; the read itself is audited (audit.read).
Result<std::vector<AuditEntry>> list_audit(Context& ctx, const Principal& who, int64_t after,
                                           int limit);
// service/audit_checkpoints.cc
Result<Checkpoint> checkpoint_audit(Context& ctx, const Principal& who);
Result<std::vector<Checkpoint>> list_checkpoints(Context& ctx, const Principal& who,
                                                 int64_t after_seq, int limit);
// service/audit_export.cc
Result<AuditExport> export_audit(Context& ctx, const Principal& who, int64_t from, int64_t to);
// service/health.cc
HealthReport health(Context& ctx);

}  // namespace core
