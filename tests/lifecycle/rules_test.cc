// The automatic rules' decisions at their edges (lifecycle/rules.h): the
// warning days, the day the disclosure stops counting, dormancy and pending
// nominations to the second, temporary token expiry.
#include <gtest/gtest.h>

#include "accounts/conditions.h"
#include "lifecycle/rules.h"
#include "login/totp_check.h"
#include "tokens/totp.h"

namespace core::lifecycle {
namespace {

constexpr int64_t kT0 = 1767225600;  // 2026-01-01T00:00:00Z
const int64_t kToday = accounts::day_of(kT0);

// An active account whose disclosure stops counting `days_left` days from kToday.
store::UserRecord vetted(int64_t days_left, int64_t warned = 0, std::string state = "active") {
  store::UserRecord user;
  user.username = "vic";
  user.state = std::move(state);
  const policy::LifecyclePolicy policy;
  user.conditions.vetting_disclosure_on =
      accounts::format_date(kToday + days_left - policy.vetting_valid_days);
  user.vetting_warned_days = warned;
  return user;
}

VettingDue due(const store::UserRecord& user) {
  return vetting_due(user, policy::LifecyclePolicy{}, kToday);
}

TEST(VettingRule, NothingUntilSixtyDaysAreLeft) {
  EXPECT_EQ(due(vetted(61)).step, VettingStep::none);
  const auto first = due(vetted(60));
  EXPECT_EQ(first.step, VettingStep::warn_first);
  EXPECT_EQ(first.warn_days, 60);
  EXPECT_EQ(first.days_left, 60);
  EXPECT_EQ(first.expires_on, kToday + 60);
  EXPECT_EQ(due(vetted(59)).step, VettingStep::warn_first);
}

TEST(VettingRule, EachWarningIsSentOnce) {
  EXPECT_EQ(due(vetted(45, 60)).step, VettingStep::none);
  EXPECT_EQ(due(vetted(31, 60)).step, VettingStep::none);
  const auto second = due(vetted(30, 60));
  EXPECT_EQ(second.step, VettingStep::warn_second);
  EXPECT_EQ(second.warn_days, 30);
  EXPECT_EQ(due(vetted(30, 30)).step, VettingStep::none);
  EXPECT_EQ(due(vetted(1, 30)).step, VettingStep::none);
}

// A sweep that did not run during the first window sends only the second.
TEST(VettingRule, ALateFirstRunSendsOnlyTheSecondWarning) {
  EXPECT_EQ(due(vetted(20, 0)).step, VettingStep::warn_second);
}

TEST(VettingRule, TheDisclosureStopsCountingAfterExactlyValidDays) {
  // Dated exactly vetting_valid_days (1095, three years) ago: expired today.
  EXPECT_EQ(due(vetted(0, 30)).step, VettingStep::expire);
  EXPECT_EQ(due(vetted(-400, 30)).step, VettingStep::expire);
  EXPECT_EQ(due(vetted(1, 30)).step, VettingStep::none);
  store::UserRecord exact = vetted(0);
  exact.conditions.vetting_disclosure_on = accounts::format_date(kToday - 1095);
  EXPECT_EQ(due(exact).step, VettingStep::expire);
  exact.conditions.vetting_disclosure_on = accounts::format_date(kToday - 1094);
  EXPECT_EQ(due(exact).step, VettingStep::warn_second);
}

TEST(VettingRule, OnlyActiveAccountsExpireAndOnlyActiveOrSuspendedAreWarned) {
  EXPECT_EQ(due(vetted(0, 30, "suspended")).step, VettingStep::none);
  EXPECT_EQ(due(vetted(60, 0, "suspended")).step, VettingStep::warn_first);
  for (const char* state : {"nominated", "closed", "rejected"}) {
    EXPECT_EQ(due(vetted(0, 0, state)).step, VettingStep::none) << state;
    EXPECT_EQ(due(vetted(60, 0, state)).step, VettingStep::none) << state;
  }
}

TEST(VettingRule, NoRecordedDisclosureNoAction) {
  store::UserRecord user;
  user.state = "active";
  EXPECT_EQ(due(user).step, VettingStep::none);
}

TEST(DormantRule, NinetyFullDaysWithoutALogin) {
  const policy::LifecyclePolicy policy;
  store::UserRecord user;
  user.state = "active";
  user.created_at = kT0 - 400 * kDay;
  user.last_login_at = kT0;
  EXPECT_FALSE(is_dormant(user, policy, kT0 + 90 * kDay - 1));
  EXPECT_TRUE(is_dormant(user, policy, kT0 + 90 * kDay));
  EXPECT_EQ(activity_since(user), kT0);
}

TEST(DormantRule, NeverLoggedInCountsFromApprovalOrCreation) {
  const policy::LifecyclePolicy policy;
  store::UserRecord user;
  user.state = "active";
  user.created_at = kT0;
  EXPECT_FALSE(is_dormant(user, policy, kT0 + 90 * kDay - 1));
  EXPECT_TRUE(is_dormant(user, policy, kT0 + 90 * kDay));
  // Approved (or reactivated) later: counted from then.
  user.last_change = store::StateChangeRecord{"active", "", "", "", "", "admin", kT0 + 30 * kDay};
  EXPECT_FALSE(is_dormant(user, policy, kT0 + 90 * kDay));
  EXPECT_TRUE(is_dormant(user, policy, kT0 + 120 * kDay));
}

TEST(DormantRule, OnlyActiveAccountsAreDormant) {
  const policy::LifecyclePolicy policy;
  for (const char* state : {"nominated", "suspended", "closed", "rejected"}) {
    store::UserRecord user;
    user.state = state;
    user.created_at = kT0;
    EXPECT_FALSE(is_dormant(user, policy, kT0 + 1000 * kDay)) << state;
  }
}

TEST(PendingRule, NominationsWaitingFourteenFullDays) {
  const policy::LifecyclePolicy policy;
  store::UserRecord user;
  user.state = "nominated";
  user.created_at = kT0;
  EXPECT_FALSE(pending_too_long(user, policy, kT0 + 14 * kDay - 1));
  EXPECT_TRUE(pending_too_long(user, policy, kT0 + 14 * kDay));
  user.state = "active";
  EXPECT_FALSE(pending_too_long(user, policy, kT0 + 100 * kDay));
}

TEST(TemporaryTokenRule, ExpiresAtItsTime) {
  store::TokenRecord token;
  token.temporary = true;
  token.state = "active";
  token.expires_at = kT0;
  EXPECT_FALSE(temporary_expired(token, kT0 - 1));
  EXPECT_TRUE(temporary_expired(token, kT0));
  token.state = "issued";
  EXPECT_TRUE(temporary_expired(token, kT0));
  for (const char* state : {"lost", "revoked", "returned", "suspect_clone"}) {
    token.state = state;
    EXPECT_FALSE(temporary_expired(token, kT0 + 1)) << state;
  }
  token.state = "active";
  token.temporary = false;
  EXPECT_FALSE(temporary_expired(token, kT0 + 1));
}

// Login honours a token's remembered offset: a device five steps fast is
// accepted once its drift is known, and the offset returned is relative to
// the real now.
TEST(TotpDrift, TheWindowIsCentredOnTheRememberedOffset) {
  const std::vector<uint8_t> seed(20, 0x42);
  const common::SecretBytes secret(seed);
  const tokens::TotpParams params;
  const auto now = common::from_unix_seconds(kT0);
  const int64_t step = tokens::totp_step(now, params.period);
  const auto code = *tokens::totp_code(seed, step + 5, params);
  EXPECT_EQ(login::check_totp(secret, code, now, params, 1, -1).outcome, login::OtpOutcome::wrong);
  const auto drifted = login::check_totp(secret, code, now, params, 1, -1, 5);
  EXPECT_EQ(drifted.outcome, login::OtpOutcome::accepted);
  EXPECT_EQ(drifted.step, step + 5);
  EXPECT_EQ(drifted.offset, 5);
  // One more step of drift is still within the window, and is remembered.
  const auto further = *tokens::totp_code(seed, step + 6, params);
  EXPECT_EQ(login::check_totp(secret, further, now, params, 1, step + 5, 5).offset, 6);
  // An absurd stored offset is not honoured.
  const auto far = *tokens::totp_code(seed, step + 500, params);
  EXPECT_EQ(login::check_totp(secret, far, now, params, 1, -1, 500).outcome,
            login::OtpOutcome::wrong);
}

}  // namespace
}  // namespace core::lifecycle
