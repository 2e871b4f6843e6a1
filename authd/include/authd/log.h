// The daemon's log: one line per event on stderr, "TIME LEVEL message".
//
// Only start-up, shutdown and errors are logged; never a request body, a
// password, a code, a session token or an Authorization header. Callers pass
// text they have checked for that.
//
// Thread safety: safe from any thread; each line is written with one call.
#pragma once

#include <string_view>

namespace authd {

void log_info(std::string_view message) noexcept;
void log_warn(std::string_view message) noexcept;
void log_error(std::string_view message) noexcept;

}  // namespace authd
