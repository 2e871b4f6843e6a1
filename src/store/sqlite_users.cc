// Organisations, users and their roles in SQLite.
#include <algorithm>

#include "store/sqlite_store.h"

namespace core::store {
namespace {

// Column order is read_user()'s; keep the two in step.
constexpr const char* kUserColumns =
    "SELECT id, username, display_name, organisation, state, password_hash, "
    "must_change_password, failed_logins, locked, throttle_until, created_at, last_login_at, "
    "email, job_title, manager_name, manager_email, access_review_required, "
    "need, accredited_training_on, local_training_on, vetting_disclosure_on, vetting_basis, "
    "vetting_confirmed_by, vetting_confirmed_on, barring_scheme_ref, "
    "change_state, change_reason, change_note, change_requested_by, change_verified_by, "
    "change_actor, change_at, password_set_at, vetting_warned_days "
    "FROM users ";

constexpr const char* kOrganisationColumns =
    "SELECT id, name, kind, COALESCE(parent, ''), created_at, admin_rights FROM organisations ";

OrganisationRecord read_organisation(const Statement& stmt) {
  OrganisationRecord org;
  org.id = stmt.text_at(0);
  org.name = stmt.text_at(1);
  org.kind = stmt.text_at(2);
  org.parent = stmt.text_at(3);
  org.created_at = stmt.int_at(4);
  org.admin_rights = stmt.text_at(5);
  return org;
}

}  // namespace

Result<std::optional<OrganisationRecord>> SqliteTx::find_organisation(std::string_view id) {
  auto stmt = db_->prepare(std::string(kOrganisationColumns) + "WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(id);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<OrganisationRecord>();
  return std::optional<OrganisationRecord>(read_organisation(*stmt));
}

Result<std::vector<OrganisationRecord>> SqliteTx::list_organisations() {
  auto stmt = db_->prepare(std::string(kOrganisationColumns) + "ORDER BY id");
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
      "INSERT INTO organisations (id, name, kind, parent, created_at, admin_rights) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->bind_all(org.id, org.name, org.kind);
  if (org.parent.empty()) {
    stmt->bind(4, std::optional<int64_t>());
  } else {
    stmt->bind(4, std::string_view(org.parent));
  }
  stmt->bind(5, org.created_at);
  stmt->bind(6, std::string_view(org.admin_rights));
  return stmt->run();
}

Result<void> SqliteTx::insert_roles(int64_t user_id, std::vector<std::string> roles) {
  std::sort(roles.begin(), roles.end());
  for (const auto& role : roles) {
    auto add = db_->prepare("INSERT INTO user_roles (user_id, role) VALUES (?, ?)");
    if (!add) return add.error();
    add->bind_all(user_id, role);
    auto added = add->run();
    if (!added) return added.error();
  }
  return {};
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
  user.email = stmt.text_at(12);
  user.job_title = stmt.text_at(13);
  user.manager_name = stmt.text_at(14);
  user.manager_email = stmt.text_at(15);
  user.access_review_required = stmt.int_at(16) != 0;
  auto& c = user.conditions;
  c.need = stmt.text_at(17);
  c.accredited_training_on = stmt.text_at(18);
  c.local_training_on = stmt.text_at(19);
  c.vetting_disclosure_on = stmt.text_at(20);
  c.vetting_basis = stmt.text_at(21);
  c.vetting_confirmed_by = stmt.text_at(22);
  c.vetting_confirmed_on = stmt.text_at(23);
  c.barring_scheme_ref = stmt.text_at(24);
  if (!stmt.is_null(25)) {
    StateChangeRecord change;
    change.state = stmt.text_at(25);
    change.reason = stmt.text_at(26);
    change.note = stmt.text_at(27);
    change.requested_by = stmt.text_at(28);
    change.verified_by = stmt.text_at(29);
    change.actor = stmt.text_at(30);
    change.at = stmt.int_at(31);
    user.last_change = std::move(change);
  }
  user.password_set_at = stmt.int_at(32);
  user.vetting_warned_days = stmt.int_at(33);
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
      "must_change_password, failed_logins, locked, throttle_until, created_at, last_login_at, "
      "email, job_title, manager_name, manager_email, access_review_required, "
      "need, accredited_training_on, local_training_on, vetting_disclosure_on, vetting_basis, "
      "vetting_confirmed_by, vetting_confirmed_on, barring_scheme_ref, password_set_at, "
      "vetting_warned_days) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  if (!stmt) return stmt.error();
  const auto& c = user.conditions;
  // A new account's password was set when it was made.
  const int64_t password_set_at = user.password_set_at != 0 ? user.password_set_at : user.created_at;
  stmt->bind_all(user.username, user.display_name, user.organisation, user.state,
                 user.password_hash, user.must_change_password, user.failed_logins, user.locked,
                 user.throttle_until, user.created_at, user.last_login_at, user.email,
                 user.job_title, user.manager_name, user.manager_email,
                 user.access_review_required, c.need, c.accredited_training_on,
                 c.local_training_on, c.vetting_disclosure_on, c.vetting_basis,
                 c.vetting_confirmed_by, c.vetting_confirmed_on, c.barring_scheme_ref,
                 password_set_at, user.vetting_warned_days);
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return common::make_error(common::Errc::internal, "insert returned no id");
  const int64_t id = stmt->int_at(0);
  auto done = stmt->run();
  if (!done) return done.error();
  auto roles = insert_roles(id, user.roles);
  if (!roles) return roles.error();
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
