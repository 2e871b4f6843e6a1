// Conditions of access: calendar dates through std::chrono::year_month_day
// (proleptic Gregorian, so leap years are right without our own tables), the
// form of the evidence, and which conditions are unmet on a given day.
#include "accounts/conditions.h"

#include <chrono>
#include <cstdio>

namespace core::accounts {
namespace {

bool digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int to_int(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// "3 years" for a multiple of 365 days (the guidance speaks in years),
// "N days" otherwise.
std::string span_of(uint32_t days) {
  if (days % 365 == 0) {
    const uint32_t years = days / 365;
    return std::to_string(years) + (years == 1 ? " year" : " years");
  }
  return std::to_string(days) + " days";
}

}  // namespace

std::optional<int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(to_int(y)),
                                         std::chrono::month(static_cast<unsigned>(to_int(m))),
                                         std::chrono::day(static_cast<unsigned>(to_int(d)))};
  if (!date.ok() || date.year() < std::chrono::year(1900)) return std::nullopt;
  return std::chrono::sys_days(date).time_since_epoch().count();
}

std::string format_date(int64_t days_since_epoch) {
  const std::chrono::year_month_day date{
      std::chrono::sys_days(std::chrono::days(days_since_epoch))};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return out;
}

std::string check_conditions_form(const store::ConditionsRecord& c, int64_t today) {
  const std::pair<const char*, const std::string*> dates[] = {
      {"accredited_training_on", &c.accredited_training_on},
      {"local_training_on", &c.local_training_on},
      {"vetting_disclosure_on", &c.vetting_disclosure_on},
      {"vetting_confirmed_on", &c.vetting_confirmed_on}};
  for (const auto& [field, value] : dates) {
    if (value->empty()) continue;
    const auto day = parse_date(*value);
    if (!day) return std::string(field) + ": must be a calendar date YYYY-MM-DD";
    // Evidence records what has happened: a date ahead of today is a typing
    // error, and would make a disclosure look valid for longer than it is.
    if (*day > today) return std::string(field) + ": must not be in the future";
  }
  if (!c.vetting_basis.empty() && c.vetting_basis != "disclosure_seen" &&
      c.vetting_basis != "employer_confirmation") {
    return "vetting_basis: must be disclosure_seen or employer_confirmation";
  }
  if (c.vetting_basis == "employer_confirmation" &&
      (c.vetting_confirmed_by.empty() || c.vetting_confirmed_on.empty())) {
    return c.vetting_confirmed_by.empty()
               ? "vetting_confirmed_by: an employer confirmation must say who confirmed"
               : "vetting_confirmed_on: an employer confirmation must say when";
  }
  return {};
}

std::optional<int64_t> vetting_expires_on(const store::ConditionsRecord& conditions,
                                          const policy::LifecyclePolicy& policy) {
  const auto issued = parse_date(conditions.vetting_disclosure_on);
  if (!issued) return std::nullopt;
  return *issued + policy.vetting_valid_days;
}

std::vector<std::string> unmet_conditions(const store::ConditionsRecord& c,
                                          const policy::LifecyclePolicy& policy, int64_t today) {
  std::vector<std::string> unmet;
  if (c.need.empty()) unmet.push_back("need for access not recorded");
  if (!parse_date(c.accredited_training_on)) {
    unmet.push_back("accredited ContactPoint training not recorded");
  }
  if (!parse_date(c.local_training_on)) unmet.push_back("local training not recorded");
  const auto expires = vetting_expires_on(c, policy);
  if (!expires) {
    unmet.push_back("enhanced vetting disclosure not recorded");
  } else if (today >= *expires) {
    unmet.push_back("enhanced vetting disclosure older than " +
                    span_of(policy.vetting_valid_days) + " (" + c.vetting_disclosure_on + ")");
  } else if (c.vetting_basis.empty()) {
    unmet.push_back(
        "enhanced vetting disclosure neither seen nor confirmed by the employer (vetting_basis)");
  } else if (c.vetting_basis == "employer_confirmation" &&
             (c.vetting_confirmed_by.empty() || !parse_date(c.vetting_confirmed_on))) {
    unmet.push_back("employer confirmation of the vetting disclosure without who confirmed and when");
  }
  if (policy.barring_scheme_required && c.barring_scheme_ref.empty()) {
    unmet.push_back("barring scheme membership not recorded");
  }
  return unmet;
}

}  // namespace core::accounts
