// The account state machine (guidance 4.29-4.42): nominated -> active |
// rejected; active <-> suspended; any live state -> closed. Pure: the
// conditions that gate a transition (conditions of access, a replacement
// token, a password reset) are checked by the operation files, which name
// what is missing; this file only says which moves exist at all.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace core::accounts {

enum class AccountState { nominated, active, suspended, closed, rejected };
enum class AccountEvent { approve, reject, suspend, reactivate, close };

inline constexpr std::array kAllAccountStates = {AccountState::nominated, AccountState::active,
                                                 AccountState::suspended, AccountState::closed,
                                                 AccountState::rejected};
inline constexpr std::array kAllAccountEvents = {AccountEvent::approve, AccountEvent::reject,
                                                 AccountEvent::suspend, AccountEvent::reactivate,
                                                 AccountEvent::close};

std::string_view to_string(AccountState state);
std::string_view to_string(AccountEvent event);
std::optional<AccountState> parse_account_state(std::string_view text);

struct AccountTransition {
  std::optional<AccountState> next;  // set when the event is allowed
  std::string refusal;               // otherwise: why, for a 409 message
};

AccountTransition next_account_state(AccountState state, AccountEvent event);

// Only an active account may log in or be acted for.
inline bool can_log_in(AccountState state) { return state == AccountState::active; }

}  // namespace core::accounts
