// Shared set-up for the account lifecycle tests: the bootstrap administrator
// (central team) with a live session, helpers for administrators and users
// in other organisations, and audit look-ups.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace core::testing {

class AccountsTest : public CoreTest {
 protected:
  void SetUp() override {
    CoreTest::SetUp();
    init_and_open();
    admin_ = admin_session();
  }

  // An approved user with an active token, logged in: its live session.
  Principal administrator(const std::string& username, const std::string& organisation,
                          std::vector<std::string> roles = {"user_account_administrator"}) {
    const std::string password = "passphrase of " + username + " 2026";
    uris_[username] = make_user(admin_, username, password, std::move(roles), organisation);
    return session_of(username, password, uris_[username]);
  }

  // A nominated account (every condition met) in `organisation`.
  void nominate(const std::string& username, const std::string& organisation = "LA-001") {
    auto made = service_->create_user(
        admin_, nominee(username, "User " + username, organisation, {"practitioner"},
                        "first password of " + username));
    ASSERT_TRUE(made.ok()) << made.error().message;
  }

  // A fresh session for the bootstrap administrator (after the clock moved
  // past the old one's lifetime).
  Principal admin_again() {
    admin_ = session_of("admin", admin_password_, bootstrap_.otpauth_uri);
    return admin_;
  }

  static ActionRecord record(std::string reason, std::string note = "written record") {
    ActionRecord r;
    r.reason = std::move(reason);
    r.note = std::move(note);
    return r;
  }

  // "outcome reason" of the last audit entry with `action`.
  std::string last_audit(const std::string& action) const {
    return sql_text("SELECT outcome || ' ' || reason FROM audit WHERE action = '" + action +
                    "' ORDER BY seq DESC LIMIT 1");
  }
  int64_t audit_count(const std::string& action, const std::string& outcome) const {
    return sql_int("SELECT COUNT(*) FROM audit WHERE action = '" + action + "' AND outcome = '" +
                   outcome + "'");
  }

  Principal admin_;
  std::map<std::string, std::string> uris_;  // otpauth URI of each made user
};

}  // namespace core::testing
