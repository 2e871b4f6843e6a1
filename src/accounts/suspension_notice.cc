#include "accounts/suspension_notice.h"

#include "accounts/conditions.h"

namespace core::accounts {
namespace {

constexpr const char* kKind = "account.suspended";

std::string who_acted(const store::StateChangeRecord& change) {
  return change.actor == "authd-sweep" ? "by the automatic rules" : "by " + change.actor;
}

}  // namespace

std::string suspension_reason_text(std::string_view reason) {
  if (reason == "extended_leave") return "extended leave";
  if (reason == "suspicious_activity") return "possible suspicious activity";
  if (reason == "investigation") return "an investigation into use of the system";
  if (reason == "not_following_guidance") return "not following the guidance";
  if (reason == "prolonged_inactivity") return "prolonged inactivity";
  if (reason == "suspended_by_employer") return "suspended by the employer";
  if (reason == "vetting_expired") return "enhanced vetting disclosure older than allowed";
  if (reason == "token_lost") return "security token lost";
  if (reason == "password_compromised") return "password possibly known to others";
  return std::string(reason);
}

notifications::Message manager_notice(const store::UserRecord& user,
                                      const store::StateChangeRecord& change) {
  notifications::Message m;
  m.kind = kKind;
  m.recipient = user.manager_email;
  m.about = user.username;
  m.subject = "Account suspended: " + user.username;
  m.body = "The account of " + user.display_name + " (" + user.username +
           ", organisation " + user.organisation + ") was suspended on " +
           format_date(day_of(change.at)) + " " + who_acted(change) + ".\n" +
           "Reason: " + suspension_reason_text(change.reason) + ".\n\n" +
           "Suspension does not always indicate misuse. If an investigation follows, the "
           "user's account administrator will contact you.\n";
  return m;
}

notifications::Message user_notice(const store::UserRecord& user,
                                   const store::StateChangeRecord& change) {
  notifications::Message m;
  m.kind = kKind;
  m.recipient = user.email;
  m.about = user.username;
  m.subject = "Your account has been suspended";
  m.body = "Your account " + user.username + " was suspended on " +
           format_date(day_of(change.at)) + " " + who_acted(change) + ".\n" +
           "Reason: " + suspension_reason_text(change.reason) + ".\n\n" +
           "Please contact your user account administrator to have it reactivated.\n";
  return m;
}

}  // namespace core::accounts
