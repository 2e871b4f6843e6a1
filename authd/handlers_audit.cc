// Signed audit checkpoints and the investigator's export (JSON lines, in the
// format core::verify_audit_export() reads back).
#include <limits>

#include "authd/error_mapping.h"
#include "core/audit_evidence.h"
#include "handlers.h"
#include "json_body.h"
#include "views_json.h"

namespace authd {
namespace {

constexpr int kDefaultCheckpointLimit = 100;
constexpr int kMaxCheckpointLimit = 1000;
constexpr int64_t kMaxSeq = std::numeric_limits<int64_t>::max();

}  // namespace

common::Result<void> expect_empty_object(const HttpRequest& request) {
  if (request.body.empty()) return {};
  auto body = parse_json_object(request.body, {});
  if (!body) return body.error();
  return {};
}

HttpResponse handle_create_checkpoint(const RequestContext& context) {
  if (auto empty = expect_empty_object(context.request); !empty) {
    return error_response(empty.error());
  }
  auto checkpoint = context.service.checkpoint_audit(*context.principal);
  if (!checkpoint) return error_response(checkpoint.error());
  return json_response(201, checkpoint_json(*checkpoint));
}

HttpResponse handle_list_checkpoints(const RequestContext& context) {
  int64_t after = 0;
  int limit = kDefaultCheckpointLimit;
  for (const QueryParam& param : context.query) {
    if (param.name == "after") {
      const auto value = parse_bounded(param.value, 0, kMaxSeq);
      if (!value) return bad_request("must be an integer of 0 or more", "after");
      after = *value;
    } else if (param.name == "limit") {
      const auto value = parse_bounded(param.value, 1, kMaxCheckpointLimit);
      if (!value) return bad_request("must be an integer from 1 to 1000", "limit");
      limit = static_cast<int>(*value);
    }
  }
  auto checkpoints = context.service.list_checkpoints(*context.principal, after, limit);
  if (!checkpoints) return error_response(checkpoints.error());
  nlohmann::json list = nlohmann::json::array();
  for (const core::Checkpoint& checkpoint : *checkpoints)
    list.push_back(checkpoint_json(checkpoint));
  return json_response(200, nlohmann::json{{"checkpoints", std::move(list)}});
}

HttpResponse handle_export_audit(const RequestContext& context) {
  std::optional<int64_t> from, to;
  for (const QueryParam& param : context.query) {
    const auto value = parse_bounded(param.value, 1, kMaxSeq);
    if (!value) return bad_request("must be a sequence number of 1 or more", param.name);
    (param.name == "from" ? from : to) = *value;
  }
  if (!from) return bad_request("the first sequence number to export is required", "from");
  if (!to) return bad_request("the last sequence number to export is required", "to");
  if (*to < *from) return bad_request("must not be below from", "to");

  auto exported = context.service.export_audit(*context.principal, *from, *to);
  if (!exported) return error_response(exported.error());

  // Seq order, each checkpoint right after the entry it covers, so a reader
  // can verify the lines as they stream past.
  HttpResponse response;
  response.content_type = "application/x-ndjson";
  const auto& entries = exported->entries;
  const auto& checkpoints = exported->checkpoints;
  size_t next_checkpoint = 0;
  for (const core::AuditEntry& entry : entries) {
    while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].seq < entry.seq) {
      response.body += core::export_line(checkpoints[next_checkpoint++]) + "\n";
    }
    response.body += core::export_line(entry) + "\n";
    while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].seq == entry.seq) {
      response.body += core::export_line(checkpoints[next_checkpoint++]) + "\n";
    }
  }
  while (next_checkpoint < checkpoints.size()) {
    response.body += core::export_line(checkpoints[next_checkpoint++]) + "\n";
  }
  if (exported->truncated && !entries.empty()) {
    response.headers.emplace_back("X-Next-From", std::to_string(entries.back().seq + 1));
  }
  return response;
}

}  // namespace authd
