#include "accounts/account_lifecycle.h"

namespace core::accounts {

std::string_view to_string(AccountState state) {
  switch (state) {
    case AccountState::nominated: return "nominated";
    case AccountState::active: return "active";
    case AccountState::suspended: return "suspended";
    case AccountState::closed: return "closed";
    case AccountState::rejected: return "rejected";
  }
  return "unknown";
}

std::string_view to_string(AccountEvent event) {
  switch (event) {
    case AccountEvent::approve: return "approve";
    case AccountEvent::reject: return "reject";
    case AccountEvent::suspend: return "suspend";
    case AccountEvent::reactivate: return "reactivate";
    case AccountEvent::close: return "close";
  }
  return "unknown";
}

std::optional<AccountState> parse_account_state(std::string_view text) {
  for (AccountState state : kAllAccountStates) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

namespace {

AccountTransition to(AccountState next) { return {next, {}}; }
AccountTransition refuse(std::string why) { return {std::nullopt, std::move(why)}; }

std::string is(AccountState state) { return "the account is " + std::string(to_string(state)); }

}  // namespace

AccountTransition next_account_state(AccountState state, AccountEvent event) {
  using S = AccountState;
  if (state == S::closed) return refuse("the account is closed, for good");
  if (state == S::rejected) return refuse("the nomination was rejected; nominate again");
  switch (event) {
    case AccountEvent::approve:
    case AccountEvent::reject:
      if (state == S::nominated) return to(event == AccountEvent::approve ? S::active : S::rejected);
      return refuse(is(state) + "; only a nominated account can be approved or rejected");
    case AccountEvent::suspend:
      if (state == S::active) return to(S::suspended);
      if (state == S::suspended) return refuse("the account is already suspended");
      return refuse(is(state) + "; only an active account can be suspended");
    case AccountEvent::reactivate:
      if (state == S::suspended) return to(S::active);
      return refuse(is(state) + "; only a suspended account can be reactivated");
    case AccountEvent::close:
      return to(S::closed);
  }
  return refuse("unknown event");
}

}  // namespace core::accounts
