#include "accounts/accounts.h"
#include "accounts/admin_action.h"
#include "accounts/scope.h"

namespace core::accounts {
namespace {

constexpr const char* kAction = "user.read";

common::Result<UserView> read(Context& ctx, const Principal& admin, std::string_view username,
                              Refusals& refusals) {
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto target = find_target(**tx, admin, username, refusals);
  if (!target) return target.error();
  auto tokens = (*tx)->tokens_of(target->user.id);
  if (!tokens) return tokens.error();
  return user_view(target->user, *tokens);
}

}  // namespace

common::Result<UserView> get_user(Context& ctx, const Principal& who, std::string_view username) {
  auto admin = require_permission(ctx, who, &policy::PermissionsPolicy::user_read, kAction);
  if (!admin) return admin.error();
  Refusals refusals;
  auto result = read(ctx, *admin, username, refusals);
  return refusals.audited(ctx, *admin, kAction, subject_of(username), std::move(result));
}

}  // namespace core::accounts
