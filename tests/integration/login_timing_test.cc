// An unknown user, a wrong password and a wrong code must cost the same time,
// so timing does not tell which usernames exist (a dummy Argon2id hash for
// unknown users). Runs with the production Argon2id parameters, where the hash
// dominates a request. The factors are loose: the machine is shared and small.
#include <algorithm>

#include "authd_fixture.h"

namespace integration {
namespace {

using LoginTimingTest = AuthdTest;
using Ms = std::chrono::duration<double, std::milli>;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST_F(LoginTimingTest, UnknownUserTakesAsLongAsWrongPasswordOrCode) {
  // Default Argon2id parameters; room for the failures this test makes.
  use_policy({{"totp", {{"window_steps", "2"}}}, {"lockout", {{"throttle_after_failures", "50"}}}});
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string admin = admin_session();
  ASSERT_FALSE(admin.empty());
  TestUser dave = create_user(admin, "dave");
  ASSERT_TRUE(dave.otp);
  const std::string wrong_code = dave.otp->wrong();
  ASSERT_EQ(get("/healthz").status, 200);  // the connection is warm

  auto timed_login = [&](const std::string& user, const std::string& password,
                         const std::string& otp) {
    const auto begin = std::chrono::steady_clock::now();
    const ApiResponse r = login(user, password, otp);
    const double ms = Ms(std::chrono::steady_clock::now() - begin).count();
    EXPECT_EQ(r.status, 401) << user << ": " << r.body;
    return ms;
  };
  std::vector<double> unknown, bad_password, bad_code;
  constexpr int kRounds = 7;
  for (int i = 0; i < kRounds; ++i) {
    unknown.push_back(
        timed_login("ghost-" + std::to_string(i), "Some password for nobody 1", wrong_code));
    bad_password.push_back(timed_login("dave", "Not daves password 9876", wrong_code));
    bad_code.push_back(timed_login("dave", dave.password, wrong_code));
  }
  const double m_unknown = median(unknown);
  const double m_password = median(bad_password);
  const double m_code = median(bad_code);
  std::cout << "median login failure times (ms): unknown user " << m_unknown << ", wrong password "
            << m_password << ", wrong code " << m_code << "\n";

  // With m=19456 KiB, t=2 a hash takes tens of milliseconds; far less means
  // the comparison below would measure nothing.
  EXPECT_GE(m_password, 5.0) << "the wrong-password path does not seem to hash";
  EXPECT_GE(m_unknown, 0.5 * m_password) << "unknown users answer faster: no dummy hash?";
  EXPECT_GE(m_password, 0.5 * m_unknown);
  EXPECT_GE(m_code, 0.5 * m_password);
}

}  // namespace
}  // namespace integration
