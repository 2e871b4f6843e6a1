// The account lifecycle's writes in SQLite: partner administration rights,
// state changes (compare-and-set, with their written record), details,
// conditions of access and vetting warnings. Rows are never deleted (a
// trigger refuses it) and a closed or rejected account's state never changes
// again (another trigger), whatever the code above asks.
#include <algorithm>

#include "store/sqlite_store.h"

namespace core::store {

Result<bool> SqliteTx::set_admin_rights(std::string_view org_id, std::string_view rights) {
  auto stmt = db_->prepare("UPDATE organisations SET admin_rights = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(rights, org_id);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<void> SqliteTx::set_password_set_at(int64_t user_id, int64_t at) {
  auto stmt = db_->prepare("UPDATE users SET password_set_at = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(at, user_id);
  return stmt->run();
}

Result<std::vector<UserRecord>> SqliteTx::list_users() {
  auto ids = db_->prepare("SELECT id FROM users ORDER BY id");
  if (!ids) return ids.error();
  std::vector<int64_t> all_ids;
  for (;;) {
    auto row = ids->step();
    if (!row) return row.error();
    if (!*row) break;
    all_ids.push_back(ids->int_at(0));
  }
  std::vector<UserRecord> users;
  users.reserve(all_ids.size());
  for (int64_t id : all_ids) {
    auto user = find_user_by_id(id);
    if (!user) return user.error();
    if (*user) users.push_back(std::move(**user));
  }
  return users;
}

Result<bool> SqliteTx::change_user_state(int64_t user_id, std::string_view from,
                                         const StateChangeRecord& change) {
  auto stmt = db_->prepare(
      "UPDATE users SET state = ?, change_state = ?, change_reason = ?, change_note = ?, "
      "change_requested_by = ?, change_verified_by = ?, change_actor = ?, change_at = ? "
      "WHERE id = ? AND state = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(change.state, change.state, change.reason, change.note, change.requested_by,
                 change.verified_by, change.actor, change.at, user_id, from);
  auto done = stmt->run();
  if (!done) return done.error();
  return db_->changes() == 1;
}

Result<void> SqliteTx::update_user_details(const UserRecord& user) {
  auto stmt = db_->prepare(
      "UPDATE users SET display_name = ?, email = ?, job_title = ?, manager_name = ?, "
      "manager_email = ?, access_review_required = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(user.display_name, user.email, user.job_title, user.manager_name,
                 user.manager_email, user.access_review_required, user.id);
  auto done = stmt->run();
  if (!done) return done.error();
  auto current = roles_of(user.id);
  if (!current) return current.error();
  std::vector<std::string> wanted = user.roles;
  std::sort(wanted.begin(), wanted.end());
  if (*current == wanted) return {};
  auto clear = db_->prepare("DELETE FROM user_roles WHERE user_id = ?");
  if (!clear) return clear.error();
  clear->bind_all(user.id);
  auto cleared = clear->run();
  if (!cleared) return cleared.error();
  return insert_roles(user.id, std::move(wanted));
}

Result<void> SqliteTx::set_conditions(int64_t user_id, const ConditionsRecord& c) {
  auto stmt = db_->prepare(
      "UPDATE users SET need = ?, accredited_training_on = ?, local_training_on = ?, "
      "vetting_disclosure_on = ?, vetting_basis = ?, vetting_confirmed_by = ?, "
      "vetting_confirmed_on = ?, barring_scheme_ref = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(c.need, c.accredited_training_on, c.local_training_on, c.vetting_disclosure_on,
                 c.vetting_basis, c.vetting_confirmed_by, c.vetting_confirmed_on,
                 c.barring_scheme_ref, user_id);
  return stmt->run();
}

Result<void> SqliteTx::set_vetting_warned(int64_t user_id, int64_t days) {
  auto stmt = db_->prepare("UPDATE users SET vetting_warned_days = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(days, user_id);
  return stmt->run();
}

}  // namespace core::store
