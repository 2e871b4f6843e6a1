// Records to the views the Service returns (no secrets cross this line).
#include "accounts/accounts.h"

namespace core::accounts {

TokenView token_view(const store::TokenRecord& token) {
  TokenView view;
  view.token_id = token.id;
  view.type = token.type;
  view.state = token.state;
  view.issued_at = common::from_unix_seconds(token.issued_at);
  if (token.activated_at) view.activated_at = common::from_unix_seconds(*token.activated_at);
  return view;
}

UserView user_view(const store::UserRecord& user, const std::vector<store::TokenRecord>& tokens) {
  UserView view;
  view.username = user.username;
  view.display_name = user.display_name;
  view.organisation = user.organisation;
  view.roles = user.roles;
  view.state = user.state;
  view.must_change_password = user.must_change_password;
  view.created_at = common::from_unix_seconds(user.created_at);
  if (user.last_login_at) view.last_login_at = common::from_unix_seconds(*user.last_login_at);
  for (const auto& token : tokens) view.tokens.push_back(token_view(token));
  return view;
}

}  // namespace core::accounts
