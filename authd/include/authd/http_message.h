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

struct HttpResponse {
  int status = 200;
  // Headers beyond the ones every response carries (see security_headers()),
  // e.g. Allow, Retry-After, WWW-Authenticate.
  std::vector<std::pair<std::string, std::string>> headers;
  // Sent as Content-Type. JSON for every answer but the audit export (JSON
  // lines); a constant, never taken from a request.
  std::string_view content_type = "application/json";
  std::string body;  // JSON text (or JSON lines), or empty (204)
};

struct HeaderField {
  const char* name;
  const char* value;
};

// The headers every response carries, whatever its status: HSTS, no-store,
// nosniff and a deny-all CSP. The transport adds them, and Content-Type from
// HttpResponse::content_type.
const std::vector<HeaderField>& security_headers();

}  // namespace authd
