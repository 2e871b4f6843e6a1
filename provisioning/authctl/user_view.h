// Showing the server's account and token answers (GET /v1/users/{username}
// and every lifecycle action that answers with the account).
//
// Every value is passed through printable(): names and notes come from
// other administrators.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace provisioning::cli {

// The strings of a JSON array joined with ", " ("" for anything else).
std::string joined(const nlohmann::json& list);

// The account's fields, its conditions of access, its last state change and
// a table of its tokens, as `user show` prints them.
std::string describe_user(const nlohmann::json& user);

// "User bob is now suspended." plus the access-review flag when set: the
// one-line confirmation of an action.
std::string user_outcome(const nlohmann::json& user, const std::string& fallback_username);

}  // namespace provisioning::cli
