#include "common/result.h"

namespace common {

const char* errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::bad_request: return "bad_request";
    case Errc::weak_password: return "weak_password";
    case Errc::invalid_credentials: return "invalid_credentials";
    case Errc::invalid_session: return "invalid_session";
    case Errc::too_many_attempts: return "too_many_attempts";
    case Errc::account_suspended: return "account_suspended";
    case Errc::account_closed: return "account_closed";
    case Errc::password_change_required: return "password_change_required";
    case Errc::forbidden: return "forbidden";
    case Errc::not_found: return "not_found";
    case Errc::conflict: return "conflict";
    case Errc::unavailable: return "unavailable";
    case Errc::internal: return "internal";
  }
  return "internal";
}

}  // namespace common
