#include "authd/router.h"

#include <array>
#include <exception>
#include <string>
#include <typeinfo>
#include <vector>

#include "authd/error_mapping.h"
#include "authd/log.h"
#include "authd/request_parsing.h"
#include "core/service.h"
#include "handlers.h"

namespace authd {
namespace {

enum class Access {
  open,          // no session needed
  full_session,  // a live session that has changed any one-time password
  any_session,   // a live session, even one that must change its password
  // A full session when an Authorization header is sent (refused like
  // full_session if it is not one), no session otherwise: the handler sees
  // a null principal and asks for other credentials.
  optional_session,
};

struct MethodRoute {
  std::string_view method;
  Handler handler;
  Access access;
  bool slow;  // runs Argon2id
  std::vector<std::string_view> query_names;
};

constexpr std::string_view kParam = "{}";
constexpr size_t kMaxParams = 2;

struct Route {
  std::vector<std::string_view> segments;     // kParam marks a path parameter
  std::vector<std::string_view> param_names;  // in order, to name them in errors
  std::vector<MethodRoute> methods;
  std::string allow;  // the Allow header for 405
};

std::vector<Route> make_routes() {
  std::vector<Route> routes = {
      // The web pages (static_pages.h): "/" redirects to the login page.
      {{}, {}, {{"GET", handle_web_root, Access::open, false, {}}}, {}},
      {{"ui", kParam}, {"file"}, {{"GET", handle_web_file, Access::open, false, {}}}, {}},
      {{"healthz"}, {}, {{"GET", handle_healthz, Access::open, false, {}}}, {}},
      {{"v1", "login"}, {}, {{"POST", handle_login, Access::open, true, {}}}, {}},
      // Security keys (handlers_webauthn.cc).
      {{"v1", "login", "begin"},
       {},
       {{"POST", handle_key_login_begin, Access::open, true, {}}},
       {}},
      {{"v1", "login", "finish"},
       {},
       {{"POST", handle_key_login_finish, Access::open, false, {}}},
       {}},
      {{"v1", "webauthn", "register", "begin"},
       {},
       {{"POST", handle_key_register_begin, Access::optional_session, true, {}}},
       {}},
      {{"v1", "webauthn", "register", "finish"},
       {},
       {{"POST", handle_key_register_finish, Access::optional_session, false, {}}},
       {}},
      {{"v1", "session"}, {}, {{"GET", handle_get_session, Access::full_session, false, {}}}, {}},
      {{"v1", "logout"}, {}, {{"POST", handle_logout, Access::any_session, false, {}}}, {}},
      {{"v1", "password"},
       {},
       {{"POST", handle_change_password, Access::any_session, true, {}}},
       {}},
      {{"v1", "users"}, {}, {{"POST", handle_create_user, Access::full_session, true, {}}}, {}},
      {{"v1", "users", kParam},
       {"username"},
       {{"GET", handle_get_user, Access::full_session, false, {}},
        {"PATCH", handle_update_user, Access::full_session, false, {}}},
       {}},
      {{"v1", "users", kParam, "tokens"},
       {"username"},
       {{"POST", handle_issue_token, Access::full_session, false, {}}},
       {}},
      {{"v1", "organisations"},
       {},
       {{"GET", handle_list_organisations, Access::full_session, false, {}},
        {"POST", handle_create_organisation, Access::full_session, false, {}}},
       {}},
      {{"v1", "tokens", kParam, "activate"},
       {"id"},
       {{"POST", handle_activate_token, Access::full_session, false, {}}},
       {}},
      {{"v1", "audit"},
       {},
       {{"GET", handle_list_audit, Access::full_session, false, {"after", "limit"}}},
       {}},
      {{"v1", "audit", "checkpoints"},
       {},
       {{"GET", handle_list_checkpoints, Access::full_session, false, {"after", "limit"}},
        {"POST", handle_create_checkpoint, Access::full_session, false, {}}},
       {}},
      {{"v1", "audit", "export"},
       {},
       {{"GET", handle_export_audit, Access::full_session, false, {"from", "to"}}},
       {}},
      {{"v1", "keys"}, {}, {{"GET", handle_list_keys, Access::full_session, false, {}}}, {}},
      {{"v1", "keys", kParam, "rotate"},
       {"purpose"},
       {{"POST", handle_rotate_key, Access::full_session, false, {}}},
       {}},
      {{".well-known", "jwks.json"}, {}, {{"GET", handle_jwks, Access::open, false, {}}}, {}},
      {{"v1", "organisations", kParam, "admin-rights"},
       {"id"},
       {{"POST", handle_set_admin_rights, Access::full_session, false, {}}},
       {}},
      {{"v1", "sweep"}, {}, {{"POST", handle_sweep, Access::full_session, false, {}}}, {}},
      {{"v1", "reports", kParam},
       {"name"},
       {{"GET", handle_report, Access::full_session, false, {}}},
       {}},
      {{"v1", "notifications"},
       {},
       {{"GET", handle_list_notifications, Access::full_session, false, {"after", "limit"}}},
       {}},
  };
  // The account lifecycle: POST /v1/users/{username}/<action>.
  struct Action {
    std::string_view name;
    Handler handler;
    bool slow;
  };
  for (const Action& action : {Action{"conditions", handle_record_conditions, false},
                               Action{"approve", handle_approve_user, false},
                               Action{"reject", handle_reject_user, false},
                               Action{"suspend", handle_suspend_user, false},
                               Action{"reactivate", handle_reactivate_user, false},
                               Action{"close", handle_close_user, false},
                               Action{"unlock", handle_unlock_user, false},
                               Action{"review", handle_review_user, false},
                               Action{"password-reset", handle_reset_password, true}}) {
    routes.push_back({{"v1", "users", kParam, action.name},
                      {"username"},
                      {{"POST", action.handler, Access::full_session, action.slow, {}}},
                      {}});
  }
  // A token's life after activation: POST /v1/tokens/{id}/<action>.
  for (const Action& action : {Action{"lost", handle_report_token_lost, false},
                               Action{"revoke", handle_revoke_token, false},
                               Action{"return", handle_return_token, false},
                               Action{"resync", handle_resync_token, false}}) {
    routes.push_back({{"v1", "tokens", kParam, action.name},
                      {"id"},
                      {{"POST", action.handler, Access::full_session, action.slow, {}}},
                      {}});
  }
  for (Route& route : routes) {
    for (const MethodRoute& method : route.methods) {
      if (!route.allow.empty()) route.allow += ", ";
      route.allow += method.method;
    }
  }
  return routes;
}

// Matches an origin-form path ("/v1/users/alice") against a route's segments,
// collecting the raw (still percent-encoded) parameters. Empty segments never
// match, so "//" and a trailing "/" are unknown paths; a route without
// segments is the root, "/" exactly.
bool match(const Route& route, std::string_view path,
           std::array<std::string_view, kMaxParams>& params) {
  if (route.segments.empty()) return path == "/";
  size_t found = 0;
  for (std::string_view segment : route.segments) {
    if (path.empty() || path.front() != '/') return false;
    path.remove_prefix(1);
    const size_t end = path.find('/');
    const std::string_view text = path.substr(0, end);
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
    if (text.empty()) return false;
    if (segment == kParam) {
      if (found == kMaxParams) return false;
      params[found++] = text;
    } else if (text != segment) {
      return false;
    }
  }
  return path.empty();
}

struct Match {
  const Route* route = nullptr;
  const MethodRoute* method = nullptr;
  std::array<std::string_view, kMaxParams> raw_params{};
};

Match find(const std::vector<Route>& routes, std::string_view path, std::string_view method) {
  Match result;
  for (const Route& route : routes) {
    if (!match(route, path, result.raw_params)) continue;
    result.route = &route;
    for (const MethodRoute& candidate : route.methods) {
      if (candidate.method == method) result.method = &candidate;
    }
    break;
  }
  return result;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view query_of(std::string_view target) {
  const size_t question = target.find('?');
  return question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
}

}  // namespace

struct Router::Impl {
  core::Service& service;
  std::vector<Route> routes = make_routes();

