// Security keys: the two WebAuthn ceremonies (registration, login), each a
// begin and a finish. The credential is passed to the core as the JSON
// text the browser's credential.toJSON() produced; tokens::webauthn parses it.
#include "authd/error_mapping.h"
#include "common/secret.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {
namespace {

constexpr FieldSpec kFinishFields[] = {{"transaction", FieldType::string, true},
                                       {"credential", FieldType::object, true}};

struct Finish {
  std::string transaction;
  std::string credential_json;
};

common::Result<Finish> parse_finish(const HttpRequest& request) {
  auto body = parse_json_object(request.body, std::span<const FieldSpec>(kFinishFields));
  if (!body) return body.error();
  return Finish{string_field(*body, "transaction"), (*body)["credential"].dump()};
}

}  // namespace

HttpResponse handle_key_login_begin(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"username", FieldType::string, true},
                                                       {"password", FieldType::string, true}});
  if (!body) return error_response(body.error());
  core::KeyLoginRequest login;
  login.username = string_field(*body, "username");
  login.password = string_field(*body, "password");
  login.source_address = std::string(context.request.source_address);
  wipe_string_field(*body, "password");
  auto ceremony = context.service.begin_key_login(login);
  common::wipe(login.password);
  if (!ceremony) return error_response(ceremony.error());
  return json_response(200, ceremony_json(*ceremony));
}

HttpResponse handle_key_login_finish(const RequestContext& context) {
  auto finish = parse_finish(context.request);
  if (!finish) return error_response(finish.error());
  auto grant = context.service.finish_key_login(finish->transaction, finish->credential_json,
                                                context.request.source_address);
  if (!grant) return error_response(grant.error());
  HttpResponse response = json_response(200, login_json(*grant));
  common::wipe(grant->session);
  return response;
}

HttpResponse handle_key_register_begin(const RequestContext& context) {
  if (context.principal != nullptr) {
    if (auto empty = expect_empty_object(context.request); !empty) {
      return error_response(empty.error());
    }
    auto ceremony = context.service.begin_key_registration(*context.principal);
    if (!ceremony) return error_response(ceremony.error());
    return json_response(200, ceremony_json(*ceremony));
  }
  auto body =
      parse_json_object(context.request.body, {{"username", FieldType::string, true},
                                               {"password", FieldType::string, true},
                                               {"enrolment_code", FieldType::string, true}});
  if (!body) return error_response(body.error());
  core::KeyEnrolmentRequest enrol;
  enrol.username = string_field(*body, "username");
  enrol.password = string_field(*body, "password");
  enrol.enrolment_code = string_field(*body, "enrolment_code");
  enrol.source_address = std::string(context.request.source_address);
  wipe_string_field(*body, "password");
  wipe_string_field(*body, "enrolment_code");
  auto ceremony = context.service.begin_key_registration(enrol);
  common::wipe(enrol.password);
  common::wipe(enrol.enrolment_code);
  if (!ceremony) return error_response(ceremony.error());
  return json_response(200, ceremony_json(*ceremony));
}

HttpResponse handle_key_register_finish(const RequestContext& context) {
  auto finish = parse_finish(context.request);
  if (!finish) return error_response(finish.error());
  auto token = context.service.finish_key_registration(context.principal, finish->transaction,
                                                       finish->credential_json,
                                                       context.request.source_address);
  if (!token) return error_response(token.error());
  return json_response(200, token_json(*token));
}

}  // namespace authd
