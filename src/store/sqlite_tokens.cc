// Tokens in SQLite (TOTP seeds; a fido2 token's credential is in sqlite_webauthn.cc).
#include "store/sqlite_store.h"

namespace core::store {
namespace {

constexpr const char* kTokenColumns =
    "SELECT id, user_id, type, state, secret, last_step, drift_offset, issued_at, activated_at, "
    "secret_key, state_changed_at, temporary, expires_at, custody FROM tokens ";

TokenRecord read_token(const Statement& stmt) {
  TokenRecord token;
  token.id = stmt.text_at(0);
  token.user_id = stmt.int_at(1);
  token.type = stmt.text_at(2);
  token.state = stmt.text_at(3);
  token.sealed_secret = stmt.blob_at(4);
  token.last_step = stmt.int_at(5);
  token.drift_offset = stmt.int_at(6);
  token.issued_at = stmt.int_at(7);
  token.activated_at = stmt.optional_int_at(8);
  if (!stmt.is_null(9)) token.secret_key = stmt.text_at(9);
  token.state_changed_at = stmt.int_at(10);
  token.temporary = stmt.int_at(11) != 0;
  token.expires_at = stmt.optional_int_at(12);
  token.custody = stmt.text_at(13);
  return token;
}

Result<std::vector<TokenRecord>> all_rows(Statement& stmt) {
  std::vector<TokenRecord> all;
  for (;;) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return all;
    all.push_back(read_token(stmt));
  }
}

}  // namespace

Result<void> SqliteTx::insert_token(const TokenRecord& token) {
  auto stmt = db_->prepare(
      "INSERT INTO tokens (id, user_id, type, state, secret, last_step, drift_offset, issued_at, "
      "activated_at, secret_key, state_changed_at, temporary, expires_at, custody) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(token.id, token.user_id, token.type, token.state);
  stmt->bind_blob(5, token.sealed_secret);
  stmt->bind(6, token.last_step);
  stmt->bind(7, token.drift_offset);
  stmt->bind(8, token.issued_at);
  stmt->bind(9, token.activated_at);
  stmt->bind(10, token.secret_key);
  // A record made before v3 fields were filled in starts its state now.
  stmt->bind(11, token.state_changed_at != 0 ? token.state_changed_at : token.issued_at);
  stmt->bind(12, static_cast<int64_t>(token.temporary ? 1 : 0));
  stmt->bind(13, token.expires_at);
  stmt->bind(14, std::string_view(token.custody));
  return stmt->run();
}

Result<std::optional<TokenRecord>> SqliteTx::find_token(std::string_view id) {
  auto stmt = db_->prepare(std::string(kTokenColumns) + "WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<TokenRecord>();
  return std::optional<TokenRecord>(read_token(*stmt));
}

Result<std::vector<TokenRecord>> SqliteTx::tokens_of(int64_t user_id) {
  auto stmt = db_->prepare(std::string(kTokenColumns) + "WHERE user_id = ? ORDER BY issued_at, id");
  if (!stmt) return stmt.error();
  stmt->bind_all(user_id);
  return all_rows(*stmt);
}

Result<bool> SqliteTx::accept_step(std::string_view token_id, int64_t step, int64_t drift) {
  auto stmt = db_->prepare(
      "UPDATE tokens SET last_step = ?, drift_offset = ? "
      "WHERE id = ? AND state = 'active' AND last_step < ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(step, drift, token_id, step);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<bool> SqliteTx::activate_token(std::string_view token_id, int64_t step, int64_t drift,
                                      int64_t at) {
  auto stmt = db_->prepare(
      "UPDATE tokens SET state = 'active', last_step = ?, drift_offset = ?, activated_at = ?, "
      "state_changed_at = ? WHERE id = ? AND state = 'issued' AND last_step < ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(step, drift, at, at, token_id, step);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

// TOTP tokens only: a fido2 token's row holds no seed (an empty blob, no
// key), which must never pass for a legacy plain seed and get "wrapped".
Result<std::vector<TokenRecord>> SqliteTx::tokens_not_sealed_by(std::string_view key_id,
                                                                std::string_view after_id,
                                                                int limit) {
  auto stmt = db_->prepare(std::string(kTokenColumns) +
                           "WHERE type = 'totp' AND id > ? AND "
                           "(secret_key IS NULL OR secret_key != ?) "
                           "ORDER BY id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(after_id, key_id, static_cast<int64_t>(limit));
  return all_rows(*stmt);
}

Result<bool> SqliteTx::change_token_state(std::string_view token_id, std::string_view from,
                                          std::string_view to, int64_t at) {
  auto stmt = db_->prepare(
      "UPDATE tokens SET state = ?, state_changed_at = ? WHERE id = ? AND state = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(to, at, token_id, from);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<void> SqliteTx::set_token_custody(std::string_view token_id, std::string_view custody) {
  auto stmt = db_->prepare("UPDATE tokens SET custody = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(custody, token_id);
  return stmt->run();
}

Result<void> SqliteTx::set_token_sync(std::string_view token_id, int64_t last_step,
                                      int64_t drift) {
  auto stmt = db_->prepare("UPDATE tokens SET last_step = ?, drift_offset = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(last_step, drift, token_id);
  return stmt->run();
}

Result<std::vector<TokenRecord>> SqliteTx::list_tokens() {
  auto stmt = db_->prepare(std::string(kTokenColumns) + "ORDER BY id");
  if (!stmt) return stmt.error();
  return all_rows(*stmt);
}

Result<bool> SqliteTx::replace_secret(const TokenRecord& before,
                                      const std::vector<uint8_t>& sealed_secret,
                                      std::string_view key_id) {
  // "IS" compares NULL with NULL as equal: a legacy row has no key.
  auto stmt = db_->prepare(
      "UPDATE tokens SET secret = ?, secret_key = ? WHERE id = ? AND secret = ? AND secret_key IS "
      "?");
  if (!stmt) return stmt.error();
  stmt->bind_blob(1, sealed_secret);
  stmt->bind(2, key_id);
  stmt->bind(3, std::string_view(before.id));
  stmt->bind_blob(4, before.sealed_secret);
  stmt->bind(5, before.secret_key);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

}  // namespace core::store
