// An account's state changes and the administrator's interventions:
// approve, reject, suspend, reactivate, close, unlock, access review and
// password reset (POST /v1/users/{username}/...). The written record
// (reason, note, who asked, who verified) goes to the core as sent; the core
// decides what each action requires beyond the members marked required here
// and answers 409 with the reason for an illegal transition.
#include "authd/error_mapping.h"
#include "common/secret.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {
namespace {

core::ActionRecord action_record(const nlohmann::json& body) {
  core::ActionRecord record;
  record.reason = string_field(body, "reason");
  record.note = string_field(body, "note");
  record.requested_by = string_field(body, "requested_by");
  record.verified_by = string_field(body, "verified_by");
  return record;
}

HttpResponse user_answer(const common::Result<core::UserView>& user) {
  if (!user) return error_response(user.error());
  return json_response(200, user_json(*user));
}

}  // namespace

HttpResponse handle_approve_user(const RequestContext& context) {
  if (auto empty = expect_empty_object(context.request); !empty) {
    return error_response(empty.error());
  }
  return user_answer(context.service.approve_user(*context.principal, context.params[0]));
}

HttpResponse handle_reject_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"reason", FieldType::string, true}});
  if (!body) return error_response(body.error());
  return user_answer(
      context.service.reject_user(*context.principal, context.params[0], action_record(*body)));
}

HttpResponse handle_suspend_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"reason", FieldType::string, true},
                                                       {"note", FieldType::string, true},
                                                       {"requested_by", FieldType::string, false},
                                                       {"verified_by", FieldType::string, false}});
  if (!body) return error_response(body.error());
  return user_answer(
      context.service.suspend_user(*context.principal, context.params[0], action_record(*body)));
}

HttpResponse handle_reactivate_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"note", FieldType::string, true},
                                                       {"requested_by", FieldType::string, false},
                                                       {"verified_by", FieldType::string, false}});
  if (!body) return error_response(body.error());
  return user_answer(context.service.reactivate_user(*context.principal, context.params[0],
                                                     action_record(*body)));
}

HttpResponse handle_close_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"reason", FieldType::string, false},
                                                       {"note", FieldType::string, true}});
  if (!body) return error_response(body.error());
  return user_answer(
      context.service.close_user(*context.principal, context.params[0], action_record(*body)));
}

HttpResponse handle_unlock_user(const RequestContext& context) {
  if (auto empty = expect_empty_object(context.request); !empty) {
    return error_response(empty.error());
  }
  return user_answer(context.service.unlock_user(*context.principal, context.params[0]));
}

HttpResponse handle_review_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"note", FieldType::string, true}});
  if (!body) return error_response(body.error());
  return user_answer(context.service.clear_access_review(*context.principal, context.params[0],
                                                         string_field(*body, "note")));
}

// The one-time password is in this answer only; every answer already carries
// Cache-Control: no-store (security_headers()).
HttpResponse handle_reset_password(const RequestContext& context) {
  if (auto empty = expect_empty_object(context.request); !empty) {
    return error_response(empty.error());
  }
  auto password = context.service.reset_password(*context.principal, context.params[0]);
  if (!password) return error_response(password.error());
  nlohmann::json body = {{"password", *password}};
  common::wipe(*password);
  HttpResponse response = json_response(200, body);
  wipe_string_field(body, "password");
  return response;
}

}  // namespace authd
