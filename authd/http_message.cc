#include "authd/http_message.h"

namespace authd {

const std::vector<HeaderField>& security_headers() {
  // Nothing may be cached (sessions, one-time secrets), sniffed as another
  // type or framed; the Content-Security-Policy comes with each response,
  // since the web pages need a different one from the API's.
  static const std::vector<HeaderField> headers = {
      {"Strict-Transport-Security", "max-age=31536000"},
      {"Cache-Control", "no-store"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  return headers;
}

}  // namespace authd
