// TOTP tokens in SQLite.
#include "store/sqlite_store.h"

namespace core::store {
namespace {

constexpr const char* kTokenColumns =
    "SELECT id, user_id, type, state, secret, last_step, drift_offset, issued_at, activated_at "
    "FROM tokens ";

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
  return token;
}

}  // namespace

Result<void> SqliteTx::insert_token(const TokenRecord& token) {
  auto stmt = db_->prepare(
      "INSERT INTO tokens (id, user_id, type, state, secret, last_step, drift_offset, issued_at, "
      "activated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(token.id, token.user_id, token.type, token.state);
  stmt->bind_blob(5, token.sealed_secret);
  stmt->bind(6, token.last_step);
  stmt->bind(7, token.drift_offset);
  stmt->bind(8, token.issued_at);
  stmt->bind(9, token.activated_at);
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

}  // namespace core::store
