// RFC 3339 UTC text with milliseconds (keys.json, exports), and its parser
// for the offline verifier, which must read what authd wrote.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace core::audit {

// "2026-11-25T10:15:00.123Z".
std::string to_rfc3339_ms(common::TimePoint t);

// Accepts "YYYY-MM-DDThh:mm:ss[.fraction]Z" (UTC only, as authd writes);
// nullopt for anything else. Fractions beyond milliseconds are truncated.
std::optional<common::TimePoint> parse_rfc3339(std::string_view text);

int64_t unix_ms(common::TimePoint t);
common::TimePoint from_unix_ms(int64_t ms);

}  // namespace core::audit
