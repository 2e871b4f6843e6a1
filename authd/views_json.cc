#include "views_json.h"

#include <openssl/evp.h>

#include <ctime>

#include "authd/log.h"
#include "core/audit_evidence.h"

namespace authd {
namespace {

using nlohmann::json;

json time_json(common::TimePoint t) { return common::to_rfc3339(t); }

json optional_time_json(const std::optional<common::TimePoint>& t) {
  return t ? json(common::to_rfc3339(*t)) : json(nullptr);
}

std::string base64(const std::vector<uint8_t>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

int64_t unix_millis(common::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

json optional_millis_json(const std::optional<common::TimePoint>& t) {
  return t ? json(rfc3339_millis(*t)) : json(nullptr);
}

}  // namespace

std::string rfc3339_millis(common::TimePoint t) {
  const auto millis = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto secs = std::chrono::floor<std::chrono::seconds>(millis);
  const std::time_t whole = std::chrono::system_clock::to_time_t(secs);
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>((millis - secs).count()));
  return text;
}

json login_json(const core::LoginGrant& grant) {
  return json{{"session", grant.session},
              {"expires_at", time_json(grant.expires_at)},
              {"idle_timeout_s", grant.idle_timeout.count()},
              {"must_change_password", grant.must_change_password}};
}

json session_json(const core::Principal& principal) {
  return json{{"username", principal.username},
              {"display_name", principal.display_name},
              {"roles", principal.roles},
              {"organisation", principal.organisation},
              {"route", principal.route},
              {"auth_methods", principal.auth_methods},
              {"created_at", time_json(principal.created_at)},
              {"expires_at", time_json(principal.expires_at)},
              {"idle_expires_at", time_json(principal.idle_expires_at)},
              {"must_change_password", principal.must_change_password}};
}

json issued_key_json(const core::IssuedSecurityKey& issued) {
  return json{{"token_id", issued.token_id},
              {"type", "fido2"},
              {"enrolment_code", issued.enrolment_code},
              {"enrolment_expires_at", time_json(issued.enrolment_expires_at)}};
}

json ceremony_json(const core::WebAuthnCeremony& ceremony) {
  // The options are our own JSON text (tokens::webauthn made it): parsing
  // cannot fail, and a failure would be a bug worth stopping for.
  return json{{"transaction", ceremony.transaction},
              {"publicKey", json::parse(ceremony.public_key_json)}};
}

json token_json(const core::TokenView& token) {
  return json{{"token_id", token.token_id},
              {"type", token.type},
              {"state", token.state},
              {"issued_at", time_json(token.issued_at)},
              {"activated_at", optional_time_json(token.activated_at)},
              {"state_changed_at", time_json(token.state_changed_at)},
              {"temporary", token.temporary},
              {"expires_at", optional_time_json(token.expires_at)},
              {"custody", token.custody}};
}

json conditions_json(const core::AccessConditions& conditions) {
  return json{{"need", conditions.need},
              {"accredited_training_on", conditions.accredited_training_on},
              {"local_training_on", conditions.local_training_on},
              {"vetting_disclosure_on", conditions.vetting_disclosure_on},
              {"vetting_basis", conditions.vetting_basis},
              {"vetting_confirmed_by", conditions.vetting_confirmed_by},
              {"vetting_confirmed_on", conditions.vetting_confirmed_on},
              {"barring_scheme_ref", conditions.barring_scheme_ref}};
}

namespace {

json state_record_json(const std::optional<core::StateRecord>& record) {
  if (!record) return nullptr;
  return json{{"state", record->state},
              {"reason", record->reason},
              {"note", record->note},
              {"requested_by", record->requested_by},
              {"verified_by", record->verified_by},
              {"actor", record->actor},
              {"at", time_json(record->at)}};
}

}  // namespace

json user_json(const core::UserView& user) {
  json tokens = json::array();
  for (const core::TokenView& token : user.tokens) tokens.push_back(token_json(token));
  return json{{"username", user.username},
              {"display_name", user.display_name},
              {"organisation", user.organisation},
              {"roles", user.roles},
              {"state", user.state},
              {"must_change_password", user.must_change_password},
              {"locked", user.locked},
              {"access_review_required", user.access_review_required},
              {"email", user.email},
              {"job_title", user.job_title},
              {"manager_name", user.manager_name},
              {"manager_email", user.manager_email},
              {"conditions", conditions_json(user.conditions)},
              {"last_change", state_record_json(user.last_change)},
              {"created_at", time_json(user.created_at)},
              {"last_login_at", optional_time_json(user.last_login_at)},
              {"tokens", std::move(tokens)}};
}

json organisation_json(const core::Organisation& organisation) {
  return json{{"id", organisation.id},
              {"name", organisation.name},
              {"kind", organisation.kind},
              {"parent", organisation.parent.empty() ? json(nullptr) : json(organisation.parent)},
              {"admin_rights", organisation.admin_rights}};
}

json sweep_result_json(const core::SweepResult& result) {
  return json{{"suspended_vetting_expired", result.suspended_vetting_expired},
              {"suspended_dormant", result.suspended_dormant},
              {"warned_vetting", result.warned_vetting},
              {"pending_too_long", result.pending_too_long},
              {"expired_temporary_tokens", result.expired_temporary_tokens}};
}

json report_json(const core::Report& report) {
  json accounts = json::array();
  for (const core::AccountReportRow& row : report.accounts) {
    accounts.push_back(json{{"username", row.username},
                            {"organisation", row.organisation},
                            {"state", row.state},
                            {"last_login_at", optional_time_json(row.last_login_at)},
                            {"since", time_json(row.since)},
                            {"detail", row.detail}});
  }
  json tokens = json::array();
  for (const core::TokenReportRow& row : report.tokens) {
    tokens.push_back(json{{"token_id", row.token_id},
                          {"username", row.username},
                          {"organisation", row.organisation},
                          {"type", row.type},
                          {"state", row.state},
                          {"custody", row.custody},
                          {"since", time_json(row.since)}});
  }
  return json{{"report", report.name}, {"accounts", std::move(accounts)},
              {"tokens", std::move(tokens)}};
}

json notification_json(const core::NotificationView& notification) {
  return json{{"id", notification.id},
              {"kind", notification.kind},
              {"recipient", notification.recipient},
              {"subject", notification.subject},
              {"about", notification.about},
              {"state", notification.state},
              {"attempts", notification.attempts},
              {"created_at", time_json(notification.created_at)},
              {"delivered_at", optional_time_json(notification.delivered_at)},
              {"last_error", notification.last_error}};
}

json issued_token_json(const core::IssuedTotp& issued) {
  return json{{"token_id", issued.token_id},
              {"otpauth_uri", issued.otpauth_uri},
              {"qr_svg", issued.qr_svg}};
}

json audit_entry_json(const core::AuditEntry& entry) {
  // The core stores detail as JSON object text; a reader gets the object. A
  // row that does not hold one is shown as an empty object and logged, so a
  // damaged row cannot break the listing (audit verify reports the damage).
  json detail = entry.detail.empty() ? json::object() : json::parse(entry.detail, nullptr, false);
  if (detail.is_discarded() || !detail.is_object()) {
    log_warn("audit entry " + std::to_string(entry.seq) +
             " has a detail that is not a JSON object");
    detail = json::object();
  }
  return json{{"seq", entry.seq},
              {"at", time_json(entry.at)},
              {"actor", entry.actor},
              {"subject", entry.subject},
              {"action", entry.action},
              {"outcome", entry.outcome},
              {"reason", entry.reason},
              {"source_address", entry.source_address},
              {"detail", std::move(detail)},
              {"prev_hash", entry.prev_hash},
              {"hash", entry.hash}};
}

json checkpoint_json(const core::Checkpoint& checkpoint) {
  return json{{"seq", checkpoint.seq},
              {"head_hash", checkpoint.head_hash},
              {"at", rfc3339_millis(checkpoint.at)},
              {"at_ms", unix_millis(checkpoint.at)},
              {"key_id", checkpoint.key_id},
              {"signature", base64(checkpoint.signature)},
              {"statement", core::checkpoint_statement(checkpoint)}};
}

json key_json(const core::KeyView& key) {
  return json{
      {"key_id", key.key_id},
      {"purpose", key.purpose},
      {"uri", key.uri},
      {"public_key_pem", key.public_key_pem.empty() ? json(nullptr) : json(key.public_key_pem)},
      {"created_at", rfc3339_millis(key.created_at)},
      {"retired_at", optional_millis_json(key.retired_at)}};
}

json health_json(const core::HealthReport& report) {
  const auto state = [](bool ok) { return ok ? "ok" : "failing"; };
  return json{{"status", state(report.audit_ok && report.hsm_ok)},
              {"audit", state(report.audit_ok)},
              {"hsm", state(report.hsm_ok)},
              {"unsigned_entries", report.unsigned_entries},
              {"last_checkpoint_at", optional_millis_json(report.last_checkpoint_at)}};
}

HttpResponse json_response(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

HttpResponse no_content() {
  HttpResponse response;
  response.status = 204;
  return response;
}

}  // namespace authd
