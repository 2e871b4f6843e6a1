// Conditions of access as pure functions: calendar dates, the form of the
// evidence, and which conditions are unmet on a day (guidance 2.7, 4.29-4.33).
#include <gtest/gtest.h>

#include "accounts/conditions.h"

namespace core::accounts {
namespace {

store::ConditionsRecord all_met() {
  store::ConditionsRecord c;
  c.need = "case work";
  c.accredited_training_on = "2026-01-05";
  c.local_training_on = "2026-01-12";
  c.vetting_disclosure_on = "2025-06-01";
  c.vetting_basis = "disclosure_seen";
  return c;
}

int64_t day(const char* text) {
  auto d = parse_date(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(0);
}

TEST(Conditions, DatesParseOnlyRealCalendarDays) {
  EXPECT_EQ(parse_date("1970-01-01"), 0);
  EXPECT_EQ(parse_date("2026-01-01"), 20454);
  EXPECT_TRUE(parse_date("2024-02-29").has_value());
  EXPECT_FALSE(parse_date("2025-02-29").has_value());
  EXPECT_FALSE(parse_date("2025-13-01").has_value());
  EXPECT_FALSE(parse_date("2025-04-31").has_value());
  EXPECT_FALSE(parse_date("1899-12-31").has_value());
  EXPECT_FALSE(parse_date("2025-1-01").has_value());
  EXPECT_FALSE(parse_date("2025/01/01").has_value());
  EXPECT_FALSE(parse_date("2025-01-01T00:00").has_value());
  EXPECT_FALSE(parse_date("").has_value());
  EXPECT_FALSE(parse_date("+025-01-01").has_value());
  EXPECT_EQ(format_date(day("2024-02-29")), "2024-02-29");
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(day_of(86399), 0);
  EXPECT_EQ(day_of(86400), 1);
  EXPECT_EQ(day_of(-1), -1);
}

TEST(Conditions, AllMetIsEmpty) {
  EXPECT_TRUE(unmet_conditions(all_met(), {}, day("2026-01-20")).empty());
  EXPECT_EQ(check_conditions_form(all_met(), day("2026-01-20")), "");
}

TEST(Conditions, EveryUnmetConditionInTheGuidanceOrder) {
  policy::LifecyclePolicy policy;
  policy.barring_scheme_required = true;
  const auto unmet = unmet_conditions(store::ConditionsRecord{}, policy, day("2026-01-20"));
  ASSERT_EQ(unmet.size(), 5u);
  EXPECT_EQ(unmet[0], "need for access not recorded");
  EXPECT_EQ(unmet[1], "accredited ContactPoint training not recorded");
  EXPECT_EQ(unmet[2], "local training not recorded");
  EXPECT_EQ(unmet[3], "enhanced vetting disclosure not recorded");
  EXPECT_EQ(unmet[4], "barring scheme membership not recorded");
}

TEST(Conditions, BarringSchemeOnlyWhileTheSwitchIsOn) {
  policy::LifecyclePolicy policy;
  EXPECT_TRUE(unmet_conditions(all_met(), policy, day("2026-01-20")).empty());
  policy.barring_scheme_required = true;
  EXPECT_EQ(unmet_conditions(all_met(), policy, day("2026-01-20")).size(), 1u);
  auto c = all_met();
  c.barring_scheme_ref = "VBS-123";
  EXPECT_TRUE(unmet_conditions(c, policy, day("2026-01-20")).empty());
}

TEST(Conditions, VettingExpiresAfterExactlyValidDays) {
  const policy::LifecyclePolicy policy;  // 1095 days
  auto c = all_met();
  c.vetting_disclosure_on = "2023-01-20";
  const int64_t expires = day("2023-01-20") + 1095;
  EXPECT_EQ(vetting_expires_on(c, policy), expires);
  EXPECT_TRUE(unmet_conditions(c, policy, expires - 1).empty());
  const auto unmet = unmet_conditions(c, policy, expires);
  ASSERT_EQ(unmet.size(), 1u);
  EXPECT_EQ(unmet[0], "enhanced vetting disclosure older than 3 years (2023-01-20)");
  c.vetting_disclosure_on = "";
  EXPECT_FALSE(vetting_expires_on(c, policy).has_value());
}

TEST(Conditions, VettingNeedsABasisAndAConfirmationNeedsWhoAndWhen) {
  const policy::LifecyclePolicy policy;
  auto c = all_met();
  c.vetting_basis = "";
  auto unmet = unmet_conditions(c, policy, day("2026-01-20"));
  ASSERT_EQ(unmet.size(), 1u);
  EXPECT_NE(unmet[0].find("vetting_basis"), std::string::npos);
  c.vetting_basis = "employer_confirmation";
  unmet = unmet_conditions(c, policy, day("2026-01-20"));
  ASSERT_EQ(unmet.size(), 1u);
  EXPECT_NE(unmet[0].find("who confirmed and when"), std::string::npos);
  c.vetting_confirmed_by = "HR manager, Example Trust";
  c.vetting_confirmed_on = "2026-01-02";
  EXPECT_TRUE(unmet_conditions(c, policy, day("2026-01-20")).empty());
}

TEST(Conditions, FormNamesTheField) {
  const int64_t today = day("2026-01-20");
  auto field_of = [&](store::ConditionsRecord c) {
    const auto message = check_conditions_form(c, today);
    return message.substr(0, message.find(':'));
  };
  auto c = all_met();
  c.accredited_training_on = "2026-02-30";
  EXPECT_EQ(field_of(c), "accredited_training_on");
  c = all_met();
  c.local_training_on = "2026-01-21";  // tomorrow
  EXPECT_EQ(field_of(c), "local_training_on");
  EXPECT_NE(check_conditions_form(c, today).find("future"), std::string::npos);
  c = all_met();
  c.vetting_disclosure_on = "yesterday";
  EXPECT_EQ(field_of(c), "vetting_disclosure_on");
  c = all_met();
  c.vetting_basis = "trust_me";
  EXPECT_EQ(field_of(c), "vetting_basis");
  c = all_met();
  c.vetting_basis = "employer_confirmation";
  EXPECT_EQ(field_of(c), "vetting_confirmed_by");
  c.vetting_confirmed_by = "HR";
  EXPECT_EQ(field_of(c), "vetting_confirmed_on");
  c.vetting_confirmed_on = "2026-13-01";
  EXPECT_EQ(field_of(c), "vetting_confirmed_on");
  c.vetting_confirmed_on = "2026-01-19";
  EXPECT_EQ(check_conditions_form(c, today), "");
  // Nothing recorded is a valid form (a nomination may come without evidence).
  EXPECT_EQ(check_conditions_form(store::ConditionsRecord{}, today), "");
}

}  // namespace
}  // namespace core::accounts