  HttpResponse dispatch(const HttpRequest& request) const;
};

Router::Router(core::Service& service) : impl_(new Impl{service}) {}

Router::~Router() = default;

bool Router::is_slow(const HttpRequest& request) const noexcept {
  const Match found = find(impl_->routes, path_of(request.target), request.method);
  return found.method != nullptr && found.method->slow;
}

HttpResponse Router::handle(const HttpRequest& request) const noexcept {
  try {
    return impl_->dispatch(request);
  } catch (const std::exception& e) {
    // The text of a standard or library exception describes the failure, not
    // the request; the body is never logged.
    log_error(std::string("unhandled exception (") + typeid(e).name() + ") on " +
              std::string(request.method) + " " +
              std::string(path_of(request.target)).substr(0, 200) + ": " + e.what());
  } catch (...) {
    log_error("unhandled non-standard exception on " + std::string(request.method));
  }
  return error_response(500, "internal", "internal error");
}

HttpResponse Router::Impl::dispatch(const HttpRequest& request) const {
  const Match found = find(routes, path_of(request.target), request.method);
  if (found.route == nullptr) return error_response(404, "not_found", "no such endpoint");
  if (found.method == nullptr) {
    HttpResponse response =
        error_response(405, "method_not_allowed", "method not allowed on this endpoint");
    response.headers.emplace_back("Allow", found.route->allow);
    return response;
  }

  std::vector<QueryParam> query;
  if (const std::string_view text = query_of(request.target); !text.empty()) {
    auto parsed = parse_query(text);
    if (!parsed) return error_response(parsed.error());
    for (const QueryParam& param : *parsed) {
      bool known = false;
      for (std::string_view name : found.method->query_names) known = known || name == param.name;
      if (!known) return bad_request("unknown query parameter", param.name);
    }
    query = std::move(*parsed);
  }

  std::array<std::string, kMaxParams> params;
  const size_t param_count = found.route->param_names.size();
  for (size_t i = 0; i < param_count; ++i) {
    auto decoded = percent_decode(found.raw_params[i], false);
    if (!decoded) {
      return bad_request("malformed path parameter", found.route->param_names[i]);
    }
    params[i] = std::move(*decoded);
  }

  if (!request.body.empty()) {
    if (request.method == "GET") {
      return bad_request("GET requests take no body", "body");
    }
    if (!is_json_content_type(request.content_type)) {
      return error_response(415, "unsupported_media_type",
                            "request bodies must be sent as application/json");
    }
  }

  std::optional<core::Principal> principal;
  const bool wants_session =
      found.method->access != Access::open &&
      (found.method->access != Access::optional_session || !request.authorization.empty());
  if (wants_session) {
    const auto token = parse_bearer(request.authorization);
    if (!token) {
      return error_response(common::make_error(common::Errc::invalid_session,
                                               "a valid bearer session token is required"));
    }
    auto authenticated = service.authenticate(*token, request.source_address);
    if (!authenticated) return error_response(authenticated.error());
    principal = std::move(*authenticated);
    if (principal->must_change_password && found.method->access != Access::any_session) {
      return error_response(common::make_error(
          common::Errc::password_change_required,
          "the password must be changed first (POST /v1/password); only that and logout are "
          "allowed until then"));
    }
  }

  const RequestContext context{service, request, principal ? &*principal : nullptr,
                               std::span<const std::string>(params.data(), param_count), query};
  return found.method->handler(context);
}

}  // namespace authd
