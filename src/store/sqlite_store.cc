#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <system_error>

#include "store/migrations.h"

namespace core::store {
namespace {

// Idle connections kept for reuse; more are opened under load and closed after.
constexpr size_t kMaxIdleConnections = 8;

// How long a writer in another process (authctl, a second daemon by mistake)
// may hold the write lock before we give up with unavailable.
constexpr const char* kConnectionPragmas =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA synchronous = FULL;"
    "PRAGMA busy_timeout = 5000;"
    "PRAGMA trusted_schema = OFF;"
    // Overwritten and deleted content is zeroed, so a seed re-wrapped or a
    // session ended leaves no old bytes in free pages of the file.
    "PRAGMA secure_delete = ON;";

Result<void> set_wal(Database& db) {
  auto stmt = db.prepare("PRAGMA journal_mode = WAL");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (stmt->text_at(0) != "wal") {
    return common::make_error(common::Errc::unavailable,
                              "the database could not be switched to WAL mode");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Database>> SqliteStore::connect() {
  auto db = Database::open(path_, Database::OpenMode::read_write);
  if (!db) return db.error();
  auto set = (*db)->exec(kConnectionPragmas);
  if (!set) return set.error();
  return std::move(*db);
}

void SqliteStore::release(std::unique_ptr<Database> db) {
  // A connection left inside a transaction (a failed ROLLBACK) is not reused.
  if (!db || sqlite3_get_autocommit(db->handle()) == 0) return;
  std::lock_guard lock(pool_mutex_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(db));
}

Result<std::unique_ptr<StoreTx>> SqliteStore::begin(Mode mode) {
  const bool write = mode == Mode::write;
  std::unique_lock<std::mutex> writer;
  if (write) writer = std::unique_lock(writer_mutex_);
  std::unique_ptr<Database> db;
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      db = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!db) {
    auto opened = connect();
    if (!opened) return opened.error();
    db = std::move(*opened);
  }
  auto tx = Transaction::begin(*db, write);
  if (!tx) return tx.error();
  return std::unique_ptr<StoreTx>(
      new SqliteTx(this, std::move(db), std::move(*tx), std::move(writer)));
}

SqliteTx::SqliteTx(SqliteStore* store, std::unique_ptr<Database> db, Transaction tx,
                   std::unique_lock<std::mutex> writer)
    : store_(store), db_(std::move(db)), writer_(std::move(writer)) {
  tx_.emplace(std::move(tx));
}

SqliteTx::~SqliteTx() {
  tx_.reset();  // rolls back unless committed
  store_->release(std::move(db_));
}

Result<void> SqliteTx::commit() {
  if (!tx_) return common::make_error(common::Errc::internal, "transaction already finished");
  auto done = tx_->commit();
  if (!done) {
    store_->tell_audit_listener(audit_appended_, false);
    return done;
  }
  tx_.reset();
  // Released before the listener runs: it may wake the checkpointer, which
  // then needs the write lock itself.
  if (writer_.owns_lock()) writer_.unlock();
  store_->tell_audit_listener(audit_appended_, true);
  return {};
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path, bool create) {
  {
    auto db = Database::open(
        path, create ? Database::OpenMode::create_new : Database::OpenMode::read_write);
    if (!db) return db.error();
    // Migrate first: a database too new for us is refused before anything
    // about it changes, journal mode included.
    auto migrated = migrate(**db);
    if (!migrated) return migrated.error();
    auto wal = set_wal(**db);
    if (!wal) return wal.error();
  }
  return std::unique_ptr<Store>(new SqliteStore(path));
}

}  // namespace core::store
