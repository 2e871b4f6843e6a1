// The handlers behind each route (private to the daemon). Each one parses its
// input, calls the core once and renders the result: no HTTP policy (routing,
// authentication, gating) and no domain logic lives here.
//
// Preconditions, established by the router: the method and path matched; the
// query holds only the parameters the route allows; a body, if any, was
// declared as JSON; `principal` is set for every route that needs a session,
// and the must_change_password gate has been applied.
//
// Thread safety: each call is independent; the Service is thread-safe.
#pragma once

#include <span>
#include <string>

#include "authd/http_message.h"
#include "authd/request_parsing.h"
#include "core/service.h"

namespace authd {

struct RequestContext {
  core::Service& service;
  const HttpRequest& request;
  const core::Principal* principal = nullptr;  // set on routes that need a session
  std::span<const std::string> params;         // decoded path parameters, in order
  std::span<const QueryParam> query;
};

using Handler = HttpResponse (*)(const RequestContext& context);

// handlers_health.cc
HttpResponse handle_healthz(const RequestContext& context);

// handlers_web.cc: GET / (303 to the login page) and GET /ui/{file}.
HttpResponse handle_web_root(const RequestContext& context);
HttpResponse handle_web_file(const RequestContext& context);

// handlers_session.cc
HttpResponse handle_login(const RequestContext& context);
HttpResponse handle_get_session(const RequestContext& context);
HttpResponse handle_logout(const RequestContext& context);
HttpResponse handle_change_password(const RequestContext& context);

// handlers_webauthn.cc: security-key login and registration (begin, finish).
HttpResponse handle_key_login_begin(const RequestContext& context);
HttpResponse handle_key_login_finish(const RequestContext& context);
HttpResponse handle_key_register_begin(const RequestContext& context);
HttpResponse handle_key_register_finish(const RequestContext& context);

// handlers_admin.cc
HttpResponse handle_create_user(const RequestContext& context);
HttpResponse handle_get_user(const RequestContext& context);
HttpResponse handle_list_organisations(const RequestContext& context);
HttpResponse handle_create_organisation(const RequestContext& context);
HttpResponse handle_issue_token(const RequestContext& context);
HttpResponse handle_activate_token(const RequestContext& context);
HttpResponse handle_list_audit(const RequestContext& context);

// handlers_account_details.cc: PATCH a user, record conditions of access.
HttpResponse handle_update_user(const RequestContext& context);
HttpResponse handle_record_conditions(const RequestContext& context);

// handlers_account_state.cc: approve ... close, unlock, review, password reset.
HttpResponse handle_approve_user(const RequestContext& context);
HttpResponse handle_reject_user(const RequestContext& context);
HttpResponse handle_suspend_user(const RequestContext& context);
HttpResponse handle_reactivate_user(const RequestContext& context);
HttpResponse handle_close_user(const RequestContext& context);
HttpResponse handle_unlock_user(const RequestContext& context);
HttpResponse handle_review_user(const RequestContext& context);
HttpResponse handle_reset_password(const RequestContext& context);

// handlers_token_state.cc: lost, revoke, return, resync.
HttpResponse handle_report_token_lost(const RequestContext& context);
HttpResponse handle_revoke_token(const RequestContext& context);
HttpResponse handle_return_token(const RequestContext& context);
HttpResponse handle_resync_token(const RequestContext& context);

// handlers_oversight.cc: partner admin rights, sweep, reports, outbox.
HttpResponse handle_set_admin_rights(const RequestContext& context);
HttpResponse handle_sweep(const RequestContext& context);
HttpResponse handle_report(const RequestContext& context);
HttpResponse handle_list_notifications(const RequestContext& context);

// handlers_audit.cc: checkpoints and the investigator's export.
HttpResponse handle_create_checkpoint(const RequestContext& context);
HttpResponse handle_list_checkpoints(const RequestContext& context);
HttpResponse handle_export_audit(const RequestContext& context);

// handlers_keys.cc: the key registry, rotation and the JWKS.
HttpResponse handle_list_keys(const RequestContext& context);
HttpResponse handle_rotate_key(const RequestContext& context);
HttpResponse handle_jwks(const RequestContext& context);

// A POST that takes no input: an empty body or the empty object {}.
// bad_request naming the body or the unknown member otherwise.
common::Result<void> expect_empty_object(const HttpRequest& request);

}  // namespace authd
