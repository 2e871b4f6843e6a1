// Organisations, users and their roles in SQLite.
#include <algorithm>

#include "store/sqlite_store.h"

namespace core::store {
namespace {

constexpr const char* kUserColumns =
    "SELECT id, username, display_name, organisation, state, password_hash, "
    "must_change_password, failed_logins, locked, throttle_until, created_at, last_login_at "
    "FROM users ";

OrganisationRecord read_organisation(const Statement& stmt) {
  OrganisationRecord org;
  org.id = stmt.text_at(0);
  org.name = stmt.text_at(1);
  org.kind = stmt.text_at(2);
  org.parent = stmt.text_at(3);
  org.created_at = stmt.int_at(4);
  return org;
}

}  // namespace

Result<std::optional<OrganisationRecord>> SqliteTx::find_organisation(std::string_view id) {
  auto stmt = db_->prepare(
      "SELECT id, name, kind, COALESCE(parent, ''), created_at FROM organisations WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<OrganisationRecord>();
  return std::optional<OrganisationRecord>(read_organisation(*stmt));
}

Result<std::vector<OrganisationRecord>> SqliteTx::list_organisations() {
  auto stmt = db_->prepare(
      "SELECT id, name, kind, COALESCE(parent, ''), created_at FROM organisations ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<OrganisationRecord> all;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return all;
    all.push_back(read_organisation(*stmt));
  }
}

Result<void> SqliteTx::insert_organisation(const OrganisationRecord& org) {
  auto stmt = db_->prepare(
      "INSERT INTO organisations (id, name, kind, parent, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(org.id, org.name, org.kind);
  if (org.parent.empty()) {
    stmt->bind(4, std::optional<int64_t>());
  } else {
    stmt->bind(4, std::string_view(org.parent));
  }
  stmt->bind(5, org.created_at);
  return stmt->run();
}

Result<std::vector<std::string>> SqliteTx::roles_of(int64_t user_id) {
  auto stmt = db_->prepare("SELECT role FROM user_roles WHERE user_id = ? ORDER BY role");
  if (!stmt) return stmt.error();
  stmt->bind_all(user_id);
  std::vector<std::string> roles;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return roles;
    roles.push_back(stmt->text_at(0));
  }
}

Result<std::optional<UserRecord>> SqliteTx::read_user(Statement& stmt) {
  auto row = stmt.step();
  if (!row) return row.error();
  if (!*row) return std::optional<UserRecord>();
  UserRecord user;
  user.id = stmt.int_at(0);
  user.username = stmt.text_at(1);
  user.display_name = stmt.text_at(2);
  user.organisation = stmt.text_at(3);
  user.state = stmt.text_at(4);
  user.password_hash = stmt.text_at(5);
  user.must_change_password = stmt.int_at(6) != 0;
  user.failed_logins = stmt.int_at(7);
  user.locked = stmt.int_at(8) != 0;
  user.throttle_until = stmt.int_at(9);
  user.created_at = stmt.int_at(10);
  user.last_login_at = stmt.optional_int_at(11);
  auto roles = roles_of(user.id);
  if (!roles) return roles.error();
  user.roles = std::move(*roles);
  return std::optional<UserRecord>(std::move(user));
}

Result<std::optional<UserRecord>> SqliteTx::find_user(std::string_view username) {
  auto stmt = db_->prepare(std::string(kUserColumns) + "WHERE username = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(username);
  return read_user(*stmt);
}

Result<std::optional<UserRecord>> SqliteTx::find_user_by_id(int64_t id) {
  auto stmt = db_->prepare(std::string(kUserColumns) + "WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(id);
  return read_user(*stmt);
}

Result<int64_t> SqliteTx::insert_user(const UserRecord& user) {
  auto stmt = db_->prepare(
      "INSERT INTO users (username, display_name, organisation, state, password_hash, "
      "must_change_password, failed_logins, locked, throttle_until, created_at, last_login_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return stmt.error();
  stmt->bind_all(user.username, user.display_name, user.organisation, user.state,
                 user.password_hash, user.must_change_password, user.failed_logins, user.locked,
                 user.throttle_until, user.created_at, user.last_login_at);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return common::make_error(common::Errc::internal, "insert returned no id");
  const int64_t id = stmt->int_at(0);
  auto done = stmt->run();
  if (!done) return done.error();
  std::vector<std::string> roles = user.roles;
  std::sort(roles.begin(), roles.end());
  for (const auto& role : roles) {
    auto add = db_->prepare("INSERT INTO user_roles (user_id, role) VALUES (?, ?)");
    if (!add) return add.error();
    add->bind_all(id, role);
    auto added = add->run();
    if (!added) return added.error();
  }
  return id;
}

Result<void> SqliteTx::set_login_counters(int64_t user_id, const LoginCounters& counters) {
  auto stmt = db_->prepare(
      "UPDATE users SET failed_logins = ?, locked = ?, throttle_until = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(counters.failed_logins, counters.locked, counters.throttle_until, user_id);
  return stmt->run();
}

Result<void> SqliteTx::set_last_login(int64_t user_id, int64_t at) {
  auto stmt = db_->prepare("UPDATE users SET last_login_at = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(at, user_id);
  return stmt->run();
}

Result<void> SqliteTx::set_password(int64_t user_id, std::string_view phc,
                                    bool must_change_password) {
  auto stmt =
      db_->prepare("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(phc, must_change_password, user_id);
  return stmt->run();
}

}  // namespace core::store
