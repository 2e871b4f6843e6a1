#include "test_support.h"

#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>

#include "tokens/totp.h"

namespace core::testing {

NewUser nominee(const std::string& username, const std::string& display_name,
                const std::string& organisation, std::vector<std::string> roles,
                const std::string& password) {
  NewUser user;
  user.username = username;
  user.display_name = display_name;
  user.organisation = organisation;
  user.roles = std::move(roles);
  user.password = password;
  user.email = username + "@example.org";
  user.manager_name = "Manager of " + username;
  user.manager_email = "manager." + username + "@example.org";
  user.conditions.need = "case work with children in the area";
  user.conditions.accredited_training_on = "2025-11-05";
  user.conditions.local_training_on = "2025-11-12";
  user.conditions.vetting_disclosure_on = "2025-06-01";
  user.conditions.vetting_basis = "disclosure_seen";
  return user;
}

std::vector<uint8_t> seed_of(const std::string& uri) {
  const auto start = uri.find("secret=");
  EXPECT_NE(start, std::string::npos) << "no secret in the otpauth URI";
  if (start == std::string::npos) return {};
  const auto end = uri.find('&', start);
  const std::string b32 = uri.substr(start + 7, end == std::string::npos ? end : end - start - 7);
  auto seed = tokens::base32_decode(b32);
  EXPECT_TRUE(seed.ok());
  return seed.ok() ? *seed : std::vector<uint8_t>{};
}

namespace {

std::string random_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + "_" + std::to_string(rd());
}

struct SharedToken {
  std::filesystem::path dir;
  hsm::ModuleConfig config;
  std::shared_ptr<hsm::Hsm> hsm;
};

SharedToken& token() {
  static SharedToken* shared = [] {
    auto* t = new SharedToken;
    t->dir = std::filesystem::temp_directory_path() / ("core_test_hsm_" + random_suffix());
    auto config = hsm::create_softhsm_token(t->dir, "authd-core-test");
    if (!config.ok()) {
      ADD_FAILURE() << "cannot create a SoftHSM token: " << config.error().message;
      std::abort();
    }
    t->config = *config;
    auto opened = hsm::open_pkcs11(t->config);
    if (!opened.ok()) {
      ADD_FAILURE() << "cannot open the SoftHSM token: " << opened.error().message;
      std::abort();
    }
    t->hsm = std::move(*opened);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(token().dir, ec);
    });
    return t;
  }();
  return *shared;
}

}  // namespace

std::shared_ptr<hsm::Hsm> shared_token() { return token().hsm; }
const hsm::ModuleConfig& shared_token_config() { return token().config; }

std::string new_key(hsm::KeyType type, const std::string& prefix) {
  auto uri = shared_token()->generate(type, prefix + "-" + random_suffix());
  EXPECT_TRUE(uri.ok()) << (uri.ok() ? "" : uri.error().message);
  return uri.ok() ? *uri : std::string();
}

std::vector<TrustedKey> CoreTest::trusted_keys() const {
  auto keys = load_trusted_keys({keys_dir() / "keys.json"});
  EXPECT_TRUE(keys.ok()) << (keys.ok() ? "" : keys.error().message);
  return keys.ok() ? *keys : std::vector<TrustedKey>{};
}

TrailReport CoreTest::verify(const std::filesystem::path& database) const {
  return verify_audit_database(database, trusted_keys());
}

