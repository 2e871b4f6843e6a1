// Appending to the audit trail, always inside the caller's write transaction,
// so an entry is committed with the change it records or not at all.
//
// Appends serialise on the store's write lock: the chain head is read inside
// the same write transaction that inserts the next entry, so no two entries
// can claim one seq or one predecessor.
//
// Never put a secret (password, OTP, seed, session token) in any field.
//
// Thread safety: as the StoreTx passed in (one thread).
#pragma once

#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "core/service.h"
#include "store/store.h"

namespace core::audit {

struct Draft {
  std::string actor = "-";    // username acting, "-" for none
  std::string subject = "-";  // what was acted on
  std::string action;         // e.g. "login", "user.create"
  std::string outcome;        // "success" | "failure"
  std::string reason;         // internal reason code, e.g. "ok", "bad_password"
  std::string source_address;
  std::string detail = "{}";  // JSON object text
};

inline constexpr const char* kSuccess = "success";
inline constexpr const char* kFailure = "failure";

common::Result<AuditEntry> append(store::StoreTx& tx, common::TimePoint at, const Draft& draft);

}  // namespace core::audit
