// GET /healthz: for load balancers and monitoring, without a session. It
// tells whether audit entries can be written and signed, because an authd
// that cannot audit refuses every action (fail closed) and must be taken out
// of rotation.
#include "handlers.h"
#include "views_json.h"

namespace authd {

HttpResponse handle_healthz(const RequestContext& context) {
  const core::HealthReport report = context.service.health();
  return json_response(report.audit_ok && report.hsm_ok ? 200 : 503, health_json(report));
}

}  // namespace authd
