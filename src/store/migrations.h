// Versioned schema migrations for the SQLite store.
//
// The schema version lives in the database header (PRAGMA user_version).
// Migration N takes a database from version N-1 to N; each runs in its own
// BEGIN IMMEDIATE transaction together with the version bump, so a crash
// leaves the database at a whole version and two processes opening at once
// cannot both apply the same step. A database newer than this binary is
// refused (conflict) without being touched.
//
// Thread safety: call with a connection no other thread uses.
#pragma once

#include "common/result.h"
#include "store/sqlite_db.h"

namespace core::store {

// The newest schema version this binary knows.
int latest_schema_version();

// Brings `db` to latest_schema_version(). Running it again does nothing.
common::Result<void> migrate(Database& db);

// Brings `db` to version `target` (<= latest_schema_version()), as an older
// authd would have left it: for tests of upgrades. A database already at or
// past `target` is left alone, unless it is newer than this binary knows
// (conflict, as migrate()).
common::Result<void> migrate_to(Database& db, int target);

// The schema version recorded in the database.
common::Result<int> schema_version(Database& db);

}  // namespace core::store
