// A thin RAII wrapper over one sqlite3 connection: prepared statements with
// typed binding, stepping, and transactions that roll back unless committed.
// SQLite result codes become common::Error here: unavailable for storage
// failures, conflict for constraint violations. Messages carry SQLite's text,
// which names the statement's tables and columns, never a bound value.
//
// Thread safety: a Database and its Statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace core::store {

using common::Result;

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binding is 1-based, as in SQLite. Binding errors surface at step().
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::optional<int64_t>& value);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind_blob(int index, std::span<const uint8_t> bytes);

  // Binds every argument in order, from index 1.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // True when a row is ready, false when done.
  Result<bool> step();
  // Steps to completion, expecting no rows.
  Result<void> run();

  bool is_null(int column) const;
  int64_t int_at(int column) const;
  std::string text_at(int column) const;
  std::vector<uint8_t> blob_at(int column) const;
  std::optional<int64_t> optional_int_at(int column) const;

 private:
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& note(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_error_ = 0;
};

class Database {
 public:
  enum class OpenMode { create_new, read_write, read_only };

  // create_new refuses (conflict) an existing file; the others refuse a
  // missing one (not_found).
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path, OpenMode mode);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Result<Statement> prepare(std::string_view sql);
  // Runs one or more statements that take no parameters.
  Result<void> exec(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t changes() const;
  // PRAGMA data_version: changes when another connection commits (for tests
  // and for spotting writes from elsewhere).
  Result<int64_t> data_version();

  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// An SQLite error as a common::Error; `what` says what was being done.
common::Error sqlite_error(sqlite3* db, int rc, std::string_view what);

// BEGIN (deferred, for readers) or BEGIN IMMEDIATE (for writers, taking the
// write lock at once so a read-modify-write cannot be overtaken); rolls back
// on destruction unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db, bool write);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace core::store
