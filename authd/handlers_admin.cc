// The administration API: nominating and reading users, organisations,
// issuing and activating tokens, and the audit trail. The core checks the
// caller's permission and scope on every call.
#include <limits>

#include "account_bodies.h"
#include "authd/error_mapping.h"
#include "common/secret.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {
namespace {

constexpr int kDefaultAuditLimit = 100;
constexpr int kMaxAuditLimit = 1000;

}  // namespace

// A nomination: the account starts "nominated" and needs approval.
HttpResponse handle_create_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"username", FieldType::string, true},
                                                       {"display_name", FieldType::string, true},
                                                       {"organisation", FieldType::string, true},
                                                       {"roles", FieldType::string_array, true},
                                                       {"password", FieldType::string, true},
                                                       {"email", FieldType::string, false},
                                                       {"job_title", FieldType::string, false},
                                                       {"manager_name", FieldType::string, false},
                                                       {"manager_email", FieldType::string, false},
                                                       {"conditions", FieldType::object, false}});
  if (!body) return error_response(body.error());
  const auto conditions = body->find("conditions");
  if (conditions != body->end()) {
    if (auto checked = check_members(*conditions, kConditionFields, "conditions"); !checked) {
      wipe_string_field(*body, "password");
      return error_response(checked.error());
    }
  }
  core::NewUser user;
  user.username = string_field(*body, "username");
  user.display_name = string_field(*body, "display_name");
  user.organisation = string_field(*body, "organisation");
  user.roles = string_array_field(*body, "roles");
  user.password = string_field(*body, "password");
  user.email = string_field(*body, "email");
  user.job_title = string_field(*body, "job_title");
  user.manager_name = string_field(*body, "manager_name");
  user.manager_email = string_field(*body, "manager_email");
  if (conditions != body->end()) user.conditions = access_conditions(conditions_update(*conditions));
  wipe_string_field(*body, "password");

  auto created = context.service.create_user(*context.principal, user);
  common::wipe(user.password);
  if (!created) return error_response(created.error());
  HttpResponse response = json_response(201, user_json(*created));
  response.headers.emplace_back("Location", "/v1/users/" + created->username);
  return response;
}

HttpResponse handle_get_user(const RequestContext& context) {
  auto user = context.service.get_user(*context.principal, context.params[0]);
  if (!user) return error_response(user.error());
  return json_response(200, user_json(*user));
}

HttpResponse handle_list_organisations(const RequestContext& context) {
  auto organisations = context.service.list_organisations(*context.principal);
  if (!organisations) return error_response(organisations.error());
  nlohmann::json list = nlohmann::json::array();
  for (const core::Organisation& organisation : *organisations) {
    list.push_back(organisation_json(organisation));
  }
  return json_response(200, nlohmann::json{{"organisations", std::move(list)}});
}

HttpResponse handle_create_organisation(const RequestContext& context) {
  auto body =
      parse_json_object(context.request.body, {{"id", FieldType::string, true},
                                               {"name", FieldType::string, true},
                                               {"kind", FieldType::string, true},
                                               {"parent", FieldType::nullable_string, false}});
  if (!body) return error_response(body.error());
  core::Organisation organisation;
  organisation.id = string_field(*body, "id");
  organisation.name = string_field(*body, "name");
  organisation.kind = string_field(*body, "kind");
  organisation.parent = string_field(*body, "parent");
  auto created = context.service.create_organisation(*context.principal, organisation);
  if (!created) return error_response(created.error());
  return json_response(201, organisation_json(*created));
}

// {"type", "temporary"?}: a temporary token is the replacement issued while
// a lost one is replaced (it expires after the policy's lifetime).
HttpResponse handle_issue_token(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"type", FieldType::string, true},
                                                       {"temporary", FieldType::boolean, false}});
  if (!body) return error_response(body.error());
  const std::string type = string_field(*body, "type");
  if (type == "fido2" && !bool_field(*body, "temporary")) {
    auto key = context.service.issue_security_key(*context.principal, context.params[0]);
    if (!key) return error_response(key.error());
    HttpResponse response = json_response(201, issued_key_json(*key));
    common::wipe(key->enrolment_code);
    return response;
  }
  auto issued = bool_field(*body, "temporary")
                    ? context.service.issue_temporary_token(*context.principal,
                                                            context.params[0], type)
                    : context.service.issue_token(*context.principal, context.params[0], type);
  if (!issued) return error_response(issued.error());
  HttpResponse response = json_response(201, issued_token_json(*issued));
  common::wipe(issued->otpauth_uri);
  common::wipe(issued->qr_svg);
  return response;
}

HttpResponse handle_activate_token(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"otp", FieldType::string, true}});
  if (!body) return error_response(body.error());
  std::string otp = string_field(*body, "otp");
  wipe_string_field(*body, "otp");
  auto token = context.service.activate_token(*context.principal, context.params[0], otp);
  common::wipe(otp);
  if (!token) return error_response(token.error());
  return json_response(200, token_json(*token));
}

HttpResponse handle_list_audit(const RequestContext& context) {
  int64_t after = 0;
  int limit = kDefaultAuditLimit;
  for (const QueryParam& param : context.query) {
    if (param.name == "after") {
      const auto value = parse_bounded(param.value, 0, std::numeric_limits<int64_t>::max());
      if (!value) {
        return bad_request("must be an integer of 0 or more", "after");
      }
      after = *value;
    } else if (param.name == "limit") {
      const auto value = parse_bounded(param.value, 1, kMaxAuditLimit);
      if (!value) {
        return bad_request("must be an integer from 1 to 1000", "limit");
      }
      limit = static_cast<int>(*value);
    }
  }
  auto entries = context.service.list_audit(*context.principal, after, limit);
  if (!entries) return error_response(entries.error());
  nlohmann::json list = nlohmann::json::array();
  int64_t next_after = after;
  for (const core::AuditEntry& entry : *entries) {
    list.push_back(audit_entry_json(entry));
    next_after = std::max(next_after, entry.seq);
  }
  return json_response(200,
                       nlohmann::json{{"entries", std::move(list)}, {"next_after", next_after}});
}

}  // namespace authd