void CoreTest::SetUp() {
  hsm_ = std::make_shared<hsm::FaultInjectingHsm>(shared_token());
  keys_.audit = new_key(hsm::KeyType::ec_p256, "audit");
  keys_.assertion = new_key(hsm::KeyType::ec_p256, "assertion");
  keys_.wrap = new_key(hsm::KeyType::aes256, "wrap");
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() /
         ("core_test_" + std::to_string(rd()) + "_" + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
  // 2026-01-01T00:00:00Z: on a TOTP step boundary.
  clock_ = std::make_shared<common::FakeClock>(common::from_unix_seconds(1767225600));
  policy_.password.argon2_memory_kib = 1024;
  policy_.password.argon2_iterations = 1;
  policy_.password.argon2_parallelism = 1;
  const auto blocklist = dir_ / "blocklist.txt";
  std::ofstream(blocklist) << "#!comment: test list\npassword1234\nqwertyuiopas\n";
  policy_.password.blocklist_paths = {blocklist.string()};
  // No background checkpoint unless a test asks for one: keeps store and HSM
  // call counts deterministic for the fault-injection tests.
  policy_.audit.checkpoint_every_entries = 1000000;
  policy_.audit.checkpoint_interval = std::chrono::hours(1);
}

void CoreTest::TearDown() {
  service_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Config CoreTest::config() const {
  Config c;
  c.database_path = db_path();
  c.policy = policy_;
  c.clock = clock_;
  c.hsm = hsm_;
  c.public_keys_dir = keys_dir();
  return c;
}

void CoreTest::init_and_open() {
  auto admin = Service::initialise(config(), keys_);
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  bootstrap_ = *admin;
  service_ = reopen();
  ASSERT_TRUE(service_);
}

std::unique_ptr<Service> CoreTest::reopen() {
  auto opened = Service::open(config());
  EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
  if (!opened.ok()) return nullptr;
  return std::move(*opened);
}

std::string CoreTest::code_now(const std::string& uri, int step_offset) {
  const tokens::TotpParams params;
  const int64_t step = tokens::totp_step(clock_->now(), params.period) + step_offset;
  auto code = tokens::totp_code(seed_of(uri), step, params);
  EXPECT_TRUE(code.ok());
  return code.ok() ? *code : std::string();
}

std::string CoreTest::next_code(const std::string& uri) {
  clock_->advance(std::chrono::seconds(30));
  return code_now(uri);
}

Result<LoginGrant> CoreTest::login(const std::string& username, const std::string& password,
                                   const std::string& otp, const std::string& address) {
  return service_->login(LoginRequest{username, password, otp, address});
}

Principal CoreTest::admin_session() {
  auto grant = login(bootstrap_.username, bootstrap_.password, next_code(bootstrap_.otpauth_uri));
  EXPECT_TRUE(grant.ok()) << (grant.ok() ? "" : grant.error().message);
  if (!grant.ok()) return {};
  auto who = service_->authenticate(grant->session, "192.0.2.1");
  EXPECT_TRUE(who.ok());
  auto changed = service_->change_password(*who, bootstrap_.password, admin_password_);
  EXPECT_TRUE(changed.ok()) << (changed.ok() ? "" : changed.error().message);
  who = service_->authenticate(grant->session, "192.0.2.1");
  EXPECT_TRUE(who.ok());
  EXPECT_FALSE(who->must_change_password);
  return *who;
}

std::string CoreTest::make_user(const Principal& admin, const std::string& username,
                                const std::string& password, std::vector<std::string> roles,
                                const std::string& organisation) {
  const std::string initial = "initial password for " + username;
  auto user = service_->create_user(
      admin, nominee(username, "User " + username, organisation, std::move(roles), initial));
  EXPECT_TRUE(user.ok()) << (user.ok() ? "" : user.error().message);
  auto approved = service_->approve_user(admin, username);
  EXPECT_TRUE(approved.ok()) << (approved.ok() ? "" : approved.error().message);
  auto issued = service_->issue_token(admin, username, "totp");
  EXPECT_TRUE(issued.ok()) << (issued.ok() ? "" : issued.error().message);
  if (!issued.ok()) return {};
  auto active = service_->activate_token(admin, issued->token_id, code_now(issued->otpauth_uri));
  EXPECT_TRUE(active.ok()) << (active.ok() ? "" : active.error().message);
  auto grant = login(username, initial, next_code(issued->otpauth_uri));
  EXPECT_TRUE(grant.ok()) << (grant.ok() ? "" : grant.error().message);
  if (!grant.ok()) return issued->otpauth_uri;
  auto who = service_->authenticate(grant->session, "192.0.2.1");
  EXPECT_TRUE(who.ok());
  auto changed = service_->change_password(*who, initial, password);
  EXPECT_TRUE(changed.ok()) << (changed.ok() ? "" : changed.error().message);
  EXPECT_TRUE(service_->logout(*who).ok());
  return issued->otpauth_uri;
}

Principal CoreTest::session_of(const std::string& username, const std::string& password,
                               const std::string& otpauth_uri) {
  auto grant = login(username, password, next_code(otpauth_uri));
  EXPECT_TRUE(grant.ok()) << (grant.ok() ? "" : grant.error().message);
  if (!grant.ok()) return {};
  auto who = service_->authenticate(grant->session, "192.0.2.1");
  EXPECT_TRUE(who.ok());
  return who.ok() ? *who : Principal{};
}

void CoreTest::sql(const std::string& statement) const {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

int64_t CoreTest::sql_int(const std::string& query) const {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

std::string CoreTest::sql_text(const std::string& query) const {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  std::string value;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

}  // namespace core::testing
