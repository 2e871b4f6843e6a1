#include "store/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace core::store {

using common::Errc;
using common::make_error;

common::Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  const Errc code = primary == SQLITE_CONSTRAINT ? Errc::conflict : Errc::unavailable;
  std::string message = "database error while ";
  message += what;
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return make_error(code, std::move(message));
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::note(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  return note(sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::bind(int index, std::string_view text) {
  return note(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  return value ? bind(index, *value) : note(sqlite3_bind_null(stmt_, index));
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : note(sqlite3_bind_null(stmt_, index));
}

Statement& Statement::bind_blob(int index, std::span<const uint8_t> bytes) {
  // A zero-length blob, not NULL, for an empty span.
  static const uint8_t empty = 0;
  const void* data = bytes.empty() ? &empty : bytes.data();
  return note(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT));
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) return sqlite_error(db_, bind_error_, "binding a parameter");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, rc, "running a statement");
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::int_at(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::vector<uint8_t> Statement::blob_at(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return std::vector<uint8_t>(data, data + size);
}

std::optional<int64_t> Statement::optional_int_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return int_at(column);
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path, OpenMode mode) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (mode == OpenMode::create_new && exists) {
    return make_error(Errc::conflict, "database " + path.string() + " already exists");
  }
  if (mode != OpenMode::create_new && !exists) {
    return make_error(Errc::not_found, "database " + path.string() + " does not exist");
  }
  if (mode == OpenMode::create_new) {
    // Created here, not by SQLite: O_EXCL closes the race with another
    // creator, and mode 0600 keeps password hashes and TOTP seeds from other
    // local users. SQLite gives the -wal and -shm files the same mode.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) {
        return make_error(Errc::conflict, "database " + path.string() + " already exists");
      }
      return make_error(Errc::unavailable,
                        "cannot create database " + path.string() + ": " + std::strerror(errno));
    }
    ::close(fd);
  }
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (mode != OpenMode::read_only) flags |= SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::read_only) flags |= SQLITE_OPEN_READONLY;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto error = sqlite_error(db, rc, "opening " + path.string());
    sqlite3_close_v2(db);
    return error;
  }
  return std::unique_ptr<Database>(new Database(db));
}

Database::~Database() { sqlite3_close_v2(db_); }

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_error(db_, rc, "preparing a statement");
  }
  return Statement(db_, stmt);
}

Result<void> Database::exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "executing");
  return {};
}

int64_t Database::changes() const { return sqlite3_changes64(db_); }

Result<int64_t> Database::data_version() {
  auto stmt = prepare("PRAGMA data_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return stmt->int_at(0);
}

Result<Transaction> Transaction::begin(Database& db, bool write) {
  auto begun = db.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begun) return begun.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  // A failed ROLLBACK leaves nothing to do: SQLite has already rolled back.
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
  if (db_ == nullptr) return make_error(Errc::internal, "transaction already finished");
  auto done = db_->exec("COMMIT");
  if (!done) return done.error();
  db_ = nullptr;
  return {};
}

}  // namespace core::store
