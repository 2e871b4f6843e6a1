// The token state machine (issued -> active -> lost | revoked | returned |
// suspect_clone). Pure: no storage, no clock. The core applies a transition
// with a compare-and-set on the stored state, so two administrators acting
// at once cannot both succeed from the same state.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace tokens {

enum class TokenState { issued, active, lost, revoked, returned, suspect_clone };
enum class TokenEvent {
  activate,       // the holder proved a first code
  report_lost,    // the holder (or an administrator for them) reported it lost
  revoke,         // an administrator (or closure) withdrew it
  hand_back,      // the hardware came back to the administrator
  detect_clone,   // a FIDO2 signature counter went backwards
  resynchronise,  // an administrator re-aligned a TOTP token's clock offset
};

inline constexpr std::array kAllTokenStates = {
    TokenState::issued,   TokenState::active,   TokenState::lost,
    TokenState::revoked,  TokenState::returned, TokenState::suspect_clone};
inline constexpr std::array kAllTokenEvents = {
    TokenEvent::activate,    TokenEvent::report_lost,  TokenEvent::revoke,
    TokenEvent::hand_back,   TokenEvent::detect_clone, TokenEvent::resynchronise};

std::string_view to_string(TokenState state);
std::string_view to_string(TokenEvent event);
std::optional<TokenState> parse_token_state(std::string_view text);

struct TokenTransition {
  std::optional<TokenState> next;  // set when the event is allowed
  std::string refusal;             // otherwise: why, for a 409 message
};

// The state after `event`, or why the event is not allowed in `state`.
// resynchronise keeps an active token active.
TokenTransition next_token_state(TokenState state, TokenEvent event);

// Only an active token may authenticate.
inline bool can_authenticate(TokenState state) { return state == TokenState::active; }

}  // namespace tokens
