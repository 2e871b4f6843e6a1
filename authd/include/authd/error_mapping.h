// The one place where error codes become HTTP statuses and JSON error bodies.
//
// Every error body is {"error": code, "message": text} plus "field" when a
// bad_request names the offending input. too_many_attempts adds Retry-After
// (whole seconds, at least 1); invalid_session adds WWW-Authenticate: Bearer.
// internal and unavailable answers carry a generic message: the core's text
// may describe internals, so it goes to the log instead.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "authd/http_message.h"
#include "common/result.h"

namespace authd {

// The HTTP status for a core error code.
int http_status(common::Errc code) noexcept;

// The full response for a core error.
HttpResponse error_response(const common::Error& error);

// 400 bad_request naming `field` (when not empty): error_response() of
// make_error(Errc::bad_request, ...).
HttpResponse bad_request(std::string_view message, std::string_view field = {});

// A response for an error found by the daemon itself (404 unknown path, 405,
// 413, 415, ...), where `code` is the wire code, e.g. "method_not_allowed".
HttpResponse error_response(int status, std::string_view code, std::string_view message,
                            std::string_view field = {});

}  // namespace authd
