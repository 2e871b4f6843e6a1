// What the token lifecycle operations (token_lifecycle.h) share: finding
// the token a caller may act on, applying a state-machine event with a
// compare-and-set, and the audit subject for a token id from a request.
//
// Thread safety: as the StoreTx passed in.
#pragma once

#include <string>
#include <string_view>

#include "accounts/admin_action.h"
#include "accounts/scope.h"
#include "common/result.h"
#include "core/service.h"
#include "service/context.h"
#include "store/records.h"
#include "store/store.h"
#include "tokens/lifecycle.h"

namespace core::enrolment {

struct TokenTarget {
  store::TokenRecord token;
  store::UserRecord holder;
};

// Who may reach a token besides an administrator holding the permission.
enum class HolderMay { act, not_act };

// The token `token_id` when `who` may act on it: its holder (HolderMay::act),
// or a caller holding `permission` whose scope covers the holder's
// organisation. Anything else, an unknown id included, is not_found
// (reasons "not_found", "forbidden", "out_of_scope"): a token out of reach
// looks like no token at all.
common::Result<TokenTarget> find_token_target(Context& ctx, store::StoreTx& tx,
                                              const Principal& who, std::string_view token_id,
                                              accounts::Permission permission, HolderMay holder,
                                              accounts::Refusals& refusals);

// Applies `event` to the stored token: conflict with the state machine's
// reason when refused (reason "illegal_transition"), conflict when another
// request changed the token first. Returns the new state.
common::Result<tokens::TokenState> apply_token_event(store::StoreTx& tx,
                                                     const store::TokenRecord& token,
                                                     tokens::TokenEvent event, int64_t now,
                                                     accounts::Refusals& refusals);

// "tok_" and 32 lower-case hex digits, as new_token_id makes them.
bool plausible_token_id(std::string_view token_id);
// The audit subject before the holder is known.
inline std::string token_subject(std::string_view token_id) {
  return plausible_token_id(token_id) ? std::string(token_id) : "-";
}

// An optional note on a token action: up to 2000 characters of text.
common::Result<void> check_token_note(std::string_view note);

}  // namespace core::enrolment
