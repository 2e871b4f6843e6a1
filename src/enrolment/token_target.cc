#include "enrolment/token_target.h"

#include <algorithm>

#include "accounts/validation.h"

namespace core::enrolment {

using common::Errc;
using common::make_error;

bool plausible_token_id(std::string_view token_id) {
  return token_id.size() == 36 && token_id.starts_with("tok_") &&
         std::all_of(token_id.begin() + 4, token_id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

common::Result<void> check_token_note(std::string_view note) {
  if (note.empty()) return {};
  return accounts::check_free_text(note, "note", 2000);
}

common::Result<TokenTarget> find_token_target(Context& ctx, store::StoreTx& tx,
                                              const Principal& who, std::string_view token_id,
                                              accounts::Permission permission, HolderMay holder,
                                              accounts::Refusals& refusals) {
  if (!plausible_token_id(token_id)) {
    return refusals.refuse("not_found", Errc::not_found, "no such token");
  }
  auto token = tx.find_token(token_id);
  if (!token) return token.error();
  if (!*token) return refusals.refuse("not_found", Errc::not_found, "no such token");
  auto owner = tx.find_user_by_id((*token)->user_id);
  if (!owner) return owner.error();
  if (!*owner) return make_error(Errc::internal, "a token's holder is missing");
  if (holder == HolderMay::act && (*owner)->id == who.user_id) {
    return TokenTarget{std::move(**token), std::move(**owner)};
  }
  const auto& roles = ctx.policy().permissions.*permission;
  const bool permitted = std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
    return accounts::has_role(who, role);
  });
  if (!permitted) return refusals.refuse("forbidden", Errc::not_found, "no such token");
  auto org = tx.find_organisation((*owner)->organisation);
  if (!org) return org.error();
  if (!*org) return make_error(Errc::internal, "an account's organisation is missing");
  auto scoped = accounts::in_scope(tx, who, **org);
  if (!scoped) return scoped.error();
  if (!*scoped) return refusals.refuse("out_of_scope", Errc::not_found, "no such token");
  return TokenTarget{std::move(**token), std::move(**owner)};
}

common::Result<tokens::TokenState> apply_token_event(store::StoreTx& tx,
                                                     const store::TokenRecord& token,
                                                     tokens::TokenEvent event, int64_t now,
                                                     accounts::Refusals& refusals) {
  const auto state = tokens::parse_token_state(token.state);
  if (!state) return make_error(Errc::internal, "a token has an unknown state");
  const auto next = tokens::next_token_state(*state, event);
  if (!next.next) return refusals.refuse("illegal_transition", Errc::conflict, next.refusal);
  if (*next.next != *state) {
    auto changed = tx.change_token_state(token.id, token.state, tokens::to_string(*next.next), now);
    if (!changed) return changed.error();
    // Inside a write transaction nobody can have changed it since it was
    // read; if it happens all the same, refuse rather than guess.
    if (!*changed) {
      return refusals.refuse("concurrent_change", Errc::conflict,
                             "the token changed meanwhile; look at it again");
    }
  }
  return *next.next;
}

}  // namespace core::enrolment
