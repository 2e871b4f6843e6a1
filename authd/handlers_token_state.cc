// A token's life after activation: reported lost (which also suspends the
// holder's account), revoked, returned, resynchronised
// (POST /v1/tokens/{id}/...). The core checks who may do each and answers
// 409 with the state machine's reason for an illegal transition.
#include "authd/error_mapping.h"
#include "common/secret.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {
namespace {

using TokenChange = common::Result<core::TokenView> (core::Service::*)(const core::Principal&,
                                                                      std::string_view,
                                                                      std::string_view);

// lost, revoke and return share one shape: an optional note.
HttpResponse change_token(const RequestContext& context, TokenChange change) {
  std::string note;
  if (!context.request.body.empty()) {
    auto body = parse_json_object(context.request.body, {{"note", FieldType::string, false}});
    if (!body) return error_response(body.error());
    note = string_field(*body, "note");
  }
  auto token = (context.service.*change)(*context.principal, context.params[0], note);
  if (!token) return error_response(token.error());
  return json_response(200, token_json(*token));
}

}  // namespace

HttpResponse handle_report_token_lost(const RequestContext& context) {
  return change_token(context, &core::Service::report_token_lost);
}

HttpResponse handle_revoke_token(const RequestContext& context) {
  return change_token(context, &core::Service::revoke_token);
}

HttpResponse handle_return_token(const RequestContext& context) {
  return change_token(context, &core::Service::return_token);
}

HttpResponse handle_resync_token(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"first_code", FieldType::string, true},
                                                       {"second_code", FieldType::string, true}});
  if (!body) return error_response(body.error());
  std::string first = string_field(*body, "first_code");
  std::string second = string_field(*body, "second_code");
  wipe_string_field(*body, "first_code");
  wipe_string_field(*body, "second_code");
  auto token = context.service.resync_token(*context.principal, context.params[0], first, second);
  common::wipe(first);
  common::wipe(second);
  if (!token) return error_response(token.error());
  return json_response(200, token_json(*token));
}

}  // namespace authd
