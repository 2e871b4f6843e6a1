// The outbox messages of the vetting-expiry warnings (guidance 2.9, 2.11:
// renewals should be applied for in time; the staff manager helps). Plain
// text, no secrets; the disclosure's date and the day it stops counting are
// the only facts about it given.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

#include "notifications/outbox.h"
#include "store/records.h"

namespace core::notifications {

// `days_left` days before `expires_on` (days since 1970-01-01), to the user
// (recipient user.email) or the staff manager (user.manager_email); an
// empty recipient when none is recorded. Kind "vetting.warning".
Message vetting_warning_to_user(const store::UserRecord& user, int64_t days_left,
                                int64_t expires_on);
Message vetting_warning_to_manager(const store::UserRecord& user, int64_t days_left,
                                   int64_t expires_on);

}  // namespace core::notifications
