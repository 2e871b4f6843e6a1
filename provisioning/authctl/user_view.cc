#include "authctl/user_view.h"

#include "authctl/context.h"
#include "authctl/output.h"

namespace provisioning::cli {
namespace {

std::string yes_no(const nlohmann::json& object, const char* key) {
  return object.is_object() && object.value(key, false) ? "yes" : "no";
}

// A recorded value or "-" for an empty one.
std::string or_dash(const nlohmann::json& object, const char* key) {
  const std::string value = text(object, key);
  return value.empty() ? "-" : value;
}

}  // namespace

std::string joined(const nlohmann::json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!item.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += item.get<std::string>();
  }
  return out;
}

std::string describe_user(const nlohmann::json& user) {
  std::string out = format_fields(
      {{"username", text(user, "username")},
       {"display name", text(user, "display_name")},
       {"organisation", text(user, "organisation")},
       {"roles", joined(user.value("roles", nlohmann::json()))},
       {"state", text(user, "state")},
       {"locked", yes_no(user, "locked")},
       {"access review required", yes_no(user, "access_review_required")},
       {"must change password", yes_no(user, "must_change_password")},
       {"email", or_dash(user, "email")},
       {"job title", or_dash(user, "job_title")},
       {"manager", or_dash(user, "manager_name")},
       {"manager email", or_dash(user, "manager_email")},
       {"created at", text(user, "created_at")},
       {"last login at", text(user, "last_login_at", "never")}});

  const nlohmann::json conditions = user.value("conditions", nlohmann::json::object());
  out += "\nConditions of access:\n";
  out += format_fields({{"  need", or_dash(conditions, "need")},
                        {"  accredited training", or_dash(conditions, "accredited_training_on")},
                        {"  local training", or_dash(conditions, "local_training_on")},
                        {"  vetting disclosure", or_dash(conditions, "vetting_disclosure_on")},
                        {"  vetting basis", or_dash(conditions, "vetting_basis")},
                        {"  vetting confirmed by", or_dash(conditions, "vetting_confirmed_by")},
                        {"  vetting confirmed on", or_dash(conditions, "vetting_confirmed_on")},
                        {"  barring scheme ref", or_dash(conditions, "barring_scheme_ref")}});

  const nlohmann::json change = user.value("last_change", nlohmann::json());
  if (change.is_object()) {
    out += "\nLast change:\n";
    out += format_fields({{"  state", text(change, "state")},
                          {"  reason", or_dash(change, "reason")},
                          {"  note", or_dash(change, "note")},
                          {"  requested by", or_dash(change, "requested_by")},
                          {"  verified by", or_dash(change, "verified_by")},
                          {"  by", text(change, "actor")},
                          {"  at", text(change, "at")}});
  }

  std::vector<std::vector<std::string>> rows;
  if (user.contains("tokens") && user["tokens"].is_array()) {
    for (const auto& token : user["tokens"]) {
      std::string kind = token.value("temporary", false)
                             ? "temporary until " + text(token, "expires_at", "?")
                             : "permanent";
      rows.push_back({text(token, "token_id"), text(token, "type"), text(token, "state"),
                      text(token, "custody", "-"), std::move(kind), text(token, "issued_at"),
                      text(token, "activated_at", "-")});
    }
  }
  if (rows.empty()) {
    out += "\nNo tokens.\n";
  } else {
    out += "\n" + format_table({"TOKEN", "TYPE", "STATE", "CUSTODY", "KIND", "ISSUED", "ACTIVATED"},
                               rows);
  }
  return out;
}

std::string user_outcome(const nlohmann::json& user, const std::string& fallback_username) {
  std::string line = "User " + printable(text(user, "username", fallback_username)) + " is now " +
                     printable(text(user, "state", "?")) + ".\n";
  if (user.is_object() && user.value("access_review_required", false)) {
    line += "Its access review is pending (clear it with `authctl user review`).\n";
  }
  return line;
}

}  // namespace provisioning::cli
