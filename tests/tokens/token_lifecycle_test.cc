// The token state machine, exhaustively: every state x every event, with
// the expected next state or a refusal that says why (it becomes a 409
// message), and the one rule login relies on: only an active token
// authenticates.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tokens/lifecycle.h"

namespace {

using tokens::TokenEvent;
using tokens::TokenState;
using S = TokenState;
using E = TokenEvent;

// nullopt: refused.
const std::map<std::pair<S, E>, std::optional<S>>& expected_table() {
  static const std::map<std::pair<S, E>, std::optional<S>> table = {
      // issued: activate, or lost in the post, or withdrawn/handed back.
      {{S::issued, E::activate}, S::active},
      {{S::issued, E::report_lost}, S::lost},
      {{S::issued, E::revoke}, S::revoked},
      {{S::issued, E::hand_back}, S::returned},
      {{S::issued, E::detect_clone}, std::nullopt},
      {{S::issued, E::resynchronise}, std::nullopt},
      // active
      {{S::active, E::activate}, std::nullopt},
      {{S::active, E::report_lost}, S::lost},
      {{S::active, E::revoke}, S::revoked},
      {{S::active, E::hand_back}, S::returned},
      {{S::active, E::detect_clone}, S::suspect_clone},
      {{S::active, E::resynchronise}, S::active},
      // lost: never usable again; may be revoked or (found) handed back.
      {{S::lost, E::activate}, std::nullopt},
      {{S::lost, E::report_lost}, std::nullopt},
      {{S::lost, E::revoke}, S::revoked},
      {{S::lost, E::hand_back}, S::returned},
      {{S::lost, E::detect_clone}, std::nullopt},
      {{S::lost, E::resynchronise}, std::nullopt},
      // revoked: only the hardware's return is left to record.
      {{S::revoked, E::activate}, std::nullopt},
      {{S::revoked, E::report_lost}, std::nullopt},
      {{S::revoked, E::revoke}, std::nullopt},
      {{S::revoked, E::hand_back}, S::returned},
      {{S::revoked, E::detect_clone}, std::nullopt},
      {{S::revoked, E::resynchronise}, std::nullopt},
      // returned: final.
      {{S::returned, E::activate}, std::nullopt},
      {{S::returned, E::report_lost}, std::nullopt},
      {{S::returned, E::revoke}, std::nullopt},
      {{S::returned, E::hand_back}, std::nullopt},
      {{S::returned, E::detect_clone}, std::nullopt},
      {{S::returned, E::resynchronise}, std::nullopt},
      // suspect_clone: withdrawn; revoke or return.
      {{S::suspect_clone, E::activate}, std::nullopt},
      {{S::suspect_clone, E::report_lost}, std::nullopt},
      {{S::suspect_clone, E::revoke}, S::revoked},
      {{S::suspect_clone, E::hand_back}, S::returned},
      {{S::suspect_clone, E::detect_clone}, std::nullopt},
      {{S::suspect_clone, E::resynchronise}, std::nullopt},
  };
  return table;
}

TEST(TokenLifecycle, TheTableCoversEveryStateAndEvent) {
  EXPECT_EQ(expected_table().size(), tokens::kAllTokenStates.size() * tokens::kAllTokenEvents.size());
}

TEST(TokenLifecycle, EveryStateAndEventGivesTheExpectedOutcome) {
  for (S state : tokens::kAllTokenStates) {
    for (E event : tokens::kAllTokenEvents) {
      SCOPED_TRACE(std::string(tokens::to_string(state)) + " x " +
                   std::string(tokens::to_string(event)));
      const auto expected = expected_table().at({state, event});
      const auto got = tokens::next_token_state(state, event);
      EXPECT_EQ(got.next, expected);
      if (expected) {
        EXPECT_TRUE(got.refusal.empty()) << got.refusal;
      } else {
        // A refusal always says why, for the 409 message.
        EXPECT_FALSE(got.refusal.empty());
      }
    }
  }
}

TEST(TokenLifecycle, RefusalsSayWhy) {
  EXPECT_EQ(tokens::next_token_state(S::active, E::activate).refusal, "the token is already active");
  EXPECT_EQ(tokens::next_token_state(S::revoked, E::activate).refusal,
            "a revoked token can never be activated");
  EXPECT_EQ(tokens::next_token_state(S::revoked, E::revoke).refusal, "the token is already revoked");
  EXPECT_EQ(tokens::next_token_state(S::returned, E::hand_back).refusal,
            "the token has already been returned");
  EXPECT_NE(tokens::next_token_state(S::lost, E::report_lost).refusal.find("lost"),
            std::string::npos);
  EXPECT_NE(tokens::next_token_state(S::issued, E::resynchronise).refusal.find("issued"),
            std::string::npos);
}

// Once a token has left issued/active it never comes back to either: a lost,
// revoked, returned or cloned token can never authenticate again whatever
// sequence of events follows.
TEST(TokenLifecycle, NoPathLeadsBackToAUsableStateFromAWithdrawnOne) {
  for (S start : {S::lost, S::revoked, S::returned, S::suspect_clone}) {
    std::vector<S> frontier = {start};
    std::vector<S> seen = {start};
    while (!frontier.empty()) {
      const S state = frontier.back();
      frontier.pop_back();
      EXPECT_FALSE(tokens::can_authenticate(state)) << tokens::to_string(state);
      EXPECT_NE(state, S::issued);
      for (E event : tokens::kAllTokenEvents) {
        const auto next = tokens::next_token_state(state, event).next;
        if (next && std::find(seen.begin(), seen.end(), *next) == seen.end()) {
          seen.push_back(*next);
          frontier.push_back(*next);
        }
      }
    }
  }
}

TEST(TokenLifecycle, OnlyAnActiveTokenAuthenticates) {
  for (S state : tokens::kAllTokenStates) {
    EXPECT_EQ(tokens::can_authenticate(state), state == S::active) << tokens::to_string(state);
  }
}

TEST(TokenLifecycle, StateNamesRoundTrip) {
  for (S state : tokens::kAllTokenStates) {
    EXPECT_EQ(tokens::parse_token_state(tokens::to_string(state)), state);
  }
  EXPECT_EQ(tokens::parse_token_state("Active"), std::nullopt);
  EXPECT_EQ(tokens::parse_token_state(""), std::nullopt);
  EXPECT_EQ(tokens::to_string(S::suspect_clone), "suspect_clone");
  EXPECT_EQ(tokens::to_string(E::hand_back), "return");
  EXPECT_EQ(tokens::to_string(E::resynchronise), "resync");
}

}  // namespace
