// JSON renderings of the core's values, as documented in docs/openapi.yaml
// (private to the daemon). Times are RFC 3339 UTC strings; absent optional
// times are null.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "authd/http_message.h"
#include "core/service.h"

namespace authd {

nlohmann::json login_json(const core::LoginGrant& grant);
nlohmann::json session_json(const core::Principal& principal);
nlohmann::json token_json(const core::TokenView& token);
nlohmann::json user_json(const core::UserView& user);
nlohmann::json organisation_json(const core::Organisation& organisation);
nlohmann::json issued_token_json(const core::IssuedTotp& issued);
nlohmann::json audit_entry_json(const core::AuditEntry& entry);

// A response with `body` rendered as compact JSON.
HttpResponse json_response(int status, const nlohmann::json& body);

// 204 No Content.
HttpResponse no_content();

}  // namespace authd
