// Conditions of access (guidance 2.7, 4.29-4.33) and calendar dates.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "store/records.h"

namespace core::accounts {

// "YYYY-MM-DD" (a real calendar date, years 1900..9999) -> days since
// 1970-01-01; nullopt for anything else.
std::optional<int64_t> parse_date(std::string_view text);
std::string format_date(int64_t days_since_epoch);
inline int64_t day_of(int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
}

// Checks the evidence's form: dates parse, are not in the future, basis is
// known, an employer confirmation names who confirmed and when. "" when
// fine, else a message naming the field ("vetting_disclosure_on: ...").
std::string check_conditions_form(const store::ConditionsRecord& conditions, int64_t today);

// Every unmet condition, in the guidance's order, as short phrases for a 409
// ("need for access not recorded", "enhanced vetting disclosure older than 3
// years (2022-01-05)", ...). Empty when all are met on `today` (days since
// epoch).
std::vector<std::string> unmet_conditions(const store::ConditionsRecord& conditions,
                                          const policy::LifecyclePolicy& policy, int64_t today);

// The day the vetting disclosure stops counting (disclosure date +
// vetting_valid_days), if one is recorded.
std::optional<int64_t> vetting_expires_on(const store::ConditionsRecord& conditions,
                                          const policy::LifecyclePolicy& policy);

}  // namespace core::accounts
