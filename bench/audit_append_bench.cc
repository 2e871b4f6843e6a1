// Durable audit appends per second through core, with checkpoint signing on,
// against raw SQLite inserts of rows the same size with the same durability,
// in the same run (issue 3: target >= 50%).
//
// core: each append is its own write transaction (BEGIN IMMEDIATE, read the
// chain head, hash, INSERT, COMMIT) on a WAL database with
// synchronous=FULL, while a Checkpointer signs the head through a real
// SoftHSM token at the default policy (every 1000 entries or 1 s).
// raw: sqlite3 directly, same pragmas, one INSERT per transaction of a row
// with the same column values and sizes (hashes included), no chain, no
// signing.
// The two alternate in rounds so that disk and CPU drift hit both alike.
// Prints "key: value" lines for bench/run.sh.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "audit/audit_hash.h"
#include "audit/audit_log.h"
#include "audit/checkpointer.h"
#include "hsm/hsm.h"
#include "keys/key_registry.h"
#include "store/store.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "audit_append_bench: %s\n", what.c_str());
  std::exit(1);
}

// A typical entry: a failed login with a small detail object.
core::audit::Draft typical_draft() {
  core::audit::Draft d;
  d.actor = "-";
  d.subject = "someone.else";
  d.action = "login";
  d.outcome = core::audit::kFailure;
  d.reason = "bad_password";
  d.source_address = "198.51.100.23";
  d.detail = R"({"failures":3})";
  return d;
}

class CoreAppender {
 public:
  CoreAppender(const std::filesystem::path& dir, std::shared_ptr<hsm::Hsm> hsm,
               const std::string& audit_uri) {
    auto store = core::store::open_sqlite_store(dir / "core.db", /*create=*/true);
    if (!store) die(store.error().message);
    store_ = std::move(*store);
    auto clock = common::system_clock();
    auto key = core::keys::describe_key(*hsm, core::keys::kAudit, audit_uri,
                                        common::unix_seconds(clock->now()) * 1000);
    if (!key) die(key.error().message);
    auto tx = store_->begin(core::store::Store::Mode::write);
    if (!tx || !(*tx)->insert_key(*key) || !(*tx)->commit()) die("cannot record the audit key");
    ring_.set({*key});
    checkpointer_ = std::make_unique<core::audit::Checkpointer>(*store_, hsm, ring_, clock,
                                                                policy::AuditPolicy{}, health_);
    store_->set_audit_listener(
        [c = checkpointer_.get()](int64_t n, bool ok) { c->appended(n, ok); });
    if (!checkpointer_->start()) die("cannot start the checkpointer");
  }

  void append() {
    auto tx = store_->begin(core::store::Store::Mode::write);
    if (!tx) die(tx.error().message);
    auto e = core::audit::append(**tx, common::system_clock()->now(), draft_);
    if (!e) die(e.error().message);
    if (auto done = (*tx)->commit(); !done) die(done.error().message);
  }

  int64_t finish() {
    if (!checkpointer_->stop()) die("the final checkpoint failed");
    auto tx = store_->begin(core::store::Store::Mode::read);
    auto checkpoints = (*tx)->checkpoints_after(0, 1000000);
    if (!checkpoints) die(checkpoints.error().message);
    return static_cast<int64_t>(checkpoints->size());
  }

  bool healthy() const { return health_.checkpoint_ok && health_.hsm_ok; }

 private:
  std::unique_ptr<core::store::Store> store_;
  core::keys::KeyRing ring_;
  core::HealthState health_;
  std::unique_ptr<core::audit::Checkpointer> checkpointer_;
  const core::audit::Draft draft_ = typical_draft();
};

class RawAppender {
 public:
  explicit RawAppender(const std::filesystem::path& dir) {
    if (sqlite3_open((dir / "raw.db").c_str(), &db_) != SQLITE_OK) die("cannot open raw.db");
    exec(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
        " subject TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL,"
        " reason TEXT NOT NULL, source_address TEXT NOT NULL, detail TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;");
    if (sqlite3_prepare_v2(db_, "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
                           &insert_, nullptr) != SQLITE_OK) {
      die(sqlite3_errmsg(db_));
    }
    // Same values and sizes as core's rows; the hashes are fixed 64-char strings.
    const auto d = typical_draft();
    fields_ = {d.actor,
               d.subject,
               d.action,
               d.outcome,
               d.reason,
               d.source_address,
               d.detail,
               std::string(64, 'a'),
               std::string(64, 'b')};
  }
  ~RawAppender() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }

  void append() {
    exec("BEGIN IMMEDIATE");
    sqlite3_bind_int64(insert_, 1, ++seq_);
    sqlite3_bind_int64(insert_, 2, common::unix_seconds(common::system_clock()->now()));
    for (size_t i = 0; i < fields_.size(); ++i) {
      sqlite3_bind_text(insert_, static_cast<int>(i + 3), fields_[i].c_str(), -1, SQLITE_STATIC);
    }
    if (sqlite3_step(insert_) != SQLITE_DONE) die(sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
    exec("COMMIT");
  }

 private:
  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      die(error != nullptr ? error : "sqlite error");
    }
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  int64_t seq_ = 0;
  std::vector<std::string> fields_;
};

// Appends for `seconds`; returns how many.
template <class Appender>
int64_t run_for(Appender& appender, double seconds) {
  const auto until = SteadyClock::now() + std::chrono::duration<double>(seconds);
  int64_t n = 0;
  while (SteadyClock::now() < until) {
    appender.append();
    ++n;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Durable audit appends/s through core (with checkpoint signing) vs raw SQLite"};
  double seconds = 3;
  int rounds = 3;
  app.add_option("--seconds", seconds, "seconds per round and side")->check(CLI::PositiveNumber);
  app.add_option("--rounds", rounds, "rounds, alternating core and raw")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  char pattern[] = "/tmp/audit-append-bench.XXXXXX";
  if (mkdtemp(pattern) == nullptr) die("cannot make a temporary directory");
  const std::filesystem::path dir = pattern;
  int64_t core_n = 0, raw_n = 0, checkpoints = 0;
  bool healthy = false;
  {
    auto config = hsm::create_softhsm_token(dir / "hsm", "audit-bench");
    if (!config) die(config.error().message);
    auto opened = hsm::open_pkcs11(*config);
    if (!opened) die(opened.error().message);
    std::shared_ptr<hsm::Hsm> token = std::move(*opened);
    auto uri = token->generate(hsm::KeyType::ec_p256, "audit-bench");
    if (!uri) die(uri.error().message);

    CoreAppender core_side(dir, token, *uri);
    RawAppender raw_side(dir);
    for (int r = 0; r < rounds; ++r) {
      core_n += run_for(core_side, seconds);
      raw_n += run_for(raw_side, seconds);
    }
    healthy = core_side.healthy();
    checkpoints = core_side.finish();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);

  const double total = seconds * rounds;
  const double core_rate = static_cast<double>(core_n) / total;
  const double raw_rate = static_cast<double>(raw_n) / total;
  std::printf("audit_appends_per_second: %.1f\n", core_rate);
  std::printf("raw_inserts_per_second: %.1f\n", raw_rate);
  std::printf("audit_append_ratio_percent: %.0f\n", raw_rate > 0 ? 100 * core_rate / raw_rate : 0);
  std::printf("audit_appends: %lld\n", static_cast<long long>(core_n));
  std::printf("audit_checkpoints: %lld\n", static_cast<long long>(checkpoints));
  std::printf("audit_checkpointer_healthy: %s\n", healthy ? "yes" : "no");
  return healthy ? 0 : 1;
}
