// FIDO2 security keys in SQLite: registered credentials, the enrolment codes
// of issued fido2 tokens, WebAuthn ceremonies in flight, and named settings.
// Every "only once" rule is a compare-and-set in the statement's WHERE clause
// (so two concurrent attempts cannot both win) and again a trigger in the
// schema (so no other statement can undo it); see migrations.cc, version 4.
#include <nlohmann/json.hpp>

#include "store/sqlite_store.h"

namespace core::store {
namespace {

using common::Errc;
using common::make_error;

constexpr const char* kCredentialColumns =
    "SELECT c.token_id, c.credential_id, c.algorithm, c.public_key, c.sign_count, c.aaguid, "
    "c.format, c.attestation_trust, c.transports, c.created_at, c.last_used_at "
    "FROM webauthn_credentials c ";

constexpr const char* kCeremonyColumns =
    "SELECT id_hash, kind, user_id, username, token_id, challenge, created_at, expires_at, "
    "used_at, source_address FROM webauthn_ceremonies ";

// Transports are whatever the browser reported, so they are kept as a JSON
// array rather than joined with a separator one of them might contain.
// Invalid UTF-8 is replaced, not thrown on: the value is a hint, never trusted.
std::string transports_text(const std::vector<std::string>& transports) {
  return nlohmann::json(transports).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::vector<std::string>> transports_of(const std::string& text) {
  const auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) {
    return make_error(Errc::internal, "a stored credential's transports are not a JSON array");
  }
  std::vector<std::string> all;
  for (const auto& item : parsed) {
    if (!item.is_string()) {
      return make_error(Errc::internal, "a stored credential's transports are not all strings");
    }
    all.push_back(item.get<std::string>());
  }
  return all;
}

Result<WebAuthnCredentialRecord> read_credential(const Statement& stmt) {
  WebAuthnCredentialRecord c;
  c.token_id = stmt.text_at(0);
  c.credential_id = stmt.blob_at(1);
  c.algorithm = static_cast<int32_t>(stmt.int_at(2));
  c.public_key = stmt.blob_at(3);
  c.sign_count = stmt.int_at(4);
  c.aaguid = stmt.text_at(5);
  c.format = stmt.text_at(6);
  c.attestation_trust = stmt.text_at(7);
  auto transports = transports_of(stmt.text_at(8));
  if (!transports) return transports.error();
  c.transports = std::move(*transports);
  c.created_at = stmt.int_at(9);
  c.last_used_at = stmt.optional_int_at(10);
  return c;
}

CeremonyRecord read_ceremony(const Statement& stmt) {
  CeremonyRecord c;
  c.id_hash = stmt.text_at(0);
  c.kind = stmt.text_at(1);
  c.user_id = stmt.optional_int_at(2);
  c.username = stmt.text_at(3);
  c.token_id = stmt.text_at(4);
  c.challenge = stmt.blob_at(5);
  c.created_at = stmt.int_at(6);
  c.expires_at = stmt.int_at(7);
  c.used_at = stmt.optional_int_at(8);
  c.source_address = stmt.text_at(9);
  return c;
}

}  // namespace

Result<void> SqliteTx::insert_webauthn_credential(const WebAuthnCredentialRecord& c) {
  auto stmt = db_->prepare(
      "INSERT INTO webauthn_credentials (token_id, credential_id, algorithm, public_key, "
      "sign_count, aaguid, format, attestation_trust, transports, created_at, last_used_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind(1, std::string_view(c.token_id));
  stmt->bind_blob(2, c.credential_id);
  stmt->bind(3, static_cast<int64_t>(c.algorithm));
  stmt->bind_blob(4, c.public_key);
  stmt->bind(5, c.sign_count);
  stmt->bind(6, std::string_view(c.aaguid));
  stmt->bind(7, std::string_view(c.format));
  stmt->bind(8, std::string_view(c.attestation_trust));
  stmt->bind(9, std::string_view(transports_text(c.transports)));
  stmt->bind(10, c.created_at);
  stmt->bind(11, c.last_used_at);
  return stmt->run();
}

Result<std::optional<WebAuthnCredentialRecord>> SqliteTx::find_webauthn_credential(
    std::span<const uint8_t> credential_id) {
  auto stmt = db_->prepare(std::string(kCredentialColumns) + "WHERE c.credential_id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_blob(1, credential_id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<WebAuthnCredentialRecord>();
  auto credential = read_credential(*stmt);
  if (!credential) return credential.error();
  return std::optional<WebAuthnCredentialRecord>(std::move(*credential));
}

Result<std::vector<WebAuthnCredentialRecord>> SqliteTx::webauthn_credentials_of(int64_t user_id) {
  auto stmt = db_->prepare(std::string(kCredentialColumns) +
                           "JOIN tokens t ON t.id = c.token_id WHERE t.user_id = ? "
                           "ORDER BY c.token_id");
  if (!stmt) return stmt.error();
  stmt->bind_all(user_id);
  std::vector<WebAuthnCredentialRecord> all;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return all;
    auto credential = read_credential(*stmt);
    if (!credential) return credential.error();
    all.push_back(std::move(*credential));
  }
}

Result<bool> SqliteTx::advance_sign_count(std::string_view token_id, int64_t from, int64_t to,
                                          int64_t at) {
  // A `to` below `from` reaches the trigger and fails (conflict): the caller
  // must have refused that assertion as a possible clone before getting here.
  // The token's state is checked again here, inside the write transaction: a
  // token revoked, lost or marked a clone since the assertion was checked
  // must not open a session.
  auto stmt = db_->prepare(
      "UPDATE webauthn_credentials SET sign_count = ?, last_used_at = ? "
      "WHERE token_id = ? AND sign_count = ? AND EXISTS (SELECT 1 FROM tokens t "
      "WHERE t.id = webauthn_credentials.token_id AND t.state = 'active' "
      "AND (t.temporary = 0 OR t.expires_at IS NULL OR t.expires_at > ?))");
  if (!stmt) return stmt.error();
  stmt->bind_all(to, at, token_id, from, at);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<void> SqliteTx::insert_enrolment(const EnrolmentRecord& e) {
  auto stmt = db_->prepare(
      "INSERT INTO fido2_enrolments (token_id, code_hash, expires_at, used_at) "
      "VALUES (?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(e.token_id, e.code_hash, e.expires_at);
  stmt->bind(4, e.used_at);
  return stmt->run();
}

Result<std::optional<EnrolmentRecord>> SqliteTx::find_enrolment(std::string_view token_id) {
  auto stmt = db_->prepare(
      "SELECT token_id, code_hash, expires_at, used_at FROM fido2_enrolments WHERE token_id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(token_id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<EnrolmentRecord>();
  EnrolmentRecord e;
  e.token_id = stmt->text_at(0);
  e.code_hash = stmt->text_at(1);
  e.expires_at = stmt->int_at(2);
  e.used_at = stmt->optional_int_at(3);
  return std::optional<EnrolmentRecord>(std::move(e));
}

Result<bool> SqliteTx::use_enrolment(std::string_view token_id, int64_t at) {
  auto stmt = db_->prepare(
      "UPDATE fido2_enrolments SET used_at = ? WHERE token_id = ? AND used_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind_all(at, token_id);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<void> SqliteTx::insert_ceremony(const CeremonyRecord& c) {
  auto stmt = db_->prepare(
      "INSERT INTO webauthn_ceremonies (id_hash, kind, user_id, username, token_id, challenge, "
      "created_at, expires_at, used_at, source_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(c.id_hash, c.kind, c.user_id, c.username, c.token_id);
  stmt->bind_blob(6, c.challenge);
  stmt->bind(7, c.created_at);
  stmt->bind(8, c.expires_at);
  stmt->bind(9, c.used_at);
  stmt->bind(10, std::string_view(c.source_address));
  return stmt->run();
}

Result<std::optional<CeremonyRecord>> SqliteTx::find_ceremony(std::string_view id_hash) {
  auto stmt = db_->prepare(std::string(kCeremonyColumns) + "WHERE id_hash = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(id_hash);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<CeremonyRecord>();
  return std::optional<CeremonyRecord>(read_ceremony(*stmt));
}

Result<bool> SqliteTx::consume_ceremony(std::string_view id_hash, int64_t at) {
  auto stmt = db_->prepare(
      "UPDATE webauthn_ceremonies SET used_at = ? WHERE id_hash = ? AND used_at IS NULL");
  if (!stmt) return stmt.error();
  stmt->bind_all(at, id_hash);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<int64_t> SqliteTx::delete_ceremonies_expired_before(int64_t before) {
  auto stmt = db_->prepare("DELETE FROM webauthn_ceremonies WHERE expires_at < ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(before);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes();
}

Result<std::optional<std::vector<uint8_t>>> SqliteTx::find_setting(std::string_view name) {
  auto stmt = db_->prepare("SELECT value FROM settings WHERE name = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(name);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::vector<uint8_t>>();
  return std::optional<std::vector<uint8_t>>(stmt->blob_at(0));
}

Result<void> SqliteTx::insert_setting(std::string_view name, const std::vector<uint8_t>& value) {
  auto stmt = db_->prepare("INSERT INTO settings (name, value) VALUES (?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind(1, name);
  stmt->bind_blob(2, value);
  return stmt->run();
}

}  // namespace core::store
