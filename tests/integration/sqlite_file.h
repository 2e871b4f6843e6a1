// Direct access to a data directory's SQLite file, as someone holding the
// file (not authd) would have it: for tampering with the audit trail and for
// looking at what is stored.
//
// Thread safety: each call opens and closes its own connection.
#pragma once

#include <filesystem>
#include <string>

namespace integration {

// Runs one SQL statement (or several, separated by ';') on the file; returns
// the first column of the first row of the last statement ("" when none).
// Fails the current test on an SQLite error.
std::string sql(const std::filesystem::path& db_file, const std::string& statements);

// Like sql() but reports whether the statements succeeded instead of failing.
bool sql_succeeds(const std::filesystem::path& db_file, const std::string& statements);

}  // namespace integration
