#include "authd/http_message.h"

namespace authd {

const std::vector<HeaderField>& security_headers() {
  // Every answer is data for an API client (JSON, or JSON lines for the audit
  // export): nothing may be cached (sessions, one-time secrets), sniffed as
  // another type, framed or allowed to load anything if a browser ever
  // renders it.
  static const std::vector<HeaderField> headers = {
      {"Strict-Transport-Security", "max-age=31536000"},
      {"Cache-Control", "no-store"},
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  return headers;
}

}  // namespace authd
