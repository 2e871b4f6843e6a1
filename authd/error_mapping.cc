#include "authd/error_mapping.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "authd/log.h"

namespace authd {

int http_status(common::Errc code) noexcept {
  using common::Errc;
  switch (code) {
    case Errc::bad_request:
    case Errc::weak_password:
      return 400;
    case Errc::invalid_credentials:
    case Errc::invalid_session:
      return 401;
    case Errc::forbidden:
    case Errc::account_suspended:
    case Errc::account_closed:
    case Errc::password_change_required:
      return 403;
    case Errc::not_found:
      return 404;
    case Errc::conflict:
      return 409;
    case Errc::too_many_attempts:
      return 429;
    case Errc::unavailable:
      return 503;
    case Errc::internal:
      return 500;
  }
  return 500;
}

HttpResponse error_response(int status, std::string_view code, std::string_view message,
                            std::string_view field) {
  nlohmann::json body = {{"error", code}, {"message", message}};
  if (!field.empty()) body["field"] = field;
  HttpResponse response;
  response.status = status;
  // replace: a message can never make rendering throw, whatever it holds.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse error_response(const common::Error& error) {
  const int status = http_status(error.code);
  std::string_view message = error.message;
  if (error.code == common::Errc::internal) {
    log_error("internal error: " + error.message);
    message = "internal error";
  } else if (error.code == common::Errc::unavailable) {
    log_error("service unavailable: " + error.message);
    message = "service temporarily unavailable; try again later";
  }
  const std::string_view field =
      error.code == common::Errc::bad_request || error.code == common::Errc::weak_password
          ? std::string_view(error.field)
          : std::string_view{};
  HttpResponse response = error_response(status, common::errc_name(error.code), message, field);
  if (error.code == common::Errc::too_many_attempts) {
    const auto seconds = std::max<int64_t>(1, error.retry_after.count());
    response.headers.emplace_back("Retry-After", std::to_string(seconds));
  } else if (error.code == common::Errc::invalid_session) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"authd\"");
  }
  return response;
}

HttpResponse bad_request(std::string_view message, std::string_view field) {
  return error_response(
      common::make_error(common::Errc::bad_request, std::string(message), std::string(field)));
}

}  // namespace authd
