#include "tokens/lifecycle.h"

namespace tokens {

std::string_view to_string(TokenState state) {
  switch (state) {
    case TokenState::issued: return "issued";
    case TokenState::active: return "active";
    case TokenState::lost: return "lost";
    case TokenState::revoked: return "revoked";
    case TokenState::returned: return "returned";
    case TokenState::suspect_clone: return "suspect_clone";
  }
  return "unknown";
}

std::string_view to_string(TokenEvent event) {
  switch (event) {
    case TokenEvent::activate: return "activate";
    case TokenEvent::report_lost: return "report_lost";
    case TokenEvent::revoke: return "revoke";
    case TokenEvent::hand_back: return "return";
    case TokenEvent::detect_clone: return "detect_clone";
    case TokenEvent::resynchronise: return "resync";
  }
  return "unknown";
}

std::optional<TokenState> parse_token_state(std::string_view text) {
  for (TokenState state : kAllTokenStates) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

namespace {

TokenTransition to(TokenState next) { return {next, {}}; }
TokenTransition refuse(std::string why) { return {std::nullopt, std::move(why)}; }

}  // namespace

TokenTransition next_token_state(TokenState state, TokenEvent event) {
  using S = TokenState;
  switch (event) {
    case TokenEvent::activate:
      if (state == S::issued) return to(S::active);
      if (state == S::active) return refuse("the token is already active");
      return refuse("a " + std::string(to_string(state)) + " token can never be activated");
    case TokenEvent::report_lost:
      // A token lost in the post (issued) is as dangerous as one lost in use.
      if (state == S::issued || state == S::active) return to(S::lost);
      return refuse("the token is " + std::string(to_string(state)) +
                    ", so it cannot authenticate and there is nothing to report");
    case TokenEvent::revoke:
      if (state == S::revoked) return refuse("the token is already revoked");
      if (state == S::returned) return refuse("the token has been returned and is withdrawn");
      return to(S::revoked);
    case TokenEvent::hand_back:
      // Returning ends the token whatever it was; a found lost token included.
      if (state == S::returned) return refuse("the token has already been returned");
      return to(S::returned);
    case TokenEvent::detect_clone:
      if (state == S::active) return to(S::suspect_clone);
      return refuse("only an active token can be found cloned");
    case TokenEvent::resynchronise:
      if (state == S::active) return to(S::active);
      return refuse("only an active token can be resynchronised; this one is " +
                    std::string(to_string(state)));
  }
  return refuse("unknown event");
}

}  // namespace tokens
