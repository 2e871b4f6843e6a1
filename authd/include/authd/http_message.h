// The daemon's view of one HTTP exchange, free of Beast types so the router and
// the handlers compile quickly and can be tested without sockets.
//
// HttpRequest does not own its text: it points into the transport's parsed
// message (or a test's literals), which must outlive the request's handling.
// HttpResponse owns its text.
//
// Thread safety: plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authd {

struct HttpRequest {
  std::string_view method;         // e.g. "GET", as sent (methods are case-sensitive)
  std::string_view target;         // origin-form: path plus optional "?query"
  std::string_view content_type;   // the Content-Type header, empty if absent
  std::string_view authorization;  // the Authorization header, empty if absent
  std::string_view body;
  std::string_view source_address;  // the TCP peer's IP address
};

// The Content-Security-Policy of every API answer: nothing may load, nothing
// may frame it.
inline constexpr std::string_view kApiContentSecurityPolicy =
    "default-src 'none'; frame-ancestors 'none'";
// The policy of the web pages under /ui/: their own scripts, styles and images
// only, fetches to this origin only, no inline code, no framing.
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

struct HttpResponse {
  int status = 200;
  // Headers beyond the ones every response carries (see security_headers()),
  // e.g. Allow, Retry-After, WWW-Authenticate.
  std::vector<std::pair<std::string, std::string>> headers;
  // Sent as Content-Type. JSON for every answer but the audit export (JSON
  // lines) and the web pages (static_pages.h); a constant, never taken from a
  // request.
  std::string_view content_type = "application/json";
  std::string body;  // JSON text (or JSON lines), a web page's bytes, or empty (204)
  // Sent as Content-Security-Policy: a constant, one of the two above. The
  // transport falls back to kApiContentSecurityPolicy if it is ever empty.
  std::string_view content_security_policy = kApiContentSecurityPolicy;
};

struct HeaderField {
  const char* name;
  const char* value;
};

// The headers every response carries, whatever its status: HSTS, no-store,
// nosniff, no framing, no referrer. The transport adds them, Content-Type from
// HttpResponse::content_type and Content-Security-Policy from
// HttpResponse::content_security_policy.
const std::vector<HeaderField>& security_headers();

}  // namespace authd
