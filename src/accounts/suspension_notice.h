// The outbox messages about a suspension (guidance 4.38-4.39: the staff
// manager is told of every suspension; the user too when the automatic rules
// suspended them). Plain text, no secrets, and not the administrator's note:
// that may hold details of an investigation the manager is not yet party to.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "notifications/outbox.h"
#include "store/records.h"

namespace core::accounts {

// A human phrase for a reason from kSuspensionReasons ("token lost", ...).
std::string suspension_reason_text(std::string_view reason);

// To the staff manager (recipient user.manager_email; empty when none).
notifications::Message manager_notice(const store::UserRecord& user,
                                      const store::StateChangeRecord& change);
// To the user (recipient user.email; empty when none).
notifications::Message user_notice(const store::UserRecord& user,
                                   const store::StateChangeRecord& change);

}  // namespace core::accounts
