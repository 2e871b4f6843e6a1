// The account state machine, exhaustively: every state x every event, the
// allowed moves and a reason for every refusal.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <utility>

#include "accounts/account_lifecycle.h"

namespace core::accounts {
namespace {

using S = AccountState;
using E = AccountEvent;

TEST(AccountLifecycle, EveryStateAndEvent) {
  // The moves the guidance allows (4.29-4.42); everything else is refused.
  const std::map<std::pair<S, E>, S> allowed = {
      {{S::nominated, E::approve}, S::active},   {{S::nominated, E::reject}, S::rejected},
      {{S::nominated, E::close}, S::closed},     {{S::active, E::suspend}, S::suspended},
      {{S::active, E::close}, S::closed},        {{S::suspended, E::reactivate}, S::active},
      {{S::suspended, E::close}, S::closed},
  };
  int checked = 0;
  for (S state : kAllAccountStates) {
    for (E event : kAllAccountEvents) {
      const auto t = next_account_state(state, event);
      const auto it = allowed.find({state, event});
      SCOPED_TRACE(std::string(to_string(state)) + " x " + std::string(to_string(event)));
      if (it != allowed.end()) {
        ASSERT_TRUE(t.next.has_value());
        EXPECT_EQ(*t.next, it->second);
        EXPECT_TRUE(t.refusal.empty());
      } else {
        EXPECT_FALSE(t.next.has_value());
        EXPECT_FALSE(t.refusal.empty()) << "a refusal must say why";
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 25);
}

TEST(AccountLifecycle, ClosedAndRejectedAreFinal) {
  for (E event : kAllAccountEvents) {
    EXPECT_FALSE(next_account_state(S::closed, event).next.has_value());
    EXPECT_NE(next_account_state(S::closed, event).refusal.find("closed"), std::string::npos);
    EXPECT_FALSE(next_account_state(S::rejected, event).next.has_value());
  }
}

TEST(AccountLifecycle, RefusalsSayWhy) {
  EXPECT_EQ(next_account_state(S::suspended, E::suspend).refusal,
            "the account is already suspended");
  EXPECT_NE(next_account_state(S::active, E::approve).refusal.find("only a nominated account"),
            std::string::npos);
  EXPECT_NE(next_account_state(S::active, E::reactivate).refusal.find("only a suspended"),
            std::string::npos);
}

TEST(AccountLifecycle, NamesRoundTripAndOnlyActiveLogsIn) {
  for (S state : kAllAccountStates) {
    EXPECT_EQ(parse_account_state(to_string(state)), state);
    EXPECT_EQ(can_log_in(state), state == S::active);
  }
  EXPECT_FALSE(parse_account_state("Active").has_value());
  EXPECT_FALSE(parse_account_state("").has_value());
}

}  // namespace
}  // namespace core::accounts
