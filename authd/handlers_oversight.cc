// The administrators' oversight routes: a partner's administration rights,
// running the automatic rules now, the named reports and the notifications
// outbox.
#include <limits>

#include "authd/error_mapping.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {
namespace {

constexpr int kDefaultNotificationLimit = 100;
constexpr int kMaxNotificationLimit = 1000;

}  // namespace

HttpResponse handle_set_admin_rights(const RequestContext& context) {
  auto body = parse_json_object(context.request.body, {{"state", FieldType::string, true},
                                                       {"reason", FieldType::string, true}});
  if (!body) return error_response(body.error());
  auto organisation =
      context.service.set_admin_rights(*context.principal, context.params[0],
                                       string_field(*body, "state"), string_field(*body, "reason"));
  if (!organisation) return error_response(organisation.error());
  return json_response(200, organisation_json(*organisation));
}

HttpResponse handle_sweep(const RequestContext& context) {
  if (auto empty = expect_empty_object(context.request); !empty) {
    return error_response(empty.error());
  }
  auto result = context.service.sweep(*context.principal);
  if (!result) return error_response(result.error());
  return json_response(200, sweep_result_json(*result));
}

HttpResponse handle_report(const RequestContext& context) {
  auto report = context.service.report(*context.principal, context.params[0]);
  if (!report) return error_response(report.error());
  return json_response(200, report_json(*report));
}

HttpResponse handle_list_notifications(const RequestContext& context) {
  int64_t after = 0;
  int limit = kDefaultNotificationLimit;
  for (const QueryParam& param : context.query) {
    if (param.name == "after") {
      const auto value = parse_bounded(param.value, 0, std::numeric_limits<int64_t>::max());
      if (!value) return bad_request("must be an integer of 0 or more", "after");
      after = *value;
    } else if (param.name == "limit") {
      const auto value = parse_bounded(param.value, 1, kMaxNotificationLimit);
      if (!value) return bad_request("must be an integer from 1 to 1000", "limit");
      limit = static_cast<int>(*value);
    }
  }
  auto notifications = context.service.list_notifications(*context.principal, after, limit);
  if (!notifications) return error_response(notifications.error());
  nlohmann::json list = nlohmann::json::array();
  int64_t next_after = after;
  for (const core::NotificationView& notification : *notifications) {
    list.push_back(notification_json(notification));
    next_after = std::max(next_after, notification.id);
  }
  return json_response(
      200, nlohmann::json{{"notifications", std::move(list)}, {"next_after", next_after}});
}

}  // namespace authd
