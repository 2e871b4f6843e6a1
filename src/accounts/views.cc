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
  view.state_changed_at = common::from_unix_seconds(token.state_changed_at);
  view.temporary = token.temporary;
  if (token.expires_at) view.expires_at = common::from_unix_seconds(*token.expires_at);
  view.custody = token.custody;
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
  view.locked = user.locked;
  view.access_review_required = user.access_review_required;
  view.email = user.email;
  view.job_title = user.job_title;
  view.manager_name = user.manager_name;
  view.manager_email = user.manager_email;
  const auto& c = user.conditions;
  view.conditions = AccessConditions{c.need,
                                     c.accredited_training_on,
                                     c.local_training_on,
                                     c.vetting_disclosure_on,
                                     c.vetting_basis,
                                     c.vetting_confirmed_by,
                                     c.vetting_confirmed_on,
                                     c.barring_scheme_ref};
  if (user.last_change) {
    const auto& l = *user.last_change;
    view.last_change = StateRecord{l.state,       l.reason, l.note, l.requested_by,
                                   l.verified_by, l.actor,  common::from_unix_seconds(l.at)};
  }
  view.created_at = common::from_unix_seconds(user.created_at);
  if (user.last_login_at) view.last_login_at = common::from_unix_seconds(*user.last_login_at);
  for (const auto& token : tokens) view.tokens.push_back(token_view(token));
  return view;
}

}  // namespace core::accounts
