#include "sqlite_file.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace integration {
namespace {

struct Outcome {
  bool ok = true;
  std::string error;
  std::string first_value;
};

Outcome run(const std::filesystem::path& db_file, const std::string& statements) {
  Outcome outcome;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    outcome.ok = false;
    outcome.error = "cannot open " + db_file.string() + ": " + sqlite3_errmsg(db);
    sqlite3_close(db);
    return outcome;
  }
  const char* rest = statements.c_str();
  while (outcome.ok && rest != nullptr && *rest != '\0') {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, rest, -1, &stmt, &tail) != SQLITE_OK) {
      outcome.ok = false;
      outcome.error = std::string(rest) + ": " + sqlite3_errmsg(db);
      break;
    }
    rest = tail;
    if (stmt == nullptr) continue;  // only whitespace or a comment was left
    outcome.first_value.clear();
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      outcome.first_value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      outcome.ok = false;
      outcome.error = std::string(sqlite3_sql(stmt)) + ": " + sqlite3_errmsg(db);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return outcome;
}

}  // namespace

std::string sql(const std::filesystem::path& db_file, const std::string& statements) {
  const Outcome outcome = run(db_file, statements);
  if (!outcome.ok) ADD_FAILURE() << outcome.error;
  return outcome.first_value;
}

bool sql_succeeds(const std::filesystem::path& db_file, const std::string& statements) {
  return run(db_file, statements).ok;
}

}  // namespace integration
