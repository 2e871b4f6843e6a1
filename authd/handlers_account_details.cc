// Changing an account's details and its recorded conditions of access:
// PATCH /v1/users/{username} and POST /v1/users/{username}/conditions.
// Only the members sent change; the core validates them and raises the
// access-review flag when roles or the job title change.
#include "account_bodies.h"
#include "authd/error_mapping.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {

HttpResponse handle_update_user(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"display_name", FieldType::string, false},
                                                       {"email", FieldType::string, false},
                                                       {"job_title", FieldType::string, false},
                                                       {"manager_name", FieldType::string, false},
                                                       {"manager_email", FieldType::string, false},
                                                       {"roles", FieldType::string_array, false}});
  if (!body) return error_response(body.error());
  core::UserUpdate update;
  update.display_name = optional_string_field(*body, "display_name");
  update.email = optional_string_field(*body, "email");
  update.job_title = optional_string_field(*body, "job_title");
  update.manager_name = optional_string_field(*body, "manager_name");
  update.manager_email = optional_string_field(*body, "manager_email");
  if (body->contains("roles")) update.roles = string_array_field(*body, "roles");
  auto user = context.service.update_user(*context.principal, context.params[0], update);
  if (!user) return error_response(user.error());
  return json_response(200, user_json(*user));
}

HttpResponse handle_record_conditions(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, kConditionFields);
  if (!body) return error_response(body.error());
  auto user = context.service.record_conditions(*context.principal, context.params[0],
                                                conditions_update(*body));
  if (!user) return error_response(user.error());
  return json_response(200, user_json(*user));
}

}  // namespace authd
