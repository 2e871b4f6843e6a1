// TOTP tokens in SQLite.
#include "store/sqlite_store.h"

namespace core::store {
namespace {

constexpr const char* kTokenColumns =
    "SELECT id, user_id, type, state, secret, last_step, drift_offset, issued_at, activated_at, "
    "secret_key FROM tokens ";

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
  return token;
}

}  // namespace

Result<void> SqliteTx::insert_token(const TokenRecord& token) {
  auto stmt = db_->prepare(
      "INSERT INTO tokens (id, user_id, type, state, secret, last_step, drift_offset, issued_at, "
      "activated_at, secret_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(token.id, token.user_id, token.type, token.state);
  stmt->bind_blob(5, token.sealed_secret);
  stmt->bind(6, token.last_step);
  stmt->bind(7, token.drift_offset);
  stmt->bind(8, token.issued_at);
  stmt->bind(9, token.activated_at);
  stmt->bind(10, token.secret_key);
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
  std::vector<TokenRecord> all;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return all;
    all.push_back(read_token(*stmt));
  }
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
      "UPDATE tokens SET state = 'active', last_step = ?, drift_offset = ?, activated_at = ? "
      "WHERE id = ? AND state = 'issued' AND last_step < ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(step, drift, at, token_id, step);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<std::vector<TokenRecord>> SqliteTx::tokens_not_sealed_by(std::string_view key_id,
                                                                std::string_view after_id,
                                                                int limit) {
  auto stmt = db_->prepare(std::string(kTokenColumns) +
                           "WHERE id > ? AND (secret_key IS NULL OR secret_key != ?) "
                           "ORDER BY id LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(after_id, key_id, static_cast<int64_t>(limit));
  std::vector<TokenRecord> all;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return all;
    all.push_back(read_token(*stmt));
  }
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
