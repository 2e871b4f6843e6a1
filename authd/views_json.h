// JSON renderings of the core's values, as documented in docs/openapi.yaml
// (private to the daemon). Times are RFC 3339 UTC strings (with milliseconds
// for checkpoints and keys, whose order within a second matters); absent
// optional times are null.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "authd/http_message.h"
#include "core/service.h"

namespace authd {

nlohmann::json login_json(const core::LoginGrant& grant);
nlohmann::json session_json(const core::Principal& principal);
// {"token_id","type","state","issued_at","activated_at","state_changed_at",
//  "temporary","expires_at" (null unless temporary),"custody"}
nlohmann::json token_json(const core::TokenView& token);
// The account with its details, "conditions" (every condition member, ""
// when not recorded), "last_change" (null before the first change after
// nomination) and "tokens".
nlohmann::json user_json(const core::UserView& user);
nlohmann::json conditions_json(const core::AccessConditions& conditions);
// {"id","name","kind","parent" (null unless a partner),"admin_rights"}
nlohmann::json organisation_json(const core::Organisation& organisation);
// {"suspended_vetting_expired":[...],"suspended_dormant":[...],
//  "warned_vetting":[...],"pending_too_long":[...],"expired_temporary_tokens":[...]}
nlohmann::json sweep_result_json(const core::SweepResult& result);
// {"report", "accounts":[{username, organisation, state, last_login_at, since,
//  detail}], "tokens":[{token_id, username, organisation, type, state,
//  custody, since}]}
nlohmann::json report_json(const core::Report& report);
// {"id","kind","recipient","subject","about","state","attempts",
//  "created_at","delivered_at" (null while pending),"last_error"}
nlohmann::json notification_json(const core::NotificationView& notification);
nlohmann::json issued_token_json(const core::IssuedTotp& issued);
// {"token_id","type":"fido2","enrolment_code","enrolment_expires_at"}
nlohmann::json issued_key_json(const core::IssuedSecurityKey& issued);
// {"transaction","publicKey"}: publicKey is the options object itself.
nlohmann::json ceremony_json(const core::WebAuthnCeremony& ceremony);
nlohmann::json audit_entry_json(const core::AuditEntry& entry);
// {"seq","head_hash","at" (RFC 3339 with milliseconds),"at_ms","key_id",
//  "signature" (standard base64 of the DER ECDSA signature),"statement"}
nlohmann::json checkpoint_json(const core::Checkpoint& checkpoint);
// {"key_id","purpose","uri","public_key_pem" (null for the wrapping key),
//  "created_at","retired_at" (null while current)}, times with milliseconds.
nlohmann::json key_json(const core::KeyView& key);
// {"status":"ok"|"failing","audit":..,"hsm":..,"unsigned_entries",
//  "last_checkpoint_at" (null before the first)}
nlohmann::json health_json(const core::HealthReport& report);

// RFC 3339 UTC with milliseconds, e.g. "2026-11-25T10:15:00.123Z".
std::string rfc3339_millis(common::TimePoint t);

// A response with `body` rendered as compact JSON.
HttpResponse json_response(int status, const nlohmann::json& body);

// 204 No Content.
HttpResponse no_content();

}  // namespace authd
