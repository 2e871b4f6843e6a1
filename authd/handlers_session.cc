// Login, the session itself, logout and password change.
#include "authd/error_mapping.h"
#include "common/secret.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {

HttpResponse handle_login(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"username", FieldType::string, true},
                                                       {"password", FieldType::string, true},
                                                       {"otp", FieldType::string, true}});
  if (!body) return error_response(body.error());
  core::LoginRequest login;
  login.username = string_field(*body, "username");
  login.password = string_field(*body, "password");
  login.otp = string_field(*body, "otp");
  login.source_address = std::string(context.request.source_address);
  wipe_string_field(*body, "password");
  wipe_string_field(*body, "otp");

  auto grant = context.service.login(login);
  common::wipe(login.password);
  common::wipe(login.otp);
  if (!grant) return error_response(grant.error());
  HttpResponse response = json_response(200, login_json(*grant));
  common::wipe(grant->session);
  return response;
}

HttpResponse handle_get_session(const RequestContext& context) {
  return json_response(200, session_json(*context.principal));
}

HttpResponse handle_logout(const RequestContext& context) {
  // No body is expected; an empty object is tolerated, anything else refused.
  if (!context.request.body.empty()) {
    auto body = parse_json_object(context.request.body, {});
    if (!body) return error_response(body.error());
  }
  auto done = context.service.logout(*context.principal);
  if (!done) return error_response(done.error());
  return no_content();
}

HttpResponse handle_change_password(const RequestContext& context) {
  auto body = parse_json_object(
      context.request.body,
      {{"current_password", FieldType::string, true}, {"new_password", FieldType::string, true}});
  if (!body) return error_response(body.error());
  std::string current = string_field(*body, "current_password");
  std::string replacement = string_field(*body, "new_password");
  wipe_string_field(*body, "current_password");
  wipe_string_field(*body, "new_password");

  auto done = context.service.change_password(*context.principal, current, replacement);
  common::wipe(current);
  common::wipe(replacement);
  if (!done) return error_response(done.error());
  return no_content();
}

}  // namespace authd
