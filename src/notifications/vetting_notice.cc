#include "notifications/vetting_notice.h"

#include <string>

#include "accounts/conditions.h"

namespace core::notifications {
namespace {

constexpr const char* kKind = "vetting.warning";

std::string in_days(int64_t days) {
  return days == 1 ? "in 1 day" : "in " + std::to_string(days) + " days";
}

}  // namespace

Message vetting_warning_to_user(const store::UserRecord& user, int64_t days_left,
                                int64_t expires_on) {
  Message m;
  m.kind = kKind;
  m.recipient = user.email;
  m.about = user.username;
  m.subject = "Your vetting disclosure needs renewing " + in_days(days_left);
  m.body = "The enhanced vetting disclosure recorded for your account " + user.username +
           " (dated " + user.conditions.vetting_disclosure_on + ") stops counting on " +
           accounts::format_date(expires_on) + ", " + in_days(days_left) + ".\n\n" +
           "Access requires a disclosure less than 3 years old. If evidence of a renewal is "
           "not recorded by then, your account will be suspended. Please apply for a renewal "
           "now and give the new disclosure's date to your user account administrator.\n";
  return m;
}

Message vetting_warning_to_manager(const store::UserRecord& user, int64_t days_left,
                                   int64_t expires_on) {
  Message m;
  m.kind = kKind;
  m.recipient = user.manager_email;
  m.about = user.username;
  m.subject = "Vetting disclosure of " + user.username + " needs renewing " + in_days(days_left);
  m.body = "The enhanced vetting disclosure recorded for " + user.display_name + " (" +
           user.username + ", organisation " + user.organisation + "), dated " +
           user.conditions.vetting_disclosure_on + ", stops counting on " +
           accounts::format_date(expires_on) + ", " + in_days(days_left) + ".\n\n" +
           "If evidence of a renewal is not recorded by then, the account will be suspended. "
           "Please support the renewal application (guidance 2.11).\n";
  return m;
}

}  // namespace core::notifications
