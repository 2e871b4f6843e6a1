#include "accounts/accounts.h"
#include "accounts/permissions.h"
#include "accounts/validation.h"

namespace core::accounts {

common::Result<UserView> get_user(Context& ctx, const Principal& who, std::string_view username) {
  auto admin = require_admin(ctx, who, "user.read");
  if (!admin) return admin.error();
  if (!valid_username(username)) {
    return common::make_error(common::Errc::not_found, "no such user");
  }
  auto tx = ctx.store->begin(store::Store::Mode::read);
  if (!tx) return tx.error();
  auto user = (*tx)->find_user(username);
  if (!user) return user.error();
  if (!*user) return common::make_error(common::Errc::not_found, "no such user");
  auto tokens = (*tx)->tokens_of((*user)->id);
  if (!tokens) return tokens.error();
  return user_view(**user, *tokens);
}

}  // namespace core::accounts
