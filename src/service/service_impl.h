// ServiceImpl: core::Service over a Context. Each method delegates to the
// file that owns the operation (login/, sessions/, accounts/, enrolment/,
// service/audit_read.cc); this class only wires them together.
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

// Builds the Context (password rules, session cache, throttles, dummy TOTP
// seed) around `store`. unavailable if the password blocklist cannot be read.
Result<std::unique_ptr<Context>> make_context(const Config& config,
                                              std::unique_ptr<store::Store> store);

Result<std::unique_ptr<Service>> make_service(const Config& config,
                                              std::unique_ptr<store::Store> store);

// GET /v1/audit: administrators; the read itself is audited (audit.read).
Result<std::vector<AuditEntry>> list_audit(Context& ctx, const Principal& who, int64_t after,
                                           int limit);

}  // namespace core
